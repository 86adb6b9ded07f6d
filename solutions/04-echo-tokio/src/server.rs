//! The server: accept clients, one task each, until it is time to stop.
//!
//! A server has two kinds of sockets. The **listening socket**
//! ([`TcpListener`]) sits on `127.0.0.1:62893` and does only one thing: it
//! hands out new connections. Each call to [`TcpListener::accept`] returns one
//! **connected socket** ([`TcpStream`]) for one client, together with the
//! client's own address, such as `127.0.0.1:51234`: an ephemeral port its
//! operating system picked (chapter 1).
//!
//! **One task per connection.** If the accept loop echoed each client itself
//! (`echo(&mut stream).await` right there in the loop), it would not call
//! `accept` again until that client left: one client at a time, and everyone
//! else waiting. So each connection gets its own task, which echoes it while
//! the loop goes back to `accept`. A tokio task is cheap (a few hundred bytes
//! plus its buffer, against several megabytes of stack for a thread), so ten
//! thousand waiting clients are no problem.
//!
//! The tasks go into a [`JoinSet`], a set of tasks you can wait for. That is
//! what makes a **graceful shutdown** possible:
//!
//! ```text
//! loop {
//!     wait for whichever comes first:
//!         the shutdown signal    → leave the loop
//!         a new connection       → spawn a task into the JoinSet that echoes it
//! }
//! drop the listener          → no new connections: new clients are refused
//! wait for the JoinSet       → the connections already open finish normally
//! return the Summary
//! ```
//!
//! "Whichever comes first" is [`tokio::select!`]: it waits for several futures
//! at once, runs the branch of the first one that completes, and drops the
//! others. Dropping an `accept` that has not finished is harmless (tokio
//! documents it as *cancel safe*: no connection is lost).
//!
//! The shutdown signal is any future that completes when it is time to stop:
//! in the program it is "Ctrl-C was pressed" (see [`crate::signals`]), in the
//! tests it is a message on a channel. Dropping the listener closes the
//! listening socket: a client that connects afterwards gets "connection
//! refused", and one still waiting in the kernel's accept queue is reset.
//!
//! Careful: dropping a `JoinSet` *aborts* the tasks still in it. That is why
//! [`serve_with_limit`] waits for them (`join_next`) before it returns.
//! And while it runs, it takes the tasks that already ended out of the set
//! (`try_join_next`), so that a server that runs for months does not keep a
//! record of every connection it ever had.

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;

use tokio::io;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::echo::echo;
use crate::limit::{ConnectionLimit, Slot};

/// What a server did before it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// How many connections it accepted.
    pub connections: u64,
}

/// Shows the number of connections, e.g. `1 connection` or `3 connections`.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // BEGIN SOLUTION
        match self.connections {
            1 => write!(f, "1 connection"),
            count => write!(f, "{count} connections"),
        }
        // END SOLUTION
        // STUB: // TODO: as the comment above says; `main.rs` prints it after `stopped after serving `.
        // STUB: // Think about: 0, 1 and 3 connections (only one of them is singular). Read std's
        // STUB: // `fmt::Display` docs.
        // STUB: todo!()
    }
}

/// [`serve_with_limit`] with no connection limit.
pub async fn serve(listener: TcpListener, shutdown: impl Future<Output = ()>) -> Summary {
    // BEGIN SOLUTION
    serve_with_limit(listener, ConnectionLimit::unlimited(), shutdown).await
    // END SOLUTION
    // STUB: // TODO: as the doc comment says (one line, once `serve_with_limit` works).
    // STUB: todo!()
}

