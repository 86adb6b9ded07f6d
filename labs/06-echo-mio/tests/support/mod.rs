//! The test harness shared by the graded tests, the same as lab 04's where it can be: clients
//! that keep a transcript, payloads that are cheap to check, and the lab's program started as
//! a real process. What differs: the server is an `EchoServer` running its event loop on a
//! thread of its own, the pretend stream speaks `std::io` with `WouldBlock`, and a clock reads
//! the CPU time the process used.

// Each test file uses only some of the harness.
#![allow(dead_code)]

pub mod bytes;
pub mod client;
pub mod cpu;
pub mod program;
pub mod scripted_stream;
pub mod test_server;
pub mod witness;

use std::time::Duration;

/// How long a test waits for something that should happen (an echo, the end of a stream,
/// a server that stops) before it gives up and explains what is missing.
pub const WAIT: Duration = Duration::from_secs(5);

/// How long a test watches for something that should *not* happen (an echo to a client
/// that must wait for a free slot, a server that must keep running).
pub const QUIET: Duration = Duration::from_millis(500);
