//! The server: accept connections, one task each.
//!
//! The accept loop is the one of chapter 4: the listening socket hands out one
//! connected socket per client, and each connection gets a task of its own, so that a
//! slow client (or a browser that keeps six idle connections open, as browsers do)
//! never holds up the others. What is new is what the tasks share: one [`Site`], in an
//! [`Arc`], with the site folder, the server's own address and the count of requests,
//! which `/api/status` reports.
//!
//! The address comes from the listener itself ([`TcpListener::local_addr`]): with
//! `127.0.0.1:0` the operating system picks the port, and only the listener knows
//! which one it picked.
//!
//! Each accepted stream gets `set_nodelay(true)`, which turns off Nagle's algorithm
//! (RFC 896): a response goes out at once, even when the one before it on the
//! connection has not been acknowledged yet, which is what pipelined requests need.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::io;
use tokio::net::TcpListener;

use crate::connection::handle_connection;
use crate::routes::Site;

/// Serves the site folder `root` to every client of `listener`, each connection in a
/// task of its own ([`handle_connection`]), until the program ends.
///
/// Returns only when it cannot start: `root` does not exist ([`Site::new`]), or the
/// listener has no address. A connection that fails is reported on standard error
/// (`127.0.0.1:50118: connection lost: …`), and the others go on; a failed `accept`
/// is reported too, and the loop pauses 100 ms before the next one.
pub async fn serve(listener: TcpListener, root: PathBuf) -> io::Result<()> {
    // BEGIN SOLUTION
    let site = Arc::new(Site::new(&root, listener.local_addr()?)?);
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                let site = Arc::clone(&site);
                tokio::spawn(async move {
                    if let Err(error) = handle_connection(stream, peer, site).await {
                        eprintln!("{peer}: connection lost: {error}");
                    }
                });
            }
            Err(error) => {
                eprintln!("accept failed: {error}; trying again in 100 ms");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    // END SOLUTION
    // STUB: // TODO: accept connections for ever, each served by a task of its own, as the doc comment says.
    // STUB: // Think about: what every task shares (one `Site`, made once, with the listener's real
    // STUB: // address); a connection that fails (report it, the others go on); an `accept` that fails
    // STUB: // (report it, pause, go on); Nagle's algorithm and pipelined responses (the module's
    // STUB: // documentation). Read chapter 4's accept loop, and the docs of `tokio::spawn` and
    // STUB: // `std::sync::Arc`. Stuck? `cargo xtask hint 07`.
    // STUB: todo!()
}
