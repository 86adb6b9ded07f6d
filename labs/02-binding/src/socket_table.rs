//! The kernel's socket table: `/proc/net/tcp` and `/proc/net/tcp6`.
//!
//! How does `ss -ltn` know which ports are taken? It asks the kernel, and on
//! Linux the oldest way to ask is to read a file. `/proc/net/tcp` lists every
//! IPv4 TCP socket of this network namespace, one line each, and
//! `/proc/net/tcp6` the IPv6 ones:
//!
//! ```text
//!   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
//!    0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 48213 1 …
//! ```
//!
//! The columns this lab needs, counted from 0 after splitting on whitespace:
//!
//! | # | column          | example         | meaning                                         |
//! |---|-----------------|-----------------|-------------------------------------------------|
//! | 1 | `local_address` | `0100007F:1F90` | this socket's address and port, in hexadecimal  |
//! | 2 | `rem_address`   | `00000000:0000` | the other end's (all zeros: no other end yet)   |
//! | 3 | `st`            | `0A`            | the TCP state, in hexadecimal: `0A` is LISTEN   |
//! | 7 | `uid`           | `1000`          | the user who owns the socket, in decimal        |
//! | 9 | `inode`         | `48213`         | the socket's inode number, in decimal           |
//!
//! **The port** is plain hexadecimal: `1F90` is 8080.
//!
//! **The address is the surprise.** The kernel keeps an IPv4 address as four
//! bytes in network order (`7F 00 00 01` for 127.0.0.1) and prints them as
//! *one 32-bit number read in this machine's byte order*. On a little-endian
//! machine (x86, ARM) those bytes read back as `0x0100007F`, so 127.0.0.1
//! appears as `0100007F`, "backwards". To undo it, parse the hexadecimal into
//! a `u32` and take its bytes in the machine's order again,
//! [`u32::to_ne_bytes`] ("native endian"): `[0x7F, 0, 0, 1]`. An IPv6 address
//! is 16 bytes printed as four such 32-bit numbers, one after the other, so
//! `::1` is `00000000000000000000000001000000`.
//!
//! **The inode** is the socket's identity card. A socket is a file, and the
//! process that holds it has a file descriptor pointing to `socket:[48213]`:
//! that is how the [`owner`](crate::owner) module finds the process. A socket
//! no process holds any more, such as a closed connection waiting in
//! TIME_WAIT, has inode 0.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

/// Where Linux lists the IPv4 TCP sockets.
pub const TCP_TABLE: &str = "/proc/net/tcp";
/// Where Linux lists the IPv6 TCP sockets.
pub const TCP6_TABLE: &str = "/proc/net/tcp6";

/// The state of a TCP socket, as the kernel numbers them (`include/net/tcp_states.h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TcpState {
    /// 01: a connection is open; data can flow both ways.
    Established,
    /// 02: a client sent its SYN and waits for the answer.
    SynSent,
    /// 03: a server received a SYN and answered it.
    SynRecv,
    /// 04: this side closed first and sent its FIN.
    FinWait1,
    /// 05: this side's FIN was acknowledged; waiting for the other side's FIN.
    FinWait2,
    /// 06: this side closed first and the connection is over, but the kernel
    /// keeps the addresses and ports for a while in case old packets arrive.
    TimeWait,
    /// 07: closed. (A socket that is only bound, neither listening nor
    /// connected, is in this state too, but the table does not show it.)
    Close,
    /// 08: the other side closed first; this side has not closed yet.
    CloseWait,
    /// 09: the other side closed first, then this side; waiting for the last ACK.
    LastAck,
    /// 0A: a server socket waiting for connections.
    Listen,
    /// 0B: both sides closed at the same time.
    Closing,
    /// 0C: a connection being set up, held by its listening socket.
    NewSynRecv,
    /// A state number this list does not know.
    Unknown(u8),
}

impl TcpState {
    /// The state with the kernel's number `code` (the `st` column, once read as hexadecimal).
    pub fn from_code(code: u8) -> TcpState {
        // TODO: the state the kernel numbers `code`: each variant's doc comment above starts
        // with its number, in hexadecimal (`0A` is `Listen`). Think about: a number the list
        // does not know (0, 0x0D, 0xFF) must keep its value, not become some other state. Read
        // the `st` row of the module comment's table. Stuck? `cargo xtask hint 02`.
        todo!()
    }
}

/// The kernel's name for the state, e.g. `LISTEN` or `TIME_WAIT`.
impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            TcpState::Established => "ESTABLISHED",
            TcpState::SynSent => "SYN_SENT",
            TcpState::SynRecv => "SYN_RECV",
            TcpState::FinWait1 => "FIN_WAIT1",
            TcpState::FinWait2 => "FIN_WAIT2",
            TcpState::TimeWait => "TIME_WAIT",
            TcpState::Close => "CLOSE",
            TcpState::CloseWait => "CLOSE_WAIT",
            TcpState::LastAck => "LAST_ACK",
            TcpState::Listen => "LISTEN",
            TcpState::Closing => "CLOSING",
            TcpState::NewSynRecv => "NEW_SYN_RECV",
            TcpState::Unknown(code) => return write!(f, "state {code:#04x}"),
        };
        f.write_str(name)
    }
}

