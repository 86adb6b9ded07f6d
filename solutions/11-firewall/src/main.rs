//! `lab11-firewall`: writes a ruleset from a policy, or says which rule decides a port.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = lab11_firewall::cli::Args::parse();
    match lab11_firewall::cli::run(args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("lab11-firewall: {error}");
            ExitCode::from(2)
        }
    }
}
