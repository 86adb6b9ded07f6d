//! The web server program: `cargo run -p lab07-web-server -- --root site`.
//!
//! All the work is in the library ([`lab07_web_server::cli::run`]); this file starts
//! the tokio runtime and reports how it ended. Ctrl-C ends the program at once: a
//! development server has nothing to save.

use std::process::ExitCode;

use clap::Parser;
use lab07_web_server::cli::{self, Args};

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match cli::run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
