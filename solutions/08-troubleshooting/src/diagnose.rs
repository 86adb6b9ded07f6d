//! The whole diagnosis of `HOST:PORT`: resolve, connect to each address, conclude.
//!
//! An administrator asked "why can't I reach db.lab.test:5432?" walks the same
//! path as the connection itself, one layer at a time, and times each step:
//!
//! 1. **the name**. Does `db.lab.test` have addresses, and which? (`getent
//!    hosts db.lab.test`.) An address such as `127.0.0.1` needs no lookup.
//!    A lookup gets the same time limit as a connection: a resolver that
//!    never answers is a verdict too.
//! 2. **each address, in order.** A name often has several (`localhost` is
//!    `::1` and `127.0.0.1`), and a client tries them one after the other
//!    until one connects (lab 03). Each attempt is a [`Probe`].
//! 3. **the conclusion.** Open if any address accepted, else what the last
//!    attempt says; and for an open port on this machine, *which program*
//!    answered, because "open" is not always "my server" (a forgotten old copy
//!    of it, or another service, may hold the port).
//!
//! The report (its `Display` is given) shows every step with its time, the
//! verdict, and the verdict's [advice](crate::verdict::Verdict::advice).

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::time::timeout;

use crate::holder::{Holder, who_holds};
use crate::probe::{Probe, milliseconds, probe};
use crate::resolve::{ResolveError, Resolver};
use crate::verdict::{Verdict, endpoint};

/// The name lookup of a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The name that was looked up.
    pub host: String,
    /// Its addresses (never an empty list), or why there are none.
    pub result: Result<Vec<SocketAddr>, ResolveError>,
    /// How long the lookup took.
    pub elapsed: Duration,
}

/// Everything a diagnosis found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// The host as given: a name, or an IP address (without brackets).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The name lookup; `None` when the host is an IP address.
    pub lookup: Option<Lookup>,
    /// The connection attempts, in order.
    pub probes: Vec<Probe>,
    /// The conclusion.
    pub verdict: Verdict,
    /// For an open loopback address: who listens there.
    pub listener: Option<Holder>,
}

/// Splits `HOST:PORT` as typed: `127.0.0.1:62893`, `[::1]:22`, `localhost:8080`.
/// The host comes back without brackets. The error says what is wrong.
pub fn split_target(text: &str) -> Result<(String, u16), String> {
    let Some((host, port)) = text.rsplit_once(':') else {
        return Err(format!(
            "{text:?} has no port: write HOST:PORT, like 127.0.0.1:62893 or localhost:8080"
        ));
    };
    let port: u16 = port
        .parse()
        .map_err(|_| format!("{port:?} is not a port: a port is a number from 0 to 65535"))?;
    let host = match host.strip_prefix('[') {
        Some(inside) => inside
            .strip_suffix(']')
            .ok_or_else(|| format!("{text:?}: a '[' needs its ']', like [::1]:22"))?,
        None if host.contains(':') => {
            return Err(format!(
                "{text:?}: write an IPv6 address in brackets, like [::1]:22"
            ));
        }
        None => host,
    };
    if host.is_empty() {
        return Err(format!("{text:?} has no host before the port"));
    }
    Ok((host.to_string(), port))
}

/// Looks `host` up with `resolver`, giving up after `limit`, and times it.
///
/// The result is the resolver's, except that a lookup still running after
/// `limit` is [`ResolveError::NoAnswer`] (wrap it in [`tokio::time::timeout`]),
/// and an empty list of addresses is [`ResolveError::NoAddress`].
pub async fn look_up<R: Resolver>(host: &str, port: u16, resolver: &R, limit: Duration) -> Lookup {
    // BEGIN SOLUTION
    let started = Instant::now();
    let result = match timeout(limit, resolver.resolve(host, port)).await {
        Ok(Ok(addresses)) if addresses.is_empty() => Err(ResolveError::NoAddress),
        Ok(result) => result,
        Err(_elapsed) => Err(ResolveError::NoAnswer),
    };
    Lookup {
        host: host.to_string(),
        result,
        elapsed: started.elapsed(),
    }
    // END SOLUTION
    // STUB: // TODO: like `probe`: start an `Instant`, then
    // STUB: //       `match timeout(limit, resolver.resolve(host, port)).await`: `Ok(Ok(addresses))` with an
    // STUB: //       empty list is `Err(ResolveError::NoAddress)`, any other `Ok(result)` is `result`, and
    // STUB: //       `Err(_elapsed)` is `Err(ResolveError::NoAnswer)`. Return the `Lookup`.
    // STUB: todo!()
}

