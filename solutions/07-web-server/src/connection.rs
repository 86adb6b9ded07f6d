//! One connection, many requests: keep-alive.
//!
//! Opening a TCP connection costs a round trip (the handshake) before the first byte of
//! a request can go; over TLS, two or three. A page with a style sheet, a script and
//! ten images would pay that a dozen times. So HTTP/1.1 keeps the connection open after
//! a response, for the next request: the connection is **persistent** (RFC 9112,
//! section 9.3). The rules decide, after each request, whether to keep it:
//!
//! - the request says `Connection: close` → close after this response;
//! - an HTTP/1.1 request → keep the connection (the default);
//! - an HTTP/1.0 request → close, unless it says `Connection: keep-alive`.
//!
//! `Connection` holds a list of options, compared without regard to case:
//! `Connection: keep-alive, Close` asks to close. When the server closes, it says so
//! in the response, with `Connection: close`, so that the client does not send another
//! request into a closing connection; to an HTTP/1.0 client that asked to keep the
//! connection, it answers `Connection: keep-alive` (an HTTP/1.0 client would otherwise
//! expect a close).
//!
//! So a connection is a loop: read a request, answer it, and go round again, until the
//! client closes, a rule above says close, the request is invalid, or the client stays
//! silent for [`IDLE_TIMEOUT`]. Because every response says its length, the client can
//! also **pipeline**: send three requests at once, without waiting for the answers.
//! The server reads and answers them one after the other, in order; nothing special
//! is needed, as long as it never reads more than one request at a time, which is
//! exactly what a reader that stops at the end of each body does.
//!
//! Closing politely takes care, too. If the server closes while the client's next
//! request is still unread in its receive buffer, the kernel answers with a reset
//! (RST) rather than the normal end of the stream (FIN), and a reset can destroy the
//! response the client has not read yet. So [`close_gently`] first shuts down the
//! server's sending side (FIN: "my response is complete"), then reads and drops
//! whatever the client still sends, for a moment, before it closes (RFC 9112,
//! section 9.6).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{self, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout, timeout_at};

use crate::request::{Request, RequestError, Version, read_request};
use crate::response::{ConnectionField, HttpError, Response};
use crate::routes::{Site, route};

/// How long a connection may stay without a full request before the server closes it.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`close_gently`] keeps reading what the client still sends.
pub const LINGER: Duration = Duration::from_secs(2);

/// Whether the connection stays open after the response to `request`: the rules of
/// the module's documentation. (`Headers::has_token` reads the `Connection` list.)
pub fn keeps_alive(request: &Request) -> bool {
    // BEGIN SOLUTION
    if request.headers.has_token("Connection", "close") {
        return false;
    }
    match request.version {
        Version::Http11 => true,
        Version::Http10 => request.headers.has_token("Connection", "keep-alive"),
    }
    // END SOLUTION
    // STUB: // TODO: the rules of the module's documentation. Think about: `Connection: keep-alive, Close`
    // STUB: // (a list, in any case); HTTP/1.0 with and without `keep-alive`; HTTP/1.1 with no `Connection`
    // STUB: // at all. Read chapter 7, "One connection, many requests" (the table), and RFC 9112,
    // STUB: // section 9.3. Stuck? `cargo xtask hint 07`.
    // STUB: todo!()
}

/// What the response says about the connection: `Connection: close` when it will be
/// closed, `Connection: keep-alive` when an HTTP/1.0 connection stays open, and
/// nothing when an HTTP/1.1 connection stays open (that is the default).
pub fn connection_field(version: Version, keep_alive: bool) -> ConnectionField {
    match (keep_alive, version) {
        (false, _) => ConnectionField::Close,
        (true, Version::Http10) => ConnectionField::KeepAlive,
        (true, Version::Http11) => ConnectionField::Omitted,
    }
}

/// Serves every request of one connection, in order, until it ends.
///
/// The loop: [`read_request`] from the buffered stream, within [`IDLE_TIMEOUT`]
/// (`tokio::time::timeout`). Then:
///
/// - the time is up, or `Ok(None)` (the client closed): return `Ok(())`;
/// - `Err(RequestError::Io(error))`: return the error;
/// - `Err(RequestError::Invalid(error))`: write `error.to_response()` with
///   `Connection: close`, then [`close_gently`] and return;
/// - `Ok(Some(request))`: count it ([`Site::count_request`]), [`route`] it, [`log`]
///   it, write the response (without its body for a `HEAD`, and with the
///   [`connection_field`] of [`keeps_alive`]), then [`close_gently`] and return if the
///   connection does not stay open, or go round again.
pub async fn handle_connection(
    stream: TcpStream,
    peer: SocketAddr,
    site: Arc<Site>,
) -> io::Result<()> {
    // BEGIN SOLUTION
    let mut stream = BufReader::new(stream);
    loop {
        let Ok(next) = timeout(IDLE_TIMEOUT, read_request(&mut stream)).await else {
            return Ok(());
        };
        let request = match next {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(RequestError::Io(error)) => return Err(error),
            Err(RequestError::Invalid(error)) => {
                log_invalid(peer, &error);
                error
                    .to_response()
                    .write_to(&mut stream, false, ConnectionField::Close)
                    .await?;
                return close_gently(stream).await;
            }
        };
        site.count_request();
        let keep_alive = keeps_alive(&request);
        let response = route(&request, &site).await;
        log(peer, &request, &response);
        let head_only = request.method == "HEAD";
        let connection = connection_field(request.version, keep_alive);
        response
            .write_to(&mut stream, head_only, connection)
            .await?;
        if !keep_alive {
            return close_gently(stream).await;
        }
    }
    // END SOLUTION
    // STUB: // TODO: serve every request of the connection, as the doc comment's list says. Think about:
    // STUB: // five requests that arrive in one write (pipelining), and where the bytes of the second wait
    // STUB: // while you answer the first; a 404 does not end the connection, an invalid request does (after
    // STUB: // its answer, closed gently); a client that stays silent; a HEAD; every request read counts,
    // STUB: // before it is routed. Read chapter 7, "One connection, many requests", and the tokio docs of
    // STUB: // `BufReader` and `tokio::time::timeout`. Stuck? `cargo xtask hint 07`.
    // STUB: todo!()
}

/// Closes a connection without losing the response just written: shuts down the
/// sending side, then reads and drops what the client still sends until it closes its
/// side too, for at most [`LINGER`] and 1 MiB, and only then lets the socket go.
pub async fn close_gently<S>(mut stream: S) -> io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    stream.shutdown().await?;
    let deadline = Instant::now() + LINGER;
    let mut buffer = [0; 8192];
    let mut dropped = 0;
    while dropped < 1024 * 1024 {
        match timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(count)) => dropped += count,
        }
    }
    Ok(())
}

/// Writes one line about an answered request on standard error, in the spirit of a web
/// server's access log: `127.0.0.1:50118 "GET /hello.txt HTTP/1.1" 200 27`.
pub fn log(peer: SocketAddr, request: &Request, response: &Response) {
    eprintln!(
        "{peer} \"{} {} {}\" {} {}",
        request.method,
        request.target,
        request.version.as_str(),
        response.status.code(),
        response.body.len()
    );
}

/// Writes one line about a refused request on standard error:
/// `127.0.0.1:50118 refused: 400 Bad Request: the field line "Host" has no colon`.
pub fn log_invalid(peer: SocketAddr, error: &HttpError) {
    eprintln!(
        "{peer} refused: {} {}: {}",
        error.status.code(),
        error.status.reason(),
        error.why
    );
}
