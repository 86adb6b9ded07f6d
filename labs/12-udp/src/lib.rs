//! # Lab 12 — UDP over a bad link
//!
//! TCP gave you a stream: bytes in order, none lost, none twice, and a connection that says
//! when the other side is gone. UDP gives you much less, and that is its point: one
//! **datagram** at a time, sent on its own, which arrives whole or not at all, and maybe
//! twice, and maybe after the one sent after it. DNS, NTP, games, video calls and QUIC all
//! start from there and add only what they need.
//!
//! In this lab you add what a request/response protocol needs, and the tests run it over a
//! link of their own that loses, duplicates, delays and reorders datagrams:
//!
//! - [`datagram`]: what one datagram is: its boundaries, its true size when the buffer is too
//!   small, what a closed port answers, and the largest one that fits in one packet.
//! - [`protocol`]: the wire format of a request and its answer, with a 32-bit id; a decoder
//!   that rejects what it cannot trust.
//! - [`server`]: a counter (`add 5` answers the new total) that must apply each request once,
//!   however many copies of it arrive.
//! - [`client`]: `call`, with a timeout, retries with exponential backoff, and answers matched
//!   to their request by id.
//!
//! `cli.rs` and `main.rs` make it a program: `lab12-udp serve 127.0.0.1:0` and
//! `lab12-udp call 127.0.0.1:PORT add 5`.
//!
//! Read chapter 12 of the book (`book/src/12-udp.md`) first. Grade your work with
//! `cargo xtask grade 12`.

// Until you write them, the functions' parameters and some imports are unused.
#![allow(unused_variables, unused_imports, dead_code)]

pub mod cli;
pub mod client;
pub mod datagram;
pub mod protocol;
pub mod server;
