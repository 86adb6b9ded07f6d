//! The event loop: one thread, one [`Poll`], every client.
//!
//! A [`Poll`] is mio's handle on the operating system's readiness queue
//! (`epoll` on Linux). You **register** each socket with it, under a
//! [`Token`] (a number you choose) and an [`Interest`] (readable, writable or
//! both); then [`Poll::poll`] sleeps until at least one registered socket is
//! ready, and fills [`Events`] with the tokens of those that are. The token is
//! how you find out *which* socket an event is about, so each token must name
//! exactly one thing:
//!
//! - [`LISTENER`] is the listening socket: its event means "clients are
//!   waiting in the accept queue";
//! - [`STOP`] is the [`Waker`], which another thread uses to wake the loop:
//!   its event means "time to stop" (see [`StopHandle`]);
//! - every other token is a client: `Token(key)`, where `key` is where its
//!   connection lives in the [`Slab`], a `Vec` that reuses the places freed by
//!   closed connections. The token is always the slab key of *that* connection:
//!   after a client leaves, its key is given to the next client, and so is its
//!   token.
//!
//! **Accept until `WouldBlock`.** The listener's event is edge-triggered too:
//! one event may stand for one waiting client or for a hundred. Accept in a
//! loop until `accept` says `WouldBlock`, or the clients that arrived together
//! with the first wait forever. With a connection limit, the loop also stops
//! when every slot is taken; the clients left in the accept queue are accepted
//! when a connection closes, since no new event will come for them.
//!
//! **One client's error ends that client only.** A read or write error (a
//! client that vanished: connection reset, broken pipe) closes that
//! connection: deregister it, remove it from the slab (dropping the stream
//! closes the socket), log why, and go on with the others. A connection that
//! is forgotten in the slab stays open for ever: the socket leaks, and a
//! graceful shutdown waits for it in vain.
//!
//! **Stopping.** The [`Waker`] is an `eventfd` registered with the poll;
//! [`StopHandle::stop`] writes to it from another thread (the tests, or the
//! Ctrl-C handler of [`crate::signals`]), which wakes `poll` with the event
//! [`STOP`]. The server then deregisters and drops the listener (new clients
//! are refused), serves the open connections until they end, and returns.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::sync::Arc;

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};
use slab::Slab;

use crate::connection::Connection;

/// The token of the listening socket.
pub const LISTENER: Token = Token(usize::MAX - 1);

/// The token of the [`Waker`] that asks the loop to stop.
pub const STOP: Token = Token(usize::MAX - 2);

/// How many events one call to `poll` may return at most.
pub const EVENTS_CAPACITY: usize = 1024;

/// What a server did before it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// How many connections it accepted.
    pub connections: u64,
}

/// Shows the number of connections, e.g. `1 connection` or `3 connections`.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.connections {
            1 => write!(f, "1 connection"),
            count => write!(f, "{count} connections"),
        }
    }
}

/// Asks a running [`EchoServer`] to stop, from any thread. Clones share the same
/// [`Waker`].
#[derive(Debug, Clone)]
pub struct StopHandle {
    waker: Arc<Waker>,
}

impl StopHandle {
    /// Wakes the event loop with the event [`STOP`]: it stops accepting, lets the
    /// open connections finish, and returns. Stopping twice is stopping once.
    pub fn stop(&self) -> io::Result<()> {
        self.waker.wake()
    }
}

/// One client of the server: its connection, its address, and the interest its
/// socket is registered with right now.
#[derive(Debug)]
pub struct Client {
    pub connection: Connection<TcpStream>,
    pub peer: SocketAddr,
    pub interest: Interest,
}

/// An echo server on one thread: a [`Poll`], the listener, and a [`Slab`] of clients.
#[derive(Debug)]
pub struct EchoServer {
    poll: Poll,
    /// `None` once the server is stopping: the listener was closed.
    listener: Option<TcpListener>,
    clients: Slab<Client>,
    /// At most this many clients at once; `None` for no limit.
    limit: Option<NonZeroUsize>,
    waker: Arc<Waker>,
    /// How many connections were accepted.
    accepted: u64,
}

