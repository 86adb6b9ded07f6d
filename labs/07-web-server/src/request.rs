//! Reading a request: the request line, the header fields, with limits on everything.
//!
//! A request arrives as bytes on a TCP stream (RFC 9112, section 2.1):
//!
//! ```text
//! GET /hello.txt?lang=en HTTP/1.1\r\n          request line: method, target, version
//! Host: 127.0.0.1:62893\r\n                    field lines: name, colon, value
//! User-Agent: curl/7.88.1\r\n
//! Accept: */*\r\n
//! \r\n                                         an empty line ends the head
//! ```
//!
//! then, for some requests, a body ([`crate::body`]). The **head** is read line by line;
//! every line ends with CR LF (`\r\n`). This server is strict about everything it can
//! be strict about, because every leniency is a place where it and some other program
//! (a proxy, a cache, a firewall) can read the *same bytes* differently, and that
//! disagreement is how attacks such as request smuggling work:
//!
//! - **the request line** is exactly `method SP target SP version`, one space each
//!   (section 3). The method is a *token* (letters, digits and ``!#$%&'*+-.^_`|~``),
//!   case-sensitive: `GET`, not `get`. The target is a path starting with `/` (the
//!   *origin-form*), or a whole `http://` URI (the *absolute-form*, which a server must
//!   accept too: section 3.2.2), read by [`parse_target`]. The version is `HTTP/1.1` or
//!   `HTTP/1.0` (an `HTTP/1.x` with a higher minor version is read as 1.1; any other
//!   version gets 505);
//! - **a field line** is `name: value` (section 5). The name is a token, so a space
//!   before the colon is an error (400: section 5.1 says so). The value loses the spaces
//!   around it. A line that starts with a space was once a continuation of the previous
//!   line ("obsolete line folding"); today it is rejected with 400 (section 5.2);
//! - **field names are case-insensitive**: `Host`, `host` and `HOST` are the same field
//!   (RFC 9110, section 5.1). Compare them with `eq_ignore_ascii_case`, never `==`;
//! - **`Host` is required** in an HTTP/1.1 request, exactly once (RFC 9112, section 3.2).
//!
//! **Limits.** A client decides how long a line is, and how many lines it sends. A
//! server that reads "until the end of the line" without a limit gives any client its
//! memory. So every read here is bounded, and a request over a limit is refused as soon
//! as the limit is passed, without waiting for the rest:
//!
//! | what | limit | status |
//! | --- | --- | --- |
//! | the request line | [`MAX_REQUEST_LINE`] bytes | 414 URI Too Long |
//! | one field line | [`MAX_FIELD_LINE`] bytes | 431 Request Header Fields Too Large |
//! | the number of field lines | [`MAX_FIELDS`] | 431 |
//! | all field lines together | [`MAX_FIELDS_BYTES`] bytes | 431 |
//!
//! (The lengths count a line's bytes without its CR LF, and the total counts every
//! field line with its CR LF.)
//!
//! After an error, the server answers and then closes the connection: once it has
//! misread one request, it cannot know where the next one starts.

use tokio::io::{self, AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

use crate::body;
use crate::response::{HttpError, Status};

/// The longest request line, in bytes, without its CR LF. RFC 9112 recommends
/// supporting at least 8000 (section 3).
pub const MAX_REQUEST_LINE: usize = 8192;
/// The longest field line, in bytes, without its CR LF.
pub const MAX_FIELD_LINE: usize = 8192;
/// The most field lines in one request.
pub const MAX_FIELDS: usize = 100;
/// The most bytes all the field lines of one request may take, each with its CR LF.
pub const MAX_FIELDS_BYTES: usize = 16 * 1024;

/// The HTTP version of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Http10,
    Http11,
}

impl Version {
    /// `HTTP/1.0` or `HTTP/1.1`.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::Http10 => "HTTP/1.0",
            Version::Http11 => "HTTP/1.1",
        }
    }
}

/// The header fields of a request, in the order they came, names as the client wrote them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    fields: Vec<(String, String)>,
}

impl Headers {
    pub fn new() -> Headers {
        Headers::default()
    }

    /// Adds a field, after the others.
    pub fn push(&mut self, name: &str, value: &str) {
        self.fields.push((name.to_string(), value.to_string()));
    }

