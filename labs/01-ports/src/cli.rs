//! The command-line program: `cargo run -p lab01-ports -- 127.0.0.1:62893`.
//!
//! A command-line program has three jobs: read its arguments, do the work,
//! and report, on standard output when all went well and on standard error
//! with a non-zero exit code when it did not. Scripts and shells rely on
//! that: `lab01-ports 127.0.0.1:80 && echo ok` prints `ok` only on success.
//!
//! The arguments are read by [clap](https://docs.rs/clap): the [`Args`]
//! struct *is* the command line, and `#[derive(Parser)]` writes the parsing,
//! the `--help` text and the error messages for it.
//!
//! The work is [`run`]: a plain function from arguments to text, so tests can
//! call it directly without starting a process. `main.rs` only prints what
//! `run` returns and picks the exit code.
//!
//! ```text
//! $ cargo run -p lab01-ports -- 127.0.0.1:62893
//! 127.0.0.1:62893 means port 62893 at address 127.0.0.1. 127.0.0.1 is a loopback address …
//! Port 62893 is in IANA's dynamic range 49152-65535 but not in the OS's ephemeral range 32768-60999: …
//! $ cargo run -p lab01-ports -- localhost:80
//! error: cannot explain "localhost:80": "localhost" is a host name, not an IP address: …
//! ```

use clap::Parser;

use crate::endpoint::EndpointError;
use crate::ephemeral::RangeParseError;

/// Explains an endpoint such as 127.0.0.1:62893: who can reach its address,
/// which range its port is in, and which service usually uses that port.
#[derive(Debug, Clone, Parser)]
#[command(name = "lab01-ports", version)]
pub struct Args {
    /// The endpoint to explain: an IPv4 address and a port (`127.0.0.1:62893`),
    /// or an IPv6 address in brackets and a port (`[::1]:8080`).
    pub endpoint: String,

    /// Compare the port with this ephemeral port range, written like the
    /// file /proc/sys/net/ipv4/ip_local_port_range ("32768 60999"),
    /// instead of this machine's range.
    #[arg(long, value_name = "FIRST LAST")]
    pub ephemeral_range: Option<String>,
}

/// Explains `args.endpoint`, or says why it cannot.
///
/// On success the text is the endpoint's [description](crate::describe::describe)
/// paragraph, followed, when an ephemeral range is known, by a newline and the
/// port's [comparison](crate::ephemeral::compare) with that range. The range is
/// `args.ephemeral_range` when given; otherwise this machine's range, and when
/// that cannot be read (not Linux) there is no second line.
///
/// On failure the text is [`endpoint_error_message`] for a bad endpoint, or
/// [`range_error_message`] for a bad `--ephemeral-range`.
pub fn run(args: &Args) -> Result<String, String> {
    // TODO: the program's whole work, as the doc comment says, built from what you wrote in
    // `describe.rs` and `ephemeral.rs`. Think about: a bad endpoint and a bad
    // `--ephemeral-range` are both errors, each with its own message function below; a machine
    // whose range cannot be read is *not* an error (one line instead of two); the second line
    // compares the endpoint's port. Read the module comment and the chapter's "The exercises",
    // step 7. Stuck? `cargo xtask hint 01`.
    todo!()
}

/// The error text for an endpoint that cannot be read, e.g.
/// `cannot explain "localhost:80": "localhost" is a host name, …`.
pub fn endpoint_error_message(endpoint: &str, error: &EndpointError) -> String {
    format!("cannot explain {endpoint:?}: {error}")
}

/// The error text for a bad `--ephemeral-range`, e.g.
/// `cannot use "60999 32768" as an ephemeral port range: the first port …`.
pub fn range_error_message(range: &str, error: &RangeParseError) -> String {
    format!("cannot use {range:?} as an ephemeral port range: {error}")
}
