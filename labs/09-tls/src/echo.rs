//! The echo loop of lab 04, given: read what arrived, write it back, until the end of the stream.
//!
//! It is generic over [`AsyncRead`] + [`AsyncWrite`], which pays off now: the
//! same loop that echoed a plain [`tokio::net::TcpStream`] in lab 04 echoes a
//! [`tokio_rustls::server::TlsStream`] here, without a change. TLS sits
//! *between* the socket and the application: the application still reads and
//! writes plain bytes, and rustls encrypts them into TLS records on the way out
//! and decrypts them on the way in.
//!
//! Two details change meaning under TLS:
//!
//! - a read of 0 bytes means the peer sent a **`close_notify`** alert, TLS's
//!   own "I have nothing more to send" (RFC 8446, section 6.1), before its TCP
//!   FIN. A peer that closes the TCP connection *without* `close_notify` makes
//!   the read fail with `UnexpectedEof` instead: a TLS implementation cannot
//!   tell such an end from an attacker cutting the connection short (a
//!   *truncation attack*), so it says so;
//! - [`shutdown`](AsyncWriteExt::shutdown) sends our own `close_notify`, then
//!   shuts down the TCP writing side.

use tokio::io::{self, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The size of the one buffer a connection reads into: 16 KiB, the largest
/// plaintext a single TLS record can carry.
pub const BUFFER_SIZE: usize = 16 * 1024;

/// Echoes everything read from `stream` back into it, until the end of the stream,
/// then shuts down the writing side. Returns how many bytes were echoed.
///
/// A read, write or shutdown error (the client vanished) is returned as it is.
pub async fn echo<S>(stream: &mut S) -> io::Result<u64>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
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
}
