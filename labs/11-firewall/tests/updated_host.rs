//! Graded tests of the whole diagnosis, on the story the course opens with: "a firewall update
//! inadvertently blocked the application's port". The server's ruleset is the test's own; an
//! update breaks it; the lab's `probe`, `decide` and `smallest_fix` must find the rule at
//! fault on the live ruleset and let the service back in without opening anything else.

mod support;

use std::net::SocketAddr;

use lab11_firewall::decide::{Decision, Packet, State, decide};
use lab11_firewall::fix::smallest_fix;
use lab11_firewall::policy::Allow;
use lab11_firewall::probe::probe;
use support::lan::{ADMIN, ADMIN6, Lan, OTHER, OTHER6, SERVER, SERVER_SIDE};
use support::patience_for;

/// Every source, for the before/after tables.
const ALL: [std::net::IpAddr; 4] = [ADMIN, OTHER, ADMIN6, OTHER6];

/// The host as its admin set it up: web for everyone, ssh for the admin blocks, every other
/// TCP port reset.
fn admins_ruleset(lan: &Lan) -> String {
    format!(
        "table inet filter {{
    chain input {{
        type filter hook input priority filter; policy drop;
        iif \"lo\" accept
        ct state established,related accept
        icmpv6 type {{ nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert }} accept
        tcp dport {web} accept
        tcp dport {ssh} ip saddr 198.51.100.0/25 accept
        tcp dport {ssh} ip6 saddr 2001:db8::/120 accept
        meta l4proto tcp reject with tcp reset
    }}
}}
",
        web = lan.web.port,
        ssh = lan.ssh.port
    )
}

/// The ports of the update's range: around every service (they are all in the kernel's
/// dynamic range, where "no development server should listen").
fn update_range(lan: &Lan) -> (u16, u16) {
    let ports = [lan.web.port, lan.ssh.port, lan.db.port];
    let low = ports.iter().min().unwrap().saturating_sub(10).max(1);
    let high = ports.iter().max().unwrap().saturating_add(10);
    (low, high)
}

/// The update: a new table, earlier on the input hook, that drops new connections to a range
/// of ports, which happens to hold the services too.
fn hardening_update(lan: &Lan) -> String {
    let (low, high) = update_range(lan);
    format!(
        "table inet hardening {{
    chain input {{
        type filter hook input priority -10; policy accept;
        tcp dport {low}-{high} ct state new drop
    }}
}}
"
    )
}

/// `text` with the services' ports named and the update's range written `[range]`.
fn redacted(lan: &Lan, text: &str) -> String {
    let (low, high) = update_range(lan);
    lan.named(&text.replace(&format!("{low}-{high}"), "[range]"))
}

/// The lab's decision for a SYN from `from` to `port`, on the server's live ruleset.
fn live_decision(lan: &Lan, from: std::net::IpAddr, port: u16) -> Decision {
    let packet = Packet {
        source: from,
        port,
        interface: SERVER_SIDE.to_string(),
        state: State::New,
    };
    let json = lan.ruleset_json();
    decide(&json, &packet).unwrap_or_else(|error| {
        panic!(
            "decide() could not read the server's ruleset: {error}\nThe ruleset (nft -j list \
             ruleset):\n{json}"
        )
    })
}

/// Applies the lab's smallest fix for `service`, where `decision` refused it.
fn apply_fix(lan: &Lan, decision: &Decision, service: &Allow) {
    let Some(fix) = smallest_fix(decision, service) else {
        panic!(
            "smallest_fix() returned None for the decision `{decision}`, which refuses the \
             service {service}: there is something to fix"
        );
    };
    if let Err(said) = lan.load(&fix) {
        panic!(
            "nft refused the fix `nft {fix}` that smallest_fix() wrote for `{decision}`:\n{said}\n\
             Try the command yourself on a ruleset of your own (chapter 11, \"The smallest fix\")."
        );
    }
}

/// Checks that only `expected_to_change` lines of the table changed, and how.
fn before_and_after(lan: &Lan, before: &str, after: &str, what: &str) -> String {
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(old, new)| old != new)
        .collect();
    format!(
        "before the fix:\n{}\nafter the fix of {what}:\n{}\nrows that changed: {}",
        lan.named(before),
        lan.named(after),
        changed.len()
    )
}

