//! "My server cannot start": `EADDRINUSE`, and who is in the way.
//!
//! The other side of a port conflict. Your server calls `bind` on
//! `127.0.0.1:62893` and gets
//!
//! ```text
//! Address already in use (os error 98)
//! ```
//!
//! which says *that* the port is taken, never *by whom*. Three culprits, in
//! order of likelihood:
//!
//! 1. **another program** listens there: an old copy of your own server still
//!    running in another terminal, or a different service that picked the
//!    same port. `ss -ltnp 'sport = :62893'` names it; so does this module.
//! 2. **a closed connection in TIME_WAIT**, kept by the kernel for 60 seconds
//!    after your previous server closed it first. Not a program: it goes
//!    away by itself, and `SO_REUSEADDR` (which Rust's `TcpListener::bind`
//!    sets) lets a new server bind anyway (lab 02).
//! 3. **a socket of another user**: only root can see which process holds it.
//!
//! A good diagnosis answers the next question before it is asked: not
//! "address in use", but "port 62893 is held by pid 1234 (python3)".

use std::io;
use std::net::{SocketAddr, TcpListener};

use crate::holder::who_holds;
use crate::verdict::Verdict;

/// Listens on `address`, or says why it cannot: the verdict
/// [`explain_bind_error`] gives for the error.
pub fn listen_or_explain(address: SocketAddr) -> Result<TcpListener, Verdict> {
    // BEGIN SOLUTION
    TcpListener::bind(address).map_err(|error| explain_bind_error(address, &error))
    // END SOLUTION
    // STUB: // TODO: `TcpListener::bind(address)`, its error turned into a verdict by `explain_bind_error`
    // STUB: //       (`map_err` with a closure that passes `address` and `&error`).
    // STUB: todo!()
}

/// The verdict for an error that binding `address` gave.
///
/// `io::ErrorKind::AddrInUse` is [`Verdict::InUse`] with the holder that
/// [`who_holds`] finds for `address` (so the advice can name the process);
/// any other kind is [`Verdict::Other`] with that kind (`PermissionDenied` for
/// a port below 1024, `AddrNotAvailable` for an address this machine lacks).
pub fn explain_bind_error(address: SocketAddr, error: &io::Error) -> Verdict {
    // BEGIN SOLUTION
    match error.kind() {
        io::ErrorKind::AddrInUse => Verdict::InUse {
            holder: who_holds(address),
        },
        kind => Verdict::Other(kind),
    }
    // END SOLUTION
    // STUB: // TODO: `match error.kind()`: `io::ErrorKind::AddrInUse` is `Verdict::InUse` whose holder is
    // STUB: //       `who_holds(address)` (src/holder.rs, given); `kind => Verdict::Other(kind)` for the rest.
    // STUB: todo!()
}
