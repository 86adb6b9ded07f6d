//! Verdicts: what a connection attempt says about the network, and what to do next.
//!
//! A TCP connection starts with the **three-way handshake**:
//!
//! ```text
//!   client                         server
//!     | ---- SYN ("may I?") ---------> |
//!     | <--- SYN-ACK ("yes") --------- |    connect() returns Ok
//!     | ---- ACK ---------------------> |    accept() returns the connection
//! ```
//!
//! Whatever stands between the client and the server, the client learns one
//! of three things:
//!
//! - **a SYN-ACK**: something listens and accepted. The port is *open*.
//! - **a reset (RST)**: a host received the SYN and its TCP said "nobody here"
//!   (RFC 9293, section 3.10.7.1). `connect` fails at once with
//!   `ECONNREFUSED`: the port is *refused*, or "closed". Good news for
//!   debugging: the host is there and answered; only the port or the
//!   server's address is wrong.
//! - **nothing**. The SYN, or the answer to it, was dropped somewhere: a
//!   firewall that drops (rather than rejects), an address no machine has, a
//!   host that is down, or a server whose accept queue is full. The client
//!   resends its SYN, waiting longer each time, and without a time limit gives
//!   up after about two minutes (`ETIMEDOUT`). Port scanners call this
//!   *filtered*. Silence teaches you nothing more by waiting: use a time limit.
//!
//! Some attempts never leave the machine: the kernel itself refuses to send,
//! and says why at once. No route covers the address (`ENETUNREACH`), or a
//! route says it is unreachable (`EHOSTUNREACH`): *unreachable*. A route or a
//! firewall rule forbids it (`EACCES`, `EPERM`): *prohibited*. Two more
//! verdicts come from elsewhere: *in use* from a server's `bind` (see
//! [`listen`](crate::listen)), and *name not resolved* from the resolver (see
//! [`resolve`](crate::resolve)).
//!
//! Rust turns the error number into an [`io::ErrorKind`]; decide with the
//! kind, never with the message or the raw number, which differ between
//! operating systems:
//!
//! | `io::ErrorKind`                          | errno                        | verdict                   |
//! |------------------------------------------|------------------------------|---------------------------|
//! | `ConnectionRefused`                      | `ECONNREFUSED`               | [`Verdict::Refused`]      |
//! | `TimedOut`                               | `ETIMEDOUT`                  | [`Verdict::Filtered`]     |
//! | `NetworkUnreachable`, `HostUnreachable`  | `ENETUNREACH`, `EHOSTUNREACH`| [`Verdict::Unreachable`]  |
//! | `PermissionDenied`                       | `EACCES`, `EPERM`            | [`Verdict::Prohibited`]   |
//! | anything else                            |                              | [`Verdict::Other`]        |
//!
//! Each verdict comes with [advice](Verdict::advice): the questions and the
//! commands (`ss`, `ip route get`, `nc -vz`, `curl -v`, `dig`) a network
//! administrator would reach for.

use std::fmt;
use std::io;
use std::net::IpAddr;

use crate::holder::Holder;
use crate::resolve::ResolveError;

/// What one attempt (to connect, to listen, to resolve a name) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The handshake completed: something listens there and accepted the connection.
    Open,
    /// A reset came back: the host is there, but nothing listens on that port (`ECONNREFUSED`).
    Refused,
    /// No answer at all before the time limit: the SYN or its answer was dropped (`ETIMEDOUT`).
    Filtered,
    /// The kernel has no way to send there: no route, or a route or router says it is
    /// unreachable (`ENETUNREACH`, `EHOSTUNREACH`). Nothing was sent.
    Unreachable,
    /// A rule on this machine forbids the connection: a `prohibit` route or a firewall
    /// rule that rejects (`EACCES`, `EPERM`). Nothing was sent.
    Prohibited,
    /// A server cannot listen: another socket already holds the port (`EADDRINUSE`).
    InUse {
        /// Who holds it, when that can be found (see [`holder::who_holds`](crate::holder::who_holds)).
        holder: Option<Holder>,
    },
    /// The name could not be turned into addresses.
    NameNotResolved(ResolveError),
    /// Any other error, by its kind: for example `InvalidInput` (`EINVAL`) from a
    /// `blackhole` route, or `AddrNotAvailable` when listening on an address this
    /// machine does not have.
    Other(io::ErrorKind),
}

