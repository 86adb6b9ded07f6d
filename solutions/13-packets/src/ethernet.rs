//! The Ethernet frame: the envelope every packet on the cable travels in.
//!
//! ```text
//!  0                   6                   12      14
//! | destination MAC (6) | source MAC (6)    | type  | payload (46 to 1500 bytes) …
//! ```
//!
//! The two MAC addresses say which network card the frame is for and which one sent it; they
//! matter only on this one cable (a router writes new ones). The **EtherType** says what the
//! payload is: 0x0800 an IPv4 packet, 0x86DD an IPv6 packet, 0x0806 an ARP message (IPv4's way
//! of asking "who has 198.51.100.10?"). Everything is in network byte order: big-endian, the
//! most significant byte first (RFC 1700, "Data Notations").
//!
//! A frame is at least 60 bytes long (64 on the wire, with the checksum the card removes): a
//! shorter packet is followed by **padding**, zeros that belong to no header. That is why the
//! IP header's own length, not the frame's, says where the packet ends.

use std::fmt;

use crate::DecodeError;

/// The EtherType of an IPv4 packet.
pub const ETHERTYPE_IPV4: u16 = 0x0800;
/// The EtherType of an ARP message.
pub const ETHERTYPE_ARP: u16 = 0x0806;
/// The EtherType of an IPv6 packet.
pub const ETHERTYPE_IPV6: u16 = 0x86DD;

/// The length of an Ethernet header, in bytes.
pub const ETHERNET_HEADER_LEN: usize = 14;

/// A MAC address, written `02:00:00:00:00:07`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mac(pub [u8; 6]);

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

/// An Ethernet header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ethernet {
    pub destination: Mac,
    pub source: Mac,
    /// What the payload is: [`ETHERTYPE_IPV4`], [`ETHERTYPE_IPV6`], [`ETHERTYPE_ARP`], …
    pub ethertype: u16,
}

/// Reads the Ethernet header at the start of `frame`, and returns it with the rest of the frame
/// (the payload, padding included). Fewer than 14 bytes is [`DecodeError::Truncated`] with the
/// header named `Ethernet header`.
pub fn decode_ethernet(frame: &[u8]) -> Result<(Ethernet, &[u8]), DecodeError> {
    // BEGIN SOLUTION
    if frame.len() < ETHERNET_HEADER_LEN {
        return Err(DecodeError::Truncated {
            header: "Ethernet header",
            needed: ETHERNET_HEADER_LEN,
            got: frame.len(),
        });
    }
    let (header, payload) = frame.split_at(ETHERNET_HEADER_LEN);
    let ethernet = Ethernet {
        destination: Mac(mac_at(header, 0)),
        source: Mac(mac_at(header, 6)),
        ethertype: u16::from_be_bytes([header[12], header[13]]),
    };
    Ok((ethernet, payload))
    // END SOLUTION
    // STUB: // TODO: read the three fields of the header drawn in the module comment, and return
    // STUB: // them with the bytes after the header. Think about: the byte order of the EtherType, and
    // STUB: // a frame too short to hold a header (an error, never a panic). Read chapter 13, "A frame
    // STUB: // on the cable", and `u16::from_be_bytes`. Then `cargo xtask hint 13`.
    // STUB: todo!()
}
// BEGIN SOLUTION

/// The six bytes of `header` from `at`: the caller has checked they are there.
fn mac_at(header: &[u8], at: usize) -> [u8; 6] {
    let mut mac = [0; 6];
    mac.copy_from_slice(&header[at..at + 6]);
    mac
}
// END SOLUTION
