//! Real clients: `curl` and a headless Chromium, each run with a time limit, in a
//! process group of its own so that nothing it started outlives it.

use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Command;
use tokio::task::JoinHandle;
use tokio::time::timeout;

/// Checks that `program` can be started, or says why the test cannot run.
pub async fn require(program: &str, install: &str) {
    match Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .status()
        .await
    {
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            panic!("not run: {program} is not installed ({install})")
        }
        Err(error) => panic!("not run: {program} cannot be started ({error})"),
    }
}

/// What a tool did.
pub struct ToolOutput {
    /// `None` when it was killed at the time limit.
    pub status: Option<ExitStatus>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl ToolOutput {
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// The last lines of its standard error, without `skip`'s noise, for a message.
    pub fn stderr_tail(&self, skip: &[&str]) -> String {
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|line| !skip.iter().any(|noise| line.contains(noise)))
            .collect();
        let start = lines.len().saturating_sub(12);
        lines[start..].join("\n")
    }
}

/// Runs `command` (standard input closed) for at most `limit`, then kills its whole
/// process group.
pub async fn run_limited(mut command: Command, limit: Duration) -> ToolOutput {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = command
        .spawn()
        .unwrap_or_else(|error| panic!("not run: cannot start {command:?} ({error})"));
    let group = child.id().expect("a child that was just started has an id") as i32;
    let stdout = read_all(child.stdout.take().expect("stdout is piped"));
    let stderr = read_all(child.stderr.take().expect("stderr is piped"));
    let status = timeout(limit, child.wait()).await.ok().and_then(Result::ok);
    kill_group(group);
    let _ = timeout(Duration::from_secs(2), child.wait()).await;
    let stdout = timeout(Duration::from_secs(2), stdout)
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let stderr = timeout(Duration::from_secs(2), stderr)
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    ToolOutput {
        status,
        stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Kills every process of the process group `group` (SIGKILL); nothing if it is gone.
fn kill_group(group: i32) {
    // SAFETY: kill(2) only sends a signal; a negative pid names a process group, here the
    // one the child was started in (process_group(0) made its id the group's id).
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

fn read_all(mut stream: impl AsyncRead + Unpin + Send + 'static) -> JoinHandle<Vec<u8>> {
    tokio::spawn(async move {
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes).await;
        bytes
    })
}

/// A `curl` command that ignores `~/.curlrc` (`-q`, which must come first) and any
/// proxy, speaks HTTP/1.1, and gives up after 5 seconds.
pub fn curl() -> Command {
    let mut command = Command::new("curl");
    command.args([
        "-q",
        "--silent",
        "--show-error",
        "--noproxy",
        "*",
        "--max-time",
        "5",
        "--http1.1",
    ]);
    command
}

/// The names a Chromium may have on the PATH: Debian's package, other distributions',
/// and Google Chrome's.
const BROWSERS: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The first Chromium found on the PATH, or why the test cannot run.
pub fn find_chromium() -> String {
    let path = std::env::var_os("PATH").unwrap_or_default();
    BROWSERS
        .iter()
        .find(|name| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
        .map(|name| name.to_string())
        .unwrap_or_else(|| {
            panic!(
                "not run: chromium is not installed (apt-get install chromium; none of {} is on \
                 the PATH)",
                BROWSERS.join(", ")
            )
        })
}

/// The flags of a headless Chromium (`browser`, from [`find_chromium`]) that runs as
/// root, talks to nothing but the URL it is given, keeps its profile in `profile`, and
/// its temporary files in `short_tmp`: a folder with a short path, since Chromium makes
/// a Unix socket there, and a socket's path may not be longer than 107 bytes.
pub fn chromium(browser: &str, profile: &Path, short_tmp: &Path) -> Command {
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--no-proxy-server",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .env("HOME", profile)
        .env("XDG_CONFIG_HOME", profile.join("config"))
        .env("XDG_CACHE_HOME", profile.join("cache"))
        .env("TMPDIR", short_tmp);
    command
}
