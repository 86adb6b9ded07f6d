//! # Lab 05 — Addresses: what the registries say about an IP address
//!
//! Is `::ffff:127.0.0.1` loopback? Is `192.0.0.9` on the internet? Is `3fff::1`? Rust's
//! standard library, Python's `ipaddress` and the people who run networks do not all give
//! the same answers. The authority is IANA's two Special-Purpose Address Registries, and
//! this crate answers from them: the registries are data ([`registry`]), and the code reads
//! them.
//!
//! One concept per module, in the order the book's chapter 5 walks through them:
//!
//! - [`parse`]: strict parsing of address text: `127.1` and `010.0.0.1` are refused, not
//!   guessed at; `fe80::1%eth0` is an address with a zone.
//! - [`prefix`]: blocks of addresses, `192.0.2.0/24`: masks, first and last addresses,
//!   whether an address is in a block.
//! - [`registry`]: the IPv4 and IPv6 Special-Purpose Address Registries as tables, and the
//!   lookup that finds the most specific entry for an address (longest-prefix match).
//! - [`canonical`]: `::ffff:127.0.0.1` is `127.0.0.1`; `::127.0.0.1` is not.
//! - [`classify`]: all of it together: what an address is for, and whether the internet
//!   at large can reach it.
//!
//! The program (`src/main.rs`) explains the addresses you give it:
//! `cargo run -p lab05-addresses -- ::ffff:127.0.0.1 192.0.0.9 fe80::1%eth0 127.1`.
//!
//! Grade your work with `cargo xtask grade 05`.

// STUB: // The exercises' parameters, the imports they will need and the fields they will read stay
// STUB: // unused until you write their bodies; you may delete this line once every `todo!()` is gone.
// STUB: #![allow(unused_variables, unused_imports, dead_code)]
// STUB:
pub mod canonical;
pub mod classify;
pub mod parse;
pub mod prefix;
pub mod registry;
