//! Graded tests for `src/story.rs`: the stories of real conversations between two machines of
//! the test's own, captured by the lab's capture on the server's end of the cable, and of
//! conversations the test builds frame by frame.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use lab13_packets::line::line;
use lab13_packets::packet::{Packet, decode_packet};
use lab13_packets::story::{
    Attempt, Close, Side, UdpAnswer, connection_attempt, connection_close, udp_answer,
};
use support::cable::{Cable, PATIENCE, SERVER, SERVER6, decode_all, load_firewall};
use support::crafted::{
    CLIENT_PORT, Family, SERVER_PORT, Way, icmp_frame, ipv4_header, segment, udp_frame,
};
use support::redact;
use support::traffic::{
    attempt, closed_tcp_port, closed_udp_port, half_close_exchange, listen, send_datagram,
};

/// The redacted lines of the TCP segments between `client` and `server`.
fn conversation(packets: &[Packet], client: SocketAddr, server: SocketAddr) -> Vec<String> {
    let ports = [(client.port(), "CLIENT"), (server.port(), "SERVER")];
    packets
        .iter()
        .filter(|packet| {
            packet
                .endpoints()
                .is_some_and(|ends| ends == (client, server) || ends == (server, client))
        })
        .map(|packet| redact(&line(packet), &ports))
        .collect()
}

#[test]
fn sees_the_three_way_handshake() {
    let cable = Cable::build();
    let mut report = Vec::new();
    for address in [SERVER, SERVER6] {
        let listener = listen(&cable, address);
        let (frames, (client, server)) = cable
            .capture_while(|| half_close_exchange(&cable, &listener, b"hello", b"hello to you"));
        let packets = decode_all(&frames);
        let found = connection_attempt(&packets, server);
        let lines = conversation(&packets, client, server);
        assert_eq!(
            found,
            Attempt::Completed,
            "a client connected to {server}, so the capture holds a SYN, a SYN-ACK and an ACK, but \
             connection_attempt says {found:?}. The packets:\n{}",
            lines.join("\n")
        );
        report.push(format!("{address}: {found:?}"));
        report.extend(lines.iter().take(3).map(|line| format!("  {line}")));
    }
    insta::assert_snapshot!(report.join("\n"));
}

#[test]
fn sees_the_reset_of_a_refused_port() {
    let cable = Cable::build();
    let mut report = Vec::new();
    for address in [SERVER, SERVER6] {
        let server = closed_tcp_port(&cable, address);
        let (frames, (client, said)) = cable.capture_while(|| attempt(&cable, server, PATIENCE));
        let packets = decode_all(&frames);
        let found = connection_attempt(&packets, server);
        let lines = conversation(&packets, client, server);
        assert_eq!(
            found,
            Attempt::Refused,
            "nothing listens on {server}, so the server's kernel answered the SYN with a RST (and \
             connect said {said}), but connection_attempt says {found:?}. The packets:\n{}",
            lines.join("\n")
        );
        report.push(format!(
            "{address}: connect said {said}, the packets say {found:?}"
        ));
        report.extend(lines.iter().map(|line| format!("  {line}")));
    }
    insta::assert_snapshot!(report.join("\n"));
}

#[test]
fn sees_the_silence_and_retransmissions_of_a_dropped_syn() {
    let cable = Cable::build();
    let listener = listen(&cable, SERVER);
    let server = listener
        .local_addr()
        .expect("a bound listener has an address");
    load_firewall(
        &cable,
        &format!(
            "table inet lab13 {{
    chain input {{
        type filter hook input priority filter; policy accept;
        tcp dport {} drop
    }}
}}
",
            server.port()
        ),
    );
    // The client sends its SYN again after a second (Linux's initial retransmission timeout),
    // then again: give up after two and a half seconds, which holds two or three SYNs.
    let (frames, (client, said)) =
        cable.capture_while(|| attempt(&cable, server, Duration::from_millis(2500)));
    let packets = decode_all(&frames);
    let found = connection_attempt(&packets, server);
    let lines = conversation(&packets, client, server);
    // The test's own count of the SYNs, read by etherparse.
    let syn_times: Vec<Duration> = frames
        .iter()
        .filter(|frame| {
            etherparse::PacketHeaders::from_ethernet_slice(&frame.bytes).is_ok_and(|headers| {
                matches!(&headers.transport, Some(etherparse::TransportHeader::Tcp(tcp))
                    if tcp.syn && !tcp.ack && tcp.source_port == client.port() && tcp.destination_port == server.port())
            })
        })
        .map(|frame| frame.timestamp)
        .collect();
    assert!(
        syn_times.len() >= 2,
        "the client sent the same SYN again and again for 2.5 s (Linux resends it after a \
         second), but your capture on the server holds it {} times: Capture must receive every \
         frame that arrives, even those the firewall drops afterwards",
        syn_times.len()
    );
    let expected = Attempt::Filtered {
        retransmissions: syn_times.len() - 1,
    };
    assert_eq!(
        found,
        expected,
        "the server's firewall dropped every SYN: the capture (which sees frames before the \
         firewall does) holds the same SYN {} times and no answer, so connection_attempt should \
         say {expected:?}, not {found:?}. A port that answers nothing is not refused: it is \
         filtered. The packets:\n{}",
        syn_times.len(),
        lines.join("\n")
    );
    let gaps_of_a_second = syn_times
        .windows(2)
        .all(|pair| pair[1].saturating_sub(pair[0]) >= Duration::from_millis(500));
    assert!(
        gaps_of_a_second,
        "the SYNs in the capture should be about a second apart (the retransmission timeout): \
         each frame's timestamp must be the time it was captured"
    );
    let distinct: std::collections::BTreeSet<&String> = lines.iter().collect();
    insta::assert_snapshot!(format!(
        "connect said {said}; the packets say Filtered, the SYN sent again and again\n\
         every packet of the attempt:\n{}\nbetween the SYNs: a second or more",
        distinct
            .iter()
            .map(|line| format!("  {line}"))
            .collect::<Vec<_>>()
            .join("\n")
    ));
}

