//! `lab13-packets`: captures the frames of one interface, or reads a capture back.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = lab13_packets::cli::Args::parse();
    match lab13_packets::cli::run(args, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lab13-packets: {error}");
            ExitCode::from(2)
        }
    }
}
