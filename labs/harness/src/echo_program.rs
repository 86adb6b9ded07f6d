//! The echo labs' program, started as a real process, as a user would start it: it prints
//! `listening on ADDRESS` once it has bound its address, and echoes until it is stopped.

use std::marker::PhantomData;
use std::net::SocketAddr;
use std::process::ExitStatus;
use std::time::Duration;

use tokio::process::Child;
use tokio::time::{sleep, timeout};

use crate::WAIT;
use crate::echo_client::EchoLab;
use crate::program::{Output, first_stdout_line, start};

/// The program running, its output collected as it comes. Killed when dropped.
pub struct Program<L: EchoLab> {
    child: Child,
    pub output: Output,
    lab: PhantomData<L>,
}

impl<L: EchoLab> Program<L> {
    /// Starts the program with `args`, standard input closed.
    pub fn spawn(args: &[&str]) -> Program<L> {
        let (child, output) = start(&L::program_path(), args, L::PACKAGE);
        Program {
            child,
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
        self.output.stdout()
    }

    pub fn stderr_text(&self) -> String {
        self.output.stderr()
    }

    /// The program's standard error, for a failure message.
    pub fn stderr_for_message(&self) -> String {
        self.output.stderr_for_message()
    }

    /// Waits for the first line of standard output, `listening on ADDRESS`, and returns the
    /// address; fails the test, explaining, if it does not come.
    pub async fn listening_address(&mut self) -> SocketAddr {
        let output = self.output.clone();
        let line = first_stdout_line(&mut self.child, &output, "listening on ADDRESS", || {
            output.stderr_for_message()
        })
        .await;
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
        self.output.wait_for_stderr(text).await
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
