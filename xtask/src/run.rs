//! Stage 4 — run: each test alone in its own process, watched from the outside.
//!
//! A test runs as `<test-executable> --exact NAME` in a fresh process group, with standard
//! input closed, a clean environment (insta may not update or force-pass snapshots) and a
//! time limit; on timeout the whole group is killed. What this stage records is only what the
//! grader itself observed: how the process ended, and the completion record that the test
//! harness (libtest) writes to a log file once the test function has returned or panicked.
//! A process that exits before that record is written did not finish its test, whatever it
//! printed. Judging the observation is the `score` stage's job.

use std::collections::VecDeque;
use std::fs;
use std::io::{PipeReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::build::Executable;
use crate::process::{ProcessEnd, Supervised, describe_end, process_group_command};
use crate::sandbox::{Isolation, Limits};

/// The most output kept from one test.
pub const OUTPUT_CAP: usize = 64 * 1024;

/// The completion record libtest wrote for the test, if it got that far.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Completion {
    Passed,
    Failed,
    Ignored,
}

/// Everything the grader observed of one test run.
#[derive(Debug, Clone)]
pub struct Observation {
    pub end: ProcessEnd,
    pub completion: Option<Completion>,
    /// What the test printed (its panic message, insta's diff), cleaned of libtest's framing.
    pub output: String,
    pub duration: Duration,
}

/// What insta does with a snapshot that differs from the test's result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Snapshots {
    /// Grading: a difference fails the test; nothing is written.
    Verify,
    /// Blessing from the reference solution: insta writes every snapshot.
    Bless,
}

/// Where and how the tests of one lab run.
pub struct TestBench<'a> {
    /// The lab's folder in the scratch workspace: tests run there, like under `cargo test`.
    pub lab_dir: PathBuf,
    /// The scratch workspace root (insta's workspace).
    pub workspace_root: PathBuf,
    /// A folder for the run's output and completion logs.
    pub records_dir: PathBuf,
    pub timeout: Duration,
    pub snapshots: Snapshots,
    /// The lab's programs: a test finds each in `CARGO_BIN_EXE_<name>`, as under `cargo test`.
    pub programs: Vec<Executable>,
    /// The limits and namespaces each test process gets.
    pub isolation: &'a Isolation,
}

