//! The echo server program: `cargo run -p lab04-echo-tokio -- --listen 127.0.0.1:62893`.
//!
//! All the work is in the library ([`lab04_echo_tokio::cli::run`]); this file
//! starts the tokio runtime, watches for Ctrl-C, and reports how it ended.

use std::process::ExitCode;

use clap::Parser;
use lab04_echo_tokio::cli::{self, Args};
use lab04_echo_tokio::signals::stop_on_signal;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let stop = match stop_on_signal() {
        Ok(stop) => stop,
        Err(error) => {
            eprintln!("error: cannot watch for Ctrl-C: {error}");
            return ExitCode::FAILURE;
        }
    };
    match cli::run(&args, stop).await {
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