    /// How many field lines there are.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The values of every field called `name`, in order, whatever the case of the
    /// name in the request: `get_all("Host")` finds `host: …` and `HOST: …` too.
    pub fn get_all<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s str> {
        // TODO: the value of every field called `name`, as the doc comment says. Think about:
        // `host`, `HOST` and `Host` are one field; two fields of the same name give two values, in
        // the order they came; a name that is only the start of another (`Host` is not `Hostname`).
        // The return type lets each caller take the first value, count them, or go through all of
        // them. Read chapter 7, "The anatomy of an HTTP/1.1 exchange", RFC 9110, section 5.1, and
        // the std docs of `Iterator` and of `str` (its ASCII methods). Stuck?
        // `cargo xtask hint 07`. (The `todo!()` below runs when the caller asks for the first
        // value.)
        std::iter::from_fn(|| todo!())
    }

    /// The value of the first field called `name` (any case), if there is one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.get_all(name).next()
    }

    /// Whether a field holding a comma-separated list, like `Connection: keep-alive,
    /// Upgrade`, has `token` among its elements, compared without regard to case (RFC
    /// 9110, section 5.6.1): `has_token("Connection", "close")` is true for
    /// `Connection: Close` and for `Connection: TE, close`.
    pub fn has_token(&self, name: &str, token: &str) -> bool {
        // TODO: whether the list holds `token`, as the doc comment says. Think about:
        // `Connection: keep-alive, Close` (spaces after the commas, another case); the same option
        // in a second `Connection` field; an element that only contains the token (`closed` is not
        // `close`). Read RFC 9110, section 5.6.1 (lists), and chapter 7, "One connection, many
        // requests". Stuck? `cargo xtask hint 07`.
        todo!()
    }
}

/// A request, read in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD`, `POST`, …: case-sensitive.
    pub method: String,
    /// The request target in origin form, e.g. `/hello.txt?lang=en`: a path starting
    /// with `/`, still percent-encoded. An absolute-form target,
    /// `http://127.0.0.1:62893/hello.txt?lang=en`, is kept as its origin form (see
    /// [`parse_target`]), so that the rest of the server sees the same request.
    pub target: String,
    /// The host the request is for (RFC 9112, sections 3.2 and 3.2.2): the authority of
    /// an absolute-form target, whatever the `Host` field says; otherwise the value of
    /// the `Host` field; `None` for an HTTP/1.0 request that has neither.
    pub host: Option<String>,
    pub version: Version,
    pub headers: Headers,
    /// The body, `Content-Length` bytes (empty when there is none).
    pub body: Vec<u8>,
}

impl Request {
    /// The target's path, without its query: `/hello.txt` for `/hello.txt?lang=en`.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(path, _)| path)
    }
}

/// Why [`read_request`] has no request to give.
#[derive(Debug)]
pub enum RequestError {
    /// The bytes are not a request this server accepts: answer with the error's
    /// status, then close the connection.
    Invalid(HttpError),
    /// The connection failed (reset by the client, …): there is nobody to answer.
    Io(io::Error),
}

impl From<HttpError> for RequestError {
    fn from(error: HttpError) -> RequestError {
        RequestError::Invalid(error)
    }
}

impl From<io::Error> for RequestError {
    fn from(error: io::Error) -> RequestError {
        RequestError::Io(error)
    }
}

/// Reads the next request from `reader`: its head ([`read_head`]), then its body
/// ([`body::read_body`]).
///
/// `Ok(None)` means the client closed the connection before it sent the first byte of
/// a request: the normal end of a connection.
pub async fn read_request<R>(reader: &mut R) -> Result<Option<Request>, RequestError>
where
    R: AsyncBufRead + Unpin,
{
    let Some(mut request) = read_head(reader).await? else {
        return Ok(None);
    };
    request.body = body::read_body(reader, &request.headers).await?;
    Ok(Some(request))
}

/// Reads a request head: the request line, then field lines up to the empty line.
/// The returned request has an empty body.
///
/// One empty line before the request line is skipped (RFC 9112, section 2.2: some
/// clients send an extra CR LF after a body). `Ok(None)` when the stream ends before
/// the request line starts. Every line is read with [`read_line`] and its limit:
/// [`MAX_REQUEST_LINE`] (414 when longer) for the request line, [`MAX_FIELD_LINE`] for
/// a field line, never more than what is left of [`MAX_FIELDS_BYTES`], and at most
/// [`MAX_FIELDS`] field lines (431 for any of the three). Then [`check_host`].
pub async fn read_head<R>(reader: &mut R) -> Result<Option<Request>, RequestError>
where
    R: AsyncBufRead + Unpin,
{
    // TODO: read a whole head, as the doc comment says, every line through `read_line` with its own
    // limit and status. Think about: one empty line before the request line (skipped), and the
    // stream ending before the request line (`Ok(None)`) or before the empty line (400); a field
    // line's limit, which shrinks as the field lines add up (the tests send 16384 bytes of field
    // lines in all, then one byte more); the 101st field line; the `Host` rule; which host the
    // request is for when its target is in absolute-form, and what goes in `target`. Read
    // chapter 7, "Be strict: every leniency is a disagreement" (the table of limits) and "The
    // request target: origin-form and absolute-form", and RFC 9112, sections 2.2, 3.2 and 3.2.2.
    // (An `HttpError` becomes a `RequestError` with `?` or `.into()`.) Stuck?
    // `cargo xtask hint 07`.
    todo!()
}

