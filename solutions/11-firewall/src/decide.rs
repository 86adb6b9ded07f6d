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

// BEGIN SOLUTION
use serde_json::Value;

use crate::policy::Network;
// END SOLUTION
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
        // BEGIN SOLUTION
        match self {
            Verdict::Accept => Reach::Open,
            Verdict::Drop => Reach::Filtered,
            Verdict::RejectWithReset => Reach::Refused,
            Verdict::RejectWithIcmp(code) if code == "port-unreachable" => Reach::Refused,
            Verdict::RejectWithIcmp(_) => Reach::Prohibited,
        }
        // END SOLUTION
        // STUB: // TODO: what the client sees for each verdict, as the doc comment says. Read chapter 11,
        // STUB: // "Drop or reject?", and compare with the table in src/probe.rs.
        // STUB: todo!()
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
    // BEGIN SOLUTION
    let ruleset = Ruleset::read(nft_json)?;
    let mut decision = Decision {
        verdict: Verdict::Accept,
        chain: None,
        handle: None,
    };
    for base in ruleset.input_chains(packet) {
        let (verdict, handle, chain) = match ruleset.walk(&base.chain, packet, 0)? {
            Some((verdict, handle, chain)) => (verdict, Some(handle), chain),
            None => (base.policy.clone(), None, base.chain.clone()),
        };
        decision = Decision {
            verdict,
            chain: Some(chain),
            handle,
        };
        if decision.verdict != Verdict::Accept {
            break;
        }
    }
    Ok(decision)
    // END SOLUTION
    // STUB: // TODO: find the decision, as the doc comment and the module comment say. You design
    // STUB: // the pieces: reading the JSON (serde_json::Value is enough), the base chains in order,
    // STUB: // one chain's walk with its jumps, and one match. Think about: two tables on the same
    // STUB: // hook; an accept in the first and a drop in the second; `ip saddr` on an IPv6 packet;
    // STUB: // `!=`; sets, ranges and prefixes on the right of a match; a rule with a counter before
    // STUB: // its verdict; a chain that jumps to one that returns; a statement you do not know
    // STUB: // (an error, not a guess). Read chapter 11, "Reading the ruleset like the kernel",
    // STUB: // and `man libnftables-json`. Stuck? `cargo xtask hint 11`.
    // STUB: todo!()
}

// BEGIN SOLUTION
/// How deep jumps may nest: the kernel's limit.
const MAX_JUMPS: usize = 16;

/// A base chain on the input hook.
struct BaseChain {
    chain: Chain,
    priority: i64,
    policy: Verdict,
}

/// One rule: where it is, its handle and its statements.
struct Rule {
    chain: Chain,
    handle: u64,
    statements: Vec<Value>,
}

/// The parts of the ruleset a decision needs, in the order `nft` listed them.
struct Ruleset {
    base_chains: Vec<BaseChain>,
    rules: Vec<Rule>,
}

/// What running one rule's statements came to.
enum Outcome {
    /// A match did not hold, or no statement gave a verdict: go on with the next rule.
    Next,
    Verdict(Verdict),
    Jump(String),
    Goto(String),
    Return,
}

/// The value of a packet's field, to compare with the right side of a match.
enum Field {
    Text(String),
    Number(u64),
    Address(IpAddr),
}

impl Ruleset {
    fn read(nft_json: &str) -> Result<Ruleset, DecideError> {
        let json: Value = serde_json::from_str(nft_json)
            .map_err(|error| DecideError::NotNftJson(error.to_string()))?;
        let objects = json["nftables"].as_array().ok_or_else(|| {
            DecideError::NotNftJson("it has no list named \"nftables\"".to_string())
        })?;
        let mut ruleset = Ruleset {
            base_chains: Vec::new(),
            rules: Vec::new(),
        };
        for object in objects {
            if let Some(chain) = object.get("chain") {
                if chain["hook"] == "input" {
                    ruleset.base_chains.push(BaseChain {
                        chain: chain_of(chain, "name"),
                        priority: chain["prio"].as_i64().unwrap_or(0),
                        policy: match chain["policy"].as_str() {
                            Some("drop") => Verdict::Drop,
                            _ => Verdict::Accept,
                        },
                    });
                }
            } else if let Some(rule) = object.get("rule") {
                ruleset.rules.push(Rule {
                    chain: chain_of(rule, "chain"),
                    handle: rule["handle"].as_u64().unwrap_or(0),
                    statements: rule["expr"].as_array().cloned().unwrap_or_default(),
                });
            }
        }
        Ok(ruleset)
    }

