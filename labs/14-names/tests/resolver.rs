//! Graded tests for `src/resolver.rs`: the lab's stub resolver against a real DNS server,
//! dnsmasq, on a machine of the test's own, and against servers of the test's own that
//! answer wrongly on purpose (a forged id, another question, an alias loop, silence).

mod support;

use std::net::IpAddr;
use std::time::{Duration, Instant};

use lab14_names::message::RecordType;
use lab14_names::resolver::{Outcome, ResolveError, resolve};
use support::{ANSWER_FLAGS, Dns, FakeServer, MANY, PATIENCE, Rr, a, question_of, response};

/// The lab's `resolve`, run where dnsmasq is.
fn lookup(dns: &Dns, name: &str, record_type: RecordType) -> Result<Outcome, ResolveError> {
    let server = dns.address;
    let name = name.to_string();
    dns.run(move || resolve(server, &name, record_type, PATIENCE))
}

/// `Outcome` as text, or the error.
fn shown(result: &Result<Outcome, ResolveError>) -> String {
    match result {
        Ok(outcome) => outcome.to_string(),
        Err(error) => format!("error: {error}"),
    }
}

#[test]
fn finds_the_addresses_of_a_name() {
    let dns = Dns::start();
    let mut lines = Vec::new();
    for (name, record_type) in [
        ("web.lab14.test", RecordType::A),
        ("web.lab14.test", RecordType::Aaaa),
        ("v4only.lab14.test", RecordType::A),
    ] {
        let found = lookup(&dns, name, record_type);
        lines.push(format!("$ resolve {name} {record_type}\n{}", shown(&found)));
    }
    // The same name, in capitals and with the final dot: the same addresses.
    let capitals = lookup(&dns, "WEB.Lab14.Test.", RecordType::A);
    let addresses = match &capitals {
        Ok(Outcome::Found(answer)) => answer.addresses.clone(),
        other => panic!(
            "resolve(\"WEB.Lab14.Test.\", A) should find 198.51.100.80 like web.lab14.test, but \
             it returned {}. DNS names compare without regard to case, and a server may repeat \
             the question in the case you sent: compare names with eq_ignore_ascii_case",
            shown(other)
        ),
    };
    lines.push(format!("$ resolve WEB.Lab14.Test. A\n{addresses:?}"));
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn follows_a_cname_chain() {
    let dns = Dns::start();
    let mut lines = Vec::new();
    for (name, record_type) in [
        ("www.lab14.test", RecordType::Aaaa),
        ("start.lab14.test", RecordType::A),
    ] {
        let found = lookup(&dns, name, record_type);
        lines.push(format!("$ resolve {name} {record_type}\n{}", shown(&found)));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn tells_nxdomain_nodata_and_servfail_apart() {
    let dns = Dns::start();
    let mut lines = Vec::new();
    for (name, record_type, what) in [
        (
            "nope.lab14.test",
            RecordType::A,
            "a name that does not exist",
        ),
        (
            "v4only.lab14.test",
            RecordType::Aaaa,
            "a name with A records only, asked for AAAA",
        ),
        (
            "db.broken.lab14.test",
            RecordType::A,
            "a name whose server fails",
        ),
    ] {
        let found = lookup(&dns, name, record_type);
        lines.push(format!(
            "$ resolve {name} {record_type}   ({what})\n{}",
            shown(&found)
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn retries_over_tcp_when_the_answer_is_truncated() {
    let dns = Dns::start();
    let found = lookup(&dns, "many.lab14.test", RecordType::A);
    let addresses = match &found {
        Ok(Outcome::Found(answer)) => answer.addresses.clone(),
        other => panic!(
            "resolve(many.lab14.test, A) should find {MANY} addresses, but it returned {}",
            shown(other)
        ),
    };
    assert_eq!(
        addresses.len(),
        usize::from(MANY),
        "many.lab14.test has {MANY} A records: more than fit in a 512-byte UDP answer, so the \
         server sends some with the TC (truncated) bit set. The resolver found {} of them: \
         when TC is set, ask again over TCP (a 2-byte length, then the same query; RFC 1035 \
         §4.2.2) and use that answer",
        addresses.len()
    );
    let mut sorted: Vec<IpAddr> = addresses.clone();
    sorted.sort();
    let ttl = match &found {
        Ok(Outcome::Found(answer)) => answer.ttl,
        _ => 0,
    };
    insta::assert_snapshot!(format!(
        "$ resolve many.lab14.test A\n{} addresses, {} to {}, ttl {ttl}",
        sorted.len(),
        sorted[0],
        sorted[sorted.len() - 1],
    ));
}

#[test]
fn gives_up_on_a_server_that_never_answers() {
    let silent = FakeServer::silent();
    let patience = Duration::from_millis(400);
    let started = Instant::now();
    let found = resolve(silent.address, "web.lab14.test", RecordType::A, patience);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(10),
        "resolve() with a patience of 0.4 s waited {waited:?} for a server that never answers: \
         set a read timeout on the socket (and stop at a deadline)"
    );
    assert!(
        !silent.ids().is_empty(),
        "resolve() never sent a query to the server it was given ({})",
        silent.address
    );
    insta::assert_snapshot!(format!(
        "$ resolve web.lab14.test A   (a server that never answers)\n{}",
        shown(&found)
    ));
}

#[test]
fn ignores_answers_with_the_wrong_id_or_question() {
    // For each query, the server sends four datagrams: a forged answer with another id, an
    // answer to another question, a datagram that is a query (QR clear), and the real answer.
    let server = FakeServer::start(|query| {
        let Some((id, name, qtype)) = question_of(query) else {
            return Vec::new();
        };
        let forged = |address| {
            vec![Rr {
                name: &name,
                rtype: 1,
                ttl: 300,
                data: a(address),
            }]
        };
        let other = vec![Rr {
            name: "evil.lab14.test",
            rtype: 1,
            ttl: 300,
            data: a([198, 51, 100, 67]),
        }];
        vec![
            response(
                id.wrapping_add(1),
                ANSWER_FLAGS,
                &name,
                qtype,
                &forged([198, 51, 100, 66]),
            ),
            response(id, ANSWER_FLAGS, "evil.lab14.test", qtype, &other),
            response(id, 0x0100, &name, qtype, &forged([198, 51, 100, 68])),
            response(id, ANSWER_FLAGS, &name, qtype, &forged([198, 51, 100, 80])),
        ]
    });
    let found = resolve(server.address, "web.lab14.test", RecordType::A, PATIENCE);
    if let Ok(Outcome::Found(answer)) = &found {
        let forged: Vec<&IpAddr> = answer
            .addresses
            .iter()
            .filter(|address| address.to_string() != "198.51.100.80")
            .collect();
        assert!(
            forged.is_empty(),
            "resolve() took a forged answer: it returned {forged:?}. Before the real answer \
             (198.51.100.80), the server sent one with another id (198.51.100.66), one to \
             another question (198.51.100.67) and a query (198.51.100.68). Anyone can send a \
             datagram to your port: accept only a response (QR set) with your query's id and \
             your question, and keep waiting for it (RFC 5452 §9.1)"
        );
    }
    insta::assert_snapshot!(format!(
        "$ resolve web.lab14.test A   (three wrong answers, then the real one)\n{}",
        shown(&found)
    ));
}

#[test]
fn uses_a_fresh_id_for_each_query() {
    let server = FakeServer::start(|query| {
        let Some((id, name, qtype)) = question_of(query) else {
            return Vec::new();
        };
        let records = vec![Rr {
            name: &name,
            rtype: 1,
            ttl: 300,
            data: a([198, 51, 100, 80]),
        }];
        vec![response(id, ANSWER_FLAGS, &name, qtype, &records)]
    });
    for _ in 0..4 {
        let found = resolve(server.address, "web.lab14.test", RecordType::A, PATIENCE);
        assert!(
            matches!(found, Ok(Outcome::Found(_))),
            "resolve(web.lab14.test, A) should find 198.51.100.80 from a server that answers \
             correctly, but it returned {}",
            shown(&found)
        );
    }
    let ids = server.ids();
    let same = ids.windows(2).all(|pair| pair[0] == pair[1]);
    let counting = ids
        .windows(2)
        .all(|pair| pair[1] == pair[0].wrapping_add(1));
    assert!(
        ids.len() == 4 && !same && !counting,
        "four lookups sent queries with the ids {ids:?}: an id that is always the same, or \
         counts up, lets an attacker guess it and forge an answer that your resolver accepts. \
         Take each id from a random number generator (RFC 5452 §9.2; the `getrandom` crate)"
    );
    insta::assert_snapshot!("four queries, four ids that are neither the same nor counting up");
}

#[test]
fn follows_aliases_across_queries_and_stops_at_a_loop() {
    // start → end, in an answer that stops at the alias; end has the address. loop1 → loop2
    // → loop1, one alias per answer.
    let server = FakeServer::start(|query| {
        let Some((id, name, qtype)) = question_of(query) else {
            return Vec::new();
        };
        let cname = |target: &str| {
            vec![Rr {
                name: &name,
                rtype: 5,
                ttl: 50,
                data: support::wire_name(target),
            }]
        };
        let records = match name.to_ascii_lowercase().as_str() {
            "start.lab14.test" => cname("end.lab14.test"),
            "end.lab14.test" => vec![Rr {
                name: &name,
                rtype: 1,
                ttl: 500,
                data: a([198, 51, 100, 90]),
            }],
            "loop1.lab14.test" => cname("loop2.lab14.test"),
            "loop2.lab14.test" => cname("loop1.lab14.test"),
            _ => Vec::new(),
        };
        vec![response(id, ANSWER_FLAGS, &name, qtype, &records)]
    });
    let chain = resolve(server.address, "start.lab14.test", RecordType::A, PATIENCE);
    let started = Instant::now();
    let looped = resolve(server.address, "loop1.lab14.test", RecordType::A, PATIENCE);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "resolve() took {:?} on two aliases that point at each other: stop after at most \
         MAX_ALIASES aliases, or when a name comes back",
        started.elapsed()
    );
    let looped = match looped {
        Err(ResolveError::TooManyAliases) => "error: too many aliases".to_string(),
        other => format!("should be Err(TooManyAliases), but is {}", shown(&other)),
    };
    insta::assert_snapshot!(format!(
        "$ resolve start.lab14.test A   (the answer stops at the alias)\n{}\n\
         $ resolve loop1.lab14.test A   (loop1 -> loop2 -> loop1)\n{looped}",
        shown(&chain)
    ));
}
