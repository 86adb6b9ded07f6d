//! Reachability: who can connect to a server, worked out before sending a packet.
//!
//! Picture two machines on one network cable. The **server host** has the
//! external address `198.51.100.1` (and `2001:db8::1`); the **client host**
//! has `198.51.100.2` (and `2001:db8::2`). Each also has its own loopback
//! interface `lo`, with `127.0.0.1` and `::1`. A server on the server host
//! listens on one *bind address*; a client somewhere dials some address.
//! Does it connect? Two questions decide it.
//!
//! **1. Where does the packet go?** Every host first looks the destination
//! up in its routing tables (`ip route get 198.51.100.1` shows the answer):
//!
//! - `127.0.0.0/8` and `::1` are loopback (RFC 1122, section 3.2.1.3; RFC
//!   4291, section 2.5.3): delivered inside *this* host, on `lo`, and never
//!   sent out. So when the client host dials `127.0.0.1`, the packet stays on
//!   the client host: it reaches the client's own loopback, not the server.
//!   There is no way for another machine to send to your `127.0.0.1`.
//! - an address of this host, even its external one, is delivered locally
//!   too (Linux's `local` routing table; see `ip route show table local`).
//! - any other address goes out over the network: `198.51.100.1` dialed
//!   from the client host crosses the cable to the server host.
//!
//! **2. Does a listening socket on that host accept it?** A server's bind
//! address is a filter on the *destination address* of incoming
//! connections:
//!
//! - a specific address (`127.0.0.1`, `127.0.0.2`, `198.51.100.1`, `::1`)
//!   accepts only connections sent to exactly that address. A server on
//!   `198.51.100.1` does **not** answer at `127.0.0.1`, even on its own host.
//! - `0.0.0.0`, the unspecified IPv4 address, accepts connections to *every*
//!   IPv4 address of the host, loopback and external.
//! - `::`, the unspecified IPv6 address, accepts every IPv6 address of the
//!   host, and on Linux every IPv4 address as well: the socket is
//!   *dual-stack* unless the `IPV6_V6ONLY` option is set
//!   (`/proc/sys/net/ipv6/bindv6only` holds the default, `0`). IPv4 clients
//!   then appear as IPv4-mapped addresses such as `::ffff:198.51.100.2`
//!   (RFC 4291, section 2.5.5.2).
//!
//! When the packet reaches a host and no socket accepts it, that host's TCP
//! answers with a reset: the client sees [`Outcome::Refused`].
//!
//! This module predicts the outcome from those two rules alone. The
//! [`matrix`](crate::matrix) module then checks the predictions against real
//! connections.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::outcome::Outcome;

/// One of the two machines of the experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host {
    /// The machine the server runs on.
    Server,
    /// The other machine, on the same network.
    Client,
}

/// Shows `the server host` or `the client host`.
impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Server => f.write_str("the server host"),
            Host::Client => f.write_str("the client host"),
        }
    }
}

/// Where a client connects from, and which kind of address it dials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vantage {
    /// A client on the server host, dialing a loopback address.
    SameHostViaLoopback,
    /// A client on the server host, dialing the host's own external address.
    SameHostViaExternalAddress,
    /// A client on the other machine, the client host.
    OtherHost,
}

impl Vantage {
    /// The three positions, in the order of the matrix's columns.
    pub const ALL: [Vantage; 3] = [
        Vantage::SameHostViaLoopback,
        Vantage::SameHostViaExternalAddress,
        Vantage::OtherHost,
    ];

    /// A short label for tables: `same host, via loopback`, …
    pub fn label(self) -> &'static str {
        match self {
            Vantage::SameHostViaLoopback => "same host, via loopback",
            Vantage::SameHostViaExternalAddress => "same host, via its external address",
            Vantage::OtherHost => "the other host",
        }
    }

    /// The machine the client runs on: the server host for both "same
    /// host" positions, the client host for [`Vantage::OtherHost`].
    pub fn host(self) -> Host {
        // TODO: the machine this client runs on, as the doc comment says. Think about: which
        //       vantages sit on the server's own machine. Stuck? `cargo xtask hint 03`.
        todo!()
    }
}

/// The external addresses of a host: the ones other machines reach it at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostAddresses {
    /// The host's IPv4 address on the network, e.g. `198.51.100.1`.
    pub ipv4: Ipv4Addr,
    /// The host's IPv6 address on the network, e.g. `2001:db8::1`.
    pub ipv6: Ipv6Addr,
}

