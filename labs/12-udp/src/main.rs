//! `lab12-udp`: a counter server over UDP, and a client that calls it.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = lab12_udp::cli::Args::parse();
    match lab12_udp::cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lab12-udp: {error}");
            ExitCode::from(2)
        }
    }
}
