//! Owners: which process holds a socket, and so who holds a port.
//!
//! The [socket table](crate::socket_table) says that *some* socket listens on
//! `127.0.0.1:8080`, and gives its inode number, but not which program it
//! belongs to. Linux does not keep a "socket → process" list. It is the other
//! way round: every process has its open files, sockets included, in
//! `/proc/<pid>/fd/`, one symbolic link per file descriptor:
//!
//! ```text
//! $ ls -l /proc/4242/fd
//! lr-x------ 1 ada ada 64 … 0 -> /dev/null
//! l-wx------ 1 ada ada 64 … 1 -> /home/ada/server.log
//! lrwx------ 1 ada ada 64 … 3 -> socket:[48213]
//! ```
//!
//! A link to a socket reads `socket:[INODE]`. So to find who owns socket
//! 48213, look through every process's `fd` folder for a link that reads
//! `socket:[48213]`. That is exactly what `ss -ltnp` and `lsof -i` do. The
//! process's name is in `/proc/<pid>/comm`, one line: the first 15 bytes of
//! the program's name.
//!
//! Two things get in the way, and both are normal:
//!
//! - **Permissions.** You may only look inside the `fd` folders of your own
//!   processes (root may look everywhere). A folder you cannot read is
//!   skipped: that process is not yours.
//! - **Races.** A process may exit while you look at it. Its folder
//!   disappears; skip it too.
//!
//! Some sockets have no process at all: a closed connection in TIME_WAIT
//! belongs to the kernel alone, and its inode is 0. It still takes its
//! port: see [`reuse`](crate::reuse).

// BEGIN SOLUTION
use std::fs;
// END SOLUTION
use std::net::SocketAddr;
// BEGIN SOLUTION
use std::path::Path;
// END SOLUTION

// BEGIN SOLUTION
use crate::conflict::{Binding, conflicts};
use crate::socket_table::{SocketEntry, TcpState, read_socket_tables};
// END SOLUTION
// STUB: use crate::socket_table::{SocketEntry, TcpState};

/// Where Linux shows its processes, one folder per process id.
pub const PROC: &str = "/proc";

/// A running process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// Its process id.
    pub pid: u32,
    /// Its name, as in `/proc/<pid>/comm` (at most 15 bytes), without the newline.
    pub name: String,
}

/// What holds an address and port, as far as this machine can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// A process has a socket there, listening or connected.
    Process {
        /// The process that holds the socket.
        process: Process,
        /// The state of its socket (LISTEN for a server).
        state: TcpState,
    },
    /// A socket is there, but no process we may look at holds it: it belongs
    /// to another user, and this program is not root.
    Hidden {
        /// The socket's inode number.
        inode: u64,
        /// The state of the socket.
        state: TcpState,
    },
    /// No process: only a connection that was closed and that the kernel still
    /// keeps, usually in TIME_WAIT.
    ClosedConnection {
        /// The state of that connection, usually TIME_WAIT.
        state: TcpState,
    },
}

/// The ids of the processes running now: the folders of [`PROC`] whose name
/// is a number. An unreadable [`PROC`] gives an empty list.
pub fn process_ids() -> Vec<u32> {
    // BEGIN SOLUTION
    let Ok(entries) = fs::read_dir(PROC) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .collect()
    // END SOLUTION
    // STUB: // TODO: the ids of the running processes, as the doc comment says. Think about: `/proc`
    // STUB: // also holds `self`, `net`, `cpuinfo` and more, and only whole numbers are process ids; an
    // STUB: // entry that cannot be read is skipped; an unreadable `/proc` gives an empty list, not a
    // STUB: // panic. Read this module's comment and std's `fs::read_dir` docs. Stuck?
    // STUB: // `cargo xtask hint 02`.
    // STUB: todo!()
}

/// Whether process `pid` has a file descriptor on the socket with this
/// inode: whether one link of `/proc/<pid>/fd/` reads `socket:[<inode>]`.
///
/// A process that is gone, or whose `fd` folder may not be read, holds nothing.
pub fn holds_socket(pid: u32, inode: u64) -> bool {
    // BEGIN SOLUTION
    let fd_dir = Path::new(PROC).join(pid.to_string()).join("fd");
    let Ok(descriptors) = fs::read_dir(fd_dir) else {
        return false;
    };
    let wanted = format!("socket:[{inode}]");
    descriptors
        .filter_map(Result::ok)
        .filter_map(|descriptor| fs::read_link(descriptor.path()).ok())
        .any(|target| target.as_os_str() == wanted.as_str())
    // END SOLUTION
    // STUB: // TODO: whether process `pid` has the socket, as the doc comment says. Think about: a process
    // STUB: // that exits while you look, and one of another user whose `fd` folder you may not read (both
    // STUB: // `false`, never a panic); descriptors that are files, not sockets; socket 48213 must not match
    // STUB: // `socket:[482130]`. Read this module's comment and chapter 2, "Who holds the port?". Stuck?
    // STUB: // `cargo xtask hint 02`.
    // STUB: todo!()
}

