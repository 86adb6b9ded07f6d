//! Graded tests for `src/probe.rs`: real connection attempts on this machine's loopback.

mod support;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};

use insta::{assert_snapshot, with_settings};
use lab03_loopback::outcome::Outcome;
use lab03_loopback::probe::{connect, probe};
use support::{
    TIMEOUT, accept_within, closed_port, listen, listener_with_closed_twin, redact_port,
};

const LOCALHOST_V4: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const LOCALHOST_V6: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

#[test]
fn connects_to_a_listening_server() {
    let listener = listen(LOCALHOST_V4);
    let server = listener
        .local_addr()
        .expect("a bound listener has an address");

    let outcome = probe(server, TIMEOUT);
    assert_eq!(
        outcome,
        Outcome::Connected,
        "a server listens on {server}, so probe({server}, 1 s) should be Connected, got {outcome:?}: \
         use TcpStream::connect_timeout(&target, timeout), Ok is Connected"
    );
    assert!(
        accept_within(&listener, TIMEOUT).is_some(),
        "probe({server}) said Connected, but no connection reached the server: probe must really connect"
    );
    let mut report = format!("a server listens on {server}\n");
    report +=
        &format!("probe({server}, 1 s)     {outcome}, and the server accepted a connection\n");

    match connect(server, TIMEOUT) {
        Ok(stream) => {
            let peer = stream.peer_addr().expect("a connected stream has a peer");
            assert_eq!(
                peer, server,
                "connect({server}) returned a stream connected to {peer}, not to the server"
            );
            report += &format!("connect({server}, 1 s)   Ok: a stream connected to {peer}\n");
        }
        Err(failure) => panic!(
            "a server listens on {server}, so connect({server}, 1 s) should return Ok(stream), got Err({failure:?})"
        ),
    }
    with_settings!({
        description => "probe(target, timeout) and connect(target, timeout) where a server listens on 127.0.0.1: a real connection (TcpStream::connect_timeout). The port is redacted.",
    }, {
        assert_snapshot!(redact_port(&report, server.port()));
    });
}

#[test]
fn is_refused_where_nothing_listens() {
    let nothing = closed_port(LOCALHOST_V4, 0).expect("the test can hold a port on 127.0.0.1");
    let target = nothing.addr;
    let mut report = format!("nothing listens on {target}\n");

    match connect(target, TIMEOUT) {
        Err(Outcome::Refused) => {
            report += &format!("connect({target}, 1 s)   Err: {}\n", Outcome::Refused)
        }
        Err(other) => panic!(
            "nothing listens on {target}, so this machine answers with a reset: connect should be \
             Err(Refused), got Err({other:?}); turn the io::Error into an outcome with classify(&error)"
        ),
        Ok(_) => panic!("nothing listens on {target}, yet connect returned a stream"),
    }
    let outcome = probe(target, TIMEOUT);
    assert_eq!(
        outcome,
        Outcome::Refused,
        "nothing listens on {target}, so probe should be Refused, got {outcome:?}: probe is connect's \
         verdict (Connected for Ok, the failure for Err)"
    );
    report += &format!("probe({target}, 1 s)     {outcome}\n");
    with_settings!({
        description => "connect and probe where nothing listens on 127.0.0.1: the machine answers with a reset, ConnectionRefused, which classify turns into Refused. The port is redacted.",
    }, {
        assert_snapshot!(redact_port(&report, target.port()));
    });
}

#[test]
fn the_whole_127_block_is_loopback() {
    let (listener, twin) = listener_on_127_0_0_2_with_127_0_0_1_closed();
    let server = listener
        .local_addr()
        .expect("a bound listener has an address");

    let outcome = probe(server, TIMEOUT);
    assert_eq!(
        outcome,
        Outcome::Connected,
        "a server listens on {server}: on Linux every address of 127.0.0.0/8 is loopback, so \
         probe({server}) should be Connected, got {outcome:?}"
    );
    let mut report = format!("a server listens on {server}, nothing on 127.0.0.1 with that port\n");
    report += &format!("probe({server}, 1 s)   {outcome}\n");
    let other = twin.addr;
    let outcome = probe(other, TIMEOUT);
    assert_eq!(
        outcome,
        Outcome::Refused,
        "the server listens on {server} only: {other} is the same machine and the same port, but \
         not the address the server listens on, so probe({other}) should be Refused, got {outcome:?}"
    );
    report += &format!("probe({other}, 1 s)   {outcome}\n");
    with_settings!({
        description => "probe on 127.0.0.2, where a server listens (all of 127.0.0.0/8 is loopback), and on 127.0.0.1 with the same port, where nothing listens. The port is redacted.",
    }, {
        assert_snapshot!(redact_port(&report, server.port()));
    });
}

/// A server on 127.0.0.2 and, with the same port, nothing on 127.0.0.1; or `not run` on a
/// system that does not answer for all of 127.0.0.0/8.
fn listener_on_127_0_0_2_with_127_0_0_1_closed() -> (TcpListener, support::ClosedPort) {
    let second = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    if let Err(error) = TcpListener::bind((second, 0)) {
        if error.kind() == io::ErrorKind::AddrNotAvailable {
            panic!(
                "not run: this system only answers for 127.0.0.1 on its loopback interface, not for \
                 all of 127.0.0.0/8 as Linux does ({error}); on macOS, `sudo ifconfig lo0 alias 127.0.0.2 up` adds it"
            );
        }
        panic!("the test could not listen on {second} ({error}); this is not your code's fault");
    }
    listener_with_closed_twin(second, LOCALHOST_V4)
}

#[test]
fn reaches_the_ipv6_loopback() {
    support::require_ipv6_loopback();
    let (listener, twin) = listener_with_closed_twin(LOCALHOST_V6, LOCALHOST_V4);
    let server: SocketAddr = listener
        .local_addr()
        .expect("a bound listener has an address");

    let outcome = probe(server, TIMEOUT);
    assert_eq!(
        outcome,
        Outcome::Connected,
        "a server listens on {server}, so probe({server}) should be Connected, got {outcome:?}"
    );
    let mut report = format!("a server listens on {server}, nothing on 127.0.0.1 with that port\n");
    report += &format!("probe({server}, 1 s)       {outcome}\n");
    let ipv4 = twin.addr;
    let outcome = probe(ipv4, TIMEOUT);
    assert_eq!(
        outcome,
        Outcome::Refused,
        "the server listens on {server} (IPv6) only, so {ipv4} (IPv4, same port) should be Refused, \
         got {outcome:?}: IPv4 and IPv6 loopback are separate addresses with separate sockets"
    );
    report += &format!("probe({ipv4}, 1 s)   {outcome}\n");
    with_settings!({
        description => "probe on ::1, where a server listens, and on 127.0.0.1 with the same port, where nothing listens: IPv4 and IPv6 loopback are separate addresses. The port is redacted.",
    }, {
        assert_snapshot!(redact_port(&report, server.port()));
    });
}
