//! Classifying an address: canonicalise, look it up, and read the registry's answer.
//!
//! Everything before this module was preparation; here the pieces meet:
//!
//! 1. **canonicalise**: `::ffff:127.0.0.1` becomes `127.0.0.1` ([`crate::canonical`]);
//! 2. **look up**: the registry entry with the longest prefix that contains the address
//!    ([`crate::registry::lookup`]);
//! 3. **read** the entry: its [`Kind`] says what the address is for, its Globally Reachable
//!    column whether the internet at large can reach it;
//! 4. for an address **no entry lists**, the address-space registries answer: multicast,
//!    reserved IPv6 space, or an ordinary global address.
//!
//! "Globally reachable" follows the registry, including its surprises: `192.0.0.9` is
//! globally reachable although its parent block `192.0.0.0/24` is not, and `3fff::1` is
//! *not*, because since 2024 `3fff::/20` is a second IPv6 documentation block. Where the
//! registry says "N/A" (Teredo, 6to4) the answer is no: whether such an address reaches
//! anything depends on the IPv4 address it wraps, so nobody can promise it does.
//!
//! Multicast is not in the special-purpose registries, and its reach is its **scope**. In
//! IPv6 the scope is written in the address itself, in the low four bits of the second byte
//! (RFC 4291, section 2.7, and RFC 7346): `ff02::1` is link-local, `ff05::2` site-local,
//! `ff0e::101` global. In IPv4, 224.0.0.0/24 never leaves its link (RFC 5771) and
//! 239.0.0.0/8 stays inside an organization (RFC 2365); other groups may be global.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

use crate::canonical::canonical;
use crate::prefix::Prefix;
use crate::registry::{
    Entry, Flag, IPV4_ADMINISTRATIVELY_SCOPED, IPV4_LOCAL_NETWORK_CONTROL, IPV4_MULTICAST,
    IPV6_GLOBAL_UNICAST, IPV6_MULTICAST, Kind, lookup,
};

/// Everything this lab knows about one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification {
    /// The address as given: `::ffff:127.0.0.1`.
    pub address: IpAddr,
    /// Its canonical form, which was looked up: `127.0.0.1`.
    pub canonical: IpAddr,
    /// The registry entry that speaks for it (longest-prefix match), if any.
    pub entry: Option<&'static Entry>,
    /// What it is for: the entry's kind, or [`unlisted_kind`] without an entry.
    pub kind: Kind,
    /// Whether the internet at large can reach it: the entry's Globally Reachable column
    /// (only `True` counts), or [`unlisted_is_globally_reachable`] without an entry.
    pub globally_reachable: bool,
}

/// The scope of an IPv6 multicast address (RFC 4291, section 2.7; RFC 7346).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MulticastScope {
    /// 1: this interface only (`ff01::1`).
    InterfaceLocal,
    /// 2: this link (`ff02::1`, all nodes on the link).
    LinkLocal,
    /// 3: a realm, such as a mesh network (RFC 7346).
    RealmLocal,
    /// 4: the smallest scope an administrator configures.
    AdminLocal,
    /// 5: one site (`ff05::2`, all routers of the site).
    SiteLocal,
    /// 8: several sites of one organization.
    OrganizationLocal,
    /// 14 (`e`): the whole internet (`ff0e::101`, NTP).
    Global,
    /// A reserved or unassigned value: 0, 6, 7, 9 to 13, 15.
    Other(u8),
}

/// The scope of `ip` if it is a multicast address (`ff00::/8`), else `None`.
///
/// The scope is the low four bits of the second byte: `ff02::1` has scope 2,
/// [`MulticastScope::LinkLocal`]; `ff1e::1` has scope 14 (`e`), [`MulticastScope::Global`]
/// (the `1` before it is a flag, "transient", not part of the scope).
pub fn multicast_scope(ip: Ipv6Addr) -> Option<MulticastScope> {
    // BEGIN SOLUTION
    let [first, second, ..] = ip.octets();
    if first != 0xff {
        return None;
    }
    let scope = match second & 0x0f {
        0x1 => MulticastScope::InterfaceLocal,
        0x2 => MulticastScope::LinkLocal,
        0x3 => MulticastScope::RealmLocal,
        0x4 => MulticastScope::AdminLocal,
        0x5 => MulticastScope::SiteLocal,
        0x8 => MulticastScope::OrganizationLocal,
        0xe => MulticastScope::Global,
        other => MulticastScope::Other(other),
    };
    Some(scope)
    // END SOLUTION
    // STUB: // TODO: the scope of a multicast address, as the doc comment says. Think about: an address
    // STUB: // outside ff00::/8 (None); ff1e::1, whose flag bits must not change its scope; the values
    // STUB: // with no name (0, 6, 7, 9 to 13, 15). The numbers are in `MulticastScope`'s docs; read
    // STUB: // RFC 4291, section 2.7, for where they sit in the address. Stuck? `cargo xtask hint 05`.
    // STUB: todo!()
}

