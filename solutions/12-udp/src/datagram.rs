//! One datagram: what UDP keeps, what it does not, and what a closed port says.
//!
//! A UDP socket sends and receives **datagrams**: each `send` is one message, and each `recv`
//! returns exactly one, whole. Three sends are three receives, never merged into one and never
//! split, which TCP's byte stream does not promise. In exchange UDP promises little else: a
//! datagram may be lost, arrive twice, or arrive after one that was sent after it.
//!
//! Three things a UDP program must know about its datagrams:
//!
//! - **Truncation.** `recv` copies the datagram into your buffer. If the buffer is too small,
//!   the rest of the datagram is thrown away, silently: the next `recv` returns the *next*
//!   datagram, not the rest of this one. On Linux the flag `MSG_TRUNC` makes `recv` return
//!   the datagram's true length anyway (man 2 recv), so a program can at least tell.
//! - **What a closed port answers.** A datagram to a port where no socket listens is answered
//!   with an ICMP "port unreachable" (RFC 1122, section 4.1.3.1). A socket that is
//!   **connected** (`connect` on UDP only fixes the address it talks to: nothing is sent)
//!   gets that ICMP error as `ECONNREFUSED` on its next `recv` or `send`. An unconnected
//!   socket does not hear of it (unless it asks, with `IP_RECVERR`). A datagram that is
//!   dropped gets no answer at all.
//! - **Size.** A datagram larger than one packet of the link is cut into IP fragments, and
//!   losing one fragment loses the datagram. The largest payload that fits in one packet is
//!   the link's MTU less the IP header (20 bytes for IPv4, 40 for IPv6) and the UDP header
//!   (8 bytes). With the Don't-Fragment behaviour on, a larger `send` fails with `EMSGSIZE`
//!   instead of fragmenting (man 7 ip, `IP_MTU_DISCOVER`).

use std::io;
use std::mem::MaybeUninit;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;
use std::time::Duration;
// BEGIN SOLUTION

use std::net::{Ipv4Addr, Ipv6Addr};

use socket2::SockRef;
// END SOLUTION

/// What one `receive` got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// Who sent the datagram.
    pub from: SocketAddr,
    /// The datagram's true size in bytes, even when the buffer was smaller.
    pub size: usize,
    /// How many of its bytes are in the buffer: `size`, or the buffer's length if that is less.
    pub kept: usize,
}

impl Received {
    /// Whether part of the datagram was thrown away because the buffer was too small.
    pub fn is_truncated(&self) -> bool {
        self.kept < self.size
    }
}

/// Receives one datagram into `buffer` and says who sent it, its true size, and how much of
/// it the buffer kept. A datagram larger than the buffer is truncated (its rest is lost, the
/// next call returns the next datagram) and `size` is still its true size. An empty datagram
/// is a datagram too: `size` 0. Waits as long as the socket's read timeout says.
pub fn receive(socket: &UdpSocket, buffer: &mut [u8]) -> io::Result<Received> {
    // BEGIN SOLUTION
    // With MSG_TRUNC, Linux's recvfrom returns the datagram's real length, not what it copied.
    let (size, from) =
        SockRef::from(socket).recv_from_with_flags(as_uninit(buffer), libc::MSG_TRUNC)?;
    let from = from.as_socket().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidData, "the sender has no IP address")
    })?;
    Ok(Received {
        from,
        size,
        kept: size.min(buffer.len()),
    })
    // END SOLUTION
    // STUB: // TODO: receive one datagram and fill in `Received`, as the doc comment says. Think
    // STUB: // about: how to learn the size of a datagram larger than the buffer (std's
    // STUB: // `recv_from` only says how much it copied). Read chapter 12, "A datagram, whole or
    // STUB: // not at all", man 2 recv (`MSG_TRUNC`), socket2's `SockRef` and
    // STUB: // `Socket::recv_from_with_flags`, and `as_uninit` below. Stuck? `cargo xtask hint 12`.
    // STUB: todo!()
}

/// What a datagram sent to a port found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Knock {
    /// A datagram came back from the port: its bytes.
    Answered(Vec<u8>),
    /// An ICMP port unreachable came back: no socket listens there.
    Refused,
    /// Nothing came back in time: the datagram, or its answer, was dropped or ignored.
    Silent,
}