/// Cuts `text` to at most `cap` bytes (on a character boundary) and says so.
pub fn cap_text(text: &str, cap: usize) -> String {
    if text.len() <= cap {
        return text.to_string();
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n… output truncated", &text[..end])
}

impl TestBench<'_> {
    /// The names of the tests in one executable, as libtest lists them.
    pub fn list_tests(&self, executable: &Executable) -> Result<Vec<String>> {
        let (end, _, listing) = self.observe(executable, &["--list", "--format", "terse"], None)?;
        if end != ProcessEnd::Exited(0) {
            anyhow::bail!(
                "the test executable `{}` could not list its tests ({}):\n{}",
                executable.name,
                describe_end(end),
                cap_text(listing.trim(), 2048)
            );
        }
        Ok(listing
            .lines()
            .filter_map(|line| line.strip_suffix(": test"))
            .map(str::to_string)
            .collect())
    }

    /// Runs one test and records what happened.
    pub fn run_test(
        &self,
        executable: &Executable,
        test: &str,
        serial: usize,
    ) -> Result<Observation> {
        let completion_log = self.records_dir.join(format!("{serial}.log"));
        // --show-output: what a passing test printed is kept too (it may report a
        // leaderboard figure, see `score`).
        let args = ["--exact", test, "--test-threads", "1", "--show-output"];
        let (end, duration, output) = self.observe(executable, &args, Some(&completion_log))?;
        Ok(Observation {
            end,
            completion: read_completion(&completion_log, test),
            output: clean_output(&output, test),
            duration,
        })
    }

    /// Runs the executable with `args` inside the sandbox; with `completion_log`, libtest
    /// records there each test that finished. Returns how the process ended, how long it ran
    /// and what it printed (capped).
    fn observe(
        &self,
        executable: &Executable,
        args: &[&str],
        completion_log: Option<&Path>,
    ) -> Result<(ProcessEnd, Duration, String)> {
        let mut command = process_group_command(&executable.path);
        command.args(args);
        if let Some(log) = completion_log {
            command.arg("--logfile").arg(log);
        }
        let (output_reader, output_writer) = std::io::pipe().context("cannot make a pipe")?;
        command
            .current_dir(&self.lab_dir)
            .stdin(Stdio::null())
            .stdout(output_writer.try_clone()?)
            .stderr(output_writer);
        self.set_environment(&mut command);
        let budget = self
            .isolation
            .prepare(&mut command, Limits::for_test(self.timeout));
        let capture = OutputCapture::start(output_reader);

        let started = Instant::now();
        let mut test_process = Supervised::spawn(&mut command).with_context(|| {
            format!(
                "cannot start the test executable {}",
                executable.path.display()
            )
        })?;
        // The command holds our copy of the pipe's writing end: without dropping it, the
        // capture would never see the end of the output.
        drop(command);
        let end = test_process.wait_with_timeout(self.timeout)?;
        let duration = started.elapsed();
        // Whatever the test left running (a server, a child process, a fork bomb) goes with it.
        drop(test_process);
        drop(budget);
        Ok((end, duration, capture.finish()))
    }

    fn insta_update(&self) -> &'static str {
        match self.snapshots {
            Snapshots::Verify => "no",
            Snapshots::Bless => "always",
        }
    }

    /// A clean environment: nothing from the grader's shell can change how snapshots are
    /// judged (INSTA_FORCE_PASS, INSTA_UPDATE, …) and output is plain text.
    fn set_environment(&self, command: &mut Command) {
        command.env_clear();
        for kept in ["PATH", "HOME", "USER", "LANG", "LC_ALL"] {
            if let Some(value) = std::env::var_os(kept) {
                command.env(kept, value);
            }
        }
        command
            .env("CI", "true")
            .env("INSTA_UPDATE", self.insta_update())
            .env("INSTA_WORKSPACE_ROOT", &self.workspace_root)
            .env("RUST_BACKTRACE", "0")
            .env("NO_COLOR", "1")
            .env("TMPDIR", &self.records_dir);
        for program in &self.programs {
            command.env(format!("CARGO_BIN_EXE_{}", program.name), &program.path);
        }
    }
}

/// libtest's log has one line per finished test: "ok NAME", "failed NAME" or "ignored NAME".
fn read_completion(log: &Path, test: &str) -> Option<Completion> {
    let text = fs::read_to_string(log).ok()?;
    text.lines().find_map(|line| match line.split_once(' ') {
        Some(("ok", name)) if name == test => Some(Completion::Passed),
        Some(("failed", name)) if name == test => Some(Completion::Failed),
        Some(("ignored", name)) if name == test => Some(Completion::Ignored),
        _ => None,
    })
}

/// Reads a test's output as it comes, so that a test printing 100 MB never blocks on a full
/// pipe. Keeps the beginning and the end (where libtest puts the panic message), at most
/// [`OUTPUT_CAP`] bytes in all.
struct OutputCapture {
    kept: Arc<Mutex<CapturedOutput>>,
    finished: mpsc::Receiver<()>,
}

/// How much of the kept output is the end of it.
const TAIL_CAP: usize = OUTPUT_CAP / 4;

#[derive(Default)]
struct CapturedOutput {
    head: Vec<u8>,
    tail: VecDeque<u8>,
    total: u64,
}

impl CapturedOutput {
    fn keep(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len() as u64;
        let room = (OUTPUT_CAP - TAIL_CAP).saturating_sub(self.head.len());
        let to_head = bytes.len().min(room);
        self.head.extend_from_slice(&bytes[..to_head]);
        bytes = &bytes[to_head..];
        self.tail.extend(bytes);
        let excess = self.tail.len().saturating_sub(TAIL_CAP);
        self.tail.drain(..excess);
    }

    fn text(&self) -> String {
        let kept = self.head.len() + self.tail.len();
        let mut text = String::from_utf8_lossy(&self.head).into_owned();
        if self.total > kept as u64 {
            text.push_str(&format!(
                "\n… output truncated: the test printed {} bytes; {} bytes from the middle are left out …\n",
                self.total,
                self.total - kept as u64
            ));
        }
        let tail: Vec<u8> = self.tail.iter().copied().collect();
        text.push_str(&String::from_utf8_lossy(&tail));
        text
    }
}