/// The verdict that a failed `connect`'s error stands for.
///
/// Decided by `error.kind()` alone, following the table in this module's
/// documentation: `ConnectionRefused` is [`Verdict::Refused`], `TimedOut` is
/// [`Verdict::Filtered`] (the kernel's own time limit ran out: silence),
/// `NetworkUnreachable` and `HostUnreachable` are [`Verdict::Unreachable`],
/// `PermissionDenied` is [`Verdict::Prohibited`], and any other kind is
/// [`Verdict::Other`] with that kind. An error is never [`Verdict::Open`].
pub fn classify(error: &io::Error) -> Verdict {
    // BEGIN SOLUTION
    match error.kind() {
        io::ErrorKind::ConnectionRefused => Verdict::Refused,
        io::ErrorKind::TimedOut => Verdict::Filtered,
        io::ErrorKind::NetworkUnreachable | io::ErrorKind::HostUnreachable => Verdict::Unreachable,
        io::ErrorKind::PermissionDenied => Verdict::Prohibited,
        kind => Verdict::Other(kind),
    }
    // END SOLUTION
    // STUB: // TODO: the verdict for a failed connect, as the doc comment and this module's table say.
    // STUB: // Think about: two kinds that share one verdict; every kind the table does not list (the
    // STUB: // test tries ten error numbers, blackhole's EINVAL among them); an error is never `Open`.
    // STUB: // Read chapter 8, "What a connection attempt can learn" and "When the kernel refuses to
    // STUB: // send", and the std docs of `io::ErrorKind`. Stuck? `cargo xtask hint 08`.
    // STUB: todo!()
}

/// `host:port` the way you type it: `127.0.0.1:62893`, `[::1]:22`, `db.lab.test:5432`.
///
/// `host` is a name or an IP address, written without brackets (`::1`).
pub fn endpoint(host: &str, port: u16) -> String {
    // BEGIN SOLUTION
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V6(ipv6)) => format!("[{ipv6}]:{port}"),
        _ => format!("{host}:{port}"),
    }
    // END SOLUTION
    // STUB: // TODO: the text of the doc comment's examples. Think about: a name, an IPv4 address, an
    // STUB: // IPv6 address (only it needs brackets: its own colons would swallow the port). Read the
    // STUB: // std docs of `IpAddr`'s `FromStr`. Stuck? `cargo xtask hint 08`.
    // STUB: todo!()
}

impl Verdict {
    /// Whether the verdict is good news: only [`Verdict::Open`].
    pub fn is_open(&self) -> bool {
        // BEGIN SOLUTION
        *self == Verdict::Open
        // END SOLUTION
        // STUB: // TODO: true for one verdict only, as the doc comment says.
        // STUB: todo!()
    }

    /// What a network administrator would say about this verdict for `host` and
    /// `port`: what it means, what to check, and the commands to check it with.
    pub fn advice(&self, host: &str, port: u16) -> String {
        let at = endpoint(host, port);
        match self {
            Verdict::Open => format!(
                "a program listens on {at} and accepted the connection. If it is not the one you \
                 expected, see which program it is: `ss -ltnp 'sport = :{port}'` (or \
                 `lsof -nP -iTCP:{port} -sTCP:LISTEN`); then talk to it: `curl -v http://{at}/` \
                 for HTTP, `nc -v {host} {port}` for anything else."
            ),
            Verdict::Refused => format!(
                "nothing listens on {at}: the host answered the SYN with a reset (RST). Is the \
                 server running? Did it bind 127.0.0.1 or another address, or another port? \
                 `ss -ltnp 'sport = :{port}'` lists what listens on port {port}, with the address \
                 each program bound."
            ),
            Verdict::Filtered => format!(
                "no answer at all before the time limit: the SYN, or the answer to it, was \
                 dropped on the way. Suspects: a firewall rule that drops (DROP, not REJECT), an \
                 address no machine has, a host that is down, or a server too busy to take new \
                 connections (its accept queue is full: in `ss -ltn 'sport = :{port}'`, Recv-Q \
                 has reached Send-Q). Check the route with `ip route get {host}`, the firewall \
                 with `sudo nft list ruleset` (or `sudo iptables -L -n`), and try again with \
                 `nc -vz -w 3 {host} {port}`."
            ),
            Verdict::Unreachable => format!(
                "this machine has no way to send to {host}: no route covers it (ENETUNREACH), or \
                 a route, a router or the neighbour lookup said it is unreachable (EHOSTUNREACH). \
                 Nothing was sent. `ip route get {host}` shows the route the kernel would take, \
                 or the error; check the address, the default gateway (`ip route`) and the \
                 neighbours on the link (`ip neigh`)."
            ),
            Verdict::Prohibited => format!(
                "a rule on this machine forbids connections to {host} (EACCES or EPERM): a \
                 `prohibit` route (`ip route get {host}` answers \"Permission denied\", `ip route` \
                 lists it) or a firewall rule (`sudo nft list ruleset`). Nothing was sent to the \
                 server."
            ),
            Verdict::InUse { holder } => in_use_advice(holder.as_ref(), &at, port),
            Verdict::NameNotResolved(error) => name_advice(error, host),
            // BEGIN SOLUTION
            Verdict::Other(kind) => other_advice(*kind, host, port),
            // END SOLUTION
            // STUB: // TODO: your own advice for the errors that have no verdict of their own. Design a
            // STUB: // private helper for it, next to `in_use_advice` and `name_advice` below: it takes the
            // STUB: // error's kind (and what else it needs) and says what it means and what to check.
            // STUB: // Think about: `InvalidInput` from a `blackhole` route; `AddrNotAvailable` when a
            // STUB: // server listens on an address this machine lacks; `PermissionDenied` from a
            // STUB: // server's bind on a port below 1024; any other kind, which you know nothing about.
            // STUB: // Read chapter 8, "When the kernel refuses to send", and src/listen.rs's comment.
            // STUB: // No test reads this text: make it what you would like to be told.
            // STUB: Verdict::Other(kind) => todo!(),
        }
    }
}

