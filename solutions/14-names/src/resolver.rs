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
// BEGIN SOLUTION

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, TcpStream, UdpSocket};
use std::time::Instant;

use crate::message::{RecordData, Response, build_query, parse_response};
// END SOLUTION

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
    // BEGIN SOLUTION
    let mut current = name.strip_suffix('.').unwrap_or(name).to_string();
    let mut aliases: Vec<String> = Vec::new();
    let mut ttl = u32::MAX;
    // One query per step of the chain at most, and the chain is bounded.
    for _ in 0..=MAX_ALIASES {
        let Some(response) = exchange(server, &current, record_type, patience)? else {
            return Ok(Outcome::Timeout);
        };
        match response.rcode {
            Rcode::NoError => {}
            Rcode::NxDomain => return Ok(Outcome::NxDomain),
            Rcode::ServFail => return Ok(Outcome::ServFail),
            other => return Err(ResolveError::Rcode(other)),
        }
        let followed_before = aliases.len();
        while let Some((target, alias_ttl)) = alias_of(&response, &current) {
            if aliases.len() == MAX_ALIASES || aliases.iter().any(|seen| same_name(seen, &target)) {
                return Err(ResolveError::TooManyAliases);
            }
            aliases.push(std::mem::replace(&mut current, target));
            ttl = ttl.min(alias_ttl);
        }
        let found = addresses_of(&response, &current, record_type);
        if !found.is_empty() {
            let ttl = found.iter().map(|(_, ttl)| *ttl).fold(ttl, u32::min);
            return Ok(Outcome::Found(Answer {
                name: current,
                aliases,
                addresses: found.into_iter().map(|(address, _)| address).collect(),
                ttl,
            }));
        }
        if aliases.len() == followed_before {
            return Ok(Outcome::NoData);
        }
        // The answer stopped at an alias: ask for its target.
    }
    Err(ResolveError::TooManyAliases)
    // END SOLUTION
    // STUB: // TODO: the whole lookup, as the doc comment and the module comment say. Think about:
    // STUB: // what makes an answer *the* answer to your query, what the TC bit asks of you, how each
    // STUB: // rcode maps to an Outcome, where the addresses of an alias are, a chain that stops at
    // STUB: // an alias or loops, and which TTL the answer may be kept for. Design your own helpers
    // STUB: // (one exchange over UDP, one over TCP, …). Read chapter 14, "A stub resolver", RFC 1035
    // STUB: // §4.2, RFC 7766 §8 and RFC 5452 §9.1. Stuck? `cargo xtask hint 14`.
    // STUB: todo!()
}

// BEGIN SOLUTION
/// One question and its answer: over UDP, then over TCP if the UDP answer is truncated.
/// `None` when no matching answer came in time.
fn exchange(
    server: SocketAddr,
    name: &str,
    record_type: RecordType,
    patience: Duration,
) -> Result<Option<Response>, ResolveError> {
    let id = fresh_id();
    let query = build_query(id, name, record_type).map_err(ResolveError::BadName)?;
    let answers = |response: &Response| answers_query(response, id, name, record_type);
    match ask_over_udp(server, &query, &answers, patience)? {
        Some(response) if response.truncated => ask_over_tcp(server, &query, &answers, patience),
        other => Ok(other),
    }
}

/// A new query id that an attacker cannot guess (RFC 5452 §9.2): from the system's random
/// number generator.
fn fresh_id() -> u16 {
    let mut id = [0u8; 2];
    getrandom::fill(&mut id).expect("the system's random number generator works");
    u16::from_be_bytes(id)
}

/// Whether `response` answers the query with `id` for `name` and `record_type`.
fn answers_query(response: &Response, id: u16, name: &str, record_type: RecordType) -> bool {
    response.is_response
        && response.id == id
        && response.question.as_ref().is_some_and(|question| {
            question.record_type == record_type && same_name(&question.name, name)
        })
}

/// Names compare without regard to ASCII case (RFC 4343).
fn same_name(one: &str, other: &str) -> bool {
    one.eq_ignore_ascii_case(other)
}

