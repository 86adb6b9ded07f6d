//! The comparison report: the models side by side, in a text table.
//!
//! ```text
//! model                  connections  requests  req/s  p50      p90      p99      max       errors  vs first
//! thread-per-connection           50     81234  40583  1.05 ms  2.31 ms  4.10 ms  12.60 ms       0     1.00×
//! mio event loop                  50    101456  50697  0.93 ms  1.32 ms  2.05 ms  9.77 ms        0     1.25×
//! tokio                           50     97003  48462  0.97 ms  1.52 ms  2.66 ms  10.02 ms       0     1.19×
//! ```
//!
//! The last column compares each row's requests per second with the first
//! row's: a ratio is what survives moving to another machine, where every
//! absolute figure changes. Put the baseline first.
//!
//! You write the whole table: the format of each kind of cell ([`format_rate`],
//! [`format_latency`], [`format_ratio`]), the layout ([`render_table`]), and
//! what goes in each cell ([`comparison_table`]). Only [`machine_lines`], for
//! programs, is given.

use std::time::Duration;

use crate::compare::ModelResult;
use crate::stats::Statistics;

/// The table's header: one cell per column, in order.
pub const HEADER: [&str; 10] = [
    "model",
    "connections",
    "requests",
    "req/s",
    "p50",
    "p90",
    "p99",
    "max",
    "errors",
    "vs first",
];

/// The comparison table: [`HEADER`], then one row per result, in the order given.
///
/// A row's cells: the result's `name`; its connections, requests (plain
/// numbers); its requests per second ([`format_rate`]); its latency p50, p90,
/// p99 and max ([`format_latency`], which shows `-` when no request
/// completed); its total number of errors; and its requests per second divided
/// by the *first* result's ([`format_ratio`], which shows `-` when the first
/// result had none). Laid out by [`render_table`]. No results: the header alone.
pub fn comparison_table(results: &[ModelResult]) -> String {
    // TODO: the table, as the doc comment says; how you build one row is yours to design
    // (a private helper keeps this function short). Think about: the header is a row like
    // the others; every row is compared with the *first* result, and with no results there
    // is nothing to compare with; a result where no request completed has no latency; the
    // errors column is one number, all reasons together. The cells' formats and the layout
    // are the functions below: use them. Stuck? `cargo xtask hint 10`.
    todo!()
}

/// Requests per second, rounded to a whole number: `40583`.
pub fn format_rate(per_second: f64) -> String {
    // TODO: the rate as the doc comment shows it. Think about: 48477.3 and 48477.7 (the
    // nearest whole number, not the part before the point), and 0. Read "Precision" in the
    // std docs of `std::fmt`. Stuck? `cargo xtask hint 10`.
    todo!()
}

/// A latency: `850 µs` under a millisecond (whole microseconds, rounded
/// down), `1.05 ms` under a second, `1.20 s` from a second up; `-` for none.
pub fn format_latency(latency: Option<Duration>) -> String {
    // TODO: the latency as the doc comment shows it. Think about: no latency at all; the
    // boundaries (999 µs, exactly 1 ms, exactly 1 s: which unit each?); 999.9 µs is rounded
    // down, but milliseconds and seconds have two decimals; the space before the unit.
    // Read `std::time::Duration` in the std docs. Stuck? `cargo xtask hint 10`.
    todo!()
}

/// `value / baseline` with two decimals and a `×`: `1.25×`; `-` when the baseline is 0.
pub fn format_ratio(value: f64, baseline: f64) -> String {
    // TODO: the ratio as the doc comment shows it. Think about: a baseline of 0 (a first
    // row where no request completed: what would the division give?); a value of 0 with a
    // good baseline is a real ratio. Stuck? `cargo xtask hint 10`.
    todo!()
}

/// Lays out rows of cells as a table: each column as wide as its widest cell,
/// two spaces between columns, the first column aligned left and the others
/// right (numbers line up), no space at the end of a line.
pub fn render_table(rows: &[Vec<String>]) -> String {
    // TODO: lay the rows out, as the doc comment says: every line ends with a newline, and
    // no rows is no text. Think about: a column's width comes from every row, so look at all
    // of them before you write any; width is what a reader sees: `µ` and `×` are one
    // character each but two bytes; a left-aligned cell at the end of a line would leave
    // spaces behind it. Read "Width" and "Fill / Alignment" in the std docs of `std::fmt`.
    // Stuck? `cargo xtask hint 10`.
    todo!()
}

/// One line per result for programs (`loadgen --format lines`): `key=value`
/// pairs separated by spaces, latencies in nanoseconds, and the server's
/// counters when it was one of ours. The model's name has its spaces turned
/// into dashes.
pub fn machine_lines(results: &[ModelResult]) -> String {
    let mut text = String::new();
    for result in results {
        let statistics = &result.statistics;
        let report = &result.report;
        let mut fields = vec![
            format!("model={}", result.name.replace(' ', "-")),
            format!("connections={}", statistics.connections),
            format!("requests={}", statistics.requests),
            format!("errors={}", statistics.errors.total()),
            format!("bytes_sent={}", report.bytes_sent),
            format!("bytes_received={}", report.bytes_received),
            format!("elapsed_ns={}", statistics.elapsed.as_nanos()),
            format!("rps={:.1}", statistics.requests_per_second),
        ];
        if let Some(latency) = statistics.latency {
            fields.push(format!("p50_ns={}", latency.p50.as_nanos()));
            fields.push(format!("p90_ns={}", latency.p90.as_nanos()));
            fields.push(format!("p99_ns={}", latency.p99.as_nanos()));
            fields.push(format!("max_ns={}", latency.max.as_nanos()));
        }
        if let Some(server) = &result.server {
            fields.push(format!("server_connections={}", server.connections));
            fields.push(format!(
                "server_peak_connections={}",
                server.peak_connections
            ));
            fields.push(format!("server_bytes_read={}", server.bytes_read));
            fields.push(format!("server_bytes_written={}", server.bytes_written));
        }
        text.push_str(&fields.join(" "));
        text.push('\n');
    }
    text
}
