//! Address scope: who can reach an address.
//!
//! Not every IP address names "a computer somewhere on the internet". Some
//! blocks of addresses are set aside for special jobs (RFC 6890 keeps the
//! list), and knowing them tells you who can reach an endpoint at all:
//!
//! | scope       | IPv4                                        | IPv6                   | who can reach it                         |
//! |-------------|---------------------------------------------|------------------------|------------------------------------------|
//! | loopback    | 127.0.0.0/8 (127.0.0.1 … 127.255.255.255)   | ::1                    | only programs on this same machine       |
//! | unspecified | 0.0.0.0                                     | ::                     | nobody: it means "every interface" when listening |
//! | private     | 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16   | fc00::/7 (unique local)| machines on the same private network     |
//! | link-local  | 169.254.0.0/16                              | fe80::/10              | machines on the same link (cable, Wi-Fi) |
//! | multicast   | 224.0.0.0/4                                 | ff00::/8               | every machine that joined the group      |
//! | other       | everything else                             | everything else        | usually another machine, over the network|
//!
//! **Loopback** (RFC 1122, section 3.2.1.3, and RFC 6890): a packet sent to
//! 127.0.0.1 never touches a network card. The operating system turns it
//! around inside the machine, on the `lo` interface. That is why a server on
//! `127.0.0.1:62893` is safe from the outside world: only programs running on
//! your own machine can connect to it. The *whole* block 127.0.0.0/8 is
//! loopback, so 127.0.0.2 works too; in IPv6 there is only `::1`.
//!
//! **Private** addresses (RFC 1918 for IPv4, RFC 4193 for IPv6) are used
//! inside homes and offices; routers on the internet drop them.
//!
//! **IPv4-mapped IPv6 addresses** such as `::ffff:127.0.0.1` are an IPv4
//! address written in IPv6 form (RFC 4291, section 2.5.5.2). A program that
//! listens on IPv6 sees IPv4 clients this way. Such an address has the scope
//! of the IPv4 address inside it: `::ffff:127.0.0.1` is loopback.
//!
//! The standard library already knows most of these blocks: look at
//! [`Ipv4Addr::is_loopback`], [`Ipv4Addr::is_private`],
//! [`Ipv6Addr::is_unique_local`], [`Ipv6Addr::to_ipv4_mapped`] and their
//! neighbours.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What kind of address an IP address is, and so who can reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressScope {
    /// 127.0.0.0/8 or ::1: this machine only.
    Loopback,
    /// 0.0.0.0 or ::: "every interface" when listening; not a destination.
    Unspecified,
    /// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) or fc00::/7 (RFC 4193).
    Private,
    /// 169.254.0.0/16 or fe80::/10: the same network link only.
    LinkLocal,
    /// 224.0.0.0/4 or ff00::/8: a group of machines.
    Multicast,
    /// Any other address: usually another machine, reached over the network.
    Other,
}

/// Shows the scope in lower case, e.g. `loopback` or `link-local`.
impl fmt::Display for AddressScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            AddressScope::Loopback => "loopback",
            AddressScope::Unspecified => "unspecified",
            AddressScope::Private => "private",
            AddressScope::LinkLocal => "link-local",
            AddressScope::Multicast => "multicast",
            AddressScope::Other => "other",
        };
        f.write_str(name)
    }
}

/// The scope of any IP address.
///
/// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) has the scope of the IPv4
/// address inside it, so `::ffff:127.0.0.1` is [`AddressScope::Loopback`].
pub fn scope_of(ip: IpAddr) -> AddressScope {
    // BEGIN SOLUTION
    match ip {
        IpAddr::V4(ipv4) => scope_of_ipv4(ipv4),
        IpAddr::V6(ipv6) => match ipv6.to_ipv4_mapped() {
            Some(ipv4) => scope_of_ipv4(ipv4),
            None => scope_of_ipv6(ipv6),
        },
    }
    // END SOLUTION
    // STUB: // TODO: `match ip`: an IPv4 address goes to `scope_of_ipv4`; an IPv6 address goes to
    // STUB: // `scope_of_ipv4` when `to_ipv4_mapped()` finds an IPv4 address inside it, else to `scope_of_ipv6`.
    // STUB: todo!()
}

/// The scope of an IPv4 address: loopback for 127.0.0.0/8, unspecified for
/// 0.0.0.0, private for the three RFC 1918 blocks, link-local for
/// 169.254.0.0/16, multicast for 224.0.0.0/4, and other for the rest.
pub fn scope_of_ipv4(ip: Ipv4Addr) -> AddressScope {
    // BEGIN SOLUTION
    if ip.is_loopback() {
        AddressScope::Loopback
    } else if ip.is_unspecified() {
        AddressScope::Unspecified
    } else if ip.is_private() {
        AddressScope::Private
    } else if ip.is_link_local() {
        AddressScope::LinkLocal
    } else if ip.is_multicast() {
        AddressScope::Multicast
    } else {
        AddressScope::Other
    }
    // END SOLUTION
    // STUB: // TODO: test the blocks one by one (`ip.is_loopback()`, `ip.is_unspecified()`, `ip.is_private()`,
    // STUB: // `ip.is_link_local()`, `ip.is_multicast()`) and return the scope of the first that matches.
    // STUB: todo!()
}

/// The scope of an IPv6 address, looked at as IPv6 only: loopback for ::1,
/// unspecified for ::, private for fc00::/7, link-local for fe80::/10,
/// multicast for ff00::/8, and other for the rest.
///
/// IPv4-mapped addresses are [`scope_of`]'s job, not this function's.
pub fn scope_of_ipv6(ip: Ipv6Addr) -> AddressScope {
    // BEGIN SOLUTION
    if ip.is_loopback() {
        AddressScope::Loopback
    } else if ip.is_unspecified() {
        AddressScope::Unspecified
    } else if ip.is_unique_local() {
        AddressScope::Private
    } else if ip.is_unicast_link_local() {
        AddressScope::LinkLocal
    } else if ip.is_multicast() {
        AddressScope::Multicast
    } else {
        AddressScope::Other
    }
    // END SOLUTION
    // STUB: // TODO: as in `scope_of_ipv4`, with `is_loopback`, `is_unspecified`, `is_unique_local`,
    // STUB: // `is_unicast_link_local` and `is_multicast`.
    // STUB: todo!()
}
