//! The program: `cargo run -p lab07-web-server -- --listen 127.0.0.1:62893 --root site`.
//!
//! Like every development server, it prints where to point the browser:
//!
//! ```text
//! $ cargo run -p lab07-web-server -- --root site
//! listening on http://127.0.0.1:62893/
//! serving the files of /home/ada/site
//! 127.0.0.1:50118 "GET / HTTP/1.1" 200 881
//! 127.0.0.1:50118 "GET /api/status HTTP/1.1" 200 42
//! 127.0.0.1:50118 "GET /favicon.ico HTTP/1.1" 404 36
//! ```
//!
//! The URL goes to standard output, the rest to standard error, so a script can read
//! the first line and nothing else. With `--listen 127.0.0.1:0` the operating system
//! picks a free port, and the URL has the port it picked (chapter 4).
//!
//! **Which address?** `127.0.0.1` is the loopback interface: only programs on this
//! machine can connect, which is what a development server wants. `0.0.0.0` means
//! *every* interface: anyone who can reach the machine (the office network, the
//! café's Wi-Fi, sometimes the internet) can then read every file of the site folder,
//! and every bug of the server is theirs to try. The program warns when asked for it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Parser;
use tokio::io;
use tokio::net::TcpListener;

use crate::server::serve;

/// The address the program listens on when `--listen` is not given.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:62893";

/// A small HTTP/1.1 server for local web development: a home page, a JSON endpoint
/// (/api/status), and the files of a folder. Stop it with Ctrl-C.
#[derive(Debug, Clone, Parser)]
#[command(name = "lab07-web-server", version)]
pub struct Args {
    /// Where to listen: an IP address and a port, like 127.0.0.1:62893 or [::1]:8080.
    /// Port 0 asks the operating system for any free port.
    #[arg(long, value_name = "ADDRESS:PORT", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,

    /// The folder whose files are served.
    #[arg(long, value_name = "FOLDER", default_value = ".")]
    pub root: PathBuf,
}

/// Checks the site folder, binds `args.listen`, [`announce`]s the address it got, and
/// [`serve`]s until the program is stopped.
///
/// Errors, as text for the user: a site folder that cannot be opened
/// ([`root_error_message`]), an address that cannot be bound ([`listen_error_message`]).
pub async fn run(args: &Args) -> Result<(), String> {
    // BEGIN SOLUTION
    let root = std::fs::canonicalize(&args.root)
        .map_err(|error| root_error_message(&args.root, &error))?;
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|error| listen_error_message(args.listen, &error))?;
    let address = listener
        .local_addr()
        .map_err(|error| listen_error_message(args.listen, &error))?;
    announce(address, &root);
    serve(listener, root.clone())
        .await
        .map_err(|error| root_error_message(&root, &error))
    // END SOLUTION
    // STUB: // TODO: the program, as the doc comment says. Think about: `--listen 127.0.0.1:0` (announce the
    // STUB: // port the system gave, never port 0); a site folder that does not exist; a port another
    // STUB: // program holds; which errors get which message. Read chapter 7, "Step 8: the program",
    // STUB: // chapter 2 (port 0), and the tokio docs of `TcpListener`. Stuck? `cargo xtask hint 07`.
    // STUB: todo!()
}

/// Prints `listening on http://127.0.0.1:43917/` on standard output, and on standard
/// error the folder served, and a warning when the address is not a loopback one.
pub fn announce(address: SocketAddr, root: &Path) {
    println!("listening on http://{address}/");
    eprintln!("serving the files of {}", root.display());
    if !address.ip().is_loopback() {
        eprintln!(
            "warning: {} is not a loopback address: other machines may connect, and read \
             every file of {}",
            address.ip(),
            root.display()
        );
    }
}

/// The error text for a site folder that cannot be served.
pub fn root_error_message(root: &Path, error: &io::Error) -> String {
    format!("cannot serve the files of {}: {error}", root.display())
}

/// The error text for an address that cannot be bound, with what to try next.
pub fn listen_error_message(address: SocketAddr, error: &io::Error) -> String {
    let advice = match error.kind() {
        io::ErrorKind::AddrInUse => {
            ": another program already listens on this port (`ss -ltnp` shows which); \
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
