//! Outcomes: how a connection attempt ends, and what that says about the network.
//!
//! A TCP connection starts with a *three-way handshake*: the client sends a
//! SYN ("may I connect?"), the server answers SYN-ACK ("yes"), the client
//! sends ACK. `connect()` returns once the client has the SYN-ACK. When it
//! fails, the operating system says why with an error number (`errno`), which
//! Rust turns into an [`io::Error`] with an [`io::ErrorKind`]. Each failure
//! tells a different story about where your packet went:
//!
//! | outcome       | `io::ErrorKind`                            | errno, message                                   | what happened |
//! |---------------|--------------------------------------------|--------------------------------------------------|---------------|
//! | connected     | (no error)                                 |                                                  | a program listens on that address and port and accepted the handshake |
//! | refused       | `ConnectionRefused`                        | `ECONNREFUSED` "Connection refused"              | the packet reached a host, but nothing listens there: its TCP answered with a reset (RST) |
//! | unreachable   | `NetworkUnreachable`, `HostUnreachable`    | `ENETUNREACH` "Network is unreachable", `EHOSTUNREACH` "No route to host" | no way to get there: no route, or nobody on the link answered for that address |
//! | timed out     | `TimedOut`                                 | `ETIMEDOUT` "Connection timed out"               | nothing came back before the time limit: the packets were dropped on the way, or sent to an address no machine answers for |
//! | no address    | `AddrNotAvailable`                         | `EADDRNOTAVAIL` "Cannot assign requested address" | this host has no address to send from for that kind of destination, e.g. `::1` on a machine with IPv6 turned off |
//!
//! **Refused is good news** when you debug: the host is there and answered,
//! only the port (or the exact address the server listens on) is wrong.
//! **Timed out** is the opposite: something swallowed your packets, and you
//! learn nothing more by waiting.
//!
//! Match on [`io::Error::kind`], not on the message or the raw number: the
//! messages and numbers differ between Linux, macOS and Windows, the kinds do
//! not.

use std::fmt;
use std::io;

/// How one connection attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The handshake completed: a program listening on that address and port accepted it.
    Connected,
    /// A host answered with a reset: nothing listens on that address and port
    /// (`ConnectionRefused`).
    Refused,
    /// No route to the address, or nobody on the link answered for it
    /// (`NetworkUnreachable` or `HostUnreachable`).
    Unreachable,
    /// No answer before the time limit (`TimedOut`).
    TimedOut,
    /// No address to try: an empty list of addresses, or none this host can
    /// send from for that destination (`AddrNotAvailable`).
    NoAddress,
    /// Any other error, by its kind: for example `PermissionDenied` when a
    /// local firewall rule forbids the connection.
    Other(io::ErrorKind),
}

impl Outcome {
    /// Whether a server was reached: only [`Outcome::Connected`].
    pub fn is_connected(self) -> bool {
        // TODO: whether this outcome is a connection, as the doc comment says. Stuck?
        //       `cargo xtask hint 03`.
        todo!()
    }

    /// One sentence on what the outcome means for a beginner.
    pub fn explain(self) -> String {
        match self {
            Outcome::Connected => {
                "a program listens on that address and port, and accepted the connection".into()
            }
            Outcome::Refused => {
                "a host answered, but nothing listens on that address and port there".into()
            }
            Outcome::Unreachable => {
                "there is no route to that address, or nobody on the link answers for it".into()
            }
            Outcome::TimedOut => {
                "nothing answered in time; the packets were dropped, or nobody has that address"
                    .into()
            }
            Outcome::NoAddress => {
                "there was no address to try, or none this host can send from for it".into()
            }
            Outcome::Other(kind) => format!("an unexpected error ({kind:?})"),
        }
    }
}

/// A few words for tables: `connected`, `refused`, `unreachable`,
/// `timed out`, `no address`, or `error: <kind>` with the kind as `{:?}`
/// writes it (`error: PermissionDenied`).
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: the words the doc comment lists, one per outcome, exactly as written there (the
        //       tests and the program print them). Think about: the only outcome that carries a
        //       value, and which of its forms the doc comment asks for. Read std's `fmt::Display`
        //       docs. Stuck? `cargo xtask hint 03`.
        todo!()
    }
}

/// The outcome that a failed connection attempt's error stands for.
///
/// Decided by `error.kind()` alone, following the table in this module's
/// documentation; any kind not in the table is [`Outcome::Other`] with that
/// kind. An error is never [`Outcome::Connected`].
pub fn classify(error: &io::Error) -> Outcome {
    // TODO: the outcome this error stands for, as the doc comment says, following the table at
    //       the top of this module. Think about: the row with two kinds; `connect_timeout`'s own
    //       time-limit error; an error outside the table (`PermissionDenied`, `ConnectionReset`,
    //       `InvalidInput`), which keeps its kind; why the message and the raw number are no
    //       help. Read chapter 3, "How a connection attempt ends". Stuck? `cargo xtask hint 03`.
    todo!()
}