#[test]
fn sees_the_fins_of_a_half_close() {
    let cable = Cable::build();
    let listener = listen(&cable, SERVER);
    let answer = b"twenty bytes, after";
    let (frames, (client, server)) =
        cable.capture_while(|| half_close_exchange(&cable, &listener, b"hello", answer));
    let packets = decode_all(&frames);
    let found = connection_close(&packets, server);
    let lines = conversation(&packets, client, server);
    assert_eq!(
        found,
        Close::HalfClose {
            first: Side::Client,
            bytes_after: answer.len()
        },
        "the client sent 5 bytes and its FIN (shutdown(Write)), then the server sent {} bytes and \
         its own FIN: connection_close should say HalfClose {{ first: Client, bytes_after: {} }}, \
         not {found:?}. The packets:\n{}",
        answer.len(),
        answer.len(),
        lines.join("\n")
    );
    // Who sent each FIN, in order (a FIN may carry the last bytes of data too: `[FP.]`).
    let fins: Vec<&str> = lines
        .iter()
        .filter(|line| line.contains("Flags [F"))
        .filter_map(|line| line.split(": ").next())
        .collect();
    insta::assert_snapshot!(format!(
        "{found:?}\nthe FINs, in order:\n{}",
        fins.iter()
            .map(|who| format!("  {who}"))
            .collect::<Vec<_>>()
            .join("\n")
    ));
}

#[test]
fn sees_the_icmp_answer_to_udp_sent_to_a_closed_port() {
    let cable = Cable::build();
    let mut report = Vec::new();
    for address in [SERVER, SERVER6] {
        let server = closed_udp_port(&cable, address);
        let (frames, client) = cable.capture_while(|| send_datagram(&cable, server, b"anyone?"));
        let packets = decode_all(&frames);
        let found = udp_answer(&packets, server);
        let expected = UdpAnswer::PortUnreachable {
            quoted_source: client,
            quoted_destination: server,
        };
        assert_eq!(
            found, expected,
            "nothing listens on UDP {server}, so its kernel answered with an ICMP port \
             unreachable that quotes the datagram: its IP header, then its UDP header (from \
             {client}). Decode the quote after the ICMP header's 8 bytes with decode_ip and \
             decode_udp"
        );
        report.push(format!(
            "{address}: PortUnreachable, quoting the datagram from the client's port to the closed port"
        ));
    }
    // A server that answers: the datagram that comes back is the story.
    let echo = cable
        .server
        .run(|| std::net::UdpSocket::bind(SocketAddr::new(SERVER, 0)))
        .expect("the server can bind UDP");
    let server = echo.local_addr().expect("a bound socket has an address");
    let (frames, _) = cable.capture_while(|| {
        std::thread::scope(|scope| {
            scope.spawn(|| {
                echo.set_read_timeout(Some(Duration::from_secs(5)))
                    .expect("a timeout");
                let mut buffer = [0; 64];
                if let Ok((length, from)) = echo.recv_from(&mut buffer) {
                    let _ = echo.send_to(&buffer[..length], from);
                }
            });
            send_datagram(&cable, server, b"echo me")
        })
    });
    let found = udp_answer(&decode_all(&frames), server);
    assert_eq!(
        found,
        UdpAnswer::Answered { bytes: 7 },
        "the server echoed the 7-byte datagram back: udp_answer should say Answered {{ bytes: 7 }}"
    );
    report.push(format!("an echo server: {found:?}"));
    insta::assert_snapshot!(report.join("\n"));
}

