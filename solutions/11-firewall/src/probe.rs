//! Knocking on a port: what a connection attempt says about the firewall in between.
//!
//! A TCP connection starts with a SYN. What comes back, if anything, is the evidence:
//!
//! | the answer                          | `connect` returns                | the verdict  |
//! |-------------------------------------|----------------------------------|--------------|
//! | SYN-ACK                             | a connected socket               | open         |
//! | RST (nothing listens, or `reject with tcp reset`) | `ECONNREFUSED`     | refused      |
//! | nothing at all (`drop`)             | nothing, until you give up       | filtered     |
//! | ICMP administratively prohibited    | `EHOSTUNREACH` (IPv4), `EACCES` (IPv6) | prohibited |
//!
//! Lab 08 told these apart through the host's own routes; here the same answers come from a
//! firewall on the other machine. A probe also chooses its **source address**: a host with
//! two addresses can knock from each, and a rule per source lets one in and not the other.

use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
// BEGIN SOLUTION

use socket2::{Domain, Protocol, SockAddr, Socket, Type};
// END SOLUTION

/// What one connection attempt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The handshake completed: something listens, and the firewall let the SYN in.
    Open,
    /// A TCP reset came back: nothing listens there, or a firewall answered for it.
    Refused,
    /// No answer within the time allowed: the SYN (or its answer) was dropped.
    Filtered,
    /// An ICMP error came back: a firewall (or a router) says this is not allowed.
    Prohibited,
    /// The attempt failed in another way, e.g. the source address is not this host's.
    Other(io::ErrorKind),
}

/// `open`, `refused`, `filtered`, `prohibited`, or `other (kind)`.
impl fmt::Display for Reach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reach::Open => write!(f, "open"),
            Reach::Refused => write!(f, "refused"),
            Reach::Filtered => write!(f, "filtered"),
            Reach::Prohibited => write!(f, "prohibited"),
            Reach::Other(kind) => write!(f, "other ({kind})"),
        }
    }
}

/// The verdict a failed `connect` stands for, from its error: see the module's table.
/// A timeout (`TimedOut`, or `WouldBlock` from a socket that gave up) is filtered;
/// `HostUnreachable` and `PermissionDenied` are prohibited.
pub fn classify(error: &io::Error) -> Reach {
    // BEGIN SOLUTION
    match error.kind() {
        io::ErrorKind::ConnectionRefused => Reach::Refused,
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Reach::Filtered,
        io::ErrorKind::HostUnreachable | io::ErrorKind::PermissionDenied => Reach::Prohibited,
        kind => Reach::Other(kind),
    }
    // END SOLUTION
    // STUB: // TODO: map each error to the verdict it stands for, as the doc comment and the module's
    // STUB: // table say. Think about: which error kinds an ICMP error becomes on IPv4 and on IPv6, and
    // STUB: // the two ways "no answer in time" can show up. Read chapter 11, "Knocking on a port".
    // STUB: todo!()
}

/// Tries one TCP connection to `target`, from the source address `from` when it is given
/// (any of this host's addresses otherwise), giving up after `patience`, and says what it
/// found. A connection that opens is closed again at once.
pub fn probe(from: Option<IpAddr>, target: SocketAddr, patience: Duration) -> Reach {
    // BEGIN SOLUTION
    match connect_from(from, target, patience) {
        Ok(_connected) => Reach::Open,
        Err(error) => classify(&error),
    }
    // END SOLUTION
    // STUB: // TODO: one connection attempt, as the doc comment says. Think about: how to choose the
    // STUB: // source address before connecting (std's TcpStream cannot; the `socket2` crate can), a
    // STUB: // source of the other family than the target, and never waiting longer than `patience`.
    // STUB: // Read chapter 11, "Knocking on a port", and socket2's `Socket::bind` and
    // STUB: // `Socket::connect_timeout`.
    // STUB: todo!()
}

// BEGIN SOLUTION
/// A TCP socket bound to `from` (port 0: any free port) when it is given, connected to
/// `target` within `patience`.
fn connect_from(
    from: Option<IpAddr>,
    target: SocketAddr,
    patience: Duration,
) -> io::Result<Socket> {
    let socket = Socket::new(
        Domain::for_address(target),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    if let Some(from) = from {
        socket.bind(&SockAddr::from(SocketAddr::new(from, 0)))?;
    }
    socket.connect_timeout(&SockAddr::from(target), patience)?;
    Ok(socket)
}
// END SOLUTION
