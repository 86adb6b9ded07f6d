//! Helpers shared by the graded tests: setting up sockets, checking what this
//! machine can do, and making snapshots deterministic. Nothing here calls the
//! code under test.

// Each test file uses only some of these helpers.
#![allow(dead_code)]

use std::fs;
use std::io::{self, ErrorKind, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

/// How long any network step of a test may take before the test gives up.
pub const NETWORK_TIMEOUT: Duration = Duration::from_secs(2);

/// 127.0.0.1.
pub const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Stops the test, reported "not run", when this machine has no `/proc/net/tcp` (not Linux).
pub fn require_proc_net() {
    if !Path::new("/proc/net/tcp").exists() {
        panic!(
            "not run: this machine has no /proc/net/tcp, so it is not Linux (or /proc is not mounted); \
             this lab reads Linux's /proc and needs a Linux machine, a VM or a container"
        );
    }
}

/// Stops the test, reported "not run", when the loopback interface has no IPv6 address.
pub fn require_ipv6_loopback() {
    if let Err(error) = TcpListener::bind((Ipv6Addr::LOCALHOST, 0)) {
        panic!(
            "not run: this machine has no IPv6 on its loopback interface (binding [::1]:0 failed: \
             {error}); enable it with `sudo sysctl -w net.ipv6.conf.lo.disable_ipv6=0` and grade again"
        );
    }
}

/// Stops the test, reported "not run", on a big-endian machine: the table
/// lines in the test were written by a little-endian kernel.
pub fn require_little_endian() {
    if cfg!(target_endian = "big") {
        panic!(
            "not run: this test's /proc/net/tcp lines were recorded on a little-endian machine \
             (x86, ARM), and this machine is big-endian"
        );
    }
}

/// Stops the test, reported "not run", when this machine lets programs bind
/// addresses it does not have (`net.ipv4.ip_nonlocal_bind = 1`): then binding
/// 198.51.100.7 succeeds, without sending anything.
pub fn require_no_nonlocal_bind() {
    let setting = fs::read_to_string("/proc/sys/net/ipv4/ip_nonlocal_bind").unwrap_or_default();
    if setting.trim() == "1" {
        panic!(
            "not run: net.ipv4.ip_nonlocal_bind is 1 on this machine, so binding an address it does \
             not have succeeds; set it to 0 (`sudo sysctl -w net.ipv4.ip_nonlocal_bind=0`) to run this test"
        );
    }
}

/// The name of this test process, as Linux shows it in `/proc/self/comm`.
pub fn this_process_name() -> String {
    fs::read_to_string("/proc/self/comm")
        .expect("this test reads /proc/self/comm")
        .trim_end_matches('\n')
        .to_string()
}

/// The inode number of a socket this process holds, read without the code
/// under test: `stat` on `/proc/self/fd/<fd>` follows the link to the socket.
pub fn socket_inode(socket: &impl AsRawFd) -> u64 {
    let link = format!("/proc/self/fd/{}", socket.as_raw_fd());
    fs::metadata(&link)
        .unwrap_or_else(|error| panic!("the test could not stat {link}: {error}"))
        .ino()
}

/// The effective user id of this process (the owner of `/proc/self`).
pub fn this_user_id() -> u32 {
    fs::metadata("/proc/self")
        .expect("this test reads /proc/self")
        .uid()
}

/// A port that was free on `ip` a moment ago: the kernel picks it for a
/// listener on port 0, which is then closed.
pub fn recently_free_port(ip: IpAddr) -> u16 {
    let listener = TcpListener::bind((ip, 0))
        .unwrap_or_else(|error| panic!("the test could not bind {ip}:0: {error}"));
    listener
        .local_addr()
        .expect("a bound listener has an address")
        .port()
}

/// A loopback address that no other test process uses: 127.X.Y.Z made of
/// this process's id. Every address of 127.0.0.0/8 is loopback on Linux.
pub fn private_loopback_ip() -> Ipv4Addr {
    let pid = std::process::id();
    let [_, high, middle, low] = pid.to_be_bytes();
    Ipv4Addr::new(127, 100 + (high & 0x3f), middle, low)
}

/// A socket bound to `address` without `SO_REUSEADDR` and without listening,
/// with `IPV6_V6ONLY` set as asked for an IPv6 socket. It takes the port but
/// accepts no connection.
pub fn bind_only(address: SocketAddr, ipv6_only: bool) -> io::Result<Socket> {
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    socket.set_reuse_address(false)?;
    if address.is_ipv6() {
        socket.set_only_v6(ipv6_only)?;
    }
    socket.bind(&SockAddr::from(address))?;
    Ok(socket)
}

/// Connects to `address`, giving up after [`NETWORK_TIMEOUT`].
pub fn connect(address: SocketAddr) -> io::Result<TcpStream> {
    TcpStream::connect_timeout(&address, NETWORK_TIMEOUT)
}

/// Accepts one connection, giving up after [`NETWORK_TIMEOUT`].
pub fn accept(listener: &TcpListener) -> io::Result<(TcpStream, SocketAddr)> {
    listener.set_nonblocking(true)?;
    let deadline = Instant::now() + NETWORK_TIMEOUT;
    let accepted = loop {
        match listener.accept() {
            Ok(accepted) => break Ok(accepted),
            Err(error) if error.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(5));
            }
            Err(error) if error.kind() == ErrorKind::WouldBlock => {
                break Err(io::Error::new(
                    ErrorKind::TimedOut,
                    "no connection arrived in time",
                ));
            }
            Err(error) => break Err(error),
        }
    };
    listener.set_nonblocking(false)?;
    let (stream, peer) = accepted?;
    stream.set_nonblocking(false)?;
    Ok((stream, peer))
}

