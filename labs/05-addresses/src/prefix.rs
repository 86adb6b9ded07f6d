//! Prefixes: blocks of addresses written `192.0.2.0/24`.
//!
//! The registries never list single addresses one by one; they list *blocks*. A block is
//! written as a **prefix** (CIDR notation, RFC 4632, section 3.1): an address, a `/`, and a
//! **length**, the number of leading bits that every address of the block shares.
//!
//! ```text
//! 192.0.2.0/24    the first 24 bits are fixed: 192.0.2.0 to 192.0.2.255 (256 addresses)
//! 100.64.0.0/10   the first 10 bits are fixed: 100.64.0.0 to 100.127.255.255
//! 192.0.0.9/32    all 32 bits are fixed: one address
//! 0.0.0.0/0       nothing is fixed: every IPv4 address
//! 2001:db8::/32   IPv6 works the same way, with 128 bits
//! ```
//!
//! The tool for "the first N bits" is a **mask**: a number with N one bits followed by
//! zeros. For /24 that is `255.255.255.0`, the "netmask" you may have seen in network
//! settings. An address belongs to a block when `address & mask == network`: keep the
//! fixed bits, clear the others, and compare. The last address of a block is the network
//! with every *unfixed* bit set: `network | !mask`.
//!
//! Lengths that are not a multiple of 8 are where people slip: 100.64.0.0/10 keeps the
//! first two bits of `64` (`0b01_000000`), so it ends at 100.127.255.255, not 100.64.255.255
//! nor 100.255.255.255. Let the bits do the work, not the dots.
//!
//! A prefix is written with its network address: every bit after the length is zero.
//! `192.0.2.1/24` is a mistake (which block was meant, and was .1 a typo?), so
//! [`Prefix::parse`] refuses it, the way Python's `ipaddress.ip_network` does by default.

use std::error::Error;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::parse::{AddressError, parse_address};

/// A block of addresses: a network address and a prefix length, `192.0.2.0/24`.
///
/// Only [`Prefix::parse`] makes one, so every `Prefix` is valid: the length fits the
/// family (at most 32 for IPv4, 128 for IPv6) and no bit after the length is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Prefix {
    network: IpAddr,
    length: u8,
}

/// Everything that can be wrong with a prefix's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrefixError {
    /// No `/`: `"192.0.2.0"` is an address, not a block.
    MissingLength,
    /// The part before the `/` is not an address (see [`crate::parse::parse_address`]).
    Address(AddressError),
    /// The address has a zone: `"fe80::%eth0/64"`. A block is the same on every link. Holds the zone.
    Zone(String),
    /// The length is not a decimal number without leading zeros: `""`, `"x"`, `"+8"`, `"08"`. Holds it.
    BadLength(String),
    /// The length is larger than the family allows (32 for IPv4, 128 for IPv6).
    LengthTooLong {
        /// The length as written: `"33"`.
        length: String,
        /// The longest length this family allows: 32 or 128.
        max: u8,
    },
    /// Bits after the length are set: `"192.0.2.1/24"`. Holds the block that was probably
    /// meant, with those bits cleared: `192.0.2.0/24`.
    HostBitsSet(Prefix),
}

/// A message for a beginner: what is wrong, and what a correct prefix looks like.
impl fmt::Display for PrefixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrefixError::MissingLength => write!(
                f,
                "a prefix has a `/` and a length after the address, as in 192.0.2.0/24"
            ),
            PrefixError::Address(error) => {
                write!(f, "the part before the `/` is not an address: {error}")
            }
            PrefixError::Zone(zone) => {
                write!(f, "a block of addresses has no zone: remove %{zone}")
            }
            PrefixError::BadLength(length) => write!(
                f,
                "{length:?} is not a prefix length: write a decimal number without leading zeros, such as 24"
            ),
            PrefixError::LengthTooLong { length, max } => write!(
                f,
                "the length {length} is too long: this family has {max} bits"
            ),
            PrefixError::HostBitsSet(block) => write!(
                f,
                "bits after the prefix length are set: the block is written {block}"
            ),
        }
    }
}

impl Error for PrefixError {}

/// The IPv4 netmask of a prefix of `length` bits: `length` one bits, then zeros.
///
/// `ipv4_mask(24)` is `0xffff_ff00` (255.255.255.0), `ipv4_mask(0)` is 0 and
/// `ipv4_mask(32)` is `u32::MAX`. `length` is at most 32.
pub fn ipv4_mask(length: u8) -> u32 {
    // TODO: the mask of the doc comment. Think about: /0 (no one bits at all; the obvious shift
    // overflows there, which panics in a debug build), /32 (all ones), and an odd length such as
    // /10. Read "Blocks, masks and the `/` number" in chapter 5, and what `u32`'s docs say about
    // shifting by the full width. Stuck? `cargo xtask hint 05`.
    todo!()
}

