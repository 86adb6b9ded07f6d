//! `lab05-addresses`: explains each address given on the command line.
//!
//! ```text
//! $ cargo run -p lab05-addresses -- ::ffff:127.0.0.1 192.0.0.9 127.1
//! ::ffff:127.0.0.1 (IPv4-mapped 127.0.0.1): loopback, 127.0.0.0/8 Loopback (RFC 1122, section 3.2.1.3), not globally reachable
//! 192.0.0.9: special, 192.0.0.9/32 Port Control Protocol Anycast (RFC 7723), globally reachable
//! error: "127.1" is not an address: an IPv4 address has exactly 4 parts separated by dots, …
//! ```
//!
//! This file is given: it only reads the arguments, and prints what
//! [`parse_address`] and [`classify`] say. It exits with status 1 if any
//! argument was not an address.

use std::process::ExitCode;

use lab05_addresses::classify::classify;
use lab05_addresses::parse::parse_address;

fn main() -> ExitCode {
    let texts: Vec<String> = std::env::args().skip(1).collect();
    if texts.is_empty() {
        eprintln!(
            "usage: lab05-addresses ADDRESS...   (for example 127.0.0.1 ::ffff:127.0.0.1 fe80::1%eth0)"
        );
        return ExitCode::FAILURE;
    }
    let mut all_valid = true;
    for text in &texts {
        match parse_address(text) {
            Ok(address) => match &address.zone {
                Some(zone) => println!("{}; the zone %{zone} names the link", classify(address.ip)),
                None => println!("{}", classify(address.ip)),
            },
            Err(error) => {
                eprintln!("error: {text:?} is not an address: {error}");
                all_valid = false;
            }
        }
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