impl OutputCapture {
    fn start(mut reader: PipeReader) -> OutputCapture {
        let kept = Arc::new(Mutex::new(CapturedOutput::default()));
        let (done, finished) = mpsc::channel();
        let sink = Arc::clone(&kept);
        thread::spawn(move || {
            let mut chunk = [0u8; 16 * 1024];
            while let Ok(read) = reader.read(&mut chunk) {
                if read == 0 {
                    break;
                }
                let mut output = sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                output.keep(&chunk[..read]);
            }
            let _ = done.send(());
        });
        OutputCapture { kept, finished }
    }

    /// The output, once the test's processes are gone. A process that escaped the grader's
    /// kill and still holds the pipe is not waited for beyond a moment.
    fn finish(self) -> String {
        let complete = self.finished.recv_timeout(Duration::from_secs(2)).is_ok();
        let output = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut text = output.text();
        if !complete {
            text.push_str("\n… a process started by the test kept its output open");
        }
        text
    }
}

/// libtest warns about `--logfile` on standard error, without a line break.
const LOGFILE_WARNING: &str = "warning: `--logfile` is deprecated";

/// Keeps what the test itself printed: the `---- NAME stdout ----` section libtest shows for
/// a failure, or else everything but libtest's own framing lines.
fn clean_output(raw: &str, test: &str) -> String {
    let raw = raw.replacen(LOGFILE_WARNING, "", 1);
    let header = format!("---- {test} stdout ----\n");
    let body = match raw.find(&header) {
        Some(start) => {
            let section = &raw[start + header.len()..];
            let end = section.rfind("\nfailures:\n").unwrap_or(section.len());
            section[..end].to_string()
        }
        None => raw.to_string(),
    };
    // libtest writes "test NAME ... " and the verdict after the test: whatever a crashing test
    // printed in between lands on the same line.
    let progress_line = format!("test {test} ... ");
    let kept: Vec<&str> = body
        .lines()
        .map(|line| line.strip_prefix(progress_line.as_str()).unwrap_or(line))
        .filter(|line| !matches!(*line, "ok" | "FAILED" | "ignored"))
        .filter(|line| !is_noise(line))
        .collect();
    strip_thread_ids(kept.join("\n").trim())
}

/// Lines that do not help a student: libtest's framing, a pointer to backtraces the grader
/// turned off, insta's advice to run `cargo insta`, and the location of a panic inside a
/// dependency (insta's own assertion) rather than in the lab.
fn is_noise(line: &str) -> bool {
    line == "running 1 test"
        || line.starts_with("test result: ")
        || line.starts_with("note: run with `RUST_BACKTRACE=1`")
        || line.starts_with("Stopped on the first failure.")
        || (line.starts_with("thread '")
            && line.contains(" panicked at ")
            && line.contains("/.cargo/registry/"))
}

/// `thread 'name' (12345) panicked` → `thread 'name' panicked`: the thread id changes from
/// run to run and means nothing to a student.
fn strip_thread_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("' (") {
        let after = &rest[start + 3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(") panicked") {
            out.push_str(&rest[..start + 1]);
            rest = &after[digits + 1..];
        } else {
            out.push_str(&rest[..start + 3]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_keeps_the_panic_and_drops_libtest_framing() {
        let raw = "warning: `--logfile` is deprecated\nrunning 1 test\ntest a::b ... FAILED\n\nfailures:\n\n\
                   ---- a::b stdout ----\n\nthread 'a::b' (4242) panicked at tests/a.rs:3:5:\nnot yet implemented\n\
                   note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\nfailures:\n    a::b\n\n\
                   test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 2 filtered out; finished in 0.00s\n";
        assert_eq!(
            clean_output(raw, "a::b"),
            "thread 'a::b' panicked at tests/a.rs:3:5:\nnot yet implemented"
        );
    }

    #[test]
    fn what_a_crashing_test_printed_after_libtests_progress_line_is_kept() {
        let raw = "running 1 test\ntest a::b ... memory allocation of 1048576 bytes failed\n";
        assert_eq!(
            clean_output(raw, "a::b"),
            "memory allocation of 1048576 bytes failed"
        );
    }

    #[test]
    fn caps_on_a_character_boundary_and_says_so() {
        assert_eq!(cap_text("héllo", 2), "h\n… output truncated");
        assert_eq!(cap_text("short", 64), "short");
    }
}
