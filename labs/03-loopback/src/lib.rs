//! # Lab 03 — Loopback vs external: who can reach 127.0.0.1?
//!
//! A server that prints `Listening on 127.0.0.1:8000` can be reached from
//! *this* machine only. Your teammate who types the same address on their
//! laptop reaches *their own* machine instead. This crate proves it with real
//! connections between two machines (two Linux network namespaces that the
//! tests build for you), and explains every answer.
//!
//! One concept per module, in the order the book's chapter 3 walks through them:
//!
//! - [`outcome`]: what a connection attempt can end in (connected, refused,
//!   unreachable, timed out, no address), read from the [`std::io::Error`].
//! - [`probe`]: one connection attempt with a time limit.
//! - [`fallback`]: a name such as `localhost` has several addresses; try each
//!   in order and keep a transcript, so the classic "server on 127.0.0.1,
//!   client tries ::1 first" bug is plain to see.
//! - [`reachability`]: which address each client dials, which listening
//!   address accepts it, and so whether it should connect, *predicted*
//!   without sending a packet.
//! - [`matrix`]: the whole picture, every listening address against every
//!   client position, predicted and then measured on two hosts.
//!
//! The program (`cargo run -p lab03-loopback -- localhost 8000`) tries every
//! address of a name, like a careful client does, and prints each attempt.
//!
//! Grade your work with `cargo xtask grade 03`.

// Each file's `use` lines bring in only what its given code needs: add the ones your own code
// needs (the compiler's error names the missing item and suggests its `use` line).
//
// The exercises' parameters stay unused until you write their bodies; you may delete this
// line once every `todo!()` is gone.
#![allow(unused_variables)]

pub mod fallback;
pub mod matrix;
pub mod outcome;
pub mod probe;
pub mod reachability;
