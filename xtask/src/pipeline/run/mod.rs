//! Stage 4 — run: each test alone in its own process, behind the sandbox's walls, watched
//! from the outside.
//!
//! A test runs as `<test-executable> --exact NAME` in a fresh process group, with standard
//! input closed, a clean environment and a time limit; on timeout the whole group is killed.
//! It runs in a *view* of its lab (see [`LabView`]): a copy without the blessed snapshots or
//! the hidden tests' sources, with its executables, and a private writable `TMPDIR`, `HOME`
//! and output folder that are thrown away afterwards.
//!
//! insta is told to *write* every snapshot the test takes into that output folder instead of
//! comparing it: the comparison with the blessed snapshots happens in the `score` stage, out
//! of the test's reach. What this stage records is only what the grader observed: how the
//! process ended, the completion record libtest wrote to its log once the test function had
//! returned or panicked, what it printed, and the snapshots it wrote.

mod lab;
pub mod tamper;

pub use lab::{LabRun, TestOutcome, TestRun, run_lab};

use std::collections::{BTreeMap, VecDeque};
use std::ffi::OsString;
use std::fs;
use std::io::{PipeReader, Read};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tempfile::TempDir;
use walkdir::WalkDir;

use crate::course::Lab;
use crate::layout;
use crate::pipeline::build::{BuiltLab, Executable, test_crate};
use crate::sandbox::process::{ProcessEnd, Supervised, describe_end};
use crate::sandbox::{Isolation, Limits, TestMounts, inside};
use crate::truncate::cap_text;

/// The most output kept from one test.
pub const OUTPUT_CAP: usize = 64 * 1024;
/// The largest snapshot a test may produce, and how many it may produce.
const SNAPSHOT_CAP: u64 = 1 << 20;
const SNAPSHOTS_PER_TEST: usize = 200;

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
    /// What the test printed (its panic message), cleaned of libtest's framing.
    pub output: String,
    pub duration: Duration,
    /// The snapshots the test wrote, by file name (`ranges__classifies_the_boundaries.snap`),
    /// with their contents as insta compares them; or why they could not be read.
    pub snapshots: std::result::Result<BTreeMap<String, String>, String>,
}

/// What happens to the snapshots a test produced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Snapshots {
    /// Grading: the `score` stage compares them with the blessed ones.
    Verify,
    /// Blessing from the reference solution: they are also copied into the scratch lab's
    /// `tests/snapshots/`, where `bless` takes them from.
    Bless,
}

/// Where and how the tests of one lab run.
pub struct TestBench<'a> {
    pub lab_id: String,
    /// The lab's folder in the scratch workspace (the blessed snapshots are there).
    pub lab_dir: PathBuf,
    /// What the tests see of the lab.
    pub view: LabView,
    pub timeout: Duration,
    pub snapshots: Snapshots,
    /// The limits and namespaces each test process gets.
    pub isolation: &'a Isolation,
}

/// What a lab's tests can see of it, staged in a folder of its own: a copy of the lab without
/// its snapshots and without the hidden tests' sources, the test executables and the lab's
/// programs, and one private folder per test run. The folder is made where the unprivileged
/// test user can reach it (every folder above it can be crossed), but not list it.
pub struct LabView {
    dir: TempDir,
    /// The lab's programs: a test finds each in `CARGO_BIN_EXE_<name>`, as under `cargo test`.
    programs: Vec<Executable>,
    /// The test executables, as copied into the view.
    pub tests: Vec<Executable>,
}

impl LabView {
    pub fn stage(lab: &Lab, assembled_lab_dir: &Path, built: BuiltLab) -> Result<LabView> {
        let dir = tempfile::Builder::new()
            .prefix("loopback-labs-view-")
            .tempdir()
            .context("cannot make a folder for the tests' sandbox")?;
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o711))?;
        let hidden: Vec<PathBuf> = lab
            .hidden
            .iter()
            .flat_map(|hidden| &hidden.files)
            .map(|stem| Path::new("tests").join(format!("{stem}.rs")))
            .collect();
        copy_readable(assembled_lab_dir, &dir.path().join("lab"), |relative| {
            relative.starts_with("tests/snapshots") || hidden.iter().any(|file| file == relative)
        })?;
        let stage = |executables: &[Executable], kind: &str| -> Result<Vec<Executable>> {
            let folder = dir.path().join("bin").join(kind);
            fs::create_dir_all(&folder)?;
            executables
                .iter()
                .map(|executable| {
                    let copy = folder.join(&executable.name);
                    fs::copy(&executable.path, &copy)?;
                    fs::set_permissions(&copy, fs::Permissions::from_mode(0o755))?;
                    Ok(Executable {
                        name: executable.name.clone(),
                        path: copy,
                    })
                })
                .collect()
        };
        let tests = stage(&built.tests, layout::TEST_EXECUTABLES)?;
        let programs = stage(&built.programs, layout::PROGRAMS)?;
        Ok(LabView {
            dir,
            programs,
            tests,
        })
    }

    fn lab_dir(&self) -> PathBuf {
        self.dir.path().join("lab")
    }

    fn bin_dir(&self) -> PathBuf {
        self.dir.path().join("bin")
    }
}

