//! Graded tests for `src/canonical.rs` and `src/classify.rs`: what an address is for, and who can reach it.

mod support;

use std::net::IpAddr;

use insta::{assert_snapshot, with_settings};
use lab05_addresses::canonical::{canonical, embedded_ipv4};
use lab05_addresses::classify::{
    classify, is_globally_reachable, is_loopback, multicast_scope, scope_name,
};
use support::ip;

/// IPv4 addresses at the edges of the special blocks, and ordinary ones.
const IPV4: [&str; 65] = [
    "0.0.0.0",
    "0.0.0.1",
    "0.255.255.255",
    "1.0.0.0",
    "8.8.8.8",
    "9.255.255.255",
    "10.0.0.0",
    "10.255.255.255",
    "11.0.0.0",
    "100.63.255.255",
    "100.64.0.0",
    "100.127.255.255",
    "100.128.0.0",
    "126.255.255.255",
    "127.0.0.0",
    "127.0.0.1",
    "127.255.255.255",
    "128.0.0.0",
    "169.253.255.255",
    "169.254.0.0",
    "169.254.169.254",
    "169.254.255.255",
    "169.255.0.0",
    "172.15.255.255",
    "172.16.0.0",
    "172.31.255.255",
    "172.32.0.0",
    "192.0.0.0",
    "192.0.0.8",
    "192.0.0.9",
    "192.0.0.10",
    "192.0.0.11",
    "192.0.0.170",
    "192.0.0.255",
    "192.0.1.0",
    "192.0.2.0",
    "192.0.2.255",
    "192.31.196.1",
    "192.52.193.1",
    "192.88.99.0",
    "192.88.99.1",
    "192.88.99.2",
    "192.88.99.255",
    "192.88.100.0",
    "192.167.255.255",
    "192.168.0.0",
    "192.168.255.255",
    "192.169.0.0",
    "192.175.48.1",
    "198.17.255.255",
    "198.18.0.0",
    "198.19.255.255",
    "198.20.0.0",
    "198.51.100.7",
    "203.0.113.255",
    "223.255.255.255",
    "224.0.0.1",
    "224.0.0.255",
    "224.0.1.1",
    "232.1.2.3",
    "239.255.255.250",
    "240.0.0.0",
    "250.1.2.3",
    "255.255.255.254",
    "255.255.255.255",
];

/// IPv6 addresses: special blocks, their edges, embedded IPv4, multicast scopes, reserved space.
const IPV6: [&str; 57] = [
    "::",
    "::1",
    "::2",
    "::127.0.0.1",
    "::ffff:127.0.0.1",
    "::ffff:10.1.2.3",
    "::ffff:192.0.0.9",
    "::ffff:8.8.8.8",
    "::ffff:0.0.0.0",
    "::ffff:255.255.255.255",
    "64:ff9b::8.8.8.8",
    "64:ff9b:1::1",
    "100::1",
    "100:0:0:1::1",
    "1000::1",
    "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "2000::",
    "2001::1",
    "2001:1::1",
    "2001:1::3",
    "2001:1::4",
    "2001:2::1",
    "2001:3::1",
    "2001:4:112::1",
    "2001:10::1",
    "2001:20::1",
    "2001:30::1",
    "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
    "2001:200::",
    "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
    "2001:db8::",
    "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
    "2001:db9::",
    "2002::1",
    "2606:4700:4700::1111",
    "2620:4f:8000::1",
    "3ffe::1",
    "3fff::",
    "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff",
    "3fff:1000::",
    "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "4000::1",
    "5f00::1",
    "fc00::",
    "fd12:3456:789a::1",
    "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "fe00::1",
    "fe80::",
    "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "fec0::1",
    "ff00::1",
    "ff01::1",
    "ff02::1",
    "ff05::2",
    "ff08::1",
    "ff0e::101",
    "ff1e::1",
];

