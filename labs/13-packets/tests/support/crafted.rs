//! Frames the tests build themselves with etherparse's `PacketBuilder`: every field known in
//! advance, including the ones a real capture on this machine rarely shows (IPv4 options,
//! IPv6 extension headers, every TCP flag).

use etherparse::{
    IpHeaders, IpNumber, Ipv4Header, Ipv4Options, Ipv6Extensions, Ipv6FlowLabel, Ipv6Header,
    Ipv6RawExtHeader, PacketBuilder, PacketBuilderStep, TcpHeader,
};

pub const CLIENT_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x07];
pub const SERVER_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x10];
pub const CLIENT4: [u8; 4] = [198, 51, 100, 7];
pub const SERVER4: [u8; 4] = [198, 51, 100, 10];
pub const CLIENT6: [u8; 16] = [
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07,
];
pub const SERVER6: [u8; 16] = [
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];
pub const CLIENT_PORT: u16 = 41234;
pub const SERVER_PORT: u16 = 8080;

/// Which way a crafted packet goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Way {
    ToServer,
    ToClient,
}

/// The IP family of a crafted packet.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V4,
    V6,
}

/// An IPv4 header of the test's own (TTL 64), with `options` (a multiple of 4 bytes).
pub fn ipv4_header(way: Way, protocol: IpNumber, options: &[u8]) -> IpHeaders {
    let (source, destination) = match way {
        Way::ToServer => (CLIENT4, SERVER4),
        Way::ToClient => (SERVER4, CLIENT4),
    };
    let mut header =
        Ipv4Header::new(0, 64, protocol, source, destination).expect("a valid IPv4 header");
    header.options = Ipv4Options::try_from(options).expect("options of a valid length");
    IpHeaders::Ipv4(header, Default::default())
}

/// An IPv6 header of the test's own (hop limit 64), followed by the extension headers named
/// by their numbers (0 hop-by-hop options, 60 destination options), each 8 bytes of padding.
pub fn ipv6_header(way: Way, extensions: &[u8]) -> IpHeaders {
    let (source, destination) = match way {
        Way::ToServer => (CLIENT6, SERVER6),
        Way::ToClient => (SERVER6, CLIENT6),
    };
    let header = Ipv6Header {
        traffic_class: 0,
        flow_label: Ipv6FlowLabel::ZERO,
        payload_length: 0,
        next_header: IpNumber(59),
        hop_limit: 64,
        source,
        destination,
    };
    // A PadN option of 4 bytes after the 2-byte start: 8 bytes, the smallest extension header.
    let padding = [1, 4, 0, 0, 0, 0];
    let raw = || Ipv6RawExtHeader::new_raw(IpNumber(59), &padding).expect("a valid extension");
    let mut chain = Ipv6Extensions::default();
    for extension in extensions {
        match extension {
            0 => chain.hop_by_hop_options = Some(raw()),
            60 => chain.destination_options = Some(raw()),
            other => panic!("the tests craft no extension header {other}"),
        }
    }
    IpHeaders::Ipv6(header, chain)
}

fn ethernet(way: Way) -> PacketBuilderStep<etherparse::Ethernet2Header> {
    match way {
        Way::ToServer => PacketBuilder::ethernet2(CLIENT_MAC, SERVER_MAC),
        Way::ToClient => PacketBuilder::ethernet2(SERVER_MAC, CLIENT_MAC),
    }
}

/// A TCP segment's header: ports by `way`, the flags as tcpdump's letters (`S.`, `FP.`, `none`).
pub fn tcp_header(
    way: Way,
    flags: &str,
    sequence: u32,
    acknowledgment: u32,
    options: &[u8],
) -> TcpHeader {
    let (source, destination) = match way {
        Way::ToServer => (CLIENT_PORT, SERVER_PORT),
        Way::ToClient => (SERVER_PORT, CLIENT_PORT),
    };
    let mut tcp = TcpHeader::new(source, destination, sequence, 502);
    for letter in flags.chars() {
        match letter {
            'F' => tcp.fin = true,
            'S' => tcp.syn = true,
            'R' => tcp.rst = true,
            'P' => tcp.psh = true,
            '.' => tcp.ack = true,
            'U' => tcp.urg = true,
            'E' => tcp.ece = true,
            'W' => tcp.cwr = true,
            _ => {}
        }
    }
    if tcp.ack {
        tcp.acknowledgment_number = acknowledgment;
    }
    tcp.set_options_raw(options)
        .expect("options of a valid length");
    tcp
}

