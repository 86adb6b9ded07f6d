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
    // STUB: // TODO: 1. `let site = Arc::new(Site::new(&root, listener.local_addr()?)?);`
    // STUB: //       2. `loop` over `listener.accept().await`: for `Ok((stream, peer))`,
    // STUB: //          `stream.set_nodelay(true)` (ignore its result), clone the `Arc`, and
    // STUB: //          `tokio::spawn` a task that awaits `handle_connection(stream, peer, site)` and prints
    // STUB: //          `{peer}: connection lost: {error}` on an error. For `Err(error)`, print it and
    // STUB: //          sleep 100 ms (`tokio::time::sleep`).
    // STUB: todo!()
}
