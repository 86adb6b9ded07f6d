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
use std::time::Duration;

#[cfg(feature = "program")]
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
#[cfg(feature = "program")]
use tokio::process::Child;
#[cfg(feature = "program")]
use tokio::time::{Instant, sleep};

#[cfg(feature = "program")]
use crate::WAIT;

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

/// Starts the lab's program at `path` with `args`, standard input closed and its output
/// collected; killed when the `Child` is dropped. `package` is for the failure message.
#[cfg(feature = "program")]
pub fn start(
    path: &std::path::Path,
    args: impl IntoIterator<Item = impl AsRef<std::ffi::OsStr>>,
    package: &str,
) -> (Child, Output) {
    let mut child = tokio::process::Command::new(path)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|error| {
            panic!(
                "could not start the program {} ({error}); build it with \
                 `cargo build -p {package}`",
                path.display()
            )
        });
    let output = Output::collect(&mut child);
    (child, output)
}

/// Sends SIGINT to the process `pid`, as Ctrl-C in a terminal does (with `kill -INT`).
#[cfg(feature = "program")]
pub async fn press_ctrl_c(pid: u32) {
    let pid = pid.to_string();
    match tokio::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .await
    {
        Ok(status) if status.success() => {}
        Ok(status) => panic!("`kill -INT {pid}` failed ({status}): is the program still running?"),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            panic!("not run: the kill program is not installed: apt-get install procps")
        }
        Err(error) => panic!("not run: `kill` cannot be started ({error})"),
    }
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

/// A process's output, collected line by line as it comes (see [`collect_lines`]). Clones
/// share it, so a witness can hold it while the test holds the program.
#[cfg(feature = "program")]
#[derive(Clone, Default)]
pub struct Output {
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

#[cfg(feature = "program")]
impl Output {
    /// Starts collecting the output of `child`, whose standard output and error are piped.
    pub fn collect(child: &mut Child) -> Output {
        let output = Output::default();
        collect_lines(
            child.stdout.take().expect("stdout is piped"),
            Arc::clone(&output.stdout),
        );
        collect_lines(
            child.stderr.take().expect("stderr is piped"),
            Arc::clone(&output.stderr),
        );
        output
    }

    /// Standard output so far.
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Standard error, whole, for a failure message.
    pub fn stderr_for_message(&self) -> String {
        let stderr = self.stderr();
        if stderr.trim().is_empty() {
            "Its standard error was empty.".to_string()
        } else {
            format!("Its standard error:\n{}", stderr.trim_end())
        }
    }

    /// The last lines of standard error, for a failure message.
    pub fn stderr_ending(&self) -> String {
        let tail = self.stderr_tail();
        if tail.is_empty() {
            "The program wrote nothing on its standard error.".to_string()
        } else {
            format!("The program's standard error ends with:\n{tail}")
        }
    }

    /// The last 15 lines the program wrote on standard error.
    pub fn stderr_tail(&self) -> String {
        let stderr = self.stderr.lock().unwrap();
        let lines: Vec<&str> = stderr.lines().collect();
        let start = lines.len().saturating_sub(15);
        lines[start..].join("\n")
    }

    /// Waits until standard output contains `text`, for at most [`WAIT`].
    pub async fn wait_for_stdout(&self, text: &str) -> bool {
        wait_until(|| self.stdout().contains(text)).await
    }

    /// Waits until standard error contains `text`, for at most [`WAIT`].
    pub async fn wait_for_stderr(&self, text: &str) -> bool {
        wait_until(|| self.stderr().contains(text)).await
    }
}

/// Checks `done` every 20 ms until it holds, for at most [`WAIT`]; says whether it held.
#[cfg(feature = "program")]
async fn wait_until(done: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        sleep(Duration::from_millis(20)).await;
    }
    false
}

/// Waits for the first line of the program's standard output, where a server announces the
/// address it bound (`announce` says what it should print, for the failure message: "listening
/// on ADDRESS"). Fails the test, explaining with `stderr_for_message`, if the program exits or
/// stays silent for [`WAIT`].
#[cfg(feature = "program")]
pub async fn first_stdout_line(
    child: &mut Child,
    output: &Output,
    announce: &str,
    stderr_for_message: impl Fn() -> String,
) -> String {
    let deadline = Instant::now() + WAIT;
    let first_line = || output.stdout().lines().next().map(str::to_string);
    loop {
        if let Some(line) = first_line() {
            return line;
        }
        if let Ok(Some(status)) = child.try_wait() {
            // Let the readers catch the last output.
            sleep(Duration::from_millis(200)).await;
            if let Some(line) = first_line() {
                return line;
            }
            panic!(
                "the program exited ({status}) without printing `{announce}`. {}",
                stderr_for_message()
            );
        }
        if Instant::now() >= deadline {
            panic!(
                "the program printed nothing on its standard output within {} s: it should \
                 print `{announce}` (cli::announce) as soon as it has bound its address. {}",
                WAIT.as_secs_f64(),
                stderr_for_message()
            );
        }
        sleep(Duration::from_millis(20)).await;
    }
}

/// Replaces the port of `address` in `text` (after a `:` or a space) by `[port]`, so that a
/// snapshot does not depend on the port the operating system picked.
pub fn redact_port(text: &str, address: std::net::SocketAddr) -> String {
    text.replace(&format!(":{}", address.port()), ":[port]")
        .replace(&format!(" {}", address.port()), " [port]")
}