#[test]
fn canonicalises_ipv4_mapped_but_not_ipv4_compatible() {
    let addresses = [
        "127.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:10.1.2.3",
        "::ffff:0.0.0.0",
        "::ffff:255.255.255.255",
        "::127.0.0.1",
        "::10.1.2.3",
        "::0.0.0.2",
        "::",
        "::1",
        "::ffff:0:7f00:1",
        "::fffe:7f00:1",
        "::1:ffff:7f00:1",
        "1::ffff:7f00:1",
        "64:ff9b::7f00:1",
        "fe80::ffff:7f00:1",
    ];
    let mut table = format!(
        "{:<24} {:<30} {}\n",
        "address", "embedded_ipv4", "canonical"
    );
    for text in addresses {
        let address = ip(text);
        let embedded = match address {
            IpAddr::V4(_) => "(IPv4)".to_string(),
            IpAddr::V6(ipv6) => match embedded_ipv4(ipv6) {
                Some((embedding, ipv4)) => format!("{embedding:?} {ipv4}"),
                None => "-".to_string(),
            },
        };
        table += &format!("{text:<24} {embedded:<30} {}\n", canonical(address));
    }
    with_settings!({
        description => "embedded_ipv4(address) and canonical(address). Only IPv4-mapped addresses (::ffff:a.b.c.d) become IPv4; IPv4-compatible ones (::a.b.c.d, deprecated) stay IPv6, and :: and ::1 are not IPv4 at all.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn classifies_a_table_of_addresses() {
    let mut table = format!(
        "{:<40} {:<16} {:<14} {:<6} {}\n",
        "address", "canonical", "kind", "global", "registry entry (or multicast scope)"
    );
    for text in IPV4.iter().chain(IPV6.iter()) {
        let address = ip(text);
        let classification = classify(address);
        assert_eq!(
            classification.address, address,
            "classify({text}).address should be the address given"
        );
        let canonical = if classification.canonical == address {
            String::new()
        } else {
            classification.canonical.to_string()
        };
        let source = match (classification.entry, classification.canonical) {
            (Some(entry), _) => format!("{} {}", entry.block, entry.name),
            (None, IpAddr::V6(ipv6)) => match multicast_scope(ipv6) {
                Some(scope) => format!("scope: {}", scope_name(scope)),
                None => "-".to_string(),
            },
            (None, IpAddr::V4(_)) => "-".to_string(),
        };
        table += &format!(
            "{text:<40} {canonical:<16} {:<14} {:<6} {source}\n",
            classification.kind.to_string(),
            if classification.globally_reachable {
                "yes"
            } else {
                "no"
            },
        );
    }
    with_settings!({
        description => "classify(address): canonical form (when it differs), kind, globally reachable, and the registry entry that speaks for it (longest prefix), or the multicast scope for IPv6 multicast. Addresses no entry lists are multicast, reserved IPv6 (outside 2000::/3), or global.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn knows_the_globally_reachable_exceptions() {
    #[rustfmt::skip] // one case per line: address, expected answer, why
    let cases: [(&str, bool, &str); 32] = [
        ("192.0.0.9", true, "192.0.0.9/32 (Port Control Protocol Anycast) says True, although its parent 192.0.0.0/24 says False: the longest prefix speaks"),
        ("192.0.0.10", true, "192.0.0.10/32 (TURN Anycast) says True, although its parent 192.0.0.0/24 says False"),
        ("192.0.0.8", false, "192.0.0.8/32 (IPv4 dummy address) says False"),
        ("192.0.0.11", false, "192.0.0.11 is only in 192.0.0.0/24, which says False"),
        ("192.0.0.1", false, "192.0.0.1 is in 192.0.0.0/29 (Service Continuity), which says False"),
        ("192.31.196.1", true, "192.31.196.0/24 (AS112-v4) says True"),
        ("192.88.99.1", false, "192.88.99.0/24 (6to4 Relay Anycast) was deprecated (RFC 7526), not made ordinary: its entry still speaks, and it has no Globally Reachable cell at all"),
        ("192.88.99.255", false, "192.88.99.255 is the last address of the deprecated 192.88.99.0/24: a terminated entry still counts"),
        ("192.88.100.0", true, "192.88.100.0 is just past 192.88.99.0/24, in no special-purpose block"),
        ("192.88.99.2", false, "192.88.99.2/32 (6a44-relay anycast) is still in force and says False"),
        ("100.64.0.1", false, "100.64.0.0/10 (Shared Address Space) says False"),
        ("100.128.0.1", true, "100.128.0.1 is just past 100.64.0.0/10: check your /10 mask"),
        ("255.255.255.255", false, "255.255.255.255/32 (Limited Broadcast) says False"),
        ("8.8.8.8", true, "8.8.8.8 is in no special-purpose block"),
        ("224.0.0.1", false, "224.0.0.0/24 is the Local Network Control Block: multicast that never leaves its link"),
        ("224.0.1.1", true, "224.0.1.1 is multicast outside 224.0.0.0/24 and 239.0.0.0/8"),
        ("239.255.255.250", false, "239.0.0.0/8 is administratively scoped multicast: it stays inside an organization"),
        ("2001:1::1", true, "2001:1::1/128 (PCP Anycast) says True, although its parent 2001::/23 says False"),
        ("2001:1::3", true, "2001:1::3/128 (DNS-SD SRP Anycast, 2024) says True"),
        ("2001:1::4", false, "2001:1::4 is only in 2001::/23, which says False"),
        ("2001:3::1", true, "2001:3::/32 (AMT) says True"),
        ("2001::1", false, "2001::/32 (Teredo) says N/A, which is not True"),
        ("2002::1", false, "2002::/16 (6to4) says N/A, which is not True"),
        ("64:ff9b::8.8.8.8", true, "64:ff9b::/96 (IPv4-IPv6 Translation) says True"),
        ("64:ff9b:1::1", false, "64:ff9b:1::/48 (local-use translation) says False"),
        ("3fff::1", false, "3fff::/20 is a documentation block since 2024 (RFC 9637)"),
        ("3fff:1000::", true, "3fff:1000:: is just past 3fff::/20: check your /20 mask"),
        ("ff02::1", false, "ff02::1 is multicast with link-local scope (the 2 in ff02)"),
        ("ff0e::101", true, "ff0e::101 is multicast with global scope (the e in ff0e)"),
        ("::127.0.0.1", false, "::127.0.0.1 is a deprecated IPv4-compatible address: reserved IPv6 space, not 127.0.0.1"),
        ("fec0::1", false, "fec0::/10 (the old site-local block) is outside 2000::/3: reserved IPv6 space"),
        ("::ffff:192.0.0.9", true, "::ffff:192.0.0.9 is 192.0.0.9 written as IPv6: canonicalise it first"),
    ];
    let mut table = format!(
        "{:<18} {:<32} {}\n",
        "address", "classify(a).globally_reachable", "is_globally_reachable(a)"
    );
    for (text, expected, why) in cases {
        let address = ip(text);
        let classified = classify(address).globally_reachable;
        assert_eq!(
            classified, expected,
            "classify({text}).globally_reachable should be {expected}: {why}"
        );
        let reachable = is_globally_reachable(address);
        assert_eq!(
            reachable, expected,
            "is_globally_reachable({text}) should be {expected}, the same as classify({text}).globally_reachable"
        );
        table += &format!(
            "{text:<18} {:<32} {}\n",
            yes_or_no(classified),
            yes_or_no(reachable)
        );
    }
    with_settings!({
        description => "Whether an address is globally reachable: the registry entry with the longest matching prefix decides (a /32 inside a block that says False can say True), multicast by its scope, reserved IPv6 space never; an IPv4-mapped address is its IPv4 address.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn sees_through_ipv4_mapped_addresses() {
    let (mut canonical_is_ipv4, mut same_answers, mut same_loopback, mut mapped_loopback) =
        (0, 0, 0, 0);
    for text in IPV4 {
        let IpAddr::V4(ipv4) = ip(text) else {
            unreachable!("IPV4 holds IPv4 addresses")
        };
        let mapped = IpAddr::V6(ipv4.to_ipv6_mapped());
        let (direct, through) = (classify(IpAddr::V4(ipv4)), classify(mapped));
        assert_eq!(
            through.canonical,
            IpAddr::V4(ipv4),
            "classify({mapped}).canonical should be {ipv4}: an IPv4-mapped address is its IPv4 address"
        );
        let answers = (through.kind, through.entry, through.globally_reachable);
        let direct_answers = (direct.kind, direct.entry, direct.globally_reachable);
        assert_eq!(
            answers, direct_answers,
            "{mapped} is {ipv4} written as IPv6, so classify() should say the same about both"
        );
        let loopback = is_loopback(mapped);
        assert_eq!(
            loopback,
            is_loopback(IpAddr::V4(ipv4)),
            "is_loopback({mapped}) should equal is_loopback({ipv4}): Ipv6Addr::is_loopback only knows ::1, so canonicalise first"
        );
        canonical_is_ipv4 += usize::from(through.canonical == IpAddr::V4(ipv4));
        same_answers += usize::from(answers == direct_answers);
        same_loopback += usize::from(loopback == is_loopback(IpAddr::V4(ipv4)));
        mapped_loopback += usize::from(loopback);
    }
    let mut report = format!(
        "each of the {} IPv4 addresses a.b.c.d of the table, and ::ffff:a.b.c.d\n",
        IPV4.len()
    );
    report += &format!("  classify(mapped).canonical is a.b.c.d            {canonical_is_ipv4}\n");
    report += &format!("  same kind, entry and globally_reachable          {same_answers}\n");
    report += &format!(
        "  same is_loopback                                 {same_loopback} ({mapped_loopback} loopback)\n"
    );
    report += "\nis_loopback(address)\n";
    for (text, expected) in [
        ("::ffff:127.0.0.1", true),
        ("::ffff:127.255.255.255", true),
        ("127.0.0.1", true),
        ("::1", true),
        ("::127.0.0.1", false),
        ("::ffff:128.0.0.1", false),
        ("0.0.0.1", false),
    ] {
        let loopback = is_loopback(ip(text));
        assert_eq!(
            loopback, expected,
            "is_loopback({text}) should be {expected} (Rust's Ipv6Addr::is_loopback says false for \
             ::ffff:127.0.0.1; IPv4-compatible ::127.0.0.1 is not loopback)"
        );
        report += &format!("  {text:<24} {}\n", yes_or_no(loopback));
    }
    with_settings!({
        description => "classify and is_loopback see through IPv4-mapped addresses: ::ffff:a.b.c.d gets the answers of a.b.c.d. IPv4-compatible ::a.b.c.d is not IPv4.",
    }, {
        assert_snapshot!(report);
    });
}

/// `yes` or `no`, for a table.
fn yes_or_no(answer: bool) -> &'static str {
    if answer { "yes" } else { "no" }
}
