//! Canonical addresses: one address, one way to look it up.
//!
//! IPv6 has room for all of IPv4 inside it, and two ways of putting it there
//! (RFC 4291, section 2.5.5):
//!
//! ```text
//! ::ffff:127.0.0.1   IPv4-mapped      80 zero bits, 16 one bits, then the IPv4 address
//! ::127.0.0.1        IPv4-compatible  96 zero bits, then the IPv4 address (deprecated)
//! ```
//!
//! **IPv4-mapped** addresses are alive and everywhere. A server that listens on `[::]`
//! also accepts IPv4 clients (a "dual-stack" socket, RFC 3493, section 3.7), and it sees
//! them as `::ffff:a.b.c.d`. The packet was IPv4 all along: `::ffff:127.0.0.1` *is*
//! `127.0.0.1`, and a program that asks "did this connection come from loopback?" must say
//! yes. Rust's `Ipv6Addr::is_loopback` says no: it only knows `::1`. So before asking
//! anything about an address, turn a mapped address back into the IPv4 address it carries:
//! that is its **canonical** form.
//!
//! **IPv4-compatible** addresses are a leftover of an early transition plan, deprecated in
//! 2006. No system sends packets to them as IPv4 any more, and their block `::/96` also
//! holds `::` and `::1`, which are not IPv4 at all. So they stay IPv6: `::127.0.0.1` is
//! *not* loopback, just reserved IPv6 space. Careful: `Ipv6Addr::to_ipv4` converts both
//! kinds, and even turns `::1` into `0.0.0.1`; `Ipv6Addr::to_ipv4_mapped` converts only
//! mapped ones.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// How an IPv4 address sits inside an IPv6 address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Embedding {
    /// `::ffff:a.b.c.d` (RFC 4291, section 2.5.5.2): the IPv4 address itself, written as IPv6.
    Mapped,
    /// `::a.b.c.d` (RFC 4291, section 2.5.5.1): deprecated; not treated as IPv4.
    Compatible,
}

/// The IPv4 address inside `ip` and how it is embedded, or `None` when it has none.
///
/// - `::ffff:a.b.c.d` (the first 80 bits zero, the next 16 bits one) is
///   [`Embedding::Mapped`], including `::ffff:0.0.0.0`;
/// - `::a.b.c.d` (the first 96 bits zero) is [`Embedding::Compatible`], except `::` and
///   `::1`, which are the unspecified and loopback addresses, not IPv4;
/// - anything else has no IPv4 address inside (`64:ff9b::1.2.3.4`, a NAT64 address, is
///   IPv6 that a translator maps to IPv4; it *is* IPv6).
pub fn embedded_ipv4(ip: Ipv6Addr) -> Option<(Embedding, Ipv4Addr)> {
    // TODO: which of the doc comment's three cases `ip` is. Think about: ::ffff:0.0.0.0 (mapped),
    // :: and ::1 (not IPv4 at all), ::0.0.0.2 (compatible), ::ffff:0:7f00:1 and 64:ff9b::7f00:1
    // (look-alikes: neither). Compare `Ipv6Addr::to_ipv4` with `Ipv6Addr::to_ipv4_mapped` in the
    // standard library's docs before you use either. Read "One address, one form: IPv4 inside
    // IPv6" in chapter 5 and RFC 4291, section 2.5.5. Stuck? `cargo xtask hint 05`.
    todo!()
}

/// The canonical form of `ip`: the IPv4 address for an IPv4-mapped address, `ip` itself
/// for anything else (an IPv4-compatible address stays IPv6).
///
/// `canonical(::ffff:127.0.0.1)` is `127.0.0.1`; `canonical(::127.0.0.1)`,
/// `canonical(::1)` and `canonical(127.0.0.1)` are unchanged.
pub fn canonical(ip: IpAddr) -> IpAddr {
    // TODO: the canonical form of the doc comment. Think about: only one of the two embeddings
    // becomes IPv4; an IPv4 address is already canonical. Stuck? `cargo xtask hint 05`.
    todo!()
}
