//! The reachability matrix: every listening address against every client position.
//!
//! One row per bind address the server may listen on, one column per
//! [`Vantage`]; each cell holds the address the client dialed and the
//! [`Outcome`]. The same table is made twice:
//!
//! - **predicted**, on paper, with [`reachability::predict`](crate::reachability::predict):
//!   [`predict_matrix`];
//! - **measured**, with real servers and real connection attempts on two
//!   machines: [`measure_matrix`].
//!
//! When the two agree, you have understood loopback. The measured one, on
//! the lab's two hosts, reads:
//!
//! ```text
//! listening on | same host, via loopback | same host, via its external address | the other host
//! -------------+-------------------------+-------------------------------------+-----------------------
//! 127.0.0.1    | 127.0.0.1: connected    | 198.51.100.1: refused               | 127.0.0.1: refused
//! 0.0.0.0      | 127.0.0.1: connected    | 198.51.100.1: connected             | 198.51.100.1: connected
//! …
//! ```
//!
//! **Where do the two hosts come from?** Your code does not create them: it
//! is handed something that implements [`TwoHosts`] and asks it to run a
//! piece of code *on* a host with [`TwoHosts::run_on`]. The lab's tests
//! implement it with two Linux *network namespaces*: each is a complete,
//! separate network stack (its own interfaces, its own `lo` with its own
//! `127.0.0.1`, its own routing tables and ports), joined by a virtual cable
//! (a `veth` pair). A thread enters a namespace with the `setns` system call,
//! and every socket it creates from then on belongs to that host's network,
//! even when another thread uses it later. For the kernel these really are
//! two machines.

use std::fmt;
use std::io;
use std::net::IpAddr;
use std::time::Duration;

use crate::outcome::Outcome;
use crate::reachability::{Host, HostAddresses, Vantage};

/// Two machines joined by a network, on which code can be run.
///
/// The lab's tests implement it with two Linux network namespaces (see the
/// module documentation); your code only uses it.
pub trait TwoHosts {
    /// The external addresses of the server host.
    fn server_addresses(&self) -> HostAddresses;

    /// Runs `work` on `host` and returns what it returns. Sockets that
    /// `work` creates belong to that host's network for their whole life,
    /// wherever they are used afterwards.
    fn run_on<T: Send>(&self, host: Host, work: impl FnOnce() -> T + Send) -> T;
}

/// One cell: the address a client dialed, and what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// The address the client dialed (the port is the server's).
    pub dialed: IpAddr,
    /// How the attempt ended.
    pub outcome: Outcome,
}

/// One row: a server listening on `bind`, seen from every vantage point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The address the server listens on.
    pub bind: IpAddr,
    /// One cell per vantage point, in the order of [`Vantage::ALL`].
    pub cells: Vec<Cell>,
}

/// The whole table: one row per bind address, in the order they were given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// The rows, one per bind address.
    pub rows: Vec<Row>,
}

/// The predicted row of a server listening on `bind`: for each vantage of
/// [`Vantage::ALL`], in order, the [dialed address](crate::reachability::dial_address)
/// and the [predicted](crate::reachability::predict) outcome. No packet is sent.
pub fn predict_row(bind: IpAddr, server: HostAddresses) -> Row {
    // TODO: the predicted row, as the doc comment says, with what `crate::reachability`
    //       knows. Think about: one cell per vantage, in the order of `Vantage::ALL` (the
    //       columns of the table). Stuck? `cargo xtask hint 03`.
    todo!()
}

/// The predicted matrix: [`predict_row`] for each of `binds`, in order.
pub fn predict_matrix(binds: &[IpAddr], server: HostAddresses) -> Matrix {
    // TODO: the predicted matrix, as the doc comment says. Think about: the rows keep the
    //       order of `binds`. Stuck? `cargo xtask hint 03`.
    todo!()
}

/// The measured row of a server listening on `bind`, on the server host of `hosts`.
///
/// The server listens on [`Host::Server`], on `bind` and a port the OS picks.
/// The row holds one outcome per vantage of [`Vantage::ALL`], in that order: what
/// a client *on the vantage's host* ([`Vantage::host`]) finds when it dials the
/// vantage's [address](crate::reachability::dial_address) and the server's port,
/// within `timeout`.
///
/// The server must keep listening until every vantage has been probed. Only an
/// error to start the server is returned as `Err`; a failed probe is an outcome.
pub fn measure_row(bind: IpAddr, hosts: &impl TwoHosts, timeout: Duration) -> io::Result<Row> {
    // TODO: the measured row, as the doc comment says: a real server, real probes. Think
    //       about: on which host each socket is created (the server's, and each client's: see
    //       `TwoHosts::run_on`); the port the OS picked, which the probes need; how long the
    //       listener must live (a dropped listener makes every cell read refused); which
    //       errors end the row and which are only outcomes. Read this module's comment and
    //       chapter 3, "Two machines in one: network namespaces". Stuck? `cargo xtask hint 03`.
    todo!()
}

/// The measured matrix: [`measure_row`] for each of `binds`, in order,
/// stopping at the first error.
pub fn measure_matrix(
    binds: &[IpAddr],
    hosts: &impl TwoHosts,
    timeout: Duration,
) -> io::Result<Matrix> {
    // TODO: the measured matrix, as the doc comment says. Think about: the first row that
    //       cannot start its server ends the whole matrix with that error. Read std's docs on
    //       collecting an iterator of `Result`s. Stuck? `cargo xtask hint 03`.
    todo!()
}

/// A table with a header, a rule, and one line per row; every cell reads
/// `dialed address: outcome`.
impl fmt::Display for Matrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines: Vec<Vec<String>> = Vec::new();
        let header = std::iter::once("listening on".to_string()).chain(
            Vantage::ALL
                .iter()
                .map(|vantage| vantage.label().to_string()),
        );
        lines.push(header.collect());
        for row in &self.rows {
            let cells = row
                .cells
                .iter()
                .map(|cell| format!("{}: {}", cell.dialed, cell.outcome));
            lines.push(std::iter::once(row.bind.to_string()).chain(cells).collect());
        }
        let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|column| {
                lines
                    .iter()
                    .filter_map(|line| line.get(column))
                    .map(|text| text.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for (number, line) in lines.iter().enumerate() {
            let padded: Vec<String> = line
                .iter()
                .zip(&widths)
                .map(|(text, &width)| format!("{text:<width$}"))
                .collect();
            writeln!(f, "{}", padded.join(" | ").trim_end())?;
            if number == 0 {
                let rule: Vec<String> = widths.iter().map(|&width| "-".repeat(width)).collect();
                writeln!(f, "{}", rule.join("-+-"))?;
            }
        }
        Ok(())
    }
}
