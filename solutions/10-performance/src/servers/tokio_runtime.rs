//! tokio: an event loop you do not write, and one task per connection.
//!
//! The code reads like thread per connection (a loop that reads and writes
//! for one client), but `read().await` does not block a thread: when nothing
//! has arrived, the *task* is parked and its thread goes on with another task.
//! Underneath, tokio runs the event loop of [`super::MioEventLoop`] (it is
//! built on mio): when `epoll` says a socket is ready, the task waiting on it
//! is woken and scheduled again.
//!
//! The multi-threaded runtime runs one worker thread per core, and a worker
//! with nothing to do *steals* tasks from the others' queues: the many-clients
//! economy of an event loop, on every core. A task costs a few hundred bytes
//! plus its buffer.
//!
//! The runtime lives on a thread of its own, started by [`Tokio::start`], and
//! is dropped there when the server stops: that lets a test or a program start
//! and stop this server from anywhere, inside another runtime or not.
//!
//! You write `serve_client`, the loop for one client; the rest is given.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use super::{BUFFER_SIZE, Counters, Model, RunningServer, STOP_GRACE};

/// The tokio echo server.
pub struct Tokio;

impl Tokio {
    /// Binds `127.0.0.1:0` and starts a multi-threaded runtime serving it, on a thread of its own.
    pub fn start() -> io::Result<RunningServer> {
        let listener = std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let address = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("tokio-server")
            .build()?;
        let counters = Arc::new(Counters::default());
        let (stop, stop_requested) = oneshot::channel::<()>();
        let main_thread = {
            let counters = Arc::clone(&counters);
            thread::Builder::new()
                .name("tokio-runtime".into())
                .spawn(move || {
                    runtime.block_on(serve(listener, counters, stop_requested));
                    // The runtime is dropped here, on its own thread: any connection
                    // still open after the grace period is cut.
                })?
        };
        let ask_to_stop = Box::new(move || {
            let _ = stop.send(());
        });
        Ok(RunningServer::new(
            Model::Tokio,
            address,
            counters,
            ask_to_stop,
            main_thread,
        ))
    }
}

/// Accepts clients, a task each, until asked to stop; then waits for them (at most [`STOP_GRACE`]).
async fn serve(
    listener: std::net::TcpListener,
    counters: Arc<Counters>,
    mut stop_requested: oneshot::Receiver<()>,
) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot use the listener with tokio: {error}");
            return;
        }
    };
    let mut clients = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop_requested => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    counters.connection_opened();
                    clients.spawn(serve_client(stream, Arc::clone(&counters)));
                }
                Err(error) => {
                    eprintln!("accept failed: {error}");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
            },
        }
        while clients.try_join_next().is_some() {}
    }
    drop(listener); // new clients are refused from now on
    let all_ended = async { while clients.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(STOP_GRACE, all_ended).await;
}

/// Echoes one client until it closes its side, or fails.
async fn serve_client(mut stream: TcpStream, counters: Arc<Counters>) {
    // BEGIN SOLUTION
    let _ = stream.set_nodelay(true);
    let mut buffer = vec![0; BUFFER_SIZE];
    loop {
        let count = match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => break, // the end of the stream, or a vanished client
            Ok(count) => count,
        };
        counters.read(count);
        if stream.write_all(&buffer[..count]).await.is_err() {
            break;
        }
        counters.wrote(count);
    }
    counters.connection_closed();
    // END SOLUTION
    // STUB: // TODO: echo this client, as the doc comment says, counting in `counters` what moved
    // STUB: // (its methods' doc comments in src/servers/counters.rs). Think about: the end of the
    // STUB: // stream; a client that vanishes (an error is an end too, not a panic); a write that
    // STUB: // fails; a byte counted as written only once it was; the connection counted as closed
    // STUB: // however the loop ends (`serve` counted it as opened). Nagle's algorithm: chapter 10,
    // STUB: // "Benchmarking honestly on loopback". This is lab 04's echo loop: chapter 4, "TCP
    // STUB: // carries bytes, not messages" and "When the client vanishes". Stuck? `cargo xtask hint 10`.
    // STUB: todo!()
}
