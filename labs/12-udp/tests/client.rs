//! Graded tests for `src/client.rs`: the lab's client against servers of the test's own on
//! loopback, which answer, stay silent, or answer the wrong thing, on purpose.

mod support;

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use lab12_udp::client::{CallError, Client, RetryPolicy};
use support::{Heard, LOCALHOST, LOCALHOST6, TestServer, closed_port, wire, with_server};

/// A quick policy for loopback: 100 ms, doubling, 4 attempts (1.5 s in all).
const QUICK: RetryPolicy = RetryPolicy {
    first_timeout: Duration::from_millis(100),
    factor: 2,
    attempts: 4,
};

/// How long the test's server keeps listening after the call, to hear late copies.
const LINGER: Duration = Duration::from_millis(300);

fn client_of(server: &TestServer, policy: RetryPolicy) -> Client {
    Client::new(server.address(), policy).unwrap_or_else(|error| {
        panic!(
            "Client::new({}, …) failed: {error}. Bind a UDP socket of the server's family on port \
             0, and connect it to the server",
            server.address()
        )
    })
}

/// Answers every request with `answer to: BODY`.
fn answer_every_request(socket: &UdpSocket, heard: &Heard, _before: usize) {
    if let Some((wire::REQUEST, id, body)) = wire::decode(&heard.bytes) {
        let mut answer = b"answer to: ".to_vec();
        answer.extend_from_slice(&body);
        let _ = socket.send_to(&wire::encode(wire::RESPONSE, id, &answer), heard.from);
    }
}

/// What a call returned, for the report.
fn outcome(result: &Result<Vec<u8>, CallError>) -> String {
    match result {
        Ok(body) => format!("answered {:?}", String::from_utf8_lossy(body)),
        Err(CallError::NoAnswer { attempts, .. }) => format!("NoAnswer after {attempts} attempts"),
        Err(CallError::Refused { .. }) => "Refused".into(),
        Err(CallError::TooLong { size }) => format!("TooLong ({size} bytes)"),
        Err(CallError::Io(error)) => format!("Io error ({error})"),
    }
}

/// The ids of the requests `heard` holds; panics with an explanation on anything else.
fn request_ids(heard: &[Heard]) -> Vec<u32> {
    heard
        .iter()
        .map(|heard| match wire::decode(&heard.bytes) {
            Some((wire::REQUEST, id, _)) => id,
            _ => panic!(
                "the server got a datagram that is not a request: {}. Send Message::request(id, \
                 body).encode()",
                wire::describe(&heard.bytes)
            ),
        })
        .collect()
}