/// Echoes every client of `listener`, each in its own task, serving at most
/// `limit` clients at once, until `shutdown` completes.
///
/// Before each `accept`, it waits for a free slot of `limit`, so a client past
/// the limit waits in the kernel's accept queue until an earlier client leaves.
/// Each accepted connection is served in a task of its own, which logs
/// `PEER: connected`, [`echo`]es the stream, reports how that ended with
/// [`log_outcome`], and holds the client's slot for exactly as long as the
/// connection lasts.
///
/// When `shutdown` completes, it stops accepting and drops the listener (new
/// clients are refused), then waits for the connections already open to finish,
/// and returns how many connections it accepted. A failed `accept` is reported
/// by [`pause_after_accept_error`] and the loop goes on; a failed connection
/// ends that connection only.
pub async fn serve_with_limit(
    listener: TcpListener,
    limit: ConnectionLimit,
    shutdown: impl Future<Output = ()>,
) -> Summary {
    // BEGIN SOLUTION
    let mut shutdown = pin!(shutdown);
    let mut connections = JoinSet::new();
    let mut accepted = 0;
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            next = accept_within_limit(&listener, &limit) => match next {
                Ok((stream, peer, slot)) => {
                    accepted += 1;
                    connections.spawn(handle_connection(stream, peer, slot));
                }
                Err(error) => pause_after_accept_error(&error).await,
            },
        }
        // Forget the connections that already ended.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
    Summary {
        connections: accepted,
    }
    // END SOLUTION
    // STUB: // TODO: serve as the doc comment above says. The helpers between this loop and `echo` are
    // STUB: // yours to design (the stub has none): for example one that waits for a slot and then for a
    // STUB: // client, and one that serves a single connection in its task. Think about: 50 clients at
    // STUB: // once, the last one to connect speaking first; a shutdown with no client at all, and one
    // STUB: // while two clients are still talking (they finish before this returns, a new one is
    // STUB: // refused); a limit of 2 with a third and a fourth client waiting; a client that resets its
    // STUB: // connection mid-echo; an `accept` that fails; a server that runs for months (the tasks
    // STUB: // that ended must not pile up). Read this file's opening comment, chapter 4's "Many clients
    // STUB: // at once: one task each", "Too many clients: a semaphore" and "Stopping gracefully", and
    // STUB: // tokio's docs of `select!` (its cancellation safety) and `JoinSet`.
    // STUB: // Stuck? `cargo xtask hint 04`.
    // STUB: todo!()
}

// BEGIN SOLUTION
/// Waits for a free slot of `limit`, then for the next client of `listener`.
/// Returns the client's stream and address, and the slot it holds.
pub async fn accept_within_limit(
    listener: &TcpListener,
    limit: &ConnectionLimit,
) -> io::Result<(TcpStream, SocketAddr, Slot)> {
    let slot = limit.wait_for_slot().await;
    let (stream, peer) = listener.accept().await?;
    Ok((stream, peer, slot))
}

/// Serves one client: [`echo`]es its stream, then reports how it went with
/// [`log_outcome`].
///
/// It owns `_slot` until it returns, which keeps the client's place in the
/// connection limit for exactly as long as the connection lasts.
pub async fn handle_connection(mut stream: TcpStream, peer: SocketAddr, _slot: Slot) {
    eprintln!("{peer}: connected");
    let outcome = echo(&mut stream).await;
    log_outcome(peer, &outcome);
}

// END SOLUTION
// STUB: // Your helpers for `serve_with_limit` go here: see its TODO.

/// Prints on standard error how a connection ended: the bytes it echoed, or its error.
pub fn log_outcome(peer: SocketAddr, outcome: &io::Result<u64>) {
    // BEGIN SOLUTION
    match outcome {
        Ok(bytes) => eprintln!("{peer}: done, echoed {bytes} bytes"),
        Err(error) => eprintln!("{peer}: connection lost: {error}"),
    }
    // END SOLUTION
    // STUB: // TODO: one line on standard error, like `127.0.0.1:50118: done, echoed 6 bytes` or
    // STUB: // `127.0.0.1:50118: connection lost: Connection reset by peer (os error 104)` (the examples
    // STUB: // in `cli.rs`'s opening comment and in chapter 4's "When the client vanishes").
    // STUB: todo!()
}

/// How long the accept loop pauses after a failed `accept`.
pub const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Reports a failed `accept` and pauses a little before the next one.
///
/// Most `accept` errors concern one connection that failed before it could
/// be accepted: the next `accept` works. Some last a while: "too many open
/// files" (`EMFILE`) lasts until a connection closes. Trying again at once
/// would spin the loop at full speed; a short pause lets the server breathe.
pub async fn pause_after_accept_error(error: &io::Error) {
    // BEGIN SOLUTION
    eprintln!(
        "accept failed: {error}; trying again in {} ms",
        ACCEPT_ERROR_PAUSE.as_millis()
    );
    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
    // END SOLUTION
    // STUB: // TODO: as the doc comment says: say on standard error what failed, then pause for
    // STUB: // `ACCEPT_ERROR_PAUSE`. Think about: this runs in the accept loop, on threads that every
    // STUB: // connection's task shares, so the pause must let the other tasks run meanwhile. Read
    // STUB: // tokio's `time` module docs.
    // STUB: todo!()
}
