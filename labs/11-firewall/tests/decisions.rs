//! Graded tests for `decide` and `Verdict::reach` in `src/decide.rs`: rulesets of the test's
//! own, loaded by the real `nft` and listed back as JSON (`nft -j list ruleset`), and packets
//! whose fate the test knows. Each line of a report is a packet, the decision the lab's
//! `decide` found, and that rule as `nft -a list ruleset` prints it.

mod support;

use std::net::IpAddr;

use lab11_firewall::decide::{DecideError, Packet, State, Verdict, decide};
use support::Loaded;

/// A TCP SYN (or, with `State::Established`, a later packet) for `port` from `source`.
fn packet(source: &str, port: u16, interface: &str, state: State) -> Packet {
    Packet {
        source: source
            .parse::<IpAddr>()
            .expect("the test's addresses are valid"),
        port,
        interface: interface.to_string(),
        state,
    }
}

fn syn(source: &str, port: u16) -> Packet {
    packet(source, port, "eth0", State::New)
}

/// One report line per packet: what it is, what `decide` found, and the rule's text.
fn report(ruleset: &str, packets: &[Packet]) -> String {
    let loaded = Loaded::load(ruleset);
    let mut lines = Vec::new();
    for packet in packets {
        let what = format!(
            "{} -> port {} on {} ({})",
            packet.source,
            packet.port,
            packet.interface,
            packet.state.name()
        );
        let found = match decide(&loaded.json, packet) {
            Ok(decision) => match (&decision.chain, decision.handle) {
                (Some(chain), Some(handle)) => {
                    format!("{decision}    [{}]", loaded.rule_text(chain, handle))
                }
                _ => decision.to_string(),
            },
            // The report names the error's kind and rule, not its wording, which is yours.
            Err(DecideError::Unreadable { chain, handle, .. }) => {
                format!("error: cannot read rule {handle} of chain {chain}")
            }
            Err(error) => format!("error: {error:?}"),
        };
        lines.push(format!("{what}\n    {found}"));
    }
    lines.join("\n")
}

#[test]
fn names_the_rule_that_decides() {
    let ruleset = "table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        iif \"lo\" accept
        ct state established,related accept
        tcp dport 22 ip saddr 198.51.100.0/25 accept
        tcp dport 8080 accept
        tcp dport 22 reject with tcp reset
    }
}
";
    insta::assert_snapshot!(report(
        ruleset,
        &[
            syn("198.51.100.7", 22),
            syn("198.51.100.200", 22),
            syn("198.51.100.200", 8080),
            syn("198.51.100.200", 5432),
            packet("127.0.0.1", 5432, "lo", State::New),
            packet("198.51.100.200", 5432, "eth0", State::Established),
        ]
    ));
}

#[test]
fn reads_sets_ranges_prefixes_and_negations() {
    let ruleset = "table inet filter {
    chain input {
        type filter hook input priority filter; policy accept;
        tcp dport { 22, 80, 8000-8999 } ip saddr { 198.51.100.0/25, 203.0.113.9 } accept
        tcp dport != 443 ip6 saddr 2001:db8::/32 drop
        meta nfproto ipv4 tcp dport 443 reject with icmpx admin-prohibited
        tcp dport 9000-9100 counter drop
        meta l4proto tcp tcp dport 7000 reject
    }
}
";
    insta::assert_snapshot!(report(
        ruleset,
        &[
            syn("198.51.100.7", 8500),
            syn("203.0.113.9", 80),
            syn("198.51.100.200", 80),
            syn("2001:db8::7", 80),
            syn("2001:db8::7", 443),
            syn("198.51.100.200", 443),
            syn("198.51.100.200", 9050),
            syn("198.51.100.200", 9101),
            syn("2001:db9::1", 7000),
        ]
    ));
}

