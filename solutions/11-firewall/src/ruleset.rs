//! A policy written for the kernel: an nftables ruleset.
//!
//! Linux filters packets with *netfilter*, and `nft` (the nftables command) loads the rules.
//! A ruleset is a list of **tables**; a table holds **chains**; a chain attached to a *hook*
//! (a point on the packet's path through the kernel) is a **base chain**, and every packet
//! that reaches the hook walks through its rules in order. A rule is a list of *matches*
//! (`tcp dport 22`, `ip saddr 198.51.100.0/24`) and a *verdict* (`accept`, `drop`,
//! `reject`); the first rule whose matches all hold decides, and when none does, the chain's
//! **policy** decides. Packets for this host meet the `input` hook:
//!
//! ```text
//! table inet lab11 {                     inet: IPv4 and IPv6 together
//!     chain input {
//!         type filter hook input priority filter; policy drop;
//!         tcp dport 8080 accept          rules, first match wins
//!     }
//! }
//! ```
//!
//! A policy of `drop` with nothing else drops far more than the services you did not list:
//!
//! - the host's own programs talking to each other over `lo` (127.0.0.1, ::1);
//! - the *answers* to connections the host itself opened: its SYN-ACKs come back in as
//!   packets too, and only connection tracking (`ct state`) knows they belong to a
//!   connection that was allowed;
//! - IPv6's neighbour discovery (ICMPv6), without which no IPv6 client on the link can even
//!   find the host's link-layer address: IPv6 stops working altogether.
//!
//! `nft -f FILE` loads a ruleset file in one transaction: all of it, or none of it.

use crate::policy::{Allow, Policy};
// BEGIN SOLUTION
use crate::policy::Refusal;
// END SOLUTION

/// The name of the table the lab's rulesets live in (family `inet`).
pub const TABLE: &str = "lab11";

/// The ruleset that enforces `policy`, as a file for `nft -f`.
///
/// It defines the table `inet lab11` with one base chain on the `input` hook, and it replaces
/// that table's rules whenever it is loaded: loading it twice leaves one copy of each rule.
/// The host must keep working as a host:
///
/// - everything that arrives on the loopback interface `lo` is accepted;
/// - packets of connections that were already allowed (`established`, `related`) are
///   accepted, and those conntrack cannot place (`invalid`) are dropped;
/// - IPv6 neighbour discovery (neighbour solicitations and advertisements, router
///   advertisements) is accepted;
/// - each allowed service is accepted from its sources only (see [`allow_match`]);
/// - every other TCP connection attempt is refused as `policy.refuse` says: dropped, answered
///   with a TCP reset, or with ICMP administratively prohibited. Anything else is dropped.
pub fn ruleset(policy: &Policy) -> String {
    // BEGIN SOLUTION
    let mut rules = vec![
        "iif \"lo\" accept".to_string(),
        "ct state established,related accept".to_string(),
        "ct state invalid drop".to_string(),
        "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept"
            .to_string(),
    ];
    rules.extend(
        policy
            .allow
            .iter()
            .map(|allow| format!("{} accept", allow_match(allow))),
    );
    rules.extend(refusal_rule(policy.refuse));
    // `table` then `flush table` empties the table if it exists (and creates it if not), so
    // that loading the file again replaces the rules instead of adding a second copy.
    let mut file = format!("table inet {TABLE}\nflush table inet {TABLE}\n");
    file.push_str(&format!("table inet {TABLE} {{\n"));
    file.push_str("    chain input {\n");
    file.push_str("        type filter hook input priority filter; policy drop;\n");
    for rule in rules {
        file.push_str(&format!("        {rule}\n"));
    }
    file.push_str("    }\n}\n");
    file
    // END SOLUTION
    // STUB: // TODO: write the ruleset the doc comment describes, as the text of a file for
    // STUB: // `nft -f`. Think about: what a bare `policy drop` also drops (loopback, the answers to
    // STUB: // the host's own connections, IPv6 neighbour discovery); the order of the rules, since
    // STUB: // the first match wins; the three refusals and what a client sees for each; and loading
    // STUB: // the file twice. Try it as root in a namespace of your own: `nft -c -f FILE` checks a
    // STUB: // file without loading it. Read chapter 11, "Chains, rules and the first match" and
    // STUB: // "What a drop policy also drops". Stuck? `cargo xtask hint 11`.
    // STUB: todo!()
}

/// The nftables matches that admit exactly one allowed service: its TCP port, and its source
/// block when it has one, e.g. `tcp dport 22 ip saddr 198.51.100.0/24` or `tcp dport 8080`.
/// An IPv4 block is matched on the IPv4 source address, an IPv6 block on the IPv6 one.
pub fn allow_match(allow: &Allow) -> String {
    // BEGIN SOLUTION
    match allow.from {
        None => format!("tcp dport {}", allow.port),
        Some(from) => {
            let family = if from.address.is_ipv4() { "ip" } else { "ip6" };
            format!("tcp dport {} {family} saddr {from}", allow.port)
        }
    }
    // END SOLUTION
    // STUB: // TODO: the matches of one service, as the doc comment says. Think about: a service for
    // STUB: // everyone, for one address, for a block, and for an IPv6 block. Read chapter 11, "Rules
    // STUB: // per source address", and `man nft`, section PAYLOAD EXPRESSION.
    // STUB: todo!()
}

// BEGIN SOLUTION
/// The last rule: how a TCP connection attempt that no service admitted is refused. Dropping
/// needs no rule (the chain's policy drops).
fn refusal_rule(refuse: Refusal) -> Option<String> {
    match refuse {
        Refusal::Drop => None,
        Refusal::Reset => Some("meta l4proto tcp reject with tcp reset".into()),
        Refusal::Prohibit => Some("meta l4proto tcp reject with icmpx admin-prohibited".into()),
    }
}
// END SOLUTION
