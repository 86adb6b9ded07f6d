//! The body of a request, framed by `Content-Length`.
//!
//! After the empty line that ends the head, a request may carry a body: the text of a
//! form, a JSON document, an uploaded file. Nothing in the bytes marks where it ends.
//! The head says how long it is, with `Content-Length: 5` (RFC 9112, section 6.2), and
//! the server reads exactly that many bytes: the byte after them is the first byte of
//! the next request on the connection.
//!
//! That makes `Content-Length` the most dangerous field of a request. Read one byte too
//! few or too many and every later request on the connection is misread; let two
//! programs disagree about it and one of them sees a request the other never saw (that
//! is *request smuggling*). So it is read strictly (RFC 9112, section 6.3):
//!
//! - the value is one or more ASCII digits, nothing else: no sign (`-1`, `+5`), no
//!   spaces inside, no list (`5, 5`). A number too large for a `u64` is invalid too;
//! - two `Content-Length` fields are an error, even with the same value;
//! - no `Content-Length` means no body (for a request; RFC 9112, section 6.3, rule 6);
//! - a body larger than [`MAX_BODY`] is refused with 413 Content Too Large *before*
//!   reading it: the client decides what `Content-Length` says, and a server that
//!   believes `Content-Length: 1000000000000` and makes room for it has just given its
//!   memory away;
//! - `Transfer-Encoding` (the other way to frame a body: `chunked`, in pieces that each
//!   say their size) is not supported here: 501 Not Implemented.
//!
//! Any of those errors is answered, and then the connection is closed: the server no
//! longer knows where the next request starts.

use tokio::io::{AsyncBufRead, AsyncReadExt};

use crate::request::{Headers, RequestError};
use crate::response::{HttpError, Status};

/// The largest body this server accepts: 1 MiB.
pub const MAX_BODY: u64 = 1024 * 1024;

/// How many bytes of body the request has, from its `Content-Length` field (0 when it
/// has none).
///
/// 400 Bad Request when there is more than one `Content-Length` field, or when its
/// value is not a number made of ASCII digits only that fits in a `u64`. 413 Content
/// Too Large when it is above [`MAX_BODY`]. 501 Not Implemented when the request has a
/// `Transfer-Encoding` field.
pub fn content_length(headers: &Headers) -> Result<u64, HttpError> {
    // TODO: the body's length, as the doc comment says. Think about: `-1`, `+5`, `0x5`, `5, 5` and
    // an empty value; a number too large for a `u64`; two `Content-Length` fields, even equal ones;
    // `Transfer-Encoding: chunked`; a length above `MAX_BODY`, refused before a single byte of the
    // body is read (the client waits for the answer before it sends the body). Read chapter 7,
    // "Bodies: `Content-Length` frames the request", and RFC 9112, section 6.3. Stuck?
    // `cargo xtask hint 07`.
    todo!()
}

/// Reads the body that the head's [`content_length`] announces: exactly that many bytes,
/// no more (the next ones belong to the next request). A stream that ends before them
/// is an I/O error ([`tokio::io::ErrorKind::UnexpectedEof`]).
pub async fn read_body<R>(reader: &mut R, headers: &Headers) -> Result<Vec<u8>, RequestError>
where
    R: AsyncBufRead + Unpin,
{
    // TODO: read exactly the announced bytes, as the doc comment says. Think about: a body that
    // arrives in four pieces, with pauses; a body that is itself the bytes of a request; the 256
    // byte values (a body is bytes, not text); a GET with a body; a stream that ends too soon. Read
    // chapter 7, "Bodies: `Content-Length` frames the request", and the tokio docs of
    // `AsyncReadExt`. Stuck? `cargo xtask hint 07`.
    todo!()
}
