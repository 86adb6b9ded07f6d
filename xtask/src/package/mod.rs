//! `cargo xtask package …`: the grader, packaged for the platforms courses already use.
//!
//! - `package gradescope`: an autograder zip for Gradescope, whose machines run the same
//!   `cargo xtask grade` on every submission (`gradescope`).
//! - `package classroom`: a GitHub Actions workflow for GitHub Classroom, which runs it on
//!   every push to a student's repository (`classroom`).

mod classroom;
mod gradescope;

use std::process::ExitCode;

use anyhow::Result;

/// `cargo xtask package`'s platforms, each with its own flags.
#[derive(clap::Subcommand)]
pub enum PackageCommand {
    /// An autograder zip for Gradescope: setup.sh and run_autograder at its root, the grader
    /// and the labs' tests (never the solutions), and the hidden tests of --tests-from.
    Gradescope(gradescope::GradescopeArgs),

    /// The GitHub Classroom workflow: grades every push with `cargo xtask grade --format json`
    /// and reports the points to GitHub Classroom.
    Classroom(classroom::ClassroomArgs),
}

impl PackageCommand {
    pub fn run(self) -> Result<ExitCode> {
        match self {
            PackageCommand::Gradescope(args) => gradescope::package_gradescope(args),
            PackageCommand::Classroom(args) => classroom::package_classroom(args),
        }
    }
}
