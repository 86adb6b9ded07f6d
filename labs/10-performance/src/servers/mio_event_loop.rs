//! An event loop: non-blocking sockets, one thread, and `epoll` through mio.
//!
//! Here no call ever blocks on one client. Every socket is *non-blocking*: a
//! `read` with nothing to read returns the error `WouldBlock` at once instead
//! of sleeping. The one place the thread sleeps is [`Poll::poll`], which asks
//! the kernel (`epoll_wait` on Linux, `kqueue` on the BSDs and macOS) "which of
//! my sockets are ready?" and sleeps until at least one is. Then the loop
//! serves exactly those, and polls again:
//!
//! ```text
//! loop {
//!     poll → a list of (token, readable?, writable?)
//!     for each event:
//!         the listener  → accept every waiting client, register it
//!         a client      → read and write until WouldBlock
//! }
//! ```
//!
//! One thread, no context switches between clients, and a client costs only
//! its buffer and a few words of state: this is how nginx, Redis and Node.js
//! serve tens of thousands of connections. The price is in the code: the state
//! of each client (the bytes read but not yet written back) lives in a struct,
//! not on a thread's stack, and the loop must never block. And one thread uses
//! one core: a busy event loop cannot use a second core (nginx runs one loop
//! per core for that reason).
//!
//! mio's events are **edge-triggered**: an event says "this socket *became*
//! ready", once. So each client is read and written until `WouldBlock`, or the
//! rest would wait for an event that never comes. Each client is registered
//! for both `READABLE` and `WRITABLE` once and for all, and every event simply
//! drives the client as far as it can go ([`Client::drive`]): with edge
//! triggering, a `WRITABLE` interest costs nothing while the socket stays
//! writable.
//!
//! Lab 06 builds such a server step by step; this one is the same idea, small.
//! You write the handlers the loop calls (`accept_clients`, `add_client`,
//! `drive_client`) and [`Client::drive`]; starting, the loop itself and
//! stopping are given.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};

use super::{BUFFER_SIZE, Counters, Model, RunningServer, STOP_GRACE};

/// The token of the listening socket.
const LISTENER: Token = Token(0);
/// The token of the [`Waker`] that asks the loop to stop.
const STOP: Token = Token(1);
/// Clients get the tokens from here on, one number each, never reused.
const FIRST_CLIENT: usize = 2;

/// The mio event-loop echo server.
pub struct MioEventLoop;

impl MioEventLoop {
    /// Binds `127.0.0.1:0`, registers the listener and a waker, and starts the loop's thread.
    pub fn start() -> io::Result<RunningServer> {
        let mut listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let address = listener.local_addr()?;
        let poll = Poll::new()?;
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)?;
        let waker = Arc::new(Waker::new(poll.registry(), STOP)?);
        let counters = Arc::new(Counters::default());
        let event_loop = EventLoop {
            poll,
            _waker: Arc::clone(&waker),
            listener: Some(listener),
            clients: HashMap::new(),
            next_token: FIRST_CLIENT,
            counters: Arc::clone(&counters),
        };
        let main_thread = thread::Builder::new()
            .name("event-loop".into())
            .spawn(move || event_loop.run())?;
        let ask_to_stop = Box::new(move || {
            if let Err(error) = waker.wake() {
                eprintln!("cannot wake the event loop: {error}");
            }
        });
        Ok(RunningServer::new(
            Model::MioEventLoop,
            address,
            counters,
            ask_to_stop,
            main_thread,
        ))
    }
}

/// Everything the loop's thread owns.
struct EventLoop {
    poll: Poll,
    /// Kept as long as the loop runs: dropping the last handle of a waker
    /// closes it, and a wake-up not yet read would be lost with it.
    _waker: Arc<Waker>,
    /// `None` once stopping: the listener is closed.
    listener: Option<TcpListener>,
    clients: HashMap<Token, Client>,
    next_token: usize,
    counters: Arc<Counters>,
}

