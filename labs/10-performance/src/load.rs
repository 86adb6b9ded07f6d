//! The load generator: N connections, each a closed loop of "send a message,
//! wait for its whole echo, note how long it took, again".
//!
//! ```text
//! connection 0:  connect ─ send ─ echo ─ send ─ echo ─ send ─ echo ─ … ─ deadline: close
//! connection 1:  connect ─ send ─── echo ─ send ─ echo ─ send ─ echo … ─ deadline: close
//! …                        ├──────────┤
//! connection N-1           one latency sample
//! ```
//!
//! The N connections run at the same time, each in a tokio task of its own:
//! that is what makes the server see N clients at once. Within a connection,
//! requests go one at a time: a *closed loop*, like `wrk` or `redis-benchmark`.
//! So at any moment at most N requests are in flight, and the rate you measure
//! is the rate the server sustains with N clients waiting on it.
//!
//! **Bounded in count and in time.** A run stops starting new requests at the
//! *deadline* (`duration` after the start) or when the *request budget* (at
//! most `max_requests` in all, over every connection) is spent, whichever
//! comes first. A request already in flight at the deadline is finished, so
//! that the load generator and the server agree on every byte; but every
//! network wait (the connection, and each request) has a `request_timeout`. So
//! a run takes at most `duration + request_timeout`, however the server behaves
//! ([`LoadConfig::longest_run`]).
//!
//! **Every byte checked.** A message is made by [`message`]: its bytes depend
//! on the connection and the request, so an echo that comes back mixed up
//! with another connection's, or stale, or with one byte changed, is caught.
//! A read returns *whatever has arrived* (chapter 4): one message may come back
//! in several pieces, so the echo is read until all its bytes are there.
//!
//! **Errors are counted, never hidden.** A failed request ends its connection
//! (after a timeout or a wrong echo, nobody knows what the next bytes on that
//! stream belong to) and is recorded in [`ErrorCounts`]. A benchmark that
//! quietly drops its failures reports a server that fails fast as a fast server.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio::time::timeout;

/// What to run: where, how many connections, how big the messages, how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadConfig {
    /// The echo server to load, e.g. `127.0.0.1:43917`.
    pub target: SocketAddr,
    /// How many connections run at once (at least 1).
    pub connections: usize,
    /// The size of every message, in bytes (at least 1).
    pub message_size: usize,
    /// No new request starts after this much time from the start of the run.
    pub duration: Duration,
    /// At most this many requests in all connections together; `None`: no limit but time.
    pub max_requests: Option<u64>,
    /// The longest a connection attempt, or one request (send and whole echo), may take.
    pub request_timeout: Duration,
}

impl LoadConfig {
    /// The defaults of the `loadgen` program: 50 connections, 64-byte messages,
    /// 2 s, no request limit, a 1 s timeout.
    pub fn new(target: SocketAddr) -> LoadConfig {
        LoadConfig {
            target,
            connections: 50,
            message_size: 64,
            duration: Duration::from_secs(2),
            max_requests: None,
            request_timeout: Duration::from_secs(1),
        }
    }

    /// The longest a run may take: `duration + request_timeout` (a request
    /// that starts just before the deadline may use its whole timeout).
    pub fn longest_run(&self) -> Duration {
        self.duration + self.request_timeout
    }
}

/// The bytes of request number `request` (from 0) of connection number
/// `connection` (from 0): `size` bytes, different for every connection and
/// request, like `c3 r17 c3 r17 c3 r17 c`.
pub fn message(connection: usize, request: u64, size: usize) -> Vec<u8> {
    let pattern = format!("c{connection} r{request} ");
    pattern.bytes().cycle().take(size).collect()
}

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestError {
    /// The connection could not be opened: refused, or no answer within the timeout.
    Connect,
    /// The whole echo did not come back within the request timeout.
    Timeout,
    /// The server closed the connection before the whole echo came back.
    Closed,
    /// Another I/O error: connection reset by the server, broken pipe.
    Broken,
    /// The whole echo came back, but different from the message sent.
    Mismatch,
}

/// How many requests failed, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErrorCounts {
    pub connect: u64,
    pub timeout: u64,
    pub closed: u64,
    pub broken: u64,
    pub mismatch: u64,
}

impl ErrorCounts {
    /// Counts one more failure of that reason.
    pub fn record(&mut self, error: RequestError) {
        // TODO: one more failure in the count of its reason, as the doc comment says.
        // Stuck? `cargo xtask hint 10`.
        todo!()
    }

    pub fn total(&self) -> u64 {
        self.connect + self.timeout + self.closed + self.broken + self.mismatch
    }
}

/// `none`, or each reason with its count: `3 timed out, 1 closed by the server`.
impl fmt::Display for ErrorCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reasons = [
            (self.connect, "could not connect"),
            (self.timeout, "timed out"),
            (self.closed, "closed by the server"),
            (self.broken, "broken (reset)"),
            (self.mismatch, "wrong echo"),
        ];
        let parts: Vec<String> = reasons
            .iter()
            .filter(|(count, _)| *count > 0)
            .map(|(count, reason)| format!("{count} {reason}"))
            .collect();
        if parts.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// What one connection did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConnectionOutcome {
    /// Requests whose whole echo came back and matched.
    pub requests: u64,
    /// Every byte written to the server (counted once a write of a whole message returned).
    pub bytes_sent: u64,
    /// Every byte read from the server, failed requests included.
    pub bytes_received: u64,
    /// One latency per request counted in `requests`: from just before its
    /// message was written to the arrival of the last byte of its echo.
    pub latencies: Vec<Duration>,
    /// The error that ended the connection, if one did.
    pub error: Option<RequestError>,
}

