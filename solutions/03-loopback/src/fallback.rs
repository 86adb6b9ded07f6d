//! Falling back: a name has several addresses, so try each one in order.
//!
//! `localhost` is a *name*. Before connecting, a client asks the resolver
//! (`getaddrinfo`, which reads `/etc/hosts`) for its addresses, and on most
//! Linux machines it gets **two**, in this order:
//!
//! ```text
//! $ getent ahosts localhost
//! ::1             STREAM localhost
//! 127.0.0.1       STREAM localhost
//! ```
//!
//! IPv6 first: RFC 6724 (section 6) sorts destinations by a policy table
//! in which `::1` outranks every IPv4 address. (Some machines list only
//! `127.0.0.1`; `getent ahosts localhost` shows what yours says.)
//!
//! Now the classic bug. A development server listens on `127.0.0.1:8000`
//! only, and a client connects to `localhost:8000`. The first address it
//! tries, `[::1]:8000`, is refused: nothing listens *there*, since IPv4 and
//! IPv6 are two separate worlds with separate sockets. A client that gives up
//! after the first address reports "connection refused" for a server that is
//! running fine. A careful client goes on to `127.0.0.1:8000`, and connects:
//!
//! ```text
//! attempt 1: [::1]:8000 -> refused: a host answered, but nothing listens on that address and port there
//! attempt 2: 127.0.0.1:8000 -> connected
//! connected to 127.0.0.1:8000 after 1 failed attempt
//! ```
//!
//! That is what the standard library's [`TcpStream::connect`](std::net::TcpStream::connect)
//! does with `"localhost:8000"`: it tries each address in order, stops at the
//! first that works, and when none does, returns the *last* error. Here you
//! write the same loop, with a time limit per attempt, and keep a
//! [`Transcript`] of every attempt so that the bug above can be seen.

use std::fmt;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::outcome::Outcome;
// BEGIN SOLUTION
use crate::probe::connect;
// END SOLUTION

/// One connection attempt: where to, and how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// The address and port the client tried.
    pub target: SocketAddr,
    /// How the attempt ended.
    pub outcome: Outcome,
}

/// Every attempt of [`connect_in_order`], and the connection if one worked.
#[derive(Debug)]
pub struct Transcript {
    /// The attempts in the order they were made. After the first
    /// [`Outcome::Connected`] there are no more attempts.
    pub attempts: Vec<Attempt>,
    /// The open connection, when an attempt succeeded (it is then the last attempt).
    pub stream: Option<TcpStream>,
}

impl Transcript {
    /// How the whole thing ended, as the standard library would report it.
    ///
    /// [`Outcome::Connected`] when there is a stream; otherwise the outcome
    /// of the *last* attempt; [`Outcome::NoAddress`] when there was nothing
    /// to try.
    pub fn outcome(&self) -> Outcome {
        // BEGIN SOLUTION
        if self.stream.is_some() {
            return Outcome::Connected;
        }
        self.attempts
            .last()
            .map_or(Outcome::NoAddress, |attempt| attempt.outcome)
        // END SOLUTION
        // STUB: // TODO: `Outcome::Connected` if `self.stream.is_some()`; otherwise the outcome of
        // STUB: //       `self.attempts.last()`, or `Outcome::NoAddress` when that is `None`
        // STUB: //       (`Option::map_or`).
        // STUB: todo!()
    }
}

/// Tries `targets` one after the other, each with the time limit `timeout`,
/// and stops at the first connection that works.
///
/// Every attempt made goes into the transcript, in order; the stream of the
/// successful attempt, if any, goes into [`Transcript::stream`]. An empty
/// `targets` gives an empty transcript without a stream.
pub fn connect_in_order(targets: &[SocketAddr], timeout: Duration) -> Transcript {
    // BEGIN SOLUTION
    let mut attempts = Vec::new();
    for &target in targets {
        match connect(target, timeout) {
            Ok(stream) => {
                attempts.push(Attempt {
                    target,
                    outcome: Outcome::Connected,
                });
                return Transcript {
                    attempts,
                    stream: Some(stream),
                };
            }
            Err(failure) => attempts.push(Attempt {
                target,
                outcome: failure,
            }),
        }
    }
    Transcript {
        attempts,
        stream: None,
    }
    // END SOLUTION
    // STUB: // TODO: start with an empty `Vec` of attempts; for each target, call
    // STUB: //       `crate::probe::connect(target, timeout)`. On `Ok(stream)`, record an `Attempt` with
    // STUB: //       `Outcome::Connected` and return the transcript with `Some(stream)` at once. On
    // STUB: //       `Err(failure)`, record the attempt and go on. After the loop nothing has connected:
    // STUB: //       return the attempts with `stream: None`.
    // STUB: todo!()
}

/// One line per attempt, then one line for the result.
impl fmt::Display for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (number, attempt) in self.attempts.iter().enumerate() {
            write!(
                f,
                "attempt {}: {} -> {}",
                number + 1,
                attempt.target,
                attempt.outcome
            )?;
            if !attempt.outcome.is_connected() {
                write!(f, ": {}", attempt.outcome.explain())?;
            }
            writeln!(f)?;
        }
        let failures = self
            .attempts
            .iter()
            .filter(|attempt| !attempt.outcome.is_connected())
            .count();
        match (self.outcome(), self.attempts.last()) {
            (Outcome::Connected, Some(last)) if failures == 0 => {
                write!(f, "connected to {} on the first attempt", last.target)
            }
            (Outcome::Connected, Some(last)) => write!(
                f,
                "connected to {} after {failures} failed attempt{}",
                last.target,
                plural(failures)
            ),
            (_, None) => write!(f, "not connected: there was no address to try"),
            (outcome, Some(_)) => write!(
                f,
                "not connected: {failures} attempt{} failed; the last one: {outcome}",
                plural(failures)
            ),
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