impl EventLoop {
    /// Serves until stopped; then serves the open connections until they end
    /// or [`STOP_GRACE`] has passed.
    fn run(mut self) {
        let mut events = Events::with_capacity(1024);
        let mut stop_deadline: Option<Instant> = None;
        loop {
            let timeout = match stop_deadline {
                None => None,
                Some(_) if self.clients.is_empty() => return,
                Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                    Some(left) => Some(left),
                    None => return, // the grace period is over: drop whoever is left
                },
            };
            if let Err(error) = self.poll.poll(&mut events, timeout) {
                if error.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                eprintln!("the event loop's poll failed: {error}");
                return;
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept_clients(),
                    STOP => {
                        self.stop_listening();
                        stop_deadline.get_or_insert(Instant::now() + STOP_GRACE);
                    }
                    token => self.drive_client(token),
                }
            }
        }
    }

    /// Accepts every client waiting in the accept queue (until `WouldBlock`).
    fn accept_clients(&mut self) {
        // TODO: accept, as the doc comment says; `add_client` (yours too) takes each new
        // client in. Think about: one event for several clients that arrived together
        // (edge-triggered); a listener already closed because the server is stopping; a
        // client that gave up before it was accepted is no reason to stop accepting, but
        // other errors are. Read this module's comment, and chapter 6, "Edge-triggered: do
        // everything you can, until `WouldBlock`" and "Accepting, and the connection limit".
        // Stuck? `cargo xtask hint 10`.
        todo!()
    }

    /// Takes a new client in: registers it for reading and writing under a token
    /// of its own (never one used before), counts it as opened, and keeps it.
    fn add_client(&mut self, mut stream: TcpStream) -> io::Result<()> {
        // TODO: take the client in, as the doc comment says. Think about: which events a
        // client needs, once and for all (this module's comment); a registration that fails
        // is the caller's error to log, and such a client was never opened; small echoes and
        // Nagle's algorithm (chapter 10, "Benchmarking honestly on loopback", item 8). Read
        // chapter 6, "Many connections: tokens and a slab". Stuck? `cargo xtask hint 10`.
        todo!()
    }

    /// Moves one client on after an event; forgets it once it is finished or failed.
    fn drive_client(&mut self, token: Token) {
        // TODO: move the client on with `Client::drive`, as the doc comment says. Think
        // about: an event for a client that is already gone; an I/O error is a vanished
        // client, finished too, and no reason to stop the loop; a finished client is
        // deregistered, forgotten and counted as closed, exactly once. Read chapter 6, "When
        // a client vanishes". Stuck? `cargo xtask hint 10`.
        todo!()
    }

    /// Closes the listening socket: new clients are refused.
    fn stop_listening(&mut self) {
        if let Some(mut listener) = self.listener.take() {
            let _ = self.poll.registry().deregister(&mut listener);
        }
    }
}

/// One client: its socket, and the bytes read from it but not yet written back.
struct Client {
    stream: TcpStream,
    buffer: Box<[u8]>,
    /// `buffer[written..read]` is waiting to be written back.
    read: usize,
    written: usize,
    /// The client has shut down its sending side.
    at_end: bool,
}

impl Client {
    fn new(stream: TcpStream) -> Client {
        Client {
            stream,
            buffer: vec![0; BUFFER_SIZE].into_boxed_slice(),
            read: 0,
            written: 0,
            at_end: false,
        }
    }

    /// Writes back what is pending and reads more, until the socket says
    /// `WouldBlock` either way. Returns `Ok(true)` when the client is finished:
    /// it shut down its side and everything was written back.
    fn drive(&mut self, counters: &Counters) -> io::Result<bool> {
        // TODO: move this client on as far as it can go, as the doc comment says, with the
        // fields' comments as the state. Think about: edge-triggered events (stop only at
        // `WouldBlock`, or the next event never comes); a write that takes part of what
        // waits; when the buffer may be reused; a read of 0 bytes (the client shut down
        // its side: write back what is left, then shut down ours); `Interrupted` is no
        // error; bytes counted as they move. Read this module's comment, and chapter 6,
        // "The outbox and partial writes" and "The end of the stream, and the half-close".
        // Stuck? `cargo xtask hint 10`.
        todo!()
    }
}
