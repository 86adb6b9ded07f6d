//! Graded tests for `src/probe.rs`: the lab's probe, knocking on ports of the test's own
//! server whose firewall the test loads itself, so each answer is known in advance.

mod support;

use std::io;
use std::net::{IpAddr, SocketAddr};

use lab11_firewall::probe::{Reach, classify, probe};
use support::lan::{ADMIN, ADMIN6, Lan, OTHER, server_address_for};
use support::patience_for;

/// The test's own ruleset: `web` open, `ssh` reset, `db` dropped, every other port (where
/// nothing listens anyway) answered with ICMP administratively prohibited. A port that
/// nothing listens on but that the firewall lets in answers with a reset from the kernel.
fn answers_each_way(lan: &Lan) -> String {
    format!(
        "table inet test {{
    chain input {{
        type filter hook input priority filter; policy accept;
        ct state established,related accept
        tcp dport {web} accept
        tcp dport {ssh} reject with tcp reset
        tcp dport {db} drop
        tcp dport 1-1023 reject with icmpx admin-prohibited
    }}
}}
",
        web = lan.web.port,
        ssh = lan.ssh.port,
        db = lan.db.port,
    )
}

/// Probes `port` of the server from `from` with the lab's `probe`, on the client.
fn lab_probe(lan: &Lan, from: Option<IpAddr>, family_of: IpAddr, port: u16) -> Reach {
    let target = SocketAddr::new(server_address_for(family_of), port);
    lan.client.run(|| probe(from, target, patience_for(target)))
}

#[test]
fn tells_open_refused_filtered_and_prohibited_apart() {
    let lan = Lan::build();
    lan.load_test_rules(&answers_each_way(&lan));
    let mut lines = Vec::new();
    for family in [ADMIN, ADMIN6] {
        for (what, port) in [
            ("web, accepted", lan.web.port),
            ("ssh, reset by the firewall", lan.ssh.port),
            ("db, dropped", lan.db.port),
            ("port 631, prohibited", 631),
        ] {
            let found = lab_probe(&lan, None, family, port);
            lines.push(format!(
                "{:13} {what:28} {found}",
                server_address_for(family).to_string()
            ));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn knocks_from_the_source_address_it_is_given() {
    let lan = Lan::build();
    lan.load_test_rules(&format!(
        "table inet test {{
    chain input {{
        type filter hook input priority filter; policy accept;
        ct state established,related accept
        tcp dport {web} ip saddr 198.51.100.7 accept
        tcp dport {web} reject with tcp reset
    }}
}}
",
        web = lan.web.port
    ));
    let mut lines = Vec::new();
    for from in [ADMIN, OTHER] {
        let found = lab_probe(&lan, Some(from), from, lan.web.port);
        lines.push(format!("from {from}: web is {found}"));
    }
    let not_ours: IpAddr = "198.51.100.99".parse().unwrap();
    let found = lab_probe(&lan, Some(not_ours), not_ours, lan.web.port);
    lines.push(format!(
        "from {not_ours}, an address the client does not have: {found}"
    ));
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn classifies_each_error_a_connect_can_end_with() {
    let errors = [
        ("ECONNREFUSED", libc_error(111)),
        ("ETIMEDOUT", libc_error(110)),
        ("EHOSTUNREACH", libc_error(113)),
        ("EACCES", libc_error(13)),
        ("EPERM", libc_error(1)),
        ("EADDRNOTAVAIL", libc_error(99)),
        ("ENETUNREACH", libc_error(101)),
    ];
    let mut lines: Vec<String> = errors
        .iter()
        .map(|(name, error)| format!("{name:14} {}", classify(error)))
        .collect();
    let gave_up = io::Error::new(io::ErrorKind::WouldBlock, "gave up waiting");
    lines.push(format!("{:14} {}", "WouldBlock", classify(&gave_up)));
    insta::assert_snapshot!(lines.join("\n"));
}

/// The error the kernel's error number `code` stands for (Linux numbering).
fn libc_error(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}
