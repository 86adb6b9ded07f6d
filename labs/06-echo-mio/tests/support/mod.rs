//! The test harness shared by the graded tests, the same as lab 04's where it can be: clients
//! that keep a transcript, payloads that are cheap to check, and the lab's program started as
//! a real process. What differs: the server is an `EchoServer` running its event loop on a
//! thread of its own, the pretend stream speaks `std::io` with `WouldBlock`, and a clock reads
//! the CPU time the process used.
//!
//! Most of it is the course's shared harness (`harness`, with its `echo` feature); what is
//! this lab's own is here: the names of its code in the failure messages, its test server and
//! its pretend stream.

// Each test file uses only some of the harness.
#![allow(dead_code, unused_imports)]

pub mod cpu;
pub mod scripted_stream;
pub mod test_server;

pub use harness::echo_client::{EchoLab, QUIET};
pub use harness::{WAIT, bytes, witness};

/// This lab, as the shared echo client and program name it in their failure messages.
pub struct Lab06;

impl EchoLab for Lab06 {
    const PACKAGE: &'static str = "lab06-echo-mio";
    const SHUTDOWN_CALL: &'static str = "shutdown_write";
    const HOW_TO_END: &'static str = "A read of 0 bytes is the end of the \
                     stream (Received::End, not NothingYet): write back what is left in the \
                     outbox, then shut down the writing side (shutdown_write), and the server \
                     closes the finished connection.";
    const BOUND_ADDRESS: &'static str = "server.local_addr()";

    fn why_no_echo(name: &str) -> String {
        format!(
            "Either the server left bytes unread or unwritten (an event is \
                         edge-triggered: on_ready must read until WouldBlock and write back \
                         each piece at once, since no new event comes for bytes that already \
                         arrived), or it is not serving {name} at all: {name} was never \
                         accepted (accept until WouldBlock), {name}'s events go to another \
                         connection (a client's token must be its slab key), or {name} waits \
                         for a free slot."
        )
    }

    fn program_path() -> std::path::PathBuf {
        harness::program_path!("lab06-echo-mio")
    }
}

/// Test clients that keep a transcript (the shared echo client, named for this lab).
pub mod client {
    pub use harness::echo_client::{
        Exchange, Transcript, count, exchange, exchange_reading_late, expect_refused, fail,
    };

    /// One client connection of a test.
    pub type Client = harness::echo_client::Client<super::Lab06>;
}

/// The lab's program, started as a real process.
pub mod program {
    pub use harness::program::redact_port;

    /// The program running, its output collected as it comes.
    pub type Program = harness::echo_program::Program<super::Lab06>;
}