#[test]
fn skips_matches_on_headers_the_packet_does_not_have() {
    let ruleset = "table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ip saddr 198.51.100.200 drop
        ip saddr != 198.51.100.0/24 reject with tcp reset
        udp dport 8080 drop
        icmpv6 type echo-request drop
        tcp dport 8080 accept
    }
}
";
    insta::assert_snapshot!(report(
        ruleset,
        &[
            syn("2001:db8::7", 8080),
            syn("198.51.100.200", 8080),
            syn("203.0.113.9", 8080),
            syn("198.51.100.7", 8080),
        ]
    ));
}

#[test]
fn follows_jumps_gotos_and_returns() {
    let ruleset = "table inet filter {
    chain blocklist {
        ip saddr 203.0.113.0/24 drop
    }
    chain admins {
        ip saddr 198.51.100.7 accept
        return
        ip saddr 198.51.100.200 accept
    }
    chain public {
        ip saddr 198.51.100.0/24 accept
    }
    chain input {
        type filter hook input priority filter; policy drop;
        jump blocklist
        tcp dport 22 jump admins
        tcp dport 22 reject with tcp reset
        tcp dport 80 goto public
        tcp dport 80 accept
    }
}
";
    insta::assert_snapshot!(report(
        ruleset,
        &[
            syn("203.0.113.9", 22),
            syn("198.51.100.7", 22),
            syn("198.51.100.200", 22),
            syn("198.51.100.200", 80),
            syn("2001:db8::7", 80),
        ]
    ));
}

#[test]
fn walks_every_base_chain_in_order_of_priority() {
    // Listed in this order, but the kernel runs them by priority: hardening (-10), then
    // filter (0), then late (10).
    let ruleset = "table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        tcp dport 8080 accept
        tcp dport 22 accept
    }
}
table ip6 late {
    chain input {
        type filter hook input priority 10; policy accept;
        tcp dport 22 reject with tcp reset
    }
}
table ip hardening {
    chain input {
        type filter hook input priority -10; policy accept;
        tcp dport 8000-8999 drop
    }
}
";
    insta::assert_snapshot!(report(
        ruleset,
        &[
            syn("198.51.100.7", 8080),
            syn("2001:db8::7", 8080),
            syn("2001:db8::7", 22),
            syn("198.51.100.7", 22),
            syn("198.51.100.7", 5000),
        ]
    ));
}

#[test]
fn says_which_rule_it_cannot_read_instead_of_guessing() {
    let ruleset = "table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        tcp dport 22 accept
        meta mark 0x1 drop
        tcp dport 80 accept
    }
}
";
    let mut text = report(ruleset, &[syn("198.51.100.7", 22), syn("198.51.100.7", 80)]);
    let loaded = Loaded::load(ruleset);
    let unreadable = decide(&loaded.json, &syn("198.51.100.7", 80));
    assert!(
        matches!(unreadable, Err(DecideError::Unreadable { handle: 3, .. })),
        "decide() should refuse to guess about the rule `meta mark 0x1 drop` (handle 3), which \
         it cannot evaluate (a packet's mark is not part of the Packet), and say so with \
         DecideError::Unreadable naming that rule; it returned {unreadable:?}"
    );
    for not_json in ["", "hello", "{\"tables\": []}"] {
        let found = match decide(not_json, &syn("198.51.100.7", 80)) {
            Err(DecideError::NotNftJson(_)) => "NotNftJson".to_string(),
            other => format!("{other:?}"),
        };
        text.push_str(&format!("\n{not_json:?}\n    {found}"));
    }
    insta::assert_snapshot!(text);
}

#[test]
fn predicts_what_the_client_sees() {
    let verdicts = [
        Verdict::Accept,
        Verdict::Drop,
        Verdict::RejectWithReset,
        Verdict::RejectWithIcmp("port-unreachable".into()),
        Verdict::RejectWithIcmp("admin-prohibited".into()),
        Verdict::RejectWithIcmp("host-unreachable".into()),
    ];
    let lines: Vec<String> = verdicts
        .iter()
        .map(|verdict| format!("{:40} {}", verdict.to_string(), verdict.reach()))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}