/// Sends `message` in one datagram to `target` from a socket of its own, and waits at most
/// `patience` for what comes back: a datagram from `target`, an ICMP port unreachable, or
/// nothing. Other errors (no route, …) are `Err`.
pub fn knock(target: SocketAddr, message: &[u8], patience: Duration) -> io::Result<Knock> {
    // BEGIN SOLUTION
    let socket = UdpSocket::bind(any_port_for(target))?;
    // Connected: the kernel then hands this socket only datagrams from `target`, and the ICMP
    // error a closed port answers with.
    socket.connect(target)?;
    socket.set_read_timeout(Some(patience))?;
    socket.send(message)?;
    let mut buffer = [0; 65536];
    match socket.recv(&mut buffer) {
        Ok(size) => Ok(Knock::Answered(buffer[..size].to_vec())),
        Err(error) if error.kind() == io::ErrorKind::ConnectionRefused => Ok(Knock::Refused),
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            Ok(Knock::Silent)
        }
        Err(error) => Err(error),
    }
    // END SOLUTION
    // STUB: // TODO: one datagram and what comes back, as the doc comment says. Think about: which
    // STUB: // sockets ever hear of an ICMP port unreachable, the error it becomes, how a read
    // STUB: // timeout shows up, and a target over IPv6. Read chapter 12, "connect on UDP, and
    // STUB: // what a closed port answers", and std's `UdpSocket::connect` and `set_read_timeout`.
    // STUB: // Stuck? `cargo xtask hint 12`.
    // STUB: todo!()
}

/// The largest UDP payload, in bytes, that fits in one IP packet to `destination` on a link
/// whose MTU is `link_mtu`: the MTU less the IP header (20 bytes for IPv4, 40 for IPv6) and
/// the UDP header (8). No IPv4 packet is larger than 65535 bytes, whatever the MTU (its total
/// length field has 16 bits). An MTU too small for the headers leaves 0.
pub fn max_payload(link_mtu: u32, destination: IpAddr) -> usize {
    // BEGIN SOLUTION
    const UDP_HEADER: usize = 8;
    let mtu = link_mtu as usize;
    let packet = match destination {
        IpAddr::V4(_) => mtu.min(usize::from(u16::MAX)).saturating_sub(20),
        IpAddr::V6(_) => mtu.saturating_sub(40),
    };
    packet.saturating_sub(UDP_HEADER)
    // END SOLUTION
    // STUB: // TODO: the arithmetic of the doc comment. Think about: the two families, lo's MTU of
    // STUB: // 65536 over IPv4, and an MTU smaller than the headers. Read chapter 12, "How large a
    // STUB: // datagram?", and RFC 791 section 3.1 (Total Length). Stuck? `cargo xtask hint 12`.
    // STUB: todo!()
}
// BEGIN SOLUTION

/// The address to bind for a socket that talks to `target`: any address of its family, any
/// port.
fn any_port_for(target: SocketAddr) -> SocketAddr {
    match target {
        SocketAddr::V4(_) => SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0),
        SocketAddr::V6(_) => SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0),
    }
}
// END SOLUTION

/// Turns the Don't-Fragment behaviour on for `socket`: from now on a datagram too large for
/// one packet on the way fails to send with `EMSGSIZE` ("message too long") instead of being
/// cut into fragments. (Linux's `IP_MTU_DISCOVER` = `IP_PMTUDISC_DO`, or the IPv6 equivalent.)
/// Given: std and socket2 have no method for it, so this calls `setsockopt` itself.
pub fn forbid_fragmentation(socket: &UdpSocket) -> io::Result<()> {
    let (level, option, value) = if socket.local_addr()?.is_ipv4() {
        (
            libc::IPPROTO_IP,
            libc::IP_MTU_DISCOVER,
            libc::IP_PMTUDISC_DO,
        )
    } else {
        (
            libc::IPPROTO_IPV6,
            libc::IPV6_MTU_DISCOVER,
            libc::IPV6_PMTUDISC_DO,
        )
    };
    // SAFETY: setsockopt(2) on the socket's own descriptor, with a pointer to an int that
    // lives for the call and its size.
    let result = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            level,
            option,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `buffer` as the type socket2's receive methods take. Given: they take a buffer that may
/// hold uninitialised bytes, and ours is initialised already, which Rust can only be told
/// with `unsafe`.
pub fn as_uninit(buffer: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: `MaybeUninit<u8>` has the layout of `u8`, and socket2's receive methods only
    // ever write initialised bytes into the buffer, so `buffer` stays initialised.
    unsafe { &mut *(buffer as *mut [u8] as *mut [MaybeUninit<u8>]) }
}
