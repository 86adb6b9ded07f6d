//! # Lab 04 — An echo server with tokio
//!
//! Chapter 1 taught you to read `127.0.0.1:62893`. In this lab you write the
//! program on the other side of that line: a server that listens on
//! `127.0.0.1:62893` and sends back every byte it receives, the Echo Protocol
//! of RFC 862. An echo server is the "hello, world" of network servers, and a
//! good one already needs everything a real server needs: one task per client,
//! a fixed amount of memory however much a client sends, a clean end when a
//! client stops sending or vanishes, a limit on how many clients it serves,
//! and a graceful shutdown on Ctrl-C.
//!
//! It is built on [tokio](https://tokio.rs), Rust's most used async runtime:
//! thousands of connections can share a few threads, because a task that waits
//! for the network costs almost nothing.
//!
//! One concept per module, in the order the book's chapter 4 walks through them:
//!
//! - [`echo`]: one connection: read into a small buffer, write it back, until the end of the stream.
//! - [`limit`]: a connection limit, built on a [`tokio::sync::Semaphore`].
//! - [`server`]: the accept loop: a task per client, and a graceful shutdown.
//! - [`signals`]: how a program learns it should stop (Ctrl-C is the signal SIGINT).
//! - [`cli`]: the program, `cargo run -p lab04-echo-tokio -- --listen 127.0.0.1:62893`.
//!
//! Grade your work with `cargo xtask grade 04`.

// STUB: // The exercises' parameters, imports, `mut`s and fields stay unused until you write their
// STUB: // bodies; you may delete this line once every `todo!()` is gone.
// STUB: #![allow(unused_variables, unused_imports, unused_mut, dead_code)]
// STUB:
pub mod cli;
pub mod echo;
pub mod limit;
pub mod server;
pub mod signals;
