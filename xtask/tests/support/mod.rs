//! Running the grader the way a user does, and building student submissions to feed it.

#![allow(dead_code)] // each test file uses its own share of these helpers

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;
use walkdir::WalkDir;

/// The repository the grader grades.
pub fn repo() -> PathBuf {
    require_tools();
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The rows `text` takes in a terminal `columns` wide (a longer line wraps onto more).
pub fn rows_on_screen(text: &str, columns: usize) -> usize {
    text.lines()
        .map(|line| line.chars().count().div_ceil(columns).max(1))
        .sum()
}

/// Stops the whole test run, with one line, when a tool the tests start is not installed:
/// without it, hundreds of tests would fail far from the cause.
fn require_tools() {
    static CHECKED: std::sync::Once = std::sync::Once::new();
    CHECKED.call_once(|| {
        let doctor = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["doctor", "--quiet"])
            .output()
            .expect("the grader binary runs");
        if !doctor.status.success() {
            // Straight to the process's stderr: the test harness captures `eprintln!`, and
            // its capture is lost when the process exits.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "cargo test cannot run here: {}",
                String::from_utf8_lossy(&doctor.stdout).trim()
            );
            std::process::exit(1);
        }
    });
}

/// What one `cargo xtask …` run did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The JSON report on stdout, with what changes from run to run redacted.
    pub fn report(&self) -> Value {
        let mut report: Value = serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not a JSON report ({error}):\n{}\n{}",
                self.stdout, self.stderr
            )
        });
        redact(&mut report);
        report
    }

    /// The report as pretty JSON, ready to snapshot.
    pub fn report_text(&self) -> String {
        serde_json::to_string_pretty(&self.report()).unwrap()
    }
}

