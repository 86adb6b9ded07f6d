//! `cargo xtask gradebook`: what an instructor does with a graded class's out-dirs.
//!
//! `merge` joins the out-dirs of a class graded in shards (`grade --submissions --shard I/N`,
//! one per machine, job or runner) into one out-dir: one folder per student and one
//! gradebook, the same as grading the class in one run would have written. The out-dir's
//! files are described in `summary`.

mod merge;
pub mod summary;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

const GRADEBOOK_EXAMPLES: &str = "\
Examples:
  cargo xtask gradebook merge --out-dir results/ shard-1/ shard-2/ shard-3/";

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
        }
    }
}
