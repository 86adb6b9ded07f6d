//! Graded test for `src/report.rs`: the comparison table, on fixed results.

use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use lab10_performance::compare::ModelResult;
use lab10_performance::load::{ErrorCounts, LoadReport};
use lab10_performance::report::comparison_table;
use lab10_performance::stats::{Latency, Statistics};

fn micros(value: u64) -> Duration {
    Duration::from_micros(value)
}

fn result(
    name: &str,
    requests: u64,
    seconds: f64,
    latency: Option<[u64; 4]>,
    errors: u64,
) -> ModelResult {
    let elapsed = Duration::from_secs_f64(seconds);
    let statistics = Statistics {
        connections: 50,
        requests,
        bytes: requests * 64,
        errors: ErrorCounts {
            timeout: errors,
            ..ErrorCounts::default()
        },
        elapsed,
        requests_per_second: requests as f64 / seconds,
        latency: latency.map(|[p50, p90, p99, max]| Latency {
            p50: micros(p50),
            p90: micros(p90),
            p99: micros(p99),
            max: micros(max),
        }),
    };
    ModelResult {
        name: name.to_string(),
        report: LoadReport::default(),
        statistics,
        server: None,
    }
}

#[test]
fn compares_the_models_side_by_side() {
    let three = [
        result(
            "thread-per-connection",
            81_234,
            2.0,
            Some([1_050, 2_310, 4_100, 12_600]),
            0,
        ),
        result(
            "mio event loop",
            101_456,
            2.0,
            Some([930, 1_320, 2_050, 9_770]),
            0,
        ),
        result(
            "tokio",
            97_003,
            2.001,
            Some([970, 1_520, 2_660, 1_002_000]),
            3,
        ),
    ];
    let mut text = String::from("three models, thread-per-connection first:\n");
    text += &comparison_table(&three);
    let failing_first = [
        result("broken server", 0, 1.5, None, 50),
        result("tokio", 1_000, 1.0, Some([999, 1_000, 1_001, 2_500]), 0),
    ];
    text += "\na first row with no request completed (nothing to compare with):\n";
    text += &comparison_table(&failing_first);
    text += "\nno results:\n";
    text += &comparison_table(&[]);
    with_settings!({
        description => "The comparison table: a header, then one row per model in the order given; latencies with format_latency (`-` for none), errors as a total, and each row's req/s divided by the first row's (`-` when the first has none), laid out by render_table.",
    }, {
        assert_snapshot!(text);
    });
}
