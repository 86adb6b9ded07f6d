//! The test harness shared by the graded tests: ports in each state a probe can meet
//! (refused, held by another process, silent), the test's own network namespaces, the lab's
//! program run as a process, and the redactions that make reports comparable.

// Each test file uses only some of the harness.
#![allow(dead_code)]

pub mod held;
pub mod namespace;
pub mod program;
pub mod silent;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

/// How long a test waits for something that should happen before it gives up and explains.
pub const WAIT: Duration = Duration::from_secs(5);

/// A port of 127.0.0.1 where nothing listens: the OS picked it free, the test let it go.
pub fn refused_address() -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap_or_else(|error| {
        panic!("the test could not listen on 127.0.0.1 ({error}); this is not your code's fault")
    });
    listener
        .local_addr()
        .expect("a bound listener has an address")
}

/// A server on 127.0.0.1 and a port the OS picks, for tokio tests.
pub async fn local_server() -> tokio::net::TcpListener {
    tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .unwrap_or_else(|error| {
            panic!(
                "the test could not listen on 127.0.0.1 ({error}); this is not your code's fault"
            )
        })
}

/// `text` with every duration the lab prints (`0.1 ms`, `1000.4 ms`) written `[time]`.
pub fn redact_times(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" ms") {
        let before = &rest[..at];
        let number_start = before
            .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(0, |index| index + 1);
        let number = &before[number_start..];
        if number.chars().any(|c| c.is_ascii_digit()) {
            out.push_str(&before[..number_start]);
            out.push_str("[time]");
        } else {
            out.push_str(before);
            out.push_str(" ms");
        }
        rest = &rest[at + " ms".len()..];
    }
    out.push_str(rest);
    out
}

/// `text` with the number `number` (a port, a process id) written `label` wherever it stands
/// alone: not inside a longer number.
pub fn redact(text: &str, number: impl ToString, label: &str) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&digits) {
        let before = &rest[..at];
        let after = &rest[at + digits.len()..];
        let alone = !before.ends_with(|c: char| c.is_ascii_digit() || c == '.')
            && !after.starts_with(|c: char| c.is_ascii_digit());
        out.push_str(before);
        out.push_str(if alone { label } else { &digits });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The name of this test process, as `/proc/self/comm` shows it (at most 15 bytes).
pub fn own_process_name() -> String {
    std::fs::read_to_string("/proc/self/comm")
        .map(|name| name.trim_end().to_string())
        .unwrap_or_default()
}

/// Whether `elapsed` looks like an answer (well before the limit) or like silence (the whole
/// limit), for tables that must not depend on exact times.
pub fn time_class(elapsed: Duration, limit: Duration) -> &'static str {
    if elapsed < limit / 2 {
        "at once"
    } else if elapsed >= limit.mul_f64(0.9) {
        "after the time limit"
    } else {
        "after part of the time limit"
    }
}
