//! The test harness shared by the graded tests: a real DNS server (dnsmasq) on a machine of
//! the test's own, DNS servers of the test's own that answer as they are told, and the
//! test's own DNS messages, so that no test depends on the lab's code to check the lab's code.
//!
//! ```text
//!   namespace "dns" (only lo)
//!   127.0.0.1:PORT   dnsmasq, the zone lab14.test below, every query in its log
//!   127.0.0.1:PORT2  the test's upstream for broken.lab14.test: answers SERVFAIL to all
//! ```
//!
//! The zone (the same for every test):
//!
//! | name                  | records                                                  |
//! |-----------------------|----------------------------------------------------------|
//! | web.lab14.test        | A 198.51.100.80, AAAA 2001:db8::80, TTL 300              |
//! | www.lab14.test        | CNAME web.lab14.test, TTL 77                             |
//! | start.lab14.test      | CNAME www.lab14.test, TTL 120                            |
//! | v4only.lab14.test     | A 198.51.100.4, TTL 300 (no AAAA: "no data")             |
//! | many.lab14.test       | 40 A records 198.51.100.1 to .40, TTL 60 (over 512 bytes) |
//! | anything else.lab14.test | NXDOMAIN                                              |
//! | *.broken.lab14.test   | forwarded to an upstream that answers SERVFAIL           |

// Each test file uses only some of the harness.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use harness::netns::Namespace;

/// How long the lab's resolver may wait for each answer: a server on loopback answers in
/// well under a millisecond, so this is only there to never hang.
pub const PATIENCE: Duration = Duration::from_secs(3);

/// What it takes, for the `not run:` message.
pub const HOW_TO_RUN: &str = "this test starts a real DNS server, dnsmasq, on a network \
    namespace of its own, which needs Linux, root (or CAP_NET_ADMIN and CAP_SYS_ADMIN), `ip` \
    from iproute2 and dnsmasq (/usr/sbin/dnsmasq): install them (`cargo xtask doctor \
    --install`) and grade as root (`sudo -E env PATH=\"$PATH\" cargo xtask grade 14`)";

/// The addresses of many.lab14.test: more A records than fit in 512 bytes.
pub const MANY: u8 = 40;

/// dnsmasq, serving the lab's zone on 127.0.0.1 of a namespace of the test's own; killed
/// when dropped.
pub struct Dns {
    /// Where dnsmasq answers (UDP and TCP).
    pub address: SocketAddr,
    namespace: Namespace,
    child: Child,
    log: Arc<Mutex<String>>,
    /// The upstream server dnsmasq forwards broken.lab14.test to: it answers SERVFAIL to
    /// every query, and dnsmasq passes SERVFAIL on to its client.
    _upstream: FakeServer,
    markers: AtomicUsize,
}

