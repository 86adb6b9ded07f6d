//! Lab 05 (addresses) graded with realistic mistakes: each one must cost some points, not all,
//! and the snapshot records which tests caught it.

mod support;

const LAB: &str = "05-addresses";

#[test]
fn lab_05_catches_a_lookup_that_takes_the_first_match_instead_of_the_longest_prefix() {
    // The registry lists 192.0.0.0/24 before 192.0.0.9/32: the first match is the wrong one.
    let failed = support::grade_wrong_solution(
        LAB,
        "registry.rs",
        "    matching_entries(ip).last().copied()\n",
        "    registry_for(ip)\n        .iter()\n        .find(|entry| entry.in_force() && entry.prefix().contains(ip))\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_05_catches_is_loopback_from_the_standard_library_without_canonicalising() {
    // Ipv6Addr::is_loopback only knows ::1, so ::ffff:127.0.0.1 is not loopback for it.
    let failed = support::grade_wrong_solution(
        LAB,
        "classify.rs",
        "    classify(ip).kind == Kind::Loopback\n",
        "    ip.is_loopback()\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_05_catches_a_parser_that_accepts_leading_zeros() {
    // "010.0.0.1" becomes 10.0.0.1 here, but 8.0.0.1 for inet_aton.
    let failed = support::grade_wrong_solution(
        LAB,
        "parse.rs",
        "    if part.len() > 1 && part.starts_with('0') {\n        return Err(AddressError::LeadingZero(part.to_string()));\n    }\n",
        "",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_05_catches_a_mask_that_overflows_at_length_0() {
    // `u32::MAX << 32` overflows: /0 panics, every other length works.
    let failed = support::grade_wrong_solution(
        LAB,
        "prefix.rs",
        "    u32::MAX.checked_shl(32 - u32::from(length)).unwrap_or(0)\n",
        "    u32::MAX << (32 - u32::from(length))\n",
    );
    insta::assert_snapshot!(failed);
}
