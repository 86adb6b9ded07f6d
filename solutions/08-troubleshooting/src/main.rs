//! `probe HOST:PORT`: why can't I connect? (See [`lab08_troubleshooting::cli`].)
//!
//! All the work is in the library; this file reads the command line, runs
//! it on tokio, prints the report and exits with its status.

use std::process::ExitCode;

use clap::Parser;
use lab08_troubleshooting::cli::{self, Args};

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let report = cli::run(&args).await;
    if report.status == 2 {
        eprintln!("{}", report.text);
    } else {
        println!("{}", report.text);
    }
    ExitCode::from(report.status)
}
