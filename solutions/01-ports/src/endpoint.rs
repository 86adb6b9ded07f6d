//! Endpoints: reading `"127.0.0.1:62893"` into an address and a port.
//!
//! An *endpoint* (a "socket address" in the sockets API) is one IP address and
//! one port. Rust calls it [`SocketAddr`]. Written as text it follows this
//! small grammar, the same one URLs use for their host and port (RFC 3986,
//! section 3.2.2):
//!
//! ```text
//! endpoint = ipv4-address ":" port              127.0.0.1:62893
//!          / "[" ipv6-address "]" ":" port      [::1]:8080
//! port     = one or more digits 0-9, worth 0 to 65535
//! ```
//!
//! **Why the brackets?** An IPv6 address is full of colons (`::1`,
//! `fe80::1`). In `::1:8080` nobody can tell where the address stops and the
//! port starts: it could be address `::1` and port 8080, or the whole thing
//! could be the address `::1:8080` with no port at all. So IPv6 addresses go
//! inside `[` `]` whenever a port follows: `[::1]:8080`.
//!
//! **Why not `localhost:80`?** `localhost` is a *name*, not an address. A
//! name has to be *resolved* (looked up, in `/etc/hosts` or through DNS) to one
//! or more addresses before anything can connect. `localhost` usually
//! resolves to `127.0.0.1` and `::1`. A `SocketAddr` holds an address only, so
//! this parser refuses names and says so.
//!
//! The standard library could parse the whole string for us
//! (`"127.0.0.1:80".parse::<SocketAddr>()`), but it only answers "invalid
//! socket address syntax". Here you write the parser by hand so that every
//! mistake gets its own [`EndpointError`] and its own helpful message. You
//! still use the standard library for the address parts: [`std::net::Ipv4Addr`] and
//! [`std::net::Ipv6Addr`] implement `FromStr`, so `"127.0.0.1".parse::<Ipv4Addr>()`
//! works. It rightly rejects `256.1.1.1` (256 does not fit in a byte),
//! `127.1` (old shorthand, too surprising) and `127.0.0.01` (a leading zero
//! could mean octal).

use std::error::Error;
use std::fmt;
// BEGIN SOLUTION
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};
// END SOLUTION
// STUB: use std::net::SocketAddr;

/// Everything that can be wrong with an endpoint's text, one variant per mistake.
///
/// Where a variant carries a `String`, it is the offending piece of the input,
/// copied exactly as written (for example the port text `"http"` in
/// `"127.0.0.1:http"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// The text is empty: `""`.
    Empty,
    /// There is whitespace (a space, a tab, a newline…) at the start or at the end: `" 127.0.0.1:80"`.
    SurroundingWhitespace,
    /// The text is a URL, like `"http://127.0.0.1:80"`. Holds the scheme, the part before `://` (`"http"`).
    Url(String),
    /// A `[` or `]` somewhere other than around an IPv6 address at the start: `"::1]:80"`.
    StrayBracket,
    /// The text starts with `[` but has no `]`: `"[::1:8080"`.
    UnclosedBracket,
    /// Something other than `:` right after `]`: `"[::1]8080"`. Holds the text after `]` (`"8080"`).
    ExpectedColonAfterBracket(String),
    /// No brackets, but more than one `:`, as in an IPv6 address: `"::1:8080"`.
    Ipv6WithoutBrackets,
    /// No port at all: `"127.0.0.1"` (no `:`) or `"[::1]"` (nothing after `]`).
    MissingPort,
    /// A `:` with nothing after it: `"127.0.0.1:"`.
    EmptyPort,
    /// Nothing before the `:` or inside the brackets: `":80"`, `"[]:80"`.
    MissingAddress,
    /// A host name where an address is needed: `"localhost:80"`. Holds the name (`"localhost"`).
    HostName(String),
    /// Only digits and dots, but not a valid IPv4 address: `"256.1.1.1:80"`. Holds the address text (`"256.1.1.1"`).
    InvalidIpv4(String),
    /// The text inside the brackets is not an IPv6 address: `"[::g]:80"`. Holds that text (`"::g"`).
    InvalidIpv6(String),
    /// The port has something other than digits 0-9: `"127.0.0.1:http"`. Holds the port text (`"http"`).
    PortNotANumber(String),
    /// The port is a number larger than 65535: `"127.0.0.1:65536"`. Holds the port text (`"65536"`).
    PortOutOfRange(String),
}

