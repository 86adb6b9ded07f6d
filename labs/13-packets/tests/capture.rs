//! Graded tests for `src/capture.rs`: the lab's packet socket on the server's end of a cable of
//! the test's own, with traffic the test makes itself.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use etherparse::{LinkHeader, PacketHeaders};
use lab13_packets::capture::Capture;
use lab13_packets::line::line;
use support::cable::{
    CLIENT_MAC, Cable, READ_TIMEOUT, SERVER, SERVER_MAC, SERVER_SIDE, SERVER6,
    between_the_machines, between_the_machines_frames, decode_all, open_capture,
};
use support::oracle::expected_line;
use support::traffic::{closed_udp_port, half_close_exchange, listen, send_datagram};

/// `02:00:00:00:00:07` for a frame's source MAC, read by etherparse.
fn source_mac(frame: &[u8]) -> Option<String> {
    match PacketHeaders::from_ethernet_slice(frame).ok()?.link? {
        LinkHeader::Ethernet2(ethernet) => Some(
            ethernet
                .source
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect::<Vec<_>>()
                .join(":"),
        ),
        _ => None,
    }
}

#[test]
fn captures_the_frames_of_one_interface_both_ways() {
    let cable = Cable::build();
    let listener = listen(&cable, SERVER);
    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970");
    let (frames, _) = cable.capture_while(|| {
        // Traffic on the server's own lo, which a capture of to-client must not see.
        cable.server.run(|| {
            let local = std::net::UdpSocket::bind("127.0.0.1:0").expect("lo works");
            local
                .send_to(b"not on the cable", local.local_addr().expect("an address"))
                .expect("lo works");
        });
        half_close_exchange(&cable, &listener, b"hello", b"hello to you")
    });
    let ended = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970");
    assert!(
        !frames.is_empty(),
        "Capture::next_frame returned no frame while a TCP connection crossed the interface: \
         bind the packet socket with the protocol ETH_P_ALL (in network byte order, \
         `(libc::ETH_P_ALL as u16).to_be()`), or it receives nothing"
    );
    let sources: Vec<Option<String>> = frames
        .iter()
        .map(|frame| source_mac(&frame.bytes))
        .collect();
    let from_client = sources
        .iter()
        .filter(|mac| mac.as_deref() == Some(CLIENT_MAC))
        .count();
    let from_server = sources
        .iter()
        .filter(|mac| mac.as_deref() == Some(SERVER_MAC))
        .count();
    let strangers: Vec<&Option<String>> = sources
        .iter()
        .filter(|mac| mac.as_deref() != Some(CLIENT_MAC) && mac.as_deref() != Some(SERVER_MAC))
        .collect();
    assert!(
        strangers.is_empty(),
        "the capture holds frames that did not cross {SERVER_SIDE} (source MACs {strangers:?}): \
         bind the packet socket to that interface's index, and create it with protocol 0 so that \
         nothing arrives before the bind"
    );
    assert!(
        from_client > 0 && from_server > 0,
        "a capture must hold the frames of both directions: {from_client} came from the client, \
         {from_server} left from the server. A packet socket bound with ETH_P_ALL receives both"
    );
    let in_order = frames
        .windows(2)
        .all(|pair| pair[0].timestamp <= pair[1].timestamp);
    let of_this_run = frames.iter().all(|frame| {
        frame.timestamp + Duration::from_secs(1) >= started
            && frame.timestamp <= ended + Duration::from_secs(1)
    });
    assert!(
        in_order && of_this_run,
        "each frame's timestamp should be the time it was captured, since the Unix epoch \
         (SystemTime::now().duration_since(UNIX_EPOCH)), so they are in order and within this \
         test's run"
    );
    // The first frame of the test's own traffic (the kernel may send an IPv6 multicast report
    // of its own before it).
    let first = between_the_machines_frames(&frames)
        .first()
        .map(|frame| expected_line(&frame.bytes).unwrap_or_else(|error| error))
        .unwrap_or_else(|| "no frame of the test's traffic".into());
    let first_flags = first
        .split(": ")
        .nth(1)
        .unwrap_or_default()
        .split(',')
        .next()
        .unwrap_or_default()
        .to_string();
    let unknown = Capture::open("no-such-interface", READ_TIMEOUT)
        .map(|_| ())
        .map_err(|error| error.kind());
    insta::assert_snapshot!(format!(
        "frames from the client (02:00:00:00:00:07): some\n\
         frames from the server (02:00:00:00:00:10): some\n\
         frames from anywhere else (lo): none\n\
         timestamps: in order, from this run\n\
         the client's first frame: {first_flags}\n\
         Capture::open(\"no-such-interface\"): {unknown:?}"
    ));
}

