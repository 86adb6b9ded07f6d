//! The test harness the labs share: the helpers several labs' tests need, written once.
//!
//! A lab's tests are more than their `#[test]` functions: a client that keeps a transcript of
//! every step, payloads that are cheap to check, the lab's program started as a real process,
//! a network of the test's own. Several labs need the same ones, so they live here, in one
//! crate that every lab takes as a dev-dependency (`harness = { path = "../harness", … }`).
//! What is particular to one lab stays in that lab's `tests/support/`.
//!
//! Like the tests, this crate belongs to the instructor: the grader always builds it from the
//! course, never from a submission, so a student cannot make a check pass by editing it.
//!
//! Each lab turns on only the features it needs, so it compiles only their dependencies:
//!
//! | feature   | modules                                          | used by        |
//! | --------- | ------------------------------------------------ | -------------- |
//! | (none)    | [`bytes`], [`transcript`], [`program_path!`]     | all but 01, 05 |
//! | `program` | [`program::Output`], [`witness`], [`listener`]   | 04 06 07 08 09 |
//! | `echo`    | [`echo_client`], [`echo_program`], [`netcat`]    | 04 06          |
//! | `netns`   | [`netns`]                                        | 03 08 11–14    |

use std::time::Duration;

pub mod bytes;
pub mod program;
pub mod transcript;

#[cfg(feature = "program")]
pub mod listener;
#[cfg(feature = "program")]
pub mod witness;

#[cfg(feature = "echo")]
pub mod echo_client;
#[cfg(feature = "echo")]
pub mod echo_program;
#[cfg(feature = "echo")]
pub mod netcat;

#[cfg(feature = "netns")]
pub mod netns;

/// How long a test waits for something that should happen (an echo, the end of a stream,
/// a server that stops, a line of output) before it gives up and explains what is missing.
pub const WAIT: Duration = Duration::from_secs(5);

/// `1.5 s`: a duration as a failure message writes it.
pub fn seconds(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}
