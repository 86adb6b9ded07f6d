//! A pretend non-blocking stream for `Outbox` and `Connection`: bytes arrive when the test
//! says, a read says `WouldBlock` when nothing has arrived, the writes take only as many
//! bytes as the test allows and then say `WouldBlock`, and everything is counted. No
//! network, so every run is exactly the same.

use std::io::{self, Read, Write};

use lab06_echo_mio::connection::HalfClose;

use super::bytes::{Checker, Payload};

/// How many reads after the end of the stream are one too many: a loop that keeps
/// reading after a read of 0 bytes would otherwise spin for ever.
const READS_AFTER_END_LIMIT: u32 = 1000;

pub struct ScriptedStream {
    payload: Payload,
    /// How many payload bytes have arrived (the test said so), read or not.
    arrived: u64,
    /// How many payload bytes the reads handed out.
    pub given: u64,
    /// The end of the stream has arrived, after the bytes that arrived before it.
    end_arrived: bool,
    /// The most bytes one read hands out.
    max_read: usize,
    /// The most bytes one write takes.
    max_write: usize,
    /// How many more bytes the writes may take before they say `WouldBlock`.
    write_room: u64,
    /// What the writes received, compared with the payload.
    pub written: Checker,
    /// How many reads said `WouldBlock`.
    pub reads_that_would_block: u32,
    /// How many reads came after the end of the stream (the first one, which returns 0, too).
    pub reads_after_end: u32,
    /// How many bytes had been written when the writing side was shut down.
    pub shut_down_after: Option<u64>,
    /// The most bytes that were read but not yet written back, at any moment.
    pub most_held: u64,
}

impl ScriptedStream {
    /// A stream that will carry `payload`, handing out at most `max_read` bytes per read
    /// and taking at most `max_write` bytes per write. Nothing has arrived yet, and the
    /// writes have no room yet.
    pub fn new(payload: Payload, max_read: usize, max_write: usize) -> ScriptedStream {
        ScriptedStream {
            payload,
            arrived: 0,
            given: 0,
            end_arrived: false,
            max_read,
            max_write,
            write_room: 0,
            written: Checker::new(payload),
            reads_that_would_block: 0,
            reads_after_end: 0,
            shut_down_after: None,
            most_held: 0,
        }
    }

    /// The next `count` bytes of the payload arrive from the client.
    pub fn arrive(&mut self, count: u64) {
        assert!(
            !self.end_arrived && self.arrived + count <= self.payload.len(),
            "the test scripts no more than its payload"
        );
        self.arrived += count;
    }

    /// The client shuts down its sending side: after the bytes already arrived, reads return 0.
    pub fn arrive_end(&mut self) {
        self.end_arrived = true;
    }

    /// The client reads: the writes may take `count` more bytes.
    pub fn make_room(&mut self, count: u64) {
        self.write_room += count;
    }

    /// Bytes that arrived and were not read yet.
    pub fn unread(&self) -> u64 {
        self.arrived - self.given
    }

    fn note_held(&mut self) {
        let held = self.given.saturating_sub(self.written.received);
        self.most_held = self.most_held.max(held);
    }
}

impl Read for ScriptedStream {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.unread() > 0 {
            let count = (self.unread() as usize)
                .min(self.max_read)
                .min(buffer.len());
            self.payload.fill(self.given, &mut buffer[..count]);
            self.given += count as u64;
            self.note_held();
            return Ok(count);
        }
        if self.end_arrived {
            self.reads_after_end += 1;
            assert!(
                self.reads_after_end < READS_AFTER_END_LIMIT,
                "the connection read {READS_AFTER_END_LIMIT} times after the stream had ended. \
                 A read that returns 0 bytes is the end of the stream: stop reading there."
            );
            return Ok(0);
        }
        self.reads_that_would_block += 1;
        Err(io::ErrorKind::WouldBlock.into())
    }
}

impl Write for ScriptedStream {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.shut_down_after.is_some() {
            // Like a real socket: no writing after shutdown(Write).
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let count = data
            .len()
            .min(self.max_write)
            .min(self.write_room.min(usize::MAX as u64) as usize);
        if count == 0 && !data.is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        self.written.feed(&data[..count]);
        self.write_room -= count as u64;
        self.note_held();
        Ok(count)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl HalfClose for ScriptedStream {
    fn shutdown_write(&mut self) -> io::Result<()> {
        self.shut_down_after.get_or_insert(self.written.received);
        Ok(())
    }
}
