//! The lab's program, started as a real process, and `openssl s_client`, the tester's client.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

pub use harness::program::Output;
use harness::program::{first_stdout_line, press_ctrl_c, start};
use tokio::io::AsyncWriteExt;
use tokio::process::{Child, Command};
use tokio::time::{sleep, timeout};

use super::WAIT;

/// The program the grader built from your src/main.rs. The grader says where it is at run
/// time; under plain `cargo test`, cargo said where at build time.
pub fn program_path() -> PathBuf {
    harness::program_path!("lab09-tls")
}

/// The program running.
pub struct Program {
    child: Child,
    pub output: Output,
}

impl Program {
    /// Starts the program with `args`, standard input closed.
    pub fn spawn(args: &[&str]) -> Program {
        let (child, output) = start(&program_path(), args, "lab09-tls");
        Program { child, output }
    }

    pub fn id(&self) -> u32 {
        self.child
            .id()
            .expect("the program has not been waited for yet")
    }

    /// Waits for the first line of standard output, `listening on ADDRESS`, and returns the
    /// address; fails the test, explaining, if it does not come.
    pub async fn listening_address(&mut self) -> SocketAddr {
        let output = self.output.clone();
        let line = first_stdout_line(&mut self.child, &output, "listening on ADDRESS", || {
            output.stderr_for_message()
        })
        .await;
        line.strip_prefix("listening on ")
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| {
                panic!("the program's first line should be `listening on ADDRESS`, not {line:?}")
            })
    }

    /// Sends SIGINT, as Ctrl-C in a terminal does.
    pub async fn interrupt(&self) {
        press_ctrl_c(self.id()).await;
    }

    /// Waits for the program to exit, for at most `WAIT`.
    pub async fn wait_for_exit(&mut self) -> Option<ExitStatus> {
        let status = timeout(WAIT, self.child.wait()).await.ok()?.ok()?;
        // Let the readers catch the last output.
        sleep(Duration::from_millis(100)).await;
        Some(status)
    }
}

/// Checks that `openssl` can be started, or says why the test cannot run.
pub async fn require_openssl() {
    match Command::new("openssl").arg("version").output().await {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!(
            "not run: `openssl version` failed ({}): apt-get install openssl",
            output.status
        ),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            panic!("not run: openssl is not installed: apt-get install openssl")
        }
        Err(error) => panic!("not run: openssl cannot be started ({error})"),
    }
}

/// What one run of `openssl s_client` did.
pub struct SClient {
    pub status: Option<i32>,
    pub output: Output,
}

/// Runs `openssl s_client -connect ADDRESS -CAfile CA -verify_return_error -brief` with
/// `options`; writes `input`, waits until `expected` came back (when it is not empty), then
/// closes its standard input, which makes s_client close the connection and exit.
pub async fn s_client(
    address: SocketAddr,
    ca_file: &Path,
    options: &[&str],
    input: &str,
    expected: &str,
) -> SClient {
    let connect = address.to_string();
    let mut child = Command::new("openssl")
        .args(["s_client", "-connect", &connect, "-CAfile"])
        .arg(ca_file)
        .args(["-verify_return_error", "-brief"])
        .args(options)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|error| panic!("not run: openssl cannot be started ({error})"));
    let output = Output::collect(&mut child);
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let _ = timeout(WAIT, stdin.write_all(input.as_bytes())).await;
    if !expected.is_empty() {
        let _ = output.wait_for_stdout(expected).await;
    }
    drop(stdin);
    let status = match timeout(WAIT, child.wait()).await {
        Ok(Ok(status)) => status.code(),
        _ => {
            let _ = child.start_kill();
            None
        }
    };
    sleep(Duration::from_millis(100)).await;
    SClient { status, output }
}

/// The lines of `openssl s_client -brief` that do not depend on the OpenSSL version.
pub fn brief_summary(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| {
            line.starts_with("Protocol version:")
                || line.starts_with("Verification:")
                || line.starts_with("Verified peername:")
        })
        .map(|line| {
            format!(
                "  {}",
                line.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .collect()
}
