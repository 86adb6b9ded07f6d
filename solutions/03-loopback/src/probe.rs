//! Probing: one connection attempt, with a time limit.
//!
//! "Can I reach that server?" has exactly one reliable answer: try to
//! connect. Reasoning about addresses (see [`reachability`](crate::reachability))
//! tells you what *should* happen; a real attempt tells you what *does*.
//!
//! **Why a time limit?** When a host answers, it answers fast: a connection
//! on the same machine or the same network is set up, or refused, in well
//! under a millisecond. When *nobody* answers, a plain
//! [`TcpStream::connect`] keeps resending its SYN, waiting longer each time,
//! and on Linux gives up only after about two minutes (how many times it
//! resends is in `/proc/sys/net/ipv4/tcp_syn_retries`). A probe cannot wait
//! that long, so it uses [`TcpStream::connect_timeout`]: past the
//! limit, the attempt ends with an [`io::ErrorKind::TimedOut`](std::io::ErrorKind::TimedOut)
//! error, which [`outcome::classify`](crate::outcome::classify) turns into [`Outcome::TimedOut`].
//!
//! [`connect`] keeps the connection when it works (a client wants to talk
//! over it); [`probe`] only wants the verdict and closes it at once.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

// BEGIN SOLUTION
use crate::outcome::{Outcome, classify};
// END SOLUTION
// STUB: use crate::outcome::Outcome;

/// A time limit for one attempt that is generous on a local network: a
/// server that exists answers in far less.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Connects to `target`, giving up after `timeout`.
///
/// On success, the connected stream. On failure, the [`Outcome`] the error
/// stands for (see [`outcome::classify`](crate::outcome::classify)): never [`Outcome::Connected`].
pub fn connect(target: SocketAddr, timeout: Duration) -> Result<TcpStream, Outcome> {
    // BEGIN SOLUTION
    TcpStream::connect_timeout(&target, timeout).map_err(|error| classify(&error))
    // END SOLUTION
    // STUB: // TODO: one connection attempt with a time limit, as the doc comment says. Think about: a
    // STUB: //       host that never answers (your attempt must give up after `timeout`, not after the
    // STUB: //       two minutes of a plain connect); an IPv6 target such as `[::1]:PORT`; a failure
    // STUB: //       comes back as an `Outcome`, read the way `crate::outcome` reads errors. Read this
    // STUB: //       module's comment and std's `TcpStream` docs. Stuck? `cargo xtask hint 03`.
    // STUB: todo!()
}

/// Whether a server can be reached at `target` within `timeout`: one real
/// connection attempt, closed as soon as it succeeds.
pub fn probe(target: SocketAddr, timeout: Duration) -> Outcome {
    // BEGIN SOLUTION
    match connect(target, timeout) {
        Ok(_stream) => Outcome::Connected,
        Err(failure) => failure,
    }
    // END SOLUTION
    // STUB: // TODO: only the verdict of one attempt, as the doc comment says, built on `connect`. Think
    // STUB: //       about: what becomes of the stream when you do not keep it. Stuck?
    // STUB: //       `cargo xtask hint 03`.
    // STUB: todo!()
}
