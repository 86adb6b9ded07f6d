//! The command-line program: `cargo run -p lab02-binding -- 127.0.0.1:8080`.
//!
//! It tries to listen on the address you give it, says what it got, and
//! exits. With `--hold` it keeps the port until you press Ctrl-C, so that you
//! can start it again in a second terminal and read the diagnosis:
//!
//! ```text
//! $ cargo run -p lab02-binding -- 127.0.0.1:0
//! listening on 127.0.0.1:41267: you asked for port 0, so the OS chose port 41267
//! $ cargo run -p lab02-binding -- 127.0.0.1:8080 --hold        (first terminal)
//! listening on 127.0.0.1:8080
//! holding the port until you press Ctrl-C
//! $ cargo run -p lab02-binding -- 127.0.0.1:8080               (second terminal)
//! error: cannot listen on 127.0.0.1:8080: the address is already in use (EADDRINUSE).
//! Process 4242 (lab02-binding) is listening on it. Stop that program (`kill 4242`) …
//! ```
//!
//! As in lab 01, the work is a plain function, [`run`], that tests can call
//! without starting a process; `main.rs` prints what it returns, holds the
//! port when asked to, and picks the exit code: 0 when listening worked, 1
//! when it did not, 2 when the command line itself is wrong.

use std::net::{SocketAddr, TcpListener};
// BEGIN SOLUTION

use crate::diagnosis::listen_or_explain;
// END SOLUTION

/// How to use the program, shown when the command line is wrong.
pub const USAGE: &str = "usage: lab02-binding ADDRESS:PORT [--hold]
  Tries to listen on ADDRESS:PORT and says what happened; port 0 asks the OS for any free port.
  --hold   keep the port until Ctrl-C
examples: lab02-binding 127.0.0.1:8080
          lab02-binding '[::1]:0' --hold";

/// What the command line asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Args {
    /// The address and port to listen on.
    pub address: SocketAddr,
    /// Whether to keep the port until Ctrl-C (`--hold`).
    pub hold: bool,
}

/// Reads the arguments that follow the program's name: one address and
/// port, and optionally `--hold`, in any order. The error is the text to show.
pub fn parse_args(arguments: &[String]) -> Result<Args, String> {
    let hold = arguments.iter().any(|argument| argument == "--hold");
    let rest: Vec<&String> = arguments
        .iter()
        .filter(|argument| *argument != "--hold")
        .collect();
    let [address] = rest[..] else {
        return Err(USAGE.to_string());
    };
    let address = address.parse().map_err(|_| {
        format!(
            "{address:?} is not an IP address and port, like 127.0.0.1:8080 or [::1]:8080 \
             (a name such as localhost must be resolved to an address first)\n{USAGE}"
        )
    })?;
    Ok(Args { address, hold })
}

/// A listener and the line that reports it.
#[derive(Debug)]
pub struct Listening {
    /// The listener, holding its port for as long as it lives.
    pub listener: TcpListener,
    /// What to print: [`bound_message`] for the address asked for and the one bound.
    pub report: String,
}

/// Listens on `args.address`.
///
/// On success: the listener, and the [`bound_message`] comparing the address
/// asked for with the address the listener really got (its `local_addr()`,
/// which has the real port when port 0 was asked for).
///
/// On failure: the text of the [diagnosis](crate::diagnosis::BindError) that
/// [`diagnosis::listen_or_explain`](crate::diagnosis::listen_or_explain) returns, so `main`
/// prints `error: cannot listen on …: the address is already in use …`.
pub fn run(args: &Args) -> Result<Listening, String> {
    // BEGIN SOLUTION
    let listener = listen_or_explain(args.address).map_err(|error| error.to_string())?;
    let bound = listener.local_addr().map_err(|error| error.to_string())?;
    Ok(Listening {
        listener,
        report: bound_message(args.address, bound),
    })
    // END SOLUTION
    // STUB: // TODO: listen on `args.address` and report it, as the doc comment says. Think about: port 0
    // STUB: // (the report names the port the OS chose, not 0); a failure comes back as the diagnosis's
    // STUB: // message for a person, not as `Debug` output, so that `main` prints it after `error: `.
    // STUB: // Read chapter 2, "Step 9: `cli.rs`, the program". Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}

/// The line for a successful bind: `listening on 127.0.0.1:8080`, and when
/// port 0 was asked for, which port the OS chose:
/// `listening on 127.0.0.1:41267: you asked for port 0, so the OS chose port 41267`.
pub fn bound_message(requested: SocketAddr, bound: SocketAddr) -> String {
    // BEGIN SOLUTION
    if requested.port() == 0 {
        format!(
            "listening on {bound}: you asked for port 0, so the OS chose port {}",
            bound.port()
        )
    } else {
        format!("listening on {bound}")
    }
    // END SOLUTION
    // STUB: // TODO: the line the doc comment shows, word for word, in its two forms. Think about: which
    // STUB: // address is printed (the one the listener got) and which decides the form (the port that was
    // STUB: // asked for). Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}
