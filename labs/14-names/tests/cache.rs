//! Graded tests for `src/cache.rs`: a cache that keeps answers exactly as long as their TTL
//! says, with a clock of the test's own (no test waits), and against dnsmasq, whose log says
//! how often it was asked.

mod support;

use std::net::IpAddr;
use std::time::{Duration, Instant};

use lab14_names::cache::Cache;
use lab14_names::message::RecordType;
use lab14_names::resolver::{Answer, Outcome, ResolveError};
use support::{Dns, PATIENCE};

/// What a lookup through the cache gave, as one line.
fn shown(result: &Result<Outcome, ResolveError>) -> String {
    match result {
        Ok(Outcome::Found(answer)) => format!(
            "{} ttl {}",
            answer
                .addresses
                .iter()
                .map(IpAddr::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            answer.ttl
        ),
        Ok(outcome) => outcome.to_string(),
        Err(error) => format!("error: {error}"),
    }
}

const STALE: &str = "A record's TTL is how many seconds a resolver may keep it; after that it \
    must ask again, because the owner may have moved the name to a new address. A cache that \
    ignores the TTL keeps sending its users to the old address: keep each answer's expiry \
    (the moment it was learned plus its TTL) and serve it only before that moment";

#[test]
fn serves_an_answer_until_its_ttl_runs_out() {
    let start = Instant::now();
    let mut cache = Cache::new();
    let answer = Answer {
        name: "web.lab14.test".into(),
        aliases: Vec::new(),
        addresses: vec!["198.51.100.80".parse().unwrap()],
        ttl: 30,
    };
    cache.insert("web.lab14.test", RecordType::A, answer.clone(), start);
    cache.insert(
        "zero.lab14.test",
        RecordType::A,
        Answer {
            ttl: 0,
            ..answer.clone()
        },
        start,
    );
    let at = |seconds: f64| start + Duration::from_secs_f64(seconds);
    let mut lines = Vec::new();
    for (name, record_type, seconds) in [
        ("web.lab14.test", RecordType::A, 0.0),
        ("web.lab14.test", RecordType::A, 10.0),
        ("WEB.lab14.test.", RecordType::A, 10.0),
        ("web.lab14.test", RecordType::Aaaa, 10.0),
        ("web.lab14.test", RecordType::A, 29.5),
        ("web.lab14.test", RecordType::A, 30.0),
        ("web.lab14.test", RecordType::A, 3600.0),
        ("zero.lab14.test", RecordType::A, 0.0),
    ] {
        let found = cache.get(name, record_type, at(seconds));
        if seconds >= 30.0 {
            assert!(
                found.is_none(),
                "an answer with TTL 30, kept at 0 s, was still served {seconds} s later. {STALE}"
            );
        }
        let found = match found {
            Some(answer) => format!("ttl {} {:?}", answer.ttl, answer.addresses),
            None => "nothing".into(),
        };
        lines.push(format!(
            "after {seconds:6} s  {name:16} {record_type:4}  {found}"
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn asks_the_server_again_only_after_the_ttl() {
    let dns = Dns::start();
    let start = Instant::now();
    let mut cache = Cache::new();
    let mut lines = Vec::new();
    // web.lab14.test A has TTL 300.
    for seconds in [0, 10, 299, 300, 301] {
        let now = start + Duration::from_secs(seconds);
        let server = dns.address;
        let found =
            dns.run(|| cache.resolve(server, "web.lab14.test", RecordType::A, PATIENCE, now));
        let asked = dns.queries("web.lab14.test", "A");
        lines.push(format!(
            "after {seconds:3} s: {}   (the server was asked {asked} times so far)",
            shown(&found)
        ));
        let expected = if seconds < 300 { 1 } else { 2 };
        if asked > expected {
            panic!(
                "after {seconds} s the server had been asked {asked} times: an answer with TTL \
                 300 must come from the cache until it runs out\n{}",
                lines.join("\n")
            );
        }
        if asked < expected {
            panic!(
                "after {seconds} s the server had been asked only {asked} times: the answer \
                 (TTL 300) had run out, yet the cache served it again. {STALE}\n{}",
                lines.join("\n")
            );
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn keeps_the_smallest_ttl_of_a_cname_chain() {
    let dns = Dns::start();
    let start = Instant::now();
    let mut cache = Cache::new();
    let mut lines = Vec::new();
    // www.lab14.test is a CNAME with TTL 77 to web.lab14.test, whose A record has TTL 300:
    // the answer may be kept 77 s.
    for seconds in [0, 76, 77] {
        let now = start + Duration::from_secs(seconds);
        let server = dns.address;
        let found =
            dns.run(|| cache.resolve(server, "www.lab14.test", RecordType::A, PATIENCE, now));
        let asked = dns.queries("www.lab14.test", "A");
        lines.push(format!(
            "after {seconds:3} s: {}   (the server was asked {asked} times so far)",
            shown(&found)
        ));
    }
    let asked = dns.queries("www.lab14.test", "A");
    assert_eq!(
        asked,
        2,
        "the answer for www.lab14.test is an alias with TTL 77 and an address with TTL 300: \
         it may be kept 77 s, the smallest TTL of the records it is made of, so the server \
         should be asked at 0 s and again at 77 s, but it was asked {asked} times:\n{}",
        lines.join("\n")
    );
    insta::assert_snapshot!(lines.join("\n"));
}