/// Probes each of `targets` in order, each with the time limit `limit`, and
/// stops after the first one that is [`Verdict::Open`]: the addresses after
/// it are not tried.
pub async fn probe_in_order(targets: &[SocketAddr], limit: Duration) -> Vec<Probe> {
    // BEGIN SOLUTION
    let mut probes = Vec::new();
    for &target in targets {
        let attempt = probe(target, limit).await;
        let open = attempt.verdict.is_open();
        probes.push(attempt);
        if open {
            break;
        }
    }
    probes
    // END SOLUTION
    // STUB: // TODO: a `for` loop over the targets: `probe(target, limit).await`, keep it, and `break`
    // STUB: //       once a probe's verdict `is_open()`.
    // STUB: todo!()
}

/// Diagnoses `host` and `port`.
///
/// 1. If `host` is an IP address, the only target is that address and port,
///    and there is no lookup. Otherwise [`look_up`] the host with `resolver`;
///    when that fails, the verdict is [`Verdict::NameNotResolved`] with its
///    error, and no connection is tried.
/// 2. [`probe_in_order`] the targets, each with the time limit `limit`.
/// 3. The verdict: the last probe's (the open one, when one is open).
/// 4. `listener`: for an open probe whose target is a loopback address, who
///    holds it ([`who_holds`]); `None` otherwise.
pub async fn diagnose<R: Resolver>(
    host: &str,
    port: u16,
    resolver: &R,
    limit: Duration,
) -> Diagnosis {
    // BEGIN SOLUTION
    let mut diagnosis = Diagnosis {
        host: host.to_string(),
        port,
        lookup: None,
        probes: Vec::new(),
        verdict: Verdict::NameNotResolved(ResolveError::NoAddress),
        listener: None,
    };
    let targets = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => {
            let lookup = look_up(host, port, resolver, limit).await;
            let result = lookup.result.clone();
            diagnosis.lookup = Some(lookup);
            match result {
                Ok(addresses) => addresses,
                Err(error) => {
                    diagnosis.verdict = Verdict::NameNotResolved(error);
                    return diagnosis;
                }
            }
        }
    };
    diagnosis.probes = probe_in_order(&targets, limit).await;
    if let Some(last) = diagnosis.probes.last() {
        diagnosis.verdict = last.verdict.clone();
        if last.verdict.is_open() && last.target.ip().is_loopback() {
            diagnosis.listener = who_holds(last.target);
        }
    }
    diagnosis
    // END SOLUTION
    // STUB: // TODO: 1. the targets: `host.parse::<IpAddr>()` gives `Ok(ip)` for an address (one target,
    // STUB: //          no lookup); otherwise `look_up(host, port, resolver, limit).await`, kept for the
    // STUB: //          report; on `Err(error)` return at once with `Verdict::NameNotResolved(error)` and
    // STUB: //          no probes.
    // STUB: //       2. `probe_in_order(&targets, limit).await`.
    // STUB: //       3. the verdict is the last probe's (`.last()`, `.clone()`); if it is open and its
    // STUB: //          target's IP `is_loopback()`, `listener` is `who_holds(target)`.
    // STUB: todo!()
}

/// The report, one step a line, then the verdict and the advice:
///
/// ```text
/// probe db.lab.test:5432
///   resolve db.lab.test: 127.0.0.2, 127.0.0.1 (0.1 ms)
///   connect 127.0.0.2:5432: refused (0.1 ms)
///   connect 127.0.0.1:5432: open (0.2 ms)
///   listening there: pid 4242 (postgres)
/// verdict: open
/// advice: a program listens on db.lab.test:5432 …
/// ```
impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "probe {}", endpoint(&self.host, self.port))?;
        if let Some(lookup) = &self.lookup {
            let found = match &lookup.result {
                Ok(addresses) => addresses
                    .iter()
                    .map(|address| address.ip().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                Err(error) => error.to_string(),
            };
            let took = milliseconds(lookup.elapsed);
            writeln!(f, "  resolve {}: {found} ({took})", lookup.host)?;
        }
        for attempt in &self.probes {
            let took = milliseconds(attempt.elapsed);
            writeln!(
                f,
                "  connect {}: {} ({took})",
                attempt.target, attempt.verdict
            )?;
        }
        if let Some(listener) = &self.listener {
            writeln!(f, "  listening there: {listener}")?;
        }
        writeln!(f, "verdict: {}", self.verdict)?;
        write!(f, "advice: {}", self.verdict.advice(&self.host, self.port))
    }
}
