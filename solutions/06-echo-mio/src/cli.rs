//! The program: `cargo run -p lab06-echo-mio -- --listen 127.0.0.1:62893`.
//!
//! The same program as lab 04's, from the outside: the same options, the same
//! output, the same messages. It **binds** a listening socket, **announces** the
//! address it got (with the real port when it asked for port 0), and **serves**
//! until it is told to stop:
//!
//! ```text
//! $ cargo run -p lab06-echo-mio -- --listen 127.0.0.1:0
//! listening on 127.0.0.1:43917
//! 127.0.0.1:50118: connected
//! 127.0.0.1:50118: done, echoed 6 bytes
//! ^Cstop signal (Ctrl-C or SIGTERM): stopping; the open connections may finish (press Ctrl-C again to quit at once)
//! stopped after serving 1 connection
//! ```
//!
//! Inside, there is one more step between binding and serving: the Ctrl-C
//! handler needs the server's [`StopHandle`](crate::server::StopHandle), so it
//! is installed once the server exists, and before the address is announced (a
//! script that reads the address may press Ctrl-C at once).
//!
//! The address goes to standard output, the log of connections to standard
//! error: a script can read the first line of output and nothing else.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::num::NonZeroUsize;

use clap::Parser;

use crate::server::{EchoServer, Summary};
use crate::signals::stop_on_signal;

/// The address the program listens on when `--listen` is not given.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:62893";

/// An echo server on a hand-written mio event loop: it sends every byte it
/// receives back to its sender (RFC 862). Stop it with Ctrl-C.
#[derive(Debug, Clone, Parser)]
#[command(name = "lab06-echo-mio", version)]
pub struct Args {
    /// Where to listen: an IP address and a port, like 127.0.0.1:62893 or [::1]:7007.
    /// Port 0 asks the operating system for any free port.
    #[arg(long, value_name = "ADDRESS:PORT", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,

    /// Serve at most N clients at once; the others wait until one leaves.
    #[arg(long, value_name = "N")]
    pub max_connections: Option<NonZeroUsize>,
}

/// Binds `args.listen`, makes an [`EchoServer`] on it (with `args.max_connections`
/// as the limit), stops it on Ctrl-C ([`stop_on_signal`]), announces the address
/// it actually got, and runs it until it is stopped.
///
/// Returns what the server did, or a message: [`listen_error_message`] when the
/// address cannot be bound, or what else went wrong.
pub fn run(args: &Args) -> Result<Summary, String> {
    // BEGIN SOLUTION
    let listener = TcpListener::bind(args.listen)
        .map_err(|error| listen_error_message(args.listen, &error))?;
    let server = EchoServer::new(listener, args.max_connections)
        .map_err(|error| format!("cannot start the event loop: {error}"))?;
    stop_on_signal(server.stop_handle())
        .map_err(|error| format!("cannot watch for Ctrl-C: {error}"))?;
    let address = server
        .local_addr()
        .map_err(|error| listen_error_message(args.listen, &error))?;
    announce(address);
    server
        .run()
        .map_err(|error| format!("the event loop failed: {error}"))
    // END SOLUTION
    // STUB: // TODO: as the doc comment says, in that order. Think about: port 0 (announce the
    // STUB: // port you got, not the one you asked for); an address already in use (the message
    // STUB: // of `listen_error_message`); why the Ctrl-C handler comes before the announcement
    // STUB: // (the module comment says); an error of each step as a message that says which step
    // STUB: // failed. Read chapter 6, "Stopping: a Waker", and `signals.rs`.
    // STUB: // Stuck? `cargo xtask hint 06`.
    // STUB: todo!()
}

/// Prints the line that says where the server listens, `listening on 127.0.0.1:43917`,
/// on standard output.
pub fn announce(address: SocketAddr) {
    println!("listening on {address}");
}

/// The error text for an address that cannot be bound, with what to try next, e.g.
/// `cannot listen on 127.0.0.1:62893: Address already in use (os error 98): …`.
pub fn listen_error_message(address: SocketAddr, error: &io::Error) -> String {
    let advice = match error.kind() {
        io::ErrorKind::AddrInUse => {
            ": another socket already listens on this port (`ss -ltnp` shows which program); \
             pick another port, or port 0 for any free one"
        }
        io::ErrorKind::PermissionDenied => {
            ": ports below 1024 need privileges on Linux; pick a port from 1024 up"
        }
        io::ErrorKind::AddrNotAvailable => {
            ": this machine has no such address; try 127.0.0.1 (see `ip addr`)"
        }
        _ => "",
    };
    format!("cannot listen on {address}: {error}{advice}")
}
