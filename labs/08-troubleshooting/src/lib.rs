//! # Lab 08 — Troubleshooting a port
//!
//! "I can't connect to 127.0.0.1:62893." Five different problems hide behind
//! that sentence, and each one needs a different fix:
//!
//! | verdict                | what the network said                         | the usual fix                              |
//! |------------------------|-----------------------------------------------|--------------------------------------------|
//! | **open**               | a SYN-ACK: something accepted the connection   | check it is the program you expected       |
//! | **refused**            | a reset (RST): nothing listens there           | start the server, or fix its address/port  |
//! | **filtered**           | nothing at all before the time limit           | a firewall, a dead host, a full queue      |
//! | **in use**             | (your own server) `EADDRINUSE` on `bind`       | stop whoever holds the port, or move       |
//! | **name not resolved**  | no address for the name                        | the spelling, `/etc/hosts`, the DNS server |
//!
//! plus the errors that never reach the network (**unreachable**,
//! **prohibited**: a route says no). This crate is `probe`, a small
//! diagnostic program that tells them apart, says how long each step took,
//! and gives the advice a network administrator would give.
//!
//! One idea per module, in the order the book's chapter 8 walks through them:
//!
//! - [`verdict`]: the verdicts, what each one means and what to do about it;
//!   reading a connect error.
//! - [`probe`]: one connection attempt with a time limit, timed.
//! - [`holder`] (given, from lab 02): which process holds a port.
//! - [`listen`]: "my server cannot start": `EADDRINUSE`, and who is in the way.
//! - [`resolve`]: names. A [`Resolver`](resolve::Resolver) trait, a
//!   hosts-file resolver you can hand to it, and the system's own resolver.
//! - [`diagnose`]: the whole story for `HOST:PORT`: resolve, connect to each
//!   address, conclude.
//! - [`scan`]: many ports at once, with a bounded number of connects in flight.
//! - [`cli`] (given, but for the `--listen` report): the program's command
//!   line and what it prints.
//!
//! ```text
//! $ cargo run -p lab08-troubleshooting --bin probe -- 127.0.0.1:62893
//! probe 127.0.0.1:62893
//!   connect 127.0.0.1:62893: refused (0.1 ms)
//! verdict: refused
//! advice: nothing listens on 127.0.0.1:62893: …
//! ```
//!
//! Grade your work with `cargo xtask grade 08`.

// The exercises' parameters and imports stay unused until you write their bodies; you may delete
// this line once every `todo!()` is gone.
#![allow(unused_variables, unused_imports)]

pub mod cli;
pub mod diagnose;
pub mod holder;
pub mod listen;
pub mod probe;
pub mod resolve;
pub mod scan;
pub mod verdict;
