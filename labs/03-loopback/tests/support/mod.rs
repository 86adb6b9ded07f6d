//! What the lab's tests share: servers, closed ports, waiting for a
//! connection, hiding port numbers from snapshots, and the two-host network of
//! [`topology`] (built on the course harness's network namespaces).

// Each test file uses a different part of this module.
#![allow(dead_code)]

pub mod topology;

use std::io;
use std::net::{IpAddr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::os::fd::{FromRawFd, OwnedFd};
use std::thread;
use std::time::{Duration, Instant};

/// The time limit the tests give one connection attempt that should connect or be refused:
/// on loopback or a virtual cable, either happens in well under a millisecond.
pub const TIMEOUT: Duration = Duration::from_secs(1);

/// How many times the tests look for a port that is free on two addresses at once.
const PORT_SEARCHES: usize = 50;

/// A TCP port held by a socket that is bound but never listens. A connection to
/// [`ClosedPort::addr`] is refused, and no other program can start listening there
/// while this value lives, so "refused" is certain.
pub struct ClosedPort {
    /// The address and port nothing listens on.
    pub addr: SocketAddr,
    _socket: TcpStream,
}

/// Holds `port` on `ip` (0: any free port) without listening on it.
pub fn closed_port(ip: IpAddr, port: u16) -> io::Result<ClosedPort> {
    let family = match ip {
        IpAddr::V4(_) => libc::AF_INET,
        IpAddr::V6(_) => libc::AF_INET6,
    };
    // SAFETY: socket(2) has no memory-safety preconditions.
    let fd = unsafe { libc::socket(family, libc::SOCK_STREAM, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just created and nothing else owns it.
    let socket = TcpStream::from(unsafe { OwnedFd::from_raw_fd(fd) });
    bind(fd, SocketAddr::new(ip, port))?;
    // A bound, unconnected socket: local_addr() reads the port the OS picked.
    let addr = socket.local_addr()?;
    Ok(ClosedPort {
        addr,
        _socket: socket,
    })
}

/// bind(2) for a raw socket.
fn bind(fd: libc::c_int, addr: SocketAddr) -> io::Result<()> {
    let result = match addr {
        SocketAddr::V4(v4) => {
            // SAFETY: sockaddr_in is plain data; all zeroes is a valid value.
            let mut raw: libc::sockaddr_in = unsafe { std::mem::zeroed() };
            raw.sin_family = libc::AF_INET as libc::sa_family_t;
            raw.sin_port = v4.port().to_be();
            raw.sin_addr.s_addr = u32::from_ne_bytes(v4.ip().octets());
            // SAFETY: `raw` is a valid sockaddr_in and the length says so.
            unsafe {
                libc::bind(
                    fd,
                    (&raw as *const libc::sockaddr_in).cast(),
                    std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
                )
            }
        }
        SocketAddr::V6(v6) => {
            // SAFETY: sockaddr_in6 is plain data; all zeroes is a valid value.
            let mut raw: libc::sockaddr_in6 = unsafe { std::mem::zeroed() };
            raw.sin6_family = libc::AF_INET6 as libc::sa_family_t;
            raw.sin6_port = v6.port().to_be();
            raw.sin6_addr.s6_addr = v6.ip().octets();
            // SAFETY: `raw` is a valid sockaddr_in6 and the length says so.
            unsafe {
                libc::bind(
                    fd,
                    (&raw as *const libc::sockaddr_in6).cast(),
                    std::mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t,
                )
            }
        }
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// A server listening on `listen_ip` and a closed port on `closed_ip`, with the same port
/// number: "the server is on 127.0.0.1:P, nothing is on [::1]:P".
pub fn listener_with_closed_twin(
    listen_ip: IpAddr,
    closed_ip: IpAddr,
) -> (TcpListener, ClosedPort) {
    for _ in 0..PORT_SEARCHES {
        let listener = listen(listen_ip);
        let port = listener
            .local_addr()
            .expect("a bound listener has an address")
            .port();
        if let Ok(closed) = closed_port(closed_ip, port) {
            return (listener, closed);
        }
    }
    panic!(
        "the test found no port free on both {listen_ip} and {closed_ip}; this is not your code's fault, run it again"
    )
}

/// Two servers on the same port, one on each address.
pub fn listener_twins(first_ip: IpAddr, second_ip: IpAddr) -> (TcpListener, TcpListener) {
    for _ in 0..PORT_SEARCHES {
        let first = listen(first_ip);
        let port = first
            .local_addr()
            .expect("a bound listener has an address")
            .port();
        if let Ok(second) = TcpListener::bind((second_ip, port)) {
            return (first, second);
        }
    }
    panic!(
        "the test found no port free on both {first_ip} and {second_ip}; this is not your code's fault, run it again"
    )
}

/// Two closed ports with the same number, one on each address.
pub fn closed_twins(first_ip: IpAddr, second_ip: IpAddr) -> (ClosedPort, ClosedPort) {
    for _ in 0..PORT_SEARCHES {
        let first = closed_port(first_ip, 0).unwrap_or_else(|error| {
            panic!("the test could not hold a port on {first_ip} ({error}); this is not your code's fault")
        });
        if let Ok(second) = closed_port(second_ip, first.addr.port()) {
            return (first, second);
        }
    }
    panic!(
        "the test found no port free on both {first_ip} and {second_ip}; this is not your code's fault, run it again"
    )
}

/// A server on `ip` and a port the OS picks.
pub fn listen(ip: IpAddr) -> TcpListener {
    TcpListener::bind((ip, 0)).unwrap_or_else(|error| {
        panic!("the test could not start a server on {ip} ({error}); this is not your code's fault")
    })
}

/// The connection waiting at `listener`, if one arrives within `timeout`.
pub fn accept_within(listener: &TcpListener, timeout: Duration) -> Option<(TcpStream, SocketAddr)> {
    listener
        .set_nonblocking(true)
        .expect("a listener can be made non-blocking");
    let deadline = Instant::now() + timeout;
    let accepted = loop {
        match listener.accept() {
            Ok(accepted) => break Some(accepted),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    break None;
                }
                thread::sleep(Duration::from_millis(5));
            }
            Err(_) => break None,
        }
    };
    listener
        .set_nonblocking(false)
        .expect("a listener can be made blocking again");
    accepted
}

/// Panics "not run: …" when this machine has no IPv6 loopback address to test with.
pub fn require_ipv6_loopback() {
    if let Err(error) = TcpListener::bind((Ipv6Addr::LOCALHOST, 0)) {
        panic!(
            "not run: this test needs the IPv6 loopback address ::1, and this machine cannot listen on it ({error}). \
             IPv6 is probably turned off (a container or VM without IPv6): enable it with \
             `sudo sysctl -w net.ipv6.conf.lo.disable_ipv6=0`, or grade on a machine with IPv6."
        );
    }
}

/// `text` with every `:port` (followed by anything but a digit) written `:PORT`, so that a
/// snapshot does not depend on the port the OS picked.
pub fn redact_port(text: &str, port: u16) -> String {
    let needle = format!(":{port}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(&needle) {
        let after = &rest[start + needle.len()..];
        out.push_str(&rest[..start]);
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(&needle);
        } else {
            out.push_str(":PORT");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}