/// One line of the socket table: one TCP socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketEntry {
    /// This socket's address and port.
    pub local: SocketAddr,
    /// The other end's address and port; `0.0.0.0:0` or `[::]:0` when there is none.
    pub remote: SocketAddr,
    /// The TCP state.
    pub state: TcpState,
    /// The user id of the socket's owner.
    pub uid: u32,
    /// The socket's inode number; 0 when no process holds the socket any more.
    pub inode: u64,
}

/// Reads an IPv4 address written the kernel's way: 8 hexadecimal digits, one
/// 32-bit number in this machine's byte order. On a little-endian machine
/// `"0100007F"` is 127.0.0.1.
///
/// Anything that is not exactly 8 hexadecimal digits is `None`.
pub fn parse_ipv4_address(hex: &str) -> Option<Ipv4Addr> {
    // TODO: read the kernel's IPv4 address, as the doc comment says. Think about: `0100007F` is
    // 127.0.0.1 on a little-endian machine, and your code must stay right on a big-endian one,
    // so do not reverse the digits by hand: undo what the kernel did, in the machine's own byte
    // order; 7 or 9 digits, a `g`, a space or a leading `+` (which some number parsers accept)
    // give `None`. The IPv6 parser below needs the very same work for each of its four words:
    // design one private helper that both use. Read the module comment ("The address is the
    // surprise") and chapter 2, "The kernel's socket table". Stuck? `cargo xtask hint 02`.
    todo!()
}

/// Reads an IPv6 address written the kernel's way: 32 hexadecimal digits, four
/// 32-bit numbers of 8 digits each, each in this machine's byte order. On a
/// little-endian machine `"00000000000000000000000001000000"` is `::1`.
///
/// Anything that is not exactly 32 hexadecimal digits is `None`.
pub fn parse_ipv6_address(hex: &str) -> Option<Ipv6Addr> {
    // TODO: read the kernel's IPv6 address, as the doc comment says, with the helper you designed
    // for IPv4. Think about: `::1` is `00000000000000000000000001000000`, four words in order, each
    // in the machine's byte order; 31 or 33 digits give `None`; so does text with a non-ASCII
    // character, and cutting a `&str` inside a character panics, so check before you slice.
    // Read the module comment. Stuck? `cargo xtask hint 02`.
    todo!()
}

/// Reads an address and port the kernel's way, `ADDRESS:PORT` in hexadecimal:
/// `"0100007F:1F90"` is 127.0.0.1:8080. An 8-digit address is IPv4, a 32-digit
/// one IPv6; the port has 4 digits.
///
/// Anything else is `None`.
pub fn parse_socket_address(hex: &str) -> Option<SocketAddr> {
    // TODO: read `ADDRESS:PORT`, as the doc comment says. Think about: `1F90` is port 8080; no `:`,
    // a port of 3 or 5 digits, or an address of any length but 8 or 32 give `None`; the length
    // of the address tells its family. Read the table at the top of this module. Stuck?
    // `cargo xtask hint 02`.
    todo!()
}

/// Reads one line of `/proc/net/tcp` or `/proc/net/tcp6`.
///
/// The line is split on whitespace; the columns used are the local address
/// (1), the remote address (2), the state (3, two hexadecimal digits), the uid
/// (7, decimal) and the inode (9, decimal). The header line, a short line or
/// a column that cannot be read gives `None`.
pub fn parse_line(line: &str) -> Option<SocketEntry> {
    // TODO: read one line of the table, as the doc comment says. Think about: the header line,
    // which has words where numbers should be; a line cut short (index past the end panics);
    // real lines have more columns after the inode; which columns are hexadecimal and which
    // decimal. One unreadable column makes the whole line `None`. Read the table of columns at
    // the top of this module. Stuck? `cargo xtask hint 02`.
    todo!()
}

/// Reads a whole table: every line [`parse_line`] can read, in order. The
/// header and any line that cannot be read are skipped.
pub fn parse_table(text: &str) -> Vec<SocketEntry> {
    // TODO: every line `parse_line` can read, in order, as the doc comment says. Think about: the
    // header may be missing, so do not skip the first line blindly; a junk line in the middle is
    // skipped, and the lines after it still count. Stuck? `cargo xtask hint 02`.
    todo!()
}

/// This machine's TCP sockets: [`TCP_TABLE`] then [`TCP6_TABLE`].
///
/// A machine without IPv6 has no [`TCP6_TABLE`]: a missing file counts as an
/// empty table. Any other error reading either file is returned.
pub fn read_socket_tables() -> io::Result<Vec<SocketEntry>> {
    // TODO: this machine's sockets from both files, as the doc comment says. Think about: a machine
    // without IPv6 has no `tcp6` file, which is an empty table and not an error, while any other
    // error (a file you may not read) must reach the caller; the IPv4 entries come first. Both
    // files are read the same way: a private helper of yours saves writing it twice. Read std's
    // `io::ErrorKind` docs. Stuck? `cargo xtask hint 02`.
    todo!()
}
