//! Stage 3 — build: compile a lab's graded tests against the submission's code.
//!
//! One `cargo build --tests` per lab, so a lab that does not compile scores zero on its own
//! while the others are still graded. Every run builds in one folder (`target/grade/build`,
//! see `folder`) into one target folder (`target/grade/target`): dependencies such as tokio
//! compile once, the first time, and a lab is recompiled only when its files changed since
//! its last build.
//!
//! Only the instructor's integration tests (`tests/*.rs`) are built and run — never unit tests
//! inside `src/`, which the student wrote.
//!
//! A build runs inside the sandbox's build wall where there is one (see `sandbox`), in two
//! steps: first the submission's own code (the library and the programs) with the lab's
//! `tests/` hidden, so that no `include_str!` in it can read a test, hidden or not; then the
//! tests, which compile the instructor's code only and link what the first step built. An
//! empty test stands in for the tests in the first step, so that cargo resolves the
//! dependencies' features as it will for the tests (a dev-dependency may add features) and
//! the second step finds the submission's code already built; if it ever had to compile it
//! again, with the tests in sight, the build is stopped. Test executables and the lab's programs are copied
//! out of the shared target folder while a lock is held, so a concurrent grading run that
//! rebuilds the same lab cannot swap an executable under our feet. A test finds its copy of a
//! program in `CARGO_BIN_EXE_<name>` at run time (see `run`). The tests are compiled as one
//! crate, with one executable to link (see `test_crate`).

mod cache;
mod folder;
mod target_view;
pub mod test_crate;

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::course::{Course, Lab};
use crate::layout::{self, BuildSlot, GradeFolders};
use crate::pipeline::Resources;
use crate::pipeline::assemble::Workspace;
use crate::pipeline::progress::Progress;
use crate::sandbox::process::{Supervised, find_on_path, process_group_command};
use crate::sandbox::{BuildMounts, Isolation, stand_in_target};

/// How many compiler errors a build-error report shows.
const ERRORS_SHOWN: usize = 3;
/// The most text a build-error message holds.
const MESSAGE_CAP: usize = 8 * 1024;

pub enum BuildOutcome {
    Built(BuiltLab),
    Failed(String),
}

/// How long a lab's build took: the submission's own code (step 1), then the instructor's
/// tests, compiled and linked against it (step 2). Both zero when the build was remembered.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildTimings {
    pub compile: Duration,
    pub tests: Duration,
    /// The build was found in the cache (see `cache`): nothing was compiled.
    pub cached: bool,
}

/// A lab's executables, copied out of the shared target folder.
pub struct BuiltLab {
    /// One per integration test target, e.g. `tests/ranges.rs` → `ranges`.
    pub tests: Vec<Executable>,
    /// The lab's own programs (`src/main.rs`, `src/bin/*`), which tests may run.
    pub programs: Vec<Executable>,
}

/// An executable and the name of its Cargo target.
#[derive(Clone)]
pub struct Executable {
    pub name: String,
    pub path: PathBuf,
}

