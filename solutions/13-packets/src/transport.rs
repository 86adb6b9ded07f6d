//! The transport headers: TCP, UDP, and the ICMP messages IP uses to report errors.
//!
//! **TCP** (RFC 9293, section 3.1) carries a byte stream. Each segment says where its bytes sit
//! in the stream (the **sequence number**), how much of the other side's stream has arrived (the
//! **acknowledgment number**, valid when the ACK flag is set), how much more the sender can take
//! (the **window**), and what it is doing, in one-bit **flags**: SYN opens, FIN closes one
//! direction, RST aborts, ACK acknowledges, PSH pushes data to the application. Like IPv4's IHL,
//! the **data offset** (in 32-bit words) says where the header ends: 20 bytes plus the options
//! (maximum segment size, window scale, timestamps, …).
//!
//! ```text
//!  0                               16                              32
//! | source port                     | destination port              |
//! | sequence number                                                 |
//! | acknowledgment number                                           |
//! | offset | reserved | C E U A P R S F | window                      |
//! | checksum                        | urgent pointer                |
//! | options ((offset - 5) words) …                                  |
//! ```
//!
//! **UDP** (RFC 768) is 8 bytes: two ports, a length (header included) and a checksum.
//! **ICMP** (RFC 792) and **ICMPv6** (RFC 4443) messages start with a type, a code and a
//! checksum, then 4 bytes whose meaning depends on the type. An error message (destination
//! unreachable: type 3 in ICMP, type 1 in ICMPv6) then quotes the start of the packet that
//! caused it, so the sender can tell which of its sockets it is about.

use crate::DecodeError;
use crate::ip::{PROTOCOL_ICMP, PROTOCOL_ICMPV6, PROTOCOL_TCP, PROTOCOL_UDP};

/// The TCP flags byte (byte 13 of the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpFlags(pub u8);

impl TcpFlags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
    pub const URG: u8 = 0x20;
    pub const ECE: u8 = 0x40;
    pub const CWR: u8 = 0x80;

    /// Whether every bit of `flags` is set (`flags.has(TcpFlags::SYN | TcpFlags::ACK)`).
    pub fn has(self, flags: u8) -> bool {
        self.0 & flags == flags
    }
}

/// A TCP header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpHeader {
    pub source_port: u16,
    pub destination_port: u16,
    pub sequence: u32,
    pub acknowledgment: u32,
    /// The header's length in bytes: the data offset × 4, 20 without options.
    pub header_length: usize,
    pub flags: TcpFlags,
    pub window: u16,
}

impl TcpHeader {
    /// How many bytes of options the header carries.
    pub fn options_length(&self) -> usize {
        self.header_length.saturating_sub(20)
    }
}

/// A UDP header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpHeader {
    pub source_port: u16,
    pub destination_port: u16,
    /// The datagram's length in bytes, the 8-byte header included.
    pub length: usize,
}

/// The start of an ICMP or ICMPv6 message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcmpHeader {
    pub icmp_type: u8,
    pub code: u8,
}

impl IcmpHeader {
    /// ICMP's destination unreachable (type 3) with code 3, port unreachable (RFC 792).
    pub fn is_port_unreachable_v4(self) -> bool {
        self.icmp_type == 3 && self.code == 3
    }

    /// ICMPv6's destination unreachable (type 1) with code 4, port unreachable (RFC 4443).
    pub fn is_port_unreachable_v6(self) -> bool {
        self.icmp_type == 1 && self.code == 4
    }
}

/// What an IP packet carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    Tcp(TcpHeader),
    Udp(UdpHeader),
    Icmp(IcmpHeader),
    Icmpv6(IcmpHeader),
    /// A protocol this lab does not decode, by its number.
    Other(u8),
}