/// The kind of an address that no special-purpose entry contains:
///
/// - in [`IPV4_MULTICAST`] or [`IPV6_MULTICAST`]: [`Kind::Multicast`];
/// - IPv6 outside [`IPV6_GLOBAL_UNICAST`]: [`Kind::Reserved`] (IANA keeps it in reserve;
///   this includes the deprecated IPv4-compatible `::a.b.c.d` and site-local `fec0::/10`);
/// - anything else: [`Kind::Global`].
pub fn unlisted_kind(ip: IpAddr) -> Kind {
    // BEGIN SOLUTION
    if in_block(IPV4_MULTICAST, ip) || in_block(IPV6_MULTICAST, ip) {
        Kind::Multicast
    } else if ip.is_ipv6() && !in_block(IPV6_GLOBAL_UNICAST, ip) {
        Kind::Reserved
    } else {
        Kind::Global
    }
    // END SOLUTION
    // STUB: // TODO: the three cases of the doc comment, in its order. Think about: IPv6 multicast
    // STUB: // (ff02::1) is also outside 2000::/3, so the order matters; ::127.0.0.1 and fec0::1 are
    // STUB: // reserved; an IPv4 address is never reserved here. The blocks are written as text in the
    // STUB: // constants of `registry.rs`: you will want a small helper of your own that tells whether an
    // STUB: // address is in a block written that way, for this function and the next. Read "Globally
    // STUB: // reachable, and the addresses no entry lists" in chapter 5. Stuck? `cargo xtask hint 05`.
    // STUB: todo!()
}

/// Whether an address that no special-purpose entry contains is globally
/// reachable:
///
/// - IPv4 multicast: yes, except in [`IPV4_LOCAL_NETWORK_CONTROL`] and
///   [`IPV4_ADMINISTRATIVELY_SCOPED`];
/// - IPv6 multicast: only with the [`MulticastScope::Global`] scope;
/// - other IPv6: only inside [`IPV6_GLOBAL_UNICAST`];
/// - other IPv4: yes.
pub fn unlisted_is_globally_reachable(ip: IpAddr) -> bool {
    // BEGIN SOLUTION
    match ip {
        IpAddr::V4(_) if in_block(IPV4_MULTICAST, ip) => {
            !in_block(IPV4_LOCAL_NETWORK_CONTROL, ip) && !in_block(IPV4_ADMINISTRATIVELY_SCOPED, ip)
        }
        IpAddr::V4(_) => true,
        IpAddr::V6(ipv6) => match multicast_scope(ipv6) {
            Some(scope) => scope == MulticastScope::Global,
            None => in_block(IPV6_GLOBAL_UNICAST, ip),
        },
    }
    // END SOLUTION
    // STUB: // TODO: the four cases of the doc comment. Think about: 224.0.0.1 (link only), 239.255.255.250
    // STUB: // (one organization), 224.0.1.1 (global); ff02::1 and ff0e::101 (scope decides); 3ffe::1
    // STUB: // (inside 2000::/3) and fec0::1 (outside). Read "Globally reachable, and the addresses no entry
    // STUB: // lists" in chapter 5. Stuck? `cargo xtask hint 05`.
    // STUB: todo!()
}

/// Classifies `ip`: canonicalise it ([`canonical`]), look the canonical address up in the
/// registry ([`lookup`]), and fill a [`Classification`]:
///
/// - with an entry: its `kind`, and globally reachable only when its Globally Reachable
///   column is [`Flag::True`] (`False` and `NotApplicable` both mean no);
/// - without: [`unlisted_kind`] and [`unlisted_is_globally_reachable`] of the canonical address.
pub fn classify(ip: IpAddr) -> Classification {
    // BEGIN SOLUTION
    let canonical = canonical(ip);
    let entry = lookup(canonical);
    let (kind, globally_reachable) = match entry {
        Some(entry) => (
            entry.kind,
            entry
                .flags
                .is_some_and(|flags| flags.globally_reachable == Flag::True),
        ),
        None => (
            unlisted_kind(canonical),
            unlisted_is_globally_reachable(canonical),
        ),
    };
    Classification {
        address: ip,
        canonical,
        entry,
        kind,
        globally_reachable,
    }
    // END SOLUTION
    // STUB: // TODO: everything this lab knows about `ip`, as the doc comment and the module comment
    // STUB: // say. Think about: ::ffff:192.0.0.9 (look up the canonical form, but keep `address` as given);
    // STUB: // 2001::1 (N/A is not a yes); 192.88.99.1 (an entry with no flags at all); 8.8.8.8 and ff02::1
    // STUB: // (no entry). Read "Globally reachable, and the addresses no entry lists" in chapter 5.
    // STUB: // Stuck? `cargo xtask hint 05`.
    // STUB: todo!()
}