#[test]
fn tells_the_stories_apart_in_crafted_conversations() {
    use Way::{ToClient, ToServer};
    let server = SocketAddr::new(SERVER, SERVER_PORT);
    let decode = |frames: Vec<Vec<u8>>| -> Vec<Packet> {
        frames
            .iter()
            .map(|frame| decode_packet(frame).expect("decode_packet reads the test's valid frames"))
            .collect()
    };
    let syn = || segment(ToServer, "S", 100, 0, &[]);
    let syn_ack = || segment(ToClient, "S.", 500, 101, &[]);
    let ack = || segment(ToServer, ".", 101, 501, &[]);
    let handshake = || vec![syn(), syn_ack(), ack()];
    let mut aborted = handshake();
    aborted.push(segment(ToClient, "R.", 501, 101, &[]));
    let attempts = [
        ("SYN, SYN-ACK, ACK", handshake(), Attempt::Completed),
        (
            "SYN, RST",
            vec![syn(), segment(ToClient, "R.", 0, 101, &[])],
            Attempt::Refused,
        ),
        (
            "SYN three times",
            vec![syn(), syn(), syn()],
            Attempt::Filtered { retransmissions: 2 },
        ),
        (
            "SYN once",
            vec![syn()],
            Attempt::Filtered { retransmissions: 0 },
        ),
        ("a handshake, then a RST", aborted, Attempt::Completed),
        ("no SYN", vec![ack()], Attempt::NotSeen),
    ];
    let mut report = Vec::new();
    for (what, frames, expected) in attempts {
        let found = connection_attempt(&decode(frames), server);
        assert_eq!(
            found, expected,
            "connection_attempt of \"{what}\": expected {expected:?}, found {found:?}"
        );
        report.push(format!("{what}: {found:?}"));
    }
    let with = |more: Vec<Vec<u8>>| {
        let mut frames = handshake();
        frames.extend(more);
        frames
    };
    let closes = [
        ("no FIN", with(vec![]), Close::StillOpen),
        (
            "a RST",
            with(vec![segment(ToServer, "R.", 101, 501, &[])]),
            Close::Reset,
        ),
        (
            "the client's FIN only",
            with(vec![segment(ToServer, "F.", 101, 501, &[])]),
            Close::Closing {
                first: Side::Client,
            },
        ),
        (
            "FIN, FIN",
            with(vec![
                segment(ToClient, "F.", 501, 101, &[]),
                segment(ToServer, "F.", 101, 502, &[]),
            ]),
            Close::Orderly {
                first: Side::Server,
            },
        ),
        (
            "FIN, data, data and FIN",
            with(vec![
                segment(ToServer, "F.", 101, 501, &[]),
                segment(ToClient, "P.", 501, 102, b"more"),
                segment(ToClient, "FP.", 505, 102, b"end"),
            ]),
            Close::HalfClose {
                first: Side::Client,
                bytes_after: 7,
            },
        ),
    ];
    for (what, frames, expected) in closes {
        let found = connection_close(&decode(frames), server);
        assert_eq!(
            found, expected,
            "connection_close of \"{what}\": expected {expected:?}, found {found:?}"
        );
        report.push(format!("{what}: {found:?}"));
    }
    let datagram = || {
        udp_frame(
            ipv4_header(ToServer, etherparse::IpNumber::UDP, &[]),
            CLIENT_PORT,
            SERVER_PORT,
            b"anyone?",
        )
    };
    let quote = |frame: Vec<u8>| icmp_frame(Family::V4, ToClient, 3, 3, &frame[14..]);
    let other_port = udp_frame(
        ipv4_header(ToServer, etherparse::IpNumber::UDP, &[]),
        CLIENT_PORT,
        9,
        b"anyone?",
    );
    let udp_server = SocketAddr::new(SERVER, SERVER_PORT);
    let answers = [
        (
            "a datagram, no answer",
            vec![datagram()],
            UdpAnswer::Silence,
        ),
        (
            "a datagram, a port unreachable",
            vec![datagram(), quote(datagram())],
            UdpAnswer::PortUnreachable {
                quoted_source: SocketAddr::new(support::cable::CLIENT, CLIENT_PORT),
                quoted_destination: udp_server,
            },
        ),
        (
            "a port unreachable about another port",
            vec![datagram(), quote(other_port)],
            UdpAnswer::Silence,
        ),
    ];
    for (what, frames, expected) in answers {
        let found = udp_answer(&decode(frames), udp_server);
        assert_eq!(
            found, expected,
            "udp_answer of \"{what}\": expected {expected:?}, found {found:?}"
        );
        report.push(format!("{what}: {found:?}"));
    }
    insta::assert_snapshot!(report.join("\n"));
}
