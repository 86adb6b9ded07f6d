//! Three echo servers, one per concurrency model.
//!
//! They all speak the protocol of lab 04 (RFC 862: every byte received is
//! sent back, until the client closes), and differ only in *how* one process
//! serves many connections at once:
//!
//! - [`ThreadPerConnection`]: blocking sockets, one operating-system thread per
//!   client. The kernel's scheduler does the juggling: a thread blocked in
//!   `read` sleeps until its client sends something.
//! - [`MioEventLoop`]: non-blocking sockets and one thread that asks the kernel
//!   (`epoll` on Linux) which sockets are ready, then serves exactly those. The
//!   juggling is in the program: a loop over readiness events (lab 06).
//! - [`Tokio`]: the same readiness events, hidden behind `async fn`s. Each
//!   client is a task; a few worker threads (one per core) run whichever tasks
//!   can make progress (lab 04).
//!
//! Each starts on `127.0.0.1:0` (a free port chosen by the kernel), runs on
//! threads of its own, counts what it does in [`Counters`], and stops when you
//! call [`RunningServer::stop`], which returns the final [`ServerStats`].
//!
//! **Why the counters matter.** A load generator claims "N requests, B bytes".
//! The server's own counters are the independent witness: every byte the
//! generator says it received, the server must have written, and vice versa.
//! An echo server sees bytes, not requests (TCP carries a stream, chapter 4),
//! so it counts bytes: with M-byte messages, N requests make N × M bytes.
//!
//! The three servers also turn off Nagle's algorithm (`TCP_NODELAY`) on every
//! connection, so that a small echo leaves at once: we measure the models, not
//! a 40 ms wait of TCP's (see the chapter).
//!
//! **What you write here.** The thread-per-connection server, whole, helpers
//! and all ([`ThreadPerConnection::start`]); the tokio server's loop for one
//! client; and the mio event loop's handlers (accepting, taking a client in,
//! moving a client on after an event). This module, [`Counters`], and the way
//! each server starts and stops are given: read them first.

mod counters;
mod mio_event_loop;
mod thread_per_connection;
mod tokio_runtime;

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub use counters::{Counters, ServerStats};
pub use mio_event_loop::MioEventLoop;
pub use thread_per_connection::ThreadPerConnection;
pub use tokio_runtime::Tokio;

/// The size of the buffer each connection reads into, in every model: 16 KiB.
pub const BUFFER_SIZE: usize = 16 * 1024;

/// How long [`RunningServer::stop`] waits for the open connections to end.
///
/// A load generator closes its connections before it stops the server, so
/// they are normally all gone already; the grace period only bounds the wait
/// for a client that never leaves.
pub const STOP_GRACE: Duration = Duration::from_secs(5);

/// The three concurrency models, in the order the comparison shows them:
/// the first one is the baseline the others are compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Model {
    ThreadPerConnection,
    MioEventLoop,
    Tokio,
}

impl Model {
    /// Every model, baseline first.
    pub const ALL: [Model; 3] = [
        Model::ThreadPerConnection,
        Model::MioEventLoop,
        Model::Tokio,
    ];

    /// The model's name in tables and on the command line's output.
    pub fn name(self) -> &'static str {
        match self {
            Model::ThreadPerConnection => "thread-per-connection",
            Model::MioEventLoop => "mio event loop",
            Model::Tokio => "tokio",
        }
    }

    /// Starts a server of this model on `127.0.0.1:0`.
    pub fn start(self) -> io::Result<RunningServer> {
        match self {
            Model::ThreadPerConnection => ThreadPerConnection::start(),
            Model::MioEventLoop => MioEventLoop::start(),
            Model::Tokio => Tokio::start(),
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A server running on threads of its own. Stop it with [`stop`](RunningServer::stop);
/// dropping it without stopping leaves its threads running until the process ends.
pub struct RunningServer {
    model: Model,
    address: SocketAddr,
    counters: Arc<Counters>,
    /// Tells the server's main thread to stop accepting and wind down.
    ask_to_stop: Box<dyn FnOnce() + Send>,
    /// The server's main thread: it returns once the open connections have
    /// ended, or after [`STOP_GRACE`].
    main_thread: JoinHandle<()>,
}

impl RunningServer {
    /// Used by each model's `start`.
    fn new(
        model: Model,
        address: SocketAddr,
        counters: Arc<Counters>,
        ask_to_stop: Box<dyn FnOnce() + Send>,
        main_thread: JoinHandle<()>,
    ) -> RunningServer {
        RunningServer {
            model,
            address,
            counters,
            ask_to_stop,
            main_thread,
        }
    }

    pub fn model(&self) -> Model {
        self.model
    }

    /// Where the server listens: `127.0.0.1` and the port the kernel chose.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The counters right now, while the server runs. A connection's last
    /// bytes may still be on their way: for exact figures, use what
    /// [`stop`](RunningServer::stop) returns.
    pub fn stats(&self) -> ServerStats {
        self.counters.snapshot()
    }

    /// Stops accepting (new clients are refused), waits for the open
    /// connections to end (at most [`STOP_GRACE`]), and returns the final counters.
    ///
    /// This blocks the calling thread until the server has stopped. From
    /// async code, call it inside `tokio::task::spawn_blocking`.
    pub fn stop(self) -> ServerStats {
        (self.ask_to_stop)();
        if self.main_thread.join().is_err() {
            eprintln!("{}: the server's main thread panicked", self.model);
        }
        self.counters.snapshot()
    }
}
