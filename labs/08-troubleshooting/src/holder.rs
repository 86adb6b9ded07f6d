//! Who holds a port: from the kernel's socket table to a process id and a name.
//!
//! **Given**: you wrote this in lab 02 (`socket_table.rs`, `owner.rs`), step
//! by step. Here it is finished and in one piece, so that this lab can use it.
//! Read it as a reminder of how `ss -ltnp` finds the program behind a port:
//!
//! 1. `/proc/net/tcp` and `/proc/net/tcp6` list every TCP socket of this
//!    network namespace: local address and port (in hexadecimal, the IPv4
//!    address in the machine's byte order), state (`0A` is LISTEN) and inode.
//! 2. Every process lists its open files in `/proc/<pid>/fd/`, one symbolic
//!    link each; a socket's link reads `socket:[<inode>]`.
//! 3. So the holder of a port is the process with a link to the inode of a
//!    socket on that port, and its name is in `/proc/<pid>/comm`.
//!
//! Inode 0 means no process holds the socket any more: a closed connection
//! that the kernel keeps in TIME_WAIT. And you may only look into your own
//! processes' `fd` folders (root may look into all): a socket whose process
//! you may not see is [`Holder::Hidden`].

use std::fmt;
use std::fs;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;

/// The kernel's socket tables: IPv4, then IPv6.
const TABLES: [&str; 2] = ["/proc/net/tcp", "/proc/net/tcp6"];
/// The `st` column of a listening socket.
const LISTEN: u8 = 0x0A;

/// What holds an address and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// A process has a socket there.
    Process {
        /// Its process id.
        pid: u32,
        /// Its name, from `/proc/<pid>/comm` (at most 15 bytes).
        name: String,
    },
    /// A socket is there, but no process this program may look at holds it.
    Hidden,
    /// No process: only a closed connection the kernel still keeps (TIME_WAIT).
    ClosedConnection,
}

/// `pid 4242 (python3)`, `a socket of another user`, or `a closed connection in TIME_WAIT`.
impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Holder::Process { pid, name } => write!(f, "pid {pid} ({name})"),
            Holder::Hidden => f.write_str("a socket of another user"),
            Holder::ClosedConnection => f.write_str("a closed connection in TIME_WAIT"),
        }
    }
}

/// One line of the socket table, the columns this module needs.
#[derive(Debug, Clone, Copy)]
struct Socket {
    local: SocketAddr,
    state: u8,
    inode: u64,
}

/// Who holds `address`: a socket whose local port is `address`'s port, on an
/// address that overlaps it (the same address, or a wildcard on either side).
/// Listening sockets are looked at first. `None` when no socket uses it, for
/// port 0, and when the socket tables cannot be read.
pub fn who_holds(address: SocketAddr) -> Option<Holder> {
    if address.port() == 0 {
        return None;
    }
    let mut using: Vec<Socket> = read_tables()
        .into_iter()
        .filter(|socket| socket.local.port() == address.port())
        .filter(|socket| overlap(socket.local.ip(), address.ip()))
        .collect();
    using.sort_by_key(|socket| socket.state != LISTEN);
    let Some(socket) = using.iter().find(|socket| socket.inode != 0) else {
        return using.first().map(|_| Holder::ClosedConnection);
    };
    Some(match owner_of(socket.inode) {
        Some((pid, name)) => Holder::Process { pid, name },
        None => Holder::Hidden,
    })
}

/// Whether sockets bound to `a` and to `b` (same port) would take the same
/// connections: equal addresses, or a wildcard (`0.0.0.0` for IPv4, `::` for
/// both families, Linux's dual-stack default) on either side.
fn overlap(a: IpAddr, b: IpAddr) -> bool {
    let (a, b) = (a.to_canonical(), b.to_canonical());
    let covers = |wildcard: IpAddr, other: IpAddr| match wildcard {
        IpAddr::V4(ip) => ip.is_unspecified() && other.is_ipv4(),
        IpAddr::V6(ip) => ip.is_unspecified(),
    };
    a == b || covers(a, b) || covers(b, a)
}

/// Every socket of both tables; a table that cannot be read is empty.
fn read_tables() -> Vec<Socket> {
    TABLES
        .iter()
        .filter_map(|path| fs::read_to_string(path).ok())
        .flat_map(|text| text.lines().filter_map(parse_line).collect::<Vec<_>>())
        .collect()
}

/// One line: columns 1 (local address), 3 (state) and 9 (inode).
fn parse_line(line: &str) -> Option<Socket> {
    let columns: Vec<&str> = line.split_whitespace().collect();
    if columns.len() < 10 {
        return None;
    }
    Some(Socket {
        local: parse_socket_address(columns[1])?,
        state: u8::from_str_radix(columns[3], 16).ok()?,
        inode: columns[9].parse().ok()?,
    })
}

/// `0100007F:1F90` is 127.0.0.1:8080 (on a little-endian machine); a 32-digit
/// address is IPv6, four such 32-bit words.
fn parse_socket_address(hex: &str) -> Option<SocketAddr> {
    let (address, port) = hex.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let words: Vec<[u8; 4]> = (0..address.len() / 8)
        .map(|word| address.get(word * 8..word * 8 + 8))
        .map(|digits| Some(u32::from_str_radix(digits?, 16).ok()?.to_ne_bytes()))
        .collect::<Option<_>>()?;
    let ip = match words.as_slice() {
        [word] => IpAddr::V4(Ipv4Addr::from(*word)),
        [_, _, _, _] => IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(words.concat()).ok()?)),
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// The process with a file descriptor on the socket `inode`, and its name.
fn owner_of(inode: u64) -> Option<(u32, String)> {
    let wanted = format!("socket:[{inode}]");
    let processes = fs::read_dir("/proc").ok()?;
    processes
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| holds(*pid, &wanted))
        .and_then(|pid| {
            let comm = fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("comm"));
            Some((pid, comm.ok()?.trim_end().to_string()))
        })
}

/// Whether one link of `/proc/<pid>/fd/` reads `wanted`; a folder that may
/// not be read (another user's process, or one that just ended) holds nothing.
fn holds(pid: u32, wanted: &str) -> bool {
    let Ok(descriptors) = fs::read_dir(Path::new("/proc").join(pid.to_string()).join("fd")) else {
        return false;
    };
    descriptors
        .filter_map(Result::ok)
        .filter_map(|descriptor| fs::read_link(descriptor.path()).ok())
        .any(|target| target.as_os_str() == wanted)
}
