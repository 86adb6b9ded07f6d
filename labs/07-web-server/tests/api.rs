//! Graded test for the JSON endpoint (`src/routes.rs`): `/api/status` reports the
//! server's own address and how many requests it has read, across every connection.

mod support;

use insta::{assert_snapshot, with_settings};
use serde_json::Value;

use support::program::redact_port;
use support::raw::RawClient;
use support::server::{TestServer, get, request};

/// Sends `bytes` on `client`, reads the response, and notes both in `story`.
async fn ask(
    server: &TestServer,
    client: &mut RawClient,
    story: &mut Vec<String>,
    what: &str,
    bytes: &[u8],
) -> support::raw::RawResponse {
    if let Err(message) = client.send(bytes).await {
        server.fail(&message, story).await;
    }
    story.push(what.to_string());
    match client.read_response(false).await {
        Ok(response) => response,
        Err(message) => server.fail(&message, story).await,
    }
}

/// Reads a status response: 200, application/json, `{"address": "…", "requests": N}`.
async fn status_of(
    server: &TestServer,
    response: &support::raw::RawResponse,
    story: &[String],
) -> (String, u64, String) {
    let problem = if response.code != 200 {
        Some(format!("the status is {}, not 200 OK", response.status()))
    } else if response.field("Content-Type") != Some("application/json") {
        Some(format!(
            "the Content-Type is {:?}, not \"application/json\": the page's script reads it with \
             response.json()",
            response.field("Content-Type")
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        server
            .fail(&format!("GET /api/status: {problem}."), story)
            .await;
    }
    let json: Value = match serde_json::from_slice(&response.body) {
        Ok(json) => json,
        Err(error) => {
            server
                .fail(
                    &format!(
                        "the body of /api/status is not JSON ({error}): {}. Build it with \
                         serde_json::json!",
                        support::show(&response.body)
                    ),
                    story,
                )
                .await
        }
    };
    let fields = json.as_object().map(|object| {
        (
            object.len(),
            object.get("address").and_then(Value::as_str),
            object.get("requests").and_then(Value::as_u64),
        )
    });
    match fields {
        Some((2, Some(address), Some(requests))) => {
            (address.to_string(), requests, json.to_string())
        }
        _ => {
            server
                .fail(
                    &format!(
                        "the body of /api/status is {json}, not an object with exactly two \
                         fields, \"address\" (a string like \"127.0.0.1:62893\") and \"requests\" \
                         (a number)"
                    ),
                    story,
                )
                .await
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_its_address_and_request_count() {
    let server = TestServer::start().await;
    let mut story = Vec::new();
    let mut first = server.connect().await;
    story.push("the first client connects".to_string());
    let mut counts = Vec::new();

    let steps: [(&str, Vec<u8>, u64); 3] = [
        (
            "the first client sends GET /api/status",
            get("/api/status", &[]),
            1,
        ),
        (
            "the first client sends GET /hello.txt",
            get("/hello.txt", &[]),
            0,
        ),
        (
            "the first client sends GET /api/status",
            get("/api/status", &[]),
            3,
        ),
    ];
    for (what, bytes, expected) in steps {
        let response = ask(&server, &mut first, &mut story, what, &bytes).await;
        if expected == 0 {
            story.push(format!("  → {}", response.status()));
            continue;
        }
        let (address, requests, json) = status_of(&server, &response, &story).await;
        counts.push((address, requests, expected));
        story.push(format!(
            "  → {}, {}",
            response.status(),
            redact_port(&json, server.address)
        ));
    }

    let mut second = server.connect().await;
    story.push("a second client connects".to_string());
    let refused = ask(
        &server,
        &mut second,
        &mut story,
        "the second client sends POST /api/status",
        &request("POST", "/api/status", &[], b"{}"),
    )
    .await;
    story.push(format!(
        "  → {}, Allow: {}",
        refused.status(),
        refused.field("Allow").unwrap_or("(none)")
    ));
    if refused.code != 405 || refused.field("Allow") != Some("GET, HEAD") {
        server
            .fail(
                "POST /api/status should get 405 Method Not Allowed with `Allow: GET, HEAD`: \
                 the status can be read, not written (method_not_allowed).",
                &story,
            )
            .await;
    }
    let response = ask(
        &server,
        &mut second,
        &mut story,
        "the second client sends GET /api/status",
        &get("/api/status", &[]),
    )
    .await;
    let (address, requests, json) = status_of(&server, &response, &story).await;
    counts.push((address, requests, 5));
    story.push(format!(
        "  → {}, {}",
        response.status(),
        redact_port(&json, server.address)
    ));

    for (address, requests, expected) in counts {
        if address != server.address.to_string() {
            server
                .fail(
                    &format!(
                        "/api/status says the address is {address:?}, but the server listens on \
                         {}: report Site::address, which serve took from listener.local_addr().",
                        server.address
                    ),
                    &story,
                )
                .await;
        }
        if requests != expected {
            server
                .fail(
                    &format!(
                        "/api/status said \"requests\": {requests} where {expected} requests had \
                         been read, that one included. handle_connection counts every request it \
                         reads (Site::count_request) before routing it, and the count is shared \
                         by all connections (one Site in an Arc)."
                    ),
                    &story,
                )
                .await;
        }
    }
    with_settings!({
        description => "GET /api/status answers application/json (shown here parsed, keys sorted) with the server's address (from listener.local_addr()) and the number of requests read so far, this one included, over all connections. POST gets 405 with Allow: GET, HEAD.",
    }, {
        assert_snapshot!(story.join("\n"));
    });
}
