//! Graded tests for `src/outcome.rs`: reading a connection error's kind as an outcome.

use std::io::{self, ErrorKind};

use insta::{assert_snapshot, with_settings};
use lab03_loopback::outcome::{Outcome, classify};

/// Errors a connection attempt can end with, as the operating system reports them
/// (an errno) or as the standard library makes them.
fn errors() -> Vec<(&'static str, io::Error)> {
    let os = io::Error::from_raw_os_error;
    vec![
        ("ECONNREFUSED", os(libc::ECONNREFUSED)),
        ("ENETUNREACH", os(libc::ENETUNREACH)),
        ("EHOSTUNREACH", os(libc::EHOSTUNREACH)),
        ("ETIMEDOUT", os(libc::ETIMEDOUT)),
        (
            "connect_timeout's time limit",
            io::Error::new(ErrorKind::TimedOut, "connection timed out"),
        ),
        ("EADDRNOTAVAIL", os(libc::EADDRNOTAVAIL)),
        ("EACCES", os(libc::EACCES)),
        ("ECONNRESET", os(libc::ECONNRESET)),
        ("EADDRINUSE", os(libc::EADDRINUSE)),
        (
            "std's empty address list",
            io::Error::new(
                ErrorKind::InvalidInput,
                "could not resolve to any addresses",
            ),
        ),
    ]
}

#[test]
fn classifies_connect_errors() {
    let mut table = format!("{:<30} {:<20} {}\n", "error", "kind", "classify(error)");
    for (name, error) in errors() {
        let outcome = classify(&error);
        assert_ne!(
            outcome,
            Outcome::Connected,
            "classify({name}) returned Connected, but an error is never a connection: \
             a failed attempt is refused, unreachable, timed out, no address, or Other(kind)"
        );
        table += &format!(
            "{name:<30} {:<20} {outcome:?}\n",
            format!("{:?}", error.kind())
        );
    }
    with_settings!({
        description => "classify(error) decides by error.kind() alone: ConnectionRefused is Refused; NetworkUnreachable and HostUnreachable are Unreachable; TimedOut is TimedOut; AddrNotAvailable is NoAddress; any other kind is Other(kind).",
    }, {
        assert_snapshot!(table);
    });
}
