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
        // BEGIN SOLUTION
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let stopping = Arc::new(AtomicBool::new(false));
        let main_thread = {
            let (counters, stopping) = (Arc::clone(&counters), Arc::clone(&stopping));
            thread::Builder::new()
                .name("acceptor".into())
                .spawn(move || accept_loop(listener, &counters, &stopping))?
        };
        let ask_to_stop = Box::new(move || {
            stopping.store(true, Ordering::SeqCst);
            // Wakes the acceptor from its blocking accept (see the module's doc).
            let _ = TcpStream::connect_timeout(&address, Duration::from_secs(1));
        });
        Ok(RunningServer::new(
            Model::ThreadPerConnection,
            address,
            counters,
            ask_to_stop,
            main_thread,
        ))
        // END SOLUTION
        // STUB: // TODO: start the server, as this module's comment and the doc comment say; the
        // STUB: // acceptor's loop, the code for one client and the way to stop are yours to design
        // STUB: // (private helpers below this `impl`). Think about: accept blocks, and no flag can
        // STUB: // wake it; the connection that wakes it is no client; a client that vanishes
        // STUB: // mid-echo, or a thread that cannot start, must still count as closed, exactly
        // STUB: // once; which counter to bump, and when (`Counters` in src/servers/counters.rs);
        // STUB: // the list of client threads must not grow for ever; once stopping, refuse new
        // STUB: // clients and wait at most `STOP_GRACE` for the open ones. `RunningServer::new`
        // STUB: // (src/servers/mod.rs) wants the stop request and the main thread. Read chapter 10,
        // STUB: // "Thread per connection: the kernel decides", and `std::net::TcpListener` and
        // STUB: // `std::thread::Builder` in the std docs. Stuck? `cargo xtask hint 10`.
        // STUB: todo!()
    }
}

// BEGIN SOLUTION
/// Accepts clients until asked to stop, a thread each; then waits for them.
fn accept_loop(listener: TcpListener, counters: &Arc<Counters>, stopping: &AtomicBool) {
    let mut clients: Vec<JoinHandle<()>> = Vec::new();
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        match stream {
            Ok(stream) => {
                counters.connection_opened();
                let for_client = Arc::clone(counters);
                match thread::Builder::new()
                    .name("client".into())
                    .spawn(move || serve_client(stream, &for_client))
                {
                    Ok(thread) => clients.push(thread),
                    // The stream went into the closure, which was dropped: the client
                    // sees its connection closed, and so must the counters.
                    Err(error) => {
                        eprintln!("cannot start a thread for a client: {error}");
                        counters.connection_closed();
                    }
                }
                // Join the threads whose client left, so the list does not grow for ever.
                join_finished(&mut clients);
            }
            Err(error) => {
                eprintln!("accept failed: {error}");
                thread::sleep(Duration::from_millis(10));
            }
        }
    }
    drop(listener); // new clients are refused from now on
    wait_for(clients, STOP_GRACE);
}

/// Joins the threads that have finished (at once: they have nothing left to
/// do), and keeps the others.
fn join_finished(threads: &mut Vec<JoinHandle<()>>) {
    let (finished, running): (Vec<_>, Vec<_>) =
        threads.drain(..).partition(|thread| thread.is_finished());
    *threads = running;
    for thread in finished {
        let _ = thread.join();
    }
}

/// Waits until every thread has finished, or `grace` has passed, and joins
/// those that finished (joining makes their counts visible to this thread).
fn wait_for(mut threads: Vec<JoinHandle<()>>, grace: Duration) {
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline && threads.iter().any(|thread| !thread.is_finished()) {
        thread::sleep(Duration::from_millis(5));
    }
    join_finished(&mut threads);
}

/// Echoes one client until it closes its side, or fails.
fn serve_client(mut stream: TcpStream, counters: &Counters) {
    let _open = OpenConnection(counters);
    let _ = stream.set_nodelay(true);
    let mut buffer = vec![0; BUFFER_SIZE];
    loop {
        let count = match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return, // the end of the stream, or a vanished client
            Ok(count) => count,
        };
        counters.read(count);
        if stream.write_all(&buffer[..count]).is_err() {
            return;
        }
        counters.wrote(count);
    }
}

/// Counts a connection as closed when dropped, however [`serve_client`] returns.
struct OpenConnection<'a>(&'a Counters);

impl Drop for OpenConnection<'_> {
    fn drop(&mut self) {
        self.0.connection_closed();
    }
}
// END SOLUTION
