//! # Lab 10 — Concurrency models and performance
//!
//! Three echo servers, one per way of serving many clients at once: a thread
//! per connection, a mio event loop, and tokio tasks. Which is fastest? The
//! honest answer starts with a measurement you can trust, and that is what
//! you build here: a **load generator** that keeps N connections busy and
//! checks every byte, **statistics** that say what the latencies were
//! (percentiles, not averages), and a **report** that puts the models side by
//! side. Your grade depends on the measurement being *right*, never on how
//! fast this machine is.
//!
//! One concept per module, in the order the book's chapter 10 walks through them:
//!
//! - [`servers`]: the three servers: you write thread-per-connection whole, and
//!   the per-client parts of the mio and tokio ones.
//! - [`load`]: the load generator: N connections, a closed loop each, bounded in count and time.
//! - [`stats`]: nearest-rank percentiles and requests per second.
//! - [`report`]: the comparison table.
//! - [`compare`]: one server at a time, with its counters as the witness.
//! - [`cli`]: the program, `cargo run --release -p lab10-performance -- --model all`.
//!
//! Grade your work with `cargo xtask grade 10`.

// The exercises' parameters, imports, `mut`s and fields stay unused until you write their bodies;
// you may delete this line once every `todo!()` is gone.
#![allow(unused_variables, unused_imports, unused_mut, dead_code)]

pub mod cli;
pub mod compare;
pub mod load;
pub mod report;
pub mod servers;
pub mod stats;
