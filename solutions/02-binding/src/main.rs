//! `lab02-binding ADDRESS:PORT [--hold]`: tries to listen on an address and
//! port, and says what it got or why it could not.
//!
//! All the work is in the library ([`lab02_binding::cli::run`]); this file
//! only reads the arguments, prints the result, holds the port when asked to,
//! and picks the exit code.

use std::net::TcpListener;
use std::process::ExitCode;
use std::thread;

use lab02_binding::cli;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let args = match cli::parse_args(&arguments) {
        Ok(args) => args,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match cli::run(&args) {
        Ok(listening) => {
            println!("{}", listening.report);
            if args.hold {
                println!("holding the port until you press Ctrl-C");
                hold(listening.listener);
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Keeps the listener, and so its port, until the program is stopped.
fn hold(listener: TcpListener) -> ! {
    let _kept = listener;
    loop {
        thread::park();
    }
}
