//! The program: `cargo run --release -p lab10-performance -- --model all`.
//!
//! ```text
//! $ cargo run --release -p lab10-performance -- --model tokio --connections 50 --size 64 --duration 2s
//! loadgen: 50 connections, 64-byte messages, 2 s per model, on 127.0.0.1
//! model  connections  requests  req/s  p50      p90      p99      max      errors  vs first
//! tokio           50     97003  48462  0.97 ms  1.52 ms  2.66 ms  10.02 ms      0     1.00×
//! ```
//!
//! It starts each chosen server model in this very process, on `127.0.0.1:0`,
//! loads it, stops it, and prints the comparison table, then any disagreement
//! between the load generator's counts and the server's. With `--target` it
//! loads an echo server that is already running instead (your lab 04 server,
//! for instance). Measure with `--release`: a debug build measures the
//! compiler's missing optimisations more than the models.
//!
//! This module is given to you: read it, and see [`crate::compare`] for the
//! part you write.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Parser, ValueEnum};

use crate::compare::{compare, disagreements, measure_outside_server};
use crate::load::LoadConfig;
use crate::report::{comparison_table, machine_lines};
use crate::servers::Model;

/// A load generator for echo servers: N connections, each sending a message
/// and waiting for its whole echo, again and again, for a while. It prints
/// requests per second and latency percentiles, model by model.
#[derive(Debug, Clone, Parser)]
#[command(name = "loadgen", version)]
pub struct Args {
    /// Which server model to start and load.
    #[arg(long, value_enum, default_value_t = ModelChoice::All)]
    pub model: ModelChoice,

    /// Load an echo server already running at ADDRESS instead of starting one
    /// (send traffic only to servers you run yourself, e.g. on 127.0.0.1).
    #[arg(long, value_name = "ADDRESS:PORT", conflicts_with = "model")]
    pub target: Option<SocketAddr>,

    /// How many connections at once.
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub connections: u32,

    /// The size of each message, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(1..=16 * 1024 * 1024))]
    pub size: u32,

    /// How long each model is loaded: 2s, 500ms, 1.5s.
    #[arg(long, value_name = "TIME", default_value = "2s", value_parser = parse_duration)]
    pub duration: Duration,

    /// Stop after this many requests in all (or at the end of --duration, whichever comes first).
    #[arg(long, value_name = "N")]
    pub requests: Option<u64>,

    /// The longest a connection attempt or one request may take.
    #[arg(long, value_name = "TIME", default_value = "1s", value_parser = parse_duration)]
    pub timeout: Duration,

    /// What to print: a table for people, or `key=value` lines for programs.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `--model`: one model, or all three in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelChoice {
    /// Thread per connection (std, blocking sockets).
    Threads,
    /// One thread, a mio event loop (epoll).
    Mio,
    /// tokio: a task per connection on a multi-threaded runtime.
    Tokio,
    /// The three, one after the other, thread-per-connection first.
    All,
}

impl ModelChoice {
    pub fn models(self) -> Vec<Model> {
        match self {
            ModelChoice::Threads => vec![Model::ThreadPerConnection],
            ModelChoice::Mio => vec![Model::MioEventLoop],
            ModelChoice::Tokio => vec![Model::Tokio],
            ModelChoice::All => Model::ALL.to_vec(),
        }
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Lines,
}

impl Args {
    /// The load the arguments describe, aimed at `target`.
    pub fn load_config(&self, target: SocketAddr) -> LoadConfig {
        LoadConfig {
            target,
            connections: self.connections as usize,
            message_size: self.size as usize,
            duration: self.duration,
            max_requests: self.requests,
            request_timeout: self.timeout,
        }
    }
}

/// Runs the comparison the arguments ask for, and returns what to print: the
/// table (or the lines), then the errors of each model by reason, and any
/// disagreement between the load generator's counts and a server's.
pub async fn run(args: &Args) -> Result<String, String> {
    let placeholder = SocketAddr::from(([127, 0, 0, 1], 0));
    let config = args.load_config(placeholder);
    let results = match args.target {
        Some(target) => vec![measure_outside_server(target, &config).await],
        None => compare(&args.model.models(), &config)
            .await
            .map_err(|error| format!("cannot start a server: {error}"))?,
    };
    let mut text = String::new();
    match args.format {
        Format::Lines => text.push_str(&machine_lines(&results)),
        Format::Table => {
            let place = args
                .target
                .map_or("127.0.0.1".to_string(), |target| target.to_string());
            text.push_str(&format!(
                "loadgen: {} connections, {}-byte messages, {} per model, on {place}\n",
                args.connections,
                args.size,
                describe_duration(args.duration),
            ));
            text.push_str(&comparison_table(&results));
        }
    }
    for result in &results {
        let errors = result.statistics.errors;
        if errors.total() > 0 {
            text.push_str(&format!("errors of {}: {errors}\n", result.name));
        }
        for disagreement in disagreements(result) {
            text.push_str(&format!("warning: {disagreement}\n"));
        }
    }
    Ok(text)
}

/// Parses `2s`, `500ms`, `1.5s` or `2` (seconds), up to an hour.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, unit_seconds) = if let Some(number) = text.strip_suffix("ms") {
        (number, 0.001)
    } else if let Some(number) = text.strip_suffix('s') {
        (number, 1.0)
    } else {
        (text, 1.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("expected a time like 2s or 500ms, got {text:?}"))?;
    let seconds = value * unit_seconds;
    if !(0.0..=3600.0).contains(&seconds) {
        return Err(format!("expected a time from 0 to 1 hour, got {text:?}"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// `2 s`, `500 ms`, `1.5 s`.
fn describe_duration(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{} s", duration.as_secs_f64())
    }
}
