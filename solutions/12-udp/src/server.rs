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
// BEGIN SOLUTION

use std::collections::VecDeque;

use crate::protocol::{Kind, Message};
// END SOLUTION

/// How often [`serve`] looks at its `stop` flag while no datagram arrives, at least.
pub const STOP_CHECK: Duration = Duration::from_millis(100);

/// The counter and its memory of recent answers.
pub struct Counter {
    // BEGIN SOLUTION
    total: i64,
    memory: usize,
    /// The most recent answers, oldest first: who asked, the request's id, the datagram sent.
    answered: VecDeque<(SocketAddr, u32, Vec<u8>)>,
    // END SOLUTION
    // STUB: // TODO: the counter's state: you design it (see `new` and `answer`).
}

impl Counter {
    /// A counter at 0 that remembers the answers to the last `memory` requests it applied.
    pub fn new(memory: usize) -> Counter {
        // BEGIN SOLUTION
        Counter {
            total: 0,
            memory,
            answered: VecDeque::with_capacity(memory),
        }
        // END SOLUTION
        // STUB: // TODO: a counter at 0 with an empty memory. Stuck? `cargo xtask hint 12`.
        // STUB: todo!()
    }

    /// The total so far.
    pub fn total(&self) -> i64 {
        // BEGIN SOLUTION
        self.total
        // END SOLUTION
        // STUB: // TODO: from the state you designed.
        // STUB: todo!()
    }

    /// How many answers the counter remembers now: never more than its `memory`.
    pub fn remembered(&self) -> usize {
        // BEGIN SOLUTION
        self.answered.len()
        // END SOLUTION
        // STUB: // TODO: from the state you designed.
        // STUB: todo!()
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
        // BEGIN SOLUTION
        let request = Message::decode(datagram).ok()?;
        if request.kind != Kind::Request {
            return None;
        }
        if let Some(answer) = self.remembered_answer(from, request.id) {
            return Some(answer.to_vec());
        }
        let body = self.apply(&request.body);
        let answer = Message::response(request.id, body.as_bytes()).encode();
        self.remember(from, request.id, answer.clone());
        Some(answer)
        // END SOLUTION
        // STUB: // TODO: decode, suppress duplicates, apply, remember, as the doc comment says. You
        // STUB: // design the memory and the helpers. Think about: what makes two requests "the same"
        // STUB: // (two clients may both use id 1), what a copy must get back, a memory that never
        // STUB: // grows past its bound, and every datagram a stranger could send. Read chapter 12,
        // STUB: // "Applying a request once", and std's `VecDeque`. Stuck? `cargo xtask hint 12`.
        // STUB: todo!()
    }
    // BEGIN SOLUTION

    /// The answer already sent to request `id` from `from`, if it is still remembered.
    fn remembered_answer(&self, from: SocketAddr, id: u32) -> Option<&[u8]> {
        self.answered
            .iter()
            .find(|(client, known, _)| *client == from && *known == id)
            .map(|(_, _, answer)| answer.as_slice())
    }

    /// Remembers an answer, forgetting the oldest one when the memory is full.
    fn remember(&mut self, from: SocketAddr, id: u32, answer: Vec<u8>) {
        if self.memory == 0 {
            return;
        }
        if self.answered.len() == self.memory {
            self.answered.pop_front();
        }
        self.answered.push_back((from, id, answer));
    }

    /// Applies one request's body and returns the answer's body.
    fn apply(&mut self, body: &[u8]) -> String {
        let amount = std::str::from_utf8(body)
            .ok()
            .and_then(|text| text.strip_prefix("add "))
            .and_then(|amount| amount.trim().parse::<i64>().ok());
        match amount {
            None => "error: the request must be `add N`, N a whole number".to_string(),
            Some(amount) => match self.total.checked_add(amount) {
                Some(total) => {
                    self.total = total;
                    total.to_string()
                }
                None => "error: the total would overflow".to_string(),
            },
        }
    }
    // END SOLUTION
}

/// Answers every datagram that arrives on `socket` with `counter`, until `stop` is set: it
/// looks at `stop` at least every [`STOP_CHECK`] (so it sets the socket's read timeout), and
/// then returns `Ok`. It never stops or panics because of what a datagram holds; an error
/// of the socket itself is returned.
pub fn serve(socket: &UdpSocket, counter: &mut Counter, stop: &AtomicBool) -> io::Result<()> {
    // BEGIN SOLUTION
    socket.set_read_timeout(Some(STOP_CHECK))?;
    // The largest datagram UDP can carry: nothing is ever truncated.
    let mut buffer = vec![0; 65536];
    while !stop.load(Ordering::Relaxed) {
        let (size, from) = match socket.recv_from(&mut buffer) {
            Ok(received) => received,
            Err(error) if is_timeout(&error) => continue,
            Err(error) => return Err(error),
        };
        if let Some(answer) = counter.answer(from, &buffer[..size]) {
            // A client that went away is not the server's problem: the send may fail.
            let _ = socket.send_to(&answer, from);
        }
    }
    Ok(())
    // END SOLUTION
    // STUB: // TODO: the server's loop, as the doc comment says. Think about: how the loop notices
    // STUB: // `stop` while no datagram comes, how a read timeout shows up as an error, a buffer
    // STUB: // large enough that nothing is truncated, and where each answer goes. Read chapter 12,
    // STUB: // "Applying a request once", and std's `UdpSocket::recv_from` and `send_to`. Stuck?
    // STUB: // `cargo xtask hint 12`.
    // STUB: todo!()
}
// BEGIN SOLUTION

/// Whether a receive error only means that the read timeout passed (`WouldBlock` on Linux)
/// or that a signal interrupted the wait: either way, look at `stop` and wait again.
fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}
// END SOLUTION