/// Sends `query` in one datagram and waits, at most `patience`, for a datagram that
/// `answers`; anything else that arrives (another id, another question, garbage) is ignored.
fn ask_over_udp(
    server: SocketAddr,
    query: &[u8],
    answers: &dyn Fn(&Response) -> bool,
    patience: Duration,
) -> Result<Option<Response>, ResolveError> {
    let any_port: IpAddr = if server.is_ipv4() {
        Ipv4Addr::UNSPECIFIED.into()
    } else {
        Ipv6Addr::UNSPECIFIED.into()
    };
    let socket = UdpSocket::bind((any_port, 0)).map_err(ResolveError::Io)?;
    // A connected UDP socket receives datagrams from the server's address and port only.
    socket.connect(server).map_err(ResolveError::Io)?;
    socket.send(query).map_err(ResolveError::Io)?;
    let deadline = Instant::now() + patience;
    let mut buffer = [0u8; 65535];
    // Bounded in time by the deadline, and in count: a flood of wrong answers ends it too.
    for _ in 0..1000 {
        let Some(left) = deadline
            .checked_duration_since(Instant::now())
            .filter(|left| !left.is_zero())
        else {
            return Ok(None);
        };
        socket
            .set_read_timeout(Some(left))
            .map_err(ResolveError::Io)?;
        let length = match socket.recv(&mut buffer) {
            Ok(length) => length,
            Err(error) if is_timeout(&error) => return Ok(None),
            Err(error) => return Err(ResolveError::Io(error)),
        };
        if let Ok(response) = parse_response(&buffer[..length])
            && answers(&response)
        {
            return Ok(Some(response));
        }
    }
    Ok(None)
}

/// The same query over TCP: a 2-byte length, then the message, both ways (RFC 1035 §4.2.2).
fn ask_over_tcp(
    server: SocketAddr,
    query: &[u8],
    answers: &dyn Fn(&Response) -> bool,
    patience: Duration,
) -> Result<Option<Response>, ResolveError> {
    let exchange = || -> io::Result<Vec<u8>> {
        let mut stream = TcpStream::connect_timeout(&server, patience)?;
        stream.set_read_timeout(Some(patience))?;
        stream.set_write_timeout(Some(patience))?;
        let length = u16::try_from(query.len()).expect("a query is shorter than 64 KiB");
        let mut framed = length.to_be_bytes().to_vec();
        framed.extend_from_slice(query);
        stream.write_all(&framed)?;
        let mut length = [0u8; 2];
        stream.read_exact(&mut length)?;
        let mut message = vec![0u8; usize::from(u16::from_be_bytes(length))];
        stream.read_exact(&mut message)?;
        Ok(message)
    };
    let message = match exchange() {
        Ok(message) => message,
        Err(error) if is_timeout(&error) => return Ok(None),
        Err(error) => return Err(ResolveError::Io(error)),
    };
    let response = parse_response(&message).map_err(ResolveError::Malformed)?;
    if !answers(&response) {
        return Err(ResolveError::Mismatch);
    }
    Ok(Some(response))
}

/// A read or connect that gave up waiting (`WouldBlock` is how a read timeout shows on Unix).
fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// The target and TTL of the CNAME record owned by `name` in the answer, if there is one.
fn alias_of(response: &Response, name: &str) -> Option<(String, u32)> {
    response
        .answers
        .iter()
        .find_map(|record| match &record.data {
            RecordData::Cname(target) if same_name(&record.name, name) => {
                Some((target.clone(), record.ttl))
            }
            _ => None,
        })
}

/// The addresses of `record_type` owned by `name` in the answer, with their TTLs.
fn addresses_of(response: &Response, name: &str, record_type: RecordType) -> Vec<(IpAddr, u32)> {
    response
        .answers
        .iter()
        .filter(|record| same_name(&record.name, name))
        .filter_map(|record| match (&record.data, record_type) {
            (RecordData::A(address), RecordType::A) => Some((IpAddr::V4(*address), record.ttl)),
            (RecordData::Aaaa(address), RecordType::Aaaa) => {
                Some((IpAddr::V6(*address), record.ttl))
            }
            _ => None,
        })
        .collect()
}
// END SOLUTION