impl HostAddresses {
    /// The host's external address of the same family (IPv4 or IPv6) as `ip`.
    ///
    /// For the server host above, `same_family_as(127.0.0.1)` is
    /// `198.51.100.1` and `same_family_as(::)` is `2001:db8::1`.
    pub fn same_family_as(self, ip: IpAddr) -> IpAddr {
        // TODO: this host's external address of `ip`'s family, as the doc comment says. Think
        //       about: only the family of `ip` matters, not its value (`::` and `::1` give the same
        //       answer). Stuck? `cargo xtask hint 03`.
        todo!()
    }
}

/// The standard loopback address of the same family as `ip`: `127.0.0.1`
/// for IPv4, `::1` for IPv6.
pub fn loopback_same_family_as(ip: IpAddr) -> IpAddr {
    // TODO: the standard loopback address of `ip`'s family, as the doc comment says. Think
    //       about: `127.0.0.2` and `0.0.0.0` are IPv4 too. Read std's `Ipv4Addr` and `Ipv6Addr`
    //       docs (their constants). Stuck? `cargo xtask hint 03`.
    todo!()
}

/// The address a client at `vantage` dials to reach a server on the server
/// host (whose external addresses are `server`) listening on `bind`. It is
/// always of the same family as `bind`:
///
/// - [`Vantage::SameHostViaLoopback`]: `bind` itself when it is a loopback
///   address (a server on `127.0.0.2` is dialed at `127.0.0.2`), otherwise
///   the [standard loopback address](loopback_same_family_as) (`127.0.0.1` or `::1`).
/// - [`Vantage::SameHostViaExternalAddress`]: the server host's
///   [external address](HostAddresses::same_family_as) (`198.51.100.1` or `2001:db8::1`).
/// - [`Vantage::OtherHost`]: what a person on the other machine types after
///   reading the server's `Listening on …` line, which is `bind` itself,
///   except for the unspecified `0.0.0.0` and `::` (not a destination): then
///   the server host's external address.
pub fn dial_address(bind: IpAddr, vantage: Vantage, server: HostAddresses) -> IpAddr {
    // TODO: the address each client dials, as the doc comment says, for each vantage. Think
    //       about: a server on `127.0.0.2` (dialed as it is, via loopback); a server on
    //       `198.51.100.1` dialed via loopback; the other host reading `Listening on 127.0.0.1`
    //       (a person there types `127.0.0.1`: their own machine); `0.0.0.0` and `::`, which are
    //       not destinations; the answer always has `bind`'s family. Read chapter 3, "Question
    //       1: where does the packet go?". Stuck? `cargo xtask hint 03`.
    todo!()
}

/// Whether a socket listening on `bind` accepts a connection that arrived
/// at its host for the address `destination`.
///
/// - `0.0.0.0` accepts every IPv4 destination;
/// - `::` accepts every destination, IPv6 and IPv4 (dual-stack, Linux's default);
/// - any other bind address accepts only that exact address.
///
/// An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is the IPv4 address it
/// holds, on either side: compare [`IpAddr::to_canonical`] forms.
pub fn accepts(bind: IpAddr, destination: IpAddr) -> bool {
    // TODO: the bind-address filter, as the doc comment says. Think about: `0.0.0.0` against
    //       an IPv6 destination; `::` against an IPv4 one (dual-stack); `::ffff:127.0.0.1` on
    //       either side, which is `127.0.0.1`; `198.51.100.1` against `127.0.0.1`. Read chapter
    //       3, "Question 2: does a listening socket accept it?". Stuck? `cargo xtask hint 03`.
    todo!()
}

/// What happens when a client at `vantage` dials
/// [`dial_address`]`(bind, vantage, server)` to reach a server listening on
/// `bind` on the server host. Nothing but the server listens anywhere.
///
/// - A loopback address dialed from the client host never leaves the client
///   host, where nothing listens: [`Outcome::Refused`].
/// - Otherwise the connection arrives at the server host: [`Outcome::Connected`]
///   when the server's socket [`accepts`] the dialed address, else [`Outcome::Refused`].
pub fn predict(bind: IpAddr, vantage: Vantage, server: HostAddresses) -> Outcome {
    // TODO: both questions together, as the doc comment says, from the functions above.
    //       Think about: the other host dialing `127.0.0.1` for a server on `127.0.0.1` (the
    //       address matches, yet the packet never reaches the server host); every cell of the
    //       table at the top of chapter 3. Read "Reading the table, cell by cell". Stuck?
    //       `cargo xtask hint 03`.
    todo!()
}
