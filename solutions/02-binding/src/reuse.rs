//! `SO_REUSEADDR` and TIME_WAIT: why a restarted server may fail to bind.
//!
//! Stop a server, start it again at once, and it may fail with "Address
//! already in use", although *no program* uses the port any more. The
//! culprit is a connection that is already over.
//!
//! **TIME_WAIT.** A TCP connection ends with both sides sending a FIN. The
//! side that closes *first* (RFC 9293 calls it the "active close") does not
//! forget the connection when the last packet is exchanged: it keeps it in
//! the TIME-WAIT state for twice the maximum segment lifetime, "2 MSL"
//! (RFC 9293, section 3.6; Linux waits a fixed 60 seconds). Two reasons:
//!
//! 1. if its last ACK is lost, the other side sends its FIN again, and the
//!    connection must still be there to answer it;
//! 2. a late packet of the old connection, still wandering in the network,
//!    must not be taken as part of a *new* connection between the same two
//!    addresses and ports.
//!
//! A server that closes its connections first (many do: an HTTP server
//! closing after the response) leaves them in TIME_WAIT, and each one still
//! holds the server's address and port. No process holds them: in
//! `/proc/net/tcp` their inode is 0. The kernel does.
//!
//! ```text
//! $ ss -tan 'sport = :8080'
//! State      Recv-Q Send-Q  Local Address:Port  Peer Address:Port
//! TIME-WAIT  0      0           127.0.0.1:8080     127.0.0.1:51644
//! ```
//!
//! **`SO_REUSEADDR`.** By default, a TIME_WAIT connection on a port keeps any
//! new socket from binding it, for 60 seconds. With the socket option
//! `SO_REUSEADDR` set *before* `bind()`, Linux lets the new socket bind the
//! port anyway, as long as no socket is *listening* on it (a listener is never
//! shared this way). It only works if the old socket had the option too, and
//! the TIME_WAIT connection keeps the option of the socket it came from.
//!
//! The standard library's [`TcpListener::bind`] sets `SO_REUSEADDR` for you
//! on Unix, so a Rust server restarts without trouble. To see the difference,
//! you need to make the socket yourself, which is what the
//! [socket2](https://docs.rs/socket2) crate is for: it exposes each step
//! (`socket`, `setsockopt`, `bind`, `listen`) that `TcpListener::bind` does
//! in one go.

use std::io;
use std::net::{SocketAddr, TcpListener};

// BEGIN SOLUTION
use socket2::{Domain, Protocol, Socket, Type};

// END SOLUTION
/// How many connections the kernel queues for the listener before `accept()`
/// takes them. The same as the standard library's.
pub const BACKLOG: i32 = 128;

/// Listens on `address` (IPv4 or IPv6), with `SO_REUSEADDR` on or off as
/// `reuse_address` says, and a queue of [`BACKLOG`] connections.
///
/// The option counts only if the socket has it when it binds: that is when the
/// kernel checks it. Any step that fails returns its error.
pub fn listen_with_reuse_address(
    address: SocketAddr,
    reuse_address: bool,
) -> io::Result<TcpListener> {
    // BEGIN SOLUTION
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    socket.set_reuse_address(reuse_address)?;
    socket.bind(&address.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
    // END SOLUTION
    // STUB: // TODO: build the listener yourself, with socket2, as the doc comment says. Think about:
    // STUB: // `reuse_address` false must really leave the option off, which std's `TcpListener::bind`
    // STUB: // cannot do (it always turns it on); the kernel reads the option when the socket binds, so
    // STUB: // when you set it matters; every step can fail, and its error goes to the caller; an IPv6
    // STUB: // `address` needs an IPv6 socket. Read this module's comment, chapter 2, "TIME_WAIT and
    // STUB: // `SO_REUSEADDR`", and socket2's `Socket` docs. Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}
