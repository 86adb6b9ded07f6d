//! Graded tests for reading requests (`src/request.rs`) and writing responses
//! (`src/response.rs`), through `serve` on 127.0.0.1 and a raw TCP client that sends
//! exactly the bytes each test chooses: good requests, and many malformed ones.

mod support;

use insta::{assert_snapshot, with_settings};
use lab07_web_server::routes::INDEX_HTML;

use support::cases::{Case, Expected, run_table};
use support::raw::{Ending, RawResponse};
use support::server::{TestServer, raw_request};
use support::{QUIET, show};

/// The head of a response for a snapshot: the status line, then the fields sorted by
/// name (their order does not matter in HTTP), with the date and the length of the home
/// page (which you may edit) replaced by words.
fn head_for_snapshot(response: &RawResponse) -> String {
    let mut fields: Vec<String> = response
        .fields
        .iter()
        .map(|(name, value)| {
            let value = if name.eq_ignore_ascii_case("Date") {
                "[date]".to_string()
            } else if name.eq_ignore_ascii_case("Content-Length")
                && value == &INDEX_HTML.len().to_string()
            {
                "[the length of src/index.html]".to_string()
            } else {
                value.clone()
            };
            format!("{name}: {value}")
        })
        .collect();
    fields.sort_by_key(|line| line.to_ascii_lowercase());
    format!("{}\n{}\n", response.status_line, fields.join("\n"))
}

