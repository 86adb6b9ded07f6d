//! # Lab 01 — Port ranges: what `127.0.0.1:62893` means
//!
//! You started a program and your terminal printed something like
//! `Listening on 127.0.0.1:62893`. That short string is an *endpoint*: an IP
//! address (which machine) and a port (which program on that machine),
//! separated by a colon. This crate takes such a string apart and explains
//! every piece of it, the way a networking textbook would.
//!
//! One concept per module, in the order the book's chapter 1 walks through them:
//!
//! - [`ranges`]: the three port ranges of RFC 6335 (system, user, dynamic).
//! - [`services`]: which well-known service usually sits on a port (IANA registers 22 to `ssh`, 443 to `https`).
//! - [`endpoint`]: reading `"127.0.0.1:62893"` or `"[::1]:8080"` into a [`std::net::SocketAddr`],
//!   with an error that says exactly what is wrong when the text is not an endpoint.
//! - [`scope`]: what kind of address it is (loopback, private, link-local, …) and who can reach it.
//! - [`describe`]: all of the above together, rendered as one paragraph of plain English.
//! - [`ephemeral`]: the range of temporary ports *your operating system* hands out,
//!   which is not the same as IANA's: ranges are policy.
//! - [`cli`]: the command-line program, `cargo run -p lab01-ports -- 127.0.0.1:62893`.
//!
//! Grade your work with `cargo xtask grade 01`.

// The exercises' parameters stay unused until you write their bodies; you may delete this
// line once every `todo!()` is gone.
#![allow(unused_variables)]

pub mod cli;
pub mod describe;
pub mod endpoint;
pub mod ephemeral;
pub mod ranges;
pub mod scope;
pub mod services;
