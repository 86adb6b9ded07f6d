//! Stage 4 — run: each test alone in its own process, watched from the outside.
//!
//! A test runs as `<test-executable> --exact NAME` in a fresh process group, with standard
//! input closed, a clean environment (insta may not update or force-pass snapshots) and a
//! time limit; on timeout the whole group is killed. What this stage records is only what the
//! grader itself observed: how the process ended, and the completion record that the test
//! harness (libtest) writes to a log file once the test function has returned or panicked.
//! A process that exits before that record is written did not finish its test, whatever it
//! printed. Judging the observation is the `score` stage's job.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::build::Executable;
use crate::process::{ProcessEnd, Supervised, describe_end, process_group_command};

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
pub struct TestBench {
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

impl TestBench {
    /// The names of the tests in one executable, as libtest lists them.
    pub fn list_tests(&self, executable: &Executable) -> Result<Vec<String>> {
        let listing = self.records_dir.join(format!("{}.list", executable.name));
        let (end, _) =
            self.observe(executable, &["--list", "--format", "terse"], &listing, None)?;
        let text = read_capped(&listing);
        if end != ProcessEnd::Exited(0) {
            anyhow::bail!(
                "the test executable `{}` could not list its tests ({}):\n{}",
                executable.name,
                describe_end(end),
                cap_text(text.trim(), 2048)
            );
        }
        Ok(text
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
        let output_file = self.records_dir.join(format!("{serial}.out"));
        let completion_log = self.records_dir.join(format!("{serial}.log"));
        let args = ["--exact", test, "--test-threads", "1"];
        let (end, duration) =
            self.observe(executable, &args, &output_file, Some(&completion_log))?;
        Ok(Observation {
            end,
            completion: read_completion(&completion_log, test),
            output: clean_output(&read_capped(&output_file), test),
            duration,
        })
    }

    /// Runs the executable with `args`, its output going to `output_file`; with
    /// `completion_log`, libtest records there each test that finished. Returns how the
    /// process ended and how long it ran.
    fn observe(
        &self,
        executable: &Executable,
        args: &[&str],
        output_file: &Path,
        completion_log: Option<&Path>,
    ) -> Result<(ProcessEnd, Duration)> {
        let output =
            File::create(output_file).context("cannot create a file for the test's output")?;
        let mut command = process_group_command(&executable.path);
        command.args(args);
        if let Some(log) = completion_log {
            command.arg("--logfile").arg(log);
        }
        command
            .current_dir(&self.lab_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::from(output.try_clone()?))
            .stderr(Stdio::from(output));
        self.set_environment(&mut command);

        let started = Instant::now();
        let mut test_process = Supervised::spawn(&mut command).with_context(|| {
            format!(
                "cannot start the test executable {}",
                executable.path.display()
            )
        })?;
        let end = test_process.wait_with_timeout(self.timeout)?;
        let duration = started.elapsed();
        // Whatever the test left running (a server, a child process) goes with it.
        drop(test_process);
        Ok((end, duration))
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

fn read_capped(path: &Path) -> String {
    let mut bytes = Vec::new();
    if let Ok(file) = File::open(path) {
        let _ = file.take(OUTPUT_CAP as u64 + 1).read_to_end(&mut bytes);
    }
    let text = String::from_utf8_lossy(&bytes);
    cap_text(&text, OUTPUT_CAP)
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
    let kept: Vec<&str> = body.lines().filter(|line| !is_noise(line, test)).collect();
    strip_thread_ids(kept.join("\n").trim())
}

/// Lines that do not help a student: libtest's framing, a pointer to backtraces the grader
/// turned off, insta's advice to run `cargo insta`, and the location of a panic inside a
/// dependency (insta's own assertion) rather than in the lab.
fn is_noise(line: &str, test: &str) -> bool {
    line == "running 1 test"
        || line.starts_with(&format!("test {test} ... "))
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
    fn caps_on_a_character_boundary_and_says_so() {
        assert_eq!(cap_text("héllo", 2), "h\n… output truncated");
        assert_eq!(cap_text("short", 64), "short");
    }
}