#[test]
fn calls_and_returns_the_answer() {
    let mut lines = Vec::new();
    for ip in [LOCALHOST, LOCALHOST6] {
        let server = TestServer::on(ip);
        let result = with_server(&server, answer_every_request, Duration::ZERO, || {
            client_of(&server, QUICK).call(b"add 5")
        });
        let heard = server.heard();
        let bodies: Vec<String> = heard
            .iter()
            .map(|heard| match wire::decode(&heard.bytes) {
                Some((kind, _, body)) => {
                    format!("kind {kind} {:?}", String::from_utf8_lossy(&body))
                }
                None => wire::describe(&heard.bytes),
            })
            .collect();
        lines.push(format!(
            "server on {ip}: heard {}; the call {}",
            bodies.join(", "),
            outcome(&result)
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn retries_with_the_same_id_after_a_timeout() {
    let server = TestServer::on(LOCALHOST);
    // The first two copies get no answer, as if they were lost; the third does.
    let third_only = |socket: &UdpSocket, heard: &Heard, before: usize| {
        if before == 2 {
            answer_every_request(socket, heard, before);
        }
    };
    let result = with_server(&server, third_only, LINGER, || {
        client_of(&server, QUICK).call(b"add 5")
    });
    let heard = server.heard();
    let ids = request_ids(&heard);
    let mut lines = vec![format!("the call {}", outcome(&result))];
    for (n, heard) in heard.iter().enumerate() {
        let same = if ids[n] == ids[0] {
            "the same id as copy 1"
        } else {
            "ANOTHER id"
        };
        let body = wire::decode(&heard.bytes)
            .map(|(_, _, body)| body)
            .unwrap_or_default();
        lines.push(format!(
            "copy {}: {same}, {:?}",
            n + 1,
            String::from_utf8_lossy(&body)
        ));
    }
    let text = lines.join("\n");
    assert!(
        heard.len() >= 3,
        "the server answers only the third copy of the request, as if the first two had been \
         lost, but it heard {} copies: UDP never sends anything again, so after its timeout the \
         client must send the request again (up to `attempts` times)\n{text}",
        heard.len()
    );
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "a retry must be the same request with the same id, or the server cannot tell a copy from \
         a new request (and applies it twice)\n{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn waits_longer_before_each_retry() {
    let server = TestServer::on(LOCALHOST);
    let result = with_server(
        &server,
        |_: &UdpSocket, _: &Heard, _| {},
        LINGER,
        || client_of(&server, QUICK).call(b"add 5"),
    );
    let heard = server.heard();
    let mut lines = vec![format!(
        "a server that never answers; the call {}",
        outcome(&result)
    )];
    let mut problems = Vec::new();
    let mut timeout = QUICK.first_timeout;
    for n in 1..heard.len() {
        let gap = heard[n].at.duration_since(heard[n - 1].at);
        // Only lower bounds: a busy machine makes waits longer, never shorter.
        let least = timeout.mul_f64(0.9);
        let long_enough = gap >= least;
        if !long_enough {
            problems.push(format!(
                "copy {} came {} ms after copy {}, but attempt {} should wait {} ms",
                n + 1,
                gap.as_millis(),
                n,
                n,
                timeout.as_millis()
            ));
        }
        lines.push(format!(
            "copy {} came at least {} ms after copy {}: {}",
            n + 1,
            timeout.as_millis(),
            n,
            if long_enough { "yes" } else { "NO" }
        ));
        timeout *= QUICK.factor;
    }
    let text = lines.join("\n");
    assert!(
        heard.len() >= 3 && problems.is_empty(),
        "with first_timeout 100 ms and factor 2 the copies should come 100, 200 and 400 ms apart \
         at least (exponential backoff: each attempt waits `factor` times longer than the one \
         before). {}\n{text}",
        problems.join("; ")
    );
    insta::assert_snapshot!(text);
}

#[test]
fn gives_up_after_the_last_attempt() {
    let server = TestServer::on(LOCALHOST);
    let started = Instant::now();
    let result = with_server(
        &server,
        |_: &UdpSocket, _: &Heard, _| {},
        LINGER,
        || client_of(&server, QUICK).call(b"add 5"),
    );
    let heard = server.heard();
    let message = match &result {
        Err(error) => support::without_port(&error.to_string(), server.address()),
        Ok(_) => String::new(),
    };
    let text = format!(
        "a server that never answers, 4 attempts: it heard {} copies; the call {}\nthe error says: {message}",
        heard.len(),
        outcome(&result)
    );
    assert!(
        matches!(result, Err(CallError::NoAnswer { attempts: 4, .. })) && heard.len() == 4,
        "a call to a server that never answers should send the request exactly `attempts` (4) \
         times and then return CallError::NoAnswer {{ attempts: 4, .. }} ({:.1} s after the \
         start)\n{text}",
        started.elapsed().as_secs_f64()
    );
    insta::assert_snapshot!(text);
}

#[test]
fn ignores_answers_to_other_requests() {
    let server = TestServer::on(LOCALHOST);
    let stranger = support::socket_on(LOCALHOST);
    // Before the answer: a response to another id, noise, a request with the right id, and
    // the right response from another address (a connected client never sees that one).
    let noisy = |socket: &UdpSocket, heard: &Heard, before: usize| {
        let Some((wire::REQUEST, id, _)) = wire::decode(&heard.bytes) else {
            return;
        };
        if before > 0 {
            return;
        }
        let _ = socket.send_to(
            &wire::response(id.wrapping_sub(1), "stale: the previous call"),
            heard.from,
        );
        let _ = socket.send_to(
            &wire::response(id.wrapping_add(1), "from the future"),
            heard.from,
        );
        let _ = socket.send_to(&[2, 0, 0], heard.from);
        let _ = socket.send_to(&wire::request(id, "a request, not a response"), heard.from);
        let _ = stranger.send_to(&wire::response(id, "from a stranger"), heard.from);
        std::thread::sleep(Duration::from_millis(30));
        let _ = socket.send_to(&wire::response(id, "the answer"), heard.from);
    };
    let patient = RetryPolicy {
        first_timeout: Duration::from_secs(2),
        ..QUICK
    };
    let result = with_server(&server, noisy, Duration::ZERO, || {
        client_of(&server, patient).call(b"add 5")
    });
    let text = format!("the call {}", outcome(&result));
    assert!(
        matches!(&result, Ok(body) if body == b"the answer"),
        "the server first sent a response with another id, noise, a request, and a response from \
         another address, then \"the answer\": only a response with the request's id, from the \
         server, answers the call. {text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn a_stream_of_stale_answers_does_not_delay_giving_up() {
    let server = TestServer::on(LOCALHOST);
    // Every request gets a burst of responses to another id, for a second: never the answer.
    let stale = |socket: &UdpSocket, heard: &Heard, _before: usize| {
        if let Some((wire::REQUEST, id, _)) = wire::decode(&heard.bytes) {
            for _ in 0..100 {
                let _ = socket.send_to(&wire::response(id.wrapping_sub(1), "stale"), heard.from);
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    };
    let policy = RetryPolicy {
        first_timeout: Duration::from_millis(50),
        factor: 2,
        attempts: 2,
    };
    let (result, took) = with_server(&server, stale, Duration::ZERO, || {
        let mut client = client_of(&server, policy);
        let started = Instant::now();
        (client.call(b"add 5"), started.elapsed())
    });
    let text = format!(
        "stale answers every 10 ms, 2 attempts of 50 and 100 ms: the call {}",
        outcome(&result)
    );
    assert!(
        matches!(result, Err(CallError::NoAnswer { .. })),
        "no answer with the request's id ever came, so the call should fail with NoAnswer. {text}"
    );
    // Generous: the attempts take 150 ms; a client that restarts its wait on every datagram
    // waits for the end of each burst, a second per attempt.
    assert!(
        took < Duration::from_millis(900),
        "the call took {:.1} s to give up although its two attempts wait 150 ms in all: a \
         datagram that is not the answer must not restart the attempt's wait (keep one deadline \
         per attempt, and wait only for what is left of it). {text}",
        took.as_secs_f64()
    );
    insta::assert_snapshot!(text);
}

#[test]
fn uses_a_new_id_for_each_call() {
    let server = TestServer::on(LOCALHOST);
    let results = with_server(&server, answer_every_request, Duration::ZERO, || {
        let mut client = client_of(&server, QUICK);
        [
            client.call(b"add 1"),
            client.call(b"add 2"),
            client.call(b"add 3"),
        ]
    });
    let ids = request_ids(&server.heard());
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    let text = format!(
        "three calls: {}; {} requests with {} different ids",
        results.iter().map(outcome).collect::<Vec<_>>().join(", "),
        ids.len(),
        distinct.len()
    );
    assert_eq!(
        distinct.len(),
        ids.len(),
        "each call is a new request and needs an id of its own, or the server takes it for a \
         copy of the previous one and answers the old answer. {text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn says_refused_when_nothing_listens() {
    let mut lines = Vec::new();
    for ip in [LOCALHOST, LOCALHOST6] {
        let closed = closed_port(ip);
        let result = Client::new(closed, QUICK).map(|mut client| client.call(b"add 5"));
        let line = match result {
            Ok(result) => outcome(&result),
            Err(error) => format!("Client::new failed: {error}"),
        };
        lines.push(format!("a call to a closed port on {ip}: {line}"));
    }
    let text = lines.join("\n");
    assert!(
        !text.contains("NoAnswer"),
        "nothing listens at a closed port, and the kernel says so with an ICMP port unreachable: \
         a connected UDP socket gets it as ConnectionRefused on its next recv or send. Connect \
         the client's socket, and return CallError::Refused at once.\n{text}"
    );
    insta::assert_snapshot!(text);
}
