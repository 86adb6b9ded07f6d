//! Graded test on two machines of the test's own (Linux network namespaces joined by a cable,
//! see `support/namespace.rs`): every way a connection can fail, made for real with `ip route`
//! rules instead of a firewall, and told apart by the probe. Needs root and iproute2; elsewhere
//! it reports `not run` with the reason.

mod support;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use lab08_troubleshooting::probe::probe;
use lab08_troubleshooting::verdict::Verdict;
use tokio::time::timeout;

use support::namespace::{FAR, cable_or_skip};
use support::{WAIT, redact, time_class};

/// The time limit of each probe.
const LIMIT: Duration = Duration::from_millis(400);

fn ip(text: &str) -> IpAddr {
    text.parse().expect("the test's addresses are valid")
}

#[test]
fn tells_silence_from_every_kind_of_error() {
    let cable = cable_or_skip();
    let far_ip = IpAddr::V4(FAR);
    let (server, closed) = cable.far.run(|| {
        let server = TcpListener::bind((far_ip, 0));
        let closed = TcpListener::bind((far_ip, 0)).map(|listener| listener.local_addr());
        (server, closed)
    });
    let server =
        server.unwrap_or_else(|error| panic!("not run: the far machine cannot listen ({error})"));
    let open_port = server
        .local_addr()
        .expect("a bound listener has an address")
        .port();
    let closed_port = match closed {
        Ok(Ok(address)) => address.port(),
        _ => panic!("not run: the far machine cannot listen"),
    };

    // The near machine's own rules: each makes the kernel refuse to send, in its own way.
    cable
        .near
        .must(&["route", "add", "unreachable", "203.0.113.1/32"]);
    cable
        .near
        .must(&["route", "add", "prohibit", "203.0.113.2/32"]);
    cable
        .near
        .must(&["route", "add", "blackhole", "203.0.113.3/32"]);

    let cases = [
        ("a server listens there", SocketAddr::new(far_ip, open_port)),
        (
            "the far machine, nothing listens: it answers RST",
            SocketAddr::new(far_ip, closed_port),
        ),
        (
            "on the cable, but nobody has that address: ARP gets no answer",
            SocketAddr::new(ip("198.51.100.9"), open_port),
        ),
        (
            "no route at all: the near machine has no default route",
            SocketAddr::new(ip("192.0.2.1"), open_port),
        ),
        (
            "ip route add unreachable 203.0.113.1/32",
            SocketAddr::new(ip("203.0.113.1"), open_port),
        ),
        (
            "ip route add prohibit 203.0.113.2/32",
            SocketAddr::new(ip("203.0.113.2"), open_port),
        ),
        (
            "ip route add blackhole 203.0.113.3/32",
            SocketAddr::new(ip("203.0.113.3"), open_port),
        ),
    ];
    let mut rows = Vec::new();
    for (what, target) in cases {
        rows.push((what, target, probe_from_near(&cable.near, target)));
    }
    // Now the far machine throws its answers away, like a firewall that drops: the same
    // closed port, which answered RST a moment ago, falls silent.
    cable
        .far
        .must(&["route", "add", "blackhole", "198.51.100.1/32"]);
    let target = SocketAddr::new(far_ip, closed_port);
    rows.push((
        "the same closed port, once the far machine drops its answers (a blackhole route back)",
        target,
        probe_from_near(&cable.near, target),
    ));

    let verdict_of = |index: usize| &rows[index].2.0;
    let explain = |index: usize, expected: &str| {
        format!(
            "probing {} ({}) from the near machine gave {:?} after {:?}, expected {expected}",
            rows[index].1, rows[index].0, rows[index].2.0, rows[index].2.1
        )
    };
    assert_eq!(*verdict_of(0), Verdict::Open, "{}", explain(0, "Open"));
    assert_eq!(
        *verdict_of(1),
        Verdict::Refused,
        "{}",
        explain(1, "Refused: a reset came back")
    );
    assert_eq!(
        *verdict_of(2),
        Verdict::Filtered,
        "{}",
        explain(
            2,
            "Filtered: nothing ever came back, and the probe gave up at its time limit"
        )
    );
    assert_eq!(
        *verdict_of(7),
        Verdict::Filtered,
        "{}",
        explain(
            7,
            "Filtered: the SYN arrives, but the answer is dropped on the way back"
        )
    );

    let mut table = format!(
        "from the near machine, with a {} ms time limit:\n",
        LIMIT.as_millis()
    );
    for (what, target, (verdict, elapsed)) in &rows {
        let shown = redact(
            &redact(&target.to_string(), open_port, "OPEN"),
            closed_port,
            "CLOSED",
        );
        table += &format!(
            "{shown:<20} {:<22} {:<21} {what}\n",
            verdict.to_string(),
            time_class(*elapsed, LIMIT)
        );
    }
    drop(server);
    with_settings!({
        description => "probe(target, 400 ms) from the near machine. Open and refused answer at once; unreachable (ENETUNREACH, EHOSTUNREACH), prohibited (EACCES) and the blackhole's EINVAL come from the near machine's own routes, at once, before anything is sent; silence (nobody has the address, or the answers are dropped) is filtered, after the whole time limit.",
    }, {
        assert_snapshot!(table);
    });
}

/// Probes `target` from inside `near`, and how long it took.
fn probe_from_near(
    near: &support::namespace::Namespace,
    target: SocketAddr,
) -> (Verdict, Duration) {
    let result = near.block_on(|| async move { timeout(WAIT, probe(target, LIMIT)).await });
    match result {
        Ok(probe) => (probe.verdict, probe.elapsed),
        Err(_) => panic!(
            "probe({target}, {} ms) was still running after {} s: it must give up after its \
             time limit (tokio::time::timeout)",
            LIMIT.as_millis(),
            WAIT.as_secs()
        ),
    }
}
