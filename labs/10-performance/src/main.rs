//! The `loadgen` program: `cargo run --release -p lab10-performance -- --model all`.
//!
//! All the work is in the library ([`lab10_performance::cli::run`]); this file
//! starts the tokio runtime that runs the load generator, and prints the result.

use std::process::ExitCode;

use clap::Parser;
use lab10_performance::cli::{self, Args};

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match cli::run(&args).await {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
