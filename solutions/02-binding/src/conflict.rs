//! Conflicts: when two sockets cannot have the same port.
//!
//! A port is not taken "on the machine" but *on an address*. A socket bound to
//! `127.0.0.1:8080` takes port 8080 on `127.0.0.1` only, so another socket may
//! bind `127.0.0.2:8080`: the kernel can tell their packets apart by the
//! destination address. Two sockets **conflict** when they want the same port
//! on addresses that overlap, because then an arriving packet would match both.
//!
//! What makes addresses overlap is what each socket *claims*:
//!
//! | bound to                              | claims                        |
//! |---------------------------------------|-------------------------------|
//! | `127.0.0.1`, `::1`, any one address   | that address only             |
//! | `0.0.0.0`, the IPv4 wildcard          | every IPv4 address            |
//! | `::` with `IPV6_V6ONLY` on            | every IPv6 address            |
//! | `::` with `IPV6_V6ONLY` off           | every address, IPv4 and IPv6  |
//! | `::ffff:127.0.0.1` (IPv4-mapped)      | the IPv4 address `127.0.0.1`  |
//!
//! The wildcard (the *unspecified* address) means "whatever address a packet
//! was sent to", so it overlaps every address of its family. An IPv6 socket on
//! `::` with `IPV6_V6ONLY` off is a *dual-stack* socket: it also receives IPv4
//! connections (see [`dual_stack`](crate::dual_stack)), so it overlaps every
//! IPv4 address too. That is Linux's default (`net.ipv6.bindv6only = 0`), and
//! why a server on `[::]:8080` keeps another from binding `0.0.0.0:8080`.
//!
//! These are the rules when neither socket sets `SO_REUSEADDR` or
//! `SO_REUSEPORT`, the options that relax them (see [`reuse`](crate::reuse)).
//! A listening socket is stricter still: on Linux no other socket may share
//! its address and port, whatever the options.

use std::net::{IpAddr, SocketAddr};

/// A socket's local address and port, and, for IPv6, its `IPV6_V6ONLY` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    /// The address and port the socket is bound to.
    pub address: SocketAddr,
    /// Whether `IPV6_V6ONLY` is on. Only matters for an IPv6 socket on `::`.
    pub ipv6_only: bool,
}

impl Binding {
    /// A socket bound to `address` with Linux's default options: `IPV6_V6ONLY` off.
    pub fn new(address: SocketAddr) -> Binding {
        Binding {
            address,
            ipv6_only: false,
        }
    }

    /// An IPv6 socket bound to `address` with `IPV6_V6ONLY` on.
    pub fn ipv6_only(address: SocketAddr) -> Binding {
        Binding {
            address,
            ipv6_only: true,
        }
    }
}

/// The local addresses on which a bound socket takes its port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Every address, IPv4 and IPv6: a dual-stack socket on `::`.
    Everything,
    /// Every IPv4 address: a socket on `0.0.0.0`.
    AllIpv4,
    /// Every IPv6 address: a socket on `::` with `IPV6_V6ONLY` on.
    AllIpv6,
    /// One address. An IPv4-mapped address is held as the IPv4 address it maps.
    One(IpAddr),
}

/// What `binding` claims, following the table at the top of this module.
///
/// - IPv4: `0.0.0.0` claims [`Claim::AllIpv4`], any other address [`Claim::One`].
/// - IPv6, IPv4-mapped (`::ffff:a.b.c.d`): the IPv4 address, as if it were
///   bound with IPv4 (`0.0.0.0` too, for `::ffff:0.0.0.0`).
/// - IPv6 `::`: [`Claim::AllIpv6`] with `ipv6_only`, [`Claim::Everything`] without.
/// - any other IPv6 address: [`Claim::One`].
pub fn claim_of(binding: Binding) -> Claim {
    // BEGIN SOLUTION
    match binding.address.ip() {
        IpAddr::V4(ipv4) => claim_of_ipv4(IpAddr::V4(ipv4)),
        IpAddr::V6(ipv6) => match ipv6.to_ipv4_mapped() {
            Some(ipv4) => claim_of_ipv4(IpAddr::V4(ipv4)),
            None if ipv6.is_unspecified() && binding.ipv6_only => Claim::AllIpv6,
            None if ipv6.is_unspecified() => Claim::Everything,
            None => Claim::One(IpAddr::V6(ipv6)),
        },
    }
}

