//! Graded tests for `src/conflict.rs`: predicting which two bindings the kernel refuses.
//!
//! Each row binds two real sockets to the same port, without `SO_REUSEADDR` and
//! without listening (so they accept no connection), and compares what the
//! kernel said with what `conflicts` predicts.

mod support;

use std::io::ErrorKind;
use std::net::SocketAddr;

use insta::{assert_snapshot, with_settings};
use lab02_binding::conflict::{Binding, claim_of, conflicts};

/// How a row's socket is bound: an address (its port is replaced by the
/// test's port) and, for IPv6, whether `IPV6_V6ONLY` is on.
type Side = (&'static str, bool);

const V4: bool = false;
const DUAL: bool = false;
const V6ONLY: bool = true;

const IPV4_ROWS: [(Side, Side); 6] = [
    (("127.0.0.1:0", V4), ("127.0.0.1:0", V4)),
    (("127.0.0.1:0", V4), ("127.0.0.2:0", V4)),
    (("0.0.0.0:0", V4), ("127.0.0.1:0", V4)),
    (("127.0.0.1:0", V4), ("0.0.0.0:0", V4)),
    (("0.0.0.0:0", V4), ("0.0.0.0:0", V4)),
    (("127.0.0.2:0", V4), ("127.0.0.3:0", V4)),
];

const DUAL_STACK_ROWS: [(Side, Side); 13] = [
    (("[::1]:0", DUAL), ("[::1]:0", DUAL)),
    (("[::1]:0", DUAL), ("127.0.0.1:0", V4)),
    (("[::]:0", DUAL), ("0.0.0.0:0", V4)),
    (("0.0.0.0:0", V4), ("[::]:0", DUAL)),
    (("[::]:0", V6ONLY), ("0.0.0.0:0", V4)),
    (("[::]:0", DUAL), ("127.0.0.1:0", V4)),
    (("127.0.0.1:0", V4), ("[::]:0", V6ONLY)),
    (("[::]:0", V6ONLY), ("[::1]:0", DUAL)),
    (("[::]:0", V6ONLY), ("[::]:0", DUAL)),
    (("[::ffff:127.0.0.1]:0", DUAL), ("127.0.0.1:0", V4)),
    (("[::ffff:127.0.0.1]:0", DUAL), ("127.0.0.2:0", V4)),
    (("[::ffff:127.0.0.1]:0", DUAL), ("[::]:0", V6ONLY)),
    (("[::ffff:127.0.0.1]:0", DUAL), ("[::]:0", DUAL)),
];

#[test]
fn predicts_ipv4_conflicts() {
    let table = check_rows(&IPV4_ROWS, "0.0.0.0:0");

    let a = Binding::new("127.0.0.1:8080".parse().unwrap());
    let b = Binding::new("127.0.0.1:8081".parse().unwrap());
    assert!(
        !conflicts(a, b),
        "127.0.0.1:8080 and 127.0.0.1:8081 are different ports: they never conflict"
    );

    with_settings!({
        description => "conflicts(a, b) for two sockets on the same port P (no SO_REUSEADDR), next to what the kernel answered. 0.0.0.0 claims every IPv4 address; two different addresses do not overlap.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn predicts_dual_stack_conflicts() {
    support::require_ipv6_loopback();
    let table = check_rows(&DUAL_STACK_ROWS, "[::]:0");
    with_settings!({
        description => "conflicts(a, b) with IPv6 sockets, next to what the kernel answered. [::] without IPV6_V6ONLY claims everything; with it, only IPv6; ::ffff:a.b.c.d is the IPv4 address a.b.c.d.",
    }, {
        assert_snapshot!(table);
    });
}

/// Binds each row for real, compares with `conflicts`, and returns the table.
/// `reserve` is the wildcard used to find a port free on every address.
fn check_rows(rows: &[(Side, Side)], reserve: &str) -> String {
    let mut table = format!(
        "{:<28} {:<26} {:<28} {:<26} {:<8} {}\n",
        "first socket",
        "claim_of(first)",
        "second socket",
        "claim_of(second)",
        "kernel",
        "conflicts()"
    );
    for &(first, second) in rows {
        let (port, kernel_refused) = bind_both(first, second, reserve);
        let a = binding(first, port);
        let b = binding(second, port);
        let predicted = conflicts(a, b);
        let kernel = if kernel_refused { "in use" } else { "ok" };
        table += &format!(
            "{:<28} {:<26} {:<28} {:<26} {:<8} {predicted}\n",
            show(first),
            format!("{:?}", claim_of(a)),
            show(second),
            format!("{:?}", claim_of(b)),
            kernel,
        );
        assert_eq!(
            predicted,
            kernel_refused,
            "with {} bound first, the kernel {} {} on the same port, but conflicts() says {predicted}. \
             claim_of(first) = {:?}, claim_of(second) = {:?}: compare them with the table in src/conflict.rs",
            show(first),
            if kernel_refused { "refused" } else { "allowed" },
            show(second),
            claim_of(a),
            claim_of(b),
        );
    }
    table
}

/// Binds the first socket, then tries the second on the same port. Returns
/// the port and whether the kernel refused the second (AddrInUse).
fn bind_both(first: Side, second: Side, reserve: &str) -> (u16, bool) {
    for _attempt in 0..10 {
        let port = free_port_everywhere(reserve);
        let Ok(_first) = support::bind_only(address(first, port), first.1) else {
            continue;
        };
        return match support::bind_only(address(second, port), second.1) {
            Ok(_) => (port, false),
            Err(error) if error.kind() == ErrorKind::AddrInUse => (port, true),
            Err(error) => panic!(
                "the test could not bind {} ({error}); this is not your code's fault",
                show(second)
            ),
        };
    }
    panic!(
        "the test found no free port to try {}; this is not your code's fault",
        show(first)
    );
}

/// A port free on every address a moment ago: the kernel's choice for a wildcard socket.
fn free_port_everywhere(reserve: &str) -> u16 {
    let wildcard: SocketAddr = reserve.parse().expect("the test's wildcard is valid");
    let socket = support::bind_only(wildcard, false)
        .unwrap_or_else(|error| panic!("the test could not bind {wildcard}: {error}"));
    socket
        .local_addr()
        .ok()
        .and_then(|address| address.as_socket())
        .map(|address| address.port())
        .expect("a bound socket has a port")
}

fn address(side: Side, port: u16) -> SocketAddr {
    let mut address: SocketAddr = side.0.parse().expect("the test's addresses are valid");
    address.set_port(port);
    address
}

fn binding(side: Side, port: u16) -> Binding {
    Binding {
        address: address(side, port),
        ipv6_only: side.1,
    }
}

/// The side as the table shows it: `127.0.0.1:P`, `[::]:P v6only`.
fn show(side: Side) -> String {
    let address = format!("{}:P", side.0.strip_suffix(":0").unwrap_or(side.0));
    match (side.0, side.1) {
        (_, true) => format!("{address} v6only"),
        ("[::]:0", false) => format!("{address} dual"),
        _ => address,
    }
}
