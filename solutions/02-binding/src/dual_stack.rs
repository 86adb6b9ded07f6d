//! Dual-stack: one IPv6 socket that IPv4 clients can reach too.
//!
//! A server that wants both IPv4 and IPv6 clients could open two sockets,
//! one on `0.0.0.0` and one on `::`. The sockets API offers a shortcut
//! (RFC 3493, section 3.7): an IPv6 socket may receive IPv4 connections as
//! well. The kernel shows such a client with an **IPv4-mapped IPv6 address**,
//! `::ffff:` followed by the IPv4 address (RFC 4291, section 2.5.5.2):
//!
//! ```text
//! server bound to [::]:8080, IPV6_V6ONLY off
//!   IPv6 client from ::1         →  accept() says [::1]:51644
//!   IPv4 client from 127.0.0.1   →  accept() says [::ffff:127.0.0.1]:51646
//! ```
//!
//! Whether an IPv6 socket does that is the socket option **`IPV6_V6ONLY`**
//! (RFC 3493, section 5.3). Off, the socket is *dual-stack*; on, it is IPv6
//! only, and an IPv4 client trying its port is refused, unless another socket
//! listens on that port with IPv4. When a program does not set it, Linux uses
//! the sysctl `net.ipv6.bindv6only`, 0 (off) by default; Windows and FreeBSD
//! default to on. A portable server sets it explicitly, one way or the other.
//!
//! A dual-stack socket on `::` claims every IPv4 address too (see
//! [`conflict`](crate::conflict)), which is why a server on `[::]:8080` keeps
//! another from binding `0.0.0.0:8080`. Servers that want two separate
//! sockets (nginx does) turn `IPV6_V6ONLY` on for the IPv6 one.
//!
//! To log clients or compare their addresses, turn a mapped address back into
//! the IPv4 address it carries: [`as_ipv4_if_mapped`].

use std::io;
// BEGIN SOLUTION
use std::net::{IpAddr, SocketAddr, SocketAddrV6, TcpListener};

use socket2::{Domain, Protocol, Socket, Type};

use crate::reuse::BACKLOG;
// END SOLUTION
// STUB: use std::net::{SocketAddr, SocketAddrV6, TcpListener};

/// Listens on the IPv6 `address`, with `IPV6_V6ONLY` on or off as `ipv6_only` says.
///
/// Like [`listen_with_reuse_address`](crate::reuse::listen_with_reuse_address)
/// with `SO_REUSEADDR` on (as the standard library does, so that a restarted
/// server can bind again) and a queue of [`reuse::BACKLOG`](crate::reuse::BACKLOG)
/// connections. Both options count only if they are set before the socket binds.
pub fn listen_on_ipv6(address: SocketAddrV6, ipv6_only: bool) -> io::Result<TcpListener> {
    // BEGIN SOLUTION
    let socket = Socket::new(Domain::IPV6, Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.set_only_v6(ipv6_only)?;
    socket.bind(&SocketAddr::V6(address).into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
    // END SOLUTION
    // STUB: // TODO: an IPv6 listener whose `IPV6_V6ONLY` follows `ipv6_only`, as the doc comment says.
    // STUB: // Think about: what you learned writing `crate::reuse::listen_with_reuse_address`; when the
    // STUB: // new option must be set, and why; socket2 binds its own address type, not a `SocketAddrV6`.
    // STUB: // Read this module's comment, chapter 2, "IPv4, IPv6 and dual-stack sockets", and socket2's
    // STUB: // `Socket::set_only_v6` docs. Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}

/// The client address a person wants to see: an IPv4-mapped IPv6 address
/// becomes the IPv4 address it carries, with the same port
/// (`[::ffff:127.0.0.1]:51646` becomes `127.0.0.1:51646`); any other
/// address is returned unchanged (`[::1]:51644` stays `[::1]:51644`).
pub fn as_ipv4_if_mapped(address: SocketAddr) -> SocketAddr {
    // BEGIN SOLUTION
    match address {
        SocketAddr::V6(v6) => match v6.ip().to_ipv4_mapped() {
            Some(ipv4) => SocketAddr::new(IpAddr::V4(ipv4), v6.port()),
            None => address,
        },
        SocketAddr::V4(_) => address,
    }
    // END SOLUTION
    // STUB: // TODO: the client address a person wants to see, as the doc comment says. Think about:
    // STUB: // `[::ffff:127.0.0.1]:51646` keeps its port; `[::1]:51644` stays as it is; `[::127.0.0.1]`
    // STUB: // (the old "IPv4-compatible" form) is a real IPv6 address and stays too; an IPv4 address
    // STUB: // stays. Read the end of chapter 2, "IPv4, IPv6 and dual-stack sockets": which conversion,
    // STUB: // and why not the other. Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}
