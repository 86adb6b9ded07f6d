//! The lab's program, started as a real process, as a developer starts it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use harness::program::collect_lines;
use tokio::process::{Child, Command};
use tokio::time::{Instant, sleep};

use super::WAIT;

/// The program the grader built from your src/main.rs. The grader says where it is at
/// run time; under plain `cargo test`, cargo said where at build time.
pub fn program_path() -> PathBuf {
    harness::program_path!("lab07-web-server")
}

/// The program running, its output collected as it comes. Killed when dropped.
pub struct Program {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Program {
    /// Starts `lab07-web-server --listen 127.0.0.1:0 --root <root>`, standard input closed.
    pub fn serve(root: &Path) -> Program {
        let mut child = Command::new(program_path())
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--root")
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "could not start the program {} ({error}); build it with \
                     `cargo build -p lab07-web-server`",
                    program_path().display()
                )
            });
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        collect_lines(
            child.stdout.take().expect("stdout is piped"),
            Arc::clone(&stdout),
        );
        collect_lines(
            child.stderr.take().expect("stderr is piped"),
            Arc::clone(&stderr),
        );
        Program {
            child,
            stdout,
            stderr,
        }
    }

    fn stdout_text(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// The last lines of the program's standard error, for a failure message.
    pub fn stderr_for_message(&self) -> String {
        let stderr = self.stderr.lock().unwrap().clone();
        let lines: Vec<&str> = stderr.lines().collect();
        if lines.is_empty() {
            return "The program wrote nothing on its standard error.".to_string();
        }
        let start = lines.len().saturating_sub(15);
        format!(
            "The program's standard error ends with:\n{}",
            lines[start..].join("\n")
        )
    }

    /// Waits for the first line of standard output, `listening on http://ADDRESS/`, and
    /// returns the address; fails the test, explaining, if it does not come.
    pub async fn listening_address(&mut self) -> SocketAddr {
        let deadline = Instant::now() + WAIT;
        let line = loop {
            if let Some(line) = self.stdout_text().lines().next() {
                break line.to_string();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                sleep(Duration::from_millis(200)).await;
                if let Some(line) = self.stdout_text().lines().next() {
                    break line.to_string();
                }
                panic!(
                    "the program exited ({status}) without printing `listening on \
                     http://ADDRESS/`. {}",
                    self.stderr_for_message()
                );
            }
            if Instant::now() >= deadline {
                panic!(
                    "the program printed nothing on its standard output within {} s: it should \
                     print `listening on http://ADDRESS/` (cli::announce) as soon as it has bound \
                     its address. {}",
                    WAIT.as_secs(),
                    self.stderr_for_message()
                );
            }
            sleep(Duration::from_millis(20)).await;
        };
        let address = line
            .strip_prefix("listening on http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|text| text.parse::<SocketAddr>().ok())
            .unwrap_or_else(|| {
                panic!(
                    "the program's first line should be `listening on http://127.0.0.1:PORT/`, \
                     but it is {line:?}"
                )
            });
        assert!(
            address.port() != 0,
            "the program printed {line:?}: port 0 is what was asked for (\"any free port\"), not \
             the port the operating system gave. Announce listener.local_addr()."
        );
        address
    }
}

/// Replaces the port of `address` in `text` by `[port]`.
pub fn redact_port(text: &str, address: SocketAddr) -> String {
    text.replace(&format!(":{}", address.port()), ":[port]")
}
