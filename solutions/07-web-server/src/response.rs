//! The response: a status line, header fields, an empty line, and the body.
//!
//! Everything a server says goes in this shape (RFC 9112, section 2.1):
//!
//! ```text
//! HTTP/1.1 200 OK\r\n                              status line: version, code, reason
//! Date: Tue, 26 Nov 2024 09:41:07 GMT\r\n          field lines, one per line
//! Content-Type: text/plain; charset=utf-8\r\n
//! Content-Length: 27\r\n
//! \r\n                                             the empty line ends the head
//! hello from the site folder\n                     the body: exactly 27 bytes
//! ```
//!
//! Every line of the head ends with CR LF (`\r\n`), the two bytes 13 and 10. The body
//! has no end marker: the client knows where it ends because `Content-Length` said how
//! many bytes it has. That is what lets a second response follow on the same
//! connection (see [`crate::connection`]): a wrong `Content-Length` leaves the client
//! reading the next response in the middle of this body.
//!
//! The **status code** says how it went, and its first digit says which kind of answer
//! it is (RFC 9110, section 15): 2xx it worked, 3xx look elsewhere, 4xx the *client*
//! made a mistake (a bad request, a missing file), 5xx the *server* failed. The reason
//! phrase after it ("OK", "Not Found") is for humans; clients go by the number.
//!
//! A response to `HEAD` is the response to `GET` without its body: the same status and
//! fields, `Content-Length` included, and not one byte after the empty line (RFC 9110,
//! section 9.3.2). A client asks `HEAD` to learn a file's size or type without
//! downloading it.
//!
//! An origin server with a clock also sends the `Date` field (RFC 9110, section 6.6.1),
//! in the fixed format of [`http_date`].

use std::time::{SystemTime, UNIX_EPOCH};

use tokio::io::{self, AsyncWrite, AsyncWriteExt};

/// The status codes this server sends (RFC 9110, section 15; 431 is RFC 6585's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    BadRequest,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    ContentTooLarge,
    UriTooLong,
    RequestHeaderFieldsTooLarge,
    InternalServerError,
    NotImplemented,
    HttpVersionNotSupported,
}

impl Status {
    /// The three-digit code, e.g. 404.
    pub fn code(self) -> u16 {
        match self {
            Status::Ok => 200,
            Status::BadRequest => 400,
            Status::Forbidden => 403,
            Status::NotFound => 404,
            Status::MethodNotAllowed => 405,
            Status::ContentTooLarge => 413,
            Status::UriTooLong => 414,
            Status::RequestHeaderFieldsTooLarge => 431,
            Status::InternalServerError => 500,
            Status::NotImplemented => 501,
            Status::HttpVersionNotSupported => 505,
        }
    }

    /// The reason phrase RFC 9110 gives the code, e.g. `Not Found`.
    pub fn reason(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::BadRequest => "Bad Request",
            Status::Forbidden => "Forbidden",
            Status::NotFound => "Not Found",
            Status::MethodNotAllowed => "Method Not Allowed",
            Status::ContentTooLarge => "Content Too Large",
            Status::UriTooLong => "URI Too Long",
            Status::RequestHeaderFieldsTooLarge => "Request Header Fields Too Large",
            Status::InternalServerError => "Internal Server Error",
            Status::NotImplemented => "Not Implemented",
            Status::HttpVersionNotSupported => "HTTP Version Not Supported",
        }
    }
}

/// A request the server will not serve: the status to answer with, and why, in words
/// for the human reading the response (`curl` shows them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub status: Status,
    pub why: String,
}

impl HttpError {
    pub fn new(status: Status, why: impl Into<String>) -> HttpError {
        HttpError {
            status,
            why: why.into(),
        }
    }

    /// A 400 Bad Request: the bytes are not a valid request.
    pub fn bad_request(why: impl Into<String>) -> HttpError {
        HttpError::new(Status::BadRequest, why)
    }

    /// The response that tells the client: `404 Not Found: no file /missing.txt`.
    pub fn to_response(&self) -> Response {
        Response::text(
            self.status,
            format!(
                "{} {}: {}\n",
                self.status.code(),
                self.status.reason(),
                self.why
            ),
        )
    }
}

