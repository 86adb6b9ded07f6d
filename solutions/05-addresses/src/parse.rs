//! Strict parsing: one text, one address, or a reason why not.
//!
//! "Parse an IP address" sounds like a solved problem, and it is, many times over, in
//! *different* ways. The C function `inet_aton`, which `ping`, `curl` and countless programs
//! still use, accepts all of these, and they all mean `127.0.0.1`:
//!
//! ```text
//! 127.0.0.1     127.1     0x7f.0.0.1     0177.0.0.1     2130706433
//! ```
//!
//! `127.1` fills the missing parts with zeros, `0x7f` is hexadecimal, `0177` is *octal*
//! (a leading zero means base 8, as in C), and `2130706433` is the whole address as one
//! 32-bit number. Try `ping 0177.0.0.1`: it pings `127.0.0.1`.
//!
//! Why it matters: when two programs read the same text as two different addresses, one
//! of them is wrong, and an attacker chooses which. A web service that refuses to fetch
//! loopback URLs checks `0177.0.0.1`, reads it as `177.0.0.1` (an ordinary address, allowed),
//! and hands it to an HTTP client whose `inet_aton` reads `127.0.0.1`. That bug was real:
//! Python's `ipaddress` accepted leading zeros until 3.9.5 (CVE-2021-29921), Go's
//! `net.ParseIP` until Go 1.17 (CVE-2021-29923).
//!
//! So this parser is *strict*: it accepts exactly the dotted-decimal form of RFC 6943,
//! section 3.1.1 (four decimal numbers 0 to 255, no leading zeros) and refuses everything
//! that some other parser might read differently. Each refusal has its own
//! [`AddressError`], so the message can say what is wrong.
//!
//! IPv6 text (RFC 4291, section 2.2) has no such ambiguity, so [`std::net::Ipv6Addr`]'s
//! `FromStr` reads it for us. In IPv6, leading zeros *are* allowed (`0db8` is `db8`: a
//! group is always hexadecimal) and so are upper-case digits. What the standard library
//! does not read is a **zone**: `fe80::1%eth0`. A link-local address such as `fe80::1`
//! exists on *every* network link, so a machine with two network cards needs to be told
//! which link it means; `%eth0` says "on the link of interface eth0" (RFC 4007,
//! section 11). IPv4 has no zones. This parser accepts a zone after an IPv6 address and
//! keeps it next to the address in [`Address`]: a zone is not part of the address, and
//! never changes what kind of address it is.

use std::error::Error;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An IP address as written, with its zone if it had one: `fe80::1%eth0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    /// The address itself: `fe80::1`.
    pub ip: IpAddr,
    /// The zone after `%`, for an IPv6 address only: `Some("eth0")` for `fe80::1%eth0`.
    pub zone: Option<String>,
}

/// Shows the address the standard way (IPv6 in RFC 5952 form: lower case, `::` for the
/// longest run of zero groups), then `%` and the zone if there is one.
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // BEGIN SOLUTION
        match &self.zone {
            Some(zone) => write!(f, "{}%{zone}", self.ip),
            None => write!(f, "{}", self.ip),
        }
        // END SOLUTION
        // STUB: // TODO: the address as the comment above says. `IpAddr`'s own `Display` already
        // STUB: // writes IPv6 the RFC 5952 way (`2001:DB8::0001` is shown `2001:db8::1`).
        // STUB: // Stuck? `cargo xtask hint 05`.
        // STUB: todo!()
    }
}

/// Everything that can be wrong with an address's text, one variant per mistake.
///
/// Where a variant carries a `String`, it is the offending piece of the input, exactly as
/// written: `LeadingZero("010")` for `"010.0.0.1"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    /// The text is empty.
    Empty,
    /// There is whitespace (a space, a tab, a newline…) somewhere in the text.
    Whitespace,
    /// A `[` or `]`: `"[::1]"` is how a URL or an endpoint writes an IPv6 address, not an address.
    Brackets,
    /// A `/`: `"10.0.0.0/8"` is a prefix, a block of addresses, not one address.
    Slash,
    /// A zone after an IPv4 address: `"127.0.0.1%lo"`. Holds the zone (`"lo"`).
    ZoneOnIpv4(String),
    /// A `%` with nothing after it: `"fe80::1%"`.
    EmptyZone,
    /// A zone with a character other than letters, digits, `-`, `.`, `_` or `~`. Holds the zone.
    InvalidZone(String),
    /// An IPv4 address without exactly four parts: `"127.1"` has 2. Holds the number of parts.
    WrongNumberOfParts(usize),
    /// An IPv4 part with nothing in it: `"1..2.3"`.
    EmptyPart,
    /// An IPv4 part that is not plain decimal digits: `"0x7f"`, `"+1"`. Holds the part.
    NotDecimal(String),
    /// An IPv4 part with a leading zero, which `inet_aton` reads as octal: `"010"`. Holds the part.
    LeadingZero(String),
    /// An IPv4 part above 255: `"256"`. Holds the part.
    PartTooLarge(String),
    /// Text with a `:` that the standard library does not read as IPv6. Holds the address text.
    InvalidIpv6(String),
}

