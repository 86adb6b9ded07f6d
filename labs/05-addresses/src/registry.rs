//! The IANA IPv4 and IPv6 Special-Purpose Address Registries, as data.
//!
//! Who decides that `127.0.0.1` is loopback, that `192.168.1.1` is private, or that
//! `192.0.2.1` may only appear in documentation? Not your operating system, not Rust's
//! standard library, not Python: the **Internet Assigned Numbers Authority** (IANA) keeps
//! two tables, the *IPv4 Special-Purpose Address Registry* and the *IPv6 Special-Purpose
//! Address Registry* (RFC 6890, updated by RFC 8190). Every library that answers "is this
//! address special?" is a copy of those tables, and a copy can be out of date or wrong.
//! This lab's answer is the tables themselves: [`IPV4_SPECIAL_PURPOSE`] and
//! [`IPV6_SPECIAL_PURPOSE`] below, entry for entry (as published in 2025), and code that
//! only *reads* them.
//!
//! Each entry is a block of addresses, its name, the RFC that asked for it, and five
//! yes/no columns ([`Flags`]):
//!
//! | column | question it answers |
//! |---|---|
//! | Source | may a packet that leaves its link carry this address as its *source*? |
//! | Destination | …as its *destination*? |
//! | Forwardable | may a router forward a packet sent to it? |
//! | Globally Reachable | may it travel beyond the network that uses it, across the internet? |
//! | Reserved-by-Protocol | does a protocol specification itself give it special behaviour? |
//!
//! Three things make the registry more than a list of blocks:
//!
//! - **Blocks nest.** `192.0.0.0/24` (IETF Protocol Assignments, not globally reachable)
//!   contains `192.0.0.9/32` (Port Control Protocol Anycast, globally reachable). An address
//!   can be in several blocks, and the **most specific** one, the block with the longest
//!   prefix, is the one that speaks for it. This is *longest-prefix match*, the same rule
//!   every router applies to its routing table (RFC 1812, section 5.2.4.3).
//! - **Not every cell is a yes or a no.** For Teredo (`2001::/32`) and 6to4 (`2002::/16`),
//!   IANA writes "N/A" under Globally Reachable: those addresses wrap an IPv4 address, and
//!   whether they reach anything depends on it ([`Flag::NotApplicable`]).
//! - **Entries end, but their blocks stay special.** Two allocations were terminated:
//!   `192.88.99.0/24` (6to4 Relay Anycast, deprecated by RFC 7526 in 2015) and
//!   `2001:10::/28` (the first ORCHID, 2014). IANA keeps both rows, named "Deprecated (…)",
//!   with a termination date and the five cells left empty ([`Entry::terminated`]). A
//!   deprecated block does not become ordinary address space: RFC 7526, section 4, says
//!   `192.88.99.0/24` must not be reassigned except by a future IETF Standards Action. So a
//!   terminated entry still speaks for its block; it just answers none of the five
//!   questions, and an empty Globally Reachable cell is not a yes.
//!
//! A few blocks that matter are not in these two registries at all, because they are not
//! "special-purpose": multicast lives in the *IPv4 Multicast Address Space Registry*
//! (RFC 5771) and the *IPv6 Multicast Address Space Registry* (RFC 4291, section 2.7), and
//! IPv6 space that is neither special nor global unicast is "Reserved by IETF" in the
//! *Internet Protocol Version 6 Address Space* registry. The constants at the end of this
//! file hold the blocks of those registries that this lab uses.

use std::fmt;
use std::net::IpAddr;

use crate::prefix::Prefix;

/// One cell of the registry's five yes/no columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flag {
    /// "True" in the registry.
    True,
    /// "False" in the registry.
    False,
    /// "N/A" in the registry: the question has no single answer for this block.
    NotApplicable,
}

/// The registry's five columns for one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Flags {
    /// Valid as the source address of a packet that leaves its link.
    pub source: Flag,
    /// Valid as the destination address of a packet that leaves its link.
    pub destination: Flag,
    /// A router may forward a packet sent to it.
    pub forwardable: Flag,
    /// A packet sent to it may travel beyond the administrative domain that uses it.
    pub globally_reachable: Flag,
    /// A protocol specification gives it special behaviour.
    pub reserved_by_protocol: Flag,
}

