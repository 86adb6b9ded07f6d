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
//!   case-sensitive: `GET`, not `get`. The target here is a path, starting with `/`.
//!   The version is `HTTP/1.1` or `HTTP/1.0` (an `HTTP/1.x` with a higher minor version
//!   is read as 1.1; any other version gets 505);
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
        // BEGIN SOLUTION
        self.fields
            .iter()
            .filter(move |(field_name, _)| field_name.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
        // END SOLUTION
        // STUB: // TODO: the values of the fields whose name is `name`, ignoring case:
        // STUB: // `self.fields.iter().filter(move |(field_name, _)| field_name.eq_ignore_ascii_case(name))`,
        // STUB: // then `.map(|(_, value)| value.as_str())`. (Returning `impl Iterator` lets the caller take
        // STUB: // the first one, count them, or go through all of them.)
        // STUB: // (The `todo!()` below runs when the caller asks for the first value.)
        // STUB: std::iter::from_fn(|| todo!())
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
        // BEGIN SOLUTION
        self.get_all(name)
            .flat_map(|value| value.split(','))
            .any(|element| element.trim().eq_ignore_ascii_case(token))
        // END SOLUTION
        // STUB: // TODO: go through `self.get_all(name)`, split each value at ',' (`flat_map`), and say
        // STUB: // whether `any` element, once trimmed, `eq_ignore_ascii_case(token)`.
        // STUB: todo!()
    }
}

/// A request, read in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD`, `POST`, …: case-sensitive.
    pub method: String,
    /// The request target as sent, e.g. `/hello.txt?lang=en`: still percent-encoded.
    pub target: String,
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
    // BEGIN SOLUTION
    let mut line = read_line(reader, MAX_REQUEST_LINE, Status::UriTooLong).await?;
    if line.as_deref() == Some("") {
        line = read_line(reader, MAX_REQUEST_LINE, Status::UriTooLong).await?;
    }
    let Some(request_line) = line else {
        return Ok(None);
    };
    let (method, target, version) = parse_request_line(&request_line)?;

    let mut headers = Headers::new();
    let mut fields_bytes = 0;
    loop {
        let budget = MAX_FIELD_LINE.min((MAX_FIELDS_BYTES - fields_bytes).saturating_sub(2));
        let line = read_line(reader, budget, Status::RequestHeaderFieldsTooLarge)
            .await?
            .ok_or_else(|| HttpError::bad_request("the request ended before its empty line"))?;
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_FIELDS {
            return Err(HttpError::new(
                Status::RequestHeaderFieldsTooLarge,
                format!("more than {MAX_FIELDS} field lines"),
            )
            .into());
        }
        fields_bytes += line.len() + 2;
        let (name, value) = parse_field_line(&line)?;
        headers.push(name, &value);
    }
    check_host(version, &headers)?;
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        version,
        headers,
        body: Vec::new(),
    }))
    // END SOLUTION
    // STUB: // TODO: 1. the request line: `read_line(reader, MAX_REQUEST_LINE, Status::UriTooLong).await?`;
    // STUB: //          if it is `Some("")` (an empty line), read one more line the same way; `None` →
    // STUB: //          return `Ok(None)`. Then `parse_request_line(&line)?`.
    // STUB: //       2. the field lines, in a loop: each with `read_line(reader, budget,
    // STUB: //          Status::RequestHeaderFieldsTooLarge)` where `budget` is `MAX_FIELD_LINE`, or less
    // STUB: //          when less than that is left of `MAX_FIELDS_BYTES` (minus 2 for its CR LF). `None`
    // STUB: //          (the stream ended) is a 400; an empty line ends the loop; a line when there are
    // STUB: //          already `MAX_FIELDS` fields is a 431. Count each line's length + 2, and
    // STUB: //          `headers.push` what `parse_field_line` gives.
    // STUB: //       3. `check_host(version, &headers)?`, and return the `Request` with an empty body.
    // STUB: // (An `HttpError` becomes a `RequestError` with `.into()`, or by itself with `?`.)
    // STUB: todo!()
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
    // BEGIN SOLUTION
    let mut line = Vec::new();
    let limit = (max + 2) as u64;
    (&mut *reader)
        .take(limit)
        .read_until(b'\n', &mut line)
        .await?;
    if line.is_empty() {
        return Ok(None);
    }
    if !line.ends_with(b"\n") {
        if line.len() as u64 == limit {
            return Err(HttpError::new(too_long, format!("a line longer than {max} bytes")).into());
        }
        return Err(HttpError::bad_request("the request ended in the middle of a line").into());
    }
    let Some(content) = line.strip_suffix(b"\r\n") else {
        return Err(
            HttpError::bad_request("a line ends with LF alone; lines end with CR LF").into(),
        );
    };
    if content.contains(&b'\r') {
        return Err(HttpError::bad_request("a CR in the middle of a line").into());
    }
    let text = String::from_utf8(content.to_vec())
        .map_err(|_| HttpError::bad_request("a line that is not UTF-8"))?;
    Ok(Some(text))
    // END SOLUTION
    // STUB: // TODO: `let mut line = Vec::new();` then
    // STUB: // `(&mut *reader).take((max + 2) as u64).read_until(b'\n', &mut line).await?`.
    // STUB: // Then, in this order: empty → `Ok(None)`; no '\n' at the end and `max + 2` bytes read →
    // STUB: // `too_long`; no '\n' at the end otherwise → 400 (the stream ended mid-line); no "\r\n" at
    // STUB: // the end (`strip_suffix`) → 400; a '\r' left inside → 400; not UTF-8
    // STUB: // (`String::from_utf8`) → 400. Otherwise `Ok(Some(text))`.
    // STUB: todo!()
}

