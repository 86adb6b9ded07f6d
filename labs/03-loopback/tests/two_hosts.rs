//! Graded tests on two hosts: real servers and real connections between two Linux network
//! namespaces, the server host (198.51.100.1, 2001:db8::1) and the client host
//! (198.51.100.2, 2001:db8::2), built by `topology/mod.rs`. They need root and the `ip`
//! command; elsewhere they report `not run` with the reason.

mod support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use lab03_loopback::fallback::connect_in_order;
use lab03_loopback::matrix::{TwoHosts, measure_matrix};
use lab03_loopback::outcome::Outcome;
use lab03_loopback::probe::{connect, probe};
use lab03_loopback::reachability::{Host, Vantage, accepts, dial_address};
use support::topology::{CLIENT_HOST, SERVER_HOST, TestNetwork};
use support::{TIMEOUT, accept_within, closed_port, listen, redact_port};

/// The time limit for attempts that are meant to time out: nobody will ever answer them.
const SHORT_TIMEOUT: Duration = Duration::from_millis(300);

const LOCALHOST_V4: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// The addresses the server listens on, one matrix row each.
fn binds() -> Vec<IpAddr> {
    [
        LOCALHOST_V4,
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)),
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V4(SERVER_HOST.ipv4),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    ]
    .to_vec()
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("the test's addresses are valid")
}

#[test]
fn measures_the_matrix_on_two_hosts() {
    let network = TestNetwork::build_or_skip();
    let binds = binds();
    let matrix = measure_matrix(&binds, &network, TIMEOUT).unwrap_or_else(|error| {
        panic!(
            "measure_matrix returned Err({error}): starting a server on the server host failed. \
             Start each server inside hosts.run_on(Host::Server, ..), on the bind address and port 0"
        )
    });
    let found: Vec<IpAddr> = matrix.rows.iter().map(|row| row.bind).collect();
    assert_eq!(
        found, binds,
        "measure_matrix should make one row per bind address, in the order given"
    );
    for row in &matrix.rows {
        assert_eq!(
            row.cells.len(),
            Vantage::ALL.len(),
            "the row of {} should have one cell per vantage point (Vantage::ALL)",
            row.bind
        );
    }
    let cells = matrix.rows.iter().flat_map(|row| &row.cells);
    assert!(
        !cells.clone().all(|cell| cell.outcome == Outcome::Refused),
        "every attempt was refused, even a client on the server host dialing 127.0.0.1 for a server \
         on 127.0.0.1. Is the server still listening while you probe? A TcpListener stops listening \
         when it is dropped: keep it in a variable until the row's three probes are done.\n{matrix}"
    );
    with_settings!({
        description => "measure_matrix on the two-host network: a real server per row (on the server host, port 0), then for each vantage a real probe of dial_address(bind, vantage) from the host the client sits on (Vantage::host). It should match predict_matrix.",
    }, {
        assert_snapshot!(matrix.to_string());
    });
}

#[test]
fn the_other_host_reaches_its_own_loopback() {
    let dialed = dial_address(LOCALHOST_V4, Vantage::OtherHost, SERVER_HOST);
    assert_eq!(
        dialed, LOCALHOST_V4,
        "a server prints `Listening on 127.0.0.1:8000`; a person on the other host types that \
         address, so dial_address(127.0.0.1, OtherHost, …) should be 127.0.0.1"
    );
    let network = TestNetwork::build_or_skip();
    let on_the_server_host = network.run_on(Host::Server, || listen(LOCALHOST_V4));
    let port = on_the_server_host
        .local_addr()
        .expect("a bound listener has an address")
        .port();
    // The client host runs a server of its own on the same address and port, like a
    // teammate's own development server. The client host is a fresh namespace, so the port
    // is free there.
    let on_the_client_host = network
        .run_on(Host::Client, || TcpListener::bind((LOCALHOST_V4, port)))
        .expect("the test can listen on the client host's own 127.0.0.1");

    let target = SocketAddr::new(dialed, port);
    if let Err(failure) = network.run_on(Host::Client, || connect(target, TIMEOUT)) {
        panic!(
            "the client host runs its own server on {target}, so connect({target}) from the client host \
             should work, but it ended {failure:?}"
        );
    }
    let client_host_reached = accept_within(&on_the_client_host, TIMEOUT).is_some();
    assert!(
        client_host_reached,
        "connect({target}) from the client host returned a stream, but the client host's own server \
         saw no connection"
    );
    let server_host_reached =
        accept_within(&on_the_server_host, Duration::from_millis(200)).is_some();
    assert!(
        !server_host_reached,
        "the server host's server on {target} received a connection: that must never happen, \
         127.0.0.1 never leaves the host it is dialed on"
    );

    drop(on_the_client_host);
    let outcome = network.run_on(Host::Client, || probe(target, TIMEOUT));
    assert_eq!(
        outcome,
        Outcome::Refused,
        "once the client host's own server is gone, nothing listens on the client host's {target}: \
         probe from the client host should be Refused, even though the server host listens on {target}"
    );
    let reached = |yes: bool| if yes { "a connection" } else { "no connection" };
    let mut report = format!("dial_address(127.0.0.1, OtherHost, server host) = {dialed}\n");
    report += &format!("servers on {target} on both hosts\n");
    report += &format!("connect({target}, 1 s) from the client host: Ok\n");
    report += &format!(
        "  the client host's server received {}\n",
        reached(client_host_reached)
    );
    report += &format!(
        "  the server host's server received {}\n",
        reached(server_host_reached)
    );
    report += "the client host's server stopped\n";
    report += &format!("probe({target}, 1 s) from the client host: {outcome}\n");
    with_settings!({
        description => "127.0.0.1 dialed on the client host is the client host's own loopback: its own server gets the connection, the server host's never does, and with the client host's server gone the attempt is refused. The port is redacted.",
    }, {
        assert_snapshot!(redact_port(&report, port));
    });
}

