//! # Lab 13 — The packets themselves
//!
//! The earlier labs read what a connection attempt *said*: connected, refused, timed out. They
//! inferred what happened on the wire. This lab looks at the wire itself. You capture every
//! frame that crosses one interface, decode its headers by hand, print one line per packet the
//! way tcpdump does, save the capture as a file tcpdump and Wireshark read, and then read the
//! stories the packets tell: the three-way handshake, the reset of a refused port, the silence
//! and retransmissions of a dropped SYN, the FINs of a half-close, and the ICMP error that
//! answers a UDP datagram sent to a closed port.
//!
//! A packet is a stack of headers, each one saying how long it is and what comes after it:
//!
//! ```text
//! | Ethernet (14 bytes) | IPv4 (IHL × 4 bytes) or IPv6 (40 + extensions) | TCP (data offset × 4) | data |
//!   type: what follows    protocol / next header: what follows             ports, seq, flags
//! ```
//!
//! Decoding is reading each header at the place the previous one says it ends. One concept per
//! module, in the order chapter 13 walks through them:
//!
//! - [`ethernet`]: the link-layer frame: two MAC addresses and the type of what it carries.
//! - [`ip`]: IPv4 (whose header length is in the header) and IPv6 (a fixed header and a chain).
//! - [`transport`]: TCP (flags, sequence numbers, options), UDP, ICMP and ICMPv6.
//! - [`packet`]: the three decoders chained: one frame, every header.
//! - [`line`]: one tcpdump-like line per packet.
//! - [`capture`]: an `AF_PACKET` socket that receives every frame of one interface.
//! - [`pcap`]: the capture as a pcap file.
//! - [`story`]: what a conversation's packets say: handshake, refusal, silence, close, ICMP.
//!
//! `cli.rs` and `main.rs` make it a program: `lab13-packets capture eth0 --count 20 --write
//! out.pcap` (as root) and `lab13-packets read out.pcap`.
//!
//! Read chapter 13 of the book (`book/src/13-packets.md`) first. Grade your work with
//! `cargo xtask grade 13`.

// Until you write them, the functions' parameters and some imports are unused.
#![allow(unused_variables, unused_imports, dead_code)]

pub mod capture;
pub mod cli;
pub mod ethernet;
pub mod ip;
pub mod line;
pub mod packet;
pub mod pcap;
pub mod story;
pub mod transport;

use std::fmt;

/// Why some bytes are not a header: they end too soon, or a field holds a value no header can
/// have. A decoder returns this instead of reading past the end of the bytes (a slice index out
/// of bounds panics) or guessing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes end before the header (or the length it announces) does: `header` needs
    /// `needed` bytes and only `got` are there.
    Truncated {
        header: &'static str,
        needed: usize,
        got: usize,
    },
    /// `field` of `header` holds `value`, which no valid header has (an IPv4 header length under
    /// 20 bytes, an IP version that is neither 4 nor 6, …).
    Invalid {
        header: &'static str,
        field: &'static str,
        value: u32,
    },
}

/// `truncated TCP header: needs 20 bytes, got 12` or `invalid IPv4 header: IHL is 3`.
impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated {
                header,
                needed,
                got,
            } => write!(f, "truncated {header}: needs {needed} bytes, got {got}"),
            DecodeError::Invalid {
                header,
                field,
                value,
            } => write!(f, "invalid {header}: {field} is {value}"),
        }
    }
}

impl std::error::Error for DecodeError {}
