//! Diagnosis: turning a bind error into something a person can act on.
//!
//! When `bind()` fails, the kernel answers with one number, an `errno`, and
//! the standard library turns it into an [`io::Error`] whose
//! [`kind`](io::Error::kind) names it. Three of them cover nearly every bind
//! failure you will meet:
//!
//! | errno           | number | `io::ErrorKind`    | what it means for `bind()`                          |
//! |-----------------|--------|--------------------|-----------------------------------------------------|
//! | `EADDRINUSE`    | 98     | `AddrInUse`        | another socket already has this port on this address |
//! | `EACCES`        | 13     | `PermissionDenied` | the port is privileged (below 1024) and you are not  |
//! | `EADDRNOTAVAIL` | 99     | `AddrNotAvailable` | the address is not one of this machine's addresses   |
//!
//! (The numbers are Linux's; `man 2 bind` lists them all.)
//!
//! Printed as it is, the error says `Address already in use (os error 98)`,
//! and a beginner is stuck: in use by *what*? A good error message answers
//! the next question before it is asked. For `EADDRINUSE` that is *who*: the
//! [`owner`](crate::owner) module can find the process, so [`diagnose`] asks
//! it and the message can say "process 4242 (python3) is listening on it".
//! For `EACCES`, it is *why* (privileged ports) and *what to do* (use a port
//! from 1024, or the `CAP_NET_BIND_SERVICE` capability, rather than root).
//! For `EADDRNOTAVAIL`, it is *which addresses* this machine does have.
//!
//! [`BindError`] holds the diagnosis as plain data, which tests can check;
//! its `Display`, given to you, writes the message.

use std::error::Error;
use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};

// BEGIN SOLUTION
use crate::listen::listen_on;
use crate::owner::{Holder, who_holds};
// END SOLUTION
// STUB: use crate::owner::Holder;
use crate::socket_table::TcpState;

/// Why binding an address failed, with what it takes to explain it.
#[derive(Debug)]
pub enum BindError {
    /// `EADDRINUSE`: another socket already takes this port on an overlapping address.
    AddressInUse {
        /// The address and port that could not be bound.
        address: SocketAddr,
        /// Who holds it, when that can be found
        /// (see [`owner::who_holds`](crate::owner::who_holds)).
        holder: Option<Holder>,
    },
    /// `EACCES`: not allowed to bind this port (below 1024 it is privileged).
    PermissionDenied {
        /// The address and port that could not be bound.
        address: SocketAddr,
    },
    /// `EADDRNOTAVAIL`: the address is not one of this machine's.
    AddressNotAvailable {
        /// The address and port that could not be bound.
        address: SocketAddr,
    },
    /// Any other error, kept as the OS gave it.
    Other {
        /// The address and port that could not be bound.
        address: SocketAddr,
        /// The error from the OS.
        error: io::Error,
    },
}

impl BindError {
    /// The address and port that could not be bound.
    pub fn address(&self) -> SocketAddr {
        // BEGIN SOLUTION
        match self {
            BindError::AddressInUse { address, .. }
            | BindError::PermissionDenied { address }
            | BindError::AddressNotAvailable { address }
            | BindError::Other { address, .. } => *address,
        }
        // END SOLUTION
        // STUB: // TODO: the address that every variant holds. Think about: all four variants have the
        // STUB: // field, and two have more fields beside it; the `Display` below and the tests rely on
        // STUB: // this one.
        // STUB: // Read the Rust book's "Pattern Syntax", on multiple patterns in one arm.
        // STUB: // Stuck? `cargo xtask hint 02`.
        // STUB: todo!()
    }
}

/// Turns the error that binding `address` gave into a diagnosis:
///
/// - `io::ErrorKind::AddrInUse`: [`BindError::AddressInUse`], with the holder
///   that [`owner::who_holds`](crate::owner::who_holds) finds for `address`;
/// - `io::ErrorKind::PermissionDenied`: [`BindError::PermissionDenied`];
/// - `io::ErrorKind::AddrNotAvailable`: [`BindError::AddressNotAvailable`];
/// - any other kind: [`BindError::Other`], holding `error`.
pub fn diagnose(address: SocketAddr, error: io::Error) -> BindError {
    // BEGIN SOLUTION
    match error.kind() {
        io::ErrorKind::AddrInUse => BindError::AddressInUse {
            address,
            holder: who_holds(address),
        },
        io::ErrorKind::PermissionDenied => BindError::PermissionDenied { address },
        io::ErrorKind::AddrNotAvailable => BindError::AddressNotAvailable { address },
        _ => BindError::Other { address, error },
    }
    // END SOLUTION
    // STUB: // TODO: turn the error into a diagnosis, as the doc comment says. Think about: decide by the
    // STUB: // error's kind, never by its message or number; only "in use" needs to know who holds the
    // STUB: // address, and the owner module finds that; an error you do not know is kept, not dropped.
    // STUB: // Read this module's table and chapter 2, "Three errors, three diagnoses". Stuck?
    // STUB: // `cargo xtask hint 02`.
    // STUB: todo!()
}