/// An IPv4 address's claim: the whole family for the wildcard, else itself.
fn claim_of_ipv4(ip: IpAddr) -> Claim {
    if ip.is_unspecified() {
        Claim::AllIpv4
    } else {
        Claim::One(ip)
    }
    // END SOLUTION
    // STUB: // TODO: what `binding` claims, following the table at the top of this module and the doc
    // STUB: // comment. Think about: `0.0.0.0` and `127.0.0.1`; `::` with and without `ipv6_only`; a mapped
    // STUB: // address such as `::ffff:127.0.0.1` or `::ffff:0.0.0.0`, which claims exactly what its IPv4
    // STUB: // address would; `::1` and `::127.0.0.1`, which are not mapped. An IPv4 address and a mapped
    // STUB: // one follow the same rule: write that rule once, in a private helper of your own design.
    // STUB: // Read chapter 2, "When is a port 'taken'?", and std's `Ipv6Addr` docs: of its two
    // STUB: // conversions to IPv4, only one fits. Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}

/// Whether two claims share at least one address.
///
/// [`Claim::Everything`] overlaps every claim; [`Claim::AllIpv4`] overlaps
/// every claim that holds an IPv4 address, and [`Claim::AllIpv6`] every claim
/// that holds an IPv6 address; two [`Claim::One`] overlap when their addresses
/// are equal.
pub fn claims_overlap(a: Claim, b: Claim) -> bool {
    // BEGIN SOLUTION
    match (a, b) {
        (Claim::Everything, _) | (_, Claim::Everything) => true,
        (Claim::AllIpv4, Claim::AllIpv4) | (Claim::AllIpv6, Claim::AllIpv6) => true,
        (Claim::AllIpv4, Claim::AllIpv6) | (Claim::AllIpv6, Claim::AllIpv4) => false,
        (Claim::AllIpv4, Claim::One(ip)) | (Claim::One(ip), Claim::AllIpv4) => ip.is_ipv4(),
        (Claim::AllIpv6, Claim::One(ip)) | (Claim::One(ip), Claim::AllIpv6) => ip.is_ipv6(),
        (Claim::One(a), Claim::One(b)) => a == b,
    }
    // END SOLUTION
    // STUB: // TODO: whether the two claims share an address, as the doc comment says. Think about: all
    // STUB: // sixteen pairs of the four kinds, in both orders (`AllIpv4` against `One`, and `One` against
    // STUB: // `AllIpv4`); `AllIpv4` against `AllIpv6`; a `One` that holds an IPv6 address against
    // STUB: // `AllIpv4`. Read the second table of chapter 2, "When is a port 'taken'?". Stuck?
    // STUB: // `cargo xtask hint 02`.
    // STUB: todo!()
}

/// Whether two sockets bound as `a` and `b` conflict: the same port, and
/// claims that overlap. Neither socket uses `SO_REUSEADDR` or `SO_REUSEPORT`.
///
/// Both ports are real ports: port 0 is not a port but a request for one.
pub fn conflicts(a: Binding, b: Binding) -> bool {
    // BEGIN SOLUTION
    a.address.port() == b.address.port() && claims_overlap(claim_of(a), claim_of(b))
    // END SOLUTION
    // STUB: // TODO: whether the two sockets conflict, as the doc comment says, built on the two functions
    // STUB: // above. Think about: two different ports never conflict, whatever the addresses; the same
    // STUB: // port on `127.0.0.1` and `127.0.0.2` does not either. Stuck? `cargo xtask hint 02`.
    // STUB: todo!()
}
