//! The lab's program, `probe`, run as a process the way a person runs it in a terminal.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::process::Command;
use tokio::time::timeout;

use super::WAIT;

/// The program the grader built from your src/main.rs. The grader says where it is at run
/// time; under plain `cargo test`, cargo said where at build time.
pub fn program_path() -> PathBuf {
    harness::program_path!("probe")
}

/// What one run printed and how it ended.
pub struct Run {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// `$ probe ARGS`, the exit status and what it printed, for a transcript.
    pub fn transcript(&self, args: &[&str]) -> String {
        let mut text = format!("$ probe {}\n", args.join(" "));
        text += &self.stdout;
        if !self.stderr.is_empty() {
            text += &format!("(standard error)\n{}", self.stderr);
        }
        let status = self
            .status
            .map_or("killed by a signal".to_string(), |code| code.to_string());
        text += &format!("(exit status {status})\n");
        text
    }
}

/// Runs `probe ARGS…` with standard input closed, and waits at most [`WAIT`] for it.
pub async fn run_probe(args: &[&str]) -> Run {
    let child = Command::new(program_path())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = match timeout(WAIT, child).await {
        Ok(Ok(output)) => output,
        Ok(Err(error)) => panic!(
            "could not start the program {} ({error}); build it with \
             `cargo build -p lab08-troubleshooting`",
            program_path().display()
        ),
        Err(_) => panic!(
            "`probe {}` was still running after {} s: every step needs a time limit \
             (--timeout-ms), the connection and the name lookup alike",
            args.join(" "),
            WAIT.as_secs()
        ),
    };
    Run {
        status: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