/// Copies a folder's regular files, readable by everyone, leaving out what `skip` names
/// (paths relative to `from`) and every symbolic link.
fn copy_readable(from: &Path, to: &Path, skip: impl Fn(&Path) -> bool) -> Result<()> {
    let walk = WalkDir::new(from).follow_links(false).into_iter();
    for entry in
        walk.filter_entry(|entry| !skip(entry.path().strip_prefix(from).expect("below its root")))
    {
        let entry = entry?;
        let destination = to.join(entry.path().strip_prefix(from).expect("below its root"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&destination)?;
            fs::set_permissions(&destination, fs::Permissions::from_mode(0o755))?;
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &destination)?;
            fs::set_permissions(&destination, fs::Permissions::from_mode(0o644))?;
        }
    }
    Ok(())
}

/// The private folders of one test run: its `TMPDIR`, its `HOME`, and where it writes what
/// it produced. They belong to the uid the test runs as; they are removed with the run.
struct RunFolders {
    root: PathBuf,
}

impl RunFolders {
    fn create(view: &LabView, serial: usize, owner: Option<u32>) -> Result<RunFolders> {
        let root = view.dir.path().join("runs").join(serial.to_string());
        for folder in ["tmp", "home", "out"] {
            let path = root.join(folder);
            fs::create_dir_all(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o700))?;
            if let Some(uid) = owner {
                std::os::unix::fs::chown(&path, Some(uid), Some(uid))
                    .with_context(|| format!("cannot give {} to the test user", path.display()))?;
            }
        }
        Ok(RunFolders { root })
    }

    fn host(&self, folder: &str) -> PathBuf {
        self.root.join(folder)
    }
}

impl Drop for RunFolders {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

impl TestBench<'_> {
    /// The names of the tests in one executable, as libtest lists them.
    pub fn list_tests(&self, executable: &Executable, serial: usize) -> Result<Vec<String>> {
        let run = RunFolders::create(&self.view, serial, self.isolation.test_owner())?;
        let args = ["--list", "--format", "terse"].map(OsString::from);
        let (end, _, listing) = self.observe(executable, &args, &run)?;
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
        let run = RunFolders::create(&self.view, serial, self.isolation.test_owner())?;
        let log = self.as_seen(&run, "out").join("completion.log");
        // --show-output: what a passing test printed is kept too (it may report a
        // leaderboard figure, see `score`).
        let mut args: Vec<OsString> = ["--exact", test, "--test-threads", "1", "--show-output"]
            .map(OsString::from)
            .to_vec();
        args.extend(["--logfile".into(), log.into_os_string()]);
        let (end, duration, output) = self.observe(executable, &args, &run)?;
        let out = run.host("out");
        let snapshots = read_produced_snapshots(&out.join(self.view_relative_lab()));
        if self.snapshots == Snapshots::Bless
            && let Ok(produced) = &snapshots
        {
            copy_produced_snapshots(&out.join(self.view_relative_lab()), produced, &self.lab_dir)?;
        }
        Ok(Observation {
            end,
            completion: read_completion(&out.join("completion.log"), test),
            output: clean_output(&output, test),
            duration,
            snapshots,
        })
    }

    /// `labs/NN-name`: where insta puts a test's snapshots below its workspace root.
    fn view_relative_lab(&self) -> PathBuf {
        Path::new("labs").join(&self.lab_id)
    }

    /// A folder of the run as the test sees it: its path inside the sandbox, or on the
    /// machine when there is no mount namespace.
    fn as_seen(&self, run: &RunFolders, folder: &str) -> PathBuf {
        if self.isolation.test_sees_host_paths() {
            return run.host(folder);
        }
        PathBuf::from(match folder {
            "tmp" => inside::TMP_DIR,
            "home" => inside::HOME_DIR,
            _ => inside::OUT_DIR,
        })
    }

