//! Graded tests for `src/stats.rs`: nearest-rank percentiles and the statistics
//! of a run, on fixed inputs. No network, no clock: the same numbers every time.

use std::fmt::Write;
use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use lab10_performance::load::{ErrorCounts, LoadReport};
use lab10_performance::stats::{Latency, Statistics, percentile};

fn ms(values: impl IntoIterator<Item = u64>) -> Vec<Duration> {
    values.into_iter().map(Duration::from_millis).collect()
}

/// `p50 = Some(5ms)`-style lines for each percent.
fn percentile_lines(title: &str, sorted: &[Duration], percents: &[u32]) -> String {
    let mut text = format!("{title}\n");
    for &percent in percents {
        writeln!(text, "  p{percent:<3} = {:?}", percentile(sorted, percent)).unwrap();
    }
    text
}

#[test]
fn percentiles_by_nearest_rank() {
    let ten = ms(1..=10);
    let hundred = ms(1..=100);
    let mut text = percentile_lines(
        "10 samples: 1 ms, 2 ms, …, 10 ms",
        &ten,
        &[0, 1, 10, 11, 25, 50, 90, 99, 100],
    );
    text += &percentile_lines(
        "100 samples: 1 ms, 2 ms, …, 100 ms",
        &hundred,
        &[0, 1, 7, 25, 50, 90, 99, 100],
    );
    text += &percentile_lines(
        "1000 samples: 1 ms, 2 ms, …, 1000 ms",
        &ms(1..=1000),
        &[1, 7, 50, 99, 100],
    );
    with_settings!({
        description => "Nearest rank: the p-th percentile of n sorted samples is the sample of rank ⌈p × n / 100⌉ (ranks from 1); p0 is the smallest. Computed with integers: p × n, then div_ceil(100).",
    }, {
        assert_snapshot!(text);
    });
}

#[test]
fn percentiles_of_one_sample_all_equal_and_none() {
    let percents = [0, 1, 50, 90, 99, 100];
    let mut text = percentile_lines("no samples at all", &[], &percents);
    text += &percentile_lines("one sample: 7 ms", &ms([7]), &percents);
    text += &percentile_lines("five samples, all 3 ms", &ms([3; 5]), &percents);
    text += &percentile_lines("two samples: 1 ms, 2 ms", &ms([1, 2]), &[49, 50, 51, 100]);
    text += &percentile_lines(
        "three samples: 10 ms, 20 ms, 1000 ms",
        &ms([10, 20, 1000]),
        &[33, 34, 66, 67, 100],
    );
    writeln!(text, "Latency::of(no samples) = {:?}", Latency::of(&[])).unwrap();
    writeln!(
        text,
        "Latency::of(30 ms, 10 ms, 20 ms), in that order = {:?}",
        Latency::of(&ms([30, 10, 20]))
    )
    .unwrap();
    with_settings!({
        description => "The edge cases: no samples (None, not a panic), one sample (every percentile is it), all equal, p100 (the maximum). Latency::of sorts its samples first.",
    }, {
        assert_snapshot!(text);
    });
}

#[test]
fn summarizes_a_fixed_run() {
    // 40 requests in 1.6 s: 36 of 1 ms to 9 ms (four each), then 10, 20, 50 and 400 ms.
    let mut latencies: Vec<Duration> = (1..=9).flat_map(|value| ms([value; 4])).collect();
    latencies.extend(ms([10, 20, 50, 400]));
    latencies.reverse(); // the latencies come in no particular order
    let report = LoadReport {
        connections: 4,
        requests: 40,
        bytes_sent: 40 * 64,
        bytes_received: 40 * 64,
        latencies,
        errors: ErrorCounts {
            timeout: 1,
            closed: 2,
            ..ErrorCounts::default()
        },
        elapsed: Duration::from_millis(1600),
    };
    let mut text = format!(
        "a run: 4 connections, 40 requests of 64 bytes in 1.6 s, 1 timeout and 2 closed\n{:#?}\n",
        Statistics::of(&report)
    );
    let nothing = LoadReport {
        connections: 3,
        errors: ErrorCounts {
            connect: 3,
            ..ErrorCounts::default()
        },
        ..LoadReport::default()
    };
    writeln!(
        text,
        "a run where no connection could connect, in no time at all:\n{:#?}",
        Statistics::of(&nothing)
    )
    .unwrap();
    with_settings!({
        description => "Statistics of a fixed report: requests per second = requests / elapsed seconds (0 when no time elapsed, never NaN or infinity), percentiles of the latencies in any order, and no latency at all when no request completed.",
    }, {
        assert_snapshot!(text);
    });
}
