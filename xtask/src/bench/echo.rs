//! `cargo xtask bench echo`: lab 10's three echo server models side by side, measured by the
//! lab's own load generator.
//!
//! It builds the reference solution of lab 10 in release mode — a copy of the workspace with
//! `solutions/10-performance/src` in `labs/10-performance/src`, like the solutions workspace of
//! `bench grade` — and runs its program once, `loadgen --model all --format lines`, which loads
//! the thread-per-connection server, then the mio event loop, then tokio, one after the other on
//! 127.0.0.1, with the same connections, message size and duration. Each model's requests per
//! second and latency p50/p99 are shown with its ratio to the thread-per-connection baseline.
//!
//! Like every figure of `cargo xtask bench`, these depend on the machine: the ratios travel
//! better than the absolute numbers, and nothing asserts them. What *is* checked is the
//! measurement itself: a model whose run had errors, or whose server counted other bytes than
//! the load generator, is reported under the table.

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::corpus;
use super::measure::{self, Leash, log_to};
use super::{TIME_LIMIT, require_success, see, step};
use crate::course::Course;
use crate::pipeline::build::cargo_command;
use crate::pipeline::select_labs;

/// The lab whose reference solution is measured.
const LAB: &str = "10-performance";
/// The program of that lab that runs the comparison.
const PROGRAM: &str = "loadgen";
/// The model the others are compared with, as the program names it in `--format lines`.
const BASELINE: &str = "thread-per-connection";
/// The longest one request may take before the load generator counts it as failed.
const REQUEST_TIMEOUT_SECS: f64 = 2.0;

#[derive(clap::Args)]
pub struct EchoArgs {
    /// How many connections the load generator keeps busy at once.
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
    connections: u32,

    /// The size of each message, in bytes.
    #[arg(long = "size", value_name = "BYTES", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1_048_576))]
    message_size: u32,

    /// How long each model is loaded, in seconds (from 0.1 to 60).
    #[arg(long = "duration", value_name = "SECS", default_value_t = 2.0, value_parser = parse_seconds)]
    duration_secs: f64,
}

/// `--duration`: seconds, from 0.1 to 60 (`2`, `0.5`).
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if (0.1..=60.0).contains(&seconds) => Ok(seconds),
        _ => Err(format!("expected seconds from 0.1 to 60, got {text:?}")),
    }
}

/// What the load generator reported for one model (a `--format lines` line).
#[derive(Debug, Clone, PartialEq)]
struct ModelFigures {
    model: String,
    requests: u64,
    errors: u64,
    requests_per_second: f64,
    /// `None` when no request completed.
    p50: Option<Duration>,
    p99: Option<Duration>,
    bytes_sent: u64,
    bytes_received: u64,
    server_bytes_read: Option<u64>,
    server_bytes_written: Option<u64>,
}

pub fn bench_echo(options: EchoArgs) -> Result<ExitCode> {
    let course = Course::locate();
    let labs = select_labs(&course, &[LAB.to_string()], None, None)?;
    let root = course.root.join("target").join("bench");
    let workspace = root.join("echo-workspace");
    let target_dir = root.join("echo-target");
    eprintln!(
        "Benchmarking lab 10's echo servers: {} connections, {}-byte messages, {} s per model. \
         Logs are in {}.",
        options.connections,
        options.message_size,
        options.duration_secs,
        root.join("logs").display()
    );

    step("copying the workspace with the reference solution of lab 10");
    let solutions = course.solutions_dir();
    corpus::copy_workspace(&course, &labs, &workspace, |lab| {
        solutions.join(&lab.id).join("src")
    })?;

    step("building it in release mode (the first build compiles tokio, mio and clap)");
    build_release(
        &workspace,
        &target_dir,
        &root.join("logs").join("echo-build.log"),
    )?;

    step("loading the three models, one after the other");
    let program = target_dir.join("release").join(PROGRAM);
    let figures = run_comparison(&program, &options, &root.join("logs").join("echo-run.log"))?;

    print!("{}", report(&figures, &options));
    Ok(ExitCode::SUCCESS)
}

fn build_release(workspace: &Path, target_dir: &Path, log: &Path) -> Result<()> {
    let mut command = cargo_command(target_dir);
    // Not --locked: the copy holds lab 10 alone, so cargo drops the other labs from its copy
    // of Cargo.lock, and keeps every version the lock file gives.
    command
        .args(["build", "--release", "--offline"])
        .args(["--package", "lab10-performance", "--bin", PROGRAM])
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .current_dir(workspace);
    log_to(&mut command, log)?;
    let what = "the release build of lab 10's solution";
    let run = measure::run(command, Leash::OwnProcessGroup, what, TIME_LIMIT)?;
    require_success(&run, what, &see(log))
}

