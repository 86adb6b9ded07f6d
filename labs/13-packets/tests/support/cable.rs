//! Two machines of the test's own on one cable, and the lab's capture on the server's end.
//!
//! ```text
//! ip netns add CLIENT; ip netns add SERVER
//! ip -n CLIENT link add to-server address 02:00:00:00:00:07 type veth \
//!     peer name to-client address 02:00:00:00:00:10 netns SERVER
//! ip -n CLIENT addr add 198.51.100.7/24 dev to-server           (and 2001:db8::7/64 nodad)
//! ip -n SERVER addr add 198.51.100.10/24 dev to-client          (and 2001:db8::10/64 nodad)
//! ip -n CLIENT neigh add 198.51.100.10 lladdr 02:00:00:00:00:10 dev to-server nud permanent
//! ip -n SERVER neigh add 198.51.100.7 lladdr 02:00:00:00:00:07 dev to-client nud permanent
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use harness::netns::{CableEnd, Namespace};
use lab13_packets::capture::{Capture, Frame};
use lab13_packets::packet::{Packet, decode_packet};

use super::HOW_TO_RUN;

pub const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7));
pub const SERVER: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 10));
pub const CLIENT6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7));
pub const SERVER6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10));
pub const CLIENT_MAC: &str = "02:00:00:00:00:07";
pub const SERVER_MAC: &str = "02:00:00:00:00:10";
/// The server's end of the cable, where the lab's capture listens.
pub const SERVER_SIDE: &str = "to-client";
/// The client's end of the cable.
pub const CLIENT_SIDE: &str = "to-server";

/// How long the capture's reads wait, and how long a cable must stay quiet after the test's
/// traffic before the capture stops.
pub const READ_TIMEOUT: Duration = Duration::from_millis(200);
/// The longest a network wait may take before the test gives up.
pub const PATIENCE: Duration = Duration::from_secs(5);
/// The most frames, and the longest time, one capture may take.
const MOST_FRAMES: usize = 2000;
const LONGEST_CAPTURE: Duration = Duration::from_secs(40);

/// The two machines.
pub struct Cable {
    pub client: Namespace,
    pub server: Namespace,
}

impl Cable {
    /// Builds the two machines and the cable, or `not run: …`.
    pub fn build() -> Cable {
        let client = create("client");
        let server = create("server");
        // Fixed MACs, and no link-local address: the cable then carries no router
        // solicitations, and the neighbour entries below need no neighbour discovery.
        let cabled = client.cable_to(
            CableEnd {
                mac: Some(CLIENT_MAC),
                link_local: false,
                ..CableEnd::new(CLIENT_SIDE, &["198.51.100.7/24", "2001:db8::7/64"])
            },
            &server,
            CableEnd {
                mac: Some(SERVER_MAC),
                link_local: false,
                ..CableEnd::new(SERVER_SIDE, &["198.51.100.10/24", "2001:db8::10/64"])
            },
        );
        if let Err(reason) = cabled {
            panic!("not run: {reason}; {HOW_TO_RUN}");
        }
        for (namespace, side, peer, peer6, mac) in [
            (
                &client,
                CLIENT_SIDE,
                "198.51.100.10",
                "2001:db8::10",
                SERVER_MAC,
            ),
            (
                &server,
                SERVER_SIDE,
                "198.51.100.7",
                "2001:db8::7",
                CLIENT_MAC,
            ),
        ] {
            for address in [peer, peer6] {
                must(
                    namespace,
                    &[
                        "neigh",
                        "add",
                        address,
                        "lladdr",
                        mac,
                        "dev",
                        side,
                        "nud",
                        "permanent",
                    ],
                );
            }
        }
        let cable = Cable { client, server };
        cable.check_it_carries_traffic();
        cable
    }

    /// A UDP datagram from the client reaches the server, both ways, before the lab's code runs:
    /// otherwise the machine, not the lab, is at fault.
    fn check_it_carries_traffic(&self) {
        for (from, to) in [(CLIENT, SERVER), (CLIENT6, SERVER6)] {
            let receiver = self
                .server
                .run(|| std::net::UdpSocket::bind(SocketAddr::new(to, 0)))
                .unwrap_or_else(|error| {
                    panic!("not run: the server cannot bind {to} ({error}); {HOW_TO_RUN}")
                });
            receiver
                .set_read_timeout(Some(Duration::from_millis(100)))
                .expect("a timeout");
            let target = receiver
                .local_addr()
                .expect("a bound socket has an address");
            let sender = self
                .client
                .run(|| std::net::UdpSocket::bind(SocketAddr::new(from, 0)))
                .unwrap_or_else(|error| {
                    panic!("not run: the client cannot bind {from} ({error}); {HOW_TO_RUN}")
                });
            let started = Instant::now();
            let mut arrived = false;
            // A cable that was just plugged in takes a moment to carry packets.
            while !arrived && started.elapsed() < PATIENCE {
                let _ = sender.send_to(b"check", target);
                arrived = receiver.recv(&mut [0; 16]).is_ok();
            }
            if !arrived {
                panic!(
                    "not run: the test network was built, but a datagram from {from} never \
                     reached {to}; {HOW_TO_RUN}"
                );
            }
        }
    }