/// A message for a beginner: what is wrong, and what a correct address looks like.
impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressError::Empty => write!(
                f,
                "the text is empty: write an address such as 127.0.0.1 or ::1"
            ),
            AddressError::Whitespace => write!(
                f,
                "the text has whitespace in it: an address has none, not even at the ends"
            ),
            AddressError::Brackets => write!(
                f,
                "brackets belong around an IPv6 address in a URL or an endpoint ([::1]:8080), not in the address itself (::1)"
            ),
            AddressError::Slash => write!(
                f,
                "a `/` makes this a prefix, a block of addresses (10.0.0.0/8): give one address, or read it as a prefix"
            ),
            AddressError::ZoneOnIpv4(zone) => {
                write!(f, "IPv4 addresses have no zones: remove %{zone}")
            }
            AddressError::EmptyZone => write!(
                f,
                "nothing follows the `%`: write the zone, such as %eth0, or remove the `%`"
            ),
            AddressError::InvalidZone(zone) => write!(
                f,
                "{zone:?} is not a zone: a zone is an interface name or number, made of letters, digits, `-`, `.`, `_` and `~`"
            ),
            AddressError::WrongNumberOfParts(count) => write!(
                f,
                "an IPv4 address has exactly 4 parts separated by dots, this has {count}: shorthands such as 127.1 or 2130706433 mean different things to different programs, and a name such as localhost is not an address"
            ),
            AddressError::EmptyPart => write!(
                f,
                "one of the four parts is empty: two dots in a row, or a dot at an end"
            ),
            AddressError::NotDecimal(part) => write!(
                f,
                "{part:?} is not a decimal number: each part is written with the digits 0-9 only, no sign, no hexadecimal"
            ),
            AddressError::LeadingZero(part) => write!(
                f,
                "{part:?} has a leading zero, which some programs read as octal (010 is 8): write the number without it"
            ),
            AddressError::PartTooLarge(part) => {
                write!(f, "{part} does not fit in a byte: each part is 0 to 255")
            }
            AddressError::InvalidIpv6(text) => write!(
                f,
                "{text:?} is not an IPv6 address: eight groups of up to four hexadecimal digits separated by `:`, with at most one `::`, and an IPv4 address at the end in strict dotted decimal"
            ),
        }
    }
}

impl Error for AddressError {}

/// Reads an IP address, strictly, with an optional zone after an IPv6 address.
///
/// The checks run in this order, and the first that fails decides the error:
///
/// 1. empty text: [`AddressError::Empty`];
/// 2. whitespace anywhere ([`char::is_whitespace`]): [`AddressError::Whitespace`];
/// 3. a `[` or a `]` anywhere: [`AddressError::Brackets`];
/// 4. a `/` anywhere: [`AddressError::Slash`];
/// 5. if there is a `%`, the text after the first `%` is the zone, and:
///    - the text before it has no `:` (so it is not IPv6): [`AddressError::ZoneOnIpv4`] with the zone;
///    - the zone is empty: [`AddressError::EmptyZone`];
///    - the zone has a character other than ASCII letters, digits, `-`, `.`, `_` and `~`
///      (the "unreserved" characters of RFC 3986, which RFC 6874 allows in a zone):
///      [`AddressError::InvalidZone`] with the zone;
/// 6. an address with a `:` is IPv6, read by `str::parse::<Ipv6Addr>()`; if it refuses:
///    [`AddressError::InvalidIpv6`] with the address text (without the zone);
/// 7. anything else is IPv4, read by [`parse_ipv4`].
pub fn parse_address(text: &str) -> Result<Address, AddressError> {
    // BEGIN SOLUTION
    if text.is_empty() {
        return Err(AddressError::Empty);
    }
    if text.chars().any(char::is_whitespace) {
        return Err(AddressError::Whitespace);
    }
    if text.contains(['[', ']']) {
        return Err(AddressError::Brackets);
    }
    if text.contains('/') {
        return Err(AddressError::Slash);
    }
    let (address, zone) = match text.split_once('%') {
        Some((address, zone)) => (address, Some(check_zone(address, zone)?)),
        None => (text, None),
    };
    let ip = if address.contains(':') {
        let ipv6: Ipv6Addr = address
            .parse()
            .map_err(|_| AddressError::InvalidIpv6(address.to_string()))?;
        IpAddr::V6(ipv6)
    } else {
        IpAddr::V4(parse_ipv4(address)?)
    };
    Ok(Address { ip, zone })
}