/// A message for a beginner: what is wrong, and what a correct endpoint looks like.
impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Empty => {
                write!(
                    f,
                    "the endpoint is empty: write an address, a colon and a port, like 127.0.0.1:8080"
                )
            }
            EndpointError::SurroundingWhitespace => write!(
                f,
                "the endpoint has spaces, tabs or a newline at its start or end: remove them"
            ),
            EndpointError::Url(scheme) => write!(
                f,
                "this is a URL, not an endpoint: remove the \"{scheme}://\" in front to keep only address:port"
            ),
            EndpointError::StrayBracket => write!(
                f,
                "unexpected '[' or ']': brackets only go around an IPv6 address at the start, like [::1]:8080"
            ),
            EndpointError::UnclosedBracket => write!(
                f,
                "the '[' is never closed: write an IPv6 endpoint as [address]:port, like [::1]:8080"
            ),
            EndpointError::ExpectedColonAfterBracket(rest) => write!(
                f,
                "expected ':' right after ']' but found {rest:?}: write [address]:port, like [::1]:8080"
            ),
            EndpointError::Ipv6WithoutBrackets => write!(
                f,
                "more than one ':' without brackets: an IPv6 address must be put in brackets when a port follows, like [::1]:8080 (not ::1:8080)"
            ),
            EndpointError::MissingPort => write!(
                f,
                "there is no port: add a colon and a port number after the address, like 127.0.0.1:8080 or [::1]:8080"
            ),
            EndpointError::EmptyPort => {
                write!(
                    f,
                    "the port after ':' is empty: write a number from 0 to 65535"
                )
            }
            EndpointError::MissingAddress => write!(
                f,
                "there is no address before the port: write one, like 127.0.0.1:8080 or [::1]:8080"
            ),
            EndpointError::HostName(name) => write!(
                f,
                "{name:?} is a host name, not an IP address: a name must be resolved to an address first (localhost usually resolves to 127.0.0.1 or ::1)"
            ),
            EndpointError::InvalidIpv4(address) => write!(
                f,
                "{address:?} is not a valid IPv4 address: write four numbers from 0 to 255 separated by dots, without leading zeros, like 127.0.0.1"
            ),
            EndpointError::InvalidIpv6(address) => write!(
                f,
                "{address:?} is not a valid IPv6 address: only an IPv6 address goes inside the brackets, like [::1]:8080"
            ),
            EndpointError::PortNotANumber(port) => write!(
                f,
                "the port {port:?} is not a number: write the port in digits, like 80 (a service name such as \"http\" must be looked up first)"
            ),
            EndpointError::PortOutOfRange(port) => write!(
                f,
                "the port {port} is too large: a port is a 16-bit number, from 0 to 65535"
            ),
        }
    }
}

impl Error for EndpointError {}

/// Reads an endpoint such as `"127.0.0.1:62893"` or `"[::1]:8080"`.
///
/// The checks run in this order, and the first one that fails gives the error:
///
/// 1. The text is empty: [`EndpointError::Empty`].
/// 2. It starts or ends with whitespace: [`EndpointError::SurroundingWhitespace`].
/// 3. It contains `://`: [`EndpointError::Url`].
/// 4. If it starts with `[` (an IPv6 endpoint):
///    - there is no `]`: [`EndpointError::UnclosedBracket`];
///    - nothing follows the `]`: [`EndpointError::MissingPort`];
///    - something other than `:` follows the `]`: [`EndpointError::ExpectedColonAfterBracket`];
///    - the brackets are empty: [`EndpointError::MissingAddress`];
///    - the text inside is not an IPv6 address, with a numeric zone `%2` or not: [`EndpointError::InvalidIpv6`];
///    - then the port, as in [`parse_port`].
/// 5. Otherwise (an IPv4 endpoint):
///    - it contains a `[` or a `]`: [`EndpointError::StrayBracket`];
///    - it has no `:`: [`EndpointError::MissingPort`];
///    - it has more than one `:`: [`EndpointError::Ipv6WithoutBrackets`];
///    - nothing comes before the `:`: [`EndpointError::MissingAddress`];
///    - the text before the `:` is not an IPv4 address: [`EndpointError::InvalidIpv4`] if it
///      is made only of digits and dots, [`EndpointError::HostName`] otherwise;
///    - then the port, as in [`parse_port`].
pub fn parse_endpoint(input: &str) -> Result<SocketAddr, EndpointError> {
    // BEGIN SOLUTION
    if input.is_empty() {
        return Err(EndpointError::Empty);
    }
    if input.trim() != input {
        return Err(EndpointError::SurroundingWhitespace);
    }
    if let Some((scheme, _)) = input.split_once("://") {
        return Err(EndpointError::Url(scheme.to_string()));
    }
    match input.strip_prefix('[') {
        Some(after_open_bracket) => parse_ipv6_endpoint(after_open_bracket),
        None => parse_ipv4_endpoint(input),
    }
    // END SOLUTION
    // STUB: // TODO: read the endpoint, running the doc comment's checks in its order: the first check
    // STUB: // that fails decides the error, and an error's `String` is the offending piece as written.
    // STUB: // This is the part you design: split it into helpers of your own (the two forms of an
    // STUB: // endpoint are a natural cut). Think about: `::1:8080` (IPv6 without brackets),
    // STUB: // `[::1]8080`, `[]:80`, `127.0.0.1:[80]`, `256.1.1.1:80` (InvalidIpv4) next to
    // STUB: // `localhost:80` (HostName), a zone `[fe80::1%2]:22` (kept as the scope id) next to
    // STUB: // `%eth0` and `%+2`. Let the standard library read the address parts themselves, but not
    // STUB: // the whole endpoint. Read the module comment, the chapter's "Writing an endpoint down", and
    // STUB: // the std docs of `std::net` (the `FromStr` impls, `SocketAddrV6`). Stuck? `cargo xtask hint 01`.
    // STUB: todo!()
}