/// Checks that `listener` really listens: a client connects to `address` and is accepted.
pub fn assert_accepts_a_client(listener: &TcpListener, address: SocketAddr, what: &str) {
    let client = connect(address).unwrap_or_else(|error| {
        panic!(
            "{what}: a client could not connect to {address} ({error}), so nothing listens there"
        )
    });
    let (_, peer) = accept(listener).unwrap_or_else(|error| {
        panic!(
            "{what}: a client connected to {address}, but the listener did not accept it ({error})"
        )
    });
    assert_eq!(
        Some(peer),
        client.local_addr().ok(),
        "{what}: the listener accepted a connection from {peer}, which is not the test's client"
    );
}

/// Leaves the server's side of a closed connection in TIME_WAIT on a
/// loopback address and port, and returns that address.
///
/// The server is a standard-library `TcpListener` (so `SO_REUSEADDR` is on,
/// as for any Rust server). It accepts one client, closes the connection
/// *first* (so its side goes to TIME_WAIT), the client closes its side, and
/// the server stops. The function returns once `/proc/net/tcp` shows the
/// TIME_WAIT connection.
pub fn leave_a_connection_in_time_wait() -> SocketAddr {
    let server = TcpListener::bind((LOCALHOST, 0)).expect("the test binds 127.0.0.1:0");
    let address = server
        .local_addr()
        .expect("a bound listener has an address");
    let mut client = connect(address).expect("the test's client connects to its own server");
    let (accepted, _) = accept(&server).expect("the test's server accepts its own client");
    drop(accepted);
    client
        .set_read_timeout(Some(NETWORK_TIMEOUT))
        .expect("a read timeout can be set");
    let mut byte = [0u8; 1];
    let read = client.read(&mut byte);
    assert!(
        matches!(read, Ok(0)),
        "the test's client should see the server close the connection (end of file), got {read:?}; \
         this is not your code's fault"
    );
    drop(client);
    drop(server);
    wait_for_time_wait(address);
    address
}

/// Waits, at most a few seconds, until a TIME_WAIT connection shows on `address`.
fn wait_for_time_wait(address: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while !shows_time_wait_on(address) {
        assert!(
            Instant::now() < deadline,
            "the test closed a connection on {address} but it never showed in TIME_WAIT in \
             /proc/net/tcp; this is not your code's fault"
        );
        thread::sleep(Duration::from_millis(10));
    }
}

/// Whether `/proc/net/tcp` has a TIME_WAIT line (state 06) whose local end is
/// `address` (an IPv4 address), read without the code under test.
pub fn shows_time_wait_on(address: SocketAddr) -> bool {
    let IpAddr::V4(ip) = address.ip() else {
        return false;
    };
    let word = u32::from_ne_bytes(ip.octets());
    let local = format!("{word:08X}:{:04X}", address.port());
    let table = fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    table.lines().any(|line| {
        let columns: Vec<&str> = line.split_whitespace().collect();
        columns.len() > 3 && columns[1] == local && columns[3] == "06"
    })
}

/// Replaces, in `text`, every whole occurrence of each value (one not glued
/// to a letter or a digit) with its label: the values that change from run to
/// run (ports, pids, process names) become `[port]`, `[pid]`, `[name]`.
pub fn redact(text: &str, replacements: &[(String, &str)]) -> String {
    let mut text = text.to_string();
    for (value, label) in replacements {
        text = replace_whole(&text, value, label);
    }
    text
}

fn replace_whole(text: &str, value: &str, label: &str) -> String {
    if value.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut previous: Option<char> = None;
    while let Some(start) = rest.find(value) {
        let before = rest[..start].chars().next_back().or(previous);
        let after = rest[start + value.len()..].chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        out.push_str(&rest[..start]);
        if glued(before) || glued(after) {
            out.push_str(value);
        } else {
            out.push_str(label);
        }
        previous = value.chars().next_back();
        rest = &rest[start + value.len()..];
    }
    out.push_str(rest);
    out
}
