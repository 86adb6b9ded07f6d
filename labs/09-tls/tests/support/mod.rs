//! The test harness shared by the graded tests: a transcript of what happened, a CA and a
//! client set up with your code, a server started on a free port, TLS and plaintext
//! clients, a reader of certificates, and the lab's program started as a real process.

// Each test file uses only some of the harness.
#![allow(dead_code)]

pub mod certificate_facts;
pub mod clients;
pub mod program;
pub mod setup;
pub mod test_server;

/// The story of a test, one line per step, and the witness of the server side (the shared
/// harness's).
pub mod transcript {
    pub use harness::transcript::Transcript;
    pub use harness::witness::ServerTask;
}

use std::time::Duration;

/// How long a test waits for something that should happen (a handshake, a reply, the end
/// of a stream, a server that stops) before it gives up and explains what is missing.
pub const WAIT: Duration = Duration::from_secs(5);

/// How long a test watches for something that should *not* happen yet.
pub const QUIET: Duration = Duration::from_millis(300);

/// The token of the tests' servers.
pub const TOKEN: &str = "s3cret-t0ken";

pub use harness::seconds;
