//! Scanning: many ports at once, but never too many at once.
//!
//! "Which of ports 8000 to 8099 answer?" One probe after the other is slow
//! when some ports are filtered: each silent one costs the whole time limit,
//! so 100 of them at 1 second each take 100 seconds. All at once is fast but
//! rude: 100 sockets opened in a burst can exhaust your file descriptors
//! (`ulimit -n`), flood a small server's accept queue, and look exactly like
//! an attack to an intrusion detection system. A scanner keeps a **bounded
//! number of connects in flight**: `nmap --max-parallelism`, `nc -z` one by
//! one, `masscan --rate`.
//!
//! With at most `N` in flight and a time limit `T` per port, a scan of `P`
//! ports ends within `ceil(P / N) × T` (plus a little), whatever the ports
//! do: that is its *deadline*, and why both bounds matter.
//!
//! In async Rust, "a stream of futures, at most N running at a time" is
//! [`StreamExt::buffer_unordered`]:
//!
//! ```text
//! stream::iter(targets)          // the targets, one by one
//!     .map(|target| probe(target)) // a future for each, not started yet
//!     .buffer_unordered(n)        // run at most n at a time; yield each as it ends
//!     .collect::<Vec<_>>()        // every result, in the order they finished
//! ```
//!
//! The results come in the order they *finish* (a refused port answers long
//! before a filtered one), so sort them before showing them. (The other
//! classic tool is a [`tokio::sync::Semaphore`] with one permit per
//! connection in flight, as in lab 04.)

use std::fmt;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroUsize;
use std::ops::RangeInclusive;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};

use crate::probe::{Probe, milliseconds, probe};
use crate::verdict::Verdict;

/// The most ports one scan may cover: this is a troubleshooting tool for a
/// small range of *your own* ports, not a port scanner for other people's
/// machines.
pub const MAX_PORTS: usize = 1024;

/// How a scan behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// At most this many connection attempts at the same time.
    pub max_in_flight: NonZeroUsize,
    /// The time limit of each attempt.
    pub timeout: Duration,
}

/// The targets of a scan: `ip` with each port of `ports`, in order.
pub fn targets(ip: IpAddr, ports: RangeInclusive<u16>) -> Vec<SocketAddr> {
    ports.map(|port| SocketAddr::new(ip, port)).collect()
}

/// Runs `probe` on every target, with at most `max_in_flight` of them
/// running at any moment, and returns every result sorted by target (address,
/// then port).
///
/// `probe` makes the future of one attempt; [`scan`] passes the real
/// [`probe`](crate::probe::probe), and tests pass one that counts how many run
/// at once. Use [`StreamExt::buffer_unordered`], as this module's
/// documentation shows, then sort.
pub async fn scan_with<P, F>(
    targets: Vec<SocketAddr>,
    max_in_flight: NonZeroUsize,
    probe: P,
) -> Vec<Probe>
where
    P: FnMut(SocketAddr) -> F,
    F: Future<Output = Probe>,
{
    // BEGIN SOLUTION
    let mut probes: Vec<Probe> = stream::iter(targets)
        .map(probe)
        .buffer_unordered(max_in_flight.get())
        .collect()
        .await;
    probes.sort_by_key(|probe| probe.target);
    probes
    // END SOLUTION
    // STUB: // TODO: `stream::iter(targets)`, `.map(probe)`, `.buffer_unordered(max_in_flight.get())`,
    // STUB: //       `.collect::<Vec<Probe>>().await`; then sort by target (`sort_by_key`) and return.
    // STUB: todo!()
}

/// Probes every target for real, [`options.max_in_flight`](ScanOptions) at a
/// time, each with the time limit `options.timeout`: [`scan_with`] and
/// [`probe`](crate::probe::probe).
pub async fn scan(targets: Vec<SocketAddr>, options: ScanOptions) -> Vec<Probe> {
    // BEGIN SOLUTION
    scan_with(targets, options.max_in_flight, |target| {
        probe(target, options.timeout)
    })
    .await
    // END SOLUTION
    // STUB: // TODO: `scan_with(targets, options.max_in_flight, …).await`, where `…` is a closure that
    // STUB: //       takes a target and returns `probe(target, options.timeout)`.
    // STUB: todo!()
}

/// A scan's results as a table, one port a line, and a count of each verdict.
pub struct ScanTable<'a>(pub &'a [Probe]);

/// ```text
///   8000  open      0.1 ms
///   8001  refused   0.1 ms
///   8002  filtered  1000.4 ms
/// 1 open, 1 refused, 1 filtered
/// ```
impl fmt::Display for ScanTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut counts: Vec<(Verdict, usize)> = Vec::new();
        for probe in self.0 {
            let verdict = probe.verdict.to_string();
            let took = milliseconds(probe.elapsed);
            writeln!(f, "  {:>5}  {verdict:<10}{took}", probe.target.port())?;
            match counts.iter_mut().find(|(seen, _)| *seen == probe.verdict) {
                Some((_, count)) => *count += 1,
                None => counts.push((probe.verdict.clone(), 1)),
            }
        }
        let summary: Vec<String> = counts
            .iter()
            .map(|(verdict, count)| format!("{count} {verdict}"))
            .collect();
        if summary.is_empty() {
            write!(f, "no port scanned")
        } else {
            write!(f, "{}", summary.join(", "))
        }
    }
}
