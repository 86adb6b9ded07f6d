//! Lab 11 (a firewall) graded with realistic mistakes: each one must cost some points, not all,
//! and the snapshot records which tests caught it.

mod support;

const LAB: &str = "11-firewall";

#[test]
fn lab_11_catches_a_ruleset_that_drops_instead_of_rejecting() {
    // The client then waits for its timeout instead of hearing "connection refused".
    let failed = support::grade_wrong_solution(
        LAB,
        "ruleset.rs",
        "        Refusal::Reset => Some(\"meta l4proto tcp reject with tcp reset\".into()),\n",
        "        Refusal::Reset => None,\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_11_catches_a_ruleset_without_connection_tracking() {
    // The answers to the server's own connections are dropped.
    let failed = support::grade_wrong_solution(
        LAB,
        "ruleset.rs",
        "        \"ct state established,related accept\".to_string(),\n",
        "",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_11_catches_a_ruleset_that_drops_neighbour_discovery() {
    // Without ICMPv6 neighbour discovery, no IPv6 client can even send its SYN.
    let failed = support::grade_wrong_solution(
        LAB,
        "ruleset.rs",
        "        \"icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept\"\n            .to_string(),\n",
        "",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_11_catches_a_probe_that_takes_silence_for_a_refusal() {
    let failed = support::grade_wrong_solution(
        LAB,
        "probe.rs",
        "        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Reach::Filtered,\n",
        "        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Reach::Refused,\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_11_catches_a_diagnosis_that_walks_the_tables_in_the_order_listed() {
    // Priorities decide the order of the base chains, not the order nft lists them in.
    let failed = support::grade_wrong_solution(
        LAB,
        "decide.rs",
        "        chains.sort_by_key(|base| base.priority);\n",
        "",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_11_catches_an_ipv4_source_match_applied_to_ipv6_packets() {
    // `ip saddr != X` must not hold for a packet that has no IPv4 header.
    let failed = support::grade_wrong_solution(
        LAB,
        "decide.rs",
        "        (\"ip\", \"saddr\") => Some(\n            packet\n                .source\n                .is_ipv4()\n                .then_some(Field::Address(packet.source)),\n        ),\n",
        "        (\"ip\", \"saddr\") => Some(Some(Field::Address(packet.source))),\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_11_catches_a_fix_that_deletes_the_blocking_rule() {
    // Deleting the update's rule opens every port it blocked, not only the service's.
    let failed = support::grade_wrong_solution(
        LAB,
        "fix.rs",
        "        Some(handle) => format!(\"insert rule {chain} handle {handle} {rule}\"),\n",
        "        Some(handle) => format!(\"delete rule {chain} handle {handle}\"),\n",
    );
    insta::assert_snapshot!(failed);
}