impl From<std::process::Output> for Run {
    fn from(output: std::process::Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs the grader binary (the same one `cargo xtask` runs) with `args`.
pub fn xtask(args: &[&str]) -> Run {
    xtask_with_env(args, &[])
}

/// Runs the grader with extra environment variables, as if set in the grader's shell.
pub fn xtask_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    require_tools();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .output()
        .expect("the grader binary runs");
    Run::from(output)
}

/// Grades a submission folder and returns the run.
pub fn grade_submission(dir: &Path, labs: &[&str]) -> Run {
    grade_submission_with(dir, labs, &[])
}

/// Grades a submission folder with extra options (e.g. `--test-timeout 3`).
pub fn grade_submission_with(dir: &Path, labs: &[&str], options: &[&str]) -> Run {
    let mut args = vec![
        "grade",
        "--format",
        "json",
        "--submission",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(options);
    args.extend_from_slice(labs);
    xtask(&args)
}

/// Durations vary from run to run.
fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if key == "duration_ms" {
                    *field = Value::from("[duration]");
                } else {
                    redact(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// A student's copy of the repository in a temporary folder: the course's `labs/` as shipped
/// (stubs in `src/`), to be changed the way a student (or a cheater) would.
pub struct StudentCopy {
    dir: TempDir,
}

impl StudentCopy {
    pub fn new() -> StudentCopy {
        let dir = tempfile::Builder::new()
            .prefix("student-")
            .tempdir()
            .unwrap();
        copy_tree(&repo().join("labs"), &dir.path().join("labs"));
        StudentCopy { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Puts the reference solution's `src/` into the student's lab.
    pub fn with_solution(self, lab: &str) -> StudentCopy {
        let src = self.path().join("labs").join(lab).join("src");
        fs::remove_dir_all(&src).unwrap();
        copy_tree(&repo().join("solutions").join(lab).join("src"), &src);
        self
    }

    /// Puts every lab's reference solution into the student's copy.
    pub fn with_all_solutions(self) -> StudentCopy {
        let labs: Vec<String> = fs::read_dir(self.path().join("labs"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|lab| lab.join("lab.toml").is_file())
            .map(|lab| lab.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        labs.iter().fold(self, |copy, lab| copy.with_solution(lab))
    }

    /// Replaces `from` by `to` in a file of the copy; the text must be there.
    pub fn edit(self, file: &str, from: &str, to: &str) -> StudentCopy {
        let path = self.path().join(file);
        let text =
            fs::read_to_string(&path).unwrap_or_else(|_| panic!("{file} exists in the copy"));
        assert!(
            text.contains(from),
            "{file} no longer contains {from:?}: update this fixture"
        );
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self
    }

    /// Writes a file of the copy, creating folders as needed.
    pub fn write(self, file: &str, contents: &str) -> StudentCopy {
        let path = self.path().join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    /// Replaces a file or folder of the copy by a symbolic link to `target`.
    pub fn symlink(self, file: &str, target: &Path) -> StudentCopy {
        let path = self.path().join(file);
        if path.is_dir() {
            fs::remove_dir_all(&path).unwrap();
        } else {
            fs::remove_file(&path).unwrap();
        }
        std::os::unix::fs::symlink(target, &path).unwrap();
        self
    }

    /// Runs `change` on every file below `folder` of the copy.
    pub fn rewrite_all(
        self,
        folder: &str,
        change: impl Fn(&Path, String) -> String,
    ) -> StudentCopy {
        for entry in WalkDir::new(self.path().join(folder)) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let text = fs::read_to_string(entry.path()).unwrap();
                fs::write(entry.path(), change(entry.path(), text)).unwrap();
            }
        }
        self
    }
}

impl StudentCopy {
    /// Hands this copy's `labs/` in to a class folder, as the folder `name/labs`.
    pub fn hand_in(&self, class: &Path, name: &str) {
        copy_tree(&self.path().join("labs"), &class.join(name).join("labs"));
    }

    /// Writes this copy's `labs/` into a zip, as `labs/...`.
    pub fn zip_labs(&self, archive: &Path) {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(fs::File::create(archive).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        for entry in WalkDir::new(self.path().join("labs")) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let name = entry.path().strip_prefix(self.path()).unwrap();
                zip.start_file(name.to_string_lossy(), options).unwrap();
                zip.write_all(&fs::read(entry.path()).unwrap()).unwrap();
            }
        }
        zip.finish().unwrap();
    }

    /// Writes this copy into a .tar.gz under one top folder, as `git archive` would.
    pub fn tar_repository(&self, archive: &Path) {
        let gz = flate2::write::GzEncoder::new(
            fs::File::create(archive).unwrap(),
            flate2::Compression::fast(),
        );
        let mut tar = tar::Builder::new(gz);
        tar.append_dir_all("loopback-labs-main/labs", self.path().join("labs"))
            .unwrap();
        tar.into_inner().unwrap().finish().unwrap();
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in WalkDir::new(from) {
        let entry = entry.unwrap();
        let destination = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&destination).unwrap();
        } else {
            fs::copy(entry.path(), &destination).unwrap();
        }
    }
}

/// The status of every test of a report, as `name: status` lines.
pub fn statuses(report: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    for lab in report["labs"].as_array().unwrap() {
        for test in lab["tests"].as_array().unwrap() {
            lines.push(format!(
                "{}/{}: {}",
                lab["id"].as_str().unwrap(),
                test["name"].as_str().unwrap(),
                test["status"].as_str().unwrap()
            ));
        }
    }
    lines
}

/// Pretty JSON of one part of a report, for a snapshot.
pub fn to_pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

/// How many processes run with exactly this command line (Linux: read from /proc).
pub fn processes_running(command_line: &[&str]) -> usize {
    let wanted: Vec<u8> = command_line
        .iter()
        .flat_map(|arg| arg.bytes().chain([0]))
        .collect();
    fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| fs::read(entry.ok()?.path().join("cmdline")).ok())
        .filter(|cmdline| *cmdline == wanted)
        .count()
}

/// How many processes have `marker` among their arguments (Linux: read from /proc).
pub fn processes_with_argument(marker: &str) -> usize {
    fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| fs::read(entry.ok()?.path().join("cmdline")).ok())
        .filter(|cmdline| {
            cmdline
                .split(|byte| *byte == 0)
                .any(|arg| arg == marker.as_bytes())
        })
        .count()
}

/// Grades the reference solution of one lab with a single plausible mistake in it, and checks
/// that the tests catch it without sinking the whole lab: 0 < score < max. Returns what failed.
pub fn grade_wrong_solution(lab: &str, file: &str, find: &str, replace: &str) -> String {
    let copy = StudentCopy::new().with_solution(lab).edit(
        &format!("labs/{lab}/src/{file}"),
        find,
        replace,
    );
    let number = &lab[..2];
    let report = grade_submission(copy.path(), &[number]).report();
    let score = report["score"].as_f64().unwrap();
    let max = report["max_score"].as_f64().unwrap();
    assert!(
        0.0 < score && score < max,
        "{lab}: the mistake in {file} should cost some points but not all, got {score} / {max}:\n{:#?}",
        not_passed(&report)
    );
    format!("{score} / {max}\n{}", not_passed(&report).join("\n"))
}

/// The `name: status` lines of the tests that did not pass.
pub fn not_passed(report: &Value) -> Vec<String> {
    statuses(report)
        .into_iter()
        .filter(|line| !line.ends_with(": passed"))
        .collect()
}

/// The files below `dir`, relative to it, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// A scratch copy of the course (the workspace manifest, some labs with their solutions, the
/// book and the README) that the tools work on through `LOOPBACK_LABS_COURSE`, so a test can
/// change labs, chapters and stubs without touching the repository. Builds share the
/// repository's target folder, so dependencies are not compiled again.
pub struct CourseCopy {
    dir: TempDir,
}

impl CourseCopy {
    pub fn with_labs(labs: &[&str]) -> CourseCopy {
        let dir = tempfile::Builder::new()
            .prefix("course-copy-")
            .tempdir()
            .unwrap();
        for file in ["Cargo.toml", "Cargo.lock", "README.md"] {
            fs::copy(repo().join(file), dir.path().join(file)).unwrap();
        }
        copy_tree(&repo().join("book"), &dir.path().join("book"));
        // The labs' tests depend on the shared test harness.
        copy_tree(
            &repo().join("labs/harness"),
            &dir.path().join("labs/harness"),
        );
        for lab in labs {
            copy_tree(
                &repo().join("labs").join(lab),
                &dir.path().join("labs").join(lab),
            );
            copy_tree(
                &repo().join("solutions").join(lab),
                &dir.path().join("solutions").join(lab),
            );
        }
        CourseCopy { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `cargo xtask ARGS` run on this copy, as a command to adjust before running.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .args(args)
            .env("LOOPBACK_LABS_COURSE", self.path())
            .env("CARGO_TARGET_DIR", repo().join("target"))
            .env_remove("NO_COLOR");
        command
    }

    /// Runs `cargo xtask ARGS` on this copy to the end, with no terminal and no input.
    pub fn xtask(&self, args: &[&str]) -> Run {
        let output = self
            .command(args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("the grader binary runs");
        Run::from(output)
    }
}

/// The page as Chromium shows it once its scripts have run (`--dump-dom`).
pub fn rendered_in_chromium(page: &Path) -> String {
    rendered_in(page, None)
}

/// The page as Chromium shows it in a window `width` pixels wide.
pub fn rendered_in_chromium_at(page: &Path, width: u32) -> String {
    rendered_in(page, Some(width))
}

fn rendered_in(page: &Path, width: Option<u32>) -> String {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| Command::new(name).arg("--version").output().is_ok())
        .expect("Chromium is needed to read pages as a person does: apt-get install chromium");
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(width.map(|width| format!("--window-size={width},900")))
        .env("HOME", profile.path())
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success() && !dom.is_empty(),
        "Chromium could not show {}: {}",
        page.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    dom
}