/// What a block of addresses is for, in this lab's words.
///
/// The registry only has names ("Private-Use", "Shared Address Space", …); [`Kind`] groups
/// them, so that the three Private-Use blocks, or the five Documentation blocks, read the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `0.0.0.0` and `::`: "no address yet"; a listening socket uses it for "every interface".
    Unspecified,
    /// The rest of `0.0.0.0/8`: "this network", only ever a source while booting.
    ThisNetwork,
    /// `127.0.0.0/8` and `::1`: this machine.
    Loopback,
    /// `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16` (RFC 1918): homes and offices.
    Private,
    /// `100.64.0.0/10` (RFC 6598): between an internet provider and its customers' routers.
    Shared,
    /// `169.254.0.0/16` and `fe80::/10`: one network link (one cable, switch or Wi-Fi).
    LinkLocal,
    /// `fc00::/7` (RFC 4193): IPv6's private addresses.
    UniqueLocal,
    /// `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`, `2001:db8::/32`, `3fff::/20`: examples in documents.
    Documentation,
    /// `198.18.0.0/15` and `2001:2::/48`: lab networks measuring network equipment.
    Benchmarking,
    /// `::ffff:0:0/96`: an IPv4 address written as IPv6 (seen only before canonicalising).
    Ipv4Mapped,
    /// `255.255.255.255`: every host on this link.
    Broadcast,
    /// `240.0.0.0/4`, and the IPv6 space IANA keeps in reserve: not to be used.
    Reserved,
    /// `224.0.0.0/4` and `ff00::/8`: a group of hosts.
    Multicast,
    /// Another special purpose, named by the registry entry (anycast services, NAT64, Teredo…).
    Special,
    /// No special purpose: an ordinary address of the internet.
    Global,
}

/// Shows the kind as the book writes it: the variant's name in lower case, with a `-`
/// between its words (`Loopback` is `loopback`, `ThisNetwork` is `this-network`,
/// `UniqueLocal` is `unique-local`, `Ipv4Mapped` is `ipv4-mapped`).
impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: write the kind's name, as the comment above says, for each of the 15 kinds.
        // The tests print kinds in their tables, so a misspelt name shows up there.
        // Stuck? `cargo xtask hint 05`.
        todo!()
    }
}

/// One row of a special-purpose registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The block, as IANA writes it: `"192.0.0.0/24"`.
    pub block: &'static str,
    /// IANA's name for it: `"IETF Protocol Assignments"`.
    pub name: &'static str,
    /// The RFCs that define it: `"RFC 6890, section 2.1"`.
    pub rfc: &'static str,
    /// When IANA allocated it, year and month: `"2010-01"`.
    pub allocated: &'static str,
    /// When the allocation ended, for the two terminated entries: `Some("2015-03")`.
    pub terminated: Option<&'static str>,
    /// The five columns; `None` for a terminated entry, whose cells IANA left empty.
    pub flags: Option<Flags>,
    /// What the block is for.
    pub kind: Kind,
}

impl Entry {
    /// The block as a [`Prefix`], read with your [`Prefix::parse`].
    ///
    /// Panics if `Prefix::parse` refuses the block: every block in this file is a valid prefix.
    pub fn prefix(&self) -> Prefix {
        // TODO: the block's text read with your `Prefix::parse`, as the doc comment says. If
        // it refuses, the bug is in `prefix.rs`: panic with a message that says so and names
        // the block.
        todo!()
    }

    /// Whether the allocation is still in force: it has no termination date.
    ///
    /// A terminated entry is still an entry: its block is not handed out again, so it keeps
    /// speaking for its addresses, with no yes/no cells ([`Entry::flags`] is `None`).
    pub fn in_force(&self) -> bool {
        self.terminated.is_none()
    }
}

/// The table of the registry that `ip`'s family uses: [`IPV4_SPECIAL_PURPOSE`] or
/// [`IPV6_SPECIAL_PURPOSE`].
pub fn registry_for(ip: IpAddr) -> &'static [Entry] {
    // TODO: one table per address family, as the doc comment says. Stuck? `cargo xtask hint 05`.
    todo!()
}