/// Splits a request line `method SP target SP version`, e.g. `GET /index.html HTTP/1.1`.
///
/// 400 unless there are exactly three parts separated by one space each, the method is
/// a token ([`is_token`]), and the target starts with `/` and holds only visible ASCII
/// characters (no spaces, no control characters). The version goes through
/// [`parse_version`].
pub fn parse_request_line(line: &str) -> Result<(&str, &str, Version), HttpError> {
    // BEGIN SOLUTION
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HttpError::bad_request(
            "the request line is not `METHOD /path HTTP/1.1` with one space between the parts",
        ));
    };
    if !is_token(method) {
        return Err(HttpError::bad_request(format!(
            "the method {method:?} is not a token"
        )));
    }
    if !target.starts_with('/') {
        return Err(HttpError::bad_request(
            "the request target must be a path starting with /",
        ));
    }
    if !target.bytes().all(|byte| byte.is_ascii_graphic()) {
        return Err(HttpError::bad_request(
            "the request target holds a character that is not visible ASCII",
        ));
    }
    Ok((method, target, parse_version(version)?))
    // END SOLUTION
    // STUB: // TODO: `let mut parts = line.split(' ');` and take exactly three parts (a fourth, or a
    // STUB: // missing one, is a 400; two spaces in a row make an empty part, which is then not a token
    // STUB: // or not a path). Check `is_token(method)`, that the target `starts_with('/')` and that all
    // STUB: // its bytes are `is_ascii_graphic()`, then `parse_version(version)?`.
    // STUB: todo!()
}