    /// The base chains on the input hook that see `packet`, lowest priority first.
    fn input_chains(&self, packet: &Packet) -> Vec<&BaseChain> {
        let family = if packet.source.is_ipv4() { "ip" } else { "ip6" };
        let mut chains: Vec<&BaseChain> = self
            .base_chains
            .iter()
            .filter(|base| base.chain.family == "inet" || base.chain.family == family)
            .collect();
        chains.sort_by_key(|base| base.priority);
        chains
    }

    /// Walks `chain` for `packet`: the verdict, the deciding rule's handle and its chain, or
    /// `None` when the chain ends (or returns) without a verdict.
    fn walk(
        &self,
        chain: &Chain,
        packet: &Packet,
        depth: usize,
    ) -> Result<Option<(Verdict, u64, Chain)>, DecideError> {
        if depth > MAX_JUMPS {
            return Err(DecideError::TooDeep(chain.clone()));
        }
        for rule in self.rules.iter().filter(|rule| rule.chain == *chain) {
            let target = |name: String| Chain {
                name,
                ..chain.clone()
            };
            match run(rule, packet)? {
                Outcome::Next => {}
                Outcome::Verdict(verdict) => {
                    return Ok(Some((verdict, rule.handle, chain.clone())));
                }
                Outcome::Jump(name) => {
                    if let Some(found) = self.walk(&target(name), packet, depth + 1)? {
                        return Ok(Some(found));
                    }
                }
                Outcome::Goto(name) => return self.walk(&target(name), packet, depth + 1),
                Outcome::Return => return Ok(None),
            }
        }
        Ok(None)
    }
}

/// The chain a `chain` or `rule` object names (its name under `name_key`).
fn chain_of(object: &Value, name_key: &str) -> Chain {
    let text = |key: &str| object[key].as_str().unwrap_or_default().to_string();
    Chain {
        family: text("family"),
        table: text("table"),
        name: text(name_key),
    }
}

/// Runs one rule's statements for `packet`.
fn run(rule: &Rule, packet: &Packet) -> Result<Outcome, DecideError> {
    let unreadable = |what: String| DecideError::Unreadable {
        chain: rule.chain.clone(),
        handle: rule.handle,
        what,
    };
    for statement in &rule.statements {
        let Some((kind, body)) = statement
            .as_object()
            .and_then(|object| object.iter().next())
        else {
            return Err(unreadable(format!("the statement {statement}")));
        };
        match kind.as_str() {
            "match" => match holds(body, packet) {
                Some(true) => {}
                Some(false) => return Ok(Outcome::Next),
                None => return Err(unreadable(format!("the match {body}"))),
            },
            "counter" | "log" => {}
            "accept" => return Ok(Outcome::Verdict(Verdict::Accept)),
            "drop" => return Ok(Outcome::Verdict(Verdict::Drop)),
            "reject" => return Ok(Outcome::Verdict(reject_verdict(body))),
            "jump" | "goto" => {
                let Some(target) = body["target"].as_str() else {
                    return Err(unreadable(format!("the {kind} {body}")));
                };
                return Ok(if kind == "jump" {
                    Outcome::Jump(target.to_string())
                } else {
                    Outcome::Goto(target.to_string())
                });
            }
            "return" => return Ok(Outcome::Return),
            other => return Err(unreadable(format!("the statement `{other}`"))),
        }
    }
    Ok(Outcome::Next)
}

