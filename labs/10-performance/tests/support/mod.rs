//! What the tests share: a time limit for every run, servers that misbehave on
//! purpose, and a list of checks that becomes the snapshot.

#![allow(dead_code)] // each test file uses its own share of these helpers

pub mod checks;
pub mod misbehaving;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use lab10_performance::load::{LoadConfig, LoadReport, run_load};
use lab10_performance::servers::{RunningServer, ServerStats};
use tokio::time::timeout;

/// How much longer than [`LoadConfig::longest_run`] a run may take before the
/// test gives up on it: generous, since the machine may be busy with other tests.
pub const MARGIN: Duration = Duration::from_secs(3);

/// A load against `target` with the tests' usual small figures: 20 connections,
/// 64-byte messages, half a second, a 2 s timeout.
pub fn small_load(target: std::net::SocketAddr) -> LoadConfig {
    LoadConfig {
        target,
        connections: 20,
        message_size: 64,
        duration: Duration::from_millis(500),
        max_requests: None,
        request_timeout: Duration::from_secs(2),
    }
}

/// A run of the load generator as the test saw it: the report, and the time the
/// test itself measured around `run_load`.
pub struct Run {
    pub report: LoadReport,
    pub wall_time: Duration,
}

/// Runs `run_load(config)` with a time limit of `config.longest_run()` plus [`MARGIN`].
pub async fn run_bounded(config: &LoadConfig) -> Run {
    let limit = config.longest_run() + MARGIN;
    let started = Instant::now();
    match timeout(limit, run_load(config)).await {
        Ok(report) => Run {
            report,
            wall_time: started.elapsed(),
        },
        Err(_) => panic!(
            "run_load did not return within {:.1} s, although the run was set for {:.1} s with a \
             request timeout of {:.1} s: it must take at most duration + request_timeout \
             ({:.1} s). Start no request after the deadline, and put every network wait (connect, \
             and each request's write and read) under tokio::time::timeout(config.request_timeout, …).",
            limit.as_secs_f64(),
            config.duration.as_secs_f64(),
            config.request_timeout.as_secs_f64(),
            config.longest_run().as_secs_f64(),
        ),
    }
}

/// Stops one of the lab's servers from async code, and returns its final counters.
pub async fn stop(server: RunningServer) -> ServerStats {
    tokio::task::spawn_blocking(move || server.stop())
        .await
        .expect("the server stops")
}

/// A stand-in target, replaced by the address of the server a test starts.
pub fn placeholder() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// An address of 127.0.0.1 where nobody listens: a port the kernel gave a
/// listener of the test, which is closed at once. Connecting there is refused.
pub fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("the test can listen on a free port of 127.0.0.1 (not your code's fault)");
    listener
        .local_addr()
        .expect("a bound listener has an address")
}
