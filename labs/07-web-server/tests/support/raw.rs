//! A raw HTTP client: it writes the exact bytes a test chooses (malformed ones too) on a
//! TCP connection, and reads every byte of the responses itself, checking their framing
//! as strictly as a careful client would.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout, timeout_at};

use super::{QUIET, WAIT, show};

/// The longest response head the client accepts.
const MAX_RESPONSE_HEAD: usize = 64 * 1024;

/// One response, as read from the connection.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// `HTTP/1.1 200 OK`
    pub status_line: String,
    pub code: u16,
    /// The field lines, in order, names as sent.
    pub fields: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether this answers a HEAD (so it has no body, whatever its Content-Length).
    pub to_head: bool,
}

impl RawResponse {
    /// The value of the first field called `name`, whatever its case.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// `200 OK`: the status line without its version.
    pub fn status(&self) -> &str {
        self.status_line
            .split_once(' ')
            .map_or(self.status_line.as_str(), |(_, status)| status)
    }

    pub fn says_close(&self) -> bool {
        self.field("Connection")
            .is_some_and(|value| value.eq_ignore_ascii_case("close"))
    }

    /// One line for a transcript: `200 OK (text/plain; charset=utf-8, 27 bytes): "hello…"`.
    /// Only the status of an error: its words are the server's own choice.
    pub fn summary(&self) -> String {
        let mut summary = self.status().to_string();
        let success = (200..300).contains(&self.code);
        if success {
            let content_type = self.field("Content-Type").unwrap_or("no Content-Type");
            summary += &if self.to_head {
                let length = self.field("Content-Length").unwrap_or("none");
                format!(" ({content_type}, Content-Length: {length}, no body)")
            } else {
                format!(" ({content_type}, {} bytes)", self.body.len())
            };
        }
        if let Some(connection) = self.field("Connection") {
            summary += &format!(" with Connection: {connection}");
        }
        if success && !self.body.is_empty() {
            summary += &format!(": {}", show(&self.body));
        }
        summary
    }
}

/// How a connection ended, as the client saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The server closed its side: the end of the stream.
    Closed,
    /// Nothing came, and the connection stayed open, for the whole wait.
    StillOpen,
    /// More bytes came.
    Extra(Vec<u8>),
    /// The connection failed (reset by the server, …).
    Failed(String),
}

impl Ending {
    pub fn describe(&self) -> String {
        match self {
            Ending::Closed => "the server closed the connection".to_string(),
            Ending::StillOpen => "the connection stayed open".to_string(),
            Ending::Extra(bytes) => format!("more bytes came: {}", show(bytes)),
            Ending::Failed(error) => format!("the connection failed: {error}"),
        }
    }
}

/// One TCP connection to the server.
pub struct RawClient {
    stream: TcpStream,
    /// Bytes received and not yet taken by a response.
    pending: Vec<u8>,
    /// How long to wait for a response, or for the end of the connection.
    pub wait: Duration,
}

