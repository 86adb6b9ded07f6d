//! Helpers the test files share: the tests' own arithmetic on blocks, independent of yours.

#![allow(dead_code)] // each test file uses its own share of these helpers

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The first and the last address of a block written `address/length`, computed here with
/// the standard library's parser and plain integer arithmetic.
pub fn bounds(block: &str) -> (IpAddr, IpAddr) {
    let (address, length) = block
        .split_once('/')
        .unwrap_or_else(|| panic!("the test's block {block:?} has a /"));
    let address: IpAddr = address
        .parse()
        .unwrap_or_else(|_| panic!("the test's block {block:?} has a valid address"));
    let length: u32 = length
        .parse()
        .unwrap_or_else(|_| panic!("the test's block {block:?} has a valid length"));
    let width = bit_width(address);
    let all_ones = all_ones(width);
    let mask = if length == 0 {
        0
    } else {
        (all_ones << (width - length)) & all_ones
    };
    let first = number(address) & mask;
    let last = first | (!mask & all_ones);
    (from_number(address, first), from_number(address, last))
}

/// The address just before `ip`, if there is one.
pub fn before(ip: IpAddr) -> Option<IpAddr> {
    number(ip).checked_sub(1).map(|n| from_number(ip, n))
}

/// The address just after `ip`, if there is one.
pub fn after(ip: IpAddr) -> Option<IpAddr> {
    let n = number(ip);
    (n < all_ones(bit_width(ip))).then(|| from_number(ip, n + 1))
}

/// The address halfway between `first` and `last`.
pub fn middle(first: IpAddr, last: IpAddr) -> IpAddr {
    let (a, b) = (number(first), number(last));
    from_number(first, a + (b - a) / 2)
}

/// `text` as an address; the test's addresses are valid.
pub fn ip(text: &str) -> IpAddr {
    text.parse()
        .unwrap_or_else(|_| panic!("the test's address {text:?} is valid"))
}

fn bit_width(ip: IpAddr) -> u32 {
    if ip.is_ipv4() { 32 } else { 128 }
}

fn all_ones(width: u32) -> u128 {
    if width == 128 {
        u128::MAX
    } else {
        (1 << width) - 1
    }
}

fn number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(ip) => u32::from(ip).into(),
        IpAddr::V6(ip) => ip.into(),
    }
}

/// The address of `family`'s family with this number.
fn from_number(family: IpAddr, n: u128) -> IpAddr {
    match family {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from(
            u32::try_from(n).expect("an IPv4 number fits in 32 bits"),
        )),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(n)),
    }
}
