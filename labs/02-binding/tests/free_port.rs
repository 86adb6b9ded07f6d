//! Graded tests for `src/free_port.rs`: the first free port of a range.
//!
//! The ports are tried on a loopback address of this test process's own
//! (127.X.Y.Z, made of its pid), so that tests running at the same time do not
//! take each other's ports.

mod support;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::ops::RangeInclusive;

use insta::{assert_snapshot, with_settings};
use lab02_binding::diagnosis::BindError;
use lab02_binding::free_port::{FreePortError, find_free_port};
use support::{LOCALHOST, assert_accepts_a_client, private_loopback_ip};

#[test]
fn finds_the_first_free_port_in_a_range() {
    let ip = IpAddr::V4(private_loopback_ip());
    let (first, _held) = three_ports_with_the_first_two_held(ip);
    let ports = first..=first + 2;

    let listener = match find_free_port(ip, ports.clone()) {
        Ok(listener) => listener,
        Err(error) => panic!(
            "find_free_port({ip}, {first}..={}) failed with {error:?}, but port {} is free: this \
             test holds only {first} and {}. The range includes its last port",
            first + 2,
            first + 2,
            first + 1
        ),
    };
    let bound = listener
        .local_addr()
        .expect("a listener has a local address");
    let expected = SocketAddr::new(ip, first + 2);
    assert_eq!(
        bound,
        expected,
        "in {first}..={}, this test holds {first} and {}, so the first free port is {}: \
         find_free_port should return a listener on {expected}, not on {bound}",
        first + 2,
        first + 1,
        first + 2
    );
    assert_accepts_a_client(&listener, expected, "the listener find_free_port returned");
    // The address is made of the pid and the kernel picks P: the report shows the address as
    // [ip] and every port relative to P.
    let mut report = String::from("this test holds P and P+1 on [ip]\n");
    report += &format!(
        "find_free_port([ip], P..=P+2)\n  Ok(listener on {}:{}), accepts a client\n",
        label(bound.ip(), ip, "[ip]"),
        relative(bound.port(), first)
    );

    match find_free_port(ip, ports.clone()) {
        Ok(other) => panic!(
            "every port of {first}..={} is now held (two by this test, one by the listener \
             find_free_port returned before), yet find_free_port returned a listener on {:?}",
            first + 2,
            other.local_addr()
        ),
        Err(FreePortError::NoFreePort {
            ip: got_ip,
            ports: got_ports,
        }) => {
            report += &format!(
                "find_free_port([ip], P..=P+2), once P+2 is held too\n  \
                 Err(NoFreePort {{ ip: {}, ports: {}..={} }})\n",
                label(got_ip, ip, "[ip]"),
                relative(*got_ports.start(), first),
                relative(*got_ports.end(), first)
            );
            assert_eq!(
                (got_ip, got_ports),
                (ip, ports),
                "NoFreePort should hold the address and the range that were asked for"
            );
        }
        Err(other) => panic!(
            "every port of {first}..={} is held, so find_free_port should return \
             FreePortError::NoFreePort, got {other:?}: skip the ports that are in use (AddrInUse)",
            first + 2
        ),
    }
    with_settings!({
        description => "find_free_port(ip, ports) returns a listener on the first port of the range that is free, and NoFreePort with the address and range asked for when all are held. [ip] is this test's own loopback address, P a port the kernel picked.",
    }, {
        assert_snapshot!(report);
    });
}

/// `label` when `value` is `expected` (a value that changes from run to run), else `value` itself.
fn label<T: PartialEq + std::fmt::Display>(value: T, expected: T, label: &str) -> String {
    if value == expected {
        label.to_string()
    } else {
        value.to_string()
    }
}

/// `port` written relative to `first`: `P`, `P+2`, `P-1`.
fn relative(port: u16, first: u16) -> String {
    match i32::from(port) - i32::from(first) {
        0 => "P".to_string(),
        offset => format!("P{offset:+}"),
    }
}

#[test]
fn says_when_no_port_is_free() {
    support::require_no_nonlocal_bind();
    let mut report = String::new();

    let zero = find_free_port(LOCALHOST, 0..=0);
    if let Ok(listener) = &zero {
        panic!(
            "find_free_port(127.0.0.1, 0..=0) returned a listener on {:?}: binding port 0 gives \
             a port outside the range, so port 0 must be skipped",
            listener.local_addr()
        );
    }
    report += &show("find_free_port(127.0.0.1, 0..=0)", zero);

    #[allow(clippy::reversed_empty_ranges)]
    let reversed: RangeInclusive<u16> = 9000..=8999;
    report += &show(
        "find_free_port(127.0.0.1, 9000..=8999)",
        find_free_port(LOCALHOST, reversed),
    );

    let elsewhere: IpAddr = "198.51.100.7".parse().unwrap();
    let result = find_free_port(elsewhere, 40000..=40009);
    assert!(
        matches!(
            result,
            Err(FreePortError::Bind(BindError::AddressNotAvailable { address }))
                if address == SocketAddr::new(elsewhere, 40000)
        ),
        "198.51.100.7 is not an address of this machine: binding 198.51.100.7:40000 fails with \
         AddrNotAvailable, which is not \"in use\", so find_free_port should stop at once with \
         FreePortError::Bind(BindError::AddressNotAvailable {{ address: 198.51.100.7:40000 }}); got {result:?}"
    );
    report += &show("find_free_port(198.51.100.7, 40000..=40009)", result);

    with_settings!({
        description => "find_free_port when no port of the range can be used: port 0 is never tried, an empty range has no port, and an error other than AddrInUse stops the search with its diagnosis.",
    }, {
        assert_snapshot!(report);
    });
}

/// Finds a port P on `ip` such that P and P+1 can be held by the test and
/// P+2 is free. Returns P and the two listeners holding P and P+1.
fn three_ports_with_the_first_two_held(ip: IpAddr) -> (u16, [TcpListener; 2]) {
    for _attempt in 0..20 {
        let first = TcpListener::bind((ip, 0))
            .unwrap_or_else(|error| panic!("the test could not bind {ip}:0: {error}"));
        let port = first.local_addr().unwrap().port();
        if port > u16::MAX - 2 {
            continue;
        }
        let Ok(second) = TcpListener::bind((ip, port + 1)) else {
            continue;
        };
        if TcpListener::bind((ip, port + 2)).is_err() {
            continue;
        }
        return (port, [first, second]);
    }
    panic!("the test found no three free ports in a row on {ip}; this is not your code's fault");
}

fn show(call: &str, result: Result<TcpListener, FreePortError>) -> String {
    match result {
        Ok(listener) => format!("{call}\n  Ok(listener on {:?})\n", listener.local_addr()),
        Err(error) => format!("{call}\n  Err({error:?})\n  {error}\n"),
    }
}
