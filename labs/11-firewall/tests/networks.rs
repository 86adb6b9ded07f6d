//! Graded tests for `Network::contains` in `src/policy.rs`: which addresses a block holds.
//! No network needed: a block is arithmetic on the address's bits.

use std::net::IpAddr;

use lab11_firewall::policy::Network;

/// (block, address): the boundaries a rule per source address depends on.
const CASES: &[(&str, &str)] = &[
    ("198.51.100.0/25", "198.51.100.0"),
    ("198.51.100.0/25", "198.51.100.127"),
    ("198.51.100.0/25", "198.51.100.128"),
    ("198.51.100.0/24", "198.51.101.1"),
    ("198.51.100.7", "198.51.100.7"),
    ("198.51.100.7", "198.51.100.8"),
    ("0.0.0.0/0", "203.0.113.9"),
    ("0.0.0.0/0", "2001:db8::1"),
    ("10.0.0.0/8", "10.255.255.255"),
    ("10.0.0.0/8", "11.0.0.0"),
    ("172.16.0.0/12", "172.31.0.1"),
    ("172.16.0.0/12", "172.32.0.1"),
    ("2001:db8::/32", "2001:db8:ffff::1"),
    ("2001:db8::/32", "2001:db9::1"),
    ("2001:db8::/120", "2001:db8::c8"),
    ("2001:db8::/120", "2001:db8::100"),
    ("3fff::/20", "3fff:fff::1"),
    ("3fff::/20", "3fff:1000::1"),
    ("2001:db8::7", "2001:db8::7"),
    ("::/0", "198.51.100.7"),
    ("::/0", "::1"),
    ("198.51.100.0/24", "::ffff:198.51.100.7"),
];

#[test]
fn contains_the_addresses_of_its_block() {
    let mut lines = Vec::new();
    for (block, address) in CASES {
        let network: Network = block.parse().expect("the test's blocks are valid");
        let ip: IpAddr = address.parse().expect("the test's addresses are valid");
        let verdict = if network.contains(ip) { "in" } else { "not in" };
        lines.push(format!("{address:22} {verdict:6} {block}"));
    }
    insta::assert_snapshot!(lines.join("\n"));
}