/// A whole TCP frame.
pub fn tcp_frame(ip: IpHeaders, tcp: TcpHeader, data: &[u8]) -> Vec<u8> {
    let way = way_of(&ip);
    let mut frame = Vec::new();
    ethernet(way)
        .ip(ip)
        .tcp_header(tcp)
        .write(&mut frame, data)
        .expect("the test can build its frame");
    frame
}

/// A TCP frame between the client and the server of the test's own, IPv4 without options.
pub fn segment(way: Way, flags: &str, sequence: u32, acknowledgment: u32, data: &[u8]) -> Vec<u8> {
    tcp_frame(
        ipv4_header(way, IpNumber::TCP, &[]),
        tcp_header(way, flags, sequence, acknowledgment, &[]),
        data,
    )
}

/// A UDP frame with ports `source` and `destination`.
pub fn udp_frame(ip: IpHeaders, source: u16, destination: u16, data: &[u8]) -> Vec<u8> {
    let way = way_of(&ip);
    let mut frame = Vec::new();
    ethernet(way)
        .ip(ip)
        .udp(source, destination)
        .write(&mut frame, data)
        .expect("the test can build its frame");
    frame
}

/// An ICMP (IPv4) or ICMPv6 frame with type, code, 4 more bytes of zeros, and `rest`.
pub fn icmp_frame(family: Family, way: Way, icmp_type: u8, code: u8, rest: &[u8]) -> Vec<u8> {
    let mut frame = Vec::new();
    match family {
        Family::V4 => ethernet(way)
            .ip(ipv4_header(way, IpNumber::ICMP, &[]))
            .icmpv4_raw(icmp_type, code, [0; 4])
            .write(&mut frame, rest),
        Family::V6 => ethernet(way)
            .ip(ipv6_header(way, &[]))
            .icmpv6_raw(icmp_type, code, [0; 4])
            .write(&mut frame, rest),
    }
    .expect("the test can build its frame");
    frame
}

/// An ARP request from the client: who has 198.51.100.10?
pub fn arp_request() -> Vec<u8> {
    let mut frame = Vec::new();
    frame.extend_from_slice(&[0xff; 6]);
    frame.extend_from_slice(&CLIENT_MAC);
    frame.extend_from_slice(&[0x08, 0x06]);
    frame.extend_from_slice(&[0, 1, 0x08, 0, 6, 4, 0, 1]);
    frame.extend_from_slice(&CLIENT_MAC);
    frame.extend_from_slice(&CLIENT4);
    frame.extend_from_slice(&[0; 6]);
    frame.extend_from_slice(&SERVER4);
    frame
}

/// A frame of another EtherType (0x88cc, LLDP) with `length` bytes of zeros.
pub fn other_frame(length: usize) -> Vec<u8> {
    let mut frame = Vec::new();
    frame.extend_from_slice(&[0x01, 0x80, 0xc2, 0, 0, 0x0e]);
    frame.extend_from_slice(&CLIENT_MAC);
    frame.extend_from_slice(&[0x88, 0xcc]);
    frame.extend(std::iter::repeat_n(0, length));
    frame
}

/// `frame` followed by zeros up to Ethernet's 60-byte minimum.
pub fn padded(mut frame: Vec<u8>) -> Vec<u8> {
    if frame.len() < 60 {
        frame.resize(60, 0);
    }
    frame
}

fn way_of(ip: &IpHeaders) -> Way {
    let from_client = match ip {
        IpHeaders::Ipv4(header, _) => header.source == CLIENT4,
        IpHeaders::Ipv6(header, _) => header.source == CLIENT6,
    };
    if from_client {
        Way::ToServer
    } else {
        Way::ToClient
    }
}
