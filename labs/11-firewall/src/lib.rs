//! # Lab 11 — A firewall: who blocked the port?
//!
//! "The service stopped answering after the firewall update." Lab 08 taught you to read what
//! a connection attempt says: open, refused, silence, an ICMP error. This lab is about what
//! makes a host answer that way on purpose: its **firewall**, the kernel's packet filter,
//! which Linux programs with **nftables** (`nft`).
//!
//! You build both sides of the story, and the tests run them on real kernels: two machines
//! of the test's own (network namespaces) joined by a cable, a real `nft` loading your
//! rulesets into the server, and real connections from the client.
//!
//! One concept per module, in the order the book's chapter 11 walks through them:
//!
//! - [`policy`]: what should get in, the way a service owner says it; and address blocks.
//! - [`ruleset`]: the same policy written as an nftables ruleset (given a policy, you write
//!   the rules).
//! - [`probe`]: knocking on a port from a chosen source address, and what the answer means.
//! - [`decide`]: reading `nft -j list ruleset` the way the kernel walks it, to name the rule
//!   that decides a packet's fate.
//! - [`fix`]: the smallest fix that lets one service back in and opens nothing else.
//!
//! `cli.rs` and `main.rs` make it a program you can run as root on your own machine:
//! `lab11-firewall ruleset --allow 8080 --refuse reset` and `lab11-firewall diagnose --port
//! 8080 --from 198.51.100.1 --interface eth0`.
//!
//! Read chapter 11 of the book (`book/src/11-firewall.md`) first. Grade your work with
//! `cargo xtask grade 11`.

// Until you write them, the functions' parameters and some imports are unused.
#![allow(unused_variables, unused_imports, dead_code)]

pub mod cli;
pub mod decide;
pub mod fix;
pub mod policy;
pub mod probe;
pub mod ruleset;
