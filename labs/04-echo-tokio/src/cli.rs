//! The program: `cargo run -p lab04-echo-tokio -- --listen 127.0.0.1:62893`.
//!
//! A server program does three things in order: it **binds** a listening
//! socket to an address and a port, it **announces** where it listens, and it
//! **serves** until it is told to stop.
//!
//! Binding can fail, and the reasons are worth a clear message:
//!
//! - *Address already in use* (`EADDRINUSE`): another socket already listens
//!   on that port. `ss -ltnp` shows which program.
//! - *Permission denied* (`EACCES`): on Linux, ports below 1024 are reserved
//!   to privileged programs.
//! - *Cannot assign requested address* (`EADDRNOTAVAIL`): this machine has no
//!   such address, like `--listen 192.0.2.1:62893`.
//!
//! Announcing has one trap. With `--listen 127.0.0.1:0` you ask for port 0,
//! which means "any free port" (chapter 1); the port you *get* is only known
//! after binding, from [`TcpListener::local_addr`]. Print that, not what was
//! asked: `listening on 127.0.0.1:0` would tell nobody where to connect. Tests
//! and scripts use port 0 all the time, precisely so that two runs never fight
//! over the same port, and read the address the program prints.
//!
//! ```text
//! $ cargo run -p lab04-echo-tokio -- --listen 127.0.0.1:0
//! listening on 127.0.0.1:43917
//! 127.0.0.1:50118: connected
//! 127.0.0.1:50118: done, echoed 6 bytes
//! ^CCtrl-C (SIGINT): stopping; the open connections may finish (press Ctrl-C again to quit at once)
//! stopped after serving 1 connection
//! ```
//!
//! The address goes to standard output, the log of connections to standard
//! error: a script can read the first line of output and nothing else.

use std::future::Future;
use std::net::SocketAddr;
use std::num::NonZeroUsize;

use clap::Parser;
use tokio::io;
use tokio::net::TcpListener;

use crate::limit::ConnectionLimit;
use crate::server::{Summary, serve_with_limit};

/// The address the program listens on when `--listen` is not given.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:62893";

/// An echo server: it sends every byte it receives back to its sender
/// (RFC 862). Stop it with Ctrl-C.
#[derive(Debug, Clone, Parser)]
#[command(name = "lab04-echo-tokio", version)]
pub struct Args {
    /// Where to listen: an IP address and a port, like 127.0.0.1:62893 or [::1]:7007.
    /// Port 0 asks the operating system for any free port.
    #[arg(long, value_name = "ADDRESS:PORT", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,

    /// Serve at most N clients at once; the others wait until one leaves.
    #[arg(long, value_name = "N")]
    pub max_connections: Option<NonZeroUsize>,
}

/// Binds `args.listen`, announces the address it actually got, and serves
/// (with `args.max_connections` as the limit) until `shutdown` completes.
///
/// The announcement is [`announce`] with the listener's
/// [`local_addr`](TcpListener::local_addr), which holds the real port when
/// `args.listen` asked for port 0. Returns what the server did, or, when the
/// address cannot be bound, [`listen_error_message`].
pub async fn run(args: &Args, shutdown: impl Future<Output = ()>) -> Result<Summary, String> {
    // TODO: bind, announce, serve, as the doc comment above says. Think about:
    // `--listen 127.0.0.1:0` (the port you asked for is not the port you got); a port that another
    // socket already holds (the error must come back as `listen_error_message`'s text, in `Err`,
    // not be printed or panicked on); `--max-connections` given or not; the `shutdown` future
    // from `main.rs`, which must reach the accept loop. Read this file's opening comment and
    // tokio's `TcpListener` docs. Stuck? `cargo xtask hint 04`.
    todo!()
}

/// Prints the line that says where the server listens, `listening on 127.0.0.1:43917`,
/// on standard output.
pub fn announce(address: SocketAddr) {
    // TODO: the line the doc comment shows. The tests read it to learn your port.
    todo!()
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
