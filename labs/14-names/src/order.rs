//! Which address first: the order `getaddrinfo` sorts a name's addresses in (RFC 6724).
//!
//! `localhost` has two addresses on most systems, `::1` and `127.0.0.1`, and a program that
//! connects to `localhost:8000` tries them in the order `getaddrinfo` returns them. That
//! order is not the file's: RFC 6724 §6 gives ten rules to sort **destination addresses**,
//! and glibc applies them (its `/etc/gai.conf`, gai.conf(5), can change the table below).
//!
//! Rules 1 to 5 compare each destination with the source address this host would use to
//! reach it (is there one at all, does its scope and label match); on one host, where every
//! destination is reached from an address of its own kind, they tie. What decides is then:
//!
//! - **Rule 6, prefer higher precedence**, from the **default policy table** (RFC 6724 §2.1):
//!   the longest prefix that matches the address gives its precedence and label. IPv4
//!   addresses are looked up as IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`, §2).
//! - **Rule 8, prefer smaller scope**: link-local before global (§3.1; loopback addresses,
//!   `::1` and `127.0.0.0/8`, count as link-local, §3.2).
//! - **Rule 10, otherwise leave the order unchanged**: the sort is stable.
//!
//! Rules 7 (native transport before tunnels) and 9 (the longest prefix shared with the
//! source) change nothing on a host without tunnels and with one address of each kind.
//!
//! ```text
//! Prefix        Precedence Label
//! ::1/128               50     0
//! ::/0                  40     1
//! ::ffff:0:0/96         35     4
//! 2002::/16             30     2
//! 2001::/32              5     5
//! fc00::/7               3    13
//! ::/96                  1     3
//! fec0::/10              1    11
//! 3ffe::/16              1    12
//! ```
//!
//! `::1` has precedence 50 and every IPv4 address 35: `::1` comes first. That is lab 03's
//! classic bug: a server listening on `127.0.0.1` only, and a client of `localhost` that
//! tries `[::1]` first, is refused, and gives up instead of trying the next address.

use std::net::IpAddr;

/// An address's row of the policy table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Higher goes first (rule 6).
    pub precedence: u8,
    /// Source and destination with the same label go together (rule 5).
    pub label: u8,
}

/// RFC 6724 §2.1's default policy table: (prefix, prefix length, precedence, label).
pub const DEFAULT_POLICY_TABLE: [(&str, u8, u8, u8); 9] = [
    ("::1", 128, 50, 0),
    ("::", 0, 40, 1),
    // TODO: the row of IPv4 (as IPv4-mapped IPv6 addresses): read RFC 6724 §2.1.
    ("::ffff:0:0", 96, 0, 0),
    ("2002::", 16, 30, 2),
    ("2001::", 32, 5, 5),
    ("fc00::", 7, 3, 13),
    ("::", 96, 1, 3),
    ("fec0::", 10, 1, 11),
    ("3ffe::", 16, 1, 12),
];

/// The row of [`DEFAULT_POLICY_TABLE`] whose prefix matches `address` with the most bits
/// (every address matches `::/0`). An IPv4 address is looked up as `::ffff:a.b.c.d`.
pub fn policy(address: IpAddr) -> Policy {
    // TODO: the longest matching prefix of the table, as the doc comment says. Think about:
    // how an IPv4 address becomes an IPv6 one, and how to compare the first N bits of two
    // addresses (u128::from an Ipv6Addr helps). Read chapter 14, "Which address first".
    // Stuck? `cargo xtask hint 14`.
    todo!()
}

/// `addresses` in the order `getaddrinfo` would return them on one host: rule 6 (higher
/// precedence first), then rule 8 (smaller scope first), then rule 10 (as given), as the
/// module comment says.
pub fn sort_destinations(addresses: &[IpAddr]) -> Vec<IpAddr> {
    // TODO: sort by the rules the doc comment names, in that order. Think about: which way
    // each rule sorts, what a tie must do, and the scope of loopback and link-local addresses
    // (RFC 6724 §3.1, §3.2; design that helper yourself). Stuck? `cargo xtask hint 14`.
    todo!()
}
