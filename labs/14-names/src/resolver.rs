//! A stub resolver: one question to a DNS server, over UDP, and TCP when the answer is cut.
//!
//! A **stub resolver** is the part of every program that turns a name into addresses by
//! asking a server (the **recursive resolver** named in `/etc/resolv.conf`, which does the
//! real walk from the root down). The stub's job is small but easy to get wrong:
//!
//! - **UDP first** (RFC 1035 §4.2.1): one datagram out, one back. Nothing says the answer
//!   will come, so the stub waits a bounded time and then says it timed out.
//! - **Trust only the answer to its question.** Anyone who can send a datagram to the stub's
//!   port can try to slip in a forged answer. A fresh, unpredictable 16-bit **id** per query,
//!   a random source port (port 0), and checking that the answer repeats the id *and* the
//!   question are what keeps that hard (RFC 5452 §4, §9.1). An answer that does not match is
//!   ignored, and the stub goes on waiting for the real one.
//! - **TC means "ask again over TCP".** Over UDP, an answer is at most 512 bytes without EDNS
//!   (RFC 1035 §2.3.4); a longer one is cut and carries the TC bit. Over TCP the same message
//!   is sent with a 2-byte length in front (RFC 1035 §4.2.2, RFC 7766 §8).
//! - **Aliases.** A CNAME record says "this name is another name for that one"; the addresses
//!   belong to the end of the chain. A server usually sends the whole chain in one answer;
//!   when it stops at an alias, the stub asks again for the alias's target. Chains are
//!   bounded: a loop of aliases must not loop the stub.
//! - **Say what happened**: addresses (with how long they may be kept: the smallest TTL of
//!   the records used), the name does not exist (NXDOMAIN), it exists but has no record of
//!   that type (NOERROR with an empty answer: "no data", RFC 2308 §2.2), the server failed
//!   (SERVFAIL), or no answer at all (timeout). Programs react to each differently.

use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use crate::message::{MessageError, Rcode, RecordType};

/// The most aliases (CNAME records) a lookup follows before it gives up.
pub const MAX_ALIASES: usize = 8;

/// The addresses a name resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The name the addresses belong to: the end of the alias chain (the name asked for
    /// when there are no aliases), without the final dot.
    pub name: String,
    /// The names followed to get there, in order, starting with the name asked for.
    pub aliases: Vec<String>,
    /// The addresses, in the order the server sent them.
    pub addresses: Vec<IpAddr>,
    /// How many seconds this answer may be kept: the smallest TTL of every record used
    /// (each alias and each address).
    pub ttl: u32,
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The name has addresses of the type asked for.
    Found(Answer),
    /// NXDOMAIN: the name (or the end of its alias chain) does not exist.
    NxDomain,
    /// NOERROR, but no record of that type: the name exists (e.g. it has A but no AAAA).
    NoData,
    /// SERVFAIL: the server could not find out.
    ServFail,
    /// No answer to this question within the time allowed.
    Timeout,
}

/// `Outcome` the way the program prints it, one fact a line:
///
/// ```text
/// www.lab14.test is an alias of web.lab14.test
/// web.lab14.test has address 198.51.100.80
/// ttl 77
/// ```
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Found(answer) => {
                let mut names = answer.aliases.iter().chain([&answer.name]);
                let mut name = names.next().expect("the chain has at least one name");
                for target in names {
                    writeln!(f, "{name} is an alias of {target}")?;
                    name = target;
                }
                for address in &answer.addresses {
                    let kind = if address.is_ipv4() {
                        "address"
                    } else {
                        "IPv6 address"
                    };
                    writeln!(f, "{} has {kind} {address}", answer.name)?;
                }
                write!(f, "ttl {}", answer.ttl)
            }
            Outcome::NxDomain => write!(f, "no such name (NXDOMAIN)"),
            Outcome::NoData => write!(f, "the name exists, but has no record of that type"),
            Outcome::ServFail => write!(f, "the server failed (SERVFAIL)"),
            Outcome::Timeout => write!(f, "no answer (timed out)"),
        }
    }
}

/// Why a lookup could not say anything about the name.
#[derive(Debug)]
pub enum ResolveError {
    /// The name cannot be put in a query.
    BadName(MessageError),
    /// The server's answer over TCP is not a DNS message that answers the question.
    Malformed(MessageError),
    /// The server answered over TCP, but to another question (or with another id).
    Mismatch,
    /// The server answered with another rcode than NOERROR, NXDOMAIN or SERVFAIL.
    Rcode(Rcode),
    /// More than [`MAX_ALIASES`] aliases, or aliases that loop.
    TooManyAliases,
    /// The network said no (e.g. connection refused: nothing listens on that port).
    Io(io::Error),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::BadName(error) => write!(f, "cannot ask for that name: {error}"),
            ResolveError::Malformed(error) => write!(f, "the answer is malformed: {error}"),
            ResolveError::Mismatch => write!(f, "the answer is not for the question asked"),
            ResolveError::Rcode(rcode) => write!(f, "the server answered {rcode:?}"),
            ResolveError::TooManyAliases => {
                write!(f, "more than {MAX_ALIASES} aliases, or aliases that loop")
            }
            ResolveError::Io(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for ResolveError {}

/// Asks the DNS server at `server` for the `record_type` records (A or AAAA) of `name`, as
/// the module comment says: over UDP with a fresh random id, ignoring answers that do not
/// match the id and the question, again over TCP when the answer is truncated, following
/// aliases (at most [`MAX_ALIASES`]). Each exchange with the server waits at most
/// `patience`; a server that never answers gives [`Outcome::Timeout`].
pub fn resolve(
    server: SocketAddr,
    name: &str,
    record_type: RecordType,
    patience: Duration,
) -> Result<Outcome, ResolveError> {
    // TODO: the whole lookup, as the doc comment and the module comment say. Think about:
    // what makes an answer *the* answer to your query, what the TC bit asks of you, how each
    // rcode maps to an Outcome, where the addresses of an alias are, a chain that stops at
    // an alias or loops, and which TTL the answer may be kept for. Design your own helpers
    // (one exchange over UDP, one over TCP, …). Read chapter 14, "A stub resolver", RFC 1035
    // §4.2, RFC 7766 §8 and RFC 5452 §9.1. Stuck? `cargo xtask hint 14`.
    todo!()
}
