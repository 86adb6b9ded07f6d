//! A pretend stream for `echo`: it hands out a payload in reads of chosen sizes, takes
//! writes of at most a chosen size, and counts everything. No network, so every run is
//! exactly the same.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::bytes::{Checker, Payload};

/// How many reads after the end of the stream are one too many: a loop that keeps
/// reading after a read of 0 bytes would otherwise spin for ever.
const READS_AFTER_END_LIMIT: u32 = 1000;

pub struct ScriptedStream {
    payload: Payload,
    /// The most bytes one read hands out.
    max_read: usize,
    /// The most bytes one write takes; the rest of the write is left to the caller.
    max_write: usize,
    /// How many payload bytes the reads handed out.
    pub given: u64,
    /// What the writes received, compared with the payload.
    pub written: Checker,
    /// The most bytes that were read but not yet written back, at any moment.
    pub most_held: u64,
    /// How many reads came after the end of the stream.
    pub reads_after_end: u32,
    /// How many bytes had been written when the writing side was shut down.
    pub shut_down_after: Option<u64>,
}

impl ScriptedStream {
    pub fn new(payload: Payload, max_read: usize, max_write: usize) -> ScriptedStream {
        ScriptedStream {
            payload,
            max_read,
            max_write,
            given: 0,
            written: Checker::new(payload),
            most_held: 0,
            reads_after_end: 0,
            shut_down_after: None,
        }
    }

    fn note_held(&mut self) {
        let held = self.given.saturating_sub(self.written.received);
        self.most_held = self.most_held.max(held);
    }
}

impl AsyncRead for ScriptedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let left = this.payload.len() - this.given;
        if left == 0 {
            this.reads_after_end += 1;
            assert!(
                this.reads_after_end < READS_AFTER_END_LIMIT,
                "echo called read {READS_AFTER_END_LIMIT} times after the stream had ended. \
                 A read that returns 0 bytes means the end of the stream: leave the loop there."
            );
            return Poll::Ready(Ok(()));
        }
        let count = (left as usize).min(this.max_read).min(buf.remaining());
        let piece = this.payload.chunk(this.given, count);
        buf.put_slice(&piece);
        this.given += count as u64;
        this.note_held();
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for ScriptedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let count = data.len().min(this.max_write);
        if this.shut_down_after.is_some() {
            // Like a real socket: no writing after shutdown(Write).
            return Poll::Ready(Err(io::Error::from(io::ErrorKind::BrokenPipe)));
        }
        this.written.feed(&data[..count]);
        this.note_held();
        Poll::Ready(Ok(count))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.shut_down_after.get_or_insert(this.written.received);
        Poll::Ready(Ok(()))
    }
}
