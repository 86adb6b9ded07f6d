//! One line per packet, the way `tcpdump -nn -S` prints it (man tcpdump, "TCP Packets").
//!
//! ```text
//! IP 198.51.100.7.41234 > 198.51.100.10.7070: Flags [S], seq 1804289383, win 64240, options [20 bytes], length 0
//! IP 198.51.100.10.7070 > 198.51.100.7.41234: Flags [S.], seq 846930886, ack 1804289384, win 65160, options [20 bytes], length 0
//! IP 198.51.100.7.41234 > 198.51.100.10.7070: Flags [P.], seq 1804289384:1804289389, ack 846930887, win 502, length 5
//! IP6 2001:db8::7.50000 > 2001:db8::10.9: UDP, length 5
//! IP 198.51.100.10 > 198.51.100.7: ICMP type 3, code 3, length 41
//! IP6 2001:db8::10 > 2001:db8::7: ICMP6 type 1, code 4, length 61
//! ARP, length 28
//! ethertype 0x88cc, length 46
//! ```
//!
//! `IP` or `IP6`, the source and the destination (address, then `.port` for TCP and UDP), and
//! what the transport header says. For TCP: the flags in brackets, one letter each in the order
//! `F S R P . U E W` (FIN, SYN, RST, PSH, ACK written `.`, URG, ECE, CWR), `none` without any;
//! `seq` (the segment's first byte, `first:end` when it carries data) when it carries data or a
//! SYN, FIN or RST; `ack` when the ACK flag is set; the window; the size of the options, when
//! there are some (tcpdump lists them one by one instead); and `length`, the bytes of data. For
//! UDP, `length` is the data too. For ICMP, ICMP6 and other frames, `length` is everything after
//! the header before it (tcpdump names the ICMP types instead of printing their numbers).

use crate::packet::Packet;
// BEGIN SOLUTION
use crate::ethernet::ETHERTYPE_ARP;
use crate::ip::IpHeader;
use crate::transport::{TcpFlags, TcpHeader, Transport};
// END SOLUTION

/// The packet's line, as the module comment shows.
pub fn line(packet: &Packet) -> String {
    // BEGIN SOLUTION
    let Some(ip) = &packet.ip else {
        return match packet.ethernet.ethertype {
            ETHERTYPE_ARP => format!("ARP, length {}", packet.payload.len()),
            other => format!("ethertype 0x{other:04x}, length {}", packet.payload.len()),
        };
    };
    let family = match ip {
        IpHeader::V4(_) => "IP",
        IpHeader::V6(_) => "IP6",
    };
    let (source, destination) = (ip.source(), ip.destination());
    let length = packet.payload.len();
    match &packet.transport {
        Some(Transport::Tcp(tcp)) => format!(
            "{family} {source}.{} > {destination}.{}: {}",
            tcp.source_port,
            tcp.destination_port,
            tcp_summary(tcp, length)
        ),
        Some(Transport::Udp(udp)) => format!(
            "{family} {source}.{} > {destination}.{}: UDP, length {length}",
            udp.source_port, udp.destination_port
        ),
        Some(Transport::Icmp(icmp) | Transport::Icmpv6(icmp)) => {
            let name = if family == "IP" { "ICMP" } else { "ICMP6" };
            format!(
                "{family} {source} > {destination}: {name} type {}, code {}, length {}",
                icmp.icmp_type,
                icmp.code,
                length + 8
            )
        }
        Some(Transport::Other(protocol)) => {
            format!("{family} {source} > {destination}: ip-proto-{protocol}, length {length}")
        }
        None => format!("{family} {source} > {destination}"),
    }
    // END SOLUTION
    // STUB: // TODO: write the line the module comment shows for each kind of packet. Think about:
    // STUB: // which TCP fields tcpdump prints only sometimes, the order of the flag letters, and
    // STUB: // what `length` counts for each kind. Read chapter 13, "Reading tcpdump's lines", and
    // STUB: // man tcpdump ("TCP Packets"). Then `cargo xtask hint 13`.
    // STUB: todo!()
}
// BEGIN SOLUTION

/// The flag letters in tcpdump's order.
const FLAG_LETTERS: [(u8, char); 8] = [
    (TcpFlags::FIN, 'F'),
    (TcpFlags::SYN, 'S'),
    (TcpFlags::RST, 'R'),
    (TcpFlags::PSH, 'P'),
    (TcpFlags::ACK, '.'),
    (TcpFlags::URG, 'U'),
    (TcpFlags::ECE, 'E'),
    (TcpFlags::CWR, 'W'),
];

/// `[S.]`, or `[none]`.
fn flags_text(flags: TcpFlags) -> String {
    let letters: String = FLAG_LETTERS
        .iter()
        .filter(|(bit, _)| flags.has(*bit))
        .map(|(_, letter)| *letter)
        .collect();
    if letters.is_empty() {
        "[none]".into()
    } else {
        format!("[{letters}]")
    }
}

/// What tcpdump prints after the ports of a TCP segment carrying `length` bytes of data.
fn tcp_summary(tcp: &TcpHeader, length: usize) -> String {
    let mut parts = vec![format!("Flags {}", flags_text(tcp.flags))];
    let opens_or_closes = tcp.flags.0 & (TcpFlags::SYN | TcpFlags::FIN | TcpFlags::RST) != 0;
    if length > 0 {
        let end = tcp.sequence.wrapping_add(length as u32);
        parts.push(format!("seq {}:{end}", tcp.sequence));
    } else if opens_or_closes {
        parts.push(format!("seq {}", tcp.sequence));
    }
    if tcp.flags.has(TcpFlags::ACK) {
        parts.push(format!("ack {}", tcp.acknowledgment));
    }
    parts.push(format!("win {}", tcp.window));
    if tcp.options_length() > 0 {
        parts.push(format!("options [{} bytes]", tcp.options_length()));
    }
    parts.push(format!("length {length}"));
    parts.join(", ")
}
// END SOLUTION