/// The name of process `pid`: the line in `/proc/<pid>/comm`, without its
/// newline. `None` when the process is gone.
pub fn process_name(pid: u32) -> Option<String> {
    // BEGIN SOLUTION
    let comm = Path::new(PROC).join(pid.to_string()).join("comm");
    let text = fs::read_to_string(comm).ok()?;
    Some(text.trim_end_matches('\n').to_string())
    // END SOLUTION
    // STUB: // TODO: the process's name, as the doc comment says. Think about: the file ends with a newline
    // STUB: // that is not part of the name; a process that is gone. Read `man 5 proc`, the entry on
    // STUB: // `/proc/pid/comm`.
    // STUB: // Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}

/// The process that holds the socket with this inode, or `None` when no
/// process we may look at holds it. Inode 0 is nobody's: `None` at once.
pub fn find_socket_owner(inode: u64) -> Option<Process> {
    // BEGIN SOLUTION
    if inode == 0 {
        return None;
    }
    process_ids()
        .into_iter()
        .filter(|&pid| holds_socket(pid, inode))
        .find_map(|pid| {
            Some(Process {
                pid,
                name: process_name(pid)?,
            })
        })
    // END SOLUTION
    // STUB: // TODO: the process that holds the socket, as the doc comment says, from the three functions
    // STUB: // above. Think about: inode 0 (nobody's, so no need to look through `/proc`); a process that
    // STUB: // holds the socket but exits before you read its name; the search can stop at the first
    // STUB: // owner found. Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}

/// The sockets of `entries` that take `address`'s port on an address that
/// overlaps it, following the [conflict](crate::conflict) rules. An entry is
/// compared as [`Binding::new`](crate::conflict::Binding::new) (the table does
/// not show `IPV6_V6ONLY`, so an IPv6 socket on `::` may be dual-stack), and
/// so is `address`.
///
/// Listening sockets come first, then the others, each in the table's order.
pub fn sockets_using(entries: &[SocketEntry], address: SocketAddr) -> Vec<SocketEntry> {
    // BEGIN SOLUTION
    let wanted = Binding::new(address);
    let mut using: Vec<SocketEntry> = entries
        .iter()
        .filter(|entry| conflicts(Binding::new(entry.local), wanted))
        .copied()
        .collect();
    using.sort_by_key(|entry| entry.state != TcpState::Listen);
    using
    // END SOLUTION
    // STUB: // TODO: the entries that take `address`'s port, as the doc comment says: the conflict module
    // STUB: // already knows the rules. Think about: a listener on `0.0.0.0:8080` or a dual-stack
    // STUB: // `[::]:8080` uses `127.0.0.1:8080`, `[::1]:8080` does not; listening sockets first, and the
    // STUB: // table's order kept within each group (look up what a *stable* sort is). Read chapter 2,
    // STUB: // "Three errors, three diagnoses". Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}

/// Who holds `address`: the first socket of [`sockets_using`] that has an
/// inode (not 0) makes a [`Holder::Process`] when [`find_socket_owner`] finds
/// its process, else a [`Holder::Hidden`]. When every such socket has inode 0,
/// the first one makes a [`Holder::ClosedConnection`].
///
/// `None` when no socket uses the address, for port 0, and when the socket
/// tables cannot be read.
pub fn who_holds(address: SocketAddr) -> Option<Holder> {
    // BEGIN SOLUTION
    if address.port() == 0 {
        return None;
    }
    let entries = read_socket_tables().ok()?;
    let using = sockets_using(&entries, address);
    if let Some(entry) = using.iter().find(|entry| entry.inode != 0) {
        let holder = match find_socket_owner(entry.inode) {
            Some(process) => Holder::Process {
                process,
                state: entry.state,
            },
            None => Holder::Hidden {
                inode: entry.inode,
                state: entry.state,
            },
        };
        return Some(holder);
    }
    using
        .first()
        .map(|entry| Holder::ClosedConnection { state: entry.state })
    // END SOLUTION
    // STUB: // TODO: who holds `address`, as the doc comment says, from this machine's socket tables. Think
    // STUB: // about: port 0 (a request for any port, which nobody holds); a port used only by connections
    // STUB: // in TIME_WAIT (inode 0: no process, yet the port is held); a socket of another user (you
    // STUB: // cannot see its process); tables that cannot be read. Read chapter 2, "Who holds the port?"
    // STUB: // and "TIME_WAIT and `SO_REUSEADDR`". Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}
