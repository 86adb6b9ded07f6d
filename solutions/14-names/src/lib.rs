//! # Lab 14 — Names: how `localhost` becomes an address
//!
//! Every connection starts with a name: `localhost`, `db.internal`, `example.com`. Before a
//! single packet leaves, something has to turn the name into addresses, and decide which
//! address to try first. Most of the time that is invisible; when it goes wrong ("works with
//! 127.0.0.1, not with localhost", "the old server still gets traffic after the DNS change")
//! you need to know each step.
//!
//! One step per module, in the order the book's chapter 14 walks through them:
//!
//! - [`hosts`]: the system's path before DNS: `/etc/hosts`, and the `hosts:` line of
//!   `/etc/nsswitch.conf` that says which sources are asked, in which order.
//! - [`order`]: the order `getaddrinfo` sorts addresses in (RFC 6724), and why `localhost`
//!   gives `::1` first.
//! - [`message`]: DNS messages, byte by byte: a query you build, a response you parse (with
//!   its compression pointers, and its hostile cases).
//! - [`resolver`]: a stub resolver that asks a real DNS server over UDP, and over TCP when the
//!   answer is truncated, and says what it found.
//! - [`cache`]: a cache that keeps each answer exactly as long as its TTL allows.
//!
//! `cli.rs` and `main.rs` make it a program: `lab14-names lookup www.lab14.test --server
//! 127.0.0.1:5353 --type AAAA` asks a server like `dig` does, `lab14-names hosts localhost`
//! reads `/etc/hosts`, `lab14-names order localhost` compares the system's order with yours.
//!
//! Read chapter 14 of the book (`book/src/14-names.md`) first. Grade your work with
//! `cargo xtask grade 14`.
// STUB:
// STUB: // Until you write them, the functions' parameters and some imports are unused.
// STUB: #![allow(unused_variables, unused_imports, dead_code)]

pub mod cache;
pub mod cli;
pub mod hosts;
pub mod message;
pub mod order;
pub mod resolver;