/// Every entry whose block contains `ip`, the broadest block first (the shortest prefix
/// first), the most specific last.
///
/// Terminated entries count: a deprecated block is not ordinary address space again (see
/// "Entries end, but their blocks stay special" at the top of this file).
///
/// `ip` is taken exactly as given, with no canonicalising: `::ffff:127.0.0.1` is an IPv6
/// address, in the IPv4-mapped block of the IPv6 registry.
///
/// ```text
/// 192.0.0.9    [192.0.0.0/24 IETF Protocol Assignments, 192.0.0.9/32 Port Control Protocol Anycast]
/// 192.88.99.1  [192.88.99.0/24 Deprecated (6to4 Relay Anycast)]   (terminated, still listed)
/// 192.88.99.2  [192.88.99.0/24 Deprecated (6to4 …), 192.88.99.2/32 6a44-relay anycast address]
/// 8.8.8.8      []
/// ```
pub fn matching_entries(ip: IpAddr) -> Vec<&'static Entry> {
    // TODO: the entries of `ip`'s own registry that contain it, in the order the doc comment
    // gives. Think about: 192.0.0.9 (two blocks, and the table lists the parent first); 192.88.99.1
    // (a terminated entry still counts); 8.8.8.8 (none); ::ffff:127.0.0.1 (taken as IPv6, no
    // canonicalising). Read "Blocks nest: the longest prefix wins" in chapter 5, and the `Vec`
    // docs on sorting by a key. Stuck? `cargo xtask hint 05`.
    todo!()
}

/// The entry that speaks for `ip`: the entry with the longest prefix that contains it
/// (longest-prefix match), or `None` when no entry contains it.
///
/// `lookup(192.0.0.9)` is the `192.0.0.9/32` entry (Port Control Protocol Anycast), not its
/// parent `192.0.0.0/24`; `lookup(8.8.8.8)` is `None`. Like [`matching_entries`], it takes
/// `ip` exactly as given.
pub fn lookup(ip: IpAddr) -> Option<&'static Entry> {
    // TODO: the one entry that speaks for `ip`, as the doc comment says. Think about: the first
    // entry of the table that contains 192.0.0.9 is 192.0.0.0/24, and that is the wrong answer;
    // an address in no block at all. You have already written the hard part. Read "Blocks nest:
    // the longest prefix wins" in chapter 5. Stuck? `cargo xtask hint 05`.
    todo!()
}

const T: Flag = Flag::True;
const F: Flag = Flag::False;
const NA: Flag = Flag::NotApplicable;

/// A row of the registry, with its five columns in IANA's order:
/// Source, Destination, Forwardable, Globally Reachable, Reserved-by-Protocol.
const fn entry(
    block: &'static str,
    name: &'static str,
    rfc: &'static str,
    allocated: &'static str,
    [
        source,
        destination,
        forwardable,
        globally_reachable,
        reserved_by_protocol,
    ]: [Flag; 5],
    kind: Kind,
) -> Entry {
    Entry {
        block,
        name,
        rfc,
        allocated,
        terminated: None,
        flags: Some(Flags {
            source,
            destination,
            forwardable,
            globally_reachable,
            reserved_by_protocol,
        }),
        kind,
    }
}

/// A row whose allocation was terminated: IANA leaves its five columns empty.
const fn terminated(
    block: &'static str,
    name: &'static str,
    rfc: &'static str,
    allocated: &'static str,
    terminated: &'static str,
    kind: Kind,
) -> Entry {
    Entry {
        block,
        name,
        rfc,
        allocated,
        terminated: Some(terminated),
        flags: None,
        kind,
    }
}

