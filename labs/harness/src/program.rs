//! The lab's own program, found and started as a real process, as a user would start it.
//!
//! Cargo builds a package's programs before its integration tests and tells the tests where
//! they are in `CARGO_BIN_EXE_<name>`, at build time (`env!`). The grader builds the program
//! somewhere else and says where at run time, in the same variable. So a test reads the
//! variable at run time first and falls back to what cargo said at build time: that is
//! [`program_path!`], which the lab calls with its program's name (the macro expands in the
//! lab's test, where cargo set the variable).

use std::path::PathBuf;
#[cfg(feature = "program")]
use std::sync::{Arc, Mutex};

#[cfg(feature = "program")]
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

/// The path of the lab's program `$name` (a `[[bin]]` of the lab's package): where the
/// grader says at run time, or else where cargo said at build time.
///
/// ```ignore
/// let path: std::path::PathBuf = harness::program_path!("lab04-echo-tokio");
/// ```
#[macro_export]
macro_rules! program_path {
    ($name:literal) => {
        $crate::program::run_time_or_build_time(
            ::std::env::var_os(concat!("CARGO_BIN_EXE_", $name)),
            env!(concat!("CARGO_BIN_EXE_", $name)),
        )
    };
}

/// The path the grader gave at run time, if it gave one, or else cargo's from build time.
pub fn run_time_or_build_time(run_time: Option<std::ffi::OsString>, build_time: &str) -> PathBuf {
    run_time
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(build_time))
}

/// Appends each line of `stream` to `into` as it arrives, in a task of its own: a program's
/// output is collected while it runs, so a test can look at it at any moment.
#[cfg(feature = "program")]
pub fn collect_lines(stream: impl AsyncRead + Unpin + Send + 'static, into: Arc<Mutex<String>>) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let mut text = into.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
}

/// Replaces the port of `address` in `text` (after a `:` or a space) by `[port]`, so that a
/// snapshot does not depend on the port the operating system picked.
pub fn redact_port(text: &str, address: std::net::SocketAddr) -> String {
    text.replace(&format!(":{}", address.port()), ":[port]")
        .replace(&format!(" {}", address.port()), " [port]")
}
