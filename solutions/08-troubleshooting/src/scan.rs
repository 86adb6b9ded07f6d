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
    // BEGIN SOLUTION
    ports.map(|port| SocketAddr::new(ip, port)).collect()
    // END SOLUTION
    // STUB: // TODO: one target per port, as the doc comment says. Think about: a range of one port
    // STUB: // (`8000..=8000`); port 65535, the last one. Stuck? `cargo xtask hint 08`.
    // STUB: todo!()
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
    // STUB: // TODO: every probe, at most `max_in_flight` at a time, sorted, as the doc comment says.
    // STUB: // Think about: one probe after the other (too slow: each silent port costs the whole time
    // STUB: // limit); all of them at once (breaks the bound: the test counts how many run, and starts
    // STUB: // a new one the moment one ends); results that arrive in the order they finish. Read this
    // STUB: // module's comment, chapter 8, "Many ports at once, but not too many", and the
    // STUB: // futures-util docs of `StreamExt`. Stuck? `cargo xtask hint 08`.
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
    // STUB: // TODO: `scan_with` with the real probe, as the doc comment says. Think about: each probe
    // STUB: // gets the scan's time limit, so 8 silent ports, 4 at a time, 500 ms each end in about
    // STUB: // one second (the test checks that deadline). Read the Rust book on closures. Stuck?
    // STUB: // `cargo xtask hint 08`.
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
///
/// One line per probe, in the order of the slice: the port right-aligned in 5
/// columns, the verdict left-aligned in 10, the time as
/// [`milliseconds`](crate::probe::milliseconds) writes it. Then the count of
/// each verdict, in the order each first appeared, or `no port scanned` for an
/// empty scan; no newline at the end.
impl fmt::Display for ScanTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // BEGIN SOLUTION
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
        // END SOLUTION
        // STUB: // TODO: the table of the doc comment above. Think about: an empty scan; many ports with
        // STUB: // the same verdict (one count); the order of the counts; a width given to a `Verdict`
        // STUB: // itself, which its `Display` ignores (a width given to a `String` is not ignored). No
        // STUB: // test reads this table: try it with `probe --scan` (chapter 8, "The exercises", step
        // STUB: // 6). Read the std docs of `std::fmt`, sections "Width" and "Fill / Alignment". Stuck?
        // STUB: // `cargo xtask hint 08`.
        // STUB: todo!()
    }
}