/// The IPv6 mask of a prefix of `length` bits: `length` one bits, then zeros.
///
/// `ipv6_mask(32)` is `ffff:ffff::` as an address, `ipv6_mask(0)` is 0 and
/// `ipv6_mask(128)` is `u128::MAX`. `length` is at most 128.
pub fn ipv6_mask(length: u8) -> u128 {
    // TODO: the same idea as `ipv4_mask`, for 128-bit addresses; /0 and /128 are the edges.
    todo!()
}

impl Prefix {
    /// Reads a prefix such as `192.0.2.0/24` or `2001:db8::/32`, strictly.
    ///
    /// The checks run in this order, and the first that fails decides the error:
    ///
    /// 1. no `/`: [`PrefixError::MissingLength`]; otherwise the address is the text before
    ///    the first `/`, the length the text after it;
    /// 2. the address, read by [`parse_address`]: [`PrefixError::Address`] with its error;
    /// 3. the address has a zone: [`PrefixError::Zone`] with the zone;
    /// 4. the length is empty, has a character other than the digits 0-9, or has more than
    ///    one digit and starts with `0`: [`PrefixError::BadLength`] with the length text;
    /// 5. the length is above 32 for IPv4, above 128 for IPv6:
    ///    [`PrefixError::LengthTooLong`];
    /// 6. the address has a one bit after the length: [`PrefixError::HostBitsSet`] with the
    ///    prefix made of the address with those bits cleared, and the same length.
    pub fn parse(text: &str) -> Result<Prefix, PrefixError> {
        // TODO: read `text` as the doc comment's list says; the first check that fails decides
        // the error. Think about: "192.0.2.0" (no length), "192.0.2.0/" and "192.0.2.0/08",
        // "10.0.0.0/33" but "2001:db8::/33" is fine, "10.0.0.0/99999999999" (too long, not a
        // bad length), "fe80::%eth0/64", and "192.0.2.1/24" (which block was meant?).
        // Reading the length and clearing the host bits are each a job for a small function of
        // your own; `parse_address` and your masks do the rest. Read "Blocks, masks and the `/`
        // number" in chapter 5. Stuck? `cargo xtask hint 05`.
        todo!()
    }

    /// The first address of the block, which names it: `192.0.2.0` for `192.0.2.0/24`.
    pub fn network(self) -> IpAddr {
        // TODO: as the doc comment says.
        todo!()
    }

    /// The number of leading bits every address of the block shares: 24 for `192.0.2.0/24`.
    pub fn length(self) -> u8 {
        // TODO: as the doc comment says.
        todo!()
    }

    /// The first address of the block: the network address.
    pub fn first(self) -> IpAddr {
        // TODO: as the doc comment says. Why is it no work at all? (See `Prefix`'s doc comment.)
        todo!()
    }

    /// The last address of the block: every bit after the length set.
    ///
    /// `192.0.2.255` for `192.0.2.0/24`, `100.127.255.255` for `100.64.0.0/10`,
    /// `192.0.0.9` for `192.0.0.9/32`, `255.255.255.255` for `0.0.0.0/0`.
    pub fn last(self) -> IpAddr {
        // TODO: the last address of the block, as the doc comment says, for both families. Think
        // about: /32 (the block is one address), /0 (the whole family), /10 (100.127.255.255, not
        // 100.64.255.255). Read "Blocks, masks and the `/` number" in chapter 5; the `From`
        // conversions between the address types and integers are in `Ipv4Addr`'s and `Ipv6Addr`'s
        // docs. Stuck? `cargo xtask hint 05`.
        todo!()
    }

    /// Whether `ip` is in the block: same family, and the same first `length` bits.
    ///
    /// An IPv4 address is never in an IPv6 block, nor the other way round, even when the
    /// numbers would match (`0.0.0.1` is not in `::/96`).
    pub fn contains(self, ip: IpAddr) -> bool {
        // TODO: the test of the doc comment. Think about: the first and the last address of the
        // block (in) and the ones just outside it (out); /0 (every address of its family); 0.0.0.1
        // and ::/96, whose numbers match but whose families do not. Read "Blocks, masks and the `/`
        // number" in chapter 5. Stuck? `cargo xtask hint 05`.
        todo!()
    }
}

/// Shows the prefix the standard way: `192.0.2.0/24`, `2001:db8::/32`.
impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: the network address, a `/` and the length, as the comment above shows.
        todo!()
    }
}

/// The number of bits of an address of this family: 32 or 128.
pub fn max_length(ip: IpAddr) -> u8 {
    // TODO: as the doc comment says.
    todo!()
}
