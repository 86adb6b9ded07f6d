//! The IP header: who sent the packet, who it is for, and what it carries.
//!
//! **IPv4** (RFC 791, section 3.1) has a header of variable length. Its first byte holds two
//! 4-bit fields: the version (4) and the **IHL**, the Internet Header Length, counted in 32-bit
//! words. A plain header is 5 words, 20 bytes; a header with options is longer, up to 15 words,
//! 60 bytes. The payload starts where the IHL says, never at a fixed offset.
//!
//! ```text
//!  0        4        8                16                              32
//! | version | IHL    | DSCP/ECN       | total length (header + payload) |
//! | identification                    | flags | fragment offset         |
//! | TTL              | protocol       | header checksum                 |
//! | source address                                                      |
//! | destination address                                                 |
//! | options (IHL - 5 words) …                                           |
//! ```
//!
//! **IPv6** (RFC 8200, section 3) has a fixed 40-byte header with no options. Instead, the
//! **next header** field says what follows, and that may be an *extension header* (hop-by-hop
//! options, routing, fragment, destination options: RFC 8200, section 4), which has a next
//! header field of its own. The transport header is at the end of that chain.
//!
//! ```text
//! | version | traffic class | flow label                                 |
//! | payload length (after these 40 bytes)   | next header | hop limit     |
//! | source address (16 bytes)                                            |
//! | destination address (16 bytes)                                       |
//! ```
//!
//! Both say how long the packet is (total length, payload length): bytes after that are the
//! Ethernet padding, not data.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::DecodeError;

/// The protocol numbers of the transport headers this lab decodes (IANA's "Assigned Internet
/// Protocol Numbers"), in IPv4's protocol field and IPv6's next header field alike.
pub const PROTOCOL_ICMP: u8 = 1;
pub const PROTOCOL_TCP: u8 = 6;
pub const PROTOCOL_UDP: u8 = 17;
pub const PROTOCOL_ICMPV6: u8 = 58;

/// The IPv6 extension headers (RFC 8200, section 4): their next header numbers.
pub const HOP_BY_HOP_OPTIONS: u8 = 0;
pub const ROUTING: u8 = 43;
pub const FRAGMENT: u8 = 44;
pub const DESTINATION_OPTIONS: u8 = 60;

/// An IPv4 header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv4Header {
    pub source: Ipv4Addr,
    pub destination: Ipv4Addr,
    /// The header's length in bytes: IHL × 4, 20 without options.
    pub header_length: usize,
    /// The whole packet's length in bytes, header included (the total length field).
    pub total_length: usize,
    pub ttl: u8,
    /// What the payload is: [`PROTOCOL_TCP`], [`PROTOCOL_UDP`], [`PROTOCOL_ICMP`], …
    pub protocol: u8,
}

/// An IPv6 header, with the extension headers that follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv6Header {
    pub source: Ipv6Addr,
    pub destination: Ipv6Addr,
    /// The length in bytes of everything after the fixed 40-byte header (the payload length
    /// field): extension headers and the transport header and data.
    pub payload_length: usize,
    pub hop_limit: u8,
    /// The next header number of each extension header walked, in order (empty without any).
    pub extensions: Vec<u8>,
    /// The next header at the end of the chain: what the payload is.
    pub protocol: u8,
    /// 40, plus the length of the extension headers: where the payload starts.
    pub header_length: usize,
}

/// An IPv4 or an IPv6 header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpHeader {
    V4(Ipv4Header),
    V6(Ipv6Header),
}

impl IpHeader {
    pub fn source(&self) -> IpAddr {
        match self {
            IpHeader::V4(header) => header.source.into(),
            IpHeader::V6(header) => header.source.into(),
        }
    }

    pub fn destination(&self) -> IpAddr {
        match self {
            IpHeader::V4(header) => header.destination.into(),
            IpHeader::V6(header) => header.destination.into(),
        }
    }

    /// What the payload is (for IPv6, the next header at the end of the chain).
    pub fn protocol(&self) -> u8 {
        match self {
            IpHeader::V4(header) => header.protocol,
            IpHeader::V6(header) => header.protocol,
        }
    }
}

/// Reads an IPv4 header at the start of `bytes`, and returns it with its payload: the bytes
/// from the end of the header (IHL × 4) to the end of the packet (the total length), without
/// what comes after (the Ethernet padding).
///
/// Errors: fewer bytes than the header or the total length announce is
/// [`DecodeError::Truncated`] (`IPv4 header`, `IPv4 packet`); a version that is not 4, an IHL
/// under 5 or a total length shorter than the header is [`DecodeError::Invalid`].
pub fn decode_ipv4(bytes: &[u8]) -> Result<(Ipv4Header, &[u8]), DecodeError> {
    // TODO: read the header drawn in the module comment, and return it with its payload.
    // Think about: where the header ends (the IHL, in 32-bit words), where the packet ends
    // (the total length, not the end of `bytes`), and each way the bytes can be too short
    // or the fields impossible (an error, never a panic). Read chapter 13, "IPv4: a header
    // that says how long it is", and RFC 791 section 3.1. Then `cargo xtask hint 13`.
    todo!()
}

/// Reads an IPv6 header at the start of `bytes` and walks its chain of extension headers
/// (hop-by-hop options, routing, destination options: `(length + 1) × 8` bytes each; fragment:
/// 8 bytes), and returns the header with the payload after the last extension header, up to the
/// end the payload length announces.
///
/// Errors: fewer bytes than the header, the payload length or an extension header announce is
/// [`DecodeError::Truncated`] (`IPv6 header`, `IPv6 packet`, `IPv6 extension header`); a version
/// that is not 6 is [`DecodeError::Invalid`].
pub fn decode_ipv6(bytes: &[u8]) -> Result<(Ipv6Header, &[u8]), DecodeError> {
    // TODO: read the fixed header drawn in the module comment, then follow the next header
    // chain to the transport header, and return the header with what follows the chain.
    // Think about: which next header numbers are extension headers (the constants above),
    // how each one says its length, and a chain that runs past the end of the packet. Read
    // chapter 13, "IPv6: a fixed header and a chain", and RFC 8200 sections 3 and 4. Then
    // `cargo xtask hint 13`.
    todo!()
}

/// Reads an IPv4 or an IPv6 header, as the version in the first four bits says (see
/// [`decode_ipv4`] and [`decode_ipv6`]). No bytes at all is [`DecodeError::Truncated`]
/// (`IP header`); a version that is neither 4 nor 6 is [`DecodeError::Invalid`].
pub fn decode_ip(bytes: &[u8]) -> Result<(IpHeader, &[u8]), DecodeError> {
    // TODO: choose the decoder by the version, the first four bits of the first byte.
    // Think about: no bytes at all, and a version that is neither. Then `cargo xtask hint 13`.
    todo!()
}
