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
// BEGIN SOLUTION

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, UdpSocket};
use std::time::{Instant, SystemTime};

use crate::protocol::{Kind, MAX_BODY, Message};
// END SOLUTION

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
    // BEGIN SOLUTION
    socket: UdpSocket,
    server: SocketAddr,
    policy: RetryPolicy,
    next_id: u32,
    // END SOLUTION
    // STUB: // TODO: the client's state: you design it (see `new` and `call`).
}

impl Client {
    /// A client of `server`, on a socket of its own (any address of the server's family, a
    /// port the system picks) that takes datagrams from `server` only. Its first request id
    /// comes from the clock, so that a client started again on the same port does not repeat
    /// the ids its server still remembers; each call then takes the next id.
    pub fn new(server: SocketAddr, policy: RetryPolicy) -> io::Result<Client> {
        // BEGIN SOLUTION
        let any = match server {
            SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        };
        let socket = UdpSocket::bind(SocketAddr::new(any, 0))?;
        // Connected: the kernel drops datagrams from anyone else, and reports the ICMP port
        // unreachable of a closed port as ConnectionRefused.
        socket.connect(server)?;
        Ok(Client {
            socket,
            server,
            policy,
            next_id: first_id(),
        })
        // END SOLUTION
        // STUB: // TODO: the socket and the first id, as the doc comment says. Think about: a server
        // STUB: // over IPv6, and what `connect` does for a UDP socket. Read chapter 12, "connect on
        // STUB: // UDP, and what a closed port answers", and `std::time::SystemTime`. Stuck?
        // STUB: // `cargo xtask hint 12`.
        // STUB: todo!()
    }

    /// The client's own address (the server sees its requests come from there).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        // BEGIN SOLUTION
        self.socket.local_addr()
        // END SOLUTION
        // STUB: // TODO: the address of the socket you keep.
        // STUB: todo!()
    }

    /// Sends `body` as a request with the next id and returns the body of its answer.
    ///
    /// The request is sent at most `policy.attempts` times: each attempt waits for the answer
    /// `factor` times longer than the attempt before (`first_timeout` the first time), and a
    /// retry is the same request with the same id. Only a response with the request's id
    /// answers it; any other datagram (another id, a request, bytes that are no message) is
    /// ignored without extending the attempt's wait. A refused port ends the call at once.
    pub fn call(&mut self, body: &[u8]) -> Result<Vec<u8>, CallError> {
        // BEGIN SOLUTION
        if body.len() > MAX_BODY {
            return Err(CallError::TooLong { size: body.len() });
        }
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        let request = Message::request(id, body).encode();
        let mut timeout = self.policy.first_timeout;
        for _ in 0..self.policy.attempts {
            self.send(&request)?;
            if let Some(answer) = self.answer_to(id, Instant::now() + timeout)? {
                return Ok(answer);
            }
            timeout = timeout.saturating_mul(self.policy.factor);
        }
        Err(CallError::NoAnswer {
            server: self.server,
            attempts: self.policy.attempts,
        })
        // END SOLUTION
        // STUB: // TODO: the request, its attempts and its answer, as the doc comment and the module's
        // STUB: // comment say. You design the helpers. Think about: which id a retry carries, how
        // STUB: // long each attempt waits, a datagram that is not the answer (the attempt's deadline
        // STUB: // does not move), a refused port, and the error after the last attempt. Read chapter
        // STUB: // 12, "Timeouts, retries and backoff" and "Which answer is the answer?". Stuck?
        // STUB: // `cargo xtask hint 12`.
        // STUB: todo!()
    }
    // BEGIN SOLUTION

    /// Sends one copy of the request; a refused port is the end of the call.
    fn send(&self, request: &[u8]) -> Result<(), CallError> {
        match self.socket.send(request) {
            Ok(_) => Ok(()),
            Err(error) => Err(self.call_error(error)),
        }
    }

    /// Waits until `deadline` for the response to request `id`, ignoring every other
    /// datagram; `None` when the deadline passes first.
    fn answer_to(&self, id: u32, deadline: Instant) -> Result<Option<Vec<u8>>, CallError> {
        let mut buffer = vec![0; 65536];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            self.socket.set_read_timeout(Some(left))?;
            let size = match self.socket.recv(&mut buffer) {
                Ok(size) => size,
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Ok(None);
                }
                // A signal interrupted the wait: wait again for what is left.
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(self.call_error(error)),
            };
            match Message::decode(&buffer[..size]) {
                Ok(answer) if answer.kind == Kind::Response && answer.id == id => {
                    return Ok(Some(answer.body));
                }
                // A late answer to an earlier request, a copy, or noise: not ours.
                _ => continue,
            }
        }
    }

    /// A socket error as a call's error: ConnectionRefused means nothing listens.
    fn call_error(&self, error: io::Error) -> CallError {
        if error.kind() == io::ErrorKind::ConnectionRefused {
            CallError::Refused {
                server: self.server,
            }
        } else {
            CallError::Io(error)
        }
    }
    // END SOLUTION
}
// BEGIN SOLUTION

/// A first id that differs from run to run: the clock's nanoseconds.
fn first_id() -> u32 {
    let since_1970 = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    since_1970.subsec_nanos() ^ since_1970.as_secs() as u32
}
// END SOLUTION