/// The lines of `cargo --message-format json` that the build stage reads.
#[derive(Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
enum CargoMessage {
    CompilerArtifact {
        package_id: String,
        target: CargoTarget,
        profile: CargoProfile,
        executable: Option<PathBuf>,
        fresh: bool,
    },
    CompilerMessage {
        message: CompilerDiagnostic,
    },
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct CargoTarget {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct CargoProfile {
    test: bool,
}

#[derive(Deserialize)]
struct CompilerDiagnostic {
    level: String,
    rendered: Option<String>,
}

/// What the build saw, gathered line by line.
#[derive(Default)]
struct BuildLog {
    tests: Vec<Executable>,
    programs: Vec<Executable>,
    errors: Vec<String>,
    crates_ready: usize,
    /// Targets of the lab's own code that were compiled (not found up to date).
    compiled_own_code: Vec<String>,
}

impl BuildLog {
    fn record(&mut self, message: CargoMessage, progress: &Progress, lab: &Lab) {
        match message {
            CargoMessage::CompilerArtifact {
                package_id,
                target,
                profile,
                executable,
                fresh,
            } => {
                self.crates_ready += 1;
                progress.building(&lab.id, self.crates_ready, &target.name);
                let is = |kind: &str| target.kind.iter().any(|k| k == kind);
                let (is_test, is_program) =
                    (profile.test && is("test"), !profile.test && is("bin"));
                let own_code = !profile.test && (is("lib") || is("bin"));
                if own_code && !fresh && package_id.contains(&format!("#{}@", lab.package)) {
                    self.compiled_own_code.push(target.name.clone());
                }
                if target.name == stand_in_target(&lab.package) {
                    return;
                }
                if let Some(path) = executable {
                    let found = Executable {
                        name: target.name,
                        path,
                    };
                    if is_test {
                        self.tests.push(found);
                    } else if is_program {
                        self.programs.push(found);
                    }
                }
            }
            CargoMessage::CompilerMessage { message } if message.level == "error" => {
                if let Some(rendered) = message.rendered {
                    self.errors.push(rendered);
                }
            }
            _ => {}
        }
    }
}

/// Builds one lab of the scratch workspace and returns its test executables: from the cache
/// when the same sources were built before, else with cargo in the run's build slot.
pub fn build_lab(
    course: &Course,
    workspace: &Workspace,
    lab: &Lab,
    progress: &Progress,
    resources: &Resources,
) -> Result<(BuildOutcome, BuildTimings)> {
    let walled = resources.isolation.builds_are_walled();
    let entry = cache::Entry::of(course, workspace, lab, walled)?;
    if let Some(outcome) = entry.load() {
        let timings = BuildTimings {
            cached: true,
            ..BuildTimings::default()
        };
        return Ok((outcome, timings));
    }
    let (outcome, timings, timed_out) = build_in_slot(course, workspace, lab, progress, resources)?;
    if !timed_out {
        entry.store(&outcome);
    }
    Ok((outcome, timings))
}

/// Builds one lab with cargo, in the build slot's folder, holding the slot's lock.
fn build_in_slot(
    course: &Course,
    workspace: &Workspace,
    lab: &Lab,
    progress: &Progress,
    resources: &Resources,
) -> Result<(BuildOutcome, BuildTimings, bool)> {
    let isolation = resources.isolation;
    let slot = &resources.slot;
    let lock_path = slot.build_lock();
    if let Some(parent) = lock_path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let lock = File::create(&lock_path)
        .with_context(|| format!("cannot create {}", lock_path.display()))?;
    if lock.try_lock().is_err() {
        progress.waiting_for_build_lock(&lab.id);
        lock.lock()
            .context("cannot lock the grader's build folder")?;
    }
    seed_target(course, slot);
    let prepared = folder::prepare(
        course,
        workspace,
        lab,
        slot,
        (&stand_in_target(&lab.package), STAND_IN_SOURCE),
    )?;
    let build_root = prepared.root;
    let combined = prepared.combined;
    let target_dir = slot.target();
    // The build wall mounts it: it must exist before the first build.
    fs::create_dir_all(&target_dir)
        .with_context(|| format!("cannot create {}", target_dir.display()))?;
    if prepared.src_changed {
        target_view::forget_own_build(&target_dir, lab);
    }
    let stand_in_dir = slot.stand_in();
    let empty_file = stand_in_dir.join("empty");
    let build = |step: BuildStep| {
        let covered = match step {
            BuildStep::SubmissionCode(_) => {
                let all_labs = course.labs().unwrap_or_else(|_| vec![lab.clone()]);
                target_view::covered_files(&target_dir, lab, &all_labs)
            }
            BuildStep::Tests => Vec::new(),
        };
        let walls = Walls {
            covered: &covered,
            empty_file: &empty_file,
            combined,
        };
        let mut command =
            cargo_build_command(isolation, &target_dir, &build_root, lab, step, &walls);
        let _permit = resources.budget.build(&mut command)?;
        let started = Instant::now();
        let (log, stderr, end) = run_cargo(&mut command, lab, progress)?;
        anyhow::Ok((log, stderr, end, started.elapsed()))
    };

    let mut timings = BuildTimings::default();
    let (log, cargo_stderr, outcome) = if isolation.builds_are_walled() {
        let stand_in = stand_in_dir.join("stand_in.rs");
        write_stand_in(&stand_in, &empty_file)?;
        let (own_code, own_stderr, own_end, took) = build(BuildStep::SubmissionCode(&stand_in))?;
        timings.compile = took;
        match own_end {
            CargoEnd::Finished(true) => {
                let (mut log, stderr, end, took) = build(BuildStep::Tests)?;
                timings.tests = took;
                if !log.compiled_own_code.is_empty() {
                    anyhow::bail!(
                        "the grader had to compile {}'s own code ({}) a second time, with its tests in sight: \
                         the lab's dependencies resolve differently for its tests; report this to the course's authors",
                        lab.id,
                        log.compiled_own_code.join(", ")
                    );
                }
                log.programs.extend(own_code.programs);
                (log, stderr, end)
            }
            _ => (own_code, own_stderr, own_end),
        }
    } else {
        let (log, stderr, end, took) = build(BuildStep::Tests)?;
        timings.tests = took;
        (log, stderr, end)
    };

    let timed_out = matches!(outcome, CargoEnd::TimedOut);
    let result = match outcome {
        CargoEnd::Finished(true) if !log.tests.is_empty() => {
            let bin_dir = layout::lab_bin_dir(workspace.root(), &lab.id);
            let mut programs = log.programs.clone();
            programs.sort_by(|a, b| a.name.cmp(&b.name));
            programs.dedup_by(|a, b| a.name == b.name);
            BuildOutcome::Built(BuiltLab {
                tests: copy_out(&log.tests, &bin_dir.join(layout::TEST_EXECUTABLES))?,
                programs: copy_out(&programs, &bin_dir.join(layout::PROGRAMS))?,
            })
        }
        CargoEnd::Finished(true) => BuildOutcome::Failed(format!(
            "the lab built, but it has no tests in {}/tests/ — tell your instructor",
            lab.relative_dir().display()
        )),
        CargoEnd::Finished(false) => {
            BuildOutcome::Failed(failure_message(lab, &log, &cargo_stderr))
        }
        CargoEnd::TimedOut => BuildOutcome::Failed(format!(
            "the build did not finish within {} s and was stopped",
            lab.manifest.build_timeout_secs
        )),
    };
    drop(lock);
    Ok((result, timings, timed_out))
}

/// A build slot other than the first starts from a copy of the first slot's target folder,
/// so that the dependencies (compiled there once) are not compiled again for it. The copy is
/// taken with the first slot's lock held, so no build is writing to it meanwhile; cargo finds
/// the dependencies up to date in the copy (their fingerprints do not name the folder).
fn seed_target(course: &Course, slot: &BuildSlot) {
    if slot.number == 0 || slot.target().exists() {
        return;
    }
    let first = GradeFolders::of(course).slot(0);
    if !first.target().join("debug").join("deps").is_dir() {
        return;
    }
    let Ok(lock) = File::create(first.build_lock()) else {
        return;
    };
    if lock.lock().is_err() {
        return;
    }
    let partial = slot.target().with_extension("seeding");
    let _ = fs::remove_dir_all(&partial);
    let copied = Command::new("cp")
        .args(["-a", "--reflink=auto"])
        .arg(first.target())
        .arg(&partial)
        .status()
        .is_ok_and(|status| status.success());
    if copied {
        let _ = fs::rename(&partial, slot.target());
    } else {
        let _ = fs::remove_dir_all(&partial);
    }
}

/// The two steps of a lab's build.
#[derive(Clone, Copy, PartialEq)]
enum BuildStep<'a> {
    /// The submission's library and programs, with the lab's tests out of sight and this
    /// empty test in their place.
    SubmissionCode(&'a Path),
    /// The instructor's integration tests, against what the first step built.
    Tests,
}

/// What the first build step covers in the target folder, and the empty file it covers it with;
/// whether the tests are one crate (whose root that step must find, empty).
struct Walls<'a> {
    covered: &'a [PathBuf],
    empty_file: &'a Path,
    combined: bool,
}

fn cargo_build_command(
    isolation: &Isolation,
    target_dir: &Path,
    build_root: &Path,
    lab: &Lab,
    step: BuildStep,
    walls: &Walls,
) -> Command {
    let stand_in = match step {
        BuildStep::SubmissionCode(file) => Some(file),
        BuildStep::Tests => None,
    };
    let manifest = build_root.join("Cargo.toml");
    let mut args: Vec<std::ffi::OsString> = ["build", "--message-format", "json", "--package"]
        .map(Into::into)
        .to_vec();
    args.push(lab.package.clone().into());
    match step {
        BuildStep::SubmissionCode(_) => {
            if build_root
                .join(lab.relative_dir())
                .join("src/lib.rs")
                .is_file()
            {
                args.push("--lib".into());
            }
            args.extend([
                "--bins".into(),
                "--test".into(),
                stand_in_target(&lab.package).into(),
            ]);
        }
        BuildStep::Tests if walls.combined => {
            args.extend(["--test".into(), test_crate::TARGET.into()]);
        }
        BuildStep::Tests => args.extend(["--test".into(), "*".into()]),
    }
    args.extend(["--manifest-path".into(), manifest.into_os_string()]);
    let relative = lab.relative_dir();
    let mounts = BuildMounts {
        build_root,
        lab_relative_dir: &relative,
        harness_dir: &layout::harness_dir(build_root),
        target_dir,
        tests_stand_in: stand_in,
        stand_in_target: &stand_in_target(&lab.package),
        declared_tests: if walls.combined {
            &[test_crate::ROOT_FILE]
        } else {
            &[]
        },
        covered: walls.covered,
        empty_file: walls.empty_file,
    };
    let mut command = isolation.build_command(&mounts, &cargo_program(), &args);
    set_cargo_environment(&mut command, target_dir);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// The source of the empty test that stands in for a lab's tests in the first build step.
const STAND_IN_SOURCE: &str =
    "//! Stands in for the lab's tests while the submission's own code is built.\n";

/// The empty test that stands in for a lab's tests in the first build step, and the empty
/// file that covers what that step must not read. Written only when missing, so their times
/// never change and cargo never rebuilds the stand-in for nothing.
fn write_stand_in(path: &Path, empty_file: &Path) -> Result<()> {
    if !empty_file.is_file() {
        fs::create_dir_all(empty_file.parent().expect("a file is in a folder"))?;
        fs::write(empty_file, "")?;
    }
    if path.is_file() {
        return Ok(());
    }
    fs::create_dir_all(path.parent().expect("a file is in a folder"))?;
    fs::write(path, STAND_IN_SOURCE).with_context(|| format!("cannot write {}", path.display()))
}

/// cargo: the one running us, or the one on PATH (as a path: a sandbox has no shell to
/// look it up).
fn cargo_program() -> PathBuf {
    if let Some(cargo) = std::env::var_os("CARGO") {
        return PathBuf::from(cargo);
    }
    find_on_path("cargo").unwrap_or_else(|| PathBuf::from("cargo"))
}

/// cargo (the one running us, or the one on PATH) as the leader of a new process group,
/// building into `target_dir`, uncoloured.
pub fn cargo_command(target_dir: &Path) -> Command {
    let mut command = process_group_command(cargo_program());
    set_cargo_environment(&mut command, target_dir);
    command
}

fn set_cargo_environment(command: &mut Command, target_dir: &Path) {
    command
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_TERM_COLOR", "never")
        // A jobserver inherited from an outer cargo (e.g. `cargo test`) would starve this build.
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .env_remove("CARGO_MAKEFLAGS")
        .env_remove("CARGO_BUILD_TARGET_DIR");
}

enum CargoEnd {
    Finished(bool),
    TimedOut,
}

/// Runs cargo, reading its JSON messages as they come so progress can show them.
fn run_cargo(
    command: &mut Command,
    lab: &Lab,
    progress: &Progress,
) -> Result<(BuildLog, String, CargoEnd)> {
    let mut cargo = Supervised::spawn(command).context("cannot start cargo to build the lab")?;
    let stdout = cargo.child.stdout.take().expect("stdout is piped");
    let stderr = cargo.child.stderr.take().expect("stderr is piped");

    let (lines_tx, lines_rx) = mpsc::channel();
    let stdout_reader = thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let stderr_reader = thread::spawn(move || keep_the_start(stderr, MESSAGE_CAP * 8));

    let deadline = Instant::now() + lab.manifest.build_timeout();
    let mut log = BuildLog::default();
    let mut timed_out = false;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines_rx.recv_timeout(left.min(Duration::from_millis(200))) {
            Ok(line) => {
                if let Ok(message) = serde_json::from_str::<CargoMessage>(&line) {
                    log.record(message, progress, lab);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) if left.is_zero() => {
                timed_out = true;
                cargo.kill();
                break;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => progress.tick(),
        }
    }
    let status = cargo.child.wait().context("cannot wait for cargo")?;
    let _ = stdout_reader.join();
    let cargo_stderr = stderr_reader.join().unwrap_or_default();
    let end = if timed_out {
        CargoEnd::TimedOut
    } else {
        CargoEnd::Finished(status.success())
    };
    Ok((log, cargo_stderr, end))
}

/// Reads a stream to its end (so its writer never blocks on a full pipe), keeping the first
/// `cap` bytes.
fn keep_the_start(mut stream: impl Read, cap: usize) -> String {
    let mut kept = Vec::new();
    let mut chunk = [0u8; 8192];
    while let Ok(read) = stream.read(&mut chunk) {
        if read == 0 {
            break;
        }
        let room = cap.saturating_sub(kept.len());
        kept.extend_from_slice(&chunk[..read.min(room)]);
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// The compiler's first errors (or cargo's own complaint when there are none), and what to do.
fn failure_message(lab: &Lab, log: &BuildLog, cargo_stderr: &str) -> String {
    let mut errors = if log.errors.is_empty() {
        let cargo_errors: Vec<&str> = cargo_stderr
            .lines()
            .skip_while(|line| !line.trim_start().starts_with("error"))
            .collect();
        if cargo_errors.is_empty() {
            // Not cargo's own complaint (the sandbox could not start it, say): all of it.
            cargo_stderr.trim().to_string()
        } else {
            cargo_errors.join("\n")
        }
    } else {
        let shown: Vec<&str> = log
            .errors
            .iter()
            .take(ERRORS_SHOWN)
            .map(|error| error.trim_end())
            .collect();
        let mut text = shown.join("\n\n");
        let more = log.errors.len().saturating_sub(ERRORS_SHOWN);
        if more > 0 {
            text.push_str(&format!("\n\n… and {more} more error(s)"));
        }
        text
    };
    if errors.trim().is_empty() {
        errors = "cargo failed without saying why".to_string();
    }
    let advice = format!(
        "Fix the first error, then grade again; `cargo build -p {} --tests` shows every error.",
        lab.package
    );
    let room = MESSAGE_CAP.saturating_sub(advice.len() + 2);
    format!("{}\n\n{advice}", crate::truncate::cap_text(&errors, room))
}

/// Copies executables into the scratch workspace, out of the shared target folder.
fn copy_out(executables: &[Executable], bin_dir: &Path) -> Result<Vec<Executable>> {
    fs::create_dir_all(bin_dir)?;
    let mut copies = Vec::new();
    for executable in executables {
        let copy = bin_dir.join(&executable.name);
        fs::copy(&executable.path, &copy)
            .with_context(|| format!("cannot copy the executable {}", executable.path.display()))?;
        copies.push(Executable {
            name: executable.name.clone(),
            path: copy,
        });
    }
    copies.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(copies)
}
