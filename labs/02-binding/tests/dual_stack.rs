//! Graded tests for `src/dual_stack.rs`: IPv4 clients on an IPv6 socket, and `IPV6_V6ONLY`.
//!
//! The listeners are bound to `[::]`, but every client connects to a loopback
//! address (127.0.0.1 or ::1).

mod support;

use std::io::ErrorKind;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6, TcpListener};

use insta::{assert_snapshot, with_settings};
use lab02_binding::dual_stack::{as_ipv4_if_mapped, listen_on_ipv6};
use socket2::SockRef;
use support::{accept, connect};

/// Addresses a server may see its clients come from.
const PEERS: [&str; 7] = [
    "[::ffff:127.0.0.1]:51646",
    "[::ffff:192.0.2.10]:443",
    "[::1]:51644",
    "127.0.0.1:51646",
    "[2001:db8::1]:8080",
    "[::127.0.0.1]:80",
    "[::ffff:0.0.0.0]:0",
];

#[test]
fn accepts_ipv4_clients_as_mapped_addresses() {
    support::require_ipv6_loopback();
    let mut report = String::from("as_ipv4_if_mapped(peer)\n");
    for peer in PEERS {
        let address: SocketAddr = peer.parse().unwrap();
        report += &format!("  {peer:<26} {}\n", as_ipv4_if_mapped(address));
    }

    let wildcard = SocketAddrV6::new(Ipv6Addr::UNSPECIFIED, 0, 0, 0);
    let listener = listen_on_ipv6(wildcard, false)
        .unwrap_or_else(|error| panic!("listen_on_ipv6([::]:0, false) failed with {error:?}"));
    let socket = SockRef::from(&listener);
    assert_eq!(
        socket.only_v6().ok(),
        Some(false),
        "listen_on_ipv6([::]:0, false) should return a listener with IPV6_V6ONLY off (set_only_v6(false))"
    );
    assert_eq!(
        socket.reuse_address().ok(),
        Some(true),
        "listen_on_ipv6 should set SO_REUSEADDR, like the standard library, so that a restarted \
         server can bind its port again"
    );
    let port = listener.local_addr().unwrap().port();

    let ipv4_target = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let ipv4_client = connect(ipv4_target).unwrap_or_else(|error| {
        panic!(
            "an IPv4 client could not connect to {ipv4_target} ({error}): a socket on [::]:{port} \
             with IPV6_V6ONLY off should accept IPv4 connections too"
        )
    });
    let (_, ipv4_peer) = accept(&listener).expect("the listener accepts the IPv4 client");
    let client_address = ipv4_client.local_addr().unwrap();
    let mapped = SocketAddr::from((Ipv4Addr::LOCALHOST.to_ipv6_mapped(), client_address.port()));
    assert_eq!(
        ipv4_peer, mapped,
        "the dual-stack listener sees its IPv4 client {client_address} as {mapped}"
    );
    assert_eq!(
        as_ipv4_if_mapped(ipv4_peer),
        client_address,
        "as_ipv4_if_mapped({ipv4_peer}) should give back the IPv4 client's address, {client_address}"
    );

    let ipv6_target = SocketAddr::from((Ipv6Addr::LOCALHOST, port));
    let ipv6_client = connect(ipv6_target).unwrap_or_else(|error| {
        panic!("an IPv6 client could not connect to {ipv6_target} ({error})")
    });
    let (_, ipv6_peer) = accept(&listener).expect("the listener accepts the IPv6 client");
    assert_eq!(
        as_ipv4_if_mapped(ipv6_peer),
        ipv6_client.local_addr().unwrap(),
        "an IPv6 client's address ({ipv6_peer}) is not mapped: as_ipv4_if_mapped should leave it as it is"
    );

    with_settings!({
        description => "as_ipv4_if_mapped(peer): ::ffff:a.b.c.d becomes a.b.c.d with the same port (Ipv6Addr::to_ipv4_mapped); every other address stays as it is. Careful: [::127.0.0.1] is not IPv4-mapped (Ipv6Addr::to_ipv4 would convert it).",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn ipv6_only_refuses_ipv4_clients() {
    support::require_ipv6_loopback();
    let listener = ipv6_only_listener();
    let only_v6 = SockRef::from(&listener).only_v6().ok();
    assert_eq!(
        only_v6,
        Some(true),
        "listen_on_ipv6([::]:P, true) should return a listener with IPV6_V6ONLY on (set_only_v6(true))"
    );
    let bound = listener.local_addr().unwrap();
    let port = bound.port();
    let mut report = format!("listen_on_ipv6([::]:{port}, true)\n  Ok: listening on {bound}, ");
    report += match only_v6 {
        Some(true) => "IPV6_V6ONLY on\n",
        Some(false) => "IPV6_V6ONLY off\n",
        None => "IPV6_V6ONLY unknown\n",
    };

    let ipv4_target = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    match connect(ipv4_target) {
        Ok(_) => panic!(
            "an IPv4 client could connect to {ipv4_target}, but the only socket on port {port} is \
             [::]:{port} with IPV6_V6ONLY on, which takes no IPv4 connections: set_only_v6(true) \
             before bind"
        ),
        Err(error) => {
            assert_eq!(
                error.kind(),
                ErrorKind::ConnectionRefused,
                "connecting to {ipv4_target} should be refused (nothing listens there for IPv4); got {error:?}"
            );
            report += &format!(
                "an IPv4 client connects to {ipv4_target}\n  Err: {:?}\n",
                error.kind()
            );
        }
    }

    let ipv6_target = SocketAddr::from((Ipv6Addr::LOCALHOST, port));
    support::assert_accepts_a_client(&listener, ipv6_target, "an IPv6-only listener on [::]");
    report += &format!("an IPv6 client connects to {ipv6_target}\n  accepted by the listener\n");
    let report = support::redact(&report, &[(port.to_string(), "[port]")]);
    with_settings!({
        description => "listen_on_ipv6([::]:port, true) sets IPV6_V6ONLY before bind: IPv6 clients are accepted, IPv4 clients refused. The port is redacted.",
    }, {
        assert_snapshot!(report);
    });
}

/// An IPv6-only listener on [::]:P, where P was free for IPv4 and IPv6 a
/// moment before (an IPv6-only socket does not take the IPv4 port, so an
/// IPv4 socket of another program could otherwise be there).
fn ipv6_only_listener() -> TcpListener {
    let mut last_error = None;
    for _attempt in 0..10 {
        let any = SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0));
        let reserved = support::bind_only(any, false).expect("the test binds [::]:0");
        let port = reserved.local_addr().unwrap().as_socket().unwrap().port();
        drop(reserved);
        let address = SocketAddrV6::new(Ipv6Addr::UNSPECIFIED, port, 0, 0);
        match listen_on_ipv6(address, true) {
            Ok(listener) => return listener,
            Err(error) if error.kind() == ErrorKind::AddrInUse => last_error = Some(error),
            Err(error) => panic!("listen_on_ipv6({address}, true) failed with {error:?}"),
        }
    }
    panic!("listen_on_ipv6([::]:P, true) kept failing: {last_error:?}");
}