/// Reads one line of a head, and returns it without its CR LF.
///
/// Reads at most `max + 2` bytes (`AsyncReadExt::take` and then `read_until(b'\n')`),
/// so a client can never make it hold more. Then:
///
/// - no byte at all (the stream ended): `Ok(None)`;
/// - `max + 2` bytes and still no LF: the line is too long, `too_long` with a reason;
/// - the stream ended in the middle of the line: 400;
/// - a line ending in LF without the CR before it, or a CR anywhere else: 400 (a bare
///   CR or LF is how requests get smuggled past other servers);
/// - bytes that are not UTF-8: 400.
pub async fn read_line<R>(
    reader: &mut R,
    max: usize,
    too_long: Status,
) -> Result<Option<String>, RequestError>
where
    R: AsyncBufRead + Unpin,
{
    // TODO: read one line, and never more than `max + 2` bytes of it, as the doc comment says.
    // Think about: a client that sends 100000 bytes and no end of line (answer at once: the end
    // never comes); a line of exactly `max` bytes (accepted) and one of `max + 1` (too long); the
    // stream ending before the first byte, and in the middle of a line; a line ending in LF alone;
    // a CR in the middle; bytes that are not UTF-8. Read chapter 7, "Be strict: every leniency is a
    // disagreement" (Limits), and the tokio docs of `AsyncReadExt` and `AsyncBufReadExt`. Stuck?
    // `cargo xtask hint 07`.
    todo!()
}

/// Splits a request line `method SP target SP version`, e.g. `GET /index.html HTTP/1.1`.
///
/// 400 unless there are exactly three parts separated by one space each, the method is
/// a token ([`is_token`]), and the target holds only visible ASCII characters (no
/// spaces, no control characters). The target then goes through [`parse_target`], and
/// the version through [`parse_version`].
pub fn parse_request_line(line: &str) -> Result<(&str, Target, Version), HttpError> {
    // TODO: split and check the request line, as the doc comment says. Think about: two spaces in a
    // row, a missing part, a fourth part (a space inside the target); an empty method, and `G(T`; a
    // target with a control character in it. The target's form is `parse_target`'s job, the
    // version's `parse_version`'s. Read chapter 7, "Be strict: every leniency is a disagreement",
    // and RFC 9112, section 3. Stuck? `cargo xtask hint 07`.
    todo!()
}

/// A request target, in the form the rest of the server works with (RFC 9112,
/// section 3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The path and the query in origin form, still percent-encoded:
    /// `/hello.txt?lang=en`. It always starts with `/`.
    pub origin_form: String,
    /// The authority of an absolute-form target: `127.0.0.1:62893` for
    /// `http://127.0.0.1:62893/hello.txt`. `None` for an origin-form target.
    pub authority: Option<String>,
}

