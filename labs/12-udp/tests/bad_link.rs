//! Graded tests of the whole lab over a bad link: the lab's server on one machine of the
//! test's own, the lab's client on the other, and a cable between them that loses,
//! duplicates and delays datagrams at fixed patterns (see `support/link.rs`). Each test makes
//! calls of `add 1`, `add 2`, … and checks that every answer is the running total: no add
//! lost, none applied twice, no answer taken for another request's. They check correctness,
//! never speed.

mod support;

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use lab12_udp::client::{Client, RetryPolicy};
use lab12_udp::server::{Counter, serve};
use support::HOW_TO_RUN;
use support::link::{Impairments, Link};

/// The client's policy over the bad link: patient enough for every pattern the tests use.
const POLICY: RetryPolicy = RetryPolicy {
    first_timeout: Duration::from_millis(100),
    factor: 2,
    attempts: 6,
};

/// How many calls each test makes.
const CALLS: i64 = 20;

/// Runs the lab's server and client over the link with these impairments, and returns the
/// report; panics with `trouble` (what the link does, and so what the code must do) when an
/// answer is wrong.
fn count_over(
    ipv6: bool,
    requests: Impairments,
    answers: Impairments,
    policy: RetryPolicy,
    trouble: &str,
) -> String {
    let link = Link::build();
    let server_ip = Link::server_ip(ipv6);
    let socket = link
        .server
        .run(|| UdpSocket::bind(SocketAddr::new(server_ip, 0)))
        .unwrap_or_else(|error| {
            panic!("not run: the server cannot bind {server_ip} ({error}); {HOW_TO_RUN}")
        });
    let address = socket.local_addr().expect("a bound socket has an address");
    link.impair(address.port(), requests, answers);
    let stop = AtomicBool::new(false);
    let mut problems = Vec::new();
    let served = std::thread::scope(|scope| {
        let server = scope.spawn(|| {
            let mut counter = Counter::new(1024);
            serve(&socket, &mut counter, &stop).map(|()| counter.total())
        });
        let mut client = link
            .client
            .run(|| Client::new(address, policy))
            .unwrap_or_else(|error| panic!("Client::new({address}, …) failed: {error}"));
        let mut expected = 0;
        for k in 1..=CALLS {
            expected += k;
            match client.call(format!("add {k}").as_bytes()) {
                Ok(body) => {
                    let answer = String::from_utf8_lossy(&body).into_owned();
                    if answer != expected.to_string() {
                        problems.push(judge(k, expected, &answer));
                    }
                }
                Err(error) => problems.push(format!("call {k} (`add {k}`) failed: {error}")),
            }
            if problems.len() >= 3 || server.is_finished() {
                break;
            }
        }
        stop.store(true, Ordering::SeqCst);
        server.join()
    });
    let total = match served {
        Ok(Ok(total)) => total,
        Ok(Err(error)) => panic!("the lab's serve() returned an error: {error}"),
        Err(_) => panic!("the lab's serve() panicked (its message is above)"),
    };
    let sum = CALLS * (CALLS + 1) / 2;
    if problems.is_empty() && total != sum {
        problems.push(format!(
            "every call got the right answer, but the server's total is {total}, not {sum}"
        ));
    }
    assert!(
        problems.is_empty(),
        "over this link {trouble}\n\nWhat went wrong (the first problems):\n  {}",
        problems.join("\n  ")
    );
    format!(
        "{} over {}\nrequests: {}\nanswers:  {}\n{CALLS} calls of add 1, add 2, …: each answered with the running total\nthe server's total: {total}",
        if ipv6 { "IPv6" } else { "IPv4" },
        "a veth cable",
        requests.describe(),
        answers.describe()
    )
}

/// What a wrong answer says about the code.
fn judge(k: i64, expected: i64, answer: &str) -> String {
    let Ok(got) = answer.parse::<i64>() else {
        return format!("call {k} (`add {k}`) got {answer:?} instead of {expected}");
    };
    let earlier = (1..k).find(|j| j * (j + 1) / 2 == got);
    match earlier {
        Some(j) => format!(
            "call {k} (`add {k}`) got {got}, which is the answer to call {j}: the client took a \
             late or duplicated answer to an earlier request for this one"
        ),
        None if got > expected => format!(
            "call {k} (`add {k}`) got {got}, more than the {expected} it should be: the server \
             applied some add twice (a copy of a request, or a retry, counted again)"
        ),
        None => format!("call {k} (`add {k}`) got {got} instead of {expected}"),
    }
}

#[test]
fn every_add_counts_once_when_datagrams_are_lost() {
    let report = count_over(
        false,
        Impairments::none().lose_every(3),
        Impairments::none().lose_every(4),
        POLICY,
        "every 3rd request and every 4th answer is lost, and UDP never sends anything again. The \
         client must send the same request again (same id) when its timeout passes; and since a \
         lost answer looks to it exactly like a lost request, the server must answer a copy of a \
         request it already applied with the same answer, without applying it again.",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn copies_of_a_request_are_applied_once() {
    let report = count_over(
        false,
        Impairments::none().duplicate_every(2),
        Impairments::none().duplicate_every(3),
        POLICY,
        "every 2nd request and every 3rd answer arrives twice. The server must recognise a copy \
         (same client address, same id) and answer it without applying it again; the client must \
         ignore the second copy of an answer it already took, which arrives during its next \
         call with the previous call's id.",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn a_late_answer_never_answers_the_next_request() {
    let report = count_over(
        false,
        Impairments::none(),
        Impairments::none().delay_every(2),
        RetryPolicy {
            first_timeout: Duration::from_millis(40),
            ..POLICY
        },
        "every 2nd answer is about 100 ms late, later than the client's first timeout of 40 ms: \
         the client retries, the server answers the copy again, and the late answer arrives \
         during a later call. Only a response with the current request's id answers it.",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn all_of_it_at_once_over_ipv6() {
    let report = count_over(
        true,
        Impairments::none().lose_every(3).duplicate_every(4),
        Impairments::none()
            .lose_every(5)
            .duplicate_every(3)
            .delay_every(2),
        RetryPolicy {
            first_timeout: Duration::from_millis(60),
            ..POLICY
        },
        "(IPv6) requests are lost and duplicated, answers lost, duplicated and late: retry with \
         the same id, apply each request once, and take only the answer with the current id.",
    );
    insta::assert_snapshot!(report);
}
