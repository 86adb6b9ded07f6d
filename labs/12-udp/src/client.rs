//! A client that gets its answer over a link that loses, duplicates and reorders datagrams.
//!
//! UDP never sends anything again: a lost request or a lost answer is simply gone, and the
//! client hears nothing. So the client keeps its own timer and **retries**: no answer within
//! the timeout, it sends the **same** request again, with the **same id**, so that the
//! server can tell a copy from a new request (see [`crate::server`]).
//!
//! - **Backoff.** Each retry waits longer than the one before (100 ms, 200 ms, 400 ms, …:
//!   *exponential backoff*). A server that does not answer is often overloaded, and a
//!   crowd of clients retrying at a fixed rate keeps it so (RFC 8085, section 3.1.3).
//! - **Ids.** An answer that arrives may answer an earlier request: a late answer to the
//!   previous call, a second copy of an answer already taken. Only an answer with the id of
//!   the current request is the answer; every other datagram is ignored, and the current
//!   attempt's timer keeps running.
//! - **Giving up.** After the last attempt the call fails with an error that says so. A
//!   closed port (ICMP port unreachable) ends the call at once: nobody will ever answer.
//!
//! ```text
//! client                                  server
//!   ── request id 7 ──────────X  (lost)
//!   … 100 ms, no answer
//!   ── request id 7 ─────────────────────▶ applies it, remembers the answer
//!   ◀───────────────────── answer id 7 ──
//! ```

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

/// When to send a request again, and when to give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How long the first attempt waits for its answer.
    pub first_timeout: Duration,
    /// Each attempt waits `factor` times as long as the one before.
    pub factor: u32,
    /// How many times the request is sent, at most (the first time included).
    pub attempts: u32,
}

impl Default for RetryPolicy {
    /// 200 ms, doubling, 5 attempts: the call gives up after 6.2 s.
    fn default() -> RetryPolicy {
        RetryPolicy {
            first_timeout: Duration::from_millis(200),
            factor: 2,
            attempts: 5,
        }
    }
}

/// Why a call has no answer.
#[derive(Debug)]
pub enum CallError {
    /// The body is larger than the protocol's `MAX_BODY`: nothing was sent.
    TooLong { size: usize },
    /// An ICMP port unreachable came back: nothing listens at the server's address.
    Refused { server: SocketAddr },
    /// Every attempt timed out.
    NoAnswer { server: SocketAddr, attempts: u32 },
    /// The socket failed in another way.
    Io(io::Error),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::TooLong { size } => write!(f, "a body of {size} bytes is too long"),
            CallError::Refused { server } => {
                write!(f, "nothing listens at {server} (port unreachable)")
            }
            CallError::NoAnswer { server, attempts } => {
                write!(f, "no answer from {server} after {attempts} attempts")
            }
            CallError::Io(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for CallError {}

impl From<io::Error> for CallError {
    fn from(error: io::Error) -> CallError {
        CallError::Io(error)
    }
}

/// A client of one server: its socket, its retry policy, and the id of its next request.
pub struct Client {
    // TODO: the client's state: you design it (see `new` and `call`).
}

impl Client {
    /// A client of `server`, on a socket of its own (any address of the server's family, a
    /// port the system picks) that takes datagrams from `server` only. Its first request id
    /// comes from the clock, so that a client started again on the same port does not repeat
    /// the ids its server still remembers; each call then takes the next id.
    pub fn new(server: SocketAddr, policy: RetryPolicy) -> io::Result<Client> {
        // TODO: the socket and the first id, as the doc comment says. Think about: a server
        // over IPv6, and what `connect` does for a UDP socket. Read chapter 12, "connect on
        // UDP, and what a closed port answers", and `std::time::SystemTime`. Stuck?
        // `cargo xtask hint 12`.
        todo!()
    }

    /// The client's own address (the server sees its requests come from there).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        // TODO: the address of the socket you keep.
        todo!()
    }

    /// Sends `body` as a request with the next id and returns the body of its answer.
    ///
    /// The request is sent at most `policy.attempts` times: each attempt waits for the answer
    /// `factor` times longer than the attempt before (`first_timeout` the first time), and a
    /// retry is the same request with the same id. Only a response with the request's id
    /// answers it; any other datagram (another id, a request, bytes that are no message) is
    /// ignored without extending the attempt's wait. A refused port ends the call at once.
    pub fn call(&mut self, body: &[u8]) -> Result<Vec<u8>, CallError> {
        // TODO: the request, its attempts and its answer, as the doc comment and the module's
        // comment say. You design the helpers. Think about: which id a retry carries, how
        // long each attempt waits, a datagram that is not the answer (the attempt's deadline
        // does not move), a refused port, and the error after the last attempt. Read chapter
        // 12, "Timeouts, retries and backoff" and "Which answer is the answer?". Stuck?
        // `cargo xtask hint 12`.
        todo!()
    }
}
