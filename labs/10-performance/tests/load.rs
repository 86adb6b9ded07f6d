//! Graded tests for `src/load.rs`: the load generator against the lab's three
//! servers (whose counters are the witness) and against servers that misbehave
//! on purpose. Nothing here depends on how fast the machine is: the checks are
//! about counts, bytes and time *bounds*, with generous margins.

mod support;

use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use lab10_performance::load::{LoadConfig, LoadReport};
use lab10_performance::servers::{Model, ServerStats};
use lab10_performance::stats::Statistics;

use support::checks::Checks;
use support::misbehaving::{Behaviour, MisbehavingServer};
use support::{Run, run_bounded, small_load, stop};

/// The setup lines of a snapshot.
fn setup(config: &LoadConfig, against: &str) -> Vec<String> {
    let limit = match config.max_requests {
        Some(max) => format!(", at most {max} requests"),
        None => String::new(),
    };
    vec![format!(
        "{} connections × {}-byte messages for {:?}{limit} (request timeout {:?}), against {against}",
        config.connections, config.message_size, config.duration, config.request_timeout,
    )]
}

/// Starts one of the lab's servers, runs `config` against it, stops it.
async fn against_model(model: Model, config: LoadConfig) -> (LoadConfig, Run, ServerStats) {
    let server = model
        .start()
        .expect("the lab's server starts (not your code's fault)");
    let config = LoadConfig {
        target: server.address(),
        ..config
    };
    let run = run_bounded(&config).await;
    let server = stop(server).await;
    (config, run, server)
}

/// The checks every run against a well-behaved server must pass: no errors, and the
/// load generator's counts equal to the server's, to the byte.
fn check_counts(
    checks: &mut Checks,
    config: &LoadConfig,
    report: &LoadReport,
    server: &ServerStats,
) {
    let size = config.message_size as u64;
    checks.expect(report.errors.total() == 0, "no request failed", || {
        format!(
            "the report counts these errors: {}. The server echoes everything: is each request \
             waiting for the whole echo (read until the buffer is full, not one read)?",
            report.errors
        )
    });
    checks.expect(report.requests > 0, "some requests completed", || {
        "the report counts 0 requests: count each request whose whole echo came back and matched."
            .to_string()
    });
    checks.equal(
        "connections in the report = connections configured",
        report.connections as u64,
        config.connections as u64,
        "The report counts the connections of the run, failed ones included.",
    );
    checks.equal(
        "bytes sent by the load generator = bytes the server read",
        report.bytes_sent,
        server.bytes_read,
        "Add the message's length to bytes_sent once write_all has sent it.",
    );
    checks.equal(
        "bytes received by the load generator = bytes the server wrote",
        report.bytes_received,
        server.bytes_written,
        "Add each read's count to bytes_received as the echo arrives.",
    );
    checks.equal(
        &format!("bytes received = requests × {size}"),
        report.bytes_received,
        report.requests * size,
        "With no errors, every request received exactly one message's worth of bytes.",
    );
    checks.equal(
        "one latency per request",
        report.latencies.len() as u64,
        report.requests,
        "Push one latency for each request you count, and none for a failed one.",
    );
}