/// Checks the `Date` field: present, and in the format `Tue, 26 Nov 2024 09:41:07 GMT`.
fn check_date(response: &RawResponse) -> Result<(), String> {
    let Some(date) = response.field("Date") else {
        return Err("the response has no Date field (Response::encode writes it)".to_string());
    };
    let shape_ok = date.len() == 29 && date.ends_with(" GMT") && date.as_bytes()[3] == b',';
    if shape_ok {
        Ok(())
    } else {
        Err(format!(
            "the Date field is {date:?}, not a date like \"Tue, 26 Nov 2024 09:41:07 GMT\" \
             (use the date given to Response::encode)"
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_get_and_head_with_complete_responses() {
    let server = TestServer::start().await;
    let mut report = String::new();

    for method in ["GET", "HEAD"] {
        let request =
            format!("{method} / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        let mut client = server.connect().await;
        let story = vec![format!("the client sends {}", show(request.as_bytes()))];
        if let Err(message) = client.send(request.as_bytes()).await {
            server.fail(&message, &story).await;
        }
        let response = match client.read_response(method == "HEAD").await {
            Ok(response) => response,
            Err(message) => server.fail(&message, &story).await,
        };
        let mut problems = Vec::new();
        if response.code != 200 {
            problems.push(format!(
                "the status is {}, not 200 OK",
                response.status_line
            ));
        }
        if let Err(problem) = check_date(&response) {
            problems.push(problem);
        }
        if response.field("Content-Type") != Some("text/html; charset=utf-8") {
            problems.push(format!(
                "the Content-Type is {:?}, not \"text/html; charset=utf-8\": a browser decides \
                 what a response is from its Content-Type",
                response.field("Content-Type")
            ));
        }
        if response.field("Content-Length") != Some(&INDEX_HTML.len().to_string()) {
            problems.push(format!(
                "Content-Length is {:?}, but the page (INDEX_HTML) has {} bytes{}",
                response.field("Content-Length"),
                INDEX_HTML.len(),
                if method == "HEAD" {
                    ": the answer to HEAD says the length the body of a GET would have"
                } else {
                    ""
                }
            ));
        }
        if method == "GET" && response.body != INDEX_HTML.as_bytes() {
            problems.push(format!(
                "the body is {}, not the home page INDEX_HTML",
                show(&response.body)
            ));
        }
        if method == "HEAD"
            && let Ending::Extra(bytes) = client.ending(QUIET).await
        {
            problems.push(format!(
                "after the head of the response to HEAD came {}: a response to HEAD has no \
                 body, not one byte after the empty line",
                show(&bytes)
            ));
        }
        if !problems.is_empty() {
            server
                .fail(
                    &format!(
                        "The response to `{method} /` is not right:\n- {}\n\nThe response's head \
                         was:\n{}",
                        problems.join("\n- "),
                        head_for_snapshot(&response)
                    ),
                    &story,
                )
                .await;
        }
        report += &format!(
            "{method} / HTTP/1.1 (with Host and Connection: close)\n{}{}\n",
            head_for_snapshot(&response),
            if method == "GET" {
                "(body: the home page, src/index.html)\n"
            } else {
                "(no body)\n"
            }
        );
    }
    with_settings!({
        description => "The response to GET /: the status line, Date, Content-Type, a Content-Length that is the body's length, and the body. The response to HEAD / is the same head without a body. Fields are shown sorted by name.",
    }, {
        assert_snapshot!(report);
    });
}

/// `GET / HTTP/1.1` with a Host, followed by `rest` instead of the usual request line
/// parts: a request line test row.
fn with_request_line(line: &str) -> Vec<u8> {
    format!("{line}\r\nHost: 127.0.0.1\r\n\r\n").into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejects_malformed_request_lines() {
    let server = TestServer::start().await;
    let cases = [
        Case::new(
            "a well-formed request, for comparison",
            with_request_line("GET / HTTP/1.1"),
            Expected::status(200),
            "this is a valid request for the home page",
        ),
        Case::new(
            "one empty line before the request line is skipped",
            "\r\nGET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            Expected::status(200),
            "RFC 9112, section 2.2: a server should ignore at least one empty line before the \
             request line (read_head reads a second line when the first is empty)",
        ),
        Case::new(
            "lines that end with LF alone, without CR",
            "GET / HTTP/1.1\nHost: 127.0.0.1\n\n",
            Expected::closed(400),
            "every line of a head ends with CR LF (\\r\\n); read_line refuses a line that ends \
             with \\n alone",
        ),
        Case::new(
            "a CR alone in the middle of the request line",
            with_request_line("GET /\r HTTP/1.1"),
            Expected::closed(400),
            "a bare CR is not allowed anywhere in a head (read_line: 400)",
        ),
        Case::new(
            "the head ends before its empty line",
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n",
            Expected::closed(400),
            "the stream ended in the middle of the head, so the request is incomplete: answer \
             400 (the client can still read) rather than close without a word",
        )
        .then_half_close(),
        Case::new(
            "a method that is not a token",
            with_request_line("G(T / HTTP/1.1"),
            Expected::closed(400),
            "a method is a token: letters, digits and !#$%&'*+-.^_`|~ only (is_token)",
        ),
        Case::new(
            "no method at all",
            with_request_line(" / HTTP/1.1"),
            Expected::closed(400),
            "an empty method is not a token",
        ),
        Case::new(
            "two spaces between the method and the target",
            with_request_line("GET  / HTTP/1.1"),
            Expected::closed(400),
            "the request line is three parts separated by exactly one space each",
        ),
        Case::new(
            "no version",
            with_request_line("GET /"),
            Expected::closed(400),
            "the request line has three parts: method, target, version",
        ),
        Case::new(
            "a space inside the target",
            with_request_line("GET /hello world.txt HTTP/1.1"),
            Expected::closed(400),
            "a target cannot hold a space (it would be %20): this line has four parts",
        ),
        Case::new(
            "a target that is not a path",
            with_request_line("GET hello.txt HTTP/1.1"),
            Expected::closed(400),
            "a target is a path starting with / (origin-form) or a whole http:// URI \
             (absolute-form): hello.txt is neither (parse_target)",
        ),
        Case::new(
            "a version in lower case",
            with_request_line("GET / http/1.1"),
            Expected::closed(400),
            "the version is case-sensitive: HTTP/1.1",
        ),
        Case::new(
            "a version that is not one",
            with_request_line("GET / HTTP/1.1.1"),
            Expected::closed(400),
            "a version is HTTP/ followed by a digit, a dot and a digit (parse_version)",
        ),
        Case::new(
            "HTTP/2.0 in a request line",
            with_request_line("GET / HTTP/2.0"),
            Expected::closed(505),
            "a well-formed version whose major number is not 1 gets 505 HTTP Version Not \
             Supported (parse_version)",
        ),
        Case::new(
            "HTTP/1.2 is read as HTTP/1.1",
            with_request_line("GET / HTTP/1.2"),
            Expected::status(200),
            "RFC 9110, section 6.2: a higher minor version of a major version the server \
             speaks is read as the highest minor version it knows (parse_version)",
        ),
        Case::new(
            "an unknown method, well formed",
            with_request_line("BREW / HTTP/1.1"),
            Expected::status(405),
            "BREW is a valid token, so the request is well formed; / only allows GET and HEAD \
             (route answers 405 with an Allow field)",
        ),
        Case::new(
            "methods are case-sensitive: get is not GET",
            with_request_line("get / HTTP/1.1"),
            Expected::status(405),
            "RFC 9110, section 9.1: methods are case-sensitive, so `get` is a method of its own, \
             which / does not allow",
        ),
    ];
    let table = run_table(&server, &cases, str::to_string).await;
    with_settings!({
        description => "Request lines, good and bad, each sent on a new connection: the status each gets, and for errors, Connection: close and then the end of the connection.",
    }, {
        assert_snapshot!(table);
    });
}

/// A request with `lines` between the request line and the empty line (no Host added).
fn with_fields(lines: &[&str]) -> Vec<u8> {
    let mut request = String::from("GET / HTTP/1.1\r\n");
    for line in lines {
        request += line;
        request += "\r\n";
    }
    request += "\r\n";
    request.into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejects_malformed_header_fields() {
    let server = TestServer::start().await;
    let cases = [
        Case::new(
            "a field line without a colon",
            with_fields(&["Host: 127.0.0.1", "X-Note hello"]),
            Expected::closed(400),
            "a field line is `name: value` (parse_field_line)",
        ),
        Case::new(
            "a space before the colon",
            with_fields(&["Host : 127.0.0.1"]),
            Expected::closed(400),
            "RFC 9112, section 5.1: no whitespace is allowed between the field name and the \
             colon, and a server must reject such a request with 400",
        ),
        Case::new(
            "a field line folded onto the next line",
            with_fields(&["Host: 127.0.0.1", "X-Note: hello", " world"]),
            Expected::closed(400),
            "a line that starts with a space is obsolete line folding (RFC 9112, section 5.2), \
             refused here",
        ),
        Case::new(
            "a field name with a character that is not allowed",
            with_fields(&["Host: 127.0.0.1", "X(Note): hello"]),
            Expected::closed(400),
            "a field name is a token (is_token)",
        ),
        Case::new(
            "an empty field name",
            with_fields(&["Host: 127.0.0.1", ": hello"]),
            Expected::closed(400),
            "a field name is a token, and a token has at least one character",
        ),
        Case::new(
            "a control character in a value",
            with_fields(&["Host: 127.0.0.1", "X-Note: a\x01b"]),
            Expected::closed(400),
            "a value holds no control character except the tab",
        ),
        Case::new(
            "an HTTP/1.1 request without Host",
            with_fields(&["Accept: */*"]),
            Expected::closed(400),
            "RFC 9112, section 3.2: a server must answer 400 to an HTTP/1.1 request without \
             Host (check_host)",
        ),
        Case::new(
            "two Host fields",
            with_fields(&["Host: 127.0.0.1", "Host: example.com"]),
            Expected::closed(400),
            "RFC 9112, section 3.2: a request with more than one Host field gets 400",
        ),
        Case::new(
            "an HTTP/1.0 request without Host",
            "GET / HTTP/1.0\r\n\r\n",
            Expected::status(200),
            "Host is required from HTTP/1.1 on: an HTTP/1.0 request may go without",
        ),
        Case::new(
            "field names are case-insensitive: hOsT is Host",
            with_fields(&["hOsT: 127.0.0.1"]),
            Expected::status(200),
            "RFC 9110, section 5.1: field names are case-insensitive. Compare them with \
             eq_ignore_ascii_case in Headers::get_all, not with ==",
        ),
        Case::new(
            "Host and HOST are two Host fields",
            with_fields(&["Host: 127.0.0.1", "HOST: example.com"]),
            Expected::closed(400),
            "field names are case-insensitive, so these are two Host fields: 400. \
             Headers::get_all must find both",
        ),
        Case::new(
            "content-length is Content-Length: a body too large is refused",
            "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-length: 2000000\r\n\r\n",
            Expected::closed(413),
            "field names are case-insensitive, so this announces a body of 2000000 bytes, over \
             the limit: 413 (content_length uses Headers::get_all, which must ignore case)",
        ),
        Case::new(
            "connection: close is Connection: close",
            with_fields(&["Host: 127.0.0.1", "connection: close"]),
            Expected::closed(200),
            "field names are case-insensitive: the client asked to close the connection \
             (keeps_alive uses Headers::has_token, which uses Headers::get_all)",
        ),
    ];
    let table = run_table(&server, &cases, str::to_string).await;
    with_settings!({
        description => "Field lines, good and bad, each request on a new connection: the status each gets, and for errors, Connection: close and then the end of the connection. Field names are case-insensitive.",
    }, {
        assert_snapshot!(table);
    });
}

/// `GET /?q=aaa… HTTP/1.1`, a request line of exactly `length` bytes.
fn request_line_of(length: usize) -> String {
    let fixed = "GET /?q= HTTP/1.1".len();
    format!("GET /?q={} HTTP/1.1", "a".repeat(length - fixed))
}

/// `X-Filler: aaa…`, a field line of exactly `length` bytes.
fn field_line_of(length: usize) -> String {
    format!("X-Filler: {}", "a".repeat(length - "X-Filler: ".len()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_the_size_of_the_request_head() {
    let server = TestServer::start().await;
    let host = "Host: 127.0.0.1";
    let many_fields = |count: usize| {
        let mut lines = vec![host.to_string()];
        lines.extend((2..=count).map(|number| format!("X-Field-{number}: {number}")));
        lines
    };
    let as_refs = |lines: &[String]| {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        with_fields(&refs)
    };
    // 17 bytes for "Host: 127.0.0.1\r\n", then two filler lines, each with its CR LF.
    let total_of = |total: usize| {
        let first = 8182;
        let second = total - (host.len() + 2) - (first + 2) - 2;
        as_refs(&[
            host.to_string(),
            field_line_of(first),
            field_line_of(second),
        ])
    };
    let mut endless = b"GET /?q=".to_vec();
    endless.extend(std::iter::repeat_n(b'a', 100_000));
    let cases = [
        Case::new(
            "a request line of 8192 bytes, the limit",
            with_request_line(&request_line_of(8192)),
            Expected::status(200),
            "MAX_REQUEST_LINE is 8192 bytes, without the CR LF: a line of exactly 8192 bytes is \
             accepted (read_line reads at most max + 2 bytes)",
        ),
        Case::new(
            "a request line of 8193 bytes",
            with_request_line(&request_line_of(8193)),
            Expected::closed(414),
            "one byte over MAX_REQUEST_LINE: 414 URI Too Long",
        ),
        Case::new(
            "a request line of 100000 bytes that never ends",
            endless,
            Expected::closed(414),
            "the server must answer as soon as the line passes the limit, without waiting for \
             its end (which never comes): read at most max + 2 bytes (AsyncReadExt::take)",
        ),
        Case::new(
            "a field line of 8192 bytes, the limit",
            as_refs(&[host.to_string(), field_line_of(8192)]),
            Expected::status(200),
            "MAX_FIELD_LINE is 8192 bytes, without the CR LF",
        ),
        Case::new(
            "a field line of 8193 bytes",
            as_refs(&[host.to_string(), field_line_of(8193)]),
            Expected::closed(431),
            "one byte over MAX_FIELD_LINE: 431 Request Header Fields Too Large",
        ),
        Case::new(
            "100 field lines, the limit",
            as_refs(&many_fields(100)),
            Expected::status(200),
            "MAX_FIELDS is 100 field lines",
        ),
        Case::new(
            "101 field lines",
            as_refs(&many_fields(101)),
            Expected::closed(431),
            "one field line over MAX_FIELDS: 431",
        ),
        Case::new(
            "field lines of 16384 bytes in all, the limit",
            total_of(16384),
            Expected::status(200),
            "MAX_FIELDS_BYTES is 16384 bytes: every field line with its CR LF (here 17 + 8184 + \
             8183), not counting the final empty line",
        ),
        Case::new(
            "field lines of 16385 bytes in all",
            total_of(16385),
            Expected::closed(431),
            "one byte over MAX_FIELDS_BYTES: 431. Give each field line at most what is left of \
             MAX_FIELDS_BYTES, minus its CR LF",
        ),
    ];
    let table = run_table(&server, &cases, str::to_string).await;
    with_settings!({
        description => "The limits on the request head, each request on a new connection: a request line of at most 8192 bytes (else 414), field lines of at most 8192 bytes (else 431), at most 100 of them (else 431), at most 16384 bytes in all (else 431). Each limit is tried at its value and one past it.",
    }, {
        assert_snapshot!(table);
    });
}

/// An absolute-form request, and the origin-form request it must be the same as.
struct SameAs {
    label: &'static str,
    absolute: Vec<u8>,
    origin: Vec<u8>,
    code: u16,
    why: &'static str,
}

impl SameAs {
    /// `method absolute version` against `method origin version`, both with `fields`.
    fn new(
        label: &'static str,
        (method, absolute, origin, version): (&str, &str, &str, &str),
        fields: &[&str],
        code: u16,
        why: &'static str,
    ) -> SameAs {
        SameAs {
            label,
            absolute: raw_request(&format!("{method} {absolute} {version}"), fields, b""),
            origin: raw_request(&format!("{method} {origin} {version}"), fields, b""),
            code,
            why,
        }
    }
}

/// What must be the same in two responses: the status, the fields that say what the
/// body is and what happens to the connection, and the body.
fn essence(response: &RawResponse) -> (u16, [Option<&str>; 3], &[u8]) {
    (
        response.code,
        [
            response.field("Content-Type"),
            response.field("Content-Length"),
            response.field("Connection"),
        ],
        &response.body,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepts_absolute_form_targets() {
    let server = TestServer::start().await;
    let host = "Host: 127.0.0.1:62893";
    let same = [
        SameAs::new(
            "the home page",
            ("GET", "http://127.0.0.1:62893/", "/", "HTTP/1.1"),
            &[host],
            200,
            "RFC 9112, section 3.2.2: a server must accept the absolute-form; its path and \
             query are the origin-form target (parse_target)",
        ),
        SameAs::new(
            "a file, with a query",
            (
                "GET",
                "http://127.0.0.1:62893/hello.txt?lang=en",
                "/hello.txt?lang=en",
                "HTTP/1.1",
            ),
            &[host],
            200,
            "the origin form of http://host/path?query is /path?query: the query stays, and \
             Request::path leaves it out as usual",
        ),
        SameAs::new(
            "the scheme in upper case",
            (
                "GET",
                "HTTP://127.0.0.1:62893/hello.txt",
                "/hello.txt",
                "HTTP/1.1",
            ),
            &[host],
            200,
            "a scheme is compared without regard to case (RFC 3986, section 3.1)",
        ),
        SameAs::new(
            "the https scheme, in mixed case",
            (
                "GET",
                "hTtPs://localhost:62893/style.css",
                "/style.css",
                "HTTP/1.1",
            ),
            &["Host: localhost:62893"],
            200,
            "http and https are the two schemes of an origin server's URIs (RFC 9110, section \
             4.2), in any case",
        ),
        SameAs::new(
            "an empty path is /",
            ("GET", "http://127.0.0.1:62893", "/", "HTTP/1.1"),
            &[host],
            200,
            "RFC 9112, section 3.2.1: an empty path is sent as /, so http://host is the \
             request for /",
        ),
        SameAs::new(
            "an empty path, then a query",
            (
                "GET",
                "http://127.0.0.1:62893?lang=en",
                "/?lang=en",
                "HTTP/1.1",
            ),
            &[host],
            200,
            "the authority ends at the first / or ?: http://host?lang=en is /?lang=en",
        ),
        SameAs::new(
            "a Host field naming another server",
            (
                "GET",
                "http://127.0.0.1:62893/hello.txt",
                "/hello.txt",
                "HTTP/1.1",
            ),
            &["Host: example.com"],
            200,
            "RFC 9112, section 3.2.2: with an absolute-form target, the server ignores the \
             value of Host and uses the target's authority; nothing else changes",
        ),
        SameAs::new(
            "an IPv6 address as the host",
            (
                "GET",
                "http://[::1]:62893/data.json",
                "/data.json",
                "HTTP/1.1",
            ),
            &["Host: [::1]:62893"],
            200,
            "an IPv6 address is written in brackets, with the port after the ] (RFC 3986, \
             section 3.2.2)",
        ),
        SameAs::new(
            "a percent-encoded path",
            (
                "GET",
                "http://127.0.0.1:62893/hello%20world.txt",
                "/hello%20world.txt",
                "HTTP/1.1",
            ),
            &[host],
            200,
            "the path of an absolute-form target goes through percent_decode like any other",
        ),
        SameAs::new(
            "a missing file",
            (
                "GET",
                "http://127.0.0.1:62893/missing.txt",
                "/missing.txt",
                "HTTP/1.1",
            ),
            &[host],
            404,
            "the same request, so the same 404",
        ),
        SameAs::new(
            "HEAD",
            (
                "HEAD",
                "http://127.0.0.1:62893/style.css",
                "/style.css",
                "HTTP/1.1",
            ),
            &[host],
            200,
            "the absolute-form works with every method",
        ),
        SameAs::new(
            "HTTP/1.0 without Host",
            (
                "GET",
                "http://127.0.0.1:62893/hello.txt",
                "/hello.txt",
                "HTTP/1.0",
            ),
            &[],
            200,
            "an HTTP/1.0 request may go without Host; the host is then the target's authority",
        ),
        SameAs {
            label: "POST to /api/echo",
            absolute: raw_request(
                "POST http://127.0.0.1:62893/api/echo HTTP/1.1",
                &[host, "Content-Type: text/plain"],
                b"hello, absolutely",
            ),
            origin: raw_request(
                "POST /api/echo HTTP/1.1",
                &[host, "Content-Type: text/plain"],
                b"hello, absolutely",
            ),
            code: 200,
            why: "routing goes by the path of the origin form: /api/echo",
        },
    ];
    let mut report = String::new();
    let mut wrong = Vec::new();
    for case in &same {
        let absolute = server.exchange(&case.absolute).await;
        let origin = server.exchange(&case.origin).await;
        let request_line = |request: &[u8]| {
            let text = String::from_utf8_lossy(request).into_owned();
            text.split("\r\n").next().unwrap_or_default().to_string()
        };
        let origin_line = request_line(&case.origin);
        let outcome = if absolute.code != case.code {
            format!(
                "{}, but {origin_line} gets {}",
                absolute.status(),
                origin.status()
            )
        } else if essence(&absolute) != essence(&origin) {
            format!(
                "{}, but not the same response as {origin_line}, which gets {}",
                absolute.summary(),
                origin.summary()
            )
        } else {
            let content_type = absolute.field("Content-Type").unwrap_or("no Content-Type");
            format!(
                "{}, {content_type}, the same response as {origin_line}",
                absolute.status()
            )
        };
        if absolute.code != case.code || essence(&absolute) != essence(&origin) {
            wrong.push(format!(
                "- {}: the client sent {}\n  expected: {} {}, the same response as {origin_line}\n  \
                 got:      {outcome}\n  why: {}",
                case.label,
                show(&case.absolute),
                case.code,
                support::cases::reason(case.code),
                case.why
            ));
        }
        report += &format!("{}: {}\n  → {outcome}\n", case.label, show(&case.absolute));
    }
    if !wrong.is_empty() {
        server
            .fail(
                &format!(
                    "{} of the {} absolute-form requests did not get the answer their origin form \
                     gets (each was sent on a new connection):\n\n{}",
                    wrong.len(),
                    same.len(),
                    wrong.join("\n\n")
                ),
                &[],
            )
            .await;
    }

    let bad_target = "RFC 9112, section 3.2: an origin server takes the origin-form and the \
                      absolute-form with http or https; anything else is a bad target, 400 \
                      (parse_target)";
    let bad_authority = "the authority is a host and an optional :port (RFC 3986, section 3.2); \
                         anything else is a bad target, 400 (parse_target)";
    let refused = [
        Case::new(
            "the authority-form, with GET",
            raw_request("GET 127.0.0.1:62893 HTTP/1.1", &[host], b""),
            Expected::closed(400),
            "the authority-form host:port is only for CONNECT (RFC 9112, section 3.2.3): 400",
        ),
        Case::new(
            "the authority-form, with CONNECT",
            raw_request(
                "CONNECT 127.0.0.1:443 HTTP/1.1",
                &["Host: 127.0.0.1:443"],
                b"",
            ),
            Expected::closed(400),
            "CONNECT asks a proxy for a tunnel; this server is no proxy, and takes no \
             authority-form: 400",
        ),
        Case::new(
            "the asterisk-form",
            raw_request("OPTIONS * HTTP/1.1", &[host], b""),
            Expected::closed(400),
            "OPTIONS * asks about the server as a whole (RFC 9112, section 3.2.4); this server \
             does not take it: 400",
        ),
        Case::new(
            "another scheme",
            raw_request("GET ftp://127.0.0.1:62893/hello.txt HTTP/1.1", &[host], b""),
            Expected::closed(400),
            bad_target,
        ),
        Case::new(
            "a scheme that only starts like http",
            raw_request("GET httpx://127.0.0.1:62893/ HTTP/1.1", &[host], b""),
            Expected::closed(400),
            bad_target,
        ),
        Case::new(
            "a scheme without //",
            raw_request("GET http:/hello.txt HTTP/1.1", &[host], b""),
            Expected::closed(400),
            "an absolute-form target is scheme://authority then the path: http:/hello.txt has \
             no authority, 400",
        ),
        Case::new(
            "an empty authority",
            raw_request("GET http:///hello.txt HTTP/1.1", &[host], b""),
            Expected::closed(400),
            "RFC 9110, section 4.2.1: an http URI with an empty host is invalid, 400",
        ),
        Case::new(
            "a port without a host",
            raw_request("GET http://:62893/hello.txt HTTP/1.1", &[host], b""),
            Expected::closed(400),
            "RFC 9110, section 4.2.1: an http URI with an empty host is invalid, 400",
        ),
        Case::new(
            "a user name before the host",
            raw_request(
                "GET http://ada@127.0.0.1:62893/hello.txt HTTP/1.1",
                &[host],
                b"",
            ),
            Expected::closed(400),
            "RFC 9110, section 4.2.4: user@host in a target is an error (it has fooled people \
             into trusting the wrong host), 400",
        ),
        Case::new(
            "a port that is not a number",
            raw_request("GET http://127.0.0.1:8o8o/hello.txt HTTP/1.1", &[host], b""),
            Expected::closed(400),
            bad_authority,
        ),
        Case::new(
            "two ports",
            raw_request(
                "GET http://127.0.0.1:80:80/hello.txt HTTP/1.1",
                &[host],
                b"",
            ),
            Expected::closed(400),
            bad_authority,
        ),
        Case::new(
            "an IPv6 address without its closing bracket",
            raw_request("GET http://[::1/hello.txt HTTP/1.1", &[host], b""),
            Expected::closed(400),
            bad_authority,
        ),
        Case::new(
            "an IPv6 address that is not one",
            raw_request("GET http://[::g]/hello.txt HTTP/1.1", &[host], b""),
            Expected::closed(400),
            "inside the brackets must be an IPv6 address, 400",
        ),
        Case::new(
            "a backslash after the host",
            raw_request("GET http://127.0.0.1\\hello.txt HTTP/1.1", &[host], b""),
            Expected::closed(400),
            "a browser would read \\ as /, but \\ is not allowed in a host, 400: be strict",
        ),
        Case::new(
            "an HTTP/1.1 request in absolute-form without Host",
            raw_request("GET http://127.0.0.1:62893/hello.txt HTTP/1.1", &[], b""),
            Expected::closed(400),
            "RFC 9112, section 3.2: every HTTP/1.1 request without Host gets 400, whatever its \
             target (check_host); the absolute-form only decides whose host counts",
        ),
        Case::new(
            "an absolute-form request with two Host fields",
            raw_request(
                "GET http://127.0.0.1:62893/hello.txt HTTP/1.1",
                &[host, "Host: example.com"],
                b"",
            ),
            Expected::closed(400),
            "RFC 9112, section 3.2: two Host fields are a 400, whatever the target",
        ),
    ];
    report += "\n";
    report += &run_table(&server, &refused, str::to_string).await;
    with_settings!({
        description => "Absolute-form targets (RFC 9112, section 3.2.2), each request on a new connection. First, each gets the same response as its origin form (status, Content-Type, Content-Length, Connection and body compared): the path and query of the URI, / for an empty path, the Host field ignored. Then targets that are not for an origin server, or malformed authorities: 400, then the end of the connection.",
    }, {
        assert_snapshot!(report);
    });
}
