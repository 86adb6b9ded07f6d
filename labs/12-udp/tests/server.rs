//! Graded tests for `src/server.rs`: the counter, fed datagrams by the test itself, and then
//! served over UDP on loopback.

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use lab12_udp::server::{Counter, serve};
use support::{LOCALHOST, PATIENCE, socket_on, wire};

const ALICE: &str = "198.51.100.1:40000";
const BOB: &str = "198.51.100.9:40000";

fn from(address: &str) -> SocketAddr {
    address.parse().unwrap()
}

/// The counter's answer to one request, as the report writes it.
fn ask(counter: &mut Counter, who: &str, id: u32, body: &str) -> String {
    match counter.answer(from(who), &wire::request(id, body)) {
        None => "no answer".into(),
        Some(bytes) => match wire::decode(&bytes) {
            Some((wire::RESPONSE, answer_id, body)) if answer_id == id => {
                String::from_utf8_lossy(&body).into_owned()
            }
            _ => format!(
                "not a response with the request's id: {}",
                wire::describe(&bytes)
            ),
        },
    }
}

#[test]
fn adds_and_answers_with_the_new_total() {
    let mut counter = Counter::new(16);
    let mut lines = Vec::new();
    for (id, body) in [
        (1, "add 5"),
        (2, "add 7"),
        (3, "add -2"),
        (4, "add x"),
        (5, "hello"),
        (6, "add 0"),
    ] {
        let answer = ask(&mut counter, ALICE, id, body);
        let shown = if answer.starts_with("error") {
            "error: …"
        } else {
            &answer
        };
        lines.push(format!("request {id} {body:?} → {shown}"));
    }
    lines.push(format!("total: {}", counter.total()));
    assert_eq!(
        counter.total(),
        10,
        "after add 5, add 7, add -2 (and two requests that are not `add N`), the total should \
         be 10. The answers:\n{}",
        lines.join("\n")
    );
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn answers_a_repeated_request_without_applying_it_twice() {
    let mut counter = Counter::new(16);
    let mut lines = Vec::new();
    let mut step = |who: &str, name: &str, id: u32, body: &str, counter: &mut Counter| {
        let answer = ask(counter, who, id, body);
        lines.push(format!(
            "{name} request {id} {body:?} → {answer}   (total {})",
            counter.total()
        ));
    };
    step(ALICE, "alice", 1, "add 5", &mut counter);
    step(ALICE, "alice", 1, "add 5", &mut counter);
    step(ALICE, "alice", 1, "add 5", &mut counter);
    step(BOB, "bob  ", 1, "add 5", &mut counter);
    step(ALICE, "alice", 2, "add 1", &mut counter);
    step(ALICE, "alice", 1, "add 5", &mut counter);
    let text = lines.join("\n");
    assert_eq!(
        counter.total(),
        11,
        "alice's request 1 (add 5) arrived three times, plus once more later: a copy of a \
         request already answered must get the same answer again, and not be applied again. \
         Bob's request 1 is another client's request (same id, other address): it is new. So \
         the total should be 5 + 5 + 1 = 11. Remember each answer by (client address, id).\n{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn remembers_a_bounded_number_of_answers() {
    let mut counter = Counter::new(4);
    let mut most = 0;
    for id in 1..=10 {
        ask(&mut counter, ALICE, id, "add 1");
        most = most.max(counter.remembered());
    }
    let mut lines = vec![format!(
        "a memory of 4, after 10 requests: remembers {}, at most {most}",
        counter.remembered()
    )];
    for (id, what) in [
        (10, "the newest"),
        (7, "the 4th newest"),
        (1, "forgotten: older than the last 4"),
    ] {
        let answer = ask(&mut counter, ALICE, id, "add 1");
        lines.push(format!(
            "request {id} again ({what}) → {answer}, total {}",
            counter.total()
        ));
    }
    let text = lines.join("\n");
    assert!(
        most <= 4,
        "Counter::new(4) must remember at most 4 answers, but it remembered {most}: forget the \
         oldest when the memory is full, or a busy server grows without end\n{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn ignores_what_is_not_a_request() {
    let mut counter = Counter::new(16);
    let mut lines = Vec::new();
    let datagrams: [(&str, Vec<u8>); 4] = [
        ("an empty datagram", vec![]),
        ("a response", wire::response(1, "add 5")),
        ("a request whose length lies", {
            let mut bytes = wire::request(2, "add 5");
            bytes[6] = 200;
            bytes
        }),
        ("3 bytes of noise", vec![1, 2, 3]),
    ];
    for (what, bytes) in &datagrams {
        let answer = counter.answer(from(ALICE), bytes);
        lines.push(format!(
            "{what}: {}",
            match answer {
                None => "no answer".to_string(),
                Some(bytes) => format!("answered {}", wire::describe(&bytes)),
            }
        ));
    }
    lines.push(format!("total: {}", counter.total()));
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn serves_requests_over_udp_until_stopped() {
    let socket = socket_on(LOCALHOST);
    let address = socket.local_addr().unwrap();
    let client = socket_on(LOCALHOST);
    let stop = AtomicBool::new(false);
    let mut lines = Vec::new();
    let served = std::thread::scope(|scope| {
        let server = scope.spawn(|| {
            let mut counter = Counter::new(64);
            serve(&socket, &mut counter, &stop).map(|()| counter.total())
        });
        // Noise first: a server must survive whatever arrives.
        let mut lying = wire::request(9, "add 100");
        lying[5] = 0xff;
        client.send_to(&lying, address).unwrap();
        client.send_to(&[], address).unwrap();
        for (id, body) in [(1, "add 20"), (2, "add 22"), (1, "add 20")] {
            client.send_to(&wire::request(id, body), address).unwrap();
            let mut buffer = [0; 2000];
            let answer = match client.recv(&mut buffer) {
                Ok(size) => wire::describe(&buffer[..size]),
                Err(error) => format!(
                    "no answer within {} s ({error}){}",
                    PATIENCE.as_secs(),
                    if server.is_finished() {
                        ": serve() has returned or panicked"
                    } else {
                        ""
                    }
                ),
            };
            lines.push(format!("request id {id} {body:?} → {answer}"));
        }
        stop.store(true, Ordering::SeqCst);
        let asked_to_stop = Instant::now();
        while !server.is_finished() && asked_to_stop.elapsed() < PATIENCE {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(
            server.is_finished(),
            "serve() was still running {} s after `stop` was set: look at the flag at least every \
             STOP_CHECK (set a read timeout on the socket, and treat the timeout's error as \
             \"look again\")",
            PATIENCE.as_secs()
        );
        server.join()
    });
    let text = lines.join("\n");
    match served {
        Ok(Ok(total)) => lines.push(format!("serve() returned Ok once stopped; total {total}")),
        Ok(Err(error)) => panic!("serve() returned an error: {error}\n{text}"),
        Err(_) => panic!(
            "serve() panicked (its message is above). After a datagram whose length field lies \
             and an empty one, a server must go on serving\n{text}"
        ),
    }
    insta::assert_snapshot!(lines.join("\n"));
}