    /// Opens the lab's capture on the server's end of the cable, runs `traffic`, and returns
    /// every frame the capture received until the cable was quiet for a read timeout after the
    /// traffic ended, with what `traffic` returned.
    pub fn capture_while<T>(&self, traffic: impl FnOnce() -> T + Send) -> (Vec<Frame>, T)
    where
        T: Send,
    {
        let capture = open_capture(&self.server);
        let done = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let reader = scope.spawn(|| {
                let started = Instant::now();
                let mut frames = Vec::new();
                while frames.len() < MOST_FRAMES && started.elapsed() < LONGEST_CAPTURE {
                    // Read `done` before the read: a quiet read after it means the cable is quiet.
                    let finished = done.load(Ordering::SeqCst);
                    match capture.next_frame() {
                        Ok(Some(frame)) => frames.push(frame),
                        Ok(None) if finished => break,
                        Ok(None) => {}
                        Err(error) => panic!(
                            "Capture::next_frame failed on a working interface: {error}. It \
                             should return Ok(None) when its read timeout passes"
                        ),
                    }
                }
                frames
            });
            let result = traffic();
            done.store(true, Ordering::SeqCst);
            let frames = reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (frames, result)
        })
    }
}

/// The lab's capture on the server's end of the cable, or a failure that says what to try.
pub fn open_capture(server: &Namespace) -> Capture {
    server
        .run(|| Capture::open(SERVER_SIDE, READ_TIMEOUT))
        .unwrap_or_else(|error| {
            panic!(
                "Capture::open({SERVER_SIDE:?}, …) failed on the server, where that interface \
                 exists: {error}. Open a packet socket (socket2's Domain::PACKET, Type::RAW) and \
                 bind it to the interface's index (if_nametoindex) with ETH_P_ALL in network \
                 byte order; chapter 13, \"Capturing with a packet socket\""
            )
        })
}

/// The frames between the two machines' documentation addresses, as etherparse reads them:
/// the test's traffic, without the odd IPv6 multicast report the kernel sends on its own.
pub fn between_the_machines_frames(frames: &[Frame]) -> Vec<Frame> {
    let ours = [CLIENT, SERVER, CLIENT6, SERVER6];
    frames
        .iter()
        .filter(|frame| {
            let Ok(headers) = etherparse::PacketHeaders::from_ethernet_slice(&frame.bytes) else {
                return false;
            };
            let (source, destination): (IpAddr, IpAddr) = match &headers.net {
                Some(etherparse::NetHeaders::Ipv4(ip, _)) => {
                    (ip.source.into(), ip.destination.into())
                }
                Some(etherparse::NetHeaders::Ipv6(ip, _)) => {
                    (ip.source.into(), ip.destination.into())
                }
                _ => return false,
            };
            ours.contains(&source) && ours.contains(&destination)
        })
        .cloned()
        .collect()
}

/// Each frame decoded with the lab's decoder, or a failure naming the frame it cannot read.
pub fn decode_every(frames: &[Frame]) -> Vec<Packet> {
    frames
        .iter()
        .map(|frame| {
            decode_packet(&frame.bytes).unwrap_or_else(|error| {
                panic!(
                    "decode_packet could not read a frame captured on a working cable: {error}\n\
                     the frame, {} bytes: {:02x?}",
                    frame.bytes.len(),
                    frame.bytes
                )
            })
        })
        .collect()
}

/// The test's traffic among `frames` (see [`between_the_machines_frames`]), decoded with the
/// lab's decoder.
pub fn decode_all(frames: &[Frame]) -> Vec<Packet> {
    decode_every(&between_the_machines_frames(frames))
}

/// Whether a packet belongs to the test's traffic between the two machines' documentation
/// addresses (and not, say, an IPv6 multicast report).
pub fn between_the_machines(packet: &Packet) -> bool {
    let ours = [CLIENT, SERVER, CLIENT6, SERVER6];
    packet
        .ip
        .as_ref()
        .is_some_and(|ip| ours.contains(&ip.source()) && ours.contains(&ip.destination()))
}

/// A new namespace of this lab with only `lo`, up; or `not run: …`.
fn create(role: &str) -> Namespace {
    Namespace::create("lab13", role)
        .unwrap_or_else(|reason| panic!("not run: {reason}; {HOW_TO_RUN}"))
}

/// `ip -n NAME ARGS…`, which the test needs: a failure is not the student's fault.
fn must(namespace: &Namespace, args: &[&str]) {
    if let Err(reason) = namespace.ip(args) {
        panic!("not run: {reason}; {HOW_TO_RUN}");
    }
}

/// Loads an nftables ruleset into the server with `nft -f -`.
pub fn load_firewall(cable: &Cable, ruleset: &str) {
    use std::io::Write;
    use std::process::Stdio;

    let mut command = cable.server.command("nft");
    command
        .args(["-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap_or_else(|error| {
        panic!("not run: `nft` could not be started ({error}); {HOW_TO_RUN}")
    });
    let mut stdin = child.stdin.take().expect("nft's standard input is piped");
    stdin
        .write_all(ruleset.as_bytes())
        .expect("the test can write to nft");
    drop(stdin);
    let output = child.wait_with_output().expect("the test can wait for nft");
    if !output.status.success() {
        panic!(
            "not run: nft refused the test's own ruleset ({}); {HOW_TO_RUN}\n{ruleset}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
}