impl RawClient {
    /// Connects to the server, or says why it could not.
    pub async fn connect(address: SocketAddr) -> Result<RawClient, String> {
        match timeout(WAIT, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                Ok(RawClient {
                    stream,
                    pending: Vec::new(),
                    wait: WAIT,
                })
            }
            Ok(Err(error)) => Err(format!(
                "the client could not connect to the server at {address}: {error}. Is `serve` \
                 still running and accepting connections?"
            )),
            Err(_) => Err(format!(
                "the client could not connect to the server at {address} within {} s",
                WAIT.as_secs()
            )),
        }
    }

    /// Writes `bytes` on the connection.
    pub async fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        match timeout(WAIT, self.stream.write_all(bytes)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(format!(
                "the client could not send {}: {error}. The server closed or reset the connection \
                 before the client had sent its request.",
                show(bytes)
            )),
            Err(_) => Err(format!(
                "the client could not send {} within {} s: the server stopped reading.",
                show(bytes),
                WAIT.as_secs()
            )),
        }
    }

    /// Writes `bytes` in pieces, with a pause between them, as a slow network would.
    pub async fn send_slowly(&mut self, bytes: &[u8], pieces: usize) -> Result<(), String> {
        let size = bytes.len().div_ceil(pieces).max(1);
        for piece in bytes.chunks(size) {
            self.send(piece).await?;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Shuts down the client's sending side: "I will send nothing more" (a TCP FIN).
    pub async fn half_close(&mut self) {
        let _ = timeout(WAIT, self.stream.shutdown()).await;
    }

    /// Reads one response: a status line, field lines, an empty line, then exactly
    /// `Content-Length` bytes of body (none for the answer to a HEAD).
    pub async fn read_response(&mut self, to_head: bool) -> Result<RawResponse, String> {
        let deadline = Instant::now() + self.wait;
        let head_end = loop {
            if let Some(end) = find(&self.pending, b"\r\n\r\n") {
                break end;
            }
            if self.pending.len() > MAX_RESPONSE_HEAD {
                return Err(format!(
                    "the response head is longer than {MAX_RESPONSE_HEAD} bytes without an empty \
                     line (\\r\\n\\r\\n) to end it: {}",
                    show(&self.pending)
                ));
            }
            self.receive(deadline, "a response").await?;
        };
        let head: Vec<u8> = self.pending.drain(..head_end + 4).collect();
        let mut response = parse_head(&head[..head_end])?;
        response.to_head = to_head;
        if to_head {
            return Ok(response);
        }
        let length = match response.field("Content-Length") {
            Some(value) => value.parse::<usize>().map_err(|_| {
                format!(
                    "the response's Content-Length is {value:?}, not a number of bytes (head: {})",
                    show(&head)
                )
            })?,
            None => {
                return Err(format!(
                    "the response has no Content-Length field, so a client cannot know where its \
                     body ends (head: {}). Response::encode writes `Content-Length: <body length>`.",
                    show(&head)
                ));
            }
        };
        while self.pending.len() < length {
            self.receive(deadline, &format!("the {length} bytes of the body"))
                .await
                .map_err(|error| {
                    format!(
                        "{error} (the body so far: {} of {length} bytes; the head was {}). Does \
                         Content-Length match the body's length?",
                        self.pending.len(),
                        show(&head)
                    )
                })?;
        }
        response.body = self.pending.drain(..length).collect();
        Ok(response)
    }

    /// Reads more bytes into `pending`, before `deadline`.
    async fn receive(&mut self, deadline: Instant, what: &str) -> Result<(), String> {
        let mut buffer = vec![0; 64 * 1024];
        match timeout_at(deadline, self.stream.read(&mut buffer)).await {
            Ok(Ok(0)) if self.pending.is_empty() => Err(format!(
                "the server closed the connection without answering, while the client waited \
                 for {what}. Every request gets a response, even a bad one (a 4xx status)."
            )),
            Ok(Ok(0)) => Err(format!(
                "the server closed the connection in the middle of {what}, after {}",
                show(&self.pending)
            )),
            Ok(Ok(count)) => {
                self.pending.extend_from_slice(&buffer[..count]);
                Ok(())
            }
            Ok(Err(error)) => Err(format!(
                "the connection failed while the client waited for {what}: {error}"
            )),
            Err(_) if self.pending.is_empty() => Err(format!(
                "no answer within {} s while the client waited for {what}",
                self.wait.as_secs_f64()
            )),
            Err(_) => Err(format!(
                "the client waited {} s for {what}, and received only {}",
                self.wait.as_secs_f64(),
                show(&self.pending)
            )),
        }
    }

    /// What happens next on the connection within `within`: the end of the stream,
    /// nothing, more bytes, or a failure.
    pub async fn ending(&mut self, within: Duration) -> Ending {
        if !self.pending.is_empty() {
            return Ending::Extra(std::mem::take(&mut self.pending));
        }
        let mut buffer = vec![0; 4096];
        match timeout(within, self.stream.read(&mut buffer)).await {
            Err(_) => Ending::StillOpen,
            Ok(Ok(0)) => Ending::Closed,
            Ok(Ok(count)) => Ending::Extra(buffer[..count].to_vec()),
            Ok(Err(error)) => Ending::Failed(error.to_string()),
        }
    }

    /// Expects the server to close the connection soon.
    pub async fn expect_closed(&mut self) -> Result<(), String> {
        match self.ending(self.wait).await {
            Ending::Closed => Ok(()),
            other => Err(other.describe()),
        }
    }

    /// Expects the connection to stay open, with nothing more coming, for a moment.
    pub async fn expect_open(&mut self) -> Result<(), String> {
        match self.ending(QUIET).await {
            Ending::StillOpen => Ok(()),
            other => Err(other.describe()),
        }
    }
}

/// Parses a response head (without its final empty line).
fn parse_head(head: &[u8]) -> Result<RawResponse, String> {
    let text = std::str::from_utf8(head)
        .map_err(|_| format!("the response head is not UTF-8: {}", show(head)))?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default().to_string();
    let code = parse_status_line(&status_line).ok_or_else(|| {
        format!(
            "the response does not start with a status line like `HTTP/1.1 200 OK\\r\\n`: it \
             starts with {}",
            show(head)
        )
    })?;
    let mut fields = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!(
                "the response's field line {} has no colon (head: {})",
                show(line.as_bytes()),
                show(head)
            ));
        };
        if name.is_empty() || name.contains([' ', '\t', '\n']) {
            return Err(format!(
                "the response's field line {} does not start with a field name (every line of \
                 the head ends with \\r\\n, head: {})",
                show(line.as_bytes()),
                show(head)
            ));
        }
        fields.push((name.to_string(), value.trim().to_string()));
    }
    Ok(RawResponse {
        status_line,
        code,
        fields,
        body: Vec::new(),
        to_head: false,
    })
}

/// The code of `HTTP/1.1 404 Not Found`.
fn parse_status_line(line: &str) -> Option<u16> {
    let rest = line.strip_prefix("HTTP/1.1 ")?;
    let (code, reason) = rest.split_once(' ')?;
    if code.len() != 3 || reason.is_empty() || line.contains('\n') {
        return None;
    }
    code.parse().ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
