//! The program: `cargo run -p lab09-tls -- --listen 127.0.0.1:0 --dir /tmp/lab09`.
//!
//! All the work is in the library ([`lab09_tls::cli::run`]); this file starts
//! the tokio runtime, stops on Ctrl-C, and reports how it ended.

use std::process::ExitCode;

use clap::Parser;
use lab09_tls::cli::{self, Args};

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let stop = async {
        if tokio::signal::ctrl_c().await.is_err() {
            eprintln!("cannot watch for Ctrl-C: stop the program with `kill` instead");
            std::future::pending::<()>().await;
        }
        eprintln!("Ctrl-C (SIGINT): stopping; the open connections may finish");
    };
    match cli::run(&args, stop).await {
        Ok(outcomes) => {
            println!("stopped after {} connections", outcomes.len());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
