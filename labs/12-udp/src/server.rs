//! A server for an operation that must not happen twice: a counter.
//!
//! `add 5` adds 5 to the total and answers the new total. Adding is **not idempotent**: doing
//! it twice is not the same as doing it once. Over UDP that matters, because the server sees
//! the same request more than once in two ordinary ways:
//!
//! - the network duplicated the datagram (a link or a router sent it twice);
//! - the answer was lost, so the client, which cannot tell a lost request from a lost answer,
//!   sent the request again.
//!
//! A server that applies every copy counts some adds twice. The cure is **duplicate
//! suppression**: remember the answers to recent requests, by the client's address and the
//! request's id, and answer a copy with the remembered answer, without applying it again.
//! The memory must be **bounded** (the oldest answers are forgotten first), or a busy server
//! runs out of memory; a copy that arrives after its answer was forgotten is applied again,
//! which is why the memory must outlast the client's retries. (ONC RPC's transaction id
//! serves servers the same way, to detect retransmissions: RFC 5531, section 9; NFS servers
//! over UDP keep such a cache of recent replies.)
//!
//! The protocol: a request's body is `add N` (N a whole number, negative allowed), and its
//! answer's body is the new total, as text (`12`). A request the counter cannot read is
//! answered `error: …` and changes nothing.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often [`serve`] looks at its `stop` flag while no datagram arrives, at least.
pub const STOP_CHECK: Duration = Duration::from_millis(100);

/// The counter and its memory of recent answers.
pub struct Counter {
    // TODO: the counter's state: you design it (see `new` and `answer`).
}

impl Counter {
    /// A counter at 0 that remembers the answers to the last `memory` requests it applied.
    pub fn new(memory: usize) -> Counter {
        // TODO: a counter at 0 with an empty memory. Stuck? `cargo xtask hint 12`.
        todo!()
    }

    /// The total so far.
    pub fn total(&self) -> i64 {
        // TODO: from the state you designed.
        todo!()
    }

    /// How many answers the counter remembers now: never more than its `memory`.
    pub fn remembered(&self) -> usize {
        // TODO: from the state you designed.
        todo!()
    }

    /// The datagram to send back for the datagram `datagram` from `from`, or `None` when
    /// nothing should be sent back (a datagram that is not a request: malformed, or a
    /// response).
    ///
    /// A new request is applied once (`add N` adds N and answers the new total; any other
    /// body is answered `error: …` and changes nothing), and its answer remembered. A request
    /// with the same client address and id as one of the remembered answers gets that same
    /// answer again, and is not applied again. When the memory is full, the oldest answer is
    /// forgotten.
    pub fn answer(&mut self, from: SocketAddr, datagram: &[u8]) -> Option<Vec<u8>> {
        // TODO: decode, suppress duplicates, apply, remember, as the doc comment says. You
        // design the memory and the helpers. Think about: what makes two requests "the same"
        // (two clients may both use id 1), what a copy must get back, a memory that never
        // grows past its bound, and every datagram a stranger could send. Read chapter 12,
        // "Applying a request once", and std's `VecDeque`. Stuck? `cargo xtask hint 12`.
        todo!()
    }
}

/// Answers every datagram that arrives on `socket` with `counter`, until `stop` is set: it
/// looks at `stop` at least every [`STOP_CHECK`] (so it sets the socket's read timeout), and
/// then returns `Ok`. It never stops or panics because of what a datagram holds; an error
/// of the socket itself is returned.
pub fn serve(socket: &UdpSocket, counter: &mut Counter, stop: &AtomicBool) -> io::Result<()> {
    // TODO: the server's loop, as the doc comment says. Think about: how the loop notices
    // `stop` while no datagram comes, how a read timeout shows up as an error, a buffer
    // large enough that nothing is truncated, and where each answer goes. Read chapter 12,
    // "Applying a request once", and std's `UdpSocket::recv_from` and `send_to`. Stuck?
    // `cargo xtask hint 12`.
    todo!()
}