/// The advice for a port that cannot be bound, by who holds it.
fn in_use_advice(holder: Option<&Holder>, at: &str, port: u16) -> String {
    match holder {
        Some(Holder::Process { pid, name }) => format!(
            "port {port} is held by pid {pid} ({name}): a server cannot listen on {at} while it \
             does. Stop that program (`kill {pid}`) or give your server another port (port 0 \
             lets the OS choose one). `ss -ltnp 'sport = :{port}'` and `lsof -nP -iTCP:{port}` \
             show the same."
        ),
        Some(Holder::Hidden) => format!(
            "port {port} is held by a socket of another user, which only root may trace to its \
             process: `sudo ss -ltnp 'sport = :{port}'`. Stop that program, or give your server \
             another port."
        ),
        Some(Holder::ClosedConnection) => format!(
            "port {port} is held by a closed connection that the kernel keeps in TIME_WAIT for \
             60 seconds, not by a program: wait a minute, or set SO_REUSEADDR before bind (Rust's \
             TcpListener::bind does). `ss -tan 'sport = :{port}'` shows it."
        ),
        None => format!(
            "port {port} is in use (EADDRINUSE), but no socket on it was found in /proc/net/tcp: \
             its holder may be gone already. Try again, and look with `ss -tanp 'sport = :{port}'`."
        ),
    }
}

/// The advice for a name that has no address.
fn name_advice(error: &ResolveError, host: &str) -> String {
    match error {
        ResolveError::NoSuchName => format!(
            "the name {host} does not exist (NXDOMAIN): no hosts-file line and no DNS record. \
             Check the spelling, then `getent hosts {host}` (what programs see, /etc/hosts \
             included) and `dig {host}` (DNS alone)."
        ),
        ResolveError::NoAnswer => format!(
            "no answer for {host}: no DNS server could be reached, or none answered in time (a \
             temporary failure: SERVFAIL or a timeout). Check the servers in /etc/resolv.conf \
             (`resolvectl status` with systemd-resolved), then ask one directly: \
             `dig @SERVER {host}`."
        ),
        ResolveError::NoAddress => format!(
            "{host} exists, but has no address this program can use (no A or AAAA record: \
             NODATA). `dig {host} A` and `dig {host} AAAA` show what DNS holds."
        ),
        ResolveError::Failed(message) => format!(
            "{host} could not be resolved: {message}. `getent hosts {host}` shows what the \
             system's resolver says."
        ),
    }
}
// BEGIN SOLUTION

/// The advice for the errors that have no verdict of their own.
fn other_advice(kind: io::ErrorKind, host: &str, port: u16) -> String {
    match kind {
        io::ErrorKind::InvalidInput => format!(
            "the kernel refused to send to {host} (EINVAL): usually a `blackhole` route, which \
             swallows everything sent to it without a word. `ip route get {host}` answers \
             \"Invalid argument\", and `ip route` lists the blackhole."
        ),
        io::ErrorKind::AddrNotAvailable => format!(
            "{host} is not an address this machine can use here (EADDRNOTAVAIL): a server can \
             only listen on one of the machine's own addresses (`ip addr`), and ::1 needs IPv6."
        ),
        io::ErrorKind::PermissionDenied => format!(
            "permission denied (EACCES): port {port} is below 1024, a privileged port; a server \
             needs root or the CAP_NET_BIND_SERVICE capability to listen there. Pick a port from \
             1024 up."
        ),
        kind => format!(
            "an error this tool does not know ({kind:?}). Get a second opinion with \
             `nc -vz {host} {port}` or `curl -v`."
        ),
    }
}
// END SOLUTION

/// A few words for reports and tables: `open`, `refused`, `filtered`,
/// `unreachable`, `prohibited`, `in use`, `name not resolved`, or
/// `error (InvalidInput)`.
impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // BEGIN SOLUTION
        match self {
            Verdict::Open => f.write_str("open"),
            Verdict::Refused => f.write_str("refused"),
            Verdict::Filtered => f.write_str("filtered"),
            Verdict::Unreachable => f.write_str("unreachable"),
            Verdict::Prohibited => f.write_str("prohibited"),
            Verdict::InUse { .. } => f.write_str("in use"),
            Verdict::NameNotResolved(_) => f.write_str("name not resolved"),
            Verdict::Other(kind) => write!(f, "error ({kind:?})"),
        }
        // END SOLUTION
        // STUB: // TODO: the few words of the doc comment above, one per verdict. Think about: `Other`
        // STUB: // shows its kind the way `{:?}` prints it (`error (InvalidInput)`); `InUse` and
        // STUB: // `NameNotResolved` say nothing about what they carry. The tests compare these words
        // STUB: // letter by letter. Read the std docs of `fmt::Display`. Stuck? `cargo xtask hint 08`.
        // STUB: todo!()
    }
}