impl EchoServer {
    /// A server for `listener`, serving at most `limit` clients at once.
    ///
    /// mio only works with non-blocking sockets, so the listener is switched to
    /// non-blocking mode; then it is registered with a new [`Poll`] under
    /// [`LISTENER`] for `READABLE` (a waiting client makes a listener readable),
    /// and the poll gets a [`Waker`] under [`STOP`].
    pub fn new(
        listener: std::net::TcpListener,
        limit: Option<NonZeroUsize>,
    ) -> io::Result<EchoServer> {
        // BEGIN SOLUTION
        listener.set_nonblocking(true)?;
        let mut listener = TcpListener::from_std(listener);
        let poll = Poll::new()?;
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)?;
        let waker = Arc::new(Waker::new(poll.registry(), STOP)?);
        Ok(EchoServer {
            poll,
            listener: Some(listener),
            clients: Slab::new(),
            limit,
            waker,
            accepted: 0,
        })
        // END SOLUTION
        // STUB: // TODO: set up what the doc comment lists, with 0 connections accepted so far.
        // STUB: // Think about: mio works only with non-blocking sockets, and a std listener blocks
        // STUB: // until told otherwise; the two special tokens must never be a client's; every
        // STUB: // `StopHandle` made later shares the one waker. Read chapter 6, "The event loop" and
        // STUB: // "Stopping: a Waker", and the docs of `mio::net::TcpListener`, `mio::Registry` and
        // STUB: // `mio::Waker`. Stuck? `cargo xtask hint 06`.
        // STUB: todo!()
    }

    /// The address the server listens on (with the real port when it asked for port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        match &self.listener {
            Some(listener) => listener.local_addr(),
            None => Err(io::Error::other("the server no longer listens")),
        }
    }

    /// A handle that stops the server, to give to another thread before [`run`](EchoServer::run).
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle {
            waker: Arc::clone(&self.waker),
        }
    }

    /// Runs the event loop until it is stopped and its last connection has ended.
    ///
    /// Each turn polls for events (with no timeout: it sleeps until something
    /// happens, and a poll interrupted by a signal is simply polled again),
    /// then handles each event by its token: [`LISTENER`] accepts the waiting
    /// clients, [`STOP`] starts the shutdown, any other token is a client's.
    /// When a turn closed some connection, it accepts again, since slots may
    /// have freed for clients still waiting in the accept queue.
    ///
    /// Returns how many connections it accepted; fails only if the poll itself fails.
    pub fn run(mut self) -> io::Result<Summary> {
        // BEGIN SOLUTION
        let mut events = Events::with_capacity(EVENTS_CAPACITY);
        while !(self.is_stopping() && self.clients.is_empty()) {
            if let Err(error) = self.poll.poll(&mut events, None) {
                if error.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(error);
            }
            let mut closed_any = false;
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept_clients(),
                    STOP => self.begin_stop(),
                    token => closed_any |= self.on_client_event(token),
                }
            }
            if closed_any {
                self.accept_clients();
            }
        }
        Ok(Summary {
            connections: self.accepted,
        })
        // END SOLUTION
        // STUB: // TODO: the event loop of the doc comment and of the module comment's diagram. Think
        // STUB: // about: an idle server must sleep, not spin (a test measures its CPU time); Ctrl-C
        // STUB: // interrupts the poll itself, which is no reason to stop; one batch may hold events
        // STUB: // for the listener, the waker and many clients; a client left in the accept queue
        // STUB: // gets no new event when a slot frees; after `STOP`, the open connections still get
        // STUB: // served until the last one ends. Read chapter 6, "The event loop", "Accepting, and
        // STUB: // the connection limit" and "Stopping: a Waker", and the docs of `mio::Poll::poll`.
        // STUB: // Stuck? `cargo xtask hint 06`.
        // STUB: todo!()
    }

    /// The server was asked to stop: its listener is closed.
    pub fn is_stopping(&self) -> bool {
        self.listener.is_none()
    }

    /// Whether one more client may be served now.
    fn has_free_slot(&self) -> bool {
        self.limit
            .is_none_or(|limit| self.clients.len() < limit.get())
    }

    /// Accepts the clients waiting in the accept queue, until `accept` says
    /// `WouldBlock` or every slot is taken, and registers each of them.
    ///
    /// An `accept` error other than `WouldBlock` is logged. Most concern one
    /// client that gave up before it was accepted (`ConnectionAborted`): the
    /// loop goes on. Others last a while (`EMFILE`, "too many open files"):
    /// the loop stops, and tries again when a connection closes.
    fn accept_clients(&mut self) {
        // BEGIN SOLUTION
        while self.has_free_slot() {
            let Some(listener) = &self.listener else {
                return;
            };
            match listener.accept() {
                Ok((stream, peer)) => {
                    if let Err(error) = self.add_client(stream, peer) {
                        eprintln!("{peer}: cannot register the connection: {error}");
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => return,
                Err(error) if is_about_one_client(&error) => {
                    eprintln!("accept failed: {error}; accepting the next client");
                }
                Err(error) => {
                    eprintln!("accept failed: {error}; trying again when a connection closes");
                    return;
                }
            }
        }
        // END SOLUTION
        // STUB: // TODO: accept as the doc comment says, and log each failure on standard error.
        // STUB: // Think about: 100 clients behind a single event; a limit of 2 with a third client
        // STUB: // waiting; a server that is stopping (it has no listener); an error about one client
        // STUB: // (`is_about_one_client`, below) and one that lasts, like "too many open files"; a
        // STUB: // client that cannot be registered. Read chapter 6, "Accepting, and the connection
        // STUB: // limit". Stuck? `cargo xtask hint 06`.
        // STUB: todo!()
    }

    /// Registers a new client's stream under the token of the slab place it gets,
    /// and puts its connection there.
    fn add_client(&mut self, mut stream: TcpStream, peer: SocketAddr) -> io::Result<()> {
        // BEGIN SOLUTION
        let token = Token(self.clients.vacant_key());
        self.poll
            .registry()
            .register(&mut stream, token, Interest::READABLE)?;
        self.clients.insert(Client {
            connection: Connection::new(stream),
            peer,
            interest: Interest::READABLE,
        });
        self.accepted += 1;
        eprintln!("{peer}: connected");
        Ok(())
        // END SOLUTION
        // STUB: // TODO: as the doc comment says; count the client for the `Summary`, and log it on
        // STUB: // standard error (`PEER: connected`, as in the example of `cli.rs`). Think about:
        // STUB: // the token is needed before the client is in the slab, and must be the key it gets
        // STUB: // there, also once other clients have left holes; a registration that fails must
        // STUB: // leave the slab as it was. Read chapter 6, "Many connections: tokens and a slab", and
        // STUB: // the docs of `slab::Slab`. Stuck? `cargo xtask hint 06`.
        // STUB: todo!()
    }

    /// Handles an event for a client's token: lets its connection do what it
    /// can, then registers the interest it has now, or closes it when it is
    /// finished or failed. Returns whether it closed the connection.
    fn on_client_event(&mut self, token: Token) -> bool {
        // BEGIN SOLUTION
        // An event may name a connection closed earlier in the same batch.
        let Some(client) = self.clients.get_mut(token.0) else {
            return false;
        };
        if let Err(error) = client.connection.on_ready() {
            self.close(token, Err(error));
            return true;
        }
        match client.connection.interest() {
            None => {
                let echoed = client.connection.echoed();
                self.close(token, Ok(echoed));
                true
            }
            Some(interest) if interest != client.interest => {
                let registered = self.poll.registry().reregister(
                    client.connection.stream_mut(),
                    token,
                    interest,
                );
                match registered {
                    Ok(()) => {
                        client.interest = interest;
                        false
                    }
                    Err(error) => {
                        self.close(token, Err(error));
                        true
                    }
                }
            }
            Some(_) => false,
        }
        // END SOLUTION
        // STUB: // TODO: as the doc comment says. Think about: an event for a token whose connection
        // STUB: // an earlier event of the same batch closed; a connection that failed (close that one
        // STUB: // and go on: never return its error from `run`); one that finished; an interest that
        // STUB: // did not change (nothing to tell the poll) and one that did (keep `Client::interest`
        // STUB: // true; telling the poll may fail too). Read chapter 6, "When a client vanishes" and
        // STUB: // the end of "Many connections: tokens and a slab", and the docs of
        // STUB: // `mio::Registry::reregister`. Stuck? `cargo xtask hint 06`.
        // STUB: todo!()
    }

    /// Closes a client's connection: deregisters its stream, removes it from the
    /// slab (dropping the stream closes the socket), and logs how it ended.
    fn close(&mut self, token: Token, outcome: io::Result<u64>) {
        // BEGIN SOLUTION
        let mut client = self.clients.remove(token.0);
        let _ = self
            .poll
            .registry()
            .deregister(client.connection.stream_mut());
        log_outcome(client.peer, &outcome);
        // END SOLUTION
        // STUB: // TODO: as the doc comment says, with `log_outcome` (below) for the log. Think
        // STUB: // about: the stream must still exist to be deregistered; a deregistration that fails
        // STUB: // while the socket is closing anyway. Read chapter 6, "When a client vanishes".
        // STUB: // Stuck? `cargo xtask hint 06`.
        // STUB: todo!()
    }

    /// Stops accepting: deregisters and drops the listener, so that new clients are
    /// refused. The open connections go on until they end.
    fn begin_stop(&mut self) {
        // BEGIN SOLUTION
        if let Some(mut listener) = self.listener.take() {
            let _ = self.poll.registry().deregister(&mut listener);
        }
        // END SOLUTION
        // STUB: // TODO: as the doc comment says. Think about: a second `STOP` (stopping twice is
        // STUB: // stopping once), and what `is_stopping` looks at. Read chapter 6, "Stopping: a
        // STUB: // Waker". Stuck? `cargo xtask hint 06`.
        // STUB: todo!()
    }
}

/// An `accept` error that concerns one client only: accepting the next one may work.
fn is_about_one_client(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// Prints on standard error how a connection ended: the bytes it echoed, or its error.
pub fn log_outcome(peer: SocketAddr, outcome: &io::Result<u64>) {
    match outcome {
        Ok(bytes) => eprintln!("{peer}: done, echoed {bytes} bytes"),
        Err(error) => eprintln!("{peer}: connection lost: {error}"),
    }
}
