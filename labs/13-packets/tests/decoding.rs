//! Graded tests for `src/ethernet.rs`, `src/ip.rs`, `src/transport.rs` and `src/packet.rs`:
//! the lab's decoders on frames the test builds itself with etherparse, whose fields are known
//! in advance, including IPv4 options, TCP options and IPv6 extension headers.

mod support;

use std::net::{Ipv4Addr, Ipv6Addr};
use std::panic::{AssertUnwindSafe, catch_unwind};

use etherparse::IpNumber;
use lab13_packets::DecodeError;
use lab13_packets::ethernet::decode_ethernet;
use lab13_packets::ip::{IpHeader, decode_ip, decode_ipv4, decode_ipv6};
use lab13_packets::packet::{Packet, decode_packet};
use lab13_packets::transport::{Transport, decode_tcp};
use support::crafted::{
    Family, Way, arp_request, icmp_frame, ipv4_header, ipv6_header, padded, segment, tcp_frame,
    tcp_header, udp_frame,
};
use support::oracle::expected_line;

/// The lab's decode_packet, or a failure that names the frame.
fn decoded(frame: &[u8], what: &str) -> Packet {
    match catch_unwind(|| decode_packet(frame)) {
        Ok(Ok(packet)) => packet,
        Ok(Err(error)) => panic!(
            "decode_packet could not read {what}, a valid frame: {error}\n  the frame ({} bytes): {frame:02x?}",
            frame.len()
        ),
        Err(_) => panic!(
            "decode_packet panicked on {what}, a valid frame (an index out of bounds?)\n  the frame ({} bytes): {frame:02x?}",
            frame.len()
        ),
    }
}

/// The IPv4 header of a packet.
fn ipv4_of(packet: &Packet) -> &lab13_packets::ip::Ipv4Header {
    match &packet.ip {
        Some(IpHeader::V4(header)) => header,
        other => panic!("an IPv4 frame should decode to an IPv4 header, not {other:?}"),
    }
}