/// Listens on `address` like [`listen::listen_on`](crate::listen::listen_on), and
/// [diagnoses](diagnose) the error when it fails.
pub fn listen_or_explain(address: SocketAddr) -> Result<TcpListener, BindError> {
    // BEGIN SOLUTION
    listen_on(address).map_err(|error| diagnose(address, error))
    // END SOLUTION
    // STUB: // TODO: listen and explain a failure, as the doc comment says. Think about: a success is
    // STUB: // returned as it is; only the error changes. Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}

/// A message for a beginner: what failed, why, and what to try.
impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let address = self.address();
        let port = address.port();
        write!(f, "cannot listen on {address}: ")?;
        match self {
            BindError::AddressInUse { holder, .. } => {
                write!(f, "the address is already in use (EADDRINUSE). ")?;
                write_holder(f, holder.as_ref(), port)
            }
            BindError::PermissionDenied { .. } if port < 1024 => write!(
                f,
                "permission denied (EACCES). Port {port} is below 1024, a privileged port: on Linux only root, \
                 or a program with the CAP_NET_BIND_SERVICE capability, may bind it (the first unprivileged port \
                 is the sysctl net.ipv4.ip_unprivileged_port_start, 1024 by default). Use a port from 1024 up, \
                 such as 8080, rather than running the program as root."
            ),
            BindError::PermissionDenied { .. } => write!(
                f,
                "permission denied (EACCES), although port {port} is not below 1024. Either \
                 net.ipv4.ip_unprivileged_port_start was raised above {port} (check it with \
                 `sysctl net.ipv4.ip_unprivileged_port_start`), or a security policy such as SELinux or \
                 AppArmor refused it: look in the system's logs."
            ),
            BindError::AddressNotAvailable { .. } => write!(
                f,
                "the address is not available (EADDRNOTAVAIL): {} is not an address of this machine, so no \
                 packet sent to it would ever arrive here. Listen on one of this machine's addresses (`ip addr` \
                 lists them), on {} for this machine only, or on {} for all of its addresses.",
                address.ip(),
                loopback_like(address.ip()),
                wildcard_like(address.ip()),
            ),
            BindError::Other { error, .. } => write!(f, "{error}"),
        }
    }
}

/// The second half of the "in use" message: who holds the port, and what to do.
fn write_holder(f: &mut fmt::Formatter<'_>, holder: Option<&Holder>, port: u16) -> fmt::Result {
    if port == 0 {
        return write!(
            f,
            "You asked for any free port, and there is none left: every port of the ephemeral range \
             (/proc/sys/net/ipv4/ip_local_port_range) is taken on this address. Close some connections, \
             or widen the range."
        );
    }
    match holder {
        Some(Holder::Process { process, state }) => {
            let pid = process.pid;
            let name = &process.name;
            if *state == TcpState::Listen {
                write!(f, "Process {pid} ({name}) is listening on it. ")?;
            } else {
                write!(f, "Process {pid} ({name}) has a socket there ({state}). ")?;
            }
            write!(
                f,
                "Stop that program (`kill {pid}`) or pick another port; to let the OS choose a free one, \
                 use port 0."
            )
        }
        Some(Holder::Hidden { inode, state }) => write!(
            f,
            "A socket holds it ({state}, inode {inode}) but its process is not visible: it belongs to another \
             user. `sudo ss -tanp 'sport = :{port}'` shows which program it is. Or pick another port; to let \
             the OS choose a free one, use port 0."
        ),
        Some(Holder::ClosedConnection {
            state: TcpState::TimeWait,
        }) => write!(
            f,
            "No process holds it: a connection on this address and port was closed a moment ago, and the \
             kernel keeps it in TIME_WAIT (60 seconds on Linux) so that late packets of the old connection \
             cannot be mistaken for a new one. Wait a minute, or set SO_REUSEADDR on the socket before \
             binding (std's TcpListener::bind does)."
        ),
        Some(Holder::ClosedConnection { state }) => write!(
            f,
            "No process holds it: a connection on this address and port was closed and the kernel is \
             finishing it ({state}). Wait a minute and try again, or set SO_REUSEADDR on the socket before \
             binding."
        ),
        None => write!(
            f,
            "No socket on port {port} shows in /proc/net/tcp or /proc/net/tcp6 now: it may have been freed \
             since, or be held by a socket that is bound but neither listening nor connected (those files \
             do not show such sockets). Try again; `ss -tanp 'sport = :{port}'` shows who uses the port."
        ),
    }
}

/// The loopback address of `ip`'s family: 127.0.0.1 or ::1.
fn loopback_like(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
    }
}

/// The wildcard address of `ip`'s family: 0.0.0.0 or ::.
fn wildcard_like(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    }
}

impl Error for BindError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            BindError::Other { error, .. } => Some(error),
            _ => None,
        }
    }
}