/// The IANA IPv4 Special-Purpose Address Registry, in IANA's order.
///
/// Columns: block, name, RFC, allocated, [Source, Destination, Forwardable, Globally
/// Reachable, Reserved-by-Protocol], and this lab's [`Kind`]. IANA writes the NAT64/DNS64
/// Discovery row as one row with two /32 blocks; here it is two rows.
#[rustfmt::skip] // one entry per line, like the registry
pub static IPV4_SPECIAL_PURPOSE: &[Entry] = &[
    entry("0.0.0.0/8",          "\"This network\"",                          "RFC 791, section 3.2",            "1981-09", [T, F, F, F, T], Kind::ThisNetwork),
    entry("0.0.0.0/32",         "\"This host on this network\"",             "RFC 1122, section 3.2.1.3",       "1981-09", [T, F, F, F, T], Kind::Unspecified),
    entry("10.0.0.0/8",         "Private-Use",                               "RFC 1918",                        "1996-02", [T, T, T, F, F], Kind::Private),
    entry("100.64.0.0/10",      "Shared Address Space",                      "RFC 6598",                        "2012-04", [T, T, T, F, F], Kind::Shared),
    // IANA's footnote on Loopback's first four columns: "Several protocols have been granted
    // exceptions to this rule. For examples, see RFC 8029 and RFC 5884."
    entry("127.0.0.0/8",        "Loopback",                                  "RFC 1122, section 3.2.1.3",       "1981-09", [F, F, F, F, T], Kind::Loopback),
    entry("169.254.0.0/16",     "Link Local",                                "RFC 3927",                        "2005-05", [T, T, F, F, T], Kind::LinkLocal),
    entry("172.16.0.0/12",      "Private-Use",                               "RFC 1918",                        "1996-02", [T, T, T, F, F], Kind::Private),
    // IANA's footnote on 192.0.0.0/24: "Not useable unless by virtue of a more specific reservation."
    entry("192.0.0.0/24",       "IETF Protocol Assignments",                 "RFC 6890, section 2.1",           "2010-01", [F, F, F, F, F], Kind::Special),
    entry("192.0.0.0/29",       "IPv4 Service Continuity Prefix",            "RFC 7335",                        "2011-06", [T, T, T, F, F], Kind::Special),
    entry("192.0.0.8/32",       "IPv4 dummy address",                        "RFC 7600",                        "2015-03", [T, F, F, F, F], Kind::Special),
    entry("192.0.0.9/32",       "Port Control Protocol Anycast",             "RFC 7723",                        "2015-10", [T, T, T, T, F], Kind::Special),
    entry("192.0.0.10/32",      "Traversal Using Relays around NAT Anycast", "RFC 8155",                        "2017-02", [T, T, T, T, F], Kind::Special),
    entry("192.0.0.170/32",     "NAT64/DNS64 Discovery",                     "RFC 8880, RFC 7050 section 2.2",  "2013-02", [F, F, F, F, T], Kind::Special),
    entry("192.0.0.171/32",     "NAT64/DNS64 Discovery",                     "RFC 8880, RFC 7050 section 2.2",  "2013-02", [F, F, F, F, T], Kind::Special),
    entry("192.0.2.0/24",       "Documentation (TEST-NET-1)",                "RFC 5737",                        "2010-01", [F, F, F, F, F], Kind::Documentation),
    entry("192.31.196.0/24",    "AS112-v4",                                  "RFC 7535",                        "2014-12", [T, T, T, T, F], Kind::Special),
    entry("192.52.193.0/24",    "AMT",                                       "RFC 7450",                        "2014-12", [T, T, T, T, F], Kind::Special),
    terminated("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)",          "RFC 7526",                        "2001-06", "2015-03",       Kind::Special),
    entry("192.88.99.2/32",     "6a44-relay anycast address",                "RFC 6751",                        "2012-10", [T, T, T, F, F], Kind::Special),
    entry("192.168.0.0/16",     "Private-Use",                               "RFC 1918",                        "1996-02", [T, T, T, F, F], Kind::Private),
    entry("192.175.48.0/24",    "Direct Delegation AS112 Service",           "RFC 7534",                        "1996-01", [T, T, T, T, F], Kind::Special),
    entry("198.18.0.0/15",      "Benchmarking",                              "RFC 2544",                        "1999-03", [T, T, T, F, F], Kind::Benchmarking),
    entry("198.51.100.0/24",    "Documentation (TEST-NET-2)",                "RFC 5737",                        "2010-01", [F, F, F, F, F], Kind::Documentation),
    entry("203.0.113.0/24",     "Documentation (TEST-NET-3)",                "RFC 5737",                        "2010-01", [F, F, F, F, F], Kind::Documentation),
    entry("240.0.0.0/4",        "Reserved",                                  "RFC 1112, section 4",             "1989-08", [F, F, F, F, T], Kind::Reserved),
    entry("255.255.255.255/32", "Limited Broadcast",                         "RFC 8190, RFC 919 section 7",     "1984-10", [F, T, F, F, T], Kind::Broadcast),
];

