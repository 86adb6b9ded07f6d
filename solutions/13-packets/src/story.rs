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
// BEGIN SOLUTION
use crate::ip::decode_ip;
use crate::transport::{TcpFlags, TcpHeader, decode_udp};
// END SOLUTION

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
    // BEGIN SOLUTION
    let Some(client) = first_syn_client(packets, server) else {
        return Attempt::NotSeen;
    };
    let conversation = segments_between(packets, client, server);
    let from_client = |tcp: &TcpHeader| tcp.source_port == client.port();
    let from_server = |tcp: &TcpHeader| tcp.source_port == server.port();
    let syns = conversation
        .iter()
        .filter(|tcp| from_client(tcp))
        .filter(|tcp| tcp.flags.has(TcpFlags::SYN) && !tcp.flags.has(TcpFlags::ACK))
        .count();
    let syn_ack = conversation
        .iter()
        .position(|tcp| from_server(tcp) && tcp.flags.has(TcpFlags::SYN | TcpFlags::ACK));
    if let Some(at) = syn_ack {
        let acknowledged = conversation[at + 1..]
            .iter()
            .any(|tcp| from_client(tcp) && tcp.flags.has(TcpFlags::ACK));
        if acknowledged {
            return Attempt::Completed;
        }
    }
    let reset = conversation
        .iter()
        .any(|tcp| from_server(tcp) && tcp.flags.has(TcpFlags::RST));
    if reset {
        return Attempt::Refused;
    }
    Attempt::Filtered {
        retransmissions: syns.saturating_sub(1),
    }
    // END SOLUTION
    // STUB: // TODO: tell the four stories apart, as the enum's variants say. Think about: which
    // STUB: // packets belong to this conversation, a RST that answers the SYN versus a handshake
    // STUB: // that completed, and counting the SYNs sent again. Read chapter 13, "Stories the
    // STUB: // packets tell". You design the helpers. Then `cargo xtask hint 13`.
    // STUB: todo!()
}

/// How the first connection to `server` in `packets` ended (the same conversation as
/// [`connection_attempt`]'s: the first SYN's client and `server`).
pub fn connection_close(packets: &[Packet], server: SocketAddr) -> Close {
    // BEGIN SOLUTION
    let Some(client) = first_syn_client(packets, server) else {
        return Close::StillOpen;
    };
    let side_of = |tcp: &TcpHeader| {
        if tcp.source_port == server.port() {
            Side::Server
        } else {
            Side::Client
        }
    };
    let conversation = segments_between_with_data(packets, client, server);
    let first_fin = conversation
        .iter()
        .position(|(tcp, _)| tcp.flags.has(TcpFlags::FIN));
    let first_reset = conversation
        .iter()
        .position(|(tcp, _)| tcp.flags.has(TcpFlags::RST));
    let Some(at) = first_fin else {
        return if first_reset.is_some() {
            Close::Reset
        } else {
            Close::StillOpen
        };
    };
    if first_reset.is_some_and(|reset| reset < at) {
        return Close::Reset;
    }
    let first = side_of(conversation[at].0);
    let mut bytes_after = 0;
    for (tcp, data) in &conversation[at + 1..] {
        if side_of(tcp) == first {
            continue;
        }
        bytes_after += data;
        if tcp.flags.has(TcpFlags::FIN) {
            return if bytes_after == 0 {
                Close::Orderly { first }
            } else {
                Close::HalfClose { first, bytes_after }
            };
        }
    }
    Close::Closing { first }
    // END SOLUTION
    // STUB: // TODO: find who sent the first FIN, and what the other side sent after it. Think
    // STUB: // about: a RST before any FIN, data carried by the answering FIN's own segment, and a
    // STUB: // FIN never answered. Read chapter 13, "Stories the packets tell". Then `cargo xtask hint 13`.
    // STUB: todo!()
}

/// What answered the UDP datagrams sent to `server` in `packets`.
pub fn udp_answer(packets: &[Packet], server: SocketAddr) -> UdpAnswer {
    // BEGIN SOLUTION
    for packet in packets {
        if let (Some(_), Some((source, _))) = (packet.udp(), packet.endpoints())
            && source == server
        {
            return UdpAnswer::Answered {
                bytes: packet.payload.len(),
            };
        }
        let unreachable = packet
            .icmp()
            .is_some_and(|icmp| icmp.is_port_unreachable_v4() || icmp.is_port_unreachable_v6());
        let from_server = packet
            .ip
            .as_ref()
            .is_some_and(|ip| ip.source() == server.ip());
        if unreachable
            && from_server
            && let Some((quoted_source, quoted_destination)) = quoted_datagram(&packet.payload)
            && quoted_destination == server
        {
            return UdpAnswer::PortUnreachable {
                quoted_source,
                quoted_destination,
            };
        }
    }
    UdpAnswer::Silence
    // END SOLUTION
    // STUB: // TODO: find the server's answer: a datagram from it, or an ICMP port unreachable
    // STUB: // from its address whose quote is a datagram to it. Think about: where the quote starts
    // STUB: // (after ICMP's first 8 bytes), and that it is an IP packet of its own, to decode with the
    // STUB: // decoders you wrote. Read chapter 13, "Stories the packets tell", and RFC 792 (the
    // STUB: // "Destination Unreachable Message"). Then `cargo xtask hint 13`.
    // STUB: todo!()
}
// BEGIN SOLUTION

/// The client of the first SYN (without ACK) sent to `server`.
fn first_syn_client(packets: &[Packet], server: SocketAddr) -> Option<SocketAddr> {
    packets.iter().find_map(|packet| {
        let tcp = packet.tcp()?;
        let (source, destination) = packet.endpoints()?;
        let opens = tcp.flags.has(TcpFlags::SYN) && !tcp.flags.has(TcpFlags::ACK);
        (opens && destination == server).then_some(source)
    })
}

/// The TCP headers of the segments between `client` and `server`, both ways, in order.
fn segments_between(packets: &[Packet], client: SocketAddr, server: SocketAddr) -> Vec<&TcpHeader> {
    segments_between_with_data(packets, client, server)
        .into_iter()
        .map(|(tcp, _)| tcp)
        .collect()
}

/// The same, each with the number of data bytes it carries.
fn segments_between_with_data(
    packets: &[Packet],
    client: SocketAddr,
    server: SocketAddr,
) -> Vec<(&TcpHeader, usize)> {
    packets
        .iter()
        .filter_map(|packet| {
            let tcp = packet.tcp()?;
            let ends = packet.endpoints()?;
            (ends == (client, server) || ends == (server, client))
                .then_some((tcp, packet.payload.len()))
        })
        .collect()
}

/// The source and destination of the UDP datagram an ICMP error quotes: `quote` is the ICMP
/// message after its first 8 bytes, the start of the IP packet it answers.
fn quoted_datagram(quote: &[u8]) -> Option<(SocketAddr, SocketAddr)> {
    let (ip, rest) = decode_ip(quote).ok()?;
    let (udp, _) = decode_udp(rest).ok()?;
    Some((
        SocketAddr::new(ip.source(), udp.source_port),
        SocketAddr::new(ip.destination(), udp.destination_port),
    ))
}
// END SOLUTION
