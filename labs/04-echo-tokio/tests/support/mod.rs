//! The test harness shared by the graded tests: clients that keep a transcript, a server
//! started on a free port, payloads that are cheap to check, a pretend stream that counts
//! every byte, and the lab's program started as a real process.
//!
//! Most of it is the course's shared harness (`harness`, with its `echo` feature); what is
//! this lab's own is here: the names of its code in the failure messages, its test server and
//! its pretend stream.

// Each test file uses only some of the harness.
#![allow(dead_code, unused_imports)]

pub mod scripted_stream;
pub mod test_server;

pub use harness::echo_client::{EchoLab, QUIET};
pub use harness::{WAIT, bytes, witness};

/// This lab, as the shared echo client and program name it in their failure messages.
pub struct Lab04;

impl EchoLab for Lab04 {
    const PACKAGE: &'static str = "lab04-echo-tokio";
    const SHUTDOWN_CALL: &'static str = "stream.shutdown().await";
    const HOW_TO_END: &'static str = "When read returns 0 bytes, write back \
                     anything left, then shut down the writing side (stream.shutdown().await) \
                     so that the client sees the end of the stream too.";
    const BOUND_ADDRESS: &'static str = "listener.local_addr()";

    fn why_no_echo(name: &str) -> String {
        format!(
            "Either the server waits for more data before it echoes (it must send \
                         back each piece as soon as it has read it: {name} waits for this echo \
                         before it sends anything else), or it is not serving {name} at all: \
                         busy with another client (each connection needs a task of its own), \
                         or stuck waiting for a free slot."
        )
    }

    fn program_path() -> std::path::PathBuf {
        harness::program_path!("lab04-echo-tokio")
    }
}

/// Test clients that keep a transcript (the shared echo client, named for this lab).
pub mod client {
    pub use harness::echo_client::{
        Exchange, Transcript, count, exchange, exchange_reading_late, expect_refused, fail,
    };

    /// One client connection of a test.
    pub type Client = harness::echo_client::Client<super::Lab04>;
}

/// The lab's program, started as a real process.
pub mod program {
    pub use harness::program::redact_port;

    /// The program running, its output collected as it comes.
    pub type Program = harness::echo_program::Program<super::Lab04>;
}
