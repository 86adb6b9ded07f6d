//! The independent decoder: what etherparse reads in a frame, written in the lab's line format
//! (see `src/line.rs`), so that the lab's line can be compared with it field by field.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use etherparse::{LinkHeader, NetHeaders, PacketHeaders, TransportHeader};

/// The line the lab's `line` should print for `frame`, or why etherparse cannot decode it.
pub fn expected_line(frame: &[u8]) -> Result<String, String> {
    let headers = PacketHeaders::from_ethernet_slice(frame).map_err(|error| error.to_string())?;
    let Some(LinkHeader::Ethernet2(ethernet)) = &headers.link else {
        return Err("not an Ethernet frame".into());
    };
    let after_ethernet = frame.len() - 14;
    let (family, source, destination) = match &headers.net {
        Some(NetHeaders::Ipv4(ip, _)) => (
            "IP",
            IpAddr::from(Ipv4Addr::from(ip.source)),
            IpAddr::from(Ipv4Addr::from(ip.destination)),
        ),
        Some(NetHeaders::Ipv6(ip, _)) => (
            "IP6",
            IpAddr::from(Ipv6Addr::from(ip.source)),
            IpAddr::from(Ipv6Addr::from(ip.destination)),
        ),
        Some(NetHeaders::Arp(_)) => return Ok(format!("ARP, length {after_ethernet}")),
        None => {
            return Ok(format!(
                "ethertype 0x{:04x}, length {after_ethernet}",
                ethernet.ether_type.0
            ));
        }
    };
    let data = headers.payload.slice().len();
    Ok(match &headers.transport {
        Some(TransportHeader::Tcp(tcp)) => {
            let letters: String = [
                (tcp.fin, 'F'),
                (tcp.syn, 'S'),
                (tcp.rst, 'R'),
                (tcp.psh, 'P'),
                (tcp.ack, '.'),
                (tcp.urg, 'U'),
                (tcp.ece, 'E'),
                (tcp.cwr, 'W'),
            ]
            .iter()
            .filter(|(set, _)| *set)
            .map(|(_, letter)| *letter)
            .collect();
            let letters = if letters.is_empty() {
                "none".to_string()
            } else {
                letters
            };
            let mut parts = vec![format!("Flags [{letters}]")];
            if data > 0 {
                parts.push(format!(
                    "seq {}:{}",
                    tcp.sequence_number,
                    tcp.sequence_number.wrapping_add(data as u32)
                ));
            } else if tcp.syn || tcp.fin || tcp.rst {
                parts.push(format!("seq {}", tcp.sequence_number));
            }
            if tcp.ack {
                parts.push(format!("ack {}", tcp.acknowledgment_number));
            }
            parts.push(format!("win {}", tcp.window_size));
            if tcp.header_len() > 20 {
                parts.push(format!("options [{} bytes]", tcp.header_len() - 20));
            }
            parts.push(format!("length {data}"));
            format!(
                "{family} {source}.{} > {destination}.{}: {}",
                tcp.source_port,
                tcp.destination_port,
                parts.join(", ")
            )
        }
        Some(TransportHeader::Udp(udp)) => format!(
            "{family} {source}.{} > {destination}.{}: UDP, length {data}",
            udp.source_port, udp.destination_port
        ),
        Some(TransportHeader::Icmpv4(icmp)) => {
            let bytes = icmp.to_bytes();
            format!(
                "{family} {source} > {destination}: ICMP type {}, code {}, length {}",
                bytes[0],
                bytes[1],
                icmp.header_len() + data
            )
        }
        Some(TransportHeader::Icmpv6(icmp)) => {
            let bytes = icmp.to_bytes();
            format!(
                "{family} {source} > {destination}: ICMP6 type {}, code {}, length {}",
                bytes[0],
                bytes[1],
                icmp.header_len() + data
            )
        }
        _ => return Err("a transport protocol the tests do not use".into()),
    })
}