#[test]
fn finds_the_rule_the_update_added() {
    let lan = Lan::build();
    lan.load_test_rules(&admins_ruleset(&lan));
    lan.load_test_rules(&hardening_update(&lan));
    let target = SocketAddr::new(SERVER, lan.web.port);
    let seen = lan
        .client
        .run(|| probe(Some(OTHER), target, patience_for(target)));
    let decision = live_decision(&lan, OTHER, lan.web.port);
    let rule = match (&decision.chain, decision.handle) {
        (Some(chain), Some(handle)) => lan.rule_text(chain, handle),
        _ => "(no rule: a policy decided)".into(),
    };
    insta::assert_snapshot!(redacted(
        &lan,
        &format!(
            "the client's probe of web: {seen}\nthe decision: {decision}\nthat rule: {rule}\n\
             what the decision predicts: {}",
            decision.verdict.reach()
        )
    ));
}

#[test]
fn the_smallest_fix_lets_the_service_in_and_changes_nothing_else() {
    let lan = Lan::build();
    lan.load_test_rules(&admins_ruleset(&lan));
    lan.load_test_rules(&hardening_update(&lan));
    let before = lan.matrix(&ALL);
    let decision = live_decision(&lan, OTHER, lan.web.port);
    let web = Allow {
        port: lan.web.port,
        from: None,
    };
    apply_fix(&lan, &decision, &web);
    let after = lan.matrix(&ALL);
    let web_row = after.lines().next().unwrap_or_default();
    assert_eq!(
        web_row.matches(" open").count(),
        4,
        "after the fix, web should be open to every client again:\n{}",
        lan.named(&after)
    );
    assert!(
        before.lines().skip(1).eq(after.lines().skip(1)),
        "the fix let web in, but it changed what the clients find on the other services too:\n\
         before:\n{}\nafter:\n{}\nThe smallest fix adds one rule for the one service, before the \
         rule that blocks it; deleting or editing the update's rule opens every port it blocked \
         (chapter 11, \"The smallest fix\").",
        lan.named(&before),
        lan.named(&after)
    );
    insta::assert_snapshot!(before_and_after(&lan, &before, &after, "web, for everyone"));
}

#[test]
fn a_fix_for_some_sources_admits_only_them() {
    let lan = Lan::build();
    lan.load_test_rules(&admins_ruleset(&lan));
    lan.load_test_rules(&hardening_update(&lan));
    let before = lan.matrix(&ALL);
    let decision = live_decision(&lan, ADMIN, lan.ssh.port);
    let ssh_for_admins = Allow {
        port: lan.ssh.port,
        from: Some("198.51.100.0/25".parse().unwrap()),
    };
    apply_fix(&lan, &decision, &ssh_for_admins);
    let after = lan.matrix(&ALL);
    insta::assert_snapshot!(before_and_after(
        &lan,
        &before,
        &after,
        "ssh, for 198.51.100.0/25 only"
    ));
}

#[test]
fn when_the_policy_decides_the_fix_joins_its_chain() {
    let lan = Lan::build();
    lan.load_test_rules(&admins_ruleset(&lan));
    // The update rewrote the admin's table and lost the web rule and the final reset.
    lan.load_test_rules(&format!(
        "table inet filter
flush table inet filter
table inet filter {{
    chain input {{
        type filter hook input priority filter; policy drop;
        iif \"lo\" accept
        ct state established,related accept
        icmpv6 type {{ nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert }} accept
        tcp dport {ssh} ip saddr 198.51.100.0/25 accept
        tcp dport {ssh} ip6 saddr 2001:db8::/120 accept
    }}
}}
",
        ssh = lan.ssh.port
    ));
    let before = lan.matrix(&ALL);
    let decision = live_decision(&lan, OTHER6, lan.web.port);
    let web = Allow {
        port: lan.web.port,
        from: None,
    };
    apply_fix(&lan, &decision, &web);
    let after = lan.matrix(&ALL);
    insta::assert_snapshot!(format!(
        "the decision: {decision}\n{}",
        before_and_after(&lan, &before, &after, "web, for everyone")
    ));
}
