//! Lab 06 (an echo server with mio) graded with the mistakes students make on a hand-written
//! event loop: each one must cost the tests that are about it, and not the whole lab.
//!
//! Some mistakes show in a timing-dependent way in the tests with many clients, so those
//! fixtures check which tests *must* fail and which *may*, and snapshot the certain part.

mod support;

/// Checks that every test in `certain` failed, and that the others that failed are among
/// `possible`; returns the certain lines, to snapshot.
fn caught(failed: &str, certain: &[&str], possible: &[&str]) -> String {
    let lines: Vec<&str> = failed.lines().skip(1).collect();
    let name = |line: &&str| {
        line.strip_prefix("06-echo-mio/")
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
fn lab_06_catches_an_accept_that_takes_one_client_per_event() {
    let failed = support::grade_wrong_solution(
        "06-echo-mio",
        "server.rs",
        "        while self.has_free_slot() {",
        "        if self.has_free_slot() {",
    );
    // The 300 clients connect at their own pace: how many share one event depends on timing.
    let certain = caught(
        &failed,
        &["server::accepts_every_client_of_a_burst"],
        &["server::echoes_300_clients_at_once"],
    );
    insta::assert_snapshot!(certain);
}

#[test]
fn lab_06_catches_a_write_whose_count_is_ignored() {
    let failed = support::grade_wrong_solution(
        "06-echo-mio",
        "outbox.rs",
        "self.bytes.drain(..count);",
        "self.bytes.clear();",
    );
    // On a real socket, a write is partial only when the buffers are full: the tests with a
    // client that reads late almost always see it, the others only by chance.
    let certain = caught(
        &failed,
        &[
            "outbox::keeps_what_a_short_write_did_not_take",
            "connection::asks_for_writable_only_while_output_is_pending",
            "connection::finishes_after_the_end_of_the_stream",
        ],
        &[
            "server::echoes_8_mib_to_a_slow_reader",
            "server::sleeps_while_nothing_happens",
            "server::echoes_300_clients_at_once",
            "program::serves_nc_then_stops_on_ctrl_c",
        ],
    );
    insta::assert_snapshot!(certain);
}

#[test]
fn lab_06_catches_a_token_that_is_a_count_instead_of_the_slab_key() {
    let failed = support::grade_wrong_solution(
        "06-echo-mio",
        "server.rs",
        "Token(self.clients.vacant_key())",
        "Token(self.clients.len())",
    );
    // Whether two of the 300 clients end up sharing a token depends on who leaves when.
    let certain = caught(
        &failed,
        &[
            "server::keeps_each_client_on_its_own_token",
            "server::makes_extra_clients_wait_for_a_free_slot",
        ],
        &["server::echoes_300_clients_at_once"],
    );
    insta::assert_snapshot!(certain);
}

#[test]
fn lab_06_catches_connections_of_vanished_clients_left_in_the_slab() {
    let failed = support::grade_wrong_solution(
        "06-echo-mio",
        "server.rs",
        "        if let Err(error) = client.connection.on_ready() {
            self.close(token, Err(error));
            return true;
        }",
        "        if let Err(error) = client.connection.on_ready() {
            eprintln!(\"{}: {error}\", client.peer);
            return false;
        }",
    );
    insta::assert_snapshot!(failed);
}