/// Reads `HTTP/1.1` or `HTTP/1.0`, case-sensitive.
///
/// `HTTP/` followed by a digit, a dot and a digit is a well-formed version: `HTTP/1.0`
/// is [`Version::Http10`], `HTTP/1.1` and any higher `HTTP/1.x` is [`Version::Http11`]
/// (RFC 9110, section 6.2: a higher minor version is read as the highest one known),
/// and any other major version gets 505 HTTP Version Not Supported. Anything else is
/// 400.
pub fn parse_version(text: &str) -> Result<Version, HttpError> {
    // BEGIN SOLUTION
    let numbers = text.strip_prefix("HTTP/").map(str::as_bytes);
    let Some(&[major, b'.', minor]) = numbers else {
        return Err(HttpError::bad_request(format!(
            "{text:?} is not an HTTP version like HTTP/1.1"
        )));
    };
    if !major.is_ascii_digit() || !minor.is_ascii_digit() {
        return Err(HttpError::bad_request(format!(
            "{text:?} is not an HTTP version like HTTP/1.1"
        )));
    }
    match (major, minor) {
        (b'1', b'0') => Ok(Version::Http10),
        (b'1', _) => Ok(Version::Http11),
        _ => Err(HttpError::new(
            Status::HttpVersionNotSupported,
            format!("this server speaks HTTP/1.1 and HTTP/1.0, not {text}"),
        )),
    }
    // END SOLUTION
    // STUB: // TODO: `text.strip_prefix("HTTP/")` must leave exactly three bytes, digit '.' digit
    // STUB: // (a slice pattern: `Some(&[major, b'.', minor])` on `.map(str::as_bytes)`), or it is a 400.
    // STUB: // Then 1.0 → Http10, 1.anything else → Http11, any other major → 505
    // STUB: // (`Status::HttpVersionNotSupported`).
    // STUB: todo!()
}

/// Splits a field line `name: value` into its name and its value.
///
/// 400 when the line starts with a space or a tab (obsolete line folding), has no
/// colon, or the name before the colon is not a token (a space before the colon makes
/// it one of those). The value is what follows the colon without the spaces and tabs
/// around it; 400 when it holds a control character other than a tab.
pub fn parse_field_line(line: &str) -> Result<(&str, String), HttpError> {
    // BEGIN SOLUTION
    if line.starts_with([' ', '\t']) {
        return Err(HttpError::bad_request(
            "a field line starts with a space (obsolete line folding)",
        ));
    }
    let Some((name, value)) = line.split_once(':') else {
        return Err(HttpError::bad_request(format!(
            "the field line {line:?} has no colon"
        )));
    };
    if !is_token(name) {
        return Err(HttpError::bad_request(format!(
            "the field name {name:?} is not a token"
        )));
    }
    let value = value.trim_matches([' ', '\t']);
    if value.chars().any(|c| c.is_ascii_control() && c != '\t') {
        return Err(HttpError::bad_request(format!(
            "the value of {name} holds a control character"
        )));
    }
    Ok((name, value.to_string()))
    // END SOLUTION
    // STUB: // TODO: 400 if the line `starts_with([' ', '\t'])`; `split_once(':')` (400 without a colon);
    // STUB: // 400 unless `is_token(name)`; trim the value with `trim_matches([' ', '\t'])`; 400 if it
    // STUB: // holds a control character other than '\t' (`char::is_ascii_control`).
    // STUB: todo!()
}

/// Checks the `Host` field: an HTTP/1.1 request must have exactly one (400 without it,
/// or with two); an HTTP/1.0 request may have none, but not two.
pub fn check_host(version: Version, headers: &Headers) -> Result<(), HttpError> {
    // BEGIN SOLUTION
    match (headers.get_all("Host").count(), version) {
        (0, Version::Http11) => Err(HttpError::bad_request(
            "an HTTP/1.1 request needs a Host field",
        )),
        (0 | 1, _) => Ok(()),
        _ => Err(HttpError::bad_request("more than one Host field")),
    }
    // END SOLUTION
    // STUB: // TODO: count the Host fields (`headers.get_all("Host").count()`): 0 is a 400 for HTTP/1.1
    // STUB: // only; more than 1 is always a 400.
    // STUB: todo!()
}

/// Whether `text` is a *token* (RFC 9110, section 5.6.2): one or more of the ASCII
/// letters and digits and ``!#$%&'*+-.^_`|~``. Methods and field names are tokens.
pub fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}