/// Whether `ip` is a loopback address: in `127.0.0.0/8`, or `::1`, or an IPv4-mapped
/// address of `127.0.0.0/8` such as `::ffff:127.0.0.1`.
///
/// Unlike `Ipv6Addr::is_loopback`, which says no to `::ffff:127.0.0.1`.
pub fn is_loopback(ip: IpAddr) -> bool {
    // BEGIN SOLUTION
    classify(ip).kind == Kind::Loopback
    // END SOLUTION
    // STUB: // TODO: the answer of the doc comment. Think about: ::ffff:127.0.0.1 (yes), ::127.0.0.1 (no),
    // STUB: // and why the standard library's own `is_loopback` is not that answer. Read "One address, one
    // STUB: // form: IPv4 inside IPv6" in chapter 5. Stuck? `cargo xtask hint 05`.
    // STUB: todo!()
}

/// Whether the internet at large can reach `ip`, as the registries say:
/// [`Classification::globally_reachable`].
pub fn is_globally_reachable(ip: IpAddr) -> bool {
    // BEGIN SOLUTION
    classify(ip).globally_reachable
    // END SOLUTION
    // STUB: // TODO: the same answer as `classify`, never a second opinion. Stuck? `cargo xtask hint 05`.
    // STUB: todo!()
}

// BEGIN SOLUTION
/// Whether `ip` is in `block`, a prefix this lab's code writes as text (such as
/// [`IPV4_MULTICAST`]), read with your [`Prefix::parse`].
pub fn in_block(block: &str, ip: IpAddr) -> bool {
    let prefix = Prefix::parse(block)
        .unwrap_or_else(|error| panic!("Prefix::parse refused {block:?} ({error:?}), a valid prefix: make the `prefixes` tests pass first"));
    prefix.contains(ip)
}

// END SOLUTION
/// One line: the address (and its canonical form when it differs), its kind, the registry
/// entry that speaks for it, and whether it is globally reachable.
///
/// In this order: the address as given; ` (IPv4-mapped a.b.c.d)` when the canonical form
/// differs; `: ` and the kind; ` (S scope)` for IPv6 multicast, with S from [`scope_name`];
/// `, ` and the entry's block, name and RFC (in parentheses), or `, not in a special-purpose
/// block`; and `, globally reachable` or `, not globally reachable`.
///
/// ```text
/// ::ffff:127.0.0.1 (IPv4-mapped 127.0.0.1): loopback, 127.0.0.0/8 Loopback (RFC 1122, section 3.2.1.3), not globally reachable
/// 192.0.0.9: special, 192.0.0.9/32 Port Control Protocol Anycast (RFC 7723), globally reachable
/// ff02::1: multicast (link-local scope), not in a special-purpose block, not globally reachable
/// ```
impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // BEGIN SOLUTION
        write!(f, "{}", self.address)?;
        if self.canonical != self.address {
            write!(f, " (IPv4-mapped {})", self.canonical)?;
        }
        write!(f, ": {}", self.kind)?;
        if let IpAddr::V6(ipv6) = self.canonical
            && let Some(scope) = multicast_scope(ipv6)
        {
            write!(f, " ({} scope)", scope_name(scope))?;
        }
        match self.entry {
            Some(entry) => write!(f, ", {} {} ({})", entry.block, entry.name, entry.rfc)?,
            None => write!(f, ", not in a special-purpose block")?,
        }
        let reach = if self.globally_reachable {
            "globally reachable"
        } else {
            "not globally reachable"
        };
        write!(f, ", {reach}")
        // END SOLUTION
        // STUB: // TODO: the one line of the doc comment, piece by piece. The program (`src/main.rs`) prints
        // STUB: // it; no test reads it, so compare your output with the examples above and with the console
        // STUB: // session at the top of chapter 5. Stuck? `cargo xtask hint 05`.
        // STUB: todo!()
    }
}

/// The scope's name as RFC 7346 writes it, in lower case: `interface-local`, `link-local`,
/// `realm-local`, `admin-local`, `site-local`, `organization-local`, `global`. A value with no
/// name is `reserved 0` or `reserved f` (0 and 15), and `unassigned 6` (the others, as one
/// lower-case hexadecimal digit: `unassigned b` for 11).
pub fn scope_name(scope: MulticastScope) -> String {
    // BEGIN SOLUTION
    match scope {
        MulticastScope::InterfaceLocal => "interface-local".into(),
        MulticastScope::LinkLocal => "link-local".into(),
        MulticastScope::RealmLocal => "realm-local".into(),
        MulticastScope::AdminLocal => "admin-local".into(),
        MulticastScope::SiteLocal => "site-local".into(),
        MulticastScope::OrganizationLocal => "organization-local".into(),
        MulticastScope::Global => "global".into(),
        MulticastScope::Other(value @ (0x0 | 0xf)) => format!("reserved {value:x}"),
        MulticastScope::Other(value) => format!("unassigned {value:x}"),
    }
    // END SOLUTION
    // STUB: // TODO: the names of the doc comment. Think about: 0 and 15 are reserved, the rest of the
    // STUB: // unnamed values unassigned, and the value is written in hexadecimal. Read RFC 7346 (its
    // STUB: // table of scopes). Stuck? `cargo xtask hint 05`.
    // STUB: todo!()
}
