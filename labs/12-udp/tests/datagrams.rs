//! Graded tests for `src/datagram.rs`: what one datagram is, on loopback and on a cable
//! between two machines of the test's own.

mod support;

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::time::Duration;

use lab12_udp::datagram::{Knock, forbid_fragmentation, knock, max_payload, receive};
use support::link::{CLIENT, CLIENT6, Link};
use support::{LOCALHOST, LOCALHOST6, closed_port, socket_on};

/// How long a knock waits before it calls a port silent: loopback answers in microseconds.
const KNOCK_PATIENCE: Duration = Duration::from_millis(300);

/// The lab's `receive` on `socket`, with a buffer of `size` bytes; its failure explained.
fn lab_receive(socket: &UdpSocket, buffer: &mut [u8]) -> lab12_udp::datagram::Received {
    receive(socket, buffer).unwrap_or_else(|error| {
        panic!(
            "receive() failed ({error}) although a datagram was waiting. Receive one datagram with \
             its sender: std's `recv_from`, or socket2's `recv_from_with_flags`"
        )
    })
}

#[test]
fn keeps_message_boundaries() {
    let receiver = socket_on(LOCALHOST);
    let sender = socket_on(LOCALHOST);
    let to = receiver.local_addr().unwrap();
    let messages: [&[u8]; 4] = [b"one", &[b'b'; 300], b"", b"three"];
    for message in messages {
        sender
            .send_to(message, to)
            .expect("the test can send on loopback");
    }
    let mut lines =
        vec!["the sender sent 4 datagrams: 3 bytes, 300 bytes, 0 bytes, 5 bytes".to_string()];
    for (n, message) in messages.iter().enumerate() {
        let mut buffer = [0; 2000];
        let got = lab_receive(&receiver, &mut buffer);
        assert_eq!(
            got.from,
            sender.local_addr().unwrap(),
            "receive() should say who sent the datagram (the address recv_from returns)"
        );
        assert_eq!(
            (got.size, &buffer[..got.kept]),
            (message.len(), *message),
            "receive number {} should return exactly datagram number {}: one recv is one \
             datagram, whole, never two merged nor one split (an empty datagram is a datagram \
             too). It returned {} bytes",
            n + 1,
            n + 1,
            got.size
        );
        lines.push(format!(
            "receive {}: {} bytes from the sender, truncated: {}",
            n + 1,
            got.size,
            got.is_truncated()
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn reports_the_true_size_of_a_truncated_datagram() {
    let receiver = socket_on(LOCALHOST);
    let sender = socket_on(LOCALHOST);
    let to = receiver.local_addr().unwrap();
    let big: Vec<u8> = (0..100).collect();
    sender.send_to(&big, to).unwrap();
    sender.send_to(b"next", to).unwrap();
    sender.send_to(&[7; 10], to).unwrap();
    let mut lines = Vec::new();
    for what in [
        "a datagram of 100 bytes",
        "then one of 4 bytes",
        "then one of exactly 10 bytes",
    ] {
        let mut buffer = [0xff; 10];
        let got = lab_receive(&receiver, &mut buffer);
        lines.push(format!(
            "{what}, into a buffer of 10 bytes: size {}, kept {}, truncated: {}, the buffer starts {:?}",
            got.size,
            got.kept,
            got.is_truncated(),
            &buffer[..got.kept.min(4)]
        ));
    }
    assert!(
        lines[0].contains("size 100, kept 10"),
        "a datagram of 100 bytes received into a buffer of 10 should report size 100 (its \
         true size) and kept 10; std's recv_from says only how much it copied: Linux's \
         MSG_TRUNC flag makes recvfrom return the true size. What receive() said:\n{}",
        lines.join("\n")
    );
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn tells_an_answer_a_refusal_and_silence_apart() {
    let mut lines = Vec::new();
    for ip in [LOCALHOST, LOCALHOST6] {
        // An echo of the test's own, a closed port, and a socket that never reads.
        let echo = socket_on(ip);
        let silent = socket_on(ip);
        let closed = closed_port(ip);
        let echo_address = echo.local_addr().unwrap();
        let found = std::thread::scope(|scope| {
            scope.spawn(|| {
                let mut buffer = [0; 100];
                if let Ok((size, from)) = echo.recv_from(&mut buffer) {
                    let mut answer = b"echo: ".to_vec();
                    answer.extend_from_slice(&buffer[..size]);
                    let _ = echo.send_to(&answer, from);
                }
            });
            [
                ("an echo server", echo_address),
                ("a closed port", closed),
                ("a socket that never answers", silent.local_addr().unwrap()),
            ]
            .map(|(what, target)| {
                let found = match knock(target, b"hello", KNOCK_PATIENCE) {
                    Ok(Knock::Answered(bytes)) => {
                        format!("answered {:?}", String::from_utf8_lossy(&bytes))
                    }
                    Ok(Knock::Refused) => "refused".to_string(),
                    Ok(Knock::Silent) => "silent".to_string(),
                    Err(error) => format!("error ({error})"),
                };
                format!("{ip:9} {what:28} {found}")
            })
        });
        lines.extend(found);
    }
    let text = lines.join("\n");
    assert!(
        !text.contains("a closed port                silent"),
        "a datagram to a closed port is answered with ICMP port unreachable, but knock() \
         said silent. Only a connected UDP socket hears of it (as ConnectionRefused on its next \
         recv): connect the socket to the target before sending.\n{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn computes_the_largest_payload_of_one_packet() {
    let mut lines = Vec::new();
    for mtu in [65536, 9000, 1500, 1280, 576, 68, 40, 0] {
        lines.push(format!(
            "MTU {mtu:5}: IPv4 {:5}  IPv6 {:5}",
            max_payload(mtu, LOCALHOST),
            max_payload(mtu, LOCALHOST6)
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

/// Sends `size` bytes from `sender` (fragmenting forbidden) to `to`: `sent` or the error's
/// kind, and whether `receiver` got it whole.
fn try_send(sender: &UdpSocket, receiver: &UdpSocket, to: SocketAddr, size: usize) -> String {
    match sender.send_to(&vec![b'x'; size], to) {
        Ok(_) => {
            let mut buffer = vec![0; 70000];
            match receiver.recv(&mut buffer) {
                Ok(got) if got == size => "sent, and received whole".into(),
                Ok(got) => format!("sent, but {got} bytes arrived"),
                Err(error) => format!("sent, but nothing arrived ({error})"),
            }
        }
        // EMSGSIZE is error number 90 on Linux.
        Err(error) if error.raw_os_error() == Some(90) => {
            "refused: message too long (EMSGSIZE)".into()
        }
        Err(error) => format!("error: {error}"),
    }
}

/// The largest payload for `mtu`, then one byte more, from `sender` to `receiver`.
fn largest_and_one_more(
    what: &str,
    mtu: u32,
    sender: &UdpSocket,
    receiver: &UdpSocket,
) -> Vec<String> {
    let to = receiver.local_addr().unwrap();
    forbid_fragmentation(sender).expect("the given forbid_fragmentation works");
    let largest = max_payload(mtu, to.ip());
    vec![
        format!(
            "{what}: max_payload {largest}: {}",
            try_send(sender, receiver, to, largest)
        ),
        format!(
            "{what}: one byte more: {}",
            try_send(sender, receiver, to, largest + 1)
        ),
    ]
}

#[test]
fn the_largest_payload_fits_and_one_byte_more_does_not() {
    let mut lines = Vec::new();
    for ip in [LOCALHOST, LOCALHOST6] {
        let (sender, receiver) = (socket_on(ip), socket_on(ip));
        lines.extend(largest_and_one_more(
            &format!("lo (MTU 65536), {ip}"),
            65536,
            &sender,
            &receiver,
        ));
    }
    let link = Link::build();
    link.set_mtu(1400);
    for (from, ipv6) in [(CLIENT, false), (CLIENT6, true)] {
        let to_ip: IpAddr = Link::server_ip(ipv6);
        let receiver = link.server.run(|| socket_on(to_ip));
        let sender = link.client.run(|| socket_on(from));
        lines.extend(largest_and_one_more(
            &format!("veth (MTU 1400), to {to_ip}"),
            1400,
            &sender,
            &receiver,
        ));
    }
    let text = lines.join("\n");
    assert!(
        !text.contains("max_payload 0"),
        "max_payload should leave room for the payload: MTU − IP header − UDP header\n{text}"
    );
    insta::assert_snapshot!(text);
}
