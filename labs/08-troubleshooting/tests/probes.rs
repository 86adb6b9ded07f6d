//! Graded tests for `src/probe.rs`: one real connection attempt on 127.0.0.1, and how long it
//! took. Open (a server listens), refused (nothing listens) and filtered (a listener whose
//! accept queue is full, so Linux drops the SYN: silence, as behind a firewall).

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use lab08_troubleshooting::probe::{Probe, probe};
use lab08_troubleshooting::verdict::Verdict;
use tokio::time::timeout;

use support::silent::silent_listener;
use support::{WAIT, local_server, redact, refused_address, time_class};

/// Probes `target`, failing the test with an explanation if the probe itself hangs.
async fn probe_within_wait(target: SocketAddr, limit: Duration) -> Probe {
    match timeout(WAIT, probe(target, limit)).await {
        Ok(probe) => probe,
        Err(_) => panic!(
            "probe({target}, {} ms) was still running after {} s: it must give up after the time \
             limit it is given. TcpStream::connect has no limit of its own (the kernel's is about \
             two minutes): wrap it in tokio::time::timeout(limit, …)",
            limit.as_millis(),
            WAIT.as_secs()
        ),
    }
}

/// What a probe of `target` returned, without what changes from run to run: the port and the
/// exact time.
fn describe_probe(what: &str, target: SocketAddr, limit: Duration, result: &Probe) -> String {
    let probed = redact(&target.to_string(), target.port(), "[port]");
    let returned_target = if result.target == target {
        "the address probed".to_string()
    } else {
        result.target.to_string()
    };
    format!(
        "probe({probed}, {} ms), where {what}\n  verdict   {}\n  target    {returned_target}\n  \
         elapsed   {}\n",
        limit.as_millis(),
        result.verdict,
        time_class(result.elapsed, limit)
    )
}

#[tokio::test]
async fn open_when_a_server_listens() {
    let server = local_server().await;
    let address = server
        .local_addr()
        .expect("a bound listener has an address");
    let result = probe_within_wait(address, WAIT).await;
    assert_eq!(
        result.verdict,
        Verdict::Open,
        "a server listens on {address}, so probe({address}) should be Open"
    );
    assert_eq!(
        result.target, address,
        "the Probe's target should be the address it connected to"
    );
    assert!(
        result.elapsed < WAIT,
        "the probe took {:?} but says elapsed = {:?}: measure with Instant::now() before the \
         attempt and .elapsed() after it",
        WAIT,
        result.elapsed
    );
    let report = describe_probe("a server listens", address, WAIT, &result);
    with_settings!({
        description => "probe(target, limit) where a server listens: the connection is made at once, Verdict::Open, and the Probe keeps the target it was given. The port is redacted, and the time shown only as at once or after the time limit.",
    }, {
        assert_snapshot!(report);
    });
}

#[tokio::test]
async fn refused_at_once_where_nothing_listens() {
    let address = refused_address();
    let limit = Duration::from_secs(3);
    let result = probe_within_wait(address, limit).await;
    assert_eq!(
        result.verdict,
        Verdict::Refused,
        "nothing listens on {address}: the kernel answers the SYN with a reset, connect fails \
         with ConnectionRefused, and the verdict is Refused"
    );
    assert!(
        result.elapsed < limit / 2,
        "a refusal comes back at once, but the probe reported {:?} with a {:?} limit: did it \
         wait for the time limit although an answer had come?",
        result.elapsed,
        limit
    );
    let report = describe_probe("nothing listens", address, limit, &result);
    with_settings!({
        description => "probe(target, limit) where nothing listens: the reset comes back at once, ConnectionRefused, Verdict::Refused, well before the time limit. The port is redacted, and the time shown only as at once or after the time limit.",
    }, {
        assert_snapshot!(report);
    });
}

#[tokio::test]
async fn filtered_when_the_answer_never_comes() {
    let silent = silent_listener();
    let limit = Duration::from_millis(400);
    let result = probe_within_wait(silent.address, limit).await;
    assert_ne!(
        result.verdict,
        Verdict::Refused,
        "nothing came back from {} (its listener's accept queue is full, so Linux drops the \
         SYN): a timeout is silence, Verdict::Filtered. Refused means a reset came back.",
        silent.address
    );
    assert_eq!(
        result.verdict,
        Verdict::Filtered,
        "nothing came back from {} before the time limit: the probe should say Filtered (the \
         Err(Elapsed) of tokio::time::timeout)",
        silent.address
    );
    assert!(
        result.elapsed >= limit.mul_f64(0.9),
        "the probe gave up after {:?}, before its time limit of {:?}",
        result.elapsed,
        limit
    );

    let server = local_server().await;
    let open = server
        .local_addr()
        .expect("a bound listener has an address");
    let cases = [
        ("a server listens", open),
        ("nothing listens", refused_address()),
        ("its accept queue is full", silent.address),
    ];
    let mut table = format!("with a {} ms time limit:\n", limit.as_millis());
    for (what, target) in cases {
        let result = probe_within_wait(target, limit).await;
        table += &format!(
            "{what:<26} {:<10} {}\n",
            result.verdict.to_string(),
            time_class(result.elapsed, limit)
        );
    }
    with_settings!({
        description => "probe(target, 400 ms) on 127.0.0.1: an answer (SYN-ACK or RST) comes at once; silence lasts the whole time limit and is Filtered.",
    }, {
        assert_snapshot!(table);
    });
}
