//! Tables of requests, each sent on a connection of its own, with the answer each one
//! must get. A table becomes the snapshot, and every row that went wrong is explained.

use std::time::Duration;

use tokio::time::Instant;

use super::raw::{Ending, RawClient};
use super::server::TestServer;
use super::site::SECRET;
use super::{QUIET, show};

/// How long one row waits for its response, and for the end of its connection.
const ROW_WAIT: Duration = Duration::from_secs(2);

/// How long a whole table may take; the rows left after that are not tried.
const TABLE_BUDGET: Duration = Duration::from_secs(30);

/// What happens to the connection after the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// Not checked.
    Any,
    /// The server closes the connection.
    Closed,
    /// The connection stays open, and takes a second, identical request.
    Open,
}

/// What a request must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    pub code: u16,
    /// The value of the response's `Connection` field (`None`: no such field, or
    /// not checked when `then` is [`Then::Any`]).
    pub connection: Option<&'static str>,
    pub then: Then,
}

impl Expected {
    /// A response with this status; what comes next does not matter.
    pub fn status(code: u16) -> Expected {
        Expected {
            code,
            connection: None,
            then: Then::Any,
        }
    }

    /// A response with this status and `Connection: close`, then the end of the connection.
    pub fn closed(code: u16) -> Expected {
        Expected {
            code,
            connection: Some("close"),
            then: Then::Closed,
        }
    }

    /// A response with this status (and `connection` as its `Connection` field), then
    /// the connection stays open for another request.
    pub fn open(code: u16, connection: Option<&'static str>) -> Expected {
        Expected {
            code,
            connection,
            then: Then::Open,
        }
    }

    fn describe(self) -> String {
        let mut text = format!("{} {}", self.code, reason(self.code));
        if self.then == Then::Any {
            return text;
        }
        if let Some(connection) = self.connection {
            text += &format!(", Connection: {connection}");
        }
        text += match self.then {
            Then::Closed => ", closed",
            _ => ", kept open for a second request, which got the same status",
        };
        text
    }
}

/// One row of a table.
pub struct Case {
    /// What the row tries, in words.
    pub label: String,
    pub request: Vec<u8>,
    pub expected: Expected,
    /// Why the expected answer is right: shown when the row fails.
    pub why: String,
    /// Whether the client shuts down its sending side after the request.
    pub half_close: bool,
}

impl Case {
    pub fn new(label: &str, request: impl Into<Vec<u8>>, expected: Expected, why: &str) -> Case {
        Case {
            label: label.to_string(),
            request: request.into(),
            expected,
            why: why.to_string(),
            half_close: false,
        }
    }

    /// The same row, with the client shutting down its sending side after the request.
    pub fn then_half_close(mut self) -> Case {
        self.half_close = true;
        self
    }
}

/// The reason phrase of the codes these tests expect.
pub fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "?",
    }
}

/// `Expected: 403 Forbidden`, for a message.
fn describe_expected(expected: Expected) -> String {
    format!("Expected: {}", expected.describe())
}

/// Sends one row's request on a new connection, and describes what came back in the
/// words of [`Expected::describe`].
async fn observe(server: &TestServer, case: &Case) -> String {
    let mut client = match RawClient::connect(server.address).await {
        Ok(client) => client,
        // Nothing else in the table can work: say so at once.
        Err(message) => server.fail(&message, &[]).await,
    };
    client.wait = ROW_WAIT;
    if let Err(message) = client.send(&case.request).await {
        return format!("the request could not be sent: {message}");
    }
    if case.half_close {
        client.half_close().await;
    }
    let to_head = case.request.starts_with(b"HEAD ");
    let response = match client.read_response(to_head).await {
        Ok(response) => response,
        Err(message) => return format!("no response: {message}"),
    };
    if String::from_utf8_lossy(&response.body).contains(SECRET.trim_end()) {
        server
            .fail(
                &format!(
                    "LEAK: the server sent the secret file from outside the site folder in answer \
                     to {} ({}): {}. {}: {}. In general: decode the path first, refuse `..` \
                     segments, build the path from its normal segments only, and check the \
                     canonical path with Path::starts_with.",
                    show(&case.request),
                    case.label,
                    response.summary(),
                    describe_expected(case.expected),
                    case.why
                ),
                &[],
            )
            .await;
    }
    let mut outcome = response.status().to_string();
    if case.expected.then == Then::Any {
        return outcome;
    }
    if let Some(connection) = response.field("Connection") {
        outcome += &format!(", Connection: {connection}");
    }
    match case.expected.then {
        Then::Closed => match client.ending(ROW_WAIT).await {
            Ending::Closed => outcome += ", closed",
            other => outcome += &format!(", but then {}", other.describe()),
        },
        _ => match client.ending(QUIET).await {
            Ending::StillOpen => {
                let second = match client.send(&case.request).await {
                    Ok(()) => client.read_response(to_head).await,
                    Err(message) => Err(message),
                };
                outcome += &match second {
                    Ok(second) if second.code == response.code => {
                        ", kept open for a second request, which got the same status".to_string()
                    }
                    Ok(second) => format!(
                        ", kept open, but a second request on it got {}",
                        second.status()
                    ),
                    Err(message) => {
                        format!(", kept open, but a second request on it failed: {message}")
                    }
                }
            }
            other => outcome += &format!(", but then {}", other.describe()),
        },
    }
    outcome
}

/// Runs every row; fails the test explaining each row that got something else; returns
/// the table for the snapshot, with `redact` applied to the requests shown.
pub async fn run_table(
    server: &TestServer,
    cases: &[Case],
    redact: impl Fn(&str) -> String,
) -> String {
    let deadline = Instant::now() + TABLE_BUDGET;
    let mut table = String::new();
    let mut wrong = Vec::new();
    for case in cases {
        let expected = case.expected.describe();
        let outcome = if Instant::now() < deadline {
            observe(server, case).await
        } else {
            format!(
                "not tried: the earlier rows took all of the table's {} s",
                TABLE_BUDGET.as_secs()
            )
        };
        let shown = show(redact(&String::from_utf8_lossy(&case.request)).as_bytes());
        let close = if case.half_close {
            " (then the client shuts down its sending side)"
        } else {
            ""
        };
        table += &format!("{}: {shown}{close}\n  → {outcome}\n", case.label);
        if outcome != expected {
            wrong.push(format!(
                "- {}: the client sent {shown}{close}\n  expected: {expected}\n  got:      \
                 {outcome}\n  why: {}",
                case.label, case.why
            ));
        }
    }
    if !wrong.is_empty() {
        server
            .fail(
                &format!(
                    "{} of the {} requests got the wrong answer (each was sent on a new \
                     connection):\n\n{}",
                    wrong.len(),
                    cases.len(),
                    wrong.join("\n\n")
                ),
                &[],
            )
            .await;
    }
    table
}
