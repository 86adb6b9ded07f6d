//! Graded tests for `src/prefix.rs`: masks, strict prefix parsing, and which addresses a block holds.

mod support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use insta::{assert_snapshot, with_settings};
use lab05_addresses::prefix::{Prefix, ipv4_mask, ipv6_mask};
use lab05_addresses::registry::{IPV4_SPECIAL_PURPOSE, IPV6_SPECIAL_PURPOSE};
use support::{after, before, bounds, middle};

/// Prefixes that must be read, with lengths of every kind: /0, odd ones, /32 and /128.
const VALID: [&str; 20] = [
    "0.0.0.0/0",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "172.16.0.0/12",
    "198.18.0.0/15",
    "192.0.2.0/24",
    "192.0.0.0/29",
    "192.0.0.9/32",
    "255.255.255.255/32",
    "::/0",
    "fc00::/7",
    "fe80::/10",
    "3fff::/20",
    "2001::/23",
    "2001:db8::/32",
    "2001:DB8::/32",
    "2620:4f:8000::/48",
    "::ffff:0:0/96",
    "2001:db8::/127",
    "::1/128",
];

/// Text that is not a prefix.
const INVALID: [&str; 22] = [
    "",
    "192.0.2.0",
    "192.0.2.0/",
    "/24",
    "192.0.2/24",
    "010.0.0.0/8",
    "[2001:db8::]/32",
    "fe80::%eth0/64",
    "192.0.2.0/x",
    "192.0.2.0/+8",
    "192.0.2.0/08",
    "192.0.2.0/ 24",
    "192.0.2.0/24/24",
    "192.0.2.0/33",
    "192.0.2.0/256",
    "192.0.2.0/99999999999",
    "::/129",
    "192.0.2.1/24",
    "10.0.0.0/6",
    "100.64.0.0/9",
    "2001:db8::1/32",
    "3fff:1000::/19",
];

