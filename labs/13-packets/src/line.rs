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

/// The packet's line, as the module comment shows.
pub fn line(packet: &Packet) -> String {
    // TODO: write the line the module comment shows for each kind of packet. Think about:
    // which TCP fields tcpdump prints only sometimes, the order of the flag letters, and
    // what `length` counts for each kind. Read chapter 13, "Reading tcpdump's lines", and
    // man tcpdump ("TCP Packets"). Then `cargo xtask hint 13`.
    todo!()
}
