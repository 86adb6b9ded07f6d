//! Echoing one connection: read what arrived, write it back, until the end of the stream.
//!
//! RFC 862, the Echo Protocol, fits in one sentence: "Once a connection is
//! established any data received is sent back. This continues until the
//! calling user terminates the connection." Three facts about TCP turn that
//! sentence into a loop.
//!
//! **TCP carries a stream of bytes, not messages.** A client that writes
//! `"hello"` and then `"world"` may see its bytes arrive at the server as one
//! read of `"helloworld"`, or as `"hel"`, `"lowo"` and `"rld"`. A read returns
//! *whatever has arrived so far*, at least one byte and at most the size of
//! your buffer. So an echo server does not look for messages: it sends back
//! each piece as soon as it has read it.
//!
//! **A read of 0 bytes means the end of the stream.** When the client has
//! nothing more to send, it *shuts down its writing side* (`shutdown(Write)`,
//! which sends a TCP FIN segment; RFC 9293, section 3.6), or closes the
//! connection altogether. Every read after that returns `Ok(0)`. The client
//! may still be reading, though: it is waiting for the rest of its echo. So
//! the server writes everything back, then shuts down *its* writing side too,
//! and the client reads the end of the stream in turn. That is a *half-close*:
//! each direction of a TCP connection is closed on its own.
//!
//! **The memory stays fixed, whatever the client sends.** The loop reads into
//! one buffer of [`BUFFER_SIZE`] bytes and writes those bytes back before it
//! reads again, so a connection never holds more than that, even when a client
//! sends gigabytes. Reading *everything* first (`read_to_end`) would need as
//! much memory as the client sends, and it would never answer a client that
//! waits for the echo of its first line before it sends the second.
//!
//! And when the client sends faster than it reads? Then `write_all` waits:
//! the kernel's buffers for this connection are full. While it waits, the loop
//! does not read, so the server's receive buffer fills up too, and TCP's flow
//! control (the receive window, RFC 9293, section 3.8.6) makes the client's
//! own writes wait. Nobody's memory grows: this is *backpressure*.
//!
//! Two details of the writing side:
//!
//! - [`write`](tokio::io::AsyncWriteExt::write) may accept only *some* of the
//!   bytes, and says how many; [`write_all`](tokio::io::AsyncWriteExt::write_all)
//!   loops until every byte is written. An echo must not drop bytes.
//! - [`shutdown`](tokio::io::AsyncWriteExt::shutdown) on a `TcpStream` is
//!   `shutdown(Write)`: the FIN that tells the client "nothing more is coming".
//!
//! A client that vanishes mid-stream makes a read fail with "connection reset
//! by peer" (`ECONNRESET`) or a write fail with "broken pipe" (`EPIPE`). That
//! ends this connection only: [`echo`] returns the error, and the server logs
//! it and carries on with its other clients.
//!
//! [`echo`] works on anything that can be read and written asynchronously
//! ([`AsyncRead`] + [`AsyncWrite`]), not only on a [`tokio::net::TcpStream`]:
//! that is how the tests can check it on a pretend stream that counts every byte.

use tokio::io::{self, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The size of the one buffer a connection reads into: 16 KiB.
///
/// Any size works; a bigger buffer means fewer reads and writes for a big
/// transfer, a smaller one less memory per client. 16 KiB is a common choice.
pub const BUFFER_SIZE: usize = 16 * 1024;

/// Echoes everything read from `stream` back into it, until the end of the stream,
/// then shuts down the writing side. Returns how many bytes were echoed.
///
/// Each read is written back before the next read, through one buffer of
/// [`BUFFER_SIZE`] bytes: the bytes of a piece go back as soon as they arrived,
/// without waiting for more, and the memory used stays the same however much
/// the client sends. The writes must not lose a byte, even when the stream
/// accepts only part of a write.
///
/// On `Ok(0)` from a read (the client shut down its writing side, or closed),
/// every byte read has been written back; [`echo`] then shuts down the stream's
/// writing side, so that the client sees the end of the stream too, and
/// returns the number of bytes echoed.
///
/// A read, write or shutdown error (the client vanished) is returned as it is.
pub async fn echo<S>(stream: &mut S) -> io::Result<u64>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    // BEGIN SOLUTION
    let mut buffer = vec![0; BUFFER_SIZE];
    let mut echoed = 0;
    loop {
        let received = stream.read(&mut buffer).await?;
        if received == 0 {
            break;
        }
        stream.write_all(&buffer[..received]).await?;
        echoed += received as u64;
    }
    stream.shutdown().await?;
    Ok(echoed)
    // END SOLUTION
    // STUB: // TODO: echo until the end of the stream, as the doc comment above says. Think about: a
    // STUB: // client that sends one byte and waits for its echo before it sends more; a stream that takes
    // STUB: // only part of each write; 8 MiB through one 16 KiB buffer; a client that half-closes and is
    // STUB: // still reading; a client that vanishes mid-stream; which number to return, and when. Read
    // STUB: // this file's opening comment, chapter 4's "TCP carries bytes, not messages" and "Closing one
    // STUB: // direction at a time", and tokio's `AsyncReadExt` and `AsyncWriteExt` docs.
    // STUB: // Stuck? `cargo xtask hint 04`.
    // STUB: todo!()
}