#[test]
fn reads_the_ethernet_header() {
    let frames = [
        ("an IPv4 frame", segment(Way::ToServer, "S", 1000, 0, &[])),
        (
            "an IPv6 frame",
            udp_frame(ipv6_header(Way::ToClient, &[]), 9, 41234, b"hi"),
        ),
        ("an ARP frame", arp_request()),
    ];
    let mut lines = Vec::new();
    for (what, frame) in &frames {
        let (ethernet, rest) = decode_ethernet(frame)
            .unwrap_or_else(|error| panic!("decode_ethernet could not read {what}: {error}"));
        let ether = etherparse::Ethernet2Header::from_slice(frame)
            .expect("a valid frame")
            .0;
        assert_eq!(
            (
                ethernet.destination.0,
                ethernet.source.0,
                ethernet.ethertype
            ),
            (ether.destination, ether.source, ether.ether_type.0),
            "decode_ethernet read the wrong fields of {what}: the destination MAC is bytes 0 to \
             5, the source 6 to 11, and the EtherType bytes 12 and 13, big-endian"
        );
        assert_eq!(
            rest.len(),
            frame.len() - 14,
            "decode_ethernet should return the {} bytes after the 14-byte header of {what}",
            frame.len() - 14
        );
        lines.push(format!(
            "{what}: {} > {}, type 0x{:04x}, {} bytes after the header",
            ethernet.source,
            ethernet.destination,
            ethernet.ethertype,
            rest.len()
        ));
    }
    let short = decode_ethernet(&[0; 13]);
    assert!(
        matches!(short, Err(DecodeError::Truncated { .. })),
        "decode_ethernet of 13 bytes should be Err(DecodeError::Truncated {{ .. }}), not {short:?}"
    );
    lines.push("13 bytes: truncated".into());
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn reads_an_ipv4_header() {
    let frame = udp_frame(
        ipv4_header(Way::ToServer, IpNumber::UDP, &[]),
        41234,
        53,
        b"a question",
    );
    let (header, payload) = decode_ipv4(&frame[14..])
        .unwrap_or_else(|error| panic!("decode_ipv4 could not read a valid IPv4 packet: {error}"));
    assert_eq!(
        (header.source, header.destination),
        (
            Ipv4Addr::new(198, 51, 100, 7),
            Ipv4Addr::new(198, 51, 100, 10)
        ),
        "the source address is bytes 12 to 15 of the IPv4 header, the destination 16 to 19"
    );
    assert_eq!(
        (header.ttl, header.protocol),
        (64, 17),
        "the TTL is byte 8 and the protocol byte 9 (17 is UDP)"
    );
    assert_eq!(
        (header.header_length, header.total_length, payload.len()),
        (20, 38, 18),
        "this packet has a 20-byte header (IHL 5) and a total length of 38 bytes: the payload \
         is the 18 bytes after the header (header_length, total_length, payload length)"
    );
    let through_decode_ip =
        decode_ip(&frame[14..]).map(|(header, _)| matches!(header, IpHeader::V4(_)));
    assert_eq!(
        through_decode_ip,
        Ok(true),
        "decode_ip should read this packet as IPv4: the version is the top four bits of byte 0"
    );
    insta::assert_snapshot!(format!(
        "{} > {}, ttl {}, protocol {}, header {} bytes, total {} bytes, payload {} bytes",
        header.source,
        header.destination,
        header.ttl,
        header.protocol,
        header.header_length,
        header.total_length,
        payload.len()
    ));
}

#[test]
fn finds_the_transport_header_after_ipv4_options() {
    let mut lines = Vec::new();
    for options in [&[1u8, 1, 1, 1, 1, 1, 1, 0][..], &[1; 40][..]] {
        let frame = tcp_frame(
            ipv4_header(Way::ToServer, IpNumber::TCP, options),
            tcp_header(Way::ToServer, "P.", 5000, 7000, &[]),
            b"hello",
        );
        let ihl = 5 + options.len() / 4;
        let packet = decoded(&frame, "an IPv4 packet with options");
        let expected = expected_line(&frame).expect("etherparse reads the test's frame");
        assert_eq!(
            ipv4_of(&packet).header_length,
            20 + options.len(),
            "this IPv4 header carries {} bytes of options: its IHL is {ihl}, so it is {ihl} × 4 \
             = {} bytes long. The header length is the IHL (the low four bits of byte 0) times 4",
            options.len(),
            20 + options.len()
        );
        let found = lab13_packets::line::line(&packet);
        let tcp = packet.tcp().cloned();
        assert!(
            tcp.as_ref()
                .is_some_and(|tcp| (tcp.source_port, tcp.destination_port, tcp.sequence)
                    == (41234, 8080, 5000))
                && packet.payload == b"hello",
            "behind an IPv4 header with {} bytes of options, the TCP header starts at byte {} of \
             the IP packet, not at byte 20: read it where the IHL says the IP header ends, or \
             you read the options as ports and numbers.\n  found: {tcp:?}, data {:?}\n  \
             expected: {expected}",
            options.len(),
            20 + options.len(),
            String::from_utf8_lossy(&packet.payload)
        );
        lines.push(format!("IHL {ihl}: {found}"));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn reads_the_tcp_flags_numbers_and_window() {
    let mut lines = Vec::new();
    for flags in [
        "S", "S.", ".", "P.", "F.", "FP.", "R", "R.", "U.", "SEW", "none",
    ] {
        let frame = segment(Way::ToServer, flags, 0xdead_beef, 0x0102_0304, &[]);
        let (tcp, _) = decode_tcp(&frame[34..]).unwrap_or_else(|error| {
            panic!("decode_tcp could not read a valid TCP header: {error}")
        });
        let oracle = etherparse::TcpHeader::from_slice(&frame[34..])
            .expect("a valid header")
            .0;
        let byte_13 = frame[34 + 13];
        assert_eq!(
            tcp.flags.0, byte_13,
            "the flags of a [{flags}] segment are byte 13 of the TCP header, 0x{byte_13:02x} here"
        );
        assert_eq!(
            (
                tcp.source_port,
                tcp.destination_port,
                tcp.sequence,
                tcp.acknowledgment,
                tcp.window
            ),
            (
                oracle.source_port,
                oracle.destination_port,
                oracle.sequence_number,
                oracle.acknowledgment_number,
                oracle.window_size
            ),
            "a [{flags}] segment: the ports are bytes 0-1 and 2-3, the sequence number 4 to 7, \
             the acknowledgment number 8 to 11, the window 14-15, all big-endian \
             (source port, destination port, seq, ack, window)"
        );
        lines.push(format!(
            "[{flags}]: flags 0x{:02x}, seq 0x{:08x}, ack 0x{:08x}, win {}",
            tcp.flags.0, tcp.sequence, tcp.acknowledgment, tcp.window
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn finds_the_data_after_tcp_options() {
    let mut lines = Vec::new();
    // nop, nop, timestamps (10 bytes): what Linux puts in every segment; then an MSS and more.
    let timestamps = [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2];
    let many = [
        2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
    ];
    for (options, data) in [
        (&[][..], &b"no options"[..]),
        (&timestamps[..], b"hello"),
        (&many[..], b""),
    ] {
        let frame = tcp_frame(
            ipv4_header(Way::ToClient, IpNumber::TCP, &[]),
            tcp_header(Way::ToClient, "P.", 1, 2, options),
            data,
        );
        let packet = decoded(&frame, "a TCP segment with options");
        let tcp = packet.tcp().cloned().unwrap_or_else(|| {
            panic!(
                "a TCP frame should decode to a TCP header, not {:?}",
                packet.transport
            )
        });
        assert_eq!(
            (tcp.header_length, packet.payload.as_slice()),
            (20 + options.len(), data),
            "this TCP header carries {} bytes of options, so its data offset (the top four bits of \
             byte 12) is {}: the header is {} bytes and the data starts after it \
             (header_length, data)",
            options.len(),
            5 + options.len() / 4,
            20 + options.len()
        );
        lines.push(format!(
            "data offset {}: header {} bytes, options {} bytes, data {:?}",
            tcp.header_length / 4,
            tcp.header_length,
            tcp.options_length(),
            String::from_utf8_lossy(&packet.payload)
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn reads_udp_and_icmp_headers() {
    let frames = [
        (
            "a UDP datagram",
            udp_frame(
                ipv4_header(Way::ToServer, IpNumber::UDP, &[]),
                41234,
                53,
                b"question",
            ),
        ),
        (
            "an ICMP echo request",
            icmp_frame(Family::V4, Way::ToServer, 8, 0, b"ping"),
        ),
        (
            "an ICMPv6 echo request",
            icmp_frame(Family::V6, Way::ToServer, 128, 0, b"ping6"),
        ),
    ];
    let mut lines = Vec::new();
    for (what, frame) in &frames {
        let packet = decoded(frame, what);
        let found = match &packet.transport {
            Some(Transport::Udp(udp)) => format!(
                "UDP {} > {}, length {}, data {:?}",
                udp.source_port,
                udp.destination_port,
                udp.length,
                String::from_utf8_lossy(&packet.payload)
            ),
            Some(Transport::Icmp(icmp)) => format!(
                "ICMP type {}, code {}, {} bytes after",
                icmp.icmp_type,
                icmp.code,
                packet.payload.len()
            ),
            Some(Transport::Icmpv6(icmp)) => format!(
                "ICMPv6 type {}, code {}, {} bytes after",
                icmp.icmp_type,
                icmp.code,
                packet.payload.len()
            ),
            other => format!("{other:?}"),
        };
        lines.push(format!("{what}: {found}"));
    }
    let expected = "a UDP datagram: UDP 41234 > 53, length 16, data \"question\"\n\
                    an ICMP echo request: ICMP type 8, code 0, 4 bytes after\n\
                    an ICMPv6 echo request: ICMPv6 type 128, code 0, 5 bytes after";
    assert_eq!(
        lines.join("\n"),
        expected,
        "decode_transport should call decode_udp for protocol 17, decode_icmp for 1 (Icmp) and 58 \
         (Icmpv6); the UDP length counts its 8-byte header, and an ICMP message's first 8 bytes \
         are its header"
    );
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn reads_an_ipv6_header() {
    let frame = udp_frame(ipv6_header(Way::ToServer, &[]), 41234, 53, b"question");
    let (header, payload) = decode_ipv6(&frame[14..])
        .unwrap_or_else(|error| panic!("decode_ipv6 could not read a valid IPv6 packet: {error}"));
    let client: Ipv6Addr = "2001:db8::7".parse().expect("an address");
    let server: Ipv6Addr = "2001:db8::10".parse().expect("an address");
    assert_eq!(
        (header.source, header.destination),
        (client, server),
        "the source address is bytes 8 to 23 of the IPv6 header, the destination 24 to 39"
    );
    assert_eq!(
        (
            header.hop_limit,
            header.protocol,
            header.payload_length,
            header.header_length,
            payload.len()
        ),
        (64, 17, 16, 40, 16),
        "an IPv6 header is 40 bytes; the payload length (bytes 4-5) counts what follows them, the \
         next header (byte 6) is 17 (UDP), the hop limit byte 7 \
         (hop limit, protocol, payload length, header length, payload)"
    );
    insta::assert_snapshot!(format!(
        "{} > {}, hop limit {}, next header {}, header {} bytes, payload {} bytes",
        header.source,
        header.destination,
        header.hop_limit,
        header.protocol,
        header.header_length,
        payload.len()
    ));
}

#[test]
fn follows_the_ipv6_next_header_chain() {
    let mut lines = Vec::new();
    for extensions in [&[0u8][..], &[0, 60][..]] {
        for transport in ["TCP", "UDP"] {
            let ip = ipv6_header(Way::ToServer, extensions);
            let frame = if transport == "TCP" {
                tcp_frame(ip, tcp_header(Way::ToServer, "S", 77, 0, &[]), &[])
            } else {
                udp_frame(ip, 41234, 53, b"question")
            };
            let packet = decoded(&frame, "an IPv6 packet with extension headers");
            let expected = expected_line(&frame).expect("etherparse reads the test's frame");
            let found = lab13_packets::line::line(&packet);
            let Some(IpHeader::V6(header)) = &packet.ip else {
                panic!(
                    "an IPv6 frame should decode to an IPv6 header, not {:?}",
                    packet.ip
                );
            };
            assert_eq!(
                (header.extensions.as_slice(), header.header_length),
                (extensions, 40 + 8 * extensions.len()),
                "this IPv6 packet's next header chain is {extensions:?} then {transport}: each of \
                 those extension headers is (byte 1 + 1) × 8 = 8 bytes, and its byte 0 is the next \
                 header (extensions walked, header length)"
            );
            assert_eq!(
                found, expected,
                "behind the extension headers {extensions:?}, the {transport} header comes last: \
                 follow the next header chain (0 hop-by-hop, 43 routing, 44 fragment, 60 \
                 destination options) before decoding the transport header"
            );
            lines.push(format!("chain {extensions:?} then {transport}: {found}"));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn stops_at_the_end_the_ip_header_announces() {
    let ack = padded(segment(Way::ToClient, ".", 1, 2, &[]));
    let datagram = padded(udp_frame(
        ipv4_header(Way::ToServer, IpNumber::UDP, &[]),
        41234,
        53,
        b"hi",
    ));
    let mut lines = Vec::new();
    for (what, frame, data) in [
        ("a bare ACK", ack, &b""[..]),
        ("a 2-byte datagram", datagram, &b"hi"[..]),
    ] {
        let packet = decoded(&frame, what);
        assert_eq!(
            packet.payload.as_slice(),
            data,
            "{what} is shorter than Ethernet's 60-byte minimum, so zeros pad its frame: they are \
             not data. The IPv4 total length says where the packet ends (and UDP's length where \
             the datagram does)"
        );
        lines.push(format!(
            "{what}, padded to {} bytes: {} bytes of data",
            frame.len(),
            packet.payload.len()
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn reports_truncated_frames_without_panicking() {
    let frames = [
        (
            "IPv4 with options, TCP with options and data",
            tcp_frame(
                ipv4_header(Way::ToServer, IpNumber::TCP, &[1, 1, 1, 0]),
                tcp_header(
                    Way::ToServer,
                    "P.",
                    1,
                    2,
                    &[1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2],
                ),
                b"hello",
            ),
        ),
        (
            "IPv6 with a chain, UDP",
            udp_frame(ipv6_header(Way::ToServer, &[0, 60]), 41234, 53, b"question"),
        ),
        (
            "ICMP",
            icmp_frame(Family::V4, Way::ToClient, 3, 3, &[0; 28]),
        ),
        (
            "ICMPv6",
            icmp_frame(Family::V6, Way::ToClient, 1, 4, &[0; 48]),
        ),
    ];
    let mut lines = Vec::new();
    for (what, frame) in &frames {
        for length in 0..frame.len() {
            let prefix = &frame[..length];
            match catch_unwind(AssertUnwindSafe(|| decode_packet(prefix))) {
                Err(_) => panic!(
                    "decode_packet panicked on the first {length} bytes of a {}-byte frame ({what}): \
                     check the length of the bytes before reading a field, and return \
                     DecodeError::Truncated instead",
                    frame.len()
                ),
                Ok(Ok(packet)) => panic!(
                    "decode_packet read the first {length} bytes of a {}-byte frame ({what}) as a \
                     whole packet ({packet:?}): the frame ends before the length its headers \
                     announce (IPv4 total length, IPv6 payload length, an extension header's or \
                     the TCP header's length), which is DecodeError::Truncated",
                    frame.len()
                ),
                Ok(Err(DecodeError::Truncated { .. })) => {}
                Ok(Err(other)) => panic!(
                    "the first {length} bytes of a {}-byte frame ({what}) are truncated, but \
                     decode_packet said: {other}",
                    frame.len()
                ),
            }
        }
        lines.push(format!(
            "{what}: each of its {} shorter prefixes is truncated",
            frame.len()
        ));
    }
    // Impossible fields: an IHL of 3, a TCP data offset of 2, an IP version of 5.
    let mut small_ihl = segment(Way::ToServer, "S", 1, 0, &[]);
    small_ihl[14] = 0x43;
    let mut small_offset = segment(Way::ToServer, "S", 1, 0, &[]);
    small_offset[34 + 12] = 0x20;
    let mut version_5 = segment(Way::ToServer, "S", 1, 0, &[]);
    version_5[14] = 0x55;
    for (what, frame) in [
        ("IHL 3", small_ihl),
        ("TCP data offset 2", small_offset),
        ("IP version 5", version_5),
    ] {
        let result = catch_unwind(AssertUnwindSafe(|| decode_packet(&frame)));
        match result {
            Ok(Err(DecodeError::Invalid { .. })) => lines.push(format!("{what}: invalid")),
            Ok(Err(DecodeError::Truncated { .. })) => lines.push(format!("{what}: truncated")),
            Ok(Ok(packet)) => panic!(
                "decode_packet accepted a frame with {what}, which no valid header has: it should \
                 be DecodeError::Invalid (found {packet:?})"
            ),
            Err(_) => {
                panic!("decode_packet panicked on a frame with {what}: return DecodeError::Invalid")
            }
        }
    }
    // The IP version lives in its first four bits; decode_ip of nothing at all is truncated too.
    let empty = catch_unwind(|| decode_ip(&[]).map(|_| ()));
    assert!(
        matches!(empty, Ok(Err(DecodeError::Truncated { .. }))),
        "decode_ip(&[]) should be Err(DecodeError::Truncated {{ .. }}), not {empty:?}"
    );
    insta::assert_snapshot!(lines.join("\n"));
}
