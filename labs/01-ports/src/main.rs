//! `lab01-ports`: explains an endpoint such as `127.0.0.1:62893`.
//!
//! All the work is in the library ([`lab01_ports::cli::run`]); this file only
//! reads the arguments, prints the result, and picks the exit code.

use std::process::ExitCode;

use clap::Parser;
use lab01_ports::cli::{self, Args};

fn main() -> ExitCode {
    let args = Args::parse();
    match cli::run(&args) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
