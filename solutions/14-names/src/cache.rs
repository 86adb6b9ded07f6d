//! A cache that honours TTLs: ask once, reuse the answer only as long as it says.
//!
//! Every resource record carries a **TTL**, time to live: the number of seconds a resolver may
//! keep it and answer from it without asking again (RFC 1034 §3.6, RFC 1035 §3.2.1). The
//! owner of the name chooses it. A short TTL is a promise that a change (a new server, a
//! failover to another address) reaches every client within that many seconds; a cache that
//! keeps an answer longer breaks that promise and sends its users to an address that may no
//! longer be the right one. A cache that keeps it shorter only asks more often.
//!
//! An answer made of several records (an alias, then addresses) may be kept as long as its
//! shortest-lived record: [`Answer::ttl`] already is that smallest TTL.
//!
//! The clock is a parameter (`now: Instant`): the program passes `Instant::now()`, and a test
//! can pass "five minutes later" without waiting five minutes.
//!
//! Only answers with addresses are kept. Negative answers (NXDOMAIN, no data) may be cached
//! too, for the time the zone's SOA record gives in the authority section (RFC 2308 §5); an
//! answer without an SOA must not be, and a server such as dnsmasq sends none for its own
//! names, so this cache keeps no negative answers at all.

use std::net::SocketAddr;
use std::time::{Duration, Instant};
// BEGIN SOLUTION

use std::collections::HashMap;
// END SOLUTION

use crate::message::RecordType;
use crate::resolver::{Answer, Outcome, ResolveError, resolve};

/// Answers by (name, record type), each until its TTL runs out. Names compare without regard
/// to case, and with or without a final dot.
#[derive(Debug, Default)]
pub struct Cache {
    // BEGIN SOLUTION
    entries: HashMap<(String, RecordType), Entry>,
    // END SOLUTION
    // STUB: // TODO: what the cache keeps, and until when: design it yourself.
}

impl Cache {
    /// An empty cache.
    pub fn new() -> Cache {
        Cache::default()
    }

    /// Keeps `answer` as the answer for `name` and `record_type`, learned at `now`, for
    /// `answer.ttl` seconds (replacing an older one). An answer with TTL 0 may be used once
    /// and not kept: it is not stored.
    pub fn insert(&mut self, name: &str, record_type: RecordType, answer: Answer, now: Instant) {
        // BEGIN SOLUTION
        if answer.ttl == 0 {
            return;
        }
        let expires = now + Duration::from_secs(u64::from(answer.ttl));
        self.entries
            .insert(key(name, record_type), Entry { answer, expires });
        // END SOLUTION
        // STUB: // TODO: remember the answer and when it stops being usable, as the doc comment says.
        // STUB: // Read chapter 14, "Caching: what a TTL promises". Stuck? `cargo xtask hint 14`.
        // STUB: todo!()
    }

    /// The answer for `name` and `record_type` if one is still usable at `now`, with its
    /// `ttl` set to the whole seconds it has left (a cache that passes an answer on says how
    /// much longer it may be kept, not how long it was first given for). An answer is no
    /// longer usable from the moment its TTL has run out.
    pub fn get(&self, name: &str, record_type: RecordType, now: Instant) -> Option<Answer> {
        // BEGIN SOLUTION
        let entry = self
            .entries
            .get(&key(name, record_type))
            .filter(|entry| now < entry.expires)?;
        let left = entry.expires.duration_since(now).as_secs();
        Some(Answer {
            ttl: u32::try_from(left).unwrap_or(u32::MAX),
            ..entry.answer.clone()
        })
        // END SOLUTION
        // STUB: // TODO: the answer, if it is still usable at `now`, with the TTL it has left. Think
        // STUB: // about: the exact moment it runs out, a name written in capitals or with a final dot,
        // STUB: // and what `ttl` a caller should see. Stuck? `cargo xtask hint 14`.
        // STUB: todo!()
    }

    /// Looks `name` up the way [`resolve`] does, but answers from the cache when it can: the
    /// server is asked only when no usable answer is kept, and a new answer with addresses is
    /// kept for next time. Negative answers and failures are not kept (see the module comment).
    pub fn resolve(
        &mut self,
        server: SocketAddr,
        name: &str,
        record_type: RecordType,
        patience: Duration,
        now: Instant,
    ) -> Result<Outcome, ResolveError> {
        // BEGIN SOLUTION
        if let Some(answer) = self.get(name, record_type, now) {
            return Ok(Outcome::Found(answer));
        }
        let outcome = resolve(server, name, record_type, patience)?;
        if let Outcome::Found(answer) = &outcome {
            self.insert(name, record_type, answer.clone(), now);
        }
        Ok(outcome)
        // END SOLUTION
        // STUB: // TODO: answer from the cache, or ask and keep the answer, as the doc comment says.
        // STUB: // Stuck? `cargo xtask hint 14`.
        // STUB: todo!()
    }
}

// BEGIN SOLUTION
/// An answer and the moment it stops being usable.
#[derive(Debug)]
struct Entry {
    answer: Answer,
    expires: Instant,
}

/// The key of a name: lower case, without a final dot.
fn key(name: &str, record_type: RecordType) -> (String, RecordType) {
    let name = name.strip_suffix('.').unwrap_or(name);
    (name.to_ascii_lowercase(), record_type)
}
// END SOLUTION
