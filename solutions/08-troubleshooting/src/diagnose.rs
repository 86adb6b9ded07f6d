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
//! The report (its `Display`, which you write too) shows every step with its
//! time, the verdict, and the verdict's [advice](crate::verdict::Verdict::advice).

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
    // BEGIN SOLUTION
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
    // END SOLUTION
    // STUB: // TODO: the host and the port of what the user typed, as the doc comment says; the error
    // STUB: // messages are yours (the program prints them after `error: `, so make each one say how to
    // STUB: // write it right). Think about: `[::1]:22` (an IPv6 address has colons of its own, so
    // STUB: // which colon starts the port?); `::1:22` without brackets (ambiguous: refuse it);
    // STUB: // `[::1:22` with no `]`; `localhost` with no port; `localhost:http` and `host:70000`
    // STUB: // (not a port number); `:8080` with no host. Try each one on the program (chapter 8,
    // STUB: // "The exercises", step 5 shows how to run it). Stuck? `cargo xtask hint 08`.
    // STUB: todo!()
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
    // STUB: // TODO: a timed lookup with a time limit, as the doc comment says: the same idea as
    // STUB: // `probe`, for a name. Think about: a resolver that never answers (the test injects one:
    // STUB: // your code must give up after `limit`); a resolver that answers `Ok` with no address; a
    // STUB: // resolver's own error, kept as it is. Read this module's comment and chapter 8, "Testing
    // STUB: // names without the network". Stuck? `cargo xtask hint 08`.
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
    // STUB: // TODO: the attempts the doc comment describes, one after the other (not at once: a
    // STUB: // client tries a name's addresses in turn, lab 03). Think about: `localhost` as `::1`
    // STUB: // then `127.0.0.1`, with the server on the second; an open first address (the rest are
    // STUB: // never tried); no targets at all. Stuck? `cargo xtask hint 08`.
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
    // STUB: // TODO: the whole diagnosis, as the doc comment's four points say, built on `look_up` and
    // STUB: // `probe_in_order`. Think about: `127.0.0.1` or `::1` (no lookup at all: `lookup` stays
    // STUB: // `None`); a name that fails (keep its lookup for the report, try no connection); a
    // STUB: // name with two addresses; an open port on loopback (who listens there?) against one on
    // STUB: // another machine (`/proc` cannot tell). Read this module's comment and chapter 8, "Address
    // STUB: // already in use" (its last part: the port is open, but is it your server?). Stuck?
    // STUB: // `cargo xtask hint 08`.
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
///
/// - the first line is the host and port as [`endpoint`] writes them;
/// - the `resolve` line is there only when there was a lookup: the IP addresses
///   found (without their port), or the lookup's error
///   (`  resolve nothing.invalid: no such name (0.1 ms)`);
/// - one `connect` line per probe, with its target and verdict;
/// - the `listening there` line only when `listener` is known;
/// - every time as [`milliseconds`] writes it; the advice is the verdict's
///   [advice](crate::verdict::Verdict::advice), and the report ends without a newline.
impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // BEGIN SOLUTION
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
        // END SOLUTION
        // STUB: // TODO: the report of the doc comment above, line for line: the tests (and the program
        // STUB: // test) compare it letter by letter, with times written `[time]`. Think about: a
        // STUB: // diagnosis of an IP address (no `resolve` line); a failed lookup (its error, no
        // STUB: // `connect` line); two addresses on one `resolve` line; an IPv6 target; no newline after
        // STUB: // the advice. Read the std docs of `fmt::Display` and `writeln!`.
        // STUB: // Stuck? `cargo xtask hint 08`.
        // STUB: todo!()
    }
}
