//! The student loop: what to do next, a hint when stuck, grading on every save, and a way
//! back to the starting code.
//!
//! ```text
//! cargo xtask list          every lab, its last score, and the next one to do
//! cargo xtask watch 01      grade lab 01 each time a file of labs/01-ports/src is saved
//! cargo xtask hint 01       the next hint for lab 01
//! cargo xtask reset 01      the starting code back, with a backup of the work
//! ```
//!
//! What the loop remembers between runs (each lab's last grade, the hints already shown)
//! lives in `target/student/`, written by `record`.

mod hint;
mod list;
pub mod record;
mod reset;
mod watch;

pub use hint::HintArgs;
pub use list::ListArgs;
pub use reset::ResetArgs;
pub use watch::WatchArgs;
