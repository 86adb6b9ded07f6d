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
        // STUB: // TODO: the verdict of the whole transcript, as the doc comment says. Think about: a
        // STUB: //       transcript with a stream; one where every attempt failed (which failure counts,
        // STUB: //       as std reports it?); an empty one, with nothing tried. Read this module's comment.
        // STUB: //       Stuck? `cargo xtask hint 03`.
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
    // STUB: // TODO: the careful client's loop, as the doc comment says. Think about: a refused first
    // STUB: //       address followed by one that works (the classic `localhost` bug); a connection on the
    // STUB: //       first address (nothing after it may be tried: that server would see a connection);
    // STUB: //       every address failing, in any way; an empty list; the successful attempt is recorded
    // STUB: //       too. Read chapter 3, "`localhost` has two addresses". Stuck? `cargo xtask hint 03`.
    // STUB: todo!()
}

/// One line per attempt, then one line for the result; every attempt's line
/// ends with a newline, the result's does not:
///
/// ```text
/// attempt 1: [::1]:8000 -> refused: a host answered, but nothing listens on that address and port there
/// attempt 2: 127.0.0.1:8000 -> connected
/// connected to 127.0.0.1:8000 after 1 failed attempt
/// ```
///
/// - An attempt reads `attempt N: TARGET -> OUTCOME`, numbered from 1, and,
///   when it did not connect, `: ` and [`Outcome::explain`] after it.
/// - The result reads `connected to TARGET on the first attempt`, or
///   `connected to TARGET after N failed attempts` (`1 failed attempt`, no
///   `s`), where TARGET is the address that connected; with no attempt at
///   all, `not connected: there was no address to try`; otherwise
///   `not connected: N attempts failed; the last one: OUTCOME` (again
///   `1 attempt failed`), where OUTCOME is what [`Transcript::outcome`] returns.
impl fmt::Display for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // BEGIN SOLUTION
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
        // END SOLUTION
        // STUB: // TODO: the transcript the doc comment shows, line for line: the program prints it, and
        // STUB: //       the tests compare it with theirs. Think about: attempt numbers start at 1; only
        // STUB: //       the failed attempts get an explanation; the four forms of the last line, and the
        // STUB: //       singular "1 failed attempt" (a small helper of your own saves repeating that
        // STUB: //       choice); no newline after the last line. Read std's `fmt::Display` and `write!`
        // STUB: //       docs. Stuck? `cargo xtask hint 03`.
        // STUB: todo!()
    }
}

// BEGIN SOLUTION
fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
// END SOLUTION
