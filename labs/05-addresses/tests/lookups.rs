//! Graded tests for `src/registry.rs`: finding the entry that speaks for an address.

mod support;

use std::net::IpAddr;

use insta::{assert_snapshot, with_settings};
use lab05_addresses::registry::{
    Entry, IPV4_SPECIAL_PURPOSE, IPV6_SPECIAL_PURPOSE, lookup, matching_entries,
};
use support::{after, before, bounds, ip};

/// Addresses inside nested blocks, at their edges, in terminated (deprecated) blocks, and in none.
const NESTED: [&str; 59] = [
    "0.0.0.0",
    "0.0.0.1",
    "0.255.255.255",
    "127.0.0.1",
    "192.0.0.0",
    "192.0.0.7",
    "192.0.0.8",
    "192.0.0.9",
    "192.0.0.10",
    "192.0.0.11",
    "192.0.0.169",
    "192.0.0.170",
    "192.0.0.171",
    "192.0.0.172",
    "192.0.0.255",
    "192.88.98.255",
    "192.88.99.1",
    "192.88.99.2",
    "192.88.99.3",
    "192.88.100.0",
    "240.0.0.1",
    "255.255.255.254",
    "255.255.255.255",
    "8.8.8.8",
    "::",
    "::1",
    "::2",
    "::ffff:127.0.0.1",
    "64:ff9b::808:808",
    "64:ff9b:1::1",
    "100::1",
    "100:0:0:1::1",
    "100:0:0:2::1",
    "2001::1",
    "2001:0:ffff:ffff:ffff:ffff:ffff:ffff",
    "2001:1::",
    "2001:1::1",
    "2001:1::2",
    "2001:1::3",
    "2001:1::4",
    "2001:2::1",
    "2001:2:1::1",
    "2001:3::1",
    "2001:4:112::1",
    "2001:4:113::1",
    "2001:10::1",
    "2001:1f:ffff::1",
    "2001:20::1",
    "2001:30::1",
    "2001:40::1",
    "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
    "2001:200::",
    "2001:db8::1",
    "2002::1",
    "2620:4f:8000::1",
    "3fff::1",
    "5f00::1",
    "fe80::1",
    "ff02::1",
];

#[test]
fn the_longest_matching_prefix_wins() {
    let mut table = format!(
        "{:<38} {:<46} {}\n",
        "address", "matching_entries (broadest first)", "lookup"
    );
    for text in NESTED {
        let address = ip(text);
        let matching: Vec<&str> = matching_entries(address)
            .iter()
            .map(|entry| entry.block)
            .collect();
        let found = match lookup(address) {
            Some(entry) => format!("{} {}", entry.block, entry.name),
            None => "-".to_string(),
        };
        let matching = if matching.is_empty() {
            "-".to_string()
        } else {
            matching.join(" > ")
        };
        table += &format!("{text:<38} {matching:<46} {found}\n");
    }
    with_settings!({
        description => "matching_entries(address): every entry that contains the address, shortest prefix first; lookup(address): the one with the longest prefix. Terminated entries (192.88.99.0/24, 2001:10::/28) still match: IANA keeps them as deprecated blocks, not ordinary address space. Addresses are taken as given: ::ffff:127.0.0.1 is in the IPv6 registry.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn finds_each_block_from_its_first_to_its_last_address() {
    let mut report = String::new();
    for entry in IPV4_SPECIAL_PURPOSE.iter().chain(IPV6_SPECIAL_PURPOSE) {
        report += &format!("{} {}", entry.block, entry.name);
        if let Some(date) = entry.terminated {
            report += &format!(" (terminated {date})");
        }
        report += "\n";
        let (first, last) = bounds(entry.block);
        let probes = [
            ("first", Some(first)),
            ("last", Some(last)),
            ("before", before(first)),
            ("after", after(last)),
        ];
        for (what, address) in probes {
            if let Some(address) = address {
                report += &format!(
                    "  {what:<7} {:<40} {}\n",
                    address.to_string(),
                    found(address)
                );
            }
        }
    }
    with_settings!({
        description => "For every registry entry: lookup() of the block's first and last address, and of the addresses just before and just after it. The first and last find the entry itself, or a more specific one inside it; before and after never find it.",
    }, {
        assert_snapshot!(report);
    });
}

/// The block lookup finds for `address`, or `-`.
fn found(address: IpAddr) -> &'static str {
    lookup(address).map_or("-", |entry: &Entry| entry.block)
}
