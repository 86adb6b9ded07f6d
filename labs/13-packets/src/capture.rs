//! Capturing: receiving a copy of every frame that crosses one network interface.
//!
//! An ordinary socket receives only what is addressed to it: the data of one TCP connection,
//! the datagrams for one UDP port, with every header already taken off by the kernel. A
//! **packet socket** (`AF_PACKET`, man 7 packet) sits below all that: bound to an interface,
//! it receives a copy of each whole Ethernet frame that arrives on it *and* of each frame that
//! leaves through it, before the firewall looks at an arriving packet and after a leaving one
//! got its headers. That is how tcpdump and Wireshark see traffic, and why opening one needs
//! root (the `CAP_NET_RAW` capability): it sees everyone's packets.
//!
//! Three choices make the capture what you expect:
//!
//! - `SOCK_RAW`, so each frame comes with its Ethernet header (`SOCK_DGRAM` would remove it).
//! - The protocol `ETH_P_ALL` (every EtherType), in network byte order, given to `bind` with
//!   the interface, not to `socket`: a packet socket created with a protocol starts receiving
//!   frames of *every* interface at once, before `bind` narrows it down.
//! - A read timeout, so that waiting for the next frame never blocks for ever.
//!
//! An interface is named (`eth0`, `to-client`) but the kernel knows it by its **index**, a
//! number per network namespace (`ip link` prints it first): `if_nametoindex(3)` turns one into
//! the other, in the namespace of the calling thread.

use std::io;
use std::time::Duration;

use socket2::Socket;

/// The largest frame a capture keeps whole. A frame the kernel hands over in one piece may be
/// larger than the interface's MTU (segmentation offload); a capture keeps its first bytes.
pub const SNAPSHOT_LENGTH: usize = 65535;

/// One captured frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// When it was captured, since the Unix epoch (1970-01-01 00:00:00 UTC).
    pub timestamp: Duration,
    /// The whole frame, from the Ethernet header on.
    pub bytes: Vec<u8>,
}

/// A packet socket bound to one interface.
#[derive(Debug)]
pub struct Capture {
    socket: Socket,
}

impl Capture {
    /// Opens a packet socket that receives every frame (every EtherType, both directions) of
    /// the interface named `interface` in the calling thread's network namespace, and that waits
    /// at most `read_timeout` for each frame. An interface that does not exist is an error of
    /// kind `NotFound`; without the right to capture, the error is the kernel's (`EPERM`).
    pub fn open(interface: &str, read_timeout: Duration) -> io::Result<Capture> {
        // TODO: open the packet socket the module comment describes, bound to the interface.
        // Think about: turning the name into an index (an unknown name must be an error),
        // which protocol to pass where (and its byte order), and the read timeout. Read chapter
        // 13, "Capturing with a packet socket", man 7 packet (struct sockaddr_ll), and socket2's
        // `Domain::PACKET`, `SockAddrStorage` and `SockAddr::new`. Then `cargo xtask hint 13`.
        todo!()
    }

    /// Waits for the next frame, at most the read timeout: `Ok(None)` when none came in time.
    pub fn next_frame(&self) -> io::Result<Option<Frame>> {
        // TODO: receive one frame into a buffer of SNAPSHOT_LENGTH bytes, and stamp it with
        // the time. Think about: how the read timeout shows up (an error that is not one).
        // Then `cargo xtask hint 13`.
        todo!()
    }

    /// The frames that arrive until there are `count` of them or `deadline` has passed since
    /// the call, whichever comes first (so it returns at most one read timeout after it).
    pub fn frames(&self, count: usize, deadline: Duration) -> io::Result<Vec<Frame>> {
        // TODO: collect frames with next_frame() until either limit is reached.
        // Then `cargo xtask hint 13`.
        todo!()
    }
}
