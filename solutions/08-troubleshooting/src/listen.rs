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
    // STUB: // TODO: a listener, or the verdict for why there is none, as the doc comment says. Think
    // STUB: // about: port 0 (the OS picks a free port: that must succeed); a port another process
    // STUB: // holds; an address this machine does not have. Read the std docs of `TcpListener::bind`.
    // STUB: // Stuck? `cargo xtask hint 08`.
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
    // STUB: // TODO: the verdict of the doc comment. Think about: "address in use" alone is what the
    // STUB: // error already said; the test wants the process that holds the port (src/holder.rs,
    // STUB: // given, finds it); every other kind keeps its kind. Read the section of chapter 8 whose
    // STUB: // title starts with "Address already in use". Stuck? `cargo xtask hint 08`.
    // STUB: todo!()
}
