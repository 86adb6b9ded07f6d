//! Lab 13 (the packets themselves) graded with realistic mistakes: each one must cost some
//! points, not all, and the snapshot records which tests caught it.

mod support;

const LAB: &str = "13-packets";

#[test]
fn lab_13_catches_a_decoder_that_reads_tcp_at_a_fixed_offset() {
    // The IHL says where the IPv4 header ends: with options, byte 20 is still the header.
    let failed = support::grade_wrong_solution(
        LAB,
        "ip.rs",
        "    Ok((header, &bytes[header_length..total_length]))\n",
        "    Ok((header, &bytes[20..total_length]))\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_13_catches_a_decoder_that_ignores_the_ipv6_next_header_chain() {
    // Taking the first next header for the transport reads an extension header as TCP or UDP.
    let failed = support::grade_wrong_solution(
        LAB,
        "ip.rs",
        "    let (extensions, protocol, chain_length) = walk_extension_headers(bytes[6], payload)?;\n",
        "    let (extensions, protocol, chain_length) = (Vec::new(), bytes[6], 0);\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_13_catches_a_decoder_that_believes_the_frame_rather_than_the_total_length() {
    // A frame cut short is then read as a whole packet instead of an error.
    let failed = support::grade_wrong_solution(
        LAB,
        "ip.rs",
        "    need(bytes, total_length, \"IPv4 packet\")?;\n",
        "    let total_length = total_length.min(bytes.len());\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_13_catches_a_decoder_that_takes_the_ethernet_padding_for_data() {
    let failed = support::grade_wrong_solution(
        LAB,
        "ip.rs",
        "    Ok((header, &bytes[header_length..total_length]))\n",
        "    Ok((header, &bytes[header_length..]))\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_13_catches_swapped_flag_letters() {
    // FIN and SYN are the two lowest bits: swapped, every SYN is printed as a FIN.
    let failed = support::grade_wrong_solution(
        LAB,
        "line.rs",
        "    (TcpFlags::FIN, 'F'),\n    (TcpFlags::SYN, 'S'),\n",
        "    (TcpFlags::FIN, 'S'),\n    (TcpFlags::SYN, 'F'),\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_13_catches_a_story_that_calls_a_filtered_port_refused() {
    // Silence is not a refusal: nothing answered the SYN.
    let failed = support::grade_wrong_solution(
        LAB,
        "story.rs",
        "    Attempt::Filtered {\n        retransmissions: syns.saturating_sub(1),\n    }\n",
        "    Attempt::Refused\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_13_catches_a_capture_bound_with_the_protocol_in_host_byte_order() {
    // ETH_P_ALL is 0x0003 in network byte order; in host order the socket receives nothing.
    let failed = support::grade_wrong_solution(
        LAB,
        "capture.rs",
        "    address.sll_protocol = (libc::ETH_P_ALL as u16).to_be();\n",
        "    address.sll_protocol = libc::ETH_P_ALL as u16;\n",
    );
    insta::assert_snapshot!(failed);
}