    /// A test executable or program as the test sees it.
    fn executable_as_seen(&self, executable: &Executable, kind: &str) -> PathBuf {
        if self.isolation.test_sees_host_paths() {
            executable.path.clone()
        } else {
            Path::new(inside::BIN_DIR).join(kind).join(&executable.name)
        }
    }

    /// Runs the executable with `args` inside the sandbox. Returns how the process ended,
    /// how long it ran and what it printed (capped).
    fn observe(
        &self,
        executable: &Executable,
        args: &[OsString],
        run: &RunFolders,
    ) -> Result<(ProcessEnd, Duration, String)> {
        let lab_dir = self.view.lab_dir();
        let bin_dir = self.view.bin_dir();
        let (tmp_dir, home_dir, out_dir) = (run.host("tmp"), run.host("home"), run.host("out"));
        let mounts = TestMounts {
            lab_id: &self.lab_id,
            lab_dir: &lab_dir,
            bin_dir: &bin_dir,
            tmp_dir: &tmp_dir,
            home_dir: &home_dir,
            out_dir: &out_dir,
        };
        let inside_path = self.executable_as_seen(executable, "tests");
        let mut command = self.isolation.test_command(
            &mounts,
            &executable.path,
            &inside_path.to_string_lossy(),
            args,
        );
        let (output_reader, output_writer) = std::io::pipe().context("cannot make a pipe")?;
        command
            .stdin(Stdio::null())
            .stdout(output_writer.try_clone()?)
            .stderr(output_writer);
        self.set_environment(&mut command, run);
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
        let end = self
            .isolation
            .test_end(test_process.wait_with_timeout(self.timeout)?);
        let duration = started.elapsed();
        // Whatever the test left running (a server, a child process, a fork bomb) goes with it.
        drop(test_process);
        drop(budget);
        Ok((end, duration, capture.finish()))
    }

    /// A clean environment: nothing from the grader's shell can change how snapshots are
    /// taken (INSTA_FORCE_PASS, INSTA_UPDATE, …), output is plain text, and every folder the
    /// test is told about is its own.
    fn set_environment(&self, command: &mut Command, run: &RunFolders) {
        command.env_clear();
        for kept in ["USER", "LANG", "LC_ALL"] {
            if let Some(value) = std::env::var_os(kept) {
                command.env(kept, value);
            }
        }
        if self.isolation.test_sees_host_paths() {
            if let Some(path) = std::env::var_os("PATH") {
                command.env("PATH", path);
            }
        } else {
            command.env(
                "PATH",
                "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin",
            );
        }
        command
            .env("CI", "true")
            // Write every snapshot, compare none: the grader compares them (see `score`).
            .env("INSTA_UPDATE", "always")
            .env("INSTA_OUTPUT", "none")
            .env("INSTA_WORKSPACE_ROOT", self.as_seen(run, "out"))
            .env("RUST_BACKTRACE", "0")
            .env("NO_COLOR", "1")
            .env("HOME", self.as_seen(run, "home"))
            .env("TMPDIR", self.as_seen(run, "tmp"));
        for program in &self.view.programs {
            command.env(
                format!("CARGO_BIN_EXE_{}", program.name),
                self.executable_as_seen(program, "programs"),
            );
        }
    }
}

/// Reads a file the test could have written, without following a symbolic link it may have
/// put there, and at most `cap` bytes of it.
fn read_untrusted(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(cap).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The snapshots a test wrote below its output folder's `labs/NN-name/`, by the file name of
/// the blessed snapshot each stands for (see `build::test_crate`), as insta compares them.
/// Symbolic links and anything but `.snap` files are ignored.
fn read_produced_snapshots(
    produced_lab_dir: &Path,
) -> std::result::Result<BTreeMap<String, String>, String> {
    let mut snapshots = BTreeMap::new();
    let dir = produced_lab_dir.join("tests").join("snapshots");
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(snapshots);
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".snap") || !entry.file_type().is_ok_and(|kind| kind.is_file()) {
            continue;
        }
        if snapshots.len() >= SNAPSHOTS_PER_TEST {
            return Err(format!(
                "the test wrote more than {SNAPSHOTS_PER_TEST} snapshots"
            ));
        }
        let bytes = read_untrusted(&entry.path(), SNAPSHOT_CAP + 1)
            .map_err(|error| format!("the snapshot {name} could not be read ({error})"))?;
        if bytes.len() as u64 > SNAPSHOT_CAP {
            return Err(format!("the snapshot {name} is larger than 1 MiB"));
        }
        snapshots.insert(
            test_crate::blessed_snapshot_name(&name).to_string(),
            snapshot_contents(&String::from_utf8_lossy(&bytes)),
        );
    }
    Ok(snapshots)
}

