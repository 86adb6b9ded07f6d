//! Graded tests for request bodies (`src/body.rs`): framed by `Content-Length`, read
//! exactly, refused when the length is not a plain number or is over the limit.

mod support;

use insta::{assert_snapshot, with_settings};
use lab07_web_server::body::MAX_BODY;

use support::cases::{Case, Expected, run_table};
use support::raw::RawClient;
use support::server::{TestServer, get, request};
use support::show;

/// One connection that keeps the story of its exchanges.
struct Conversation<'a> {
    server: &'a TestServer,
    client: RawClient,
    story: Vec<String>,
}

impl<'a> Conversation<'a> {
    async fn start(server: &'a TestServer) -> Conversation<'a> {
        Conversation {
            server,
            client: server.connect().await,
            story: vec!["the client connects".to_string()],
        }
    }

    async fn send(&mut self, what: &str, bytes: &[u8], pieces: usize) {
        let sent = if pieces > 1 {
            self.client.send_slowly(bytes, pieces).await
        } else {
            self.client.send(bytes).await
        };
        self.story.push(format!("the client sends {what}"));
        if let Err(message) = sent {
            self.server.fail(&message, &self.story).await;
        }
    }

    /// Reads a response that must have `code` and `body`.
    async fn expect(&mut self, code: u16, body: &[u8], why: &str) {
        let response = match self.client.read_response(false).await {
            Ok(response) => response,
            Err(message) => self.server.fail(&message, &self.story).await,
        };
        if response.code != code || response.body != body {
            self.server
                .fail(
                    &format!(
                        "expected {code} with the body {}, but the response was {}. {why}",
                        show(body),
                        response.summary()
                    ),
                    &self.story,
                )
                .await;
        }
        let body = if body.len() == 256 {
            "the 256 byte values, the same".to_string()
        } else {
            show(body)
        };
        self.story.push(format!(
            "the client receives {} with the body {body}",
            response.status()
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_exactly_content_length_bytes() {
    let server = TestServer::start().await;
    let mut talk = Conversation::start(&server).await;

    let hello = request("POST", "/api/echo", &["Content-Type: text/plain"], b"hello");
    talk.send("POST /api/echo with the 5-byte body \"hello\"", &hello, 1)
        .await;
    talk.expect(200, b"hello", "/api/echo answers with the request's body.")
        .await;

    let empty = request("POST", "/api/echo", &["Content-Length: 0"], b"");
    talk.send("POST /api/echo with Content-Length: 0", &empty, 1)
        .await;
    talk.expect(200, b"", "Content-Length: 0 is an empty body.")
        .await;

    let disguised = b"GET /hello.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    let smuggler = request("POST", "/api/echo", &[], disguised);
    talk.send(
        "POST /api/echo whose 44-byte body is itself a GET request",
        &smuggler,
        1,
    )
    .await;
    talk.expect(
        200,
        disguised,
        "The body is Content-Length bytes, whatever they look like: they are echoed, not read \
         as a second request.",
    )
    .await;

    let slow = request(
        "POST",
        "/api/echo",
        &[],
        b"a body that arrives in four pieces, with pauses",
    );
    talk.send(
        "POST /api/echo with a 47-byte body, in 4 pieces with pauses",
        &slow,
        4,
    )
    .await;
    talk.expect(
        200,
        b"a body that arrives in four pieces, with pauses",
        "A read returns what has arrived so far: read the body until you have all of its \
         Content-Length bytes (read_exact).",
    )
    .await;

    let every_byte: Vec<u8> = (0..=255).collect();
    let binary = request(
        "POST",
        "/api/echo",
        &["Content-Type: application/octet-stream"],
        &every_byte,
    );
    talk.send(
        "POST /api/echo with the 256 byte values as its body",
        &binary,
        1,
    )
    .await;
    talk.expect(
        200,
        &every_byte,
        "A body is bytes, not text: keep it a Vec<u8>.",
    )
    .await;

    let mut get_with_body = get("/hello.txt", &["Content-Length: 4"]);
    get_with_body.extend_from_slice(b"abcd");
    get_with_body.extend_from_slice(&get("/hello.txt", &[]));
    talk.send(
        "GET /hello.txt with a 4-byte body \"abcd\", and right behind it another GET /hello.txt",
        &get_with_body,
        1,
    )
    .await;
    talk.expect(
        200,
        support::site::HELLO.as_bytes(),
        "A GET may have a body too: it is read (and ignored) like any other.",
    )
    .await;
    talk.expect(
        200,
        support::site::HELLO.as_bytes(),
        "The second request starts right after the 4 bytes of the first one's body: read the \
         body of every request, or the next request starts with \"abcd\".",
    )
    .await;

    with_settings!({
        description => "One connection, several requests with bodies: each body is exactly Content-Length bytes, whatever its bytes are and however they arrive, and the next request starts right after it.",
    }, {
        assert_snapshot!(talk.story.join("\n"));
    });
}

/// `POST /api/echo` with the given field lines and body (no Content-Length added).
fn post_with(lines: &[&str], body: &str) -> Vec<u8> {
    let mut head = String::from("POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for line in lines {
        head += line;
        head += "\r\n";
    }
    head += "\r\n";
    (head + body).into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejects_invalid_content_lengths() {
    let server = TestServer::start().await;
    let not_a_number = "Content-Length is one or more ASCII digits and nothing else \
                        (content_length): 400, then close, as the body's end is unknown";
    let cases = [
        Case::new(
            "spaces around the value are not part of it",
            post_with(&["Content-Length:   5  "], "hello"),
            Expected::status(200),
            "the spaces around a field value are not part of it (parse_field_line trims them)",
        ),
        Case::new(
            "a negative length",
            post_with(&["Content-Length: -1"], ""),
            Expected::closed(400),
            not_a_number,
        ),
        Case::new(
            "a length with a plus sign",
            post_with(&["Content-Length: +5"], "hello"),
            Expected::closed(400),
            not_a_number,
        ),
        Case::new(
            "a length followed by letters",
            post_with(&["Content-Length: 5x"], "hello"),
            Expected::closed(400),
            not_a_number,
        ),
        Case::new(
            "a length in hexadecimal",
            post_with(&["Content-Length: 0x5"], "hello"),
            Expected::closed(400),
            not_a_number,
        ),
        Case::new(
            "an empty length",
            post_with(&["Content-Length: "], "hello"),
            Expected::closed(400),
            not_a_number,
        ),
        Case::new(
            "a length too large for 64 bits",
            post_with(&["Content-Length: 99999999999999999999999"], "hello"),
            Expected::closed(400),
            "a number that does not fit a u64 cannot be read: parse::<u64>() fails, so 400",
        ),
        Case::new(
            "a list of two lengths",
            post_with(&["Content-Length: 5, 5"], "hello"),
            Expected::closed(400),
            not_a_number,
        ),
        Case::new(
            "two Content-Length fields with the same value",
            post_with(&["Content-Length: 5", "Content-Length: 5"], "hello"),
            Expected::closed(400),
            "two Content-Length fields: 400, even when they agree (RFC 9112, section 6.3 lets a \
             server refuse them, and a strict server never guesses)",
        ),
        Case::new(
            "two Content-Length fields with different values",
            post_with(&["Content-Length: 5", "Content-Length: 3"], "hello"),
            Expected::closed(400),
            "two programs that each believe another Content-Length see different requests: \
             that is request smuggling. 400",
        ),
        Case::new(
            "a chunked body",
            post_with(&["Transfer-Encoding: chunked"], "5\r\nhello\r\n0\r\n\r\n"),
            Expected::closed(501),
            "this server does not read Transfer-Encoding: 501 Not Implemented, then close",
        ),
    ];
    let table = run_table(&server, &cases, str::to_string).await;
    with_settings!({
        description => "Content-Length values, each request on a new connection: only ASCII digits that fit a u64, in a single field; anything else is 400 then close, and Transfer-Encoding is 501.",
    }, {
        assert_snapshot!(table);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_body_over_the_limit_with_413() {
    let server = TestServer::start().await;
    let largest = vec![b'x'; MAX_BODY as usize];
    let cases = [
        Case::new(
            "a body of 1048576 bytes, the limit",
            request("POST", "/api/echo", &[], &largest),
            Expected::status(200),
            "MAX_BODY is 1 MiB, 1048576 bytes: a body of exactly that size is accepted",
        ),
        Case::new(
            "Content-Length: 1048577, one byte over the limit, with no body sent",
            post_with(&["Content-Length: 1048577"], ""),
            Expected::closed(413),
            "a body over MAX_BODY is refused with 413 as soon as the head is read, before \
             reading any of it: the client is waiting for the answer before it sends the body",
        ),
        Case::new(
            "Content-Length: 1000000000000000, a petabyte",
            post_with(&["Content-Length: 1000000000000000"], ""),
            Expected::closed(413),
            "a server that believes any Content-Length and makes room for it (vec![0; length]) \
             gives its memory to whoever asks: check the limit before allocating",
        ),
    ];
    let table = run_table(&server, &cases, str::to_string).await;
    with_settings!({
        description => "The limit on bodies, each request on a new connection: 1 MiB is accepted; one byte more gets 413 Content Too Large at once, without waiting for the body, and so does a petabyte.",
    }, {
        assert_snapshot!(table);
    });
}