/// What a response says about the connection: nothing (an HTTP/1.1 connection stays
/// open by default), `Connection: keep-alive` (an HTTP/1.0 client asked to keep it
/// open), or `Connection: close` (the server closes it after this response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionField {
    Omitted,
    KeepAlive,
    Close,
}

/// A response, before it is encoded into bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: Status,
    /// The fields other than `Date`, `Content-Length` and `Connection`, which
    /// [`Response::encode`] writes itself. `Content-Type` is one of them.
    pub fields: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body of the given media type, e.g. `text/html; charset=utf-8`.
    pub fn new(status: Status, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            fields: vec![("Content-Type".to_string(), content_type.to_string())],
            body: body.into(),
        }
    }

    /// A plain text response.
    pub fn text(status: Status, text: impl Into<String>) -> Response {
        Response::new(status, "text/plain; charset=utf-8", text.into())
    }

    /// The same response with one more field.
    pub fn with_field(mut self, name: &str, value: &str) -> Response {
        self.fields.push((name.to_string(), value.to_string()));
        self
    }

    /// The bytes of the response, ready to be written: the status line, `Date`, the
    /// [`fields`](Response::fields), `Content-Length` (the body's length, even when
    /// `head_only`), the `Connection` field unless it is [`ConnectionField::Omitted`],
    /// the empty line, then the body, unless `head_only` (the answer to a `HEAD`).
    ///
    /// Every line ends with `\r\n`. The status line is `HTTP/1.1 404 Not Found`: the
    /// version this server speaks, whatever the version of the request (RFC 9110,
    /// section 6.2), then the code and the reason phrase.
    pub fn encode(&self, head_only: bool, connection: ConnectionField, date: &str) -> Vec<u8> {
        // BEGIN SOLUTION
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nDate: {date}\r\n",
            self.status.code(),
            self.status.reason()
        );
        for (name, value) in &self.fields {
            head += &format!("{name}: {value}\r\n");
        }
        head += &format!("Content-Length: {}\r\n", self.body.len());
        match connection {
            ConnectionField::Omitted => {}
            ConnectionField::KeepAlive => head += "Connection: keep-alive\r\n",
            ConnectionField::Close => head += "Connection: close\r\n",
        }
        head += "\r\n";
        let mut bytes = head.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        bytes
        // END SOLUTION
        // STUB: // TODO: the bytes of the response, as the doc comment says. Think about: the order of the
        // STUB: // lines; CR LF after every line, and the empty line after the last field; the
        // STUB: // `Content-Length` of a HEAD response (the length the GET body would have, and no body
        // STUB: // after the head); the three kinds of `ConnectionField`; a body that is not text (every
        // STUB: // byte value). Read chapter 7, "The anatomy of an HTTP/1.1 exchange", and RFC 9112,
        // STUB: // sections 2.1 and 4. Stuck? `cargo xtask hint 07`.
        // STUB: todo!()
    }

    /// Encodes the response (dated now) and writes it, all of it, in one write.
    pub async fn write_to<W>(
        &self,
        stream: &mut W,
        head_only: bool,
        connection: ConnectionField,
    ) -> io::Result<()>
    where
        W: AsyncWrite + Unpin,
    {
        let bytes = self.encode(head_only, connection, &http_date(SystemTime::now()));
        stream.write_all(&bytes).await?;
        stream.flush().await
    }
}

/// A time in the format of HTTP's `Date` field (RFC 9110, section 5.6.7), always in
/// GMT and always 29 characters: `Tue, 26 Nov 2024 09:41:07 GMT`.
pub fn http_date(time: SystemTime) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let days = seconds / 86_400;
    let (hour, minute, second) = (seconds % 86_400 / 3600, seconds % 3600 / 60, seconds % 60);
    // Days since 1970-01-01 to a date of the proleptic Gregorian calendar (Howard
    // Hinnant's `civil_from_days`), counting in eras of 400 years from 0000-03-01.
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = (month_from_march + 2) % 12;
    let year = year_of_era + era * 400 + u64::from(month < 2);
    format!(
        "{}, {day:02} {} {year} {hour:02}:{minute:02}:{second:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[month as usize]
    )
}
