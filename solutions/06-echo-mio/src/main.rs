//! The echo server program: `cargo run -p lab06-echo-mio -- --listen 127.0.0.1:62893`.
//!
//! All the work is in the library ([`lab06_echo_mio::cli::run`]); this file
//! reads the command line and reports how it ended. There is no `#[tokio::main]`:
//! the event loop runs on the program's main thread.

use std::process::ExitCode;

use clap::Parser;
use lab06_echo_mio::cli::{self, Args};

fn main() -> ExitCode {
    let args = Args::parse();
    match cli::run(&args) {
        Ok(summary) => {
            println!("stopped after serving {summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
