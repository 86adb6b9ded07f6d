//! Graded tests for `src/listen.rs`: a server that cannot listen, and who is in its way. The
//! port is held by another process, a `sleep` that inherited the listening socket.

mod support;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use insta::{assert_snapshot, with_settings};
use lab08_troubleshooting::holder::Holder;
use lab08_troubleshooting::listen::listen_or_explain;
use lab08_troubleshooting::verdict::Verdict;

use support::held::port_held_by_sleep;
use support::redact;

#[test]
fn names_the_process_holding_the_port() {
    let free = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
    match listen_or_explain(free) {
        Ok(listener) => assert!(
            listener.local_addr().is_ok_and(|bound| bound.port() != 0),
            "listen_or_explain(127.0.0.1:0) should return a listener on a real port"
        ),
        Err(verdict) => panic!(
            "listen_or_explain(127.0.0.1:0) should listen on any free port, but it said {verdict:?}"
        ),
    }

    let held = port_held_by_sleep();
    let address = held.address;
    let verdict = match listen_or_explain(address) {
        Ok(_) => panic!(
            "a `sleep` process (pid {}) listens on {address}, so listening there should fail \
             with EADDRINUSE, but listen_or_explain returned a listener",
            held.pid
        ),
        Err(verdict) => verdict,
    };
    match &verdict {
        Verdict::InUse {
            holder: Some(Holder::Process { pid, name }),
        } => {
            assert_eq!(
                (*pid, name.as_str()),
                (held.pid, "sleep"),
                "the port is held by pid {} (sleep)",
                held.pid
            );
        }
        Verdict::InUse { holder: None } => panic!(
            "the verdict is InUse, but without its holder: \"address in use\" is what the error \
             already said. Find who holds it with holder::who_holds(address): here pid {} (sleep)",
            held.pid
        ),
        other => panic!(
            "binding {address} failed with EADDRINUSE (io::ErrorKind::AddrInUse), so the verdict \
             should be Verdict::InUse {{ holder: who_holds(address) }}, not {other:?}"
        ),
    }

    let elsewhere = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7)), 0);
    let not_here = listen_or_explain(elsewhere).map(|_| ());
    assert_eq!(
        not_here,
        Err(Verdict::Other(std::io::ErrorKind::AddrNotAvailable)),
        "198.51.100.7 is not an address of this machine: listening there fails with \
         AddrNotAvailable, which is Verdict::Other(AddrNotAvailable)"
    );

    let report = format!(
        "listen_or_explain({address}) while `sleep` holds it:\nverdict: {verdict}\nadvice: {}\n",
        verdict.advice("127.0.0.1", address.port())
    );
    let report = redact(&report, address.port(), "[port]");
    let report = redact(&report, held.pid, "[pid]");
    with_settings!({
        description => "listen_or_explain on a port a `sleep` process holds: io::ErrorKind::AddrInUse becomes Verdict::InUse with the holder from holder::who_holds, so the advice can name the process.",
    }, {
        assert_snapshot!(report);
    });
}