/// Step 5 of [`parse_address`]: the zone written after `address`, if it may be one.
fn check_zone(address: &str, zone: &str) -> Result<String, AddressError> {
    if !address.contains(':') {
        return Err(AddressError::ZoneOnIpv4(zone.to_string()));
    }
    if zone.is_empty() {
        return Err(AddressError::EmptyZone);
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~');
    if !zone.chars().all(allowed) {
        return Err(AddressError::InvalidZone(zone.to_string()));
    }
    Ok(zone.to_string())
    // END SOLUTION
    // STUB: // TODO: read `text` as the doc comment's list says; the first check that fails decides the
    // STUB: // error. Think about: "fe80::1%eth0" (a zone), "127.0.0.1%lo" (a zone on IPv4), "fe80::1%"
    // STUB: // and "fe80::1%a/b" (which check sees them first?), " ::1" and "[::1]", "1:2:3" (a `:` but
    // STUB: // not IPv6), and a text with two `%`. The zone checks deserve a small function of your own.
    // STUB: // IPv6 itself is the standard library's job (`Ipv6Addr` implements `FromStr`). Read "Reading
    // STUB: // an address, strictly" in chapter 5 and RFC 4007, section 11. Stuck? `cargo xtask hint 05`.
    // STUB: todo!()
}

/// Reads an IPv4 address in strict dotted-decimal form: four parts, each 0 to 255, written
/// in decimal without leading zeros (`0` itself is fine).
///
/// The checks run in this order, and the first that fails decides the error:
///
/// 1. the text split at every `.` does not give exactly 4 parts:
///    [`AddressError::WrongNumberOfParts`] with the number of parts (`"127.1"` has 2,
///    `"1.2.3.4."` has 5: the last one is empty);
/// 2. then each part in turn, from the left:
///    - it is empty: [`AddressError::EmptyPart`];
///    - it has a character other than the ASCII digits 0-9: [`AddressError::NotDecimal`];
///    - it has more than one digit and starts with `0`: [`AddressError::LeadingZero`];
///    - its value is above 255: [`AddressError::PartTooLarge`] (careful: `"99999999999"`
///      does not fit in a `u32` either).
pub fn parse_ipv4(text: &str) -> Result<Ipv4Addr, AddressError> {
    // BEGIN SOLUTION
    let parts: Vec<&str> = text.split('.').collect();
    let [a, b, c, d] = parts[..] else {
        return Err(AddressError::WrongNumberOfParts(parts.len()));
    };
    Ok(Ipv4Addr::new(
        parse_part(a)?,
        parse_part(b)?,
        parse_part(c)?,
        parse_part(d)?,
    ))
    // END SOLUTION
    // STUB: // TODO: strict dotted decimal, with the checks in the doc comment's order. Think about:
    // STUB: // "127.1" (2 parts) and "1.2.3.4." (5), "1..2.3", "0x7f.0.0.1" and "+1.2.3.4", "010.0.0.1"
    // STUB: // but also "0.0.0.0", "256.0.0.1" and "99999999999.0.0.1" (too big even for a u32), and
    // STUB: // "٣.0.0.1" (a digit, but not an ASCII one). One part at a time is a job for a small
    // STUB: // function of your own. Read "Reading an address, strictly" in chapter 5 and RFC 6943,
    // STUB: // section 3.1.1. Stuck? `cargo xtask hint 05`.
    // STUB: todo!()
}

// BEGIN SOLUTION
/// One part of a dotted-decimal IPv4 address: `"0"` to `"255"`.
fn parse_part(part: &str) -> Result<u8, AddressError> {
    if part.is_empty() {
        return Err(AddressError::EmptyPart);
    }
    if !part.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(AddressError::NotDecimal(part.to_string()));
    }
    if part.len() > 1 && part.starts_with('0') {
        return Err(AddressError::LeadingZero(part.to_string()));
    }
    // Only digits now, so the only way `parse` can fail is a number too large for a u8.
    part.parse()
        .map_err(|_| AddressError::PartTooLarge(part.to_string()))
}

// END SOLUTION
