//! The grading pipeline, one module per stage, in the order a submission goes through them:
//!
//! ```text
//! submission → assemble → build → run → score → report
//! ```
//!
//! Each stage takes what the one before it returned. `grade` (one submission) and `class`
//! (a whole class) drive it; `bless` and `verify` drive the same stages for lab authors.

pub mod assemble;
pub mod build;
pub mod report;
pub mod run;
pub mod score;
pub mod submission;

pub mod progress;
