//! `AUTH <token>`: who may use the server, and comparing secrets in constant time.
//!
//! TLS proves to the *client* who the server is. It says nothing about who the
//! client is: anyone who can reach the port completes the handshake. On
//! `127.0.0.1` "anyone" is every program and every user of this machine (and,
//! through a careless port forward or a browser page making requests to
//! localhost, sometimes more). So the server asks for a **token**, a shared
//! secret, before it serves anything. The protocol is one line, in the style
//! of Redis's `AUTH`:
//!
//! ```text
//! client: AUTH 3f1c9e…\n         server: OK\n                 then the echo as before
//! client: AUTH wrong\n           server: ERR wrong token\n    and it closes the connection
//! client: hello\n                server: ERR expected `AUTH <token>` first\n, and closes
//! ```
//!
//! The token travels *inside* TLS, after the handshake: encrypted, and sent
//! only to a server that proved who it is. The same line in plaintext would
//! hand the secret to anyone listening on the path, or to whatever answers on
//! that port.
//!
//! **Reading the line safely.** The server reads at most [`MAX_AUTH_LINE`]
//! bytes looking for the `\n`: a client that sends an endless line without
//! one must not make the server's memory grow. And the server waits for the
//! line only so long (the caller's time limit): a client that says nothing
//! must not hold a connection forever.
//!
//! **Comparing in constant time.** `expected == presented` on byte slices
//! stops at the first byte that differs. A wrong token that starts with the
//! right byte takes a tiny bit longer to reject than one that does not. Tiny,
//! but measurable over many tries, especially on localhost where there is no
//! network noise: an attacker can then guess the token *one byte at a time*,
//! trying 256 values for the first byte, keeping the slowest, then the second
//! byte, and so on: for a token of n bytes, n × 256 tries (each repeated
//! enough to measure) instead of 256ⁿ. That is a *timing attack*. The fix is a comparison whose duration does not depend on where
//! the bytes differ: look at every byte, OR together the differences, and
//! decide only at the end. The `subtle` crate's [`ConstantTimeEq`] does that,
//! written so that the compiler does not turn it back into an early exit.
//! (It still returns at once when the lengths differ: the length of the token
//! is not the secret, its bytes are.)

use std::fmt;
use std::time::Duration;

use subtle::ConstantTimeEq;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::timeout;

/// The longest `AUTH` line the server reads, `\n` included.
pub const MAX_AUTH_LINE: usize = 256;

/// The server's reply to a good `AUTH` line.
pub const OK_REPLY: &str = "OK\n";

/// The secret a client must present. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Token {
    secret: Vec<u8>,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token([{} bytes, not shown])", self.secret.len())
    }
}

impl Token {
    /// The token whose secret is the bytes of `secret` (a `&str`, a `String`, a `Vec<u8>`…).
    pub fn new(secret: impl Into<Vec<u8>>) -> Token {
        // TODO: keep the secret's bytes, as the doc comment says. Stuck? `cargo xtask hint 09`.
        todo!()
    }

    /// Whether `presented` is this token, compared with [`tokens_match`].
    pub fn matches(&self, presented: &[u8]) -> bool {
        // TODO: as the doc comment says: the comparison itself is `tokens_match`'s job, so
        // that the secret is compared in one place only. Stuck? `cargo xtask hint 09`.
        todo!()
    }
}

/// Whether `presented` is exactly `expected`: the same length and the same
/// bytes, compared in constant time ([`ConstantTimeEq`]), never with `==`.
pub fn tokens_match(expected: &[u8], presented: &[u8]) -> bool {
    // TODO: as the doc comment says. Think about: a wrong token, a prefix of the right one,
    // the right one with more after it, another case, an empty token: only the exact token
    // matches, and the time taken must not depend on where the bytes differ. Read chapter 9,
    // "Tokens, and comparing secrets in constant time", the module comment, and the docs of
    // `subtle::ConstantTimeEq` and `subtle::Choice`. Stuck? `cargo xtask hint 09`.
    todo!()
}

/// Why a client was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// The first line was not `AUTH <token>`.
    NotAnAuthLine,
    /// `AUTH` with a token that is not the server's.
    WrongToken,
    /// No `\n` within [`MAX_AUTH_LINE`] bytes.
    LineTooLong,
    /// The client closed the connection before it finished its first line.
    ClosedEarly,
    /// No complete line within the time limit.
    TimedOut,
}

