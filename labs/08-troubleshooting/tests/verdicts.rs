//! Graded tests for `src/verdict.rs`: reading the error of a failed `connect`. No network here:
//! the errors are made from the same error numbers the kernel gives.

mod support;

use std::io;

use insta::{assert_snapshot, with_settings};
use lab08_troubleshooting::verdict::{Verdict, classify};

/// The errno values a `connect` can end with, and where each comes from.
const ERRORS: [(&str, i32, &str); 10] = [
    (
        "ECONNREFUSED",
        libc::ECONNREFUSED,
        "a reset (RST) came back: nothing listens",
    ),
    (
        "ETIMEDOUT",
        libc::ETIMEDOUT,
        "the kernel resent its SYN and gave up: silence",
    ),
    (
        "ENETUNREACH",
        libc::ENETUNREACH,
        "no route covers the address",
    ),
    (
        "EHOSTUNREACH",
        libc::EHOSTUNREACH,
        "an `unreachable` route, or nobody answered ARP",
    ),
    ("EACCES", libc::EACCES, "a `prohibit` route"),
    ("EPERM", libc::EPERM, "a firewall rule that rejects"),
    ("EINVAL", libc::EINVAL, "a `blackhole` route"),
    (
        "EADDRNOTAVAIL",
        libc::EADDRNOTAVAIL,
        "no local address to send from",
    ),
    (
        "ECONNRESET",
        libc::ECONNRESET,
        "a reset in the middle of the handshake",
    ),
    ("ENETDOWN", libc::ENETDOWN, "the interface is down"),
];

#[test]
fn classifies_connect_errors() {
    let verdict_of = |errno: i32| classify(&io::Error::from_raw_os_error(errno));

    assert_eq!(
        verdict_of(libc::ETIMEDOUT),
        Verdict::Filtered,
        "ETIMEDOUT (io::ErrorKind::TimedOut) means no answer ever came: that is silence, \
         Verdict::Filtered. Refused is for a reset that came back (ConnectionRefused)."
    );
    assert_eq!(
        verdict_of(libc::ECONNREFUSED),
        Verdict::Refused,
        "ECONNREFUSED (io::ErrorKind::ConnectionRefused) is the reset of a host where nothing \
         listens: Verdict::Refused"
    );
    for (name, errno, _) in ERRORS {
        assert_ne!(
            verdict_of(errno),
            Verdict::Open,
            "classify gave Open for {name}: an error never means the connection was made"
        );
    }

    let mut table = format!(
        "{:<14} {:<20} {:<26} where it comes from\n",
        "errno", "io::ErrorKind", "verdict"
    );
    for (name, errno, origin) in ERRORS {
        let error = io::Error::from_raw_os_error(errno);
        let kind = format!("{:?}", error.kind());
        let verdict = classify(&error).to_string();
        table += &format!("{name:<14} {kind:<20} {verdict:<26} {origin}\n");
    }
    with_settings!({
        description => "classify(error) for each error a connect can end with, built from the kernel's error number (io::Error::from_raw_os_error). Decide with error.kind(): ConnectionRefused is refused, TimedOut is filtered, NetworkUnreachable and HostUnreachable are unreachable, PermissionDenied is prohibited, any other kind is Other(kind).",
    }, {
        assert_snapshot!(table);
    });
}
