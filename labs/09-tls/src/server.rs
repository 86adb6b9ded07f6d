//! The echo server over TLS: for each client, the handshake, then `AUTH`, then the echo.
//!
//! The accept loop is lab 04's, with one task per connection. What changes is
//! the connection's life, three steps that each can end it:
//!
//! ```text
//! TCP accepted ──► TLS handshake ──► AUTH <token> ──► echo until the end of the stream
//!                   │ within the        │ within the
//!                   │ handshake limit   │ auth limit
//!                   ▼                   ▼
//!                 HandshakeFailed     Refused(reason): "ERR …" and close
//! ```
//!
//! **The handshake runs in the connection's task, never in the accept loop.**
//! `acceptor.accept(stream).await` waits for the client's ClientHello. A client
//! that connects and says nothing (a port scanner, a plaintext client waiting
//! for a banner, an attacker) would keep a loop that awaits it from accepting
//! anybody else: one silent client would take the whole server down.
//!
//! **Every wait has a limit.** Without [`ServerSettings::handshake_timeout`],
//! each silent client holds a task and a file descriptor forever, and a few
//! thousand of them exhaust the server (the *slowloris* attack). The same goes
//! for a client that completes the handshake and never sends its `AUTH` line.
//!
//! **A failed handshake ends one connection, cleanly.** A plaintext client
//! that writes `hello` to the TLS port gets a TLS alert back (7 bytes it will
//! not understand) and the connection closes; the server logs why and goes on
//! serving. It never falls back to plaintext: a server that answered plaintext
//! on a TLS port would let a man in the middle strip the TLS away (a
//! *downgrade*), and the client's token would travel in the clear.
//!
//! Each connection ends with an [`Outcome`], which the task logs and returns;
//! [`serve`] returns them all, in the order the connections were accepted.

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;
use tokio::io::{self, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio::time::timeout;
use tokio_rustls::TlsAcceptor;

use crate::auth::{AuthFailure, Token, authenticate};
use crate::echo::echo;
use crate::failure::{HandshakeError, classify};

/// The default time a client has to complete the TLS handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The default time a client has, after the handshake, to send its `AUTH` line.
pub const AUTH_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything a connection needs to know: the TLS configuration, the token,
/// and the time limits.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub tls: Arc<ServerConfig>,
    pub token: Token,
    pub handshake_timeout: Duration,
    pub auth_timeout: Duration,
}

impl ServerSettings {
    /// Settings with the default time limits, [`HANDSHAKE_TIMEOUT`] and [`AUTH_TIMEOUT`].
    pub fn new(tls: Arc<ServerConfig>, token: Token) -> ServerSettings {
        // TODO: as the doc comment says. (The tests build their settings by hand, with
        // shorter limits; the program uses this.) Stuck? `cargo xtask hint 09`.
        todo!()
    }
}

/// How one connection ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The TLS handshake failed or timed out: no data was exchanged.
    HandshakeFailed(HandshakeError),
    /// The handshake worked, but the client was not let in.
    Refused(AuthFailure),
    /// The client was let in and echoed until the end of its stream.
    Echoed { bytes: u64 },
    /// The client was let in, then the connection failed.
    Lost { error: String },
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::HandshakeFailed(error) => write!(f, "handshake failed: {error}"),
            Outcome::Refused(failure) => write!(f, "refused: {failure}"),
            Outcome::Echoed { bytes } => write!(f, "authenticated, echoed {bytes} bytes"),
            Outcome::Lost { error } => write!(f, "authenticated, then lost: {error}"),
        }
    }
}

/// Serves every client of `listener` over TLS, each in its own task, until
/// `shutdown` completes; then stops accepting, waits for the open connections
/// to end, and returns their [`Outcome`]s in the order they were accepted.
///
/// Each accepted connection is handed at once to [`handle_connection`] in a
/// task of its own, numbered in the order of acceptance; the loop never awaits
/// anything of a connection. A failed `accept` is logged, and the loop goes on
/// after a short pause.
pub async fn serve(
    listener: TcpListener,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()>,
) -> Vec<Outcome> {
    // TODO: as the doc comment says: lab 04's accept loop, without its connection limit.
    // Think about: a client that connects and never sends its ClientHello (nothing of a
    // connection may be awaited in this loop, or it stops accepting everyone else);
    // `shutdown` completing while connections are still open (they may finish); the order
    // of the outcomes (the order of acceptance, not the order the connections end in); a
    // failed `accept` (`pause_after_accept_error`, below). Read chapter 9, "Time limits:
    // the silent client", chapter 4 for the loop, and the docs of `tokio::select!` and
    // `tokio::task::JoinSet`. Stuck? `cargo xtask hint 09`.
    todo!()
}

/// Serves one client from start to end: the TLS handshake with `acceptor`
/// within `settings.handshake_timeout`, then [`authenticate`] within
/// `settings.auth_timeout`, then [`echo`]. Logs the [`Outcome`] on standard
/// error, as one line with the client's address first
/// (`127.0.0.1:50118: authenticated, echoed 19 bytes`), and returns it.
///
/// - A handshake error is [`Outcome::HandshakeFailed`] with the [`classify`]ed
///   error; no handshake within the limit is `HandshakeFailed(TimedOut(limit))`.
/// - A failed `AUTH` is [`Outcome::Refused`], after the connection has been
///   shut down (`shutdown()`: TLS's `close_notify`, then the TCP FIN), so that
///   the client reads the `ERR` line and then the end of the stream.
/// - Otherwise [`Outcome::Echoed`], or [`Outcome::Lost`] when the echo failed.
///
/// The TLS stream is wrapped in a [`BufReader`] for `authenticate` to read its
/// line, and the echo goes on through that same `BufReader`: bytes that came
/// in the same packet as the `AUTH` line are in its buffer, not in the socket.
pub async fn handle_connection(
    stream: TcpStream,
    peer: SocketAddr,
    acceptor: TlsAcceptor,
    settings: Arc<ServerSettings>,
) -> Outcome {
    // TODO: as the doc comment says: three steps, each of which can end the connection
    // with its own `Outcome`, and one log line whatever happened. Think about: a client
    // that never starts the handshake, and one that never sends its `AUTH` line (each
    // wait has its limit); a plaintext client (its handshake fails: never answer it in
    // clear); a refused client, who must read its `ERR` line and then the end of the
    // stream; bytes that came in the same packet as the `AUTH` line (the last paragraph of
    // the doc comment). Many early returns are easier to read in a private helper that
    // returns the `Outcome`, with the log line here: design it yourself (the stub has
    // none). Read the module comment, chapter 9, "A plaintext client on the TLS port" and
    // "Time limits: the silent client", and the docs of `tokio_rustls::TlsAcceptor` and
    // `tokio::io::BufReader`. Stuck? `cargo xtask hint 09`.
    todo!()
}

/// How long the accept loop pauses after a failed `accept`.
pub const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Reports a failed `accept` and pauses a little before the next one (see lab 04).
pub async fn pause_after_accept_error(error: &io::Error) {
    eprintln!(
        "accept failed: {error}; trying again in {} ms",
        ACCEPT_ERROR_PAUSE.as_millis()
    );
    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
}