impl AuthFailure {
    /// What the server tells the client after `ERR `.
    pub fn message(self) -> &'static str {
        match self {
            AuthFailure::NotAnAuthLine => "expected `AUTH <token>` first",
            AuthFailure::WrongToken => "wrong token",
            AuthFailure::LineTooLong => "the AUTH line is too long",
            AuthFailure::ClosedEarly => "the connection ended before the AUTH line did",
            AuthFailure::TimedOut => "no AUTH line in time",
        }
    }

    /// The whole reply line: `ERR <message>\n`.
    pub fn reply(self) -> String {
        // TODO: the line of the doc comment, with the `message` above. The tests expect it
        // byte for byte, `\n` included. Stuck? `cargo xtask hint 09`.
        todo!()
    }
}

impl fmt::Display for AuthFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// Checks a first line, `\n` included (a `\r\n` ending is accepted too):
/// `Ok` when it is `AUTH ` followed by the token and nothing else.
///
/// A line that does not start with `AUTH ` is [`AuthFailure::NotAnAuthLine`];
/// `AUTH ` with any other token, a prefix of it or the token with more after it
/// is [`AuthFailure::WrongToken`].
pub fn check_auth_line(line: &[u8], token: &Token) -> Result<(), AuthFailure> {
    // TODO: as the doc comment says. Think about: `AUTH s3cret\n` and `AUTH s3cret\r\n`
    // (both fine); `auth s3cret\n`, `AUTHs3cret\n`, `hello\n` and `\n` (not an AUTH
    // line); `AUTH s3cre\n`, `AUTH s3cret2\n`, `AUTH \n` and `AUTH  s3cret\n`, with two
    // spaces (wrong tokens). Compare the token with `Token::matches`, never by hand. Read
    // chapter 9, "Tokens, and comparing secrets in constant time", and the docs of the
    // slice methods that strip a prefix or a suffix. Stuck? `cargo xtask hint 09`.
    todo!()
}

/// Reads the first line from `reader`, `\n` included, reading at most
/// [`MAX_AUTH_LINE`] bytes.
///
/// Only the line is taken from `reader`: bytes that arrived after the `\n` stay
/// in its buffer for whoever reads next (the echo). No `\n` within
/// [`MAX_AUTH_LINE`] bytes is [`AuthFailure::LineTooLong`]; the end of the
/// stream (or a read error) before the `\n` is [`AuthFailure::ClosedEarly`].
pub async fn read_auth_line<R>(reader: &mut R) -> Result<Vec<u8>, AuthFailure>
where
    R: AsyncBufRead + Unpin,
{
    // TODO: as the doc comment says. Think about: a line of exactly `MAX_AUTH_LINE` bytes
    // ending in `\n` (fine) and 300 bytes with no `\n` (too long: stop reading at the limit,
    // never hold more in memory); a client that closes in the middle of its line; bytes
    // after the `\n` in the same packet (they stay for the echo). Read the module comment
    // ("Reading the line safely"), and the docs of tokio's `AsyncBufReadExt` and
    // `AsyncReadExt::take`. Stuck? `cargo xtask hint 09`.
    todo!()
}

/// The server's side of `AUTH`: reads the first line within `limit`, checks it
/// against `token`, and answers [`OK_REPLY`] or the failure's
/// [`reply`](AuthFailure::reply).
///
/// No line within `limit` is [`AuthFailure::TimedOut`]. The reply is written
/// and flushed in every case, as far as the connection still allows (an error
/// writing it is ignored: the verdict stands). Closing the connection after a failure is
/// the caller's job.
pub async fn authenticate<S>(
    stream: &mut S,
    token: &Token,
    limit: Duration,
) -> Result<(), AuthFailure>
where
    S: AsyncBufRead + AsyncWrite + Unpin,
{
    // TODO: as the doc comment says. Think about: a client that says nothing (the time
    // limit); every failure gets its own `ERR` line, and success gets `OK_REPLY`; a reply
    // that stays in a buffer never reaches the client; a client already gone when you
    // answer (the verdict stands). Read chapter 9, "Tokens, and comparing secrets in
    // constant time", and the docs of `tokio::time::timeout`. Stuck? `cargo xtask hint 09`.
    todo!()
}