/// The IANA IPv6 Special-Purpose Address Registry, in IANA's order.
///
/// Columns as in [`IPV4_SPECIAL_PURPOSE`].
#[rustfmt::skip] // one entry per line, like the registry
pub static IPV6_SPECIAL_PURPOSE: &[Entry] = &[
    entry("::1/128",            "Loopback Address",                          "RFC 4291",                        "2006-02", [F, F, F, F, T],  Kind::Loopback),
    entry("::/128",             "Unspecified Address",                       "RFC 4291",                        "2006-02", [T, F, F, F, T],  Kind::Unspecified),
    entry("::ffff:0:0/96",      "IPv4-mapped Address",                       "RFC 4291",                        "2006-02", [F, F, F, F, T],  Kind::Ipv4Mapped),
    entry("64:ff9b::/96",       "IPv4-IPv6 Translat.",                       "RFC 6052",                        "2010-10", [T, T, T, T, F],  Kind::Special),
    entry("64:ff9b:1::/48",     "IPv4-IPv6 Translat.",                       "RFC 8215",                        "2017-06", [T, T, T, F, F],  Kind::Special),
    entry("100::/64",           "Discard-Only Address Block",                "RFC 6666",                        "2012-06", [T, T, T, F, F],  Kind::Special),
    entry("100:0:0:1::/64",     "Dummy IPv6 Prefix",                         "RFC 9780",                        "2025-04", [T, F, F, F, F],  Kind::Special),
    // IANA's footnote on 2001::/23's first four columns: "Unless allowed by a more specific allocation."
    entry("2001::/23",          "IETF Protocol Assignments",                 "RFC 2928",                        "2000-09", [F, F, F, F, F],  Kind::Special),
    // IANA's footnote on Teredo's N/A: "See Section 5 of RFC 4380 for details."
    entry("2001::/32",          "TEREDO",                                    "RFC 4380, RFC 8190",              "2006-01", [T, T, T, NA, F], Kind::Special),
    entry("2001:1::1/128",      "Port Control Protocol Anycast",             "RFC 7723",                        "2015-10", [T, T, T, T, F],  Kind::Special),
    entry("2001:1::2/128",      "Traversal Using Relays around NAT Anycast", "RFC 8155",                        "2017-02", [T, T, T, T, F],  Kind::Special),
    entry("2001:1::3/128",      "DNS-SD Service Registration Protocol Anycast", "RFC 9665",                     "2024-04", [T, T, T, T, F],  Kind::Special),
    entry("2001:2::/48",        "Benchmarking",                              "RFC 5180, RFC Errata 1752",       "2008-04", [T, T, T, F, F],  Kind::Benchmarking),
    entry("2001:3::/32",        "AMT",                                       "RFC 7450",                        "2014-12", [T, T, T, T, F],  Kind::Special),
    entry("2001:4:112::/48",    "AS112-v6",                                  "RFC 7535",                        "2014-12", [T, T, T, T, F],  Kind::Special),
    terminated("2001:10::/28",  "Deprecated (previously ORCHID)",            "RFC 4843",                        "2007-03", "2014-03",        Kind::Special),
    entry("2001:20::/28",       "ORCHIDv2",                                  "RFC 7343",                        "2014-07", [T, T, T, T, F],  Kind::Special),
    entry("2001:30::/28",       "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374",               "2022-12", [T, T, T, T, F],  Kind::Special),
    entry("2001:db8::/32",      "Documentation",                             "RFC 3849",                        "2004-07", [F, F, F, F, F],  Kind::Documentation),
    // IANA's footnote on 6to4: "See RFC 3056 for details."
    entry("2002::/16",          "6to4",                                      "RFC 3056",                        "2001-02", [T, T, T, NA, F], Kind::Special),
    entry("2620:4f:8000::/48",  "Direct Delegation AS112 Service",           "RFC 7534",                        "2011-05", [T, T, T, T, F],  Kind::Special),
    entry("3fff::/20",          "Documentation",                             "RFC 9637",                        "2024-07", [F, F, F, F, F],  Kind::Documentation),
    entry("5f00::/16",          "Segment Routing (SRv6) SIDs",               "RFC 9602",                        "2024-04", [T, T, T, F, F],  Kind::Special),
    // IANA's footnote on Unique-Local: "…drawn from the IPv6 Global Unicast Address range,
    // but is specified as not globally routed."
    entry("fc00::/7",           "Unique-Local",                              "RFC 4193, RFC 8190",              "2005-10", [T, T, T, F, F],  Kind::UniqueLocal),
    entry("fe80::/10",          "Link-Local Unicast",                        "RFC 4291",                        "2006-02", [T, T, F, F, T],  Kind::LinkLocal),
];

/// IPv4 multicast, from the IPv4 Multicast Address Space Registry (RFC 5771).
pub const IPV4_MULTICAST: &str = "224.0.0.0/4";

/// The Local Network Control Block (RFC 5771, section 4): multicast for one link only,
/// never forwarded by a router (224.0.0.251 is mDNS, 224.0.0.1 "all hosts on this link").
pub const IPV4_LOCAL_NETWORK_CONTROL: &str = "224.0.0.0/24";

/// Administratively Scoped multicast (RFC 2365): groups that stay inside an organization.
pub const IPV4_ADMINISTRATIVELY_SCOPED: &str = "239.0.0.0/8";

/// IPv6 multicast (RFC 4291, section 2.7); its scope is written in the address itself.
pub const IPV6_MULTICAST: &str = "ff00::/8";

/// IPv6 Global Unicast (RFC 4291, section 2.4, and the IPv6 Address Space registry).
/// Every other IPv6 block that no special-purpose entry lists is "Reserved by IETF".
pub const IPV6_GLOBAL_UNICAST: &str = "2000::/3";
