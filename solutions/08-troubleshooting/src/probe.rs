//! Probing: one connection attempt, with a time limit and a stopwatch.
//!
//! "Is port 62893 open?" has one reliable answer: try to connect. A probe
//! sends the SYN and waits for whatever comes back, and how *long* it waited
//! is half the diagnosis:
//!
//! | verdict      | typical time on one machine or a LAN         | why                                  |
//! |--------------|----------------------------------------------|--------------------------------------|
//! | open         | well under a millisecond                      | the SYN-ACK comes straight back      |
//! | refused      | well under a millisecond                      | the RST comes straight back          |
//! | unreachable, prohibited | microseconds                       | the kernel said no before sending    |
//! | filtered     | exactly the time limit                        | nothing came back: the probe gave up |
//!
//! A refusal is *fast*, silence is *slow*. A probe that reports "refused"
//! after waiting its whole time limit has confused the two.
//!
//! The probe uses tokio, so that a [scan](crate::scan) can run many at once.
//! [`tokio::net::TcpStream::connect`] has no time limit of its own (the
//! kernel's is about two minutes); [`tokio::time::timeout`] puts one around it
//! and answers `Err(Elapsed)` when the time is up. That `Err` is not an
//! `io::Error`: it is the silence itself, the verdict [`Verdict::Filtered`].

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tokio::time::timeout;

use crate::verdict::{Verdict, classify};

/// How long the program waits for an answer by default: far more than any
/// host that answers needs on a local network.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// One connection attempt: where, what came of it, and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The address and port the probe connected to.
    pub target: SocketAddr,
    /// What the attempt says.
    pub verdict: Verdict,
    /// From just before the attempt started until it ended.
    pub elapsed: Duration,
}

/// Connects to `target` and says what happened, giving up after `limit`.
///
/// - the connection is made: [`Verdict::Open`] (and it is closed at once);
/// - `connect` fails with an error: the verdict [`classify`] gives for it;
/// - nothing happens before `limit`: [`Verdict::Filtered`].
///
/// `elapsed` is measured with [`Instant`] around the whole attempt.
pub async fn probe(target: SocketAddr, limit: Duration) -> Probe {
    // BEGIN SOLUTION
    let started = Instant::now();
    let verdict = match timeout(limit, TcpStream::connect(target)).await {
        Ok(Ok(_stream)) => Verdict::Open,
        Ok(Err(error)) => classify(&error),
        Err(_elapsed) => Verdict::Filtered,
    };
    Probe {
        target,
        verdict,
        elapsed: started.elapsed(),
    }
    // END SOLUTION
    // STUB: // TODO: one timed attempt with a time limit, as the doc comment says. Think about: an
    // STUB: // error that comes back at once (refused, unreachable) against silence, which lasts until
    // STUB: // your limit (a listener whose accept queue is full); a connect that never ends by itself
    // STUB: // (the kernel waits about two minutes); a time that covers the whole attempt. The tests
    // STUB: // check the verdict and how long it took. Read this module's comment, chapter 8, "What a
    // STUB: // connection attempt can learn", and the tokio docs of `time::timeout`.
    // STUB: // Stuck? `cargo xtask hint 08`.
    // STUB: todo!()
}

/// A duration for people, in milliseconds with one decimal: `0.1 ms`, `1000.3 ms`.
pub fn milliseconds(duration: Duration) -> String {
    // BEGIN SOLUTION
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
    // END SOLUTION
    // STUB: // TODO: the text of the doc comment's examples. Think about: a duration far below one
    // STUB: // millisecond (keep the fraction); exactly one decimal. Read the std docs of `Duration`,
    // STUB: // and of `std::fmt`, section "Precision". Stuck? `cargo xtask hint 08`.
    // STUB: todo!()
}