impl Dns {
    /// Starts dnsmasq and waits until it answers, or `not run: …`.
    pub fn start() -> Dns {
        let namespace = Namespace::create("lab14", "dns")
            .unwrap_or_else(|reason| panic!("not run: {reason}; {HOW_TO_RUN}"));
        let upstream = namespace.run(|| FakeServer::start(|query| vec![servfail(query)]));
        let port = namespace.run(free_port);
        let mut arguments = vec![
            // --no-daemon: stay in the foreground and keep the user it was started as (a
            // user namespace's root cannot change its group), log to stderr too.
            "--no-daemon".to_string(),
            "--conf-file=/dev/null".into(),
            "--no-resolv".into(),
            "--no-hosts".into(),
            "--bind-interfaces".into(),
            "--listen-address=127.0.0.1".into(),
            format!("--port={port}"),
            "--log-facility=-".into(),
            "--log-queries".into(),
            "--local=/lab14.test/".into(),
            format!(
                "--server=/broken.lab14.test/127.0.0.1#{}",
                upstream.address.port()
            ),
            "--host-record=web.lab14.test,198.51.100.80,2001:db8::80,300".into(),
            "--cname=www.lab14.test,web.lab14.test,77".into(),
            "--cname=start.lab14.test,www.lab14.test,120".into(),
            "--host-record=v4only.lab14.test,198.51.100.4,300".into(),
        ];
        for host in 1..=MANY {
            arguments.push(format!(
                "--host-record=many.lab14.test,198.51.100.{host},60"
            ));
        }
        let mut child = match namespace
            .command("dnsmasq")
            .args(&arguments)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(child) => child,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                panic!("not run: dnsmasq is not installed; {HOW_TO_RUN}")
            }
            Err(error) => panic!("not run: dnsmasq could not be started ({error}); {HOW_TO_RUN}"),
        };
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("dnsmasq's stderr is piped");
        let into = Arc::clone(&log);
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = into.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                log.push_str(&line);
                log.push('\n');
            }
        });
        let dns = Dns {
            address: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            namespace,
            child,
            log,
            _upstream: upstream,
            markers: AtomicUsize::new(0),
        };
        dns.wait_until_it_answers();
        dns
    }

    /// Asks "ready.lab14.test" with the test's own query until dnsmasq answers: about ten
    /// seconds at most.
    fn wait_until_it_answers(&self) {
        for _ in 0..100 {
            if self.ask("ready.lab14.test", 1).is_some() {
                return;
            }
            if !self.is_running() {
                panic!(
                    "not run: dnsmasq stopped before it answered: {}; {HOW_TO_RUN}",
                    self.log().trim()
                );
            }
            thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "not run: dnsmasq did not answer within 10 s: {}; {HOW_TO_RUN}",
            self.log().trim()
        );
    }

    /// Whether dnsmasq's process still exists.
    fn is_running(&self) -> bool {
        std::path::Path::new(&format!("/proc/{}", self.child.id())).exists()
    }

    /// The test's own query (type `qtype`) to dnsmasq, from inside the namespace: the
    /// response's bytes, or `None` if none came within a second.
    pub fn ask(&self, name: &str, qtype: u16) -> Option<Vec<u8>> {
        let server = self.address;
        self.namespace.run(|| {
            let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).ok()?;
            socket.set_read_timeout(Some(Duration::from_secs(1))).ok()?;
            socket.send_to(&query(0x4242, name, qtype), server).ok()?;
            let mut buffer = [0u8; 4096];
            let (length, _) = socket.recv_from(&mut buffer).ok()?;
            Some(buffer[..length].to_vec())
        })
    }

    /// Runs `work` inside the namespace, where dnsmasq is.
    pub fn run<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        self.namespace.run(work)
    }

    /// `program` as a process that runs inside the namespace.
    pub fn command(&self, program: &str) -> Command {
        self.namespace.command(program)
    }

    /// How many queries for `name` of `qtype` ("A", "AAAA") dnsmasq has received so far.
    /// dnsmasq logs each query as it arrives; a marker query of the test's own, which it
    /// waits for in the log, makes sure every earlier line has been read.
    pub fn queries(&self, name: &str, qtype: &str) -> usize {
        let marker = format!(
            "marker{}.lab14.test",
            self.markers.fetch_add(1, Ordering::SeqCst)
        );
        let wanted = format!("query[A] {marker} ");
        let started = Instant::now();
        while !self.log().contains(&wanted) && started.elapsed() < Duration::from_secs(10) {
            let _ = self.ask(&marker, 1);
            thread::sleep(Duration::from_millis(20));
        }
        let line = format!("query[{qtype}] {name} from");
        self.log()
            .lines()
            .filter(|logged| {
                logged
                    .to_ascii_lowercase()
                    .contains(&line.to_ascii_lowercase())
            })
            .count()
    }

    /// What dnsmasq has logged so far.
    pub fn log(&self) -> String {
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A UDP and TCP port on 127.0.0.1 that nothing uses: in a namespace of the test's own,
/// nothing else can take it before dnsmasq does.
fn free_port() -> u16 {
    for _ in 0..20 {
        let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap_or_else(|error| {
            panic!("not run: no UDP port on 127.0.0.1 ({error}); {HOW_TO_RUN}")
        });
        let port = udp
            .local_addr()
            .expect("a bound socket has an address")
            .port();
        if TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return port;
        }
    }
    panic!("not run: no port on 127.0.0.1 is free for both UDP and TCP; {HOW_TO_RUN}");
}

/// A DNS server of the test's own on 127.0.0.1 (of whatever namespace it is started in):
/// for each query it receives, it sends back the datagrams `answer` makes of it, in order.
/// It runs for a minute at most, and stops when dropped.
pub struct FakeServer {
    pub address: SocketAddr,
    /// Every query received, as bytes.
    pub queries: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicBool>,
}