/// Runs `loadgen --model all --format lines` and reads one line of figures per model.
fn run_comparison(program: &Path, options: &EchoArgs, log: &Path) -> Result<Vec<ModelFigures>> {
    let mut command = Command::new(program);
    command
        .args(["--model", "all", "--format", "lines"])
        .args(["--connections", &options.connections.to_string()])
        .args(["--size", &options.message_size.to_string()])
        .args(["--duration", &format!("{}s", options.duration_secs)])
        .args(["--timeout", &format!("{REQUEST_TIMEOUT_SECS}s")]);
    log_to(&mut command, log)?;
    // Three models, each at most its duration plus a request timeout, plus starting and
    // stopping the servers (at most a 5 s grace period each).
    let limit = Duration::from_secs_f64(3.0 * (options.duration_secs + REQUEST_TIMEOUT_SECS + 5.0))
        + Duration::from_secs(30);
    let what = "loadgen --model all";
    let run = measure::run(command, Leash::OwnProcessGroup, what, limit)?;
    require_success(&run, what, &see(log))?;
    let output =
        fs::read_to_string(log).with_context(|| format!("cannot read {}", log.display()))?;
    let figures: Vec<ModelFigures> = output
        .lines()
        .filter(|line| line.starts_with("model="))
        .map(parse_line)
        .collect::<Result<_>>()?;
    if figures.is_empty() {
        bail!("{what} printed no figures; {}", see(log));
    }
    Ok(figures)
}

/// Reads `model=tokio connections=50 requests=… rps=… p50_ns=… …`.
fn parse_line(line: &str) -> Result<ModelFigures> {
    let field = |key: &str| {
        line.split(' ')
            .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
    };
    let number = |key: &str| -> Result<u64> {
        field(key)
            .with_context(|| format!("no {key}= in the line {line:?}"))?
            .parse()
            .with_context(|| format!("{key}= is not a whole number in {line:?}"))
    };
    let optional = |key: &str| field(key).and_then(|value| value.parse::<u64>().ok());
    let nanoseconds = |key: &str| optional(key).map(Duration::from_nanos);
    Ok(ModelFigures {
        model: display_name(
            field("model").with_context(|| format!("no model= in the line {line:?}"))?,
        ),
        requests: number("requests")?,
        errors: number("errors")?,
        requests_per_second: field("rps")
            .and_then(|value| value.parse().ok())
            .with_context(|| format!("no rps= in the line {line:?}"))?,
        p50: nanoseconds("p50_ns"),
        p99: nanoseconds("p99_ns"),
        bytes_sent: number("bytes_sent")?,
        bytes_received: number("bytes_received")?,
        server_bytes_read: optional("server_bytes_read"),
        server_bytes_written: optional("server_bytes_written"),
    })
}

/// The model's name as the lab's table shows it (`--format lines` puts dashes for spaces).
fn display_name(model: &str) -> String {
    match model {
        "mio-event-loop" => "mio event loop".to_string(),
        other => other.to_string(),
    }
}

/// The table, then what it rests on and anything wrong with the measurement.
fn report(figures: &[ModelFigures], options: &EchoArgs) -> String {
    let baseline = figures
        .iter()
        .find(|figures| figures.model == BASELINE)
        .map(|figures| figures.requests_per_second);
    let mut rows = vec![["model", "req/s", "p50", "p99", "ratio", "errors"].map(String::from)];
    for model in figures {
        rows.push([
            model.model.clone(),
            format!("{:.0}", model.requests_per_second),
            format_latency(model.p50),
            format_latency(model.p99),
            match baseline {
                Some(baseline) if baseline > 0.0 => {
                    format!("{:.2}×", model.requests_per_second / baseline)
                }
                _ => "-".to_string(),
            },
            model.errors.to_string(),
        ]);
    }
    let mut text = render(&rows);
    text.push('\n');
    text.push_str(&format!(
        "{} connections × {}-byte messages, {} s per model, one model after the other on \
         127.0.0.1, with the release build of solutions/{LAB}.\n",
        options.connections, options.message_size, options.duration_secs
    ));
    text.push_str(&format!(
        "ratio: req/s ÷ {BASELINE}'s. Closed loop: each connection waits for its echo before \
         sending again.\n"
    ));
    let problems: Vec<String> = figures.iter().flat_map(problems).collect();
    if problems.is_empty() {
        text.push_str(
            "Every echo was checked byte for byte, with no error, and each server's byte counts \
             equal the load generator's.\n",
        );
    }
    for problem in problems {
        text.push_str(&format!("warning: {problem}\n"));
    }
    text
}

/// What is wrong with one model's measurement, if anything.
fn problems(model: &ModelFigures) -> Vec<String> {
    let mut found = Vec::new();
    if model.errors > 0 {
        found.push(format!(
            "{}: {} requests failed (see target/bench/logs/echo-run.log)",
            model.model, model.errors
        ));
    }
    if model.requests == 0 {
        found.push(format!("{}: no request completed", model.model));
    }
    if model.server_bytes_read != Some(model.bytes_sent)
        || model.server_bytes_written != Some(model.bytes_received)
    {
        found.push(format!(
            "{}: the server's byte counts (read {:?}, wrote {:?}) differ from the load \
             generator's (sent {}, received {})",
            model.model,
            model.server_bytes_read,
            model.server_bytes_written,
            model.bytes_sent,
            model.bytes_received
        ));
    }
    found
}

