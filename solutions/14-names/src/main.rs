//! `lab14-names`: looks a name up in a DNS server, in /etc/hosts, or through the system.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = lab14_names::cli::Args::parse();
    match lab14_names::cli::run(args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("lab14-names: {error}");
            ExitCode::from(2)
        }
    }
}
