//! # Lab 02 — Port binding: asking the OS for a port
//!
//! A server that wants to be reached must first *bind*: ask the operating
//! system for one address and one port, such as `127.0.0.1:8080`, and become
//! the only program that receives the connections made to it. Most of the
//! time the OS says yes. This lab is about what it says, and what it means,
//! when it does not:
//!
//! ```text
//! Error: Os { code: 98, kind: AddrInUse, message: "Address already in use" }
//! ```
//!
//! is where most programs stop. By the end of the lab yours will say *who*
//! holds the port, and what to do about it.
//!
//! One concept per module, in the order the book's chapter 2 walks through them:
//!
//! - [`listen`]: binding a listener to an address and a port, or to port 0
//!   and asking which port the kernel chose.
//! - [`conflict`]: when two sockets cannot share a port (same address, the
//!   wildcard address, dual-stack IPv6).
//! - [`socket_table`]: reading the kernel's own table of TCP sockets,
//!   `/proc/net/tcp` and `/proc/net/tcp6`, the file `ss` and `netstat` read.
//! - [`owner`]: finding the process behind a socket through `/proc/<pid>/fd`,
//!   the way `ss -ltnp` does, and so who holds a port.
//! - [`diagnosis`]: turning a bind error into a diagnosis a person can act on.
//! - [`free_port`]: finding a free port in a range, without a race.
//! - [`reuse`]: `SO_REUSEADDR` and TIME_WAIT, or why a restarted server may
//!   fail to bind the port it had a second ago.
//! - [`dual_stack`]: one IPv6 socket for IPv4 clients too, and `IPV6_V6ONLY`.
//! - [`cli`]: the command-line program, `cargo run -p lab02-binding -- 127.0.0.1:8080`.
//!
//! Everything here is Linux: `/proc` is how Linux shows its sockets and
//! processes, and the binding rules are Linux's.
//!
//! Grade your work with `cargo xtask grade 02`.

// Each file's `use` lines bring in only what its given code needs: add the ones your own code
// needs (the compiler's error names the missing item and suggests its `use` line).
//
// The exercises' parameters stay unused until you write their bodies; you may delete this
// line once every `todo!()` is gone.
#![allow(unused_variables)]

pub mod cli;
pub mod conflict;
pub mod diagnosis;
pub mod dual_stack;
pub mod free_port;
pub mod listen;
pub mod owner;
pub mod reuse;
pub mod socket_table;
