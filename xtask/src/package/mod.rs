//! `cargo xtask package …`: the grader, packaged for the platforms courses already use.
//!
//! - `package gradescope`: an autograder zip for Gradescope, whose machines run the same
//!   `cargo xtask grade` on every submission (`gradescope`).
//! - `package classroom`: a GitHub Actions workflow for GitHub Classroom, which runs it on
//!   every push to a student's repository (`classroom`).

mod classroom;
mod gradescope;

pub use classroom::{ClassroomOptions, package_classroom};
pub use gradescope::{GradescopeOptions, package_gradescope};
