//! Graded tests for `src/order.rs`: RFC 6724's policy table and the destination order, and
//! the same order as this machine's own `getaddrinfo`.

use std::net::IpAddr;

use lab14_names::order::{policy, sort_destinations};

fn parse(addresses: &[&str]) -> Vec<IpAddr> {
    addresses
        .iter()
        .map(|address| address.parse().expect("the test's addresses parse"))
        .collect()
}

fn line(addresses: &[IpAddr]) -> String {
    addresses
        .iter()
        .map(IpAddr::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn gives_each_address_its_precedence_and_label() {
    let addresses = parse(&[
        "::1",
        "127.0.0.1",
        "198.51.100.80",
        "::ffff:198.51.100.80",
        "2001:db8::80",
        "fe80::1",
        "fd00::1",
        "2002:c633:6450::1",
        "2001:0:4136:e378::1",
        "::198.51.100.80",
        "fec0::1",
        "3ffe::1",
    ]);
    let lines: Vec<String> = addresses
        .iter()
        .map(|address| {
            let found = policy(*address);
            format!(
                "{:22} precedence {:2}  label {:2}",
                address.to_string(),
                found.precedence,
                found.label
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn puts_ipv6_loopback_before_ipv4_loopback() {
    let cases = [
        (
            "localhost, as /etc/hosts lists it",
            vec!["127.0.0.1", "::1"],
        ),
        (
            "a global address of each family",
            vec!["198.51.100.80", "2001:db8::80"],
        ),
        (
            "a unique local IPv6 address (fd00::/8) and IPv4",
            vec!["fd00::1", "198.51.100.80"],
        ),
        (
            "a 6to4 address and IPv4",
            vec!["198.51.100.80", "2002:c633:6450::1"],
        ),
        (
            "link-local and global IPv6 (rule 8)",
            vec!["2001:db8::80", "fe80::1"],
        ),
        (
            "two global IPv6 addresses (rule 10)",
            vec!["2001:db8::2", "2001:db8::1"],
        ),
        (
            "two IPv4 addresses (rule 10)",
            vec!["198.51.100.2", "198.51.100.1"],
        ),
    ];
    let mut lines = Vec::new();
    for (what, addresses) in cases {
        let given = parse(&addresses);
        let sorted = sort_destinations(&given);
        lines.push(format!(
            "{what}:\n  {}  ->  {}",
            line(&given),
            line(&sorted)
        ));
    }
    let localhost = sort_destinations(&parse(&["127.0.0.1", "::1"]));
    assert_eq!(
        localhost.first().map(IpAddr::to_string).as_deref(),
        Some("::1"),
        "getaddrinfo returns ::1 before 127.0.0.1: in RFC 6724's table, ::1/128 has precedence \
         50 and IPv4 (::ffff:0:0/96) 35, and rule 6 puts the higher precedence first"
    );
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn orders_like_the_systems_getaddrinfo() {
    // The system's own getaddrinfo (glibc's, through `getent ahosts`) reads a hosts file of
    // the test's own, mounted over /etc/hosts in a mount namespace that only `getent` sees:
    // localhost listed IPv4 first, as most distributions write it, and a second name listed
    // IPv6 first. Whatever the file's order, getaddrinfo sorts; the lab's sort must agree.
    let hosts = "127.0.0.1 localhost\n::1 localhost\n::1 ip6-first.lab14.test\n\
                 127.0.0.1 ip6-first.lab14.test\n";
    let mut lines = Vec::new();
    for (name, in_file) in [
        ("localhost", ["127.0.0.1", "::1"]),
        ("ip6-first.lab14.test", ["::1", "127.0.0.1"]),
    ] {
        let system = getaddrinfo_with_hosts_file(hosts, name);
        let ours = sort_destinations(&parse(&in_file));
        assert_eq!(
            line(&ours),
            line(&system),
            "with /etc/hosts listing {name} as {}, this machine's getaddrinfo returns {}, but \
             sort_destinations returns {}",
            in_file.join(" then "),
            line(&system),
            line(&ours)
        );
        lines.push(format!(
            "{name}: /etc/hosts lists {}  ->  getaddrinfo and sort_destinations: {}",
            in_file.join(" "),
            line(&ours)
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

/// The addresses `getent ahosts NAME` prints, in its order, with `hosts` as /etc/hosts: a
/// bind mount in a user and mount namespace of `unshare`'s own, so the machine's file is
/// never touched. Or `not run: …` where no namespace can be made.
fn getaddrinfo_with_hosts_file(hosts: &str, name: &str) -> Vec<IpAddr> {
    let file = std::env::temp_dir().join(format!("lab14-hosts-{}", std::process::id()));
    std::fs::write(&file, hosts).expect("the test writes its hosts file in its temp folder");
    let output = std::process::Command::new("unshare")
        .args(["--map-root-user", "--mount", "sh", "-c"])
        .arg("mount --bind \"$1\" /etc/hosts && exec getent ahosts \"$2\"")
        .arg("sh")
        .arg(&file)
        .arg(name)
        .output();
    let _ = std::fs::remove_file(&file);
    let output = output.unwrap_or_else(|error| {
        panic!("not run: cannot start `unshare` from util-linux ({error}): install util-linux")
    });
    if !output.status.success() {
        panic!(
            "not run: `unshare --map-root-user --mount` with `getent ahosts {name}` failed ({}): \
             this test needs user and mount namespaces (Linux) and glibc's getent",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    // One line per address and socket type: keep the STREAM lines, in order.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|row| row.contains("STREAM"))
        .filter_map(|row| row.split_whitespace().next()?.parse().ok())
        .collect()
}
