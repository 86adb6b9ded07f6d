//! Graded tests for `src/fallback.rs`: trying each address of `localhost` in order.
//!
//! `localhost` usually resolves to `::1` and then `127.0.0.1`, but this machine's
//! /etc/hosts may say otherwise, so the tests pass that list themselves.

mod support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use insta::{assert_snapshot, with_settings};
use lab03_loopback::fallback::connect_in_order;
use lab03_loopback::outcome::Outcome;
use std::time::Duration;
use support::{
    TIMEOUT, accept_within, closed_twins, listener_twins, listener_with_closed_twin, redact_port,
    require_ipv6_loopback,
};

const LOCALHOST_V4: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const LOCALHOST_V6: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

/// What `localhost` resolves to on most Linux machines, in that order.
fn localhost(port: u16) -> [SocketAddr; 2] {
    [
        SocketAddr::new(LOCALHOST_V6, port),
        SocketAddr::new(LOCALHOST_V4, port),
    ]
}

#[test]
fn tries_the_next_address_after_a_refusal() {
    require_ipv6_loopback();
    // The classic: the server listens on 127.0.0.1 only, the client tries ::1 first.
    let (listener, _nothing_on_ipv6) = listener_with_closed_twin(LOCALHOST_V4, LOCALHOST_V6);
    let server = listener
        .local_addr()
        .expect("a bound listener has an address");
    let port = server.port();

    let transcript = connect_in_order(&localhost(port), TIMEOUT);
    let shown = redact_port(&transcript.to_string(), port);
    match &transcript.stream {
        Some(stream) => assert_eq!(
            stream.peer_addr().ok(),
            Some(server),
            "the stream should be connected to the server at {server}"
        ),
        None => panic!(
            "the server listens on {server}: after [::1]:{port} is refused, connect_in_order must go on \
             to {server} and connect. Your transcript:\n{shown}"
        ),
    }
    assert!(
        accept_within(&listener, TIMEOUT).is_some(),
        "connect_in_order reported a connection, but none reached the server at {server}"
    );
    with_settings!({
        description => "The server listens on 127.0.0.1 only; the client tries localhost's addresses [::1]:PORT, then 127.0.0.1:PORT. connect_in_order records every attempt (target and outcome) and stops at the first connection.",
    }, {
        assert_snapshot!(shown);
    });
}

#[test]
fn stops_at_the_first_connection() {
    require_ipv6_loopback();
    let (on_ipv6, on_ipv4) = listener_twins(LOCALHOST_V6, LOCALHOST_V4);
    let port = on_ipv6
        .local_addr()
        .expect("a bound listener has an address")
        .port();

    let transcript = connect_in_order(&localhost(port), TIMEOUT);
    let shown = redact_port(&transcript.to_string(), port);
    assert_eq!(
        transcript.attempts.len(),
        1,
        "servers listen on both [::1]:{port} and 127.0.0.1:{port}: the first address connects, so \
         connect_in_order should stop after one attempt. Your transcript:\n{shown}"
    );
    let peer = transcript
        .stream
        .as_ref()
        .and_then(|stream| stream.peer_addr().ok());
    assert_eq!(
        peer,
        Some(SocketAddr::new(LOCALHOST_V6, port)),
        "the stream should be the connection to the first address, [::1]:{port}"
    );
    let second_server_reached = accept_within(&on_ipv4, Duration::from_millis(200)).is_some();
    assert!(
        !second_server_reached,
        "the server on 127.0.0.1:{port} received a connection: connect_in_order must not try \
         more addresses once one has connected"
    );
    let text = format!(
        "servers listen on both [::1]:PORT and 127.0.0.1:PORT:\n{shown}\n\n\
         the server on 127.0.0.1:PORT received {}\n",
        if second_server_reached {
            "a connection"
        } else {
            "no connection"
        }
    );
    with_settings!({
        description => "Servers listen on both of localhost's addresses: connect_in_order connects to the first, [::1]:PORT, and tries nothing more.",
    }, {
        assert_snapshot!(text);
    });
}

#[test]
fn reports_every_failure() {
    require_ipv6_loopback();
    let (nothing_on_ipv6, _nothing_on_ipv4) = closed_twins(LOCALHOST_V6, LOCALHOST_V4);
    let port = nothing_on_ipv6.addr.port();

    let refused = connect_in_order(&localhost(port), TIMEOUT);
    let empty = connect_in_order(&[], TIMEOUT);
    for (what, transcript, outcome) in [
        (
            "nothing listens on either address",
            &refused,
            Outcome::Refused,
        ),
        ("there is no address at all", &empty, Outcome::NoAddress),
    ] {
        assert!(
            transcript.stream.is_none(),
            "{what}, so the transcript should have no stream"
        );
        assert_eq!(
            transcript.outcome(),
            outcome,
            "{what}, so the transcript's outcome() should be {outcome:?}: the last attempt's \
             outcome, or NoAddress when nothing was tried"
        );
    }
    let text = format!(
        "nothing listens on either [::1]:PORT or 127.0.0.1:PORT:\n{}\n\nno address to try:\n{}\n",
        redact_port(&refused.to_string(), port),
        empty
    );
    with_settings!({
        description => "connect_in_order when every address is refused (both attempts recorded, outcome() is the last one's) and with an empty list (no attempt, outcome() is NoAddress).",
    }, {
        assert_snapshot!(text);
    });
}
