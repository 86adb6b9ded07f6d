//! Graded tests for persistent connections (`src/connection.rs`): several requests on
//! one connection, pipelined requests, and when the server must close.

mod support;

use insta::{assert_snapshot, with_settings};

use support::QUIET;
use support::cases::{Case, Expected, run_table};
use support::program::redact_port;
use support::raw::{Ending, RawClient};
use support::server::{TestServer, get, request};

/// Reads the next response on `client`, or fails the test with the story so far.
async fn next_response(
    server: &TestServer,
    client: &mut RawClient,
    to_head: bool,
    story: &[String],
    hint: &str,
) -> support::raw::RawResponse {
    match client.read_response(to_head).await {
        Ok(response) => response,
        Err(message) => server.fail(&format!("{message}. {hint}"), story).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_several_requests_on_one_connection() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    let mut story =
        vec!["the client connects, and sends every request on this one connection".to_string()];
    let steps = [
        ("GET", "/hello.txt"),
        ("GET", "/api/status"),
        ("GET", "/missing.txt"),
        ("HEAD", "/hello.txt"),
        ("GET", "/style.css"),
    ];
    for (number, (method, target)) in steps.into_iter().enumerate() {
        let bytes = request(method, target, &[], b"");
        if let Err(message) = client.send(&bytes).await {
            server.fail(&message, &story).await;
        }
        story.push(format!("the client sends {method} {target} HTTP/1.1"));
        let hint = if number == 0 {
            "Is the server answering at all?"
        } else {
            "An HTTP/1.1 connection stays open after a response, for the next request \
             (keeps_alive is true without Connection: close): handle_connection loops back to \
             read_request, and only returns when the client closes. A 404 is a normal \
             response: it does not end the connection either."
        };
        let response = next_response(&server, &mut client, method == "HEAD", &story, hint).await;
        let summary = match serde_json::from_slice::<serde_json::Value>(&response.body) {
            // The status, parsed: its spacing and the order of its keys are yours to choose.
            Ok(json) if target == "/api/status" => format!("{} (JSON): {json}", response.status()),
            _ => response.summary(),
        };
        story.push(format!(
            "the client receives {}",
            redact_port(&summary, server.address)
        ));
    }
    match client.ending(QUIET).await {
        Ending::StillOpen => story.push(format!(
            "after {} s without a request, the connection is still open",
            QUIET.as_secs_f64()
        )),
        other => {
            server
                .fail(
                    &format!(
                        "after the last response, {}, but an HTTP/1.1 connection stays open \
                         until the client closes it (or stays idle for IDLE_TIMEOUT).",
                        other.describe()
                    ),
                    &story,
                )
                .await
        }
    }
    with_settings!({
        description => "One connection, five requests one after the other (a 404 among them, and a HEAD): each gets its response, and the connection stays open afterwards. The JSON of /api/status is shown parsed, keys sorted.",
    }, {
        assert_snapshot!(story.join("\n"));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_pipelined_requests_in_order() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    let requests = [
        ("GET /hello.txt", get("/hello.txt", &[])),
        (
            "POST /api/echo with the body \"ping\"",
            request("POST", "/api/echo", &[], b"ping"),
        ),
        ("GET /missing.txt", get("/missing.txt", &[])),
        ("HEAD /style.css", request("HEAD", "/style.css", &[], b"")),
        (
            "GET /data.json with Connection: close",
            get("/data.json", &["Connection: close"]),
        ),
    ];
    let all: Vec<u8> = requests
        .iter()
        .flat_map(|(_, bytes)| bytes.clone())
        .collect();
    let mut story = vec![format!(
        "the client sends {} requests in one write, {} bytes, without waiting for any answer:",
        requests.len(),
        all.len()
    )];
    story.extend(requests.iter().map(|(what, _)| format!("  {what}")));
    if let Err(message) = client.send(&all).await {
        server.fail(&message, &story).await;
    }
    for (what, bytes) in &requests {
        let hint = format!(
            "This was the response to {what}. Pipelined requests arrive together, and a \
             BufReader may hold several of them after one read: read_request must take exactly \
             one request (its head, then Content-Length bytes of body) and leave the rest in \
             the buffer for the next round of the loop. Keep the same BufReader for the whole \
             connection."
        );
        let response = next_response(
            &server,
            &mut client,
            bytes.starts_with(b"HEAD "),
            &story,
            &hint,
        )
        .await;
        story.push(format!("the client receives {}", response.summary()));
    }
    match client.ending(support::WAIT).await {
        Ending::Closed => story.push("the server closes the connection".to_string()),
        other => {
            server
                .fail(
                    &format!(
                        "the last request said Connection: close, but after its response {}.",
                        other.describe()
                    ),
                    &story,
                )
                .await
        }
    }
    with_settings!({
        description => "Five requests sent in one write (pipelining): the five responses come back in order, each framed by its Content-Length, and the server closes after the one that asked for it.",
    }, {
        assert_snapshot!(story.join("\n"));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closes_after_connection_close_and_http_1_0() {
    let server = TestServer::start().await;
    let version_1_0 = |lines: &str| format!("GET /hello.txt HTTP/1.0\r\n{lines}\r\n").into_bytes();
    let cases = [
        Case::new(
            "HTTP/1.1 without Connection",
            get("/hello.txt", &[]),
            Expected::open(200, None),
            "an HTTP/1.1 connection stays open by default, and the response needs no \
             Connection field to say so",
        ),
        Case::new(
            "HTTP/1.1 with Connection: close",
            get("/hello.txt", &["Connection: close"]),
            Expected::closed(200),
            "the client asked to close: answer with Connection: close, then close \
             (keeps_alive, connection_field)",
        ),
        Case::new(
            "HTTP/1.1 with Connection: keep-alive, close",
            get("/hello.txt", &["Connection: keep-alive, close"]),
            Expected::closed(200),
            "Connection is a list: `close` is one of its elements (Headers::has_token)",
        ),
        Case::new(
            "HTTP/1.1 with Connection: Close",
            get("/hello.txt", &["Connection: Close"]),
            Expected::closed(200),
            "connection options are case-insensitive (Headers::has_token compares with \
             eq_ignore_ascii_case)",
        ),
        Case::new(
            "HTTP/1.0 without Connection",
            version_1_0("Host: 127.0.0.1\r\n"),
            Expected::closed(200),
            "an HTTP/1.0 connection closes after each response unless the client asks for \
             keep-alive",
        ),
        Case::new(
            "HTTP/1.0 with Connection: keep-alive",
            version_1_0("Host: 127.0.0.1\r\nConnection: keep-alive\r\n"),
            Expected::open(200, Some("keep-alive")),
            "an HTTP/1.0 client that asks for keep-alive gets it, and the response says so with \
             Connection: keep-alive (connection_field), or the client would wait for a close",
        ),
    ];
    let table = run_table(&server, &cases, str::to_string).await;
    let note = "(the rows kept open send the same request a second time on the same connection)\n";
    with_settings!({
        description => "When the connection stays open and when the server closes it: HTTP/1.1 keeps it unless the client says Connection: close; HTTP/1.0 closes it unless the client says Connection: keep-alive. Each request on a new connection.",
    }, {
        assert_snapshot!(format!("{note}{table}"));
    });
}
