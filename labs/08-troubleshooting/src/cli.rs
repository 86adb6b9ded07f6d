//! The program: `probe 127.0.0.1:62893`, `probe --listen 127.0.0.1:62893`,
//! `probe --scan 127.0.0.1:8000-8010`.
//!
//! **Given**, but for one function: the command line (with
//! [clap](https://docs.rs/clap)) and what the program prints. The diagnosing
//! is done by the modules you write, and so is one report here:
//! `check_listen`'s, for `--listen`, the twin of the report that
//! [`Diagnosis`](crate::diagnose::Diagnosis)'s `Display` writes.
//!
//! ```text
//! $ probe 127.0.0.1:62893                  why can't I connect?
//! $ probe localhost:8080 --timeout-ms 300  the same for a name, waiting at most 300 ms per step
//! $ probe --listen 127.0.0.1:62893         why can't my server listen?
//! $ probe --scan 127.0.0.1:8000-8010       which of these ports answer?
//! ```
//!
//! The exit status says what a script needs to know: 0 when the port is open
//! (or free, with `--listen`; or when a scan ran), 1 when it is not, 2 when
//! the command line is wrong.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroUsize;
use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use clap::Parser;

use crate::diagnose::{diagnose, split_target};
use crate::listen::listen_or_explain;
use crate::probe::milliseconds;
use crate::resolve::SystemResolver;
use crate::scan::{MAX_PORTS, ScanOptions, ScanTable, scan, targets};
use crate::verdict::Verdict;

/// Tells apart the reasons a TCP port does not answer: open, refused,
/// filtered, unreachable, in use, or a name that does not resolve, with how
/// long each step took and what to do about it.
#[derive(Debug, Clone, Parser)]
#[command(name = "probe", version)]
pub struct Args {
    /// Where to connect: 127.0.0.1:62893, localhost:8080, [::1]:22
    #[arg(
        value_name = "HOST:PORT",
        required_unless_present_any = ["listen", "scan"],
        conflicts_with_all = ["listen", "scan"]
    )]
    pub target: Option<String>,

    /// Instead: check whether a server could listen on ADDRESS:PORT, and who holds it if not
    #[arg(long, value_name = "ADDRESS:PORT", conflicts_with = "scan")]
    pub listen: Option<SocketAddr>,

    /// Instead: scan a small range of ports, like 127.0.0.1:8000-8010
    #[arg(long, value_name = "IP:FIRST-LAST", value_parser = parse_port_range)]
    pub scan: Option<PortRange>,

    /// How long to wait for each answer (a connection, a name), in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub timeout_ms: u64,

    /// During a scan, at most N connection attempts at the same time
    #[arg(long, value_name = "N", default_value = "16")]
    pub max_in_flight: NonZeroUsize,
}

/// An address and a range of ports: `127.0.0.1:8000-8010`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortRange {
    /// The address to scan.
    pub ip: IpAddr,
    /// The ports, both ends included.
    pub ports: RangeInclusive<u16>,
}

/// Reads `IP:FIRST-LAST` (`[::1]:8000-8010` for IPv6), at most [`MAX_PORTS`] ports.
pub fn parse_port_range(text: &str) -> Result<PortRange, String> {
    let (ip, ports) = text
        .rsplit_once(':')
        .ok_or_else(|| format!("{text:?}: write IP:FIRST-LAST, like 127.0.0.1:8000-8010"))?;
    let ip = ip
        .strip_prefix('[')
        .and_then(|ip| ip.strip_suffix(']'))
        .unwrap_or(ip);
    let ip: IpAddr = ip.parse().map_err(|_| {
        format!("{ip:?} is not an IP address (a scan takes an address, not a name)")
    })?;
    let (first, last) = ports.split_once('-').unwrap_or((ports, ports));
    let port = |text: &str| {
        text.parse::<u16>()
            .map_err(|_| format!("{text:?} is not a port: a port is a number from 0 to 65535"))
    };
    let (first, last) = (port(first)?, port(last)?);
    if first > last {
        return Err(format!(
            "{first}-{last}: the first port must not come after the last"
        ));
    }
    if usize::from(last - first) >= MAX_PORTS {
        return Err(format!(
            "{first}-{last} is {} ports: scan at most {MAX_PORTS} at a time",
            usize::from(last - first) + 1
        ));
    }
    Ok(PortRange {
        ip,
        ports: first..=last,
    })
}

/// What the program prints, and its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The text for standard output (standard error when `status` is 2).
    pub text: String,
    /// 0: open, free or scanned; 1: not open, not free; 2: the command line is wrong.
    pub status: u8,
}

/// Does what `args` asks and says what came of it.
pub async fn run(args: &Args) -> Report {
    let limit = Duration::from_millis(args.timeout_ms);
    if let Some(address) = args.listen {
        return check_listen(address);
    }
    if let Some(range) = &args.scan {
        let options = ScanOptions {
            max_in_flight: args.max_in_flight,
            timeout: limit,
        };
        return run_scan(range, options).await;
    }
    let target = args.target.as_deref().unwrap_or_default();
    match split_target(target) {
        Ok((host, port)) => {
            let diagnosis = diagnose(&host, port, &SystemResolver, limit).await;
            Report {
                status: if diagnosis.verdict.is_open() { 0 } else { 1 },
                text: diagnosis.to_string(),
            }
        }
        Err(message) => Report {
            text: format!("error: {message}"),
            status: 2,
        },
    }
}

/// `--listen`: binds the address and lets it go at once, or explains why it cannot.
///
/// ```text
/// listen 127.0.0.1:62893
///   held by pid 4242 (python3)
/// verdict: in use
/// advice: port 62893 is held by pid 4242 (python3): a server cannot listen …
/// ```
///
/// The `held by` line is there only for an in-use verdict whose holder is
/// known; the advice is the verdict's, for the address's IP and port; the
/// status is 1. When [`listen_or_explain`] gives a listener, the listener is
/// let go at once, the report says `verdict: free` with a line of advice, and
/// the status is 0. The text ends without a newline.
fn check_listen(address: SocketAddr) -> Report {
    // TODO: the report of the doc comment above. Think about: a free address (the listener
    // must not outlive this function); a port held by a known process (the program test
    // compares that report letter by letter); an in-use port whose holder is unknown; any
    // other verdict (a privileged port, an address this machine lacks), which has no
    // `held by` line. Try it: `probe --listen 127.0.0.1:22`. Stuck? `cargo xtask hint 08`.
    todo!()
}

/// `--scan`: the table of every port.
async fn run_scan(range: &PortRange, options: ScanOptions) -> Report {
    let started = Instant::now();
    let probes = scan(targets(range.ip, range.ports.clone()), options).await;
    let shown = SocketAddr::new(range.ip, *range.ports.start());
    Report {
        text: format!(
            "scan {shown}-{}, at most {} connects in flight, {} each\n{}; the scan took {}",
            range.ports.end(),
            options.max_in_flight,
            milliseconds(options.timeout),
            ScanTable(&probes),
            milliseconds(started.elapsed())
        ),
        status: 0,
    }
}