/// Copies what a reference solution's test produced into the scratch lab's snapshots, for
/// `bless`: the files as insta wrote them, by their blessed names.
fn copy_produced_snapshots(
    produced_lab_dir: &Path,
    produced: &BTreeMap<String, String>,
    lab_dir: &Path,
) -> Result<()> {
    let destination = lab_dir.join("tests").join("snapshots");
    fs::create_dir_all(&destination)?;
    let produced_dir = produced_lab_dir.join("tests").join("snapshots");
    for name in produced.keys() {
        let combined = produced_dir.join(test_crate::produced_snapshot_name(name));
        let source = if combined.is_file() {
            combined
        } else {
            produced_dir.join(name)
        };
        fs::write(
            destination.join(name),
            read_untrusted(&source, SNAPSHOT_CAP)?,
        )?;
    }
    Ok(())
}

/// The contents of an insta snapshot file as insta compares them: what follows the
/// `---`-delimited header, with trailing whitespace trimmed and CRLF read as LF.
pub fn snapshot_contents(file: &str) -> String {
    let mut lines = file.lines();
    let body: Vec<&str> = if lines.next().map(str::trim_end) == Some("---") {
        lines.by_ref().find(|line| line.trim_end() == "---");
        lines.collect()
    } else {
        // The legacy format: a header of `key: value` lines ended by an empty line.
        lines
            .skip_while(|line| !line.trim_end().is_empty())
            .skip(1)
            .collect()
    };
    body.join("\n").trim_end().replace("\r\n", "\n")
}

/// The blessed snapshots of a lab (its own and its hidden tests'), by file name.
pub fn blessed_snapshots(lab_dir: &Path) -> BTreeMap<String, String> {
    let dir = lab_dir.join("tests").join("snapshots");
    let mut snapshots = BTreeMap::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".snap")
            && let Ok(text) = fs::read_to_string(entry.path())
        {
            snapshots.insert(name, snapshot_contents(&text));
        }
    }
    snapshots
}

/// libtest's log has one line per finished test: "ok NAME", "failed NAME" or "ignored NAME".
fn read_completion(log: &Path, test: &str) -> Option<Completion> {
    let bytes = read_untrusted(log, 1 << 20).ok()?;
    let text = String::from_utf8_lossy(&bytes);
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
            let end = ["\nfailures:\n", "\nsuccesses:\n"]
                .iter()
                .filter_map(|closing| section.rfind(closing))
                .min()
                .unwrap_or(section.len());
            section[..end].to_string()
        }
        None => raw.to_string(),
    };
    // A passing test's `--show-output` framing: "successes:" and the list of their names.
    let listed_name = format!("    {test}");
    // libtest writes "test NAME ... " and the verdict after the test: whatever a crashing test
    // printed in between lands on the same line.
    let progress_line = format!("test {test} ... ");
    let kept: Vec<&str> = body
        .lines()
        .map(|line| line.strip_prefix(progress_line.as_str()).unwrap_or(line))
        .filter(|line| !matches!(*line, "ok" | "FAILED" | "ignored" | "successes:"))
        .filter(|line| *line != listed_name)
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
    fn a_pass_keeps_what_it_printed_and_drops_the_successes_framing() {
        let raw = "running 1 test\ntest a::b ... ok\n\nsuccesses:\n\n---- a::b stdout ----\nleaderboard: x = 1\n\n\nsuccesses:\n    a::b\n\ntest result: ok. 1 passed\n";
        assert_eq!(clean_output(raw, "a::b"), "leaderboard: x = 1");
        let quiet = "running 1 test\ntest a::b ... ok\n\nsuccesses:\n\nsuccesses:\n    a::b\n\ntest result: ok. 1 passed\n";
        assert_eq!(clean_output(quiet, "a::b"), "");
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
    fn a_snapshot_is_compared_by_its_contents_without_its_header() {
        let file = "---\nsource: labs/01-ports/tests/ranges.rs\nexpression: report\n---\nport 80: well-known\r\n\n\n";
        assert_eq!(snapshot_contents(file), "port 80: well-known");
        assert_eq!(snapshot_contents("---\n---\n"), "");
    }

    #[test]
    fn caps_on_a_character_boundary_and_says_so() {}
}
