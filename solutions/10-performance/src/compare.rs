//! Measuring the models: one server at a time, the same load for each, and
//! the server's counters checked against the load generator's.
//!
//! The models are measured **one after the other**, never at the same time:
//! on the same machine, two servers measured together fight over the same
//! cores, and each result says more about the other server than about itself.
//! For the same reason the load is identical for each (the same
//! [`LoadConfig`], only the target changes).
//!
//! After each run the server is stopped, and its final counters
//! ([`ServerStats`]) are compared with the load generator's report by
//! [`disagreements`]: the bytes the generator sent are the bytes the server
//! read, the bytes it received are the bytes the server wrote. A load
//! generator that miscounts is caught by its own witness.

use std::io;
use std::net::SocketAddr;

use crate::load::{LoadConfig, LoadReport, run_load};
use crate::servers::{Model, ServerStats};
use crate::stats::Statistics;

/// What one model (or one outside server) did under load.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelResult {
    /// The model's name (see [`Model::name`]), or the address of an outside server.
    pub name: String,
    /// The load generator's report.
    pub report: LoadReport,
    /// Its statistics.
    pub statistics: Statistics,
    /// The server's final counters; `None` for an outside server.
    pub server: Option<ServerStats>,
}

/// Starts a server of `model`, runs `config`'s load against it (with the
/// server's address as the target), stops it, and returns the result with
/// the server's final counters.
///
/// [`RunningServer::stop`](crate::servers::RunningServer::stop) blocks until
/// the server has stopped: call it inside `tokio::task::spawn_blocking`, so
/// that this async function does not block a thread of the runtime.
pub async fn measure(model: Model, config: &LoadConfig) -> io::Result<ModelResult> {
    // BEGIN SOLUTION
    let server = model.start()?;
    let config = LoadConfig {
        target: server.address(),
        ..*config
    };
    let report = run_load(&config).await;
    let server_stats = tokio::task::spawn_blocking(move || server.stop())
        .await
        .map_err(io::Error::other)?;
    Ok(ModelResult {
        name: model.name().to_string(),
        statistics: Statistics::of(&report),
        report,
        server: Some(server_stats),
    })
    // END SOLUTION
    // STUB: // TODO: measure one model, as the doc comment and this module's comment say. Think
    // STUB: // about: the same load for every model, only its target changes; a server that cannot
    // STUB: // start; stopping blocks a thread, and this is async code (where may a blocking call
    // STUB: // run?); a blocking task that fails to join is an `io::Error` too; the server's final
    // STUB: // counters are the witness. Read `tokio::task::spawn_blocking` in the tokio docs, and
    // STUB: // `RunningServer` in src/servers/mod.rs. Stuck? `cargo xtask hint 10`.
    // STUB: todo!()
}

/// [`measure`]s each model in turn, in the order given.
pub async fn compare(models: &[Model], config: &LoadConfig) -> io::Result<Vec<ModelResult>> {
    // BEGIN SOLUTION
    let mut results = Vec::with_capacity(models.len());
    for &model in models {
        results.push(measure(model, config).await?);
    }
    Ok(results)
    // END SOLUTION
    // STUB: // TODO: every model, as the doc comment says. Think about: one server at a time, never
    // STUB: // two at once (this module's comment says why); the results in the order of `models`; a
    // STUB: // server that cannot start ends the comparison with its error. Stuck? `cargo xtask hint 10`.
    // STUB: todo!()
}

/// Runs the load against an echo server that is already running at `target`
/// (your lab 04 or lab 06 server, say): no server counters to check.
pub async fn measure_outside_server(target: SocketAddr, config: &LoadConfig) -> ModelResult {
    let config = LoadConfig { target, ..*config };
    let report = run_load(&config).await;
    ModelResult {
        name: target.to_string(),
        statistics: Statistics::of(&report),
        report,
        server: None,
    }
}

/// Where the load generator's byte counts and the server's differ, one
/// sentence each; empty when they agree (or when there are no server counters).
///
/// (Connections are not compared: a connection that the kernel completed but
/// that closed before the server got round to `accept` it is one the server
/// never saw, and that is no miscount.)
pub fn disagreements(result: &ModelResult) -> Vec<String> {
    // BEGIN SOLUTION
    let Some(server) = &result.server else {
        return Vec::new();
    };
    let report = &result.report;
    let mut found = Vec::new();
    if report.bytes_sent != server.bytes_read {
        found.push(format!(
            "{}: the load generator sent {} bytes, the server read {}",
            result.name, report.bytes_sent, server.bytes_read
        ));
    }
    if report.bytes_received != server.bytes_written {
        found.push(format!(
            "{}: the load generator received {} bytes, the server wrote {}",
            result.name, report.bytes_received, server.bytes_written
        ));
    }
    found
    // END SOLUTION
    // STUB: // TODO: the disagreements, as the doc comment says. Think about: an outside server has
    // STUB: // no counters; which of the load generator's byte counts must equal which of the
    // STUB: // server's (this module's comment); a sentence that names the model and both figures,
    // STUB: // so that whoever reads the warning knows where to look. Stuck? `cargo xtask hint 10`.
    // STUB: todo!()
}