#[test]
fn classifies_real_failures() {
    let network = TestNetwork::build_or_skip();
    let server_ip = IpAddr::V4(SERVER_HOST.ipv4);
    let listener = network.run_on(Host::Server, || listen(server_ip));
    let port = listener
        .local_addr()
        .expect("a bound listener has an address")
        .port();
    let nothing = network
        .run_on(Host::Server, || closed_port(server_ip, 0))
        .expect("the test can hold a port on the server host");

    let cases = [
        ("a server listens there", SocketAddr::new(server_ip, port)),
        (
            "the server host, but nothing listens on that port",
            nothing.addr,
        ),
        (
            "the client host's own loopback, where nothing listens",
            SocketAddr::new(LOCALHOST_V4, port),
        ),
        (
            "no route: 2001:db8:1::/48 is not on the cable",
            SocketAddr::new(ip("2001:db8:1::1"), port),
        ),
        (
            "on the cable, but no machine has that address",
            SocketAddr::new(ip("198.51.100.7"), port),
        ),
        ("the same in IPv6", SocketAddr::new(ip("2001:db8::7"), port)),
    ];
    let mut table = String::from("from the client host, with a 300 ms time limit:\n");
    for (what, target) in cases {
        let outcome = network.run_on(Host::Client, || probe(target, SHORT_TIMEOUT));
        let shown = redact_port(&redact_port(&target.to_string(), port), nothing.addr.port());
        table += &format!("{shown:<20} {:<12} {what}\n", outcome.to_string());
    }
    with_settings!({
        description => "probe(target, 300 ms) from the client host. Connected, Refused (a reset came back), Unreachable (NetworkUnreachable: no route), TimedOut (nobody answers, so connect_timeout gives up after the time limit: probe must use the timeout it is given).",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn falls_back_past_every_kind_of_failure() {
    let network = TestNetwork::build_or_skip();
    let server_ip = IpAddr::V4(SERVER_HOST.ipv4);
    let listener = network.run_on(Host::Server, || listen(server_ip));
    let port = listener
        .local_addr()
        .expect("a bound listener has an address")
        .port();

    let failing: [SocketAddr; 3] = [
        SocketAddr::new(ip("2001:db8:1::1"), port),
        SocketAddr::new(ip("198.51.100.7"), port),
        SocketAddr::new(LOCALHOST_V4, port),
    ];
    let mut all = failing.to_vec();
    all.push(SocketAddr::new(server_ip, port));

    let reaches = network.run_on(Host::Client, || connect_in_order(&all, SHORT_TIMEOUT));
    let fails = network.run_on(Host::Client, || connect_in_order(&failing, SHORT_TIMEOUT));
    assert!(
        reaches.stream.is_some(),
        "the last address, {}, has a server: connect_in_order should go past the three failures \
         and connect to it. Your transcript:\n{}",
        all[3],
        redact_port(&reaches.to_string(), port)
    );
    assert_eq!(
        fails.outcome(),
        Outcome::Refused,
        "the attempts end unreachable, timed out, then refused: the transcript's outcome() is the \
         LAST attempt's, Refused"
    );
    let text = format!(
        "from the client host, with a 300 ms time limit per attempt:\n{}\n\nwithout the server's address:\n{}\n",
        redact_port(&reaches.to_string(), port),
        redact_port(&fails.to_string(), port)
    );
    with_settings!({
        description => "connect_in_order from the client host through an unreachable, a timed-out and a refused address to the server; then the same without the server, where outcome() is the last attempt's.",
    }, {
        assert_snapshot!(text);
    });
}

#[test]
fn an_ipv6_wildcard_server_accepts_ipv4_clients() {
    let wildcard = IpAddr::V6(Ipv6Addr::UNSPECIFIED);
    let server_ipv4 = IpAddr::V4(SERVER_HOST.ipv4);
    let dual_stack = accepts(wildcard, server_ipv4);
    assert!(
        dual_stack,
        "accepts(::, {server_ipv4}) should be true: on Linux a socket listening on :: is dual-stack \
         and also accepts IPv4 connections"
    );
    let network = TestNetwork::build_or_skip();
    let listener = network.run_on(Host::Server, || listen(wildcard));
    let port = listener
        .local_addr()
        .expect("a bound listener has an address")
        .port();

    let target = SocketAddr::new(server_ipv4, port);
    if let Err(failure) = network.run_on(Host::Client, || connect(target, TIMEOUT)) {
        panic!(
            "a server listens on [::]:{port} on the server host, so connect({target}) from the client \
             host should work, but it ended {failure:?}"
        );
    }
    let (_, peer) = accept_within(&listener, TIMEOUT)
        .expect("connect returned a stream, so the server on [::] should see the connection");
    let mapped = IpAddr::V6(CLIENT_HOST.ipv4.to_ipv6_mapped());
    assert_eq!(
        peer.ip(),
        mapped,
        "the server on [::] sees its IPv4 client as the IPv4-mapped address {mapped}"
    );
    let mut report = format!("accepts(::, {server_ipv4}) = {dual_stack}\n");
    report += &format!("a server listens on [::]:{port} on the server host\n");
    report += &format!("connect({target}, 1 s) from the client host: Ok\n");
    report += &format!("  the server accepted a client from {}\n", peer.ip());
    with_settings!({
        description => "A server on :: is dual-stack on Linux: accepts(::, an IPv4 address) is true, and a real IPv4 client from the other host connects; the server sees it as an IPv4-mapped address. The server's port is redacted (the client's is not shown).",
    }, {
        assert_snapshot!(redact_port(&report, port));
    });
}
