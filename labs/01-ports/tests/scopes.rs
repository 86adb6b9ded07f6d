//! Graded tests for `src/scope.rs`: loopback, unspecified, private, link-local, multicast,
//! documentation, broadcast or other.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use insta::{assert_snapshot, with_settings};
use lab01_ports::scope::{AddressScope, scope_of, scope_of_ipv4, scope_of_ipv6};

/// Addresses at the edges of the special blocks, and a few ordinary ones.
const ADDRESSES: [&str; 37] = [
    "127.0.0.1",
    "127.0.0.2",
    "127.255.255.255",
    "128.0.0.1",
    "0.0.0.0",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.254",
    "172.32.0.1",
    "192.168.1.10",
    "192.169.0.1",
    "169.254.10.20",
    "224.0.0.251",
    "192.0.2.1",
    "192.0.2.7",
    "192.0.3.1",
    "198.51.100.1",
    "203.0.113.9",
    "203.0.114.1",
    "255.255.255.255",
    "255.255.255.254",
    "8.8.8.8",
    "::1",
    "::",
    "::2",
    "fd00::1",
    "fc00::1",
    "fe80::1",
    "ff02::1",
    "2001:db8::1",
    "2001:db9::1",
    "3fff::1",
    "3fff:fff:ffff::1",
    "3fff:1000::1",
    "::ffff:127.0.0.1",
    "::ffff:192.168.1.1",
    "::ffff:192.0.2.1",
];

#[test]
fn classifies_addresses() {
    let mut table = String::from("address            scope_of(address)  Display\n");
    for text in ADDRESSES {
        let ip: IpAddr = text.parse().expect("the test's addresses are valid");
        let scope = scope_of(ip);
        table += &format!("{text:<18} {:<18} {scope}\n", format!("{scope:?}"));
    }
    with_settings!({
        description => "scope_of(address), and the scope's Display. All of 127.0.0.0/8 is loopback; private is 10/8, 172.16/12, 192.168/16 and fc00::/7; documentation is 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32 and 3fff::/20; broadcast is 255.255.255.255 only; an IPv4-mapped address (::ffff:a.b.c.d) has the scope of its IPv4 address.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn ipv4_mapped_addresses_have_their_ipv4_scope() {
    let mut ipv4_table = format!(
        "{:<16} {:<14} {:<14} {:<24} {}\n",
        "IPv4 address", "scope_of_ipv4", "scope_of", "as IPv4-mapped IPv6", "scope_of(mapped)"
    );
    let mut ipv6_table = format!(
        "{:<16} {:<14} {}\n",
        "IPv6 address", "scope_of_ipv6", "scope_of"
    );
    for text in ADDRESSES {
        match text
            .parse::<IpAddr>()
            .expect("the test's addresses are valid")
        {
            IpAddr::V4(ipv4) => {
                let expected = scope_of_ipv4(ipv4);
                let direct = scope_of(IpAddr::V4(ipv4));
                assert_eq!(
                    direct, expected,
                    "scope_of({ipv4}) should give the same answer as scope_of_ipv4({ipv4})"
                );
                let mapped: Ipv6Addr = ipv4.to_ipv6_mapped();
                let through = scope_of(IpAddr::V6(mapped));
                assert_eq!(
                    through, expected,
                    "{mapped} is {ipv4} written as IPv6, so scope_of({mapped}) should be {expected:?}: \
                     look at Ipv6Addr::to_ipv4_mapped"
                );
                ipv4_table += &format!(
                    "{text:<16} {:<14} {:<14} {:<24} {through:?}\n",
                    format!("{expected:?}"),
                    format!("{direct:?}"),
                    mapped.to_string()
                );
            }
            IpAddr::V6(ipv6) if ipv6.to_ipv4_mapped().is_none() => {
                let expected = scope_of_ipv6(ipv6);
                let direct = scope_of(IpAddr::V6(ipv6));
                assert_eq!(
                    direct, expected,
                    "{ipv6} is not IPv4-mapped, so scope_of({ipv6}) should be scope_of_ipv6({ipv6}). \
                     (Careful: Ipv6Addr::to_ipv4 also turns ::1 into 0.0.0.1; use to_ipv4_mapped.)"
                );
                ipv6_table += &format!("{text:<16} {:<14} {direct:?}\n", format!("{expected:?}"));
            }
            IpAddr::V6(_) => {}
        }
    }
    let mapped_localhost = Ipv4Addr::LOCALHOST.to_ipv6_mapped();
    let localhost_scope = scope_of(IpAddr::V6(mapped_localhost));
    assert_eq!(
        localhost_scope,
        AddressScope::Loopback,
        "{mapped_localhost} should be Loopback, like 127.0.0.1"
    );
    let report =
        format!("{ipv4_table}\n{ipv6_table}\nscope_of({mapped_localhost}) = {localhost_scope:?}\n");
    with_settings!({
        description => "scope_of(address) for each IPv4 address, for the same address IPv4-mapped (::ffff:a.b.c.d), which has the scope of its IPv4 address, and for IPv6 addresses that are not IPv4-mapped, which scope_of_ipv6 decides.",
    }, {
        assert_snapshot!(report);
    });
}
