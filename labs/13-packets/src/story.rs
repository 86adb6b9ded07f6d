//! What a conversation's packets say: the stories the earlier labs could only infer.
//!
//! A `connect` that returned "connection refused" or timed out was a guess about the wire. A
//! capture shows what happened (RFC 9293, section 3.5 and 3.6):
//!
//! - **Handshake**: the client's SYN, the server's SYN-ACK, the client's ACK. Connected.
//! - **Refused**: the SYN, answered by a RST (with ACK) because nothing listens on that port.
//! - **Filtered**: the SYN, and silence. The client sends the same SYN again after 1 second,
//!   then after 2 more, 4 more… (the retransmission timeout doubles, RFC 6298), until it gives
//!   up. A capture on the server still sees the SYNs: it sees frames before the firewall does.
//! - **Half-close**: one side's FIN says "I will send no more" (`shutdown(Write)`); the other
//!   side can still send data, and then its own FIN.
//! - **UDP to a closed port**: no RST (UDP has no connections), but an ICMP destination
//!   unreachable, port unreachable, that quotes the start of the datagram it answers: its IP
//!   header and its UDP header, so the sender's kernel knows which socket it is about.

use std::net::SocketAddr;

use crate::packet::Packet;

/// How a TCP connection attempt went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// SYN, SYN-ACK, ACK: the three-way handshake completed.
    Completed,
    /// The SYN was answered by a RST.
    Refused,
    /// The SYN was never answered; the client sent it again `retransmissions` times.
    Filtered { retransmissions: usize },
    /// No SYN to the server at all.
    NotSeen,
}

/// Which side of a TCP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

/// How a TCP connection ended, or did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// No FIN and no RST.
    StillOpen,
    /// A RST ended it (before any FIN).
    Reset,
    /// `first` sent a FIN; the other side has not sent one (yet).
    Closing { first: Side },
    /// `first` sent a FIN and the other side answered with its own, sending no data between.
    Orderly { first: Side },
    /// `first` sent a FIN, the other side then sent `bytes_after` bytes of data (the FIN's own
    /// segment included), then its FIN: a half-close.
    HalfClose { first: Side, bytes_after: usize },
}

/// What answered a UDP datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UdpAnswer {
    /// A datagram came back from the server's port, carrying `bytes` bytes.
    Answered { bytes: usize },
    /// An ICMP (or ICMPv6) port unreachable came back from the server, quoting a datagram sent
    /// from `quoted_source` to `quoted_destination`.
    PortUnreachable {
        quoted_source: SocketAddr,
        quoted_destination: SocketAddr,
    },
    /// Nothing came back.
    Silence,
}

/// How the first attempt to connect to `server` in `packets` went (only the packets between
/// the address and port of that SYN's client and `server` count; a retransmission is the same
/// SYN, from the same port, sent again).
pub fn connection_attempt(packets: &[Packet], server: SocketAddr) -> Attempt {
    // TODO: tell the four stories apart, as the enum's variants say. Think about: which
    // packets belong to this conversation, a RST that answers the SYN versus a handshake
    // that completed, and counting the SYNs sent again. Read chapter 13, "Stories the
    // packets tell". You design the helpers. Then `cargo xtask hint 13`.
    todo!()
}

/// How the first connection to `server` in `packets` ended (the same conversation as
/// [`connection_attempt`]'s: the first SYN's client and `server`).
pub fn connection_close(packets: &[Packet], server: SocketAddr) -> Close {
    // TODO: find who sent the first FIN, and what the other side sent after it. Think
    // about: a RST before any FIN, data carried by the answering FIN's own segment, and a
    // FIN never answered. Read chapter 13, "Stories the packets tell". Then `cargo xtask hint 13`.
    todo!()
}

/// What answered the UDP datagrams sent to `server` in `packets`.
pub fn udp_answer(packets: &[Packet], server: SocketAddr) -> UdpAnswer {
    // TODO: find the server's answer: a datagram from it, or an ICMP port unreachable
    // from its address whose quote is a datagram to it. Think about: where the quote starts
    // (after ICMP's first 8 bytes), and that it is an IP packet of its own, to decode with the
    // decoders you wrote. Read chapter 13, "Stories the packets tell", and RFC 792 (the
    // "Destination Unreachable Message"). Then `cargo xtask hint 13`.
    todo!()
}
