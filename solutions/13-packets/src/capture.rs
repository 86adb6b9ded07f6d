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
// BEGIN SOLUTION
use std::ffi::CString;
use std::io::Read;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use socket2::{Domain, SockAddr, SockAddrStorage, Type};
// END SOLUTION

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
        // BEGIN SOLUTION
        let index = interface_index(interface)?;
        // Protocol 0: nothing arrives until `bind` says which interface and which EtherTypes.
        let socket = Socket::new(Domain::PACKET, Type::RAW, None)?;
        socket.bind(&link_layer_address(index))?;
        socket.set_read_timeout(Some(read_timeout))?;
        Ok(Capture { socket })
        // END SOLUTION
        // STUB: // TODO: open the packet socket the module comment describes, bound to the interface.
        // STUB: // Think about: turning the name into an index (an unknown name must be an error),
        // STUB: // which protocol to pass where (and its byte order), and the read timeout. Read chapter
        // STUB: // 13, "Capturing with a packet socket", man 7 packet (struct sockaddr_ll), and socket2's
        // STUB: // `Domain::PACKET`, `SockAddrStorage` and `SockAddr::new`. Then `cargo xtask hint 13`.
        // STUB: todo!()
    }

    /// Waits for the next frame, at most the read timeout: `Ok(None)` when none came in time.
    pub fn next_frame(&self) -> io::Result<Option<Frame>> {
        // BEGIN SOLUTION
        let mut buffer = vec![0; SNAPSHOT_LENGTH];
        match (&self.socket).read(&mut buffer) {
            Ok(length) => {
                buffer.truncate(length);
                Ok(Some(Frame {
                    timestamp: now(),
                    bytes: buffer,
                }))
            }
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) =>
            {
                Ok(None)
            }
            Err(error) => Err(error),
        }
        // END SOLUTION
        // STUB: // TODO: receive one frame into a buffer of SNAPSHOT_LENGTH bytes, and stamp it with
        // STUB: // the time. Think about: how the read timeout shows up (an error that is not one).
        // STUB: // Then `cargo xtask hint 13`.
        // STUB: todo!()
    }

    /// The frames that arrive until there are `count` of them or `deadline` has passed since
    /// the call, whichever comes first (so it returns at most one read timeout after it).
    pub fn frames(&self, count: usize, deadline: Duration) -> io::Result<Vec<Frame>> {
        // BEGIN SOLUTION
        let started = Instant::now();
        let mut frames = Vec::new();
        while frames.len() < count && started.elapsed() < deadline {
            if let Some(frame) = self.next_frame()? {
                frames.push(frame);
            }
        }
        Ok(frames)
        // END SOLUTION
        // STUB: // TODO: collect frames with next_frame() until either limit is reached.
        // STUB: // Then `cargo xtask hint 13`.
        // STUB: todo!()
    }
}
// BEGIN SOLUTION

/// The index of the interface `name` in the calling thread's network namespace.
fn interface_index(name: &str) -> io::Result<u32> {
    let c_name = CString::new(name)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL in the name"))?;
    // SAFETY: if_nametoindex reads the NUL-terminated string, which lives until it returns.
    let index = unsafe { libc::if_nametoindex(c_name.as_ptr()) };
    if index == 0 {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no interface named {name:?} here (`ip link` lists them)"),
        ));
    }
    Ok(index)
}

/// A `struct sockaddr_ll` (man 7 packet) for every EtherType on the interface `index`.
fn link_layer_address(index: u32) -> SockAddr {
    let mut storage = SockAddrStorage::zeroed();
    // SAFETY: the storage is large enough for any socket address, sockaddr_ll included, and
    // zeroed, which is a valid sockaddr_ll.
    let address = unsafe { storage.view_as::<libc::sockaddr_ll>() };
    address.sll_family = libc::AF_PACKET as u16;
    address.sll_protocol = (libc::ETH_P_ALL as u16).to_be();
    address.sll_ifindex = index as i32;
    let length = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
    // SAFETY: the storage holds a sockaddr_ll of that length.
    unsafe { SockAddr::new(storage, length) }
}

/// The time now, since the Unix epoch.
fn now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}
// END SOLUTION
