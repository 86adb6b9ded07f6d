//! The test harness shared by the graded tests: the test's own wire format, sockets on
//! loopback, a server of the test's own that records what it hears, and (in [`link`]) a bad
//! link between two machines of the test's own.
//!
//! The tests never trust the lab's code to check the lab's code: they encode and decode
//! messages themselves ([`wire`]), and a client test talks to the test's own server, a server
//! test to the test's own client. Ports are always picked by the kernel (port 0), and the
//! reports never show them.

// Each test file uses only some of the harness.
#![allow(dead_code)]

pub mod link;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The longest any wait of a test lasts before it gives up and says what is missing.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// What it takes to run the tests that build network namespaces, for the `not run:` message.
pub const HOW_TO_RUN: &str = "this test builds its own network namespaces and a bad link \
    between them, which needs Linux, root (or CAP_NET_ADMIN and CAP_SYS_ADMIN), `ip` and `tc` \
    from iproute2 and `nft` from nftables: install them (`cargo xtask doctor --install`) and \
    grade as root (`sudo -E env PATH=\"$PATH\" cargo xtask grade 12`)";

pub const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
pub const LOCALHOST6: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

/// The test's own encoder and decoder of the lab's wire format (chapter 12, "A request, an
/// answer and an id"), independent of the lab's `protocol.rs`.
pub mod wire {
    pub const REQUEST: u8 = 1;
    pub const RESPONSE: u8 = 2;

    /// `kind`, `id` and the body's length big-endian, then the body.
    pub fn encode(kind: u8, id: u32, body: &[u8]) -> Vec<u8> {
        let mut bytes = vec![kind];
        bytes.extend_from_slice(&id.to_be_bytes());
        bytes.extend_from_slice(&(body.len() as u16).to_be_bytes());
        bytes.extend_from_slice(body);
        bytes
    }

    pub fn request(id: u32, body: &str) -> Vec<u8> {
        encode(REQUEST, id, body.as_bytes())
    }

    pub fn response(id: u32, body: &str) -> Vec<u8> {
        encode(RESPONSE, id, body.as_bytes())
    }

    /// One message as its kind, id and body, or `None` when the bytes are not one.
    pub fn decode(bytes: &[u8]) -> Option<(u8, u32, Vec<u8>)> {
        if bytes.len() < 7 {
            return None;
        }
        let id = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
        let length = usize::from(u16::from_be_bytes([bytes[5], bytes[6]]));
        (bytes.len() == 7 + length).then(|| (bytes[0], id, bytes[7..].to_vec()))
    }

    /// A message for a report: `request id 7 "add 5"`, or the bytes when they are not one.
    pub fn describe(bytes: &[u8]) -> String {
        match decode(bytes) {
            Some((REQUEST, id, body)) => {
                format!("request id {id} {:?}", String::from_utf8_lossy(&body))
            }
            Some((RESPONSE, id, body)) => {
                format!("response id {id} {:?}", String::from_utf8_lossy(&body))
            }
            _ => format!("{} bytes that are no message: {bytes:02x?}", bytes.len()),
        }
    }
}

/// A UDP socket of the test's own on `ip`, port 0, whose receives give up after [`PATIENCE`].
pub fn socket_on(ip: IpAddr) -> UdpSocket {
    let socket = UdpSocket::bind(SocketAddr::new(ip, 0)).unwrap_or_else(|error| {
        panic!("not run: the test cannot bind a UDP socket on {ip} ({error})")
    });
    socket
        .set_read_timeout(Some(PATIENCE))
        .expect("a socket takes a read timeout");
    socket
}

/// An address on `ip` where no socket listens: a port the kernel gave the test, given back.
pub fn closed_port(ip: IpAddr) -> SocketAddr {
    let socket = socket_on(ip);
    socket.local_addr().expect("a bound socket has an address")
}

/// `text` with the port of `address` written as `PORT`, so that reports compare from run
/// to run.
pub fn without_port(text: &str, address: SocketAddr) -> String {
    text.replace(
        &address.to_string(),
        &format!("{}:PORT", bracketed(address.ip())),
    )
}

fn bracketed(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    }
}

/// One datagram the test's own server heard.
#[derive(Clone)]
pub struct Heard {
    pub at: Instant,
    pub from: SocketAddr,
    pub bytes: Vec<u8>,
}

/// A server of the test's own on loopback: it records every datagram, and `reply` decides
/// what to do with each (the socket, the datagram, how many came before it).
pub struct TestServer {
    pub socket: UdpSocket,
    pub heard: Mutex<Vec<Heard>>,
    stop: AtomicBool,
}

impl TestServer {
    pub fn on(ip: IpAddr) -> TestServer {
        let socket = socket_on(ip);
        socket
            .set_read_timeout(Some(Duration::from_millis(20)))
            .expect("a socket takes a read timeout");
        TestServer {
            socket,
            heard: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        }
    }

    pub fn address(&self) -> SocketAddr {
        self.socket
            .local_addr()
            .expect("a bound socket has an address")
    }

    /// Serves until [`TestServer::stop`], for at most a minute.
    pub fn serve(&self, mut reply: impl FnMut(&UdpSocket, &Heard, usize)) {
        let started = Instant::now();
        let mut buffer = vec![0; 65536];
        while !self.stop.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(60) {
            let Ok((size, from)) = self.socket.recv_from(&mut buffer) else {
                continue;
            };
            let heard = Heard {
                at: Instant::now(),
                from,
                bytes: buffer[..size].to_vec(),
            };
            let before = {
                let mut all = self.heard.lock().unwrap();
                all.push(heard.clone());
                all.len() - 1
            };
            reply(&self.socket, &heard, before);
        }
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    pub fn heard(&self) -> Vec<Heard> {
        self.heard.lock().unwrap().clone()
    }
}

/// Runs `work` next to `server` (serving with `reply`), stops the server when `work` is done
/// (after `linger`, to hear late copies too), and returns what `work` returned.
pub fn with_server<T: Send>(
    server: &TestServer,
    reply: impl FnMut(&UdpSocket, &Heard, usize) + Send,
    linger: Duration,
    work: impl FnOnce() -> T + Send,
) -> T {
    std::thread::scope(|scope| {
        scope.spawn(|| server.serve(reply));
        let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
        std::thread::sleep(linger);
        server.stop();
        match done {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}