/// `{"type": "tcp reset"}` or `{"type": "icmpx", "expr": "admin-prohibited"}`; a bare
/// `reject` (`null`, or no `expr`) answers with port unreachable.
fn reject_verdict(body: &Value) -> Verdict {
    if body["type"] == "tcp reset" {
        Verdict::RejectWithReset
    } else {
        let code = body["expr"].as_str().unwrap_or("port-unreachable");
        Verdict::RejectWithIcmp(code.to_string())
    }
}

/// Whether a match holds for `packet`: `None` when it is not one this module knows.
fn holds(body: &Value, packet: &Packet) -> Option<bool> {
    let Some(field) = field_of(&body["left"], packet)? else {
        // A header the packet does not have: the match never holds, whatever the operator.
        return Some(false);
    };
    let found = contains(&body["right"], &field)?;
    match body["op"].as_str()? {
        "==" | "in" => Some(found),
        "!=" => Some(!found),
        _ => None,
    }
}

/// The packet's value for the left side of a match: `None` when the expression is unknown,
/// `Some(None)` when the packet has no such header.
fn field_of(left: &Value, packet: &Packet) -> Option<Option<Field>> {
    if let Some(key) = left["meta"]["key"].as_str() {
        let value = match key {
            "iif" | "iifname" => Field::Text(packet.interface.clone()),
            "l4proto" => Field::Text("tcp".to_string()),
            "nfproto" => Field::Text(
                if packet.source.is_ipv4() {
                    "ipv4"
                } else {
                    "ipv6"
                }
                .into(),
            ),
            _ => return None,
        };
        return Some(Some(value));
    }
    if left["ct"]["key"] == "state" {
        return Some(Some(Field::Text(packet.state.name().to_string())));
    }
    let payload = &left["payload"];
    match (payload["protocol"].as_str()?, payload["field"].as_str()?) {
        ("tcp", "dport") => Some(Some(Field::Number(u64::from(packet.port)))),
        ("tcp", _) => None,
        ("ip", "saddr") => Some(
            packet
                .source
                .is_ipv4()
                .then_some(Field::Address(packet.source)),
        ),
        ("ip6", "saddr") => Some(
            packet
                .source
                .is_ipv6()
                .then_some(Field::Address(packet.source)),
        ),
        ("ip" | "ip6", _) => None,
        // udp, icmp, icmpv6…: a TCP packet has no such header.
        _ => Some(None),
    }
}

/// Whether the right side of a match (a value, a set, a range or a prefix) holds `field`;
/// `None` for a shape this module does not know.
fn contains(right: &Value, field: &Field) -> Option<bool> {
    if let Some(elements) = right.as_array().or_else(|| right["set"].as_array()) {
        for element in elements {
            if contains(element, field)? {
                return Some(true);
            }
        }
        return Some(false);
    }
    if let Some([low, high]) = right["range"].as_array().map(Vec::as_slice) {
        let Field::Number(number) = field else {
            return None;
        };
        return Some((low.as_u64()?..=high.as_u64()?).contains(number));
    }
    if right.get("prefix").is_some() {
        let Field::Address(address) = field else {
            return None;
        };
        let network = Network {
            address: right["prefix"]["addr"].as_str()?.parse().ok()?,
            prefix: u8::try_from(right["prefix"]["len"].as_u64()?).ok()?,
        };
        return Some(network.contains(*address));
    }
    match field {
        Field::Number(number) => Some(right.as_u64()? == *number),
        Field::Text(text) => match right {
            Value::String(name) => Some(name == text),
            // `meta l4proto 6` is TCP's protocol number.
            Value::Number(number) => Some(text == "tcp" && number.as_u64() == Some(6)),
            _ => None,
        },
        Field::Address(address) => Some(right.as_str()?.parse::<IpAddr>().ok()? == *address),
    }
}
// END SOLUTION
