//! Free ports: finding one in a range, without a race.
//!
//! Port 0 lets the OS choose *any* free port. Sometimes that is not enough:
//! a firewall lets through only 8000–8099, or a team agreed that development
//! servers live there. Then a program must find a free port *in a range*.
//!
//! The tempting way is to ask first and bind later:
//!
//! ```text
//! is 8000 free?  → yes          (some other program binds 8000 right now)
//! bind 8000      → EADDRINUSE   (too late)
//! ```
//!
//! That is a *race* (a "time-of-check to time-of-use" bug): between the check
//! and the use, the answer may change. There is no reliable "is it free?"
//! question to ask anyway; the only true answer is the kernel's, when you
//! bind. So the right way is to **try to bind each port in turn, and keep
//! the first one that works**. The listener you return *holds* the port, so
//! nobody can take it any more. Return a port number instead, let the
//! listener drop, and you are back to the race.
//!
//! Only "in use" means "try the next one". Any other error, such as an
//! address this machine does not have, would be the same for every port of
//! the range: stop and report it.

use std::error::Error;
use std::fmt;
use std::net::{IpAddr, TcpListener};
use std::ops::RangeInclusive;

use crate::diagnosis::BindError;

/// Why no port of the range could be used.
#[derive(Debug)]
pub enum FreePortError {
    /// Every port of the range was in use (port 0 is never tried), or the range is empty.
    NoFreePort {
        /// The address the ports were tried on.
        ip: IpAddr,
        /// The range that was asked for.
        ports: RangeInclusive<u16>,
    },
    /// Binding failed for a reason other than "in use", the same for every port.
    Bind(BindError),
}

/// Says which range was full, or why binding failed.
impl fmt::Display for FreePortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FreePortError::NoFreePort { ports, .. } if ports.is_empty() => write!(
                f,
                "the range {}-{} is empty: write the lower port first",
                ports.start(),
                ports.end()
            ),
            FreePortError::NoFreePort { ip, ports } => write!(
                f,
                "no free port on {ip} from {} to {}: they are all in use (port 0 is never tried, it means \
                 \"any port\"). Try a wider range, or port 0 to let the OS choose.",
                ports.start(),
                ports.end()
            ),
            FreePortError::Bind(error) => write!(f, "{error}"),
        }
    }
}

impl Error for FreePortError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            FreePortError::NoFreePort { .. } => None,
            FreePortError::Bind(error) => Some(error),
        }
    }
}

/// Listens on the first port of `ports`, in increasing order, that can be
/// bound on `ip`, and returns the listener, which holds the port.
///
/// - A port that is in use (`io::ErrorKind::AddrInUse`) is skipped.
/// - Port 0 is skipped: it would give a port outside the range.
/// - Any other error stops the search: [`FreePortError::Bind`] with its
///   [diagnosis](crate::diagnosis::diagnose).
/// - When no port is left: [`FreePortError::NoFreePort`], holding `ip` and `ports`.
pub fn find_free_port(
    ip: IpAddr,
    ports: RangeInclusive<u16>,
) -> Result<TcpListener, FreePortError> {
    // TODO: the first port of `ports` that binds, as the doc comment says. Think about: the last
    // port of the range counts; port 0 inside the range; an empty range such as `8010..=8000`; an
    // error other than "in use" (an address this machine lacks) would be the same for every port,
    // so it stops the search with its diagnosis; return the listener, not a port number (the
    // module comment says why). Read chapter 2, "A free port in a range". Stuck?
    // `cargo xtask hint 02`.
    todo!()
}
