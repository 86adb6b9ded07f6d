//! Graded tests for `src/listen.rs`: binding a listener to an address and a port, or to port 0.

mod support;

use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use insta::{assert_snapshot, with_settings};
use lab02_binding::listen::{listen_on, listen_on_any_port, port_of};
use support::{LOCALHOST, assert_accepts_a_client, recently_free_port, redact};

#[test]
fn binds_an_explicit_address_and_port() {
    let port = recently_free_port(LOCALHOST);
    let address = SocketAddr::new(LOCALHOST, port);
    let listener = listen_on(address).unwrap_or_else(|error| {
        panic!(
            "listen_on({address}) failed with {error:?}, but that port was free a moment ago: \
             bind exactly the address you were given, with TcpListener::bind(address)"
        )
    });
    let bound = listener
        .local_addr()
        .expect("a listener has a local address");
    assert_eq!(
        bound, address,
        "listen_on({address}) should listen on exactly {address}, but the listener is on {bound}"
    );
    assert_accepts_a_client(&listener, address, &format!("listen_on({address})"));
    let mut report =
        format!("listen_on({address})\n  Ok: listening on {bound}, accepts a client\n");

    match listen_on(address) {
        Ok(second) => panic!(
            "listen_on({address}) succeeded a second time (on {:?}) while the first listener still \
             holds the port: the OS should have refused with AddrInUse; return its error unchanged",
            second.local_addr()
        ),
        Err(error) => {
            assert_eq!(
                error.kind(),
                ErrorKind::AddrInUse,
                "listening twice on {address} should fail with the OS's AddrInUse error, got {error:?}"
            );
            report += &format!(
                "listen_on({address}) again, while the first listener holds it\n  Err: {:?}\n",
                error.kind()
            );
        }
    }

    let neighbour = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)), port);
    let other = listen_on(neighbour).unwrap_or_else(|error| {
        panic!(
            "listen_on({neighbour}) failed with {error:?} while {address} is taken: a port is taken \
             on one address only, so 127.0.0.2 may use the same port as 127.0.0.1"
        )
    });
    let other_address = other.local_addr().ok();
    assert_eq!(
        other_address,
        Some(neighbour),
        "listen_on({neighbour}) should listen on exactly {neighbour}"
    );
    report += &format!(
        "listen_on({neighbour}), the same port on another loopback address\n  Ok: listening on {}\n",
        other_address.map_or("-".to_string(), |address| address.to_string())
    );
    let report = redact(&report, &[(port.to_string(), "[port]")]);
    with_settings!({
        description => "listen_on(address) binds exactly the address and port given, returns the OS's AddrInUse error unchanged when they are taken, and a port is taken on one address only. The port is redacted.",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn port_zero_asks_the_kernel_for_a_port() {
    let listener = listen_on_any_port(LOCALHOST).unwrap_or_else(|error| {
        panic!("listen_on_any_port(127.0.0.1) failed with {error:?}: bind 127.0.0.1 with port 0")
    });
    let bound = listener
        .local_addr()
        .expect("a listener has a local address");
    assert_eq!(
        bound.ip(),
        LOCALHOST,
        "listen_on_any_port(127.0.0.1) should listen on 127.0.0.1, but the listener is on {bound}"
    );
    assert_ne!(
        bound.port(),
        0,
        "a listener bound to port 0 gets a real port from the kernel; this one has port 0"
    );
    let reported = port_of(&listener).unwrap_or_else(|error| {
        panic!("port_of(listener) failed with {error:?}: read the listener's local_addr()")
    });
    assert_eq!(
        reported,
        bound.port(),
        "port_of(listener) should be the port of listener.local_addr(), {bound}; got {reported}. \
         Port 0 is what you asked for, not what you got"
    );
    if let Some((first, last)) = ephemeral_range() {
        assert!(
            (first..=last).contains(&reported),
            "the kernel hands out port-0 requests from its ephemeral range {first}-{last} \
             (/proc/sys/net/ipv4/ip_local_port_range), but the listener got port {reported}: \
             did you bind port 0?"
        );
    }
    assert_accepts_a_client(&listener, bound, "listen_on_any_port(127.0.0.1)");

    let second = listen_on_any_port(LOCALHOST).unwrap_or_else(|error| {
        panic!("a second listen_on_any_port(127.0.0.1) failed with {error:?}")
    });
    let second_port = port_of(&second).expect("port_of worked a moment ago");
    assert_ne!(
        second_port, reported,
        "two listeners alive at once on port 0 must get two different ports, both got {reported}"
    );

    // The kernel picks the ports: the report shows how they relate, not their numbers.
    let in_range = match ephemeral_range() {
        Some((first, last)) => yes_or_no((first..=last).contains(&reported)),
        None => "(this machine has no /proc/sys/net/ipv4/ip_local_port_range)",
    };
    let mut report = format!("listen_on_any_port(127.0.0.1)\n  Ok: listening on {bound}\n");
    report += &format!("  port_of(listener): {reported}\n");
    report += &format!(
        "  the listener's own port: {}\n",
        yes_or_no(reported == bound.port())
    );
    report += &format!("  a port other than 0: {}\n", yes_or_no(reported != 0));
    report += &format!("  in this machine's ephemeral range: {in_range}\n");
    report += "  accepts a client: yes\n";
    report += "listen_on_any_port(127.0.0.1) again, while the first listener lives\n";
    report += &format!("  port_of(listener): {second_port}\n");
    report += &format!(
        "  a port other than the first one's: {}\n",
        yes_or_no(second_port != reported)
    );
    let report = redact(
        &report,
        &[
            (reported.to_string(), "[port 1]"),
            (second_port.to_string(), "[port 2]"),
        ],
    );
    with_settings!({
        description => "listen_on_any_port(ip) binds port 0, so the kernel picks a free port from its ephemeral range; port_of(listener) reads the port it got from local_addr(). The ports are redacted.",
    }, {
        assert_snapshot!(report);
    });
}

/// `yes` or `no`, for a report.
fn yes_or_no(answer: bool) -> &'static str {
    if answer { "yes" } else { "no" }
}

/// This machine's ephemeral port range, read without the code under test.
fn ephemeral_range() -> Option<(u16, u16)> {
    let text = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").ok()?;
    let mut numbers = text.split_whitespace().map(|field| field.parse().ok());
    Some((numbers.next()??, numbers.next()??))
}
