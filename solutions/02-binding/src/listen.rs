//! Binding a listener: asking the OS for an address and a port.
//!
//! A TCP server starts with three system calls:
//!
//! 1. `socket()` makes a new, empty socket: a file descriptor with no address.
//! 2. `bind()` gives it a local address and port, say `127.0.0.1:8080`. From
//!    now on the port is *taken*: nobody else on this machine can bind it on an
//!    overlapping address (see [`conflict`](crate::conflict)).
//! 3. `listen()` tells the kernel to accept connections for it and queue them
//!    until the program calls `accept()`.
//!
//! [`TcpListener::bind`] does all three for you. Binding sends no packet: it
//! only reserves a slot in the kernel's table of sockets, which is why it can
//! fail only for local reasons (the port is taken, the address is not one of
//! this machine's, the port is privileged…).
//!
//! **Port 0 means "any port".** Bind port 0 and the kernel picks a free port
//! for you from its ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`,
//! 32768–60999 by default on Linux). The socket then has a *real* port, not 0,
//! and you ask it which one with [`TcpListener::local_addr`]. Test suites do
//! this all the time: a fixed port such as 8080 works on your machine until
//! something else uses 8080, or until two tests run at once; port 0 never
//! collides.
//!
//! ```text
//! bind 127.0.0.1:0   →   local_addr() = 127.0.0.1:41267
//! ```

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};

/// Listens for TCP connections on exactly `address`, such as `127.0.0.1:8080`.
///
/// The error is the one the OS gave, unchanged: `AddrInUse` when the port is
/// taken, `AddrNotAvailable` when the address is not one of this machine's,
/// `PermissionDenied` for a privileged port.
pub fn listen_on(address: SocketAddr) -> io::Result<TcpListener> {
    // BEGIN SOLUTION
    TcpListener::bind(address)
    // END SOLUTION
    // STUB: // TODO: listen on exactly `address`, as the doc comment says. Think about: the error must reach
    // STUB: // the caller unchanged (the diagnosis module reads its kind later), so no unwrap and no
    // STUB: // retry. Read chapter 2, "Binding: three system calls", and std's `TcpListener` docs.
    // STUB: // Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}

/// Listens on `ip`, on a port the OS picks: binds port 0.
///
/// `listen_on_any_port("127.0.0.1".parse()?)` may listen on `127.0.0.1:41267`;
/// ask [`port_of`] which port it got.
pub fn listen_on_any_port(ip: IpAddr) -> io::Result<TcpListener> {
    // BEGIN SOLUTION
    listen_on(SocketAddr::new(ip, 0))
    // END SOLUTION
    // STUB: // TODO: listen on `ip` on a port the OS chooses, as the doc comment says. Think about: which
    // STUB: // port number means "any port"; the function above already does the binding. Read chapter 2,
    // STUB: // "Port 0: 'any port, please'". Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}

/// The port `listener` is bound to: the real port, never 0, even when the
/// listener was bound to port 0.
pub fn port_of(listener: &TcpListener) -> io::Result<u16> {
    // BEGIN SOLUTION
    Ok(listener.local_addr()?.port())
    // END SOLUTION
    // STUB: // TODO: the port the listener really has, as the doc comment says. Think about: a listener
    // STUB: // bound to port 0 (the answer is the kernel's choice, never 0); asking can fail, and that
    // STUB: // error goes to the caller. Read this module's comment on port 0. Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}