/// Reads a request target in one of the two forms an origin server takes (RFC 9112,
/// section 3.2):
///
/// - the **origin-form**: a path starting with `/`, with or without a query.
///   `/hello.txt?lang=en` is kept as it is, with no authority;
/// - the **absolute-form** (section 3.2.2): the scheme `http` or `https`, in any case
///   (`HTTP://` too), then `://`, the authority, then the path and the query.
///   `http://127.0.0.1:62893/hello.txt?lang=en` is the origin-form `/hello.txt?lang=en`
///   with the authority `127.0.0.1:62893`. An empty path is `/`: `http://127.0.0.1` is
///   `/`, and `http://127.0.0.1?lang=en` is `/?lang=en`.
///
/// The authority runs from `://` to the first `/` or `?` (or the end). It is a host,
/// then optionally `:` and a port (RFC 3986, section 3.2). The host is either a name or
/// an IPv4 address, made of ASCII letters, digits and ``-._~!$&'()*+,;=`` (so no `%`
/// escapes: no client writes one to reach this server), or an IPv6 address in brackets,
/// `[::1]`. The port is ASCII digits; RFC 3986 allows none, so `http://127.0.0.1:/` is
/// `http://127.0.0.1/`.
///
/// 400 Bad Request for anything else: a target that is neither form (`hello.txt`, the
/// asterisk-form `*`), the authority-form `127.0.0.1:443` (only a proxy takes it, for
/// `CONNECT`), another scheme (`ftp://`, `file:///`), an empty host (`http:///x`), a
/// user name (`http://ada@127.0.0.1/`: RFC 9110, section 4.2.4), a port that is not
/// digits, an IPv6 address that is not one or has no closing bracket.
///
/// The path is neither decoded nor checked here: it goes through the same checks as
/// any origin-form path, in [`crate::files`].
pub fn parse_target(target: &str) -> Result<Target, HttpError> {
    // TODO: the origin form of the target, and its authority, as the doc comment says. Think about:
    // `HTTP://` and `hTtPs://` (a scheme has no case); `http://127.0.0.1` and
    // `http://127.0.0.1?lang=en` (no path at all); `127.0.0.1:443`, `*` and `ftp://` (not for an
    // origin server); `http:///x`, `http://ada@host/`, `http://[::1]:8080/`, `http://[::1/` and
    // `http://host:8o/`. The authority needs several checks of its own: write a helper for them,
    // its design is yours (std can parse an IPv6 address). Leave the path as it came: no decoding
    // here, files.rs checks it for both forms. Read chapter 7, "The request target: origin-form and
    // absolute-form", RFC 9112, section 3.2.2, and RFC 3986, sections 3 and 3.2. Stuck?
    // `cargo xtask hint 07`.
    todo!()
}

/// Reads `HTTP/1.1` or `HTTP/1.0`, case-sensitive.
///
/// `HTTP/` followed by a digit, a dot and a digit is a well-formed version: `HTTP/1.0`
/// is [`Version::Http10`], `HTTP/1.1` and any higher `HTTP/1.x` is [`Version::Http11`]
/// (RFC 9110, section 6.2: a higher minor version is read as the highest one known),
/// and any other major version gets 505 HTTP Version Not Supported. Anything else is
/// 400.
pub fn parse_version(text: &str) -> Result<Version, HttpError> {
    // TODO: read the version, as the doc comment says. Think about: `http/1.1` (the case matters),
    // `HTTP/1.1.1`, `HTTP/11`, `HTTP/1.`; `HTTP/2.0` is well formed but not spoken here (505, not
    // 400); `HTTP/1.2` is read as 1.1. Read RFC 9112, section 2.3, and RFC 9110, section 6.2.
    // Stuck? `cargo xtask hint 07`.
    todo!()
}

/// Splits a field line `name: value` into its name and its value.
///
/// 400 when the line starts with a space or a tab (obsolete line folding), has no
/// colon, or the name before the colon is not a token (a space before the colon makes
/// it one of those). The value is what follows the colon without the spaces and tabs
/// around it; 400 when it holds a control character other than a tab.
pub fn parse_field_line(line: &str) -> Result<(&str, String), HttpError> {
    // TODO: split a field line, as the doc comment says. Think about: `Host : x` (a space before
    // the colon); a line that starts with a space or a tab; `: hello` (no name); a value with
    // spaces and tabs around it (not part of it) and a tab inside it (fine); a value holding the
    // byte 0x01. Read chapter 7, "Be strict: every leniency is a disagreement", and RFC 9112,
    // sections 5.1 and 5.2. Stuck? `cargo xtask hint 07`.
    todo!()
}

/// Checks the `Host` field: an HTTP/1.1 request must have exactly one (400 without it,
/// or with two); an HTTP/1.0 request may have none, but not two.
pub fn check_host(version: Version, headers: &Headers) -> Result<(), HttpError> {
    // TODO: the `Host` rule, as the doc comment says. Think about: `hOsT` is a Host field too; an
    // HTTP/1.0 request without one; two Host fields, with the same or different values. Read
    // RFC 9112, section 3.2. Stuck? `cargo xtask hint 07`.
    todo!()
}

/// Whether `text` is a *token* (RFC 9110, section 5.6.2): one or more of the ASCII
/// letters and digits and ``!#$%&'*+-.^_`|~``. Methods and field names are tokens.
pub fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}
