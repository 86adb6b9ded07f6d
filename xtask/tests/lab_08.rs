mod support;

// Lab 08's tests against the mistakes students make: each fixture is the reference solution with
// one plausible bug, graded through the real pipeline. The tests must catch it, and it must cost
// some points but not all.

#[test]
fn lab_08_catches_a_timeout_taken_for_a_refusal() {
    let failed = support::grade_wrong_solution(
        "08-troubleshooting",
        "probe.rs",
        "        Err(_elapsed) => Verdict::Filtered,",
        "        Err(_elapsed) => Verdict::Refused,",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_08_catches_every_connect_error_taken_for_silence() {
    let failed = support::grade_wrong_solution(
        "08-troubleshooting",
        "probe.rs",
        "        Ok(Err(error)) => classify(&error),",
        "        Ok(Err(_error)) => Verdict::Filtered,",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_08_catches_a_scan_with_unbounded_concurrency() {
    let failed = support::grade_wrong_solution(
        "08-troubleshooting",
        "scan.rs",
        "    let mut probes: Vec<Probe> = stream::iter(targets)\n        .map(probe)\n        .buffer_unordered(max_in_flight.get())\n        .collect()\n        .await;",
        "    let mut probes: Vec<Probe> = futures_util::future::join_all(targets.into_iter().map(probe)).await;",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_08_catches_in_use_without_its_holder() {
    let failed = support::grade_wrong_solution(
        "08-troubleshooting",
        "listen.rs",
        "            holder: who_holds(address),",
        "            holder: None,",
    );
    insta::assert_snapshot!(failed);
}