impl FakeServer {
    pub fn start(answer: impl Fn(&[u8]) -> Vec<Vec<u8>> + Send + 'static) -> FakeServer {
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap_or_else(|error| {
            panic!("the test cannot bind a UDP socket on 127.0.0.1 ({error})")
        });
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .expect("the test can set a read timeout");
        let address = socket.local_addr().expect("a bound socket has an address");
        let queries = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (Arc::clone(&queries), Arc::clone(&stop));
        thread::spawn(move || {
            let started = Instant::now();
            let mut buffer = [0u8; 4096];
            while !stopped.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(60) {
                let Ok((length, from)) = socket.recv_from(&mut buffer) else {
                    continue;
                };
                let received = buffer[..length].to_vec();
                let datagrams = answer(&received);
                // Recorded before the answer goes out: once the lab's code has its answer,
                // the test sees the query.
                seen.lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push(received);
                for datagram in datagrams {
                    let _ = socket.send_to(&datagram, from);
                }
            }
        });
        FakeServer {
            address,
            queries,
            stop,
        }
    }

    /// A server that receives and never answers.
    pub fn silent() -> FakeServer {
        FakeServer::start(|_| Vec::new())
    }

    /// The ids of the queries received so far.
    pub fn ids(&self) -> Vec<u16> {
        self.queries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .filter(|query| query.len() >= 2)
            .map(|query| u16::from_be_bytes([query[0], query[1]]))
            .collect()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The test's own query: id, RD, one question, class IN.
pub fn query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let mut message = Vec::new();
    for field in [id, 0x0100, 1, 0, 0, 0] {
        message.extend_from_slice(&field.to_be_bytes());
    }
    message.extend_from_slice(&wire_name(name));
    message.extend_from_slice(&qtype.to_be_bytes());
    message.extend_from_slice(&1u16.to_be_bytes());
    message
}

/// `www.example.com` as labels, without compression.
pub fn wire_name(name: &str) -> Vec<u8> {
    let mut wire = Vec::new();
    for label in name
        .trim_end_matches('.')
        .split('.')
        .filter(|l| !l.is_empty())
    {
        wire.push(label.len() as u8);
        wire.extend_from_slice(label.as_bytes());
    }
    wire.push(0);
    wire
}

/// What a query asks: its id, its question's name (as the query wrote it) and type.
pub fn question_of(query: &[u8]) -> Option<(u16, String, u16)> {
    let id = u16::from_be_bytes([*query.first()?, *query.get(1)?]);
    let mut at = 12;
    let mut labels = Vec::new();
    loop {
        let length = usize::from(*query.get(at)?);
        if length == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(query.get(at + 1..at + 1 + length)?).into_owned());
        at += 1 + length;
    }
    let qtype = u16::from_be_bytes([*query.get(at + 1)?, *query.get(at + 2)?]);
    Some((id, labels.join("."), qtype))
}

/// One record of a response of the test's own: owner, type, TTL, data.
pub struct Rr<'a> {
    pub name: &'a str,
    pub rtype: u16,
    pub ttl: u32,
    pub data: Vec<u8>,
}

/// A response of the test's own (no compression): `id`, `flags`, the question, the answers.
pub fn response(id: u16, flags: u16, name: &str, qtype: u16, answers: &[Rr]) -> Vec<u8> {
    let mut message = Vec::new();
    for field in [id, flags, 1, answers.len() as u16, 0, 0] {
        message.extend_from_slice(&field.to_be_bytes());
    }
    message.extend_from_slice(&wire_name(name));
    message.extend_from_slice(&qtype.to_be_bytes());
    message.extend_from_slice(&1u16.to_be_bytes());
    for record in answers {
        message.extend_from_slice(&wire_name(record.name));
        message.extend_from_slice(&record.rtype.to_be_bytes());
        message.extend_from_slice(&1u16.to_be_bytes());
        message.extend_from_slice(&record.ttl.to_be_bytes());
        message.extend_from_slice(&(record.data.len() as u16).to_be_bytes());
        message.extend_from_slice(&record.data);
    }
    message
}

/// The flags of an ordinary answer: QR, RD, RA, rcode NOERROR.
pub const ANSWER_FLAGS: u16 = 0x8180;

/// An A record's data.
pub fn a(address: [u8; 4]) -> Vec<u8> {
    address.to_vec()
}

/// SERVFAIL for `query`: its header with QR, RA and rcode 2, and its question.
fn servfail(query: &[u8]) -> Vec<u8> {
    let mut answer = query.to_vec();
    if answer.len() >= 12 {
        answer[2] = 0x81;
        answer[3] = 0x82;
        answer[6..12].fill(0);
    }
    answer
}

/// Bytes as lines of 16 hex pairs, for snapshots and messages.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .chunks(16)
        .map(|line| {
            line.iter()
                .map(|byte| format!("{byte:02x}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
