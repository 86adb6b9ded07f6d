//! The outbox: bytes that were read from a client and wait to be written back.
//!
//! In lab 04, `write_all(&buffer[..n]).await` did two things for you: it
//! looped over partial writes, and it *waited* when the socket could take no
//! more. On a non-blocking socket nobody waits. A `write` does one of three
//! things, at once:
//!
//! - `Ok(n)` with `n` as large as the bytes you gave: all of them went into the
//!   kernel's send buffer;
//! - `Ok(n)` with a smaller `n`: a **partial write**. The send buffer had room
//!   for only `n` bytes; the others are still yours to send;
//! - `Err(e)` with `e.kind() == WouldBlock`: the send buffer is full, nothing
//!   was written. Try again when the poll says the socket is writable.
//!
//! So the bytes that could not be written yet must be kept somewhere: in the
//! connection's **outbox**. [`Outbox::write_to`] writes from the front of the
//! outbox for as long as the socket takes bytes, removes exactly the bytes each
//! `write` accepted (the count it returned, not the length you gave it), and
//! stops at `WouldBlock` with the rest still in the outbox, in order.
//!
//! Ignoring that count is the classic bug of hand-written event loops: the
//! server works in every quick test, and loses bytes in the middle of the
//! stream the day a client reads a little slowly.
//!
//! The outbox has a [capacity](OUTBOX_CAPACITY): once it holds that many
//! bytes, the connection stops reading from its client until the outbox has
//! room again (see [`crate::connection`]). That is how a hand-written server
//! gets the *backpressure* that lab 04's read-then-`write_all` loop had for
//! free: the memory a client can make the server hold stays bounded.

use std::io::{self, Write};

/// How many bytes a connection's outbox holds at most: 64 KiB.
pub const OUTBOX_CAPACITY: usize = 64 * 1024;

/// Bytes waiting to be written, oldest first.
#[derive(Debug, Default)]
pub struct Outbox {
    bytes: Vec<u8>,
}

impl Outbox {
    /// An empty outbox.
    pub fn new() -> Outbox {
        Outbox::default()
    }

    /// How many bytes wait to be written.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Nothing waits to be written.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// How many more bytes fit before the outbox is full.
    pub fn room(&self) -> usize {
        OUTBOX_CAPACITY.saturating_sub(self.bytes.len())
    }

    /// The outbox holds [`OUTBOX_CAPACITY`] bytes or more: stop reading for now.
    pub fn is_full(&self) -> bool {
        self.room() == 0
    }

    /// Adds `bytes` at the back, after everything already waiting.
    pub fn push(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// Writes from the front of the outbox into `writer` until the outbox is
    /// empty or the writer would block, and returns how many bytes it wrote.
    ///
    /// Each `write` may take fewer bytes than it was given: exactly the bytes it
    /// took (the count it returned) leave the outbox, and the rest stay at the
    /// front, to be written first next time. `WouldBlock` is not an error: it
    /// ends this call, and the caller knows from [`is_empty`](Outbox::is_empty)
    /// whether everything went. `Interrupted` is retried. A `write` that takes
    /// 0 bytes of a non-empty buffer is the error `WriteZero`; any other error is
    /// returned as it is.
    pub fn write_to<W: Write>(&mut self, writer: &mut W) -> io::Result<usize> {
        // BEGIN SOLUTION
        let mut written = 0;
        while !self.bytes.is_empty() {
            match writer.write(&self.bytes) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(count) => {
                    self.bytes.drain(..count);
                    written += count;
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            }
        }
        Ok(written)
        // END SOLUTION
        // STUB: // TODO: drain the outbox into `writer`, as the doc comment says. Think about: a
        // STUB: // writer that takes only part of what it is given (the test's takes at most 3000 bytes
        // STUB: // a call); one that says `WouldBlock` at once, or after taking some bytes; a write
        // STUB: // that is `Interrupted`; one that takes 0 bytes; an outbox that is empty already.
        // STUB: // Read the module comment, chapter 6, "The outbox and partial writes", and the docs of
        // STUB: // `std::io::Write::write`. Stuck? `cargo xtask hint 06`.
        // STUB: todo!()
    }
}