/// Reads a TCP header at the start of `bytes`, and returns it with the data after it (after
/// the options: the data offset says where). Errors: fewer bytes than 20 or than the data offset
/// announces is [`DecodeError::Truncated`] (`TCP header`); a data offset under 5 is
/// [`DecodeError::Invalid`].
pub fn decode_tcp(bytes: &[u8]) -> Result<(TcpHeader, &[u8]), DecodeError> {
    // BEGIN SOLUTION
    need(bytes, 20, "TCP header")?;
    let data_offset = bytes[12] >> 4;
    if data_offset < 5 {
        return Err(DecodeError::Invalid {
            header: "TCP header",
            field: "data offset",
            value: data_offset.into(),
        });
    }
    let header_length = usize::from(data_offset) * 4;
    need(bytes, header_length, "TCP header")?;
    let header = TcpHeader {
        source_port: u16_at(bytes, 0),
        destination_port: u16_at(bytes, 2),
        sequence: u32_at(bytes, 4),
        acknowledgment: u32_at(bytes, 8),
        header_length,
        flags: TcpFlags(bytes[13]),
        window: u16_at(bytes, 14),
    };
    Ok((header, &bytes[header_length..]))
    // END SOLUTION
    // STUB: // TODO: read the header drawn in the module comment, and return it with the data.
    // STUB: // Think about: where the header ends (the data offset, in 32-bit words, is the top four
    // STUB: // bits of byte 12), which byte holds the flags, and bytes too short for the header or its
    // STUB: // options. Read chapter 13, "TCP: flags, numbers and options", and RFC 9293 section 3.1.
    // STUB: // Then `cargo xtask hint 13`.
    // STUB: todo!()
}

/// Reads a UDP header at the start of `bytes`, and returns it with the datagram's data: the
/// bytes after the header, up to the length the header announces. Errors: fewer than 8 bytes, or
/// than the length, is [`DecodeError::Truncated`] (`UDP header`, `UDP datagram`); a length under
/// 8 is [`DecodeError::Invalid`].
pub fn decode_udp(bytes: &[u8]) -> Result<(UdpHeader, &[u8]), DecodeError> {
    // BEGIN SOLUTION
    need(bytes, 8, "UDP header")?;
    let length = usize::from(u16_at(bytes, 4));
    if length < 8 {
        return Err(DecodeError::Invalid {
            header: "UDP header",
            field: "length",
            value: length as u32,
        });
    }
    need(bytes, length, "UDP datagram")?;
    let header = UdpHeader {
        source_port: u16_at(bytes, 0),
        destination_port: u16_at(bytes, 2),
        length,
    };
    Ok((header, &bytes[8..length]))
    // END SOLUTION
    // STUB: // TODO: read the 8-byte header (RFC 768) and return it with the data it announces.
    // STUB: // Think about: a datagram shorter than its length field says. Then `cargo xtask hint 13`.
    // STUB: todo!()
}

/// Reads the first 8 bytes of an ICMP or ICMPv6 message (type, code, checksum, and 4 bytes that
/// depend on the type), and returns them with the rest of the message (for an error message, the
/// quoted packet). Fewer than 8 bytes is [`DecodeError::Truncated`] (`ICMP header`).
pub fn decode_icmp(bytes: &[u8]) -> Result<(IcmpHeader, &[u8]), DecodeError> {
    // BEGIN SOLUTION
    need(bytes, 8, "ICMP header")?;
    let header = IcmpHeader {
        icmp_type: bytes[0],
        code: bytes[1],
    };
    Ok((header, &bytes[8..]))
    // END SOLUTION
    // STUB: // TODO: read the type and the code, and return the message after its 8-byte start.
    // STUB: // Then `cargo xtask hint 13`.
    // STUB: todo!()
}

/// Reads the transport header that `protocol` (IPv4's protocol, IPv6's last next header) names
/// at the start of `bytes`, and returns it with what follows it. A protocol this lab does not
/// decode is [`Transport::Other`], followed by all of `bytes`.
pub fn decode_transport(protocol: u8, bytes: &[u8]) -> Result<(Transport, &[u8]), DecodeError> {
    // BEGIN SOLUTION
    Ok(match protocol {
        PROTOCOL_TCP => decode_tcp(bytes).map(|(tcp, rest)| (Transport::Tcp(tcp), rest))?,
        PROTOCOL_UDP => decode_udp(bytes).map(|(udp, rest)| (Transport::Udp(udp), rest))?,
        PROTOCOL_ICMP => decode_icmp(bytes).map(|(icmp, rest)| (Transport::Icmp(icmp), rest))?,
        PROTOCOL_ICMPV6 => {
            decode_icmp(bytes).map(|(icmp, rest)| (Transport::Icmpv6(icmp), rest))?
        }
        other => (Transport::Other(other), bytes),
    })
    // END SOLUTION
    // STUB: // TODO: call the decoder the protocol number names (the constants in `crate::ip`).
    // STUB: // Then `cargo xtask hint 13`.
    // STUB: todo!()
}
// BEGIN SOLUTION

/// The big-endian `u16` at `at`: the caller has checked the bytes are there.
fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([bytes[at], bytes[at + 1]])
}

/// The big-endian `u32` at `at`: the caller has checked the bytes are there.
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
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
// END SOLUTION