#[test]
fn computes_netmasks() {
    let mut table = String::from("IPv4 masks, ipv4_mask(length) as an address\n");
    for length in 0..=32 {
        table += &format!("  /{length:<3} {}\n", Ipv4Addr::from(ipv4_mask(length)));
    }
    table += "IPv6 masks, ipv6_mask(length) as an address\n";
    for length in [
        0, 1, 3, 7, 8, 10, 15, 16, 20, 23, 28, 32, 48, 63, 64, 96, 127, 128,
    ] {
        table += &format!("  /{length:<3} {}\n", Ipv6Addr::from(ipv6_mask(length)));
    }
    with_settings!({
        description => "ipv4_mask(length) and ipv6_mask(length): `length` one bits then zeros, shown as an address (the netmask). /0 is all zeros and the full length all ones: careful, shifting a u32 by 32 (or a u128 by 128) overflows.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn parses_prefixes_strictly() {
    let mut report = format!(
        "{:<26} {:<22} {:<18} {}\n",
        "input", "Display", "first", "last"
    );
    for input in VALID {
        let row = match Prefix::parse(input) {
            Ok(prefix) => format!(
                "{:<22} {:<18} {}",
                prefix.to_string(),
                prefix.first().to_string(),
                prefix.last()
            ),
            Err(error) => format!("unexpected error {error:?}: {error}"),
        };
        report += &format!("{:<26} {row}\n", format!("{input:?}"));
    }
    report += "\nnot prefixes:\n";
    for input in INVALID {
        report += &format!("{input:?}\n");
        match Prefix::parse(input) {
            Ok(prefix) => report += &format!("  accepted as {prefix}, but it should be an error\n"),
            Err(error) => {
                report += &format!("  error:   {error:?}\n");
                report += &format!("  message: {error}\n");
            }
        }
    }
    with_settings!({
        description => "Prefix::parse(input): valid prefixes with their first and last address, then text that is not a prefix with its PrefixError. The checks run in the order of Prefix::parse's doc comment; bits after the length must be zero (192.0.2.1/24 is refused, naming 192.0.2.0/24).",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn contains_exactly_its_block() {
    let registry_blocks = IPV4_SPECIAL_PURPOSE
        .iter()
        .chain(IPV6_SPECIAL_PURPOSE)
        .map(|entry| entry.block);
    let extra_blocks = [
        "0.0.0.0/0",
        "0.0.0.0/1",
        "128.0.0.0/1",
        "10.0.0.0/31",
        "1.2.3.4/32",
        "224.0.0.0/4",
        "239.0.0.0/8",
        "::/0",
        "8000::/1",
        "2000::/3",
        "ff00::/8",
        "2001:db8::/127",
        "2001:db8::1/128",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
    ];
    let mut checks = Checks::default();
    let registry_count = registry_blocks.clone().count();
    for block in registry_blocks.chain(extra_blocks) {
        check_block(block, &mut checks);
    }

    let mut report = format!(
        "{} blocks (the {registry_count} of the special-purpose registries and {} others): \
         {} IPv4, {} IPv6\n",
        checks.ipv4_blocks + checks.ipv6_blocks,
        extra_blocks.len(),
        checks.ipv4_blocks,
        checks.ipv6_blocks
    );
    report += &format!(
        "  {:<58} {} of {}\n",
        "first() and last() are the block's first and last address",
        checks.right_bounds,
        checks.ipv4_blocks + checks.ipv6_blocks
    );
    for (what, (said_true, asked)) in [
        (
            "contains(first), contains(middle), contains(last)",
            checks.inside,
        ),
        (
            "contains(the address just before first or after last)",
            checks.next_to,
        ),
        (
            "contains(an address of the other family, same bits)",
            checks.other_family,
        ),
    ] {
        report += &format!("  {what:<58} true for {said_true} of {asked}\n");
    }
    with_settings!({
        description => "Prefix::first, last and contains for every block of the registries and a few more: contains is true for the first, a middle and the last address of the block, and false just outside it and for the other family.",
    }, {
        assert_snapshot!(report);
    });
}

/// What `check_block` asked the blocks, and how they answered.
#[derive(Default)]
struct Checks {
    ipv4_blocks: usize,
    ipv6_blocks: usize,
    /// Blocks whose first() and last() were right.
    right_bounds: usize,
    /// (answers `true`, questions asked) of `contains` at the first, middle and last address.
    inside: (usize, usize),
    /// The same just before the first and just after the last address.
    next_to: (usize, usize),
    /// The same for addresses of the other family.
    other_family: (usize, usize),
}

/// Counts one answer of `contains` in `(answers true, questions asked)`.
fn count(answer: bool, tally: &mut (usize, usize)) {
    tally.0 += usize::from(answer);
    tally.1 += 1;
}

/// Checks one block's first and last addresses, and `contains` at and around both ends.
fn check_block(block: &str, checks: &mut Checks) {
    let prefix = Prefix::parse(block).unwrap_or_else(|error| {
        panic!("Prefix::parse({block:?}) returned {error:?}, but it is a valid prefix")
    });
    let (first, last) = bounds(block);
    assert_eq!(
        prefix.first(),
        first,
        "the first address of {block} is {first}"
    );
    assert_eq!(
        prefix.last(),
        last,
        "the last address of {block} is {last}: every bit after the length set"
    );
    if first.is_ipv4() {
        checks.ipv4_blocks += 1;
    } else {
        checks.ipv6_blocks += 1;
    }
    checks.right_bounds += usize::from(prefix.first() == first && prefix.last() == last);
    for (what, ip) in [
        ("first", first),
        ("middle", middle(first, last)),
        ("last", last),
    ] {
        let answer = prefix.contains(ip);
        assert!(
            answer,
            "{block} should contain its {what} address {ip}, but contains() said false"
        );
        count(answer, &mut checks.inside);
    }
    if let Some(ip) = before(first) {
        let answer = prefix.contains(ip);
        assert!(
            !answer,
            "{ip} is just before {block}, but contains() said true: check your mask for /{}",
            prefix.length()
        );
        count(answer, &mut checks.next_to);
    }
    if let Some(ip) = after(last) {
        let answer = prefix.contains(ip);
        assert!(
            !answer,
            "{ip} is just after {block}, but contains() said true: check your mask for /{}",
            prefix.length()
        );
        count(answer, &mut checks.next_to);
    }
    for ip in other_family(first) {
        let answer = prefix.contains(ip);
        assert!(
            !answer,
            "{block} is {} but contains() said true for {ip}: an address of the other family is never in a block",
            if first.is_ipv4() { "IPv4" } else { "IPv6" }
        );
        count(answer, &mut checks.other_family);
    }
}

/// Addresses of the other family with the same bits, which a block must not contain.
fn other_family(ip: IpAddr) -> Vec<IpAddr> {
    match ip {
        IpAddr::V4(ipv4) => vec![
            IpAddr::V6(ipv4.to_ipv6_compatible()),
            IpAddr::V6(ipv4.to_ipv6_mapped()),
        ],
        IpAddr::V6(ipv6) => {
            let [.., a, b, c, d] = ipv6.octets();
            vec![IpAddr::V4(Ipv4Addr::new(a, b, c, d))]
        }
    }
}