#[test]
fn stops_at_the_count_or_the_deadline() {
    let cable = Cable::build();
    let capture = open_capture(&cable.server);
    let closed = closed_udp_port(&cable, SERVER);
    let (counted, elapsed) = std::thread::scope(|scope| {
        let reading = scope.spawn(|| {
            let started = Instant::now();
            let frames = capture.frames(3, Duration::from_secs(20));
            (frames, started.elapsed())
        });
        for _ in 0..10 {
            let _ = send_datagram(&cable, closed, b"count me");
            if reading.is_finished() {
                break;
            }
        }
        reading.join().expect("frames() does not panic")
    });
    let counted = counted.unwrap_or_else(|error| panic!("Capture::frames failed: {error}"));
    assert_eq!(
        counted.len(),
        3,
        "frames(3, 20 s) should return as soon as it has 3 frames, but it returned {} frames \
         after {elapsed:?}",
        counted.len()
    );
    let started = Instant::now();
    let quiet = capture
        .frames(1000, Duration::from_millis(500))
        .unwrap_or_else(|error| panic!("Capture::frames failed: {error}"));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(500),
        "frames(1000, 0.5 s) on a quiet cable returned after {waited:?}, before its deadline: \
         a read timeout is not the end of the capture, keep reading until the deadline"
    );
    assert!(
        quiet.len() < 1000,
        "frames(1000, 0.5 s) on a quiet cable returned {} frames",
        quiet.len()
    );
    insta::assert_snapshot!(format!(
        "frames(3, 20 s) while datagrams cross: {} frames, before the deadline: {}\n\
         frames(1000, 0.5 s) on a quiet cable: returned after its deadline",
        counted.len(),
        elapsed < Duration::from_secs(20)
    ));
}

#[test]
fn decodes_real_frames_like_etherparse() {
    let cable = Cable::build();
    let listener = listen(&cable, SERVER);
    let listener6 = listen(&cable, SERVER6);
    let (closed, closed6) = (
        closed_udp_port(&cable, SERVER),
        closed_udp_port(&cable, SERVER6),
    );
    let (frames, _) = cable.capture_while(|| {
        half_close_exchange(
            &cable,
            &listener,
            b"GET / HTTP/1.0\r\n\r\n",
            b"HTTP/1.0 200 OK\r\n\r\n",
        );
        half_close_exchange(&cable, &listener6, b"over IPv6", b"answered over IPv6");
        let _: [SocketAddr; 2] = [
            send_datagram(&cable, closed, b"anyone?"),
            send_datagram(&cable, closed6, b"anyone?"),
        ];
    });
    let frames = between_the_machines_frames(&frames);
    assert!(
        frames.len() >= 10,
        "two TCP connections and two datagrams crossed the interface, but the capture holds only \
         {} of their frames: Capture::next_frame should return every frame that arrives",
        frames.len()
    );
    let packets = decode_all(&frames);
    let mut kinds = std::collections::BTreeSet::new();
    for (frame, packet) in frames.iter().zip(&packets) {
        let expected = expected_line(&frame.bytes).unwrap_or_else(|error| {
            panic!(
                "etherparse cannot read a captured frame ({error}): this is not your code's fault"
            )
        });
        let found = line(packet);
        assert_eq!(
            found,
            expected,
            "the line of a captured frame differs from what an independent decoder (etherparse) \
             reads in it.\n  the frame ({} bytes): {:02x?}",
            frame.bytes.len(),
            frame.bytes
        );
        if between_the_machines(packet) {
            let words: Vec<&str> = found.split(' ').collect();
            let transport = match words.get(4).copied() {
                Some("Flags") => "TCP",
                Some(other) => other.trim_end_matches(','),
                None => "?",
            };
            kinds.insert(format!("{} {transport}", words[0]));
        }
    }
    insta::assert_snapshot!(format!(
        "every captured frame decoded as etherparse decodes it; among them:\n{}",
        kinds.into_iter().collect::<Vec<_>>().join("\n")
    ));
}
