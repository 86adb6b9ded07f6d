//! Address scope: who can reach an address.
//!
//! Not every IP address names "a computer somewhere on the internet". Some
//! blocks of addresses are set aside for special jobs (IANA's IPv4 and IPv6
//! Special-Purpose Address Registries, RFC 6890, keep the list), and knowing
//! them tells you who can reach an endpoint at all. This lab knows these; lab 05
//! reads the registries whole:
//!
//! | scope         | IPv4                                          | IPv6                        | who can reach it                                   |
//! |---------------|-----------------------------------------------|-----------------------------|----------------------------------------------------|
//! | loopback      | 127.0.0.0/8 (127.0.0.1 … 127.255.255.255)     | ::1                         | only programs on this same machine                 |
//! | unspecified   | 0.0.0.0                                       | ::                          | nobody: it means "every interface" when listening  |
//! | private       | 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16     | fc00::/7 (unique local)     | machines on the same private network               |
//! | link-local    | 169.254.0.0/16                                | fe80::/10                   | machines on the same link (cable, Wi-Fi)           |
//! | multicast     | 224.0.0.0/4                                   | ff00::/8                    | every machine that joined the group                |
//! | documentation | 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 | 2001:db8::/32, 3fff::/20    | nobody: for examples only, no real machine has one |
//! | broadcast     | 255.255.255.255 (the limited broadcast)       | none: IPv6 has no broadcast | every machine on this link; never forwarded        |
//! | other         | everything else                               | everything else             | not known here: most likely a public address       |
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
//! **Documentation** addresses (RFC 5737 for IPv4's three TEST-NET blocks, RFC 3849
//! for `2001:db8::/32`, RFC 9637 of 2024 for `3fff::/20`) exist so that books,
//! manuals and RFCs can show an address that belongs to nobody. No real machine
//! should have one, and they should never appear on the internet.
//!
//! **The limited broadcast** `255.255.255.255` (RFC 919, section 7; RFC 8190) means
//! "every host on this network link": a DHCP client that has no address yet
//! asks for one this way. Routers must not forward it. IPv6 has no broadcast;
//! it uses multicast instead.
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
    /// 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737), 2001:db8::/32 (RFC 3849)
    /// or 3fff::/20 (RFC 9637): for examples in documents; no real machine has one.
    Documentation,
    /// 255.255.255.255, the limited broadcast (RFC 919, RFC 8190): every host on this link.
    Broadcast,
    /// Any other address: in no block this lab knows, so most likely a public address of
    /// another machine (lab 05 reads the whole registry).
    Other,
}

/// Shows the scope as the first column of the module's table writes it, in lower case:
/// `loopback`, `unspecified`, `private`, `link-local`, `multicast`, `documentation`,
/// `broadcast` or `other`.
impl fmt::Display for AddressScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: write the scope's name as the doc comment above lists them, spelled exactly so.
        // Read the std docs of `std::fmt::Display`. Stuck? `cargo xtask hint 01`.
        todo!()
    }
}

/// The scope of any IP address.
///
/// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) has the scope of the IPv4
/// address inside it, so `::ffff:127.0.0.1` is [`AddressScope::Loopback`].
pub fn scope_of(ip: IpAddr) -> AddressScope {
    // TODO: the scope of any address, as the doc comment says, using the two functions below.
    // Think about: `::ffff:127.0.0.1` is loopback and `::ffff:192.0.2.1` documentation, like the
    // IPv4 address inside them, while `::1` stays IPv6 loopback (it is *not* 0.0.0.1) and `::`
    // stays unspecified. Read the chapter's "`127.0.0.1`: the loopback address" (its last
    // paragraph) and RFC 4291, section 2.5.5. Stuck? `cargo xtask hint 01`.
    todo!()
}

/// The scope of an IPv4 address: loopback for 127.0.0.0/8, unspecified for
/// 0.0.0.0, private for the three RFC 1918 blocks, link-local for
/// 169.254.0.0/16, multicast for 224.0.0.0/4, documentation for the three
/// RFC 5737 blocks, broadcast for 255.255.255.255, and other for the rest.
pub fn scope_of_ipv4(ip: Ipv4Addr) -> AddressScope {
    // TODO: the scope of the doc comment's list. Think about the edges of each block: all of
    // 127.0.0.0/8 is loopback (127.255.255.255 too); 172.31.255.254 is private but 172.32.0.1
    // and 192.169.0.1 are not; 192.0.2.1 and 203.0.113.9 are documentation, 192.0.3.1 is not;
    // 255.255.255.255 is the one broadcast address. Read the module comment's table and the
    // `is_…` methods of `std::net::Ipv4Addr`. Stuck? `cargo xtask hint 01`.
    todo!()
}

/// The scope of an IPv6 address, looked at as IPv6 only: loopback for ::1,
/// unspecified for ::, private for fc00::/7, link-local for fe80::/10,
/// multicast for ff00::/8, documentation for 2001:db8::/32 and 3fff::/20,
/// and other for the rest (IPv6 has no broadcast).
///
/// IPv4-mapped addresses are [`scope_of`]'s job, not this function's.
pub fn scope_of_ipv6(ip: Ipv6Addr) -> AddressScope {
    // TODO: the scope of the doc comment's list. Think about: `::2` is not loopback; fc00::1 and
    // fd00::1 are both private; 2001:db8::1 and 3fff::1 are documentation, while 2001:db9::1
    // and 3fff:1000::1 are not. The standard library knows most blocks (the `is_…` methods
    // of `std::net::Ipv6Addr`), but on stable Rust it has no test for the documentation
    // blocks: write that one yourself, as a helper of your own, from the prefix lengths (/32
    // and /20: how many leading bits must match?). Read RFC 3849 and RFC 9637 (one page each)
    // and the chapter's "Two halves: an address and a port" for how IPv6 is written.
    // Stuck? `cargo xtask hint 01`.
    todo!()
}