/// `850 µs`, `1.05 ms`, `1.20 s`, or `-`.
fn format_latency(latency: Option<Duration>) -> String {
    match latency {
        None => "-".to_string(),
        Some(latency) if latency < Duration::from_millis(1) => {
            format!("{} µs", latency.as_micros())
        }
        Some(latency) if latency < Duration::from_secs(1) => {
            format!("{:.2} ms", latency.as_secs_f64() * 1000.0)
        }
        Some(latency) => format!("{:.2} s", latency.as_secs_f64()),
    }
}

/// The rows as a text table: the model column aligned left, the figures right.
fn render(rows: &[[String; 6]]) -> String {
    let widths: Vec<usize> = (0..6)
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, &width))| {
                let padding = " ".repeat(width - cell.chars().count());
                if column == 0 {
                    format!("{cell}{padding}")
                } else {
                    format!("{padding}{cell}")
                }
            })
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKIO_LINE: &str = "model=tokio connections=50 requests=97003 errors=0 \
        bytes_sent=6208192 bytes_received=6208192 elapsed_ns=2001000000 rps=48477.3 \
        p50_ns=970000 p90_ns=1520000 p99_ns=2660000 max_ns=10020000 server_connections=50 \
        server_peak_connections=50 server_bytes_read=6208192 server_bytes_written=6208192";

    fn figures(model: &str, requests_per_second: f64, errors: u64) -> ModelFigures {
        ModelFigures {
            model: model.to_string(),
            requests: (requests_per_second * 2.0) as u64,
            errors,
            requests_per_second,
            p50: Some(Duration::from_micros(980)),
            p99: Some(Duration::from_micros(2_400)),
            bytes_sent: 640,
            bytes_received: 640,
            server_bytes_read: Some(640),
            server_bytes_written: Some(640),
        }
    }

    #[test]
    fn the_duration_is_seconds_within_a_minute() {
        assert_eq!(parse_seconds("2"), Ok(2.0));
        assert_eq!(parse_seconds("0.5"), Ok(0.5));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("61").is_err());
        assert!(parse_seconds("2s").is_err());
    }

    #[test]
    fn a_line_of_the_load_generator_gives_the_figures_of_one_model() {
        let parsed = parse_line(TOKIO_LINE).unwrap();
        assert_eq!(parsed.model, "tokio");
        assert_eq!(parsed.requests, 97_003);
        assert_eq!(parsed.requests_per_second, 48_477.3);
        assert_eq!(parsed.p50, Some(Duration::from_micros(970)));
        assert_eq!(parsed.p99, Some(Duration::from_micros(2_660)));
        assert_eq!(parsed.server_bytes_written, Some(6_208_192));
        let names = ["thread-per-connection", "mio-event-loop"].map(|model| {
            parse_line(&TOKIO_LINE.replace("tokio", model))
                .unwrap()
                .model
        });
        assert_eq!(names, ["thread-per-connection", "mio event loop"]);
        assert!(parse_line("model=tokio requests=many").is_err());
    }

    #[test]
    fn the_report_compares_each_model_with_thread_per_connection() {
        let options = EchoArgs {
            connections: 50,
            message_size: 64,
            duration_secs: 2.0,
        };
        let all = [
            figures("thread-per-connection", 40_000.0, 0),
            figures("mio event loop", 50_000.0, 0),
            figures("tokio", 48_000.0, 0),
        ];
        assert_eq!(
            report(&all, &options),
            "\
model                  req/s     p50      p99  ratio  errors
thread-per-connection  40000  980 µs  2.40 ms  1.00×       0
mio event loop         50000  980 µs  2.40 ms  1.25×       0
tokio                  48000  980 µs  2.40 ms  1.20×       0

50 connections × 64-byte messages, 2 s per model, one model after the other on 127.0.0.1, with the release build of solutions/10-performance.
ratio: req/s ÷ thread-per-connection's. Closed loop: each connection waits for its echo before sending again.
Every echo was checked byte for byte, with no error, and each server's byte counts equal the load generator's.
"
        );
    }

    #[test]
    fn errors_and_miscounts_are_reported_under_the_table() {
        let mut miscounted = figures("tokio", 48_000.0, 3);
        miscounted.server_bytes_written = Some(576);
        let text = report(
            &[figures("thread-per-connection", 40_000.0, 0), miscounted],
            &EchoArgs {
                connections: 50,
                message_size: 64,
                duration_secs: 2.0,
            },
        );
        assert!(text.ends_with(
            "warning: tokio: 3 requests failed (see target/bench/logs/echo-run.log)\n\
             warning: tokio: the server's byte counts (read Some(640), wrote Some(576)) differ \
             from the load generator's (sent 640, received 640)\n"
        ));
    }
}
