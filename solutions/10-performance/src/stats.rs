//! Statistics: from thousands of latencies to a few honest numbers.
//!
//! **Why percentiles, not the average.** Latencies are never spread evenly:
//! most requests are fast, and a few are very slow (a context switch at the
//! wrong moment, a page fault, a retransmission). The average mixes both into
//! a number no request actually had, and hides the slow ones: 99 requests of
//! 1 ms and one of 1 s average to 11 ms, although 99 % took 1 ms and one user
//! waited a full second. A **percentile** says what a given share of requests
//! stayed under: p50 (the median) is the typical request, p99 is the one user
//! in a hundred who waits longest, and max is the worst that happened. A page
//! that makes 100 requests hits the p99 of each on almost every load.
//!
//! **Which percentile, exactly.** Several definitions exist (spreadsheets
//! interpolate between samples, for instance). This lab uses the
//! **nearest-rank** method, the one that always returns a latency that was
//! really measured:
//!
//! ```text
//! sorted samples s[1] ≤ s[2] ≤ … ≤ s[n]
//! the p-th percentile (0 < p ≤ 100) is s[⌈p × n / 100⌉]
//! the 0th percentile is s[1], the smallest; the 100th is s[n], the largest
//! ```
//!
//! With the 10 samples 1, 2, …, 10 ms: p50 is `s[5]` = 5 ms, p90 is `s[9]` =
//! 9 ms, p99 is `s[⌈9.9⌉]` = `s[10]` = 10 ms. With fewer than 100 samples, p99
//! is the maximum: there are not enough requests to say more.
//!
//! The rank is computed with integers: `p × n` then rounded up with
//! `div_ceil(100)`. With floating point, `0.07 × 100` is
//! `7.000000000000001`, whose ceiling is 8: one rank too far.

use std::time::Duration;

use crate::load::{ErrorCounts, LoadReport};

/// The nearest-rank `percent`-th percentile of `sorted` (sorted from the
/// smallest), or `None` when there are no samples.
///
/// For `percent` from 1 to 100, the sample of rank ⌈percent × n / 100⌉
/// (ranks count from 1); `percent` 0 is the smallest sample. Panics if
/// `percent` is over 100.
pub fn percentile(sorted: &[Duration], percent: u32) -> Option<Duration> {
    assert!(
        percent <= 100,
        "a percentile is from 0 to 100, not {percent}"
    );
    // BEGIN SOLUTION
    if sorted.is_empty() {
        return None;
    }
    let rank = (percent as usize * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
    // END SOLUTION
    // STUB: // TODO: the nearest-rank percentile, as the doc comment says. Think about: no samples
    // STUB: // at all (no panic); p0, which the rank formula would put at rank 0; p100; a rank that
    // STUB: // falls between two samples (p11 of 10 samples); ranks count from 1, indexes from 0;
    // STUB: // and why floating point gets p7 of 100 samples wrong. Work p50, p90 and p99 of 1..=10 ms
    // STUB: // out by hand first. Read this module's comment, and chapter 10, "Which percentile,
    // STUB: // exactly: nearest rank". Stuck? `cargo xtask hint 10`.
    // STUB: todo!()
}

/// The latency percentiles of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latency {
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Latency {
    /// The percentiles of `samples`, in any order; `None` when there are none.
    pub fn of(samples: &[Duration]) -> Option<Latency> {
        // BEGIN SOLUTION
        let mut sorted = samples.to_vec();
        sorted.sort_unstable();
        Some(Latency {
            p50: percentile(&sorted, 50)?,
            p90: percentile(&sorted, 90)?,
            p99: percentile(&sorted, 99)?,
            max: percentile(&sorted, 100)?,
        })
        // END SOLUTION
        // STUB: // TODO: the four figures of `Latency`, as the doc comment says, with `percentile`
        // STUB: // doing the arithmetic. Think about: the samples come in any order, and the
        // STUB: // caller's slice is only borrowed; no samples at all; the maximum is a percentile
        // STUB: // too. Read chapter 10, "Percentiles, not averages". Stuck? `cargo xtask hint 10`.
        // STUB: todo!()
    }
}

/// The figures of one run, ready for a table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Statistics {
    /// The connections the run had.
    pub connections: usize,
    /// The requests that completed (their whole echo came back, and matched).
    pub requests: u64,
    /// The bytes received back from the server.
    pub bytes: u64,
    pub errors: ErrorCounts,
    /// How long the run took.
    pub elapsed: Duration,
    /// `requests / elapsed`, see [`requests_per_second`].
    pub requests_per_second: f64,
    /// `None` when no request completed.
    pub latency: Option<Latency>,
}

impl Statistics {
    /// The statistics of a load generator's report.
    pub fn of(report: &LoadReport) -> Statistics {
        // BEGIN SOLUTION
        Statistics {
            connections: report.connections,
            requests: report.requests,
            bytes: report.bytes_received,
            errors: report.errors,
            elapsed: report.elapsed,
            requests_per_second: requests_per_second(report.requests, report.elapsed),
            latency: Latency::of(&report.latencies),
        }
        // END SOLUTION
        // STUB: // TODO: the figures of the report, as each field's doc comment says; the other
        // STUB: // functions of this module do the arithmetic. Think about: the report counts bytes
        // STUB: // both ways, and the table shows one of them; a run where no request completed, in
        // STUB: // no time at all (the test has one). Stuck? `cargo xtask hint 10`.
        // STUB: todo!()
    }
}

/// Completed requests per second of `elapsed` time; 0 when no time elapsed
/// (rather than infinity, or NaN for 0 / 0).
pub fn requests_per_second(requests: u64, elapsed: Duration) -> f64 {
    // BEGIN SOLUTION
    if elapsed.is_zero() {
        return 0.0;
    }
    requests as f64 / elapsed.as_secs_f64()
    // END SOLUTION
    // STUB: // TODO: the rate, as the doc comment says. Think about: a run that took no time at
    // STUB: // all (what do 0 / 0 and 5 / 0 give in floating point?); a `Duration` is not a number of
    // STUB: // seconds until you ask it for one, with its fractions. Read `std::time::Duration` in the
    // STUB: // std docs. Stuck? `cargo xtask hint 10`.
    // STUB: todo!()
}
