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
    // BEGIN SOLUTION
    const MINIMUM: usize = 20;
    need(bytes, MINIMUM, "IPv4 header")?;
    let version = bytes[0] >> 4;
    if version != 4 {
        return Err(invalid("IPv4 header", "version", version.into()));
    }
    let ihl = bytes[0] & 0x0f;
    if ihl < 5 {
        return Err(invalid("IPv4 header", "IHL", ihl.into()));
    }
    let header_length = usize::from(ihl) * 4;
    need(bytes, header_length, "IPv4 header")?;
    let total_length = usize::from(u16::from_be_bytes([bytes[2], bytes[3]]));
    if total_length < header_length {
        return Err(invalid("IPv4 header", "total length", total_length as u32));
    }
    need(bytes, total_length, "IPv4 packet")?;
    let header = Ipv4Header {
        source: Ipv4Addr::new(bytes[12], bytes[13], bytes[14], bytes[15]),
        destination: Ipv4Addr::new(bytes[16], bytes[17], bytes[18], bytes[19]),
        header_length,
        total_length,
        ttl: bytes[8],
        protocol: bytes[9],
    };
    Ok((header, &bytes[header_length..total_length]))
    // END SOLUTION
    // STUB: // TODO: read the header drawn in the module comment, and return it with its payload.
    // STUB: // Think about: where the header ends (the IHL, in 32-bit words), where the packet ends
    // STUB: // (the total length, not the end of `bytes`), and each way the bytes can be too short
    // STUB: // or the fields impossible (an error, never a panic). Read chapter 13, "IPv4: a header
    // STUB: // that says how long it is", and RFC 791 section 3.1. Then `cargo xtask hint 13`.
    // STUB: todo!()
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
    // BEGIN SOLUTION
    const FIXED: usize = 40;
    need(bytes, FIXED, "IPv6 header")?;
    let version = bytes[0] >> 4;
    if version != 6 {
        return Err(invalid("IPv6 header", "version", version.into()));
    }
    let payload_length = usize::from(u16::from_be_bytes([bytes[4], bytes[5]]));
    need(bytes, FIXED + payload_length, "IPv6 packet")?;
    let payload = &bytes[FIXED..FIXED + payload_length];
    let (extensions, protocol, chain_length) = walk_extension_headers(bytes[6], payload)?;
    let header = Ipv6Header {
        source: Ipv6Addr::from(address_at(bytes, 8)),
        destination: Ipv6Addr::from(address_at(bytes, 24)),
        payload_length,
        hop_limit: bytes[7],
        extensions,
        protocol,
        header_length: FIXED + chain_length,
    };
    Ok((header, &payload[chain_length..]))
    // END SOLUTION
    // STUB: // TODO: read the fixed header drawn in the module comment, then follow the next header
    // STUB: // chain to the transport header, and return the header with what follows the chain.
    // STUB: // Think about: which next header numbers are extension headers (the constants above),
    // STUB: // how each one says its length, and a chain that runs past the end of the packet. Read
    // STUB: // chapter 13, "IPv6: a fixed header and a chain", and RFC 8200 sections 3 and 4. Then
    // STUB: // `cargo xtask hint 13`.
    // STUB: todo!()
}

/// Reads an IPv4 or an IPv6 header, as the version in the first four bits says (see
/// [`decode_ipv4`] and [`decode_ipv6`]). No bytes at all is [`DecodeError::Truncated`]
/// (`IP header`); a version that is neither 4 nor 6 is [`DecodeError::Invalid`].
pub fn decode_ip(bytes: &[u8]) -> Result<(IpHeader, &[u8]), DecodeError> {
    // BEGIN SOLUTION
    need(bytes, 1, "IP header")?;
    match bytes[0] >> 4 {
        4 => decode_ipv4(bytes).map(|(header, payload)| (IpHeader::V4(header), payload)),
        6 => decode_ipv6(bytes).map(|(header, payload)| (IpHeader::V6(header), payload)),
        version => Err(invalid("IP header", "version", version.into())),
    }
    // END SOLUTION
    // STUB: // TODO: choose the decoder by the version, the first four bits of the first byte.
    // STUB: // Think about: no bytes at all, and a version that is neither. Then `cargo xtask hint 13`.
    // STUB: todo!()
}
// BEGIN SOLUTION

/// Follows the next header chain from `next_header`, through the start of `payload`: returns
/// the extension headers walked, the next header at the end of the chain, and the chain's length.
fn walk_extension_headers(
    mut next_header: u8,
    payload: &[u8],
) -> Result<(Vec<u8>, u8, usize), DecodeError> {
    let mut extensions = Vec::new();
    let mut offset = 0;
    while matches!(
        next_header,
        HOP_BY_HOP_OPTIONS | ROUTING | FRAGMENT | DESTINATION_OPTIONS
    ) {
        let rest = &payload[offset..];
        need(rest, 2, "IPv6 extension header")?;
        let length = if next_header == FRAGMENT {
            8
        } else {
            (usize::from(rest[1]) + 1) * 8
        };
        need(rest, length, "IPv6 extension header")?;
        extensions.push(next_header);
        next_header = rest[0];
        offset += length;
    }
    Ok((extensions, next_header, offset))
}

/// The 16 bytes of `bytes` from `at`: the caller has checked they are there.
fn address_at(bytes: &[u8], at: usize) -> [u8; 16] {
    let mut address = [0; 16];
    address.copy_from_slice(&bytes[at..at + 16]);
    address
}

/// `Ok` when `bytes` holds at least `needed` bytes, [`DecodeError::Truncated`] otherwise.
fn need(bytes: &[u8], needed: usize, header: &'static str) -> Result<(), DecodeError> {
    if bytes.len() < needed {
        return Err(DecodeError::Truncated {
            header,
            needed,
            got: bytes.len(),
        });
    }
    Ok(())
}

fn invalid(header: &'static str, field: &'static str, value: u32) -> DecodeError {
    DecodeError::Invalid {
        header,
        field,
        value,
    }
}
// END SOLUTION