/// Checks the report's elapsed time against the test's own measure of the run.
fn check_elapsed(checks: &mut Checks, config: &LoadConfig, run: &Run, lasts_its_duration: bool) {
    let elapsed = run.report.elapsed;
    checks.expect(
        elapsed <= run.wall_time,
        "the report's elapsed time is no longer than the run took",
        || {
            format!(
                "the report says {elapsed:?}, but run_load returned after {:?}. Measure from the \
                 start of run_load to the end of its last connection.",
                run.wall_time
            )
        },
    );
    if lasts_its_duration {
        checks.expect(
            elapsed >= config.duration,
            "the run lasted at least its duration",
            || {
                format!(
                    "the report says {elapsed:?}, for a run of {:?} with no request limit. Keep \
                     starting requests until the deadline (start + duration), and measure the \
                     elapsed time from the start of run_load until every connection has ended.",
                    config.duration
                )
            },
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_agree_with_the_server_exactly() {
    let config = small_load(support::placeholder());
    let (config, run, server) = against_model(Model::ThreadPerConnection, config).await;
    let mut checks = Checks::new(&setup(&config, "the thread-per-connection server"));
    check_counts(&mut checks, &config, &run.report, &server);
    check_elapsed(&mut checks, &config, &run, true);
    with_settings!({
        description => "The server's own counters are the witness: every byte the load generator says it sent, the server read, and every byte it says it received, the server wrote.",
    }, {
        assert_snapshot!(checks.verdict());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keeps_n_connections_open_at_once() {
    let config = small_load(support::placeholder());
    let (config, run, server) = against_model(Model::MioEventLoop, config).await;
    let n = config.connections as u64;
    let mut checks = Checks::new(&setup(&config, "the mio event-loop server"));
    checks.equal(
        "the server accepted N connections: one per connection, not one per request",
        server.connections,
        n,
        "Each connection connects once, then sends its requests one after the other on the \
         same stream.",
    );
    checks.equal(
        "the server had N connections open at the same time",
        server.peak_connections,
        n,
        "Run the connections at the same time: spawn each run_connection as a task (a \
         JoinSet), and only then wait for them; awaiting each in turn runs them one by one.",
    );
    checks.equal(
        "no request failed",
        run.report.errors.total(),
        0,
        "The server echoes everything.",
    );
    with_settings!({
        description => "Concurrency N means N connections open at once, each with one request in flight: the server counts how many it had open at the same time.",
    }, {
        assert_snapshot!(checks.verdict());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_at_the_request_limit() {
    let config = LoadConfig {
        connections: 10,
        max_requests: Some(1000),
        duration: Duration::from_secs(20),
        ..small_load(support::placeholder())
    };
    let (config, run, server) = against_model(Model::Tokio, config).await;
    let mut checks = Checks::new(&setup(&config, "the tokio server"));
    checks.equal(
        "exactly 1000 requests",
        run.report.requests,
        1000,
        "Take one request from the shared RequestBudget before each request, and stop the \
         connection when take() says false. take() must decrement atomically (fetch_update), \
         or two connections can both take the last one.",
    );
    check_counts(&mut checks, &config, &run.report, &server);
    checks.expect(
        run.wall_time < Duration::from_secs(15),
        "the run stopped when the budget was spent, long before its 20 s",
        || {
            format!(
                "run_load took {:?}: once the budget is spent, each connection stops.",
                run.wall_time
            )
        },
    );
    with_settings!({
        description => "A run is bounded in count as well as in time: with a budget of 1000 requests over 10 connections, exactly 1000 are made, then the run ends.",
    }, {
        assert_snapshot!(checks.verdict());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waits_for_the_whole_echo_of_a_large_message() {
    let config = LoadConfig {
        connections: 4,
        message_size: 200_000,
        max_requests: Some(40),
        duration: Duration::from_secs(20),
        ..small_load(support::placeholder())
    };
    let (config, run, server) = against_model(Model::ThreadPerConnection, config).await;
    let mut checks = Checks::new(&setup(&config, "the thread-per-connection server"));
    checks.equal("exactly 40 requests", run.report.requests, 40, "");
    check_counts(&mut checks, &config, &run.report, &server);
    with_settings!({
        description => "A 200 000-byte echo comes back in many reads (TCP is a stream of bytes): each request must read until its whole echo is there before it compares and counts.",
    }, {
        assert_snapshot!(checks.verdict());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn measures_latency_from_send_to_the_last_byte() {
    let delay = Duration::from_millis(40);
    let server = MisbehavingServer::start(Behaviour::SlowSecondHalf(delay), 64);
    let config = LoadConfig {
        connections: 2,
        max_requests: Some(10),
        duration: Duration::from_secs(20),
        ..small_load(server.address)
    };
    let run = run_bounded(&config).await;
    let report = &run.report;
    let mut checks = Checks::new(&setup(
        &config,
        "a server that sends the first half of each echo at once, the second half 40 ms later",
    ));
    checks.equal("exactly 10 requests", report.requests, 10, "");
    checks.equal(
        "no request failed",
        report.errors.total(),
        0,
        "The second half of each echo comes 40 ms after the first: read until the whole echo \
         is there.",
    );
    checks.equal(
        "one latency per request",
        report.latencies.len() as u64,
        report.requests,
        "",
    );
    let shortest = report.latencies.iter().min().copied().unwrap_or_default();
    checks.expect(
        !report.latencies.is_empty() && shortest >= delay,
        "every latency is at least 40 ms: from the write to the last byte of the echo",
        || {
            format!(
                "the shortest latency is {shortest:?}. Take Instant::now() just before writing the \
                 message, and elapsed() after the last byte of the echo arrived, not after the \
                 first read."
            )
        },
    );
    let longest = report.latencies.iter().max().copied().unwrap_or_default();
    checks.expect(
        longest < run.wall_time,
        "no latency is longer than the whole run",
        || {
            format!(
                "a latency of {longest:?}, in a run of {:?}: measure each request on its own.",
                run.wall_time
            )
        },
    );
    with_settings!({
        description => "A request's latency runs from just before its message is written to the arrival of the last byte of its echo.",
    }, {
        assert_snapshot!(checks.verdict());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_on_time_when_the_server_never_answers() {
    let server = MisbehavingServer::start(Behaviour::Silent, 64);
    let config = LoadConfig {
        connections: 10,
        duration: Duration::from_millis(500),
        request_timeout: Duration::from_secs(1),
        ..small_load(server.address)
    };
    let run = run_bounded(&config).await;
    let report = &run.report;
    let mut checks = Checks::new(&setup(&config, "a server that reads and never answers"));
    checks.note(format!(
        "run_load returned within duration + request timeout + {} s of margin",
        support::MARGIN.as_secs()
    ));
    checks.equal("0 requests completed", report.requests, 0, "");
    checks.equal(
        "10 requests timed out, one per connection",
        report.errors.timeout,
        10,
        "When a request's whole echo does not come back within config.request_timeout, record \
         RequestError::Timeout and end that connection.",
    );
    checks.equal(
        "no other error",
        report.errors.total() - report.errors.timeout,
        0,
        "",
    );
    checks.equal(
        "10 connections in the report",
        report.connections as u64,
        10,
        "",
    );
    checks.equal("the server saw 10 connections", server.accepted(), 10, "");
    check_elapsed(&mut checks, &config, &run, true);
    with_settings!({
        description => "A request in flight at the deadline may finish, but never wait longer than its timeout: whatever the server does, a run takes at most duration + request_timeout, and every request that got no answer is counted as timed out.",
    }, {
        assert_snapshot!(checks.verdict());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verifies_every_echoed_byte() {
    let server = MisbehavingServer::start(Behaviour::CorruptMessage(2), 64);
    let config = LoadConfig {
        duration: Duration::from_secs(10),
        ..small_load(server.address)
    };
    let run = run_bounded(&config).await;
    let report = &run.report;
    let mut checks = Checks::new(&setup(
        &config,
        "a server that changes one byte of the third echo of each connection",
    ));
    checks.equal(
        "20 wrong echoes, one per connection",
        report.errors.mismatch,
        20,
        "Compare the whole echo with the message you sent; when they differ, record \
         RequestError::Mismatch and end the connection.",
    );
    checks.equal(
        "40 requests completed: the first two of each connection",
        report.requests,
        40,
        "Count a request only once its echo matched the message, and end the connection at \
         its first error.",
    );
    checks.equal(
        "no other error",
        report.errors.total() - report.errors.mismatch,
        0,
        "",
    );
    checks.equal(
        "bytes received: 3 whole echoes per connection",
        report.bytes_received,
        20 * 3 * 64,
        "The wrong echo's bytes were received too: count every byte read.",
    );
    with_settings!({
        description => "Every echoed byte is compared with the message sent; an echo that differs is an error, counted, and not a completed request.",
    }, {
        assert_snapshot!(checks.verdict());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_connections_the_server_drops() {
    let server = MisbehavingServer::start(Behaviour::CloseAfter(3), 64);
    let config = LoadConfig {
        duration: Duration::from_secs(10),
        ..small_load(server.address)
    };
    let dropping = run_bounded(&config).await;
    let report = &dropping.report;
    let mut checks = Checks::new(&setup(
        &config,
        "a server that closes each connection when its fourth message arrives",
    ));
    checks.equal(
        "60 requests completed: the first three of each connection",
        report.requests,
        60,
        "",
    );
    checks.equal(
        "20 requests ended by the server closing the connection",
        report.errors.closed,
        20,
        "A read of 0 bytes before the whole echo arrived means the server closed the \
         connection: return RequestError::Closed, record it, end the connection (do not retry \
         the read: it would return 0 for ever).",
    );
    checks.equal(
        "no other error",
        report.errors.total() - report.errors.closed,
        0,
        "",
    );

    let nobody = support::closed_port();
    let refused_config = LoadConfig {
        connections: 5,
        ..small_load(nobody)
    };
    let refused = run_bounded(&refused_config).await;
    checks.note(format!(
        "then {} connections to a port where nobody listens",
        refused_config.connections
    ));
    checks.equal(
        "5 connections that could not connect",
        refused.report.errors.connect,
        5,
        "A failed connect (refused, or timed out) is RequestError::Connect: record it in the \
         connection's outcome and return.",
    );
    checks.equal("0 requests", refused.report.requests, 0, "");
    checks.equal(
        "5 connections in the report",
        refused.report.connections as u64,
        5,
        "",
    );
    with_settings!({
        description => "Errors are counted, never hidden: a connection the server closes mid-run, or one that cannot even connect, is an error in the report.",
    }, {
        assert_snapshot!(checks.verdict());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_with_50_connections() {
    let config = LoadConfig {
        connections: 50,
        duration: Duration::from_secs(1),
        ..small_load(support::placeholder())
    };
    let (config, run, server) = against_model(Model::Tokio, config).await;
    let mut checks = Checks::new(&setup(&config, "the tokio server"));
    check_counts(&mut checks, &config, &run.report, &server);
    check_elapsed(&mut checks, &config, &run, true);
    checks.equal(
        "the server had 50 connections open at the same time",
        server.peak_connections,
        50,
        "Spawn every connection's task before waiting for any of them.",
    );
    with_settings!({
        description => "The measurement behind the leaderboard: 50 connections against the tokio server for 1 s, every count checked against the server's.",
    }, {
        assert_snapshot!(checks.verdict());
    });
    // Only a measurement that passed every check gets on the leaderboard.
    let statistics = Statistics::of(&run.report);
    println!(
        "leaderboard: req/s (tokio, 50 connections) = {:.1}",
        statistics.requests_per_second
    );
}