/// Reads a port: one or more digits, worth at most 65535.
///
/// - `""` is [`EndpointError::EmptyPort`];
/// - anything that is not only the digits 0-9 (`"http"`, `"-1"`, `"+80"`, `" 80"`) is
///   [`EndpointError::PortNotANumber`];
/// - digits worth more than 65535 are [`EndpointError::PortOutOfRange`].
///
/// Leading zeros are allowed: `"080"` is port 80.
pub fn parse_port(text: &str) -> Result<u16, EndpointError> {
    // BEGIN SOLUTION
    if text.is_empty() {
        return Err(EndpointError::EmptyPort);
    }
    if !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(EndpointError::PortNotANumber(text.to_string()));
    }
    // Only digits are left, so the one way `parse` can fail is a number too big for a u16.
    text.parse::<u16>()
        .map_err(|_| EndpointError::PortOutOfRange(text.to_string()))
    // END SOLUTION
    // STUB: // TODO: read a port, as the doc comment says. Think about: `"+80"` and `"-1"` (the standard
    // STUB: // library's number parser takes a sign, a port does not), `" 80"`, `"080"` (fine: 80),
    // STUB: // `"65536"` and `"99999999999"` (too large, not "not a number"). Read the chapter's
    // STUB: // "Writing an endpoint down" and the std docs of `u16`'s `FromStr`. Stuck? `cargo xtask hint 01`.
    // STUB: todo!()
}

// BEGIN SOLUTION
/// The `[address]:port` form, given the text after the opening `[`.
fn parse_ipv6_endpoint(after_open_bracket: &str) -> Result<SocketAddr, EndpointError> {
    let (address, after_close_bracket) = after_open_bracket
        .split_once(']')
        .ok_or(EndpointError::UnclosedBracket)?;
    let port = match after_close_bracket.strip_prefix(':') {
        Some(port) => port,
        None if after_close_bracket.is_empty() => return Err(EndpointError::MissingPort),
        None => {
            let rest = after_close_bracket.to_string();
            return Err(EndpointError::ExpectedColonAfterBracket(rest));
        }
    };
    let (ip, scope_id) = parse_ipv6_address(address)?;
    let port = parse_port(port)?;
    Ok(SocketAddr::V6(SocketAddrV6::new(ip, port, 0, scope_id)))
}

/// The `address:port` form, for IPv4.
fn parse_ipv4_endpoint(input: &str) -> Result<SocketAddr, EndpointError> {
    if input.contains(['[', ']']) {
        return Err(EndpointError::StrayBracket);
    }
    let (address, port) = match input.matches(':').count() {
        0 => return Err(EndpointError::MissingPort),
        1 => input.split_once(':').expect("there is exactly one ':'"),
        _ => return Err(EndpointError::Ipv6WithoutBrackets),
    };
    let ip = parse_ipv4_address(address)?;
    let port = parse_port(port)?;
    Ok(SocketAddr::new(IpAddr::V4(ip), port))
}

/// The address between the brackets, and its zone: `fe80::1%2` is the link-local address
/// fe80::1 on the interface numbered 2 (RFC 4007, section 11), its scope id. A link-local
/// address means nothing without one, since every link has its own fe80::/10. Like
/// `SocketAddr`, only a number is read as a zone (not a name such as `%eth0`); no zone is 0.
fn parse_ipv6_address(text: &str) -> Result<(Ipv6Addr, u32), EndpointError> {
    if text.is_empty() {
        return Err(EndpointError::MissingAddress);
    }
    let invalid = || EndpointError::InvalidIpv6(text.to_string());
    let (address, scope_id) = match text.split_once('%') {
        Some((address, zone)) if !zone.is_empty() && zone.bytes().all(|b| b.is_ascii_digit()) => {
            (address, zone.parse::<u32>().map_err(|_| invalid())?)
        }
        Some(_) => return Err(invalid()),
        None => (text, 0),
    };
    let ip = address.parse::<Ipv6Addr>().map_err(|_| invalid())?;
    Ok((ip, scope_id))
}

/// The address before the `:`: an IPv4 address, a broken one, or a host name.
fn parse_ipv4_address(text: &str) -> Result<Ipv4Addr, EndpointError> {
    if text.is_empty() {
        return Err(EndpointError::MissingAddress);
    }
    if let Ok(ip) = text.parse::<Ipv4Addr>() {
        return Ok(ip);
    }
    if is_only_digits_and_dots(text) {
        Err(EndpointError::InvalidIpv4(text.to_string()))
    } else {
        Err(EndpointError::HostName(text.to_string()))
    }
}

/// Whether `text` looks like an attempt at an IPv4 address, such as `256.1.1.1` or `127.1`.
fn is_only_digits_and_dots(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit() || c == '.')
}

// END SOLUTION
