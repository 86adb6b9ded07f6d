//! `cargo xtask gradebook`: what an instructor does with a graded class's out-dirs.
//!
//! `merge` joins the out-dirs of a class graded in shards (`grade --submissions --shard I/N`,
//! one per machine, job or runner) into one out-dir: one folder per student and one
//! gradebook, the same as grading the class in one run would have written. `export` writes
//! the file an LMS imports (Canvas, Moodle, or a plain CSV), with the students' identities
//! from the roster (`roster`). The out-dir's files are described in `summary`, what
//! `changes.csv` holds in `changes`.

pub mod changes;
mod export;
mod merge;
pub mod roster;
pub mod summary;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

const GRADEBOOK_EXAMPLES: &str = "\
Examples:
  cargo xtask gradebook merge --out-dir results/ shard-1/ shard-2/ shard-3/
  cargo xtask gradebook export results/ --lms canvas --assignment 01=5501 --assignment 02=5502
  cargo xtask gradebook export results/ --lms moodle --moodle-key idnumber
  cargo xtask gradebook export results/ --lms csv --to grades.csv";

/// `cargo xtask gradebook`'s commands, each with its own flags.
#[derive(clap::Subcommand)]
pub enum GradebookCommand {
    /// Merge the out-dirs of a class graded in shards into one out-dir and one gradebook.
    ///
    /// Every shard of the class (1/N … N/N) must be there once, graded by the same grader
    /// and labs. Each student's folder is copied from the shard that graded them; then
    /// gradebook.csv, flaky.csv and timings.csv are rebuilt for the whole class.
    #[command(after_help = GRADEBOOK_EXAMPLES)]
    Merge(MergeArgs),

    /// Write a graded class as the file an LMS imports: Canvas's gradebook import, Moodle's
    /// CSV grade import, or a plain CSV with every identity of the roster.
    ///
    /// Canvas and Moodle need a roster (`grade --roster FILE`, or --roster here) to know who
    /// each submission is; students it does not name are listed and left out.
    #[command(after_help = GRADEBOOK_EXAMPLES)]
    Export(export::ExportArgs),
}

#[derive(clap::Args)]
pub struct MergeArgs {
    /// The shards' out-dirs (each written by `grade --submissions … --shard I/N`).
    #[arg(value_name = "SHARD_OUT", required = true)]
    shards: Vec<PathBuf>,

    /// Where the merged class goes (created; may be one of the shards' out-dirs).
    #[arg(long, value_name = "OUT")]
    out_dir: PathBuf,
}

impl GradebookCommand {
    pub fn run(self) -> Result<ExitCode> {
        match self {
            GradebookCommand::Merge(args) => merge::merge(&args.shards, &args.out_dir),
            GradebookCommand::Export(args) => export::export(args),
        }
    }
}
