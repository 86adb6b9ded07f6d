//! Lab 14 (names) graded with realistic mistakes: each one must cost some points, not all,
//! and the snapshot records which tests caught it.

mod support;

const LAB: &str = "14-names";

#[test]
fn lab_14_catches_a_cache_that_ignores_ttls() {
    // The cache keeps serving an answer after its TTL ran out: its users go on to an address
    // the owner of the name may have moved away from.
    let failed = support::grade_wrong_solution(
        LAB,
        "cache.rs",
        "            .get(&key(name, record_type))\n            .filter(|entry| now < entry.expires)?;\n",
        "            .get(&key(name, record_type))?;\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_14_catches_a_parser_without_compression_pointers() {
    // Every length byte read as a label's length: a pointer (top bits 11) becomes a label of
    // 192 bytes or more, and every real server's answer is refused.
    let failed = support::grade_wrong_solution(
        LAB,
        "message.rs",
        "        match length >> 6 {\n",
        "        match 0u8 {\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_14_catches_a_resolver_that_accepts_any_id() {
    // A forged answer with another id is taken for the real one.
    let failed =
        support::grade_wrong_solution(LAB, "resolver.rs", "        && response.id == id\n", "");
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_14_catches_a_resolver_without_tcp_fallback() {
    // A truncated UDP answer is used as it is: some of the addresses are missing.
    let failed = support::grade_wrong_solution(
        LAB,
        "resolver.rs",
        "        Some(response) if response.truncated => ask_over_tcp(server, &query, &answers, patience),\n",
        "",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_14_catches_an_order_that_puts_ipv4_first() {
    // The policy table as `precedence ::ffff:0:0/96 100` in gai.conf makes it: IPv4 first.
    let failed = support::grade_wrong_solution(
        LAB,
        "order.rs",
        "    (\"::ffff:0:0\", 96, 35, 4),\n",
        "    (\"::ffff:0:0\", 96, 100, 4),\n",
    );
    insta::assert_snapshot!(failed);
}
