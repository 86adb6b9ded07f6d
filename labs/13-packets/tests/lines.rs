//! Graded tests for `src/line.rs`: one tcpdump-like line per packet, for frames the test
//! builds itself. The expected line comes from an independent decoder (etherparse), written in
//! the same format.

mod support;

use etherparse::IpNumber;
use lab13_packets::line::line;
use lab13_packets::packet::decode_packet;
use support::crafted::{
    Family, Way, arp_request, icmp_frame, ipv4_header, ipv6_header, other_frame, segment,
    tcp_frame, tcp_header, udp_frame,
};
use support::oracle::expected_line;

/// The lab's line for `frame`, checked against etherparse's reading of it.
fn checked_line(frame: &[u8], what: &str) -> String {
    let packet = decode_packet(frame).unwrap_or_else(|error| {
        panic!("decode_packet could not read {what}, a valid frame: {error}")
    });
    let found = line(&packet);
    let expected = expected_line(frame).expect("etherparse reads the test's frame");
    assert_eq!(
        found, expected,
        "the line of {what} is not what tcpdump would print (the module comment of src/line.rs \
         shows the format; chapter 13, \"Reading tcpdump's lines\")"
    );
    found
}

#[test]
fn writes_tcp_lines_like_tcpdump() {
    let timestamps = [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2];
    let frames = [
        ("a SYN", segment(Way::ToServer, "S", 1000, 0, &[])),
        ("a SYN-ACK", segment(Way::ToClient, "S.", 5000, 1001, &[])),
        ("an ACK", segment(Way::ToServer, ".", 1001, 5001, &[])),
        ("data", segment(Way::ToServer, "P.", 1001, 5001, b"hello")),
        ("a FIN", segment(Way::ToServer, "F.", 1006, 5001, &[])),
        (
            "a FIN with data",
            segment(Way::ToClient, "FP.", 5001, 1007, b"bye"),
        ),
        ("a reset", segment(Way::ToClient, "R.", 0, 1001, &[])),
        ("a bare reset", segment(Way::ToClient, "R", 77, 0, &[])),
        ("no flags at all", segment(Way::ToServer, "none", 1, 0, &[])),
        ("a SYN with ECN", segment(Way::ToServer, "SEW", 1, 0, &[])),
        (
            "data with options",
            tcp_frame(
                ipv4_header(Way::ToServer, IpNumber::TCP, &[]),
                tcp_header(Way::ToServer, "P.", 4_294_967_290, 9, &timestamps),
                b"wraps around",
            ),
        ),
        (
            "IPv6",
            tcp_frame(
                ipv6_header(Way::ToClient, &[]),
                tcp_header(Way::ToClient, "S.", 3, 1, &timestamps),
                &[],
            ),
        ),
    ];
    let lines: Vec<String> = frames
        .iter()
        .map(|(what, frame)| format!("{what}:\n  {}", checked_line(frame, what)))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn writes_udp_icmp_and_other_lines() {
    let frames = [
        (
            "UDP",
            udp_frame(
                ipv4_header(Way::ToServer, IpNumber::UDP, &[]),
                41234,
                53,
                b"question",
            ),
        ),
        (
            "UDP over IPv6",
            udp_frame(ipv6_header(Way::ToServer, &[]), 41234, 53, b""),
        ),
        (
            "an ICMP port unreachable",
            icmp_frame(Family::V4, Way::ToClient, 3, 3, &[0; 28]),
        ),
        (
            "an ICMPv6 port unreachable",
            icmp_frame(Family::V6, Way::ToClient, 1, 4, &[0; 48]),
        ),
        (
            "an ICMP echo request",
            icmp_frame(Family::V4, Way::ToServer, 8, 0, &[0; 56]),
        ),
        ("ARP", arp_request()),
        ("LLDP", other_frame(46)),
    ];
    let lines: Vec<String> = frames
        .iter()
        .map(|(what, frame)| format!("{what}:\n  {}", checked_line(frame, what)))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}
