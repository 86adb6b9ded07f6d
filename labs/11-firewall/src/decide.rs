//! Reading a ruleset the way the kernel does: which rule decides a packet's fate?
//!
//! "The service stopped answering after the firewall update" is a question about one packet:
//! the client's SYN. To answer it, walk the ruleset as netfilter does. `nft -j list ruleset`
//! prints the whole ruleset as JSON (the format of `man libnftables-json`): a list of
//! objects, each a `table`, a `chain` or a `rule`. A rule's `expr` is its statements in
//! order:
//!
//! ```text
//! {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 7,
//!           "expr": [{"match": {"op": "==",
//!                               "left": {"payload": {"protocol": "tcp", "field": "dport"}},
//!                               "right": {"range": [8000, 8999]}}},
//!                    {"counter": {"packets": 3, "bytes": 180}},
//!                    {"drop": null}]}}
//! ```
//!
//! How the kernel walks it:
//!
//! 1. Every **base chain** on the `input` hook sees the packet, in order of priority (lowest
//!    first), whatever table it is in; a chain of family `ip` sees only IPv4, `ip6` only IPv6,
//!    `inet` both. An `accept` ends one base chain only: the next one still sees the packet.
//!    A `drop` or `reject` is final.
//! 2. In a chain, the rules run in the order listed. A rule applies when all its matches
//!    hold; then its statements run in order (`counter` and `log` only record), and the first
//!    verdict ends the walk of the chain. `jump C` walks chain `C` and, if `C` ends without a
//!    verdict (or with `return`), comes back to the rule after the jump; `goto C` does not
//!    come back.
//! 3. A base chain that ends without a verdict applies its **policy** (`accept` if none).
//!
//! A match on a header the packet does not have never holds: `ip saddr …` (even
//! `ip saddr != …`) skips an IPv6 packet, `udp dport 53` skips a TCP one. This module knows
//! the matches the course's rulesets use; anything else is an error that names the rule,
//! never a guess.

use std::fmt;
use std::net::IpAddr;

use crate::probe::Reach;

/// The packet in question: a TCP SYN for `port`, from `source`, arriving on `interface`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    pub source: IpAddr,
    pub port: u16,
    /// The interface it arrives on: `lo` for the host's own traffic, e.g. `eth0` otherwise.
    pub interface: String,
    /// What connection tracking knows of it: a SYN that opens a connection is `New`.
    pub state: State,
}

/// Connection tracking's state of a packet (`ct state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The first packet of a connection.
    New,
    /// A packet of a connection already seen in both directions.
    Established,
}

impl State {
    /// The name `ct state` uses: `new` or `established`.
    pub fn name(self) -> &'static str {
        match self {
            State::New => "new",
            State::Established => "established",
        }
    }
}

/// What a rule (or a policy) does with the packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    Drop,
    /// `reject with tcp reset`.
    RejectWithReset,
    /// `reject with icmp …`, `icmpv6 …` or `icmpx …`: the ICMP error it answers with, e.g.
    /// `admin-prohibited` or `port-unreachable` (what a bare `reject` sends).
    RejectWithIcmp(String),
}

impl Verdict {
    /// What a client's connection attempt finds when its SYN meets this verdict (and, for
    /// `Accept`, a program listens): the [`Reach`] a probe reports. An ICMP port unreachable
    /// becomes "connection refused", like a reset; other ICMP errors are prohibited.
    pub fn reach(&self) -> Reach {
        // TODO: what the client sees for each verdict, as the doc comment says. Read chapter 11,
        // "Drop or reject?", and compare with the table in src/probe.rs.
        todo!()
    }
}

/// `accept`, `drop`, `reject with tcp reset`, `reject with icmp admin-prohibited`.
impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Accept => write!(f, "accept"),
            Verdict::Drop => write!(f, "drop"),
            Verdict::RejectWithReset => write!(f, "reject with tcp reset"),
            Verdict::RejectWithIcmp(code) => write!(f, "reject with icmp {code}"),
        }
    }
}

/// A chain, named as `nft` commands name it: `inet filter input`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub family: String,
    pub table: String,
    pub name: String,
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.family, self.table, self.name)
    }
}

/// Which rule decided, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    /// The chain the deciding rule (or policy) belongs to; `None` when no base chain is on
    /// the `input` hook at all (nothing filters: the packet is accepted).
    pub chain: Option<Chain>,
    /// The deciding rule's handle (`nft -a list ruleset` shows them as `# handle 7`); `None`
    /// when no rule decided and the chain's policy did.
    pub handle: Option<u64>,
}

/// `rule 7 of chain inet filter input: drop`, or `the policy of chain inet filter input: drop`.
impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.chain, self.handle) {
            (None, _) => write!(f, "no chain on the input hook: {}", self.verdict),
            (Some(chain), Some(handle)) => {
                write!(f, "rule {handle} of chain {chain}: {}", self.verdict)
            }
            (Some(chain), None) => write!(f, "the policy of chain {chain}: {}", self.verdict),
        }
    }
}

/// Why a ruleset could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecideError {
    /// Not the JSON of `nft -j list ruleset`.
    NotNftJson(String),
    /// A rule holds a statement or match this module does not know; guessing could name the
    /// wrong rule.
    Unreadable {
        chain: Chain,
        handle: u64,
        what: String,
    },
    /// Jumps nested deeper than the kernel allows (16), or in a loop.
    TooDeep(Chain),
}

impl fmt::Display for DecideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecideError::NotNftJson(why) => {
                write!(f, "this is not the output of `nft -j list ruleset`: {why}")
            }
            DecideError::Unreadable {
                chain,
                handle,
                what,
            } => write!(
                f,
                "rule {handle} of chain {chain} uses {what}, which this diagnosis cannot \
                 evaluate; read that rule yourself: `nft -a list chain {chain}`"
            ),
            DecideError::TooDeep(chain) => write!(
                f,
                "the jumps from chain {chain} nest deeper than 16 chains, or loop"
            ),
        }
    }
}

impl std::error::Error for DecideError {}

/// Walks the ruleset `nft_json` (the output of `nft -j list ruleset`) as the kernel walks it
/// for `packet` on the `input` hook (see the module comment), and returns the decision: a
/// drop or reject in any base chain, or, when every base chain accepts, the last one's
/// accept.
pub fn decide(nft_json: &str, packet: &Packet) -> Result<Decision, DecideError> {
    // TODO: find the decision, as the doc comment and the module comment say. You design
    // the pieces: reading the JSON (serde_json::Value is enough), the base chains in order,
    // one chain's walk with its jumps, and one match. Think about: two tables on the same
    // hook; an accept in the first and a drop in the second; `ip saddr` on an IPv6 packet;
    // `!=`; sets, ranges and prefixes on the right of a match; a rule with a counter before
    // its verdict; a chain that jumps to one that returns; a statement you do not know
    // (an error, not a guess). Read chapter 11, "Reading the ruleset like the kernel",
    // and `man libnftables-json`. Stuck? `cargo xtask hint 11`.
    todo!()
}
