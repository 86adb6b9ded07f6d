//! Lab 10 (concurrency models and performance) graded with the mistakes students make in a
//! load generator and its statistics: each one must cost the tests that are about it, and not
//! the whole lab.

mod support;

/// Checks that every test in `certain` failed, and that the others that failed are among
/// `possible`; returns the certain lines, to snapshot.
fn caught(failed: &str, certain: &[&str], possible: &[&str]) -> String {
    let lines: Vec<&str> = failed.lines().skip(1).collect();
    let name = |line: &&str| {
        line.strip_prefix("10-performance/")
            .and_then(|rest| rest.rsplit_once(": "))
            .map(|(test, _)| test.to_string())
            .unwrap_or_else(|| line.to_string())
    };
    for test in certain {
        assert!(
            lines.iter().any(|line| name(line) == *test),
            "{test} should have failed:\n{failed}"
        );
    }
    for line in &lines {
        let test = name(line);
        assert!(
            certain.contains(&test.as_str()) || possible.contains(&test.as_str()),
            "{test} failed, which this mistake should not cause:\n{failed}"
        );
    }
    let mut certain_lines: Vec<&str> = lines
        .into_iter()
        .filter(|line| certain.contains(&name(line).as_str()))
        .collect();
    certain_lines.sort();
    certain_lines.join("\n")
}

#[test]
fn lab_10_catches_a_percentile_rank_computed_in_floating_point() {
    let failed = support::grade_wrong_solution(
        "10-performance",
        "stats.rs",
        "let rank = (percent as usize * sorted.len()).div_ceil(100).max(1);",
        "let rank = ((percent as f64 / 100.0 * sorted.len() as f64).ceil() as usize).max(1);",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_10_catches_an_echo_read_with_a_single_read() {
    let failed = support::grade_wrong_solution(
        "10-performance",
        "load.rs",
        "    while filled < echo.len() {",
        "    if filled < echo.len() {",
    );
    // A 64-byte echo nearly always arrives in one read on loopback; a 200 000-byte one, or
    // one sent in two halves, never does.
    let certain = caught(
        &failed,
        &[
            "load::waits_for_the_whole_echo_of_a_large_message",
            "load::measures_latency_from_send_to_the_last_byte",
        ],
        &[
            "load::counts_agree_with_the_server_exactly",
            "load::keeps_n_connections_open_at_once",
            "load::stops_at_the_request_limit",
            "load::verifies_every_echoed_byte",
            "load::counts_connections_the_server_drops",
            "load::tokio_with_50_connections",
            "program::compares_the_three_models",
        ],
    );
    insta::assert_snapshot!(certain);
}

#[test]
fn lab_10_catches_connections_run_one_after_the_other() {
    let failed = support::grade_wrong_solution(
        "10-performance",
        "load.rs",
        "        connections.spawn(run_connection(
            number,
            *config,
            deadline,
            Arc::clone(&budget),
        ));",
        "        let outcome = run_connection(number, *config, deadline, Arc::clone(&budget)).await;
        connections.spawn(async move { outcome });",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_10_catches_a_request_without_a_timeout() {
    let failed = support::grade_wrong_solution(
        "10-performance",
        "load.rs",
        "        let exchanged = timeout(
            config.request_timeout,
            exchange(&mut stream, &sent, &mut echo, &mut outcome),
        )
        .await;",
        "        let exchanged: Result<_, tokio::time::error::Elapsed> =
            Ok(exchange(&mut stream, &sent, &mut echo, &mut outcome).await);",
    );
    insta::assert_snapshot!(failed);
}
