//! The echo labs' program, started as a real process, as a user would start it: it prints
//! `listening on ADDRESS` once it has bound its address, and echoes until it is stopped.

use std::marker::PhantomData;
use std::net::SocketAddr;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::process::{Child, Command};
use tokio::time::{Instant, sleep, timeout};

use crate::WAIT;
use crate::echo_client::EchoLab;
use crate::program::collect_lines;
use crate::witness::ProgramOutput;

/// The program running, its output collected as it comes.
pub struct Program<L: EchoLab> {
    child: Child,
    pub stdout: Arc<Mutex<String>>,
    pub output: ProgramOutput,
    lab: PhantomData<L>,
}

impl<L: EchoLab> Program<L> {
    /// Starts the program with `args`, standard input closed.
    pub fn spawn(args: &[&str]) -> Program<L> {
        let mut child = Command::new(L::program_path())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "could not start the program {} ({error}); build it with \
                     `cargo build -p {}`",
                    L::program_path().display(),
                    L::PACKAGE
                )
            });
        let stdout = Arc::new(Mutex::new(String::new()));
        let output = ProgramOutput::default();
        collect_lines(
            child.stdout.take().expect("stdout is piped"),
            Arc::clone(&stdout),
        );
        collect_lines(
            child.stderr.take().expect("stderr is piped"),
            Arc::clone(&output.stderr),
        );
        Program {
            child,
            stdout,
            output,
            lab: PhantomData,
        }
    }

    pub fn id(&self) -> u32 {
        self.child
            .id()
            .expect("the program has not been waited for yet")
    }

    pub fn stdout_text(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub fn stderr_text(&self) -> String {
        self.output.stderr.lock().unwrap().clone()
    }

    /// The program's standard error, for a failure message.
    pub fn stderr_for_message(&self) -> String {
        let stderr = self.stderr_text();
        if stderr.trim().is_empty() {
            "Its standard error was empty.".to_string()
        } else {
            format!("Its standard error:\n{}", stderr.trim_end())
        }
    }

    /// Waits for the first line of standard output, `listening on ADDRESS`, and returns the
    /// address; fails the test, explaining, if it does not come.
    pub async fn listening_address(&mut self) -> SocketAddr {
        let deadline = Instant::now() + WAIT;
        let line = loop {
            if let Some(line) = self.stdout_text().lines().next() {
                break line.to_string();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the readers catch the last output.
                sleep(Duration::from_millis(200)).await;
                if let Some(line) = self.stdout_text().lines().next() {
                    break line.to_string();
                }
                panic!(
                    "the program exited ({status}) without printing `listening on ADDRESS`. {}",
                    self.stderr_for_message()
                );
            }
            if Instant::now() >= deadline {
                panic!(
                    "the program printed nothing on its standard output within {} s: it should \
                     print `listening on ADDRESS` (cli::announce) as soon as it has bound its \
                     address. {}",
                    WAIT.as_secs_f64(),
                    self.stderr_for_message()
                );
            }
            sleep(Duration::from_millis(20)).await;
        };
        let Some(text) = line.strip_prefix("listening on ") else {
            panic!("the program's first line should be `listening on ADDRESS`, but it is {line:?}");
        };
        let address: SocketAddr = text.parse().unwrap_or_else(|_| {
            panic!(
                "the program printed {line:?}, but {text:?} is not an address and a port \
                 like 127.0.0.1:43917"
            )
        });
        if address.port() == 0 {
            panic!(
                "the program printed {line:?}: port 0 is what was asked for (\"any free port\"), \
                 not the port the operating system gave. Announce {}, not args.listen.",
                L::BOUND_ADDRESS
            );
        }
        if address.ip().to_string() != "127.0.0.1" {
            panic!("the program was asked to listen on 127.0.0.1, but it announced {line:?}");
        }
        address
    }

    /// Waits until standard error contains `text`, for at most `WAIT`.
    pub async fn wait_for_stderr(&self, text: &str) -> bool {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if self.stderr_text().contains(text) {
                return true;
            }
            sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// Waits for the program to exit, for at most `WAIT`.
    pub async fn wait_for_exit(&mut self) -> Option<ExitStatus> {
        let status = timeout(WAIT, self.child.wait()).await.ok()?.ok()?;
        // Let the readers catch the last output.
        sleep(Duration::from_millis(100)).await;
        Some(status)
    }

    /// Kills the program (SIGKILL) and waits for it.
    pub async fn kill(mut self) {
        let _ = self.child.start_kill();
        let _ = timeout(WAIT, self.child.wait()).await;
    }
}