/// What a whole run did: every connection's outcome added up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadReport {
    /// How many connections the run had (attempted, whether they opened or not).
    pub connections: usize,
    pub requests: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    /// One per request, in no particular order.
    pub latencies: Vec<Duration>,
    pub errors: ErrorCounts,
    /// From the start of the run until its last connection ended.
    pub elapsed: Duration,
}

impl LoadReport {
    /// Adds one connection's outcome to the totals.
    pub fn add(&mut self, outcome: ConnectionOutcome) {
        // TODO: add the outcome to the totals, as the doc comment and each field's say.
        // Think about: every outcome is one connection, even one that never connected; a
        // connection that ended on an error still brings its requests and bytes; the
        // latencies are kept, not summed. Stuck? `cargo xtask hint 10`.
        todo!()
    }
}

/// How many more requests may start, shared by every connection of a run.
#[derive(Debug)]
pub struct RequestBudget {
    /// `None`: no limit.
    left: Option<AtomicU64>,
}

impl RequestBudget {
    /// A budget of `max` requests in all, or no limit.
    pub fn new(max: Option<u64>) -> RequestBudget {
        RequestBudget {
            left: max.map(AtomicU64::new),
        }
    }

    /// Takes one request from the budget: `true` if the request may start,
    /// `false` once the budget is spent.
    ///
    /// Many connections call this at the same moment, from different threads,
    /// so "look whether some are left, then decrement" must be one atomic step:
    /// otherwise two connections can both see "1 left" and both start.
    pub fn take(&self) -> bool {
        // TODO: take one request, as the doc comment says. Think about: no limit at all;
        // a budget of 0; the last request, asked for by ten connections at the same moment
        // (exactly one gets it); a count that must never go below zero, nor wrap round.
        // Read chapter 10, "Bounded in count and in time", and `AtomicU64` in the std docs
        // (`std::sync::atomic`). Stuck? `cargo xtask hint 10`.
        todo!()
    }
}

/// Runs the load: `config.connections` connections at once, each in a task of
/// its own ([`run_connection`]), until the deadline or the end of the budget.
/// Waits for every connection to end, and returns their outcomes added up,
/// with the time the whole run took.
pub async fn run_load(config: &LoadConfig) -> LoadReport {
    // TODO: run the load, as the doc comment and this module's comment say. Think about:
    // the N connections must be open at the same time (the server counts its peak), not
    // one after the other; they share one deadline and one budget; the elapsed time runs
    // from the start until the last connection ended; a connection's task that panicked is
    // a bug to show, not to hide. Read chapter 10, "A closed loop", and
    // `tokio::task::JoinSet` in the tokio docs. Stuck? `cargo xtask hint 10`.
    todo!()
}

/// One connection: connect (within the request timeout), then requests one
/// after the other while it is before `deadline` and `budget` allows one more.
///
/// Each request sends [`message`]`(number, request, size)` and waits for its
/// whole echo with [`exchange`], all of it within `config.request_timeout`.
/// A request whose echo matches the message is counted, with its latency. The
/// first error (a failed connection, a timeout, an [`exchange`] error, an echo
/// that differs from the message) is recorded in the outcome and ends the
/// connection. The stream is closed when the function returns.
pub async fn run_connection(
    number: usize,
    config: LoadConfig,
    deadline: Instant,
    budget: Arc<RequestBudget>,
) -> ConnectionOutcome {
    // TODO: one connection's closed loop, as the doc comment says; `exchange` below does
    // one request's bytes. Think about: a connect that is refused, or never answered; the
    // deadline or the budget reached between two requests; a server that never answers
    // (no wait may be without a limit); an echo that came back whole but different; when
    // the latency clock starts and stops; a failed request is neither counted nor timed;
    // each request has its own message; small messages and Nagle's algorithm (chapter 10,
    // "Benchmarking honestly on loopback", item 8). Read chapter 10, "Bounded in count and
    // in time", "Errors are counted, never hidden" and "Every byte checked", and
    // `tokio::time::timeout` in the tokio docs. Stuck? `cargo xtask hint 10`.
    todo!()
}

/// One request on an open connection: writes all of `message`, then reads
/// until `echo` (exactly as long as the message) is full.
///
/// Counts in `outcome` the bytes sent (the whole message, once written) and
/// every byte received, as they arrive: they count even if the request fails
/// halfway. A read of 0 bytes before the echo is complete means the server
/// closed the connection ([`RequestError::Closed`]); any other I/O error is
/// [`RequestError::Broken`]. Does not compare the echo with the message: the
/// caller does.
pub async fn exchange(
    stream: &mut TcpStream,
    message: &[u8],
    echo: &mut [u8],
    outcome: &mut ConnectionOutcome,
) -> Result<(), RequestError> {
    // TODO: one request's bytes, as the doc comment says. Think about: a write the stream
    // takes only part of; an echo that arrives in many pieces (200 000 bytes never come in
    // one read); a read of 0 bytes, which will return 0 again for ever; bytes that count
    // even when the request fails halfway; which `RequestError` each failure is. Read
    // chapter 4, "TCP carries bytes, not messages", and chapter 10, "A closed loop".
    // Stuck? `cargo xtask hint 10`.
    todo!()
}
