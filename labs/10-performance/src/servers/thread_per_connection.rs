//! Thread per connection: blocking sockets, one operating-system thread per client.
//!
//! The oldest model, and the simplest to read: the code for one client is a
//! plain loop that reads and writes, and the *kernel* does the juggling. A
//! thread blocked in `read` is put to sleep by the scheduler and woken when
//! its client's bytes arrive; in the meantime the other threads run.
//!
//! ```text
//! acceptor thread:  loop { accept → spawn a thread for that client }
//! client thread:    loop { read (sleeps until bytes arrive) → write them back }
//! ```
//!
//! What it costs: each thread has its own stack (2 MiB of address space for a
//! Rust thread, of which only the pages touched become real memory), a kernel
//! task the scheduler must consider, and a context switch (saving one
//! thread's registers, loading another's, often a cold cache) every time the
//! CPU moves from one client to the next. With 50 clients that is nothing;
//! with 10 000 it starts to hurt. Apache's classic "prefork"/"worker" modules
//! and most databases' connection handling work like this.
//!
//! **Stopping a blocked `accept`.** The acceptor spends its life blocked in
//! `accept`, which no flag can interrupt. So [`RunningServer::stop`] sets the
//! flag and then *connects to the server itself*: `accept` returns that
//! connection, the acceptor sees the flag, and leaves its loop.
//!
//! **You write this server**, from [`ThreadPerConnection::start`]'s doc comment
//! and this comment: how the acceptor loops, what a client's thread does, and
//! how the server winds down are yours to design. The two other servers, given,
//! count with the same [`Counters`]: read them for how the counting goes.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::{BUFFER_SIZE, Counters, Model, RunningServer, STOP_GRACE};

/// The thread-per-connection echo server.
pub struct ThreadPerConnection;

impl ThreadPerConnection {
    /// Binds `127.0.0.1:0` and starts the acceptor thread.
    pub fn start() -> io::Result<RunningServer> {
        // TODO: start the server, as this module's comment and the doc comment say; the
        // acceptor's loop, the code for one client and the way to stop are yours to design
        // (private helpers below this `impl`). Think about: accept blocks, and no flag can
        // wake it; the connection that wakes it is no client; a client that vanishes
        // mid-echo, or a thread that cannot start, must still count as closed, exactly
        // once; which counter to bump, and when (`Counters` in src/servers/counters.rs);
        // the list of client threads must not grow for ever; once stopping, refuse new
        // clients and wait at most `STOP_GRACE` for the open ones. `RunningServer::new`
        // (src/servers/mod.rs) wants the stop request and the main thread. Read chapter 10,
        // "Thread per connection: the kernel decides", and `std::net::TcpListener` and
        // `std::thread::Builder` in the std docs. Stuck? `cargo xtask hint 10`.
        todo!()
    }
}
