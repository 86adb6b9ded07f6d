//! A class graded several students at a time, in shards, and again and again: the gradebook
//! must not depend on how the work was spread.
//!
//! - the same class graded five times with the default `--jobs` and five times with
//!   `--jobs 1` gives one gradebook, and the same reports (but for the time each test took);
//! - three shards graded by three processes at once, then merged, give what one run gives,
//!   also when one shard is killed with `kill -9` and run again;
//! - a test that fails once and passes when run again counts, and is reported flaky.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::StudentCopy;

/// The labs the class is graded on: one without a network, one with.
const LABS: [&str; 2] = ["01-ports", "02-binding"];

/// Every kind of submission a class holds: solved, partly solved, untouched, not compiling,
/// looping, wrong, and archives of them.
fn class_folder() -> tempfile::TempDir {
    let class = tempfile::tempdir().unwrap();
    let put = |name: &str, copy: StudentCopy| copy.hand_in(class.path(), name);
    put(
        "ada",
        StudentCopy::new()
            .with_solution("01-ports")
            .with_solution("02-binding"),
    );
    put("ben", StudentCopy::new().with_solution("01-ports"));
    put("cy", StudentCopy::new());
    put(
        "dot",
        StudentCopy::new().with_solution("01-ports").edit(
            "labs/01-ports/src/endpoint.rs",
            "pub fn parse_port(text: &str) -> Result<u16, EndpointError> {",
            "pub fn parse_port(text: &str) -> Result<u16, EndpointError> {\n    let _unfinished: u32 = \"not yet\";",
        ),
    );
    put(
        "eli",
        StudentCopy::new().with_solution("01-ports").edit(
            "labs/01-ports/src/endpoint.rs",
            "pub fn parse_port(text: &str) -> Result<u16, EndpointError> {",
            "pub fn parse_port(text: &str) -> Result<u16, EndpointError> {\n    loop {\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n    #[allow(unreachable_code)]",
        ),
    );
    put(
        "fay",
        StudentCopy::new().with_solution("02-binding").edit(
            "labs/01-ports/src/ranges.rs",
            "todo!",
            "unimplemented!",
        ),
    );
    let gus = StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/ranges.rs",
        "0..=1023 => PortRange::System,",
        "0..=1024 => PortRange::System,",
    );
    gus.zip_labs(&class.path().join("gus.zip"));
    let hal = StudentCopy::new().with_solution("02-binding");
    hal.tar_repository(&class.path().join("hal.tar.gz"));
    class
}

fn grade_command(class: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .arg("grade")
        .args(LABS)
        // The looping student's tests stop after 3 s each instead of lab 01's 10.
        .args(["--test-timeout", "3", "--submissions"])
        .arg(class)
        .arg("--out-dir")
        .arg(out)
        .args(extra);
    command
}

fn run(mut command: Command) -> String {
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn grade(class: &Path, out: &Path, extra: &[&str]) -> String {
    run(grade_command(class, out, extra))
}

/// The port numbers in `text` that follow a loopback address, as `PORT`: a failing test may
/// name the port its server was given (port 0 makes it a new one every run).
fn without_ports(text: &str) -> String {
    let mut result = String::new();
    let mut rest = text;
    while let Some(at) = ["127.0.0.1:", "[::1]:", "localhost:"]
        .iter()
        .filter_map(|address| rest.find(address).map(|at| (at, address.len())))
        .min()
    {
        let (start, length) = at;
        result.push_str(&rest[..start + length]);
        rest = &rest[start + length..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            result.push_str("PORT");
            rest = &rest[digits..];
        }
    }
    result.push_str(rest);
    result
}

/// What an out-dir says about the class: the gradebook, the flaky tests, and every student's
/// report, without what differs from run to run by nature: how long each test took, and
/// the ports the system gave the tests' servers.
fn results(out: &Path) -> String {
    without_ports(&results_as_written(out))
}

fn results_as_written(out: &Path) -> String {
    let mut text = String::new();
    for summary in ["gradebook.csv", "flaky.csv"] {
        text.push_str(&format!(
            "== {summary}\n{}",
            fs::read_to_string(out.join(summary)).unwrap()
        ));
    }
    let mut students: Vec<PathBuf> = fs::read_dir(out)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.is_dir() && !path.file_name().unwrap().to_string_lossy().starts_with('.')
        })
        .collect();
    students.sort();
    for dir in students {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        match fs::read_to_string(dir.join("report.json")) {
            Ok(report) => {
                let mut report: Value = serde_json::from_str(&report).unwrap();
                for lab in report["labs"].as_array_mut().unwrap() {
                    for test in lab["tests"].as_array_mut().unwrap() {
                        test.as_object_mut().unwrap().remove("duration_ms");
                    }
                }
                text.push_str(&format!("== {name}/report.json\n{report:#}\n"));
                text.push_str(&format!(
                    "== {name}/report.md\n{}",
                    fs::read_to_string(dir.join("report.md")).unwrap()
                ));
            }
            Err(_) => text.push_str(&format!(
                "== {name}/invalid.txt\n{}\n",
                fs::read_to_string(dir.join("invalid.txt")).unwrap_or_default()
            )),
        }
    }
    text
}

#[test]
fn the_same_class_graded_again_and_again_gives_the_same_gradebook() {
    let class = class_folder();
    let first = tempfile::tempdir().unwrap();
    let summary = grade(class.path(), first.path(), &[]);
    assert!(summary.starts_with("8 students: 8 graded"), "{summary}");
    let expected = results(first.path());
    insta::assert_snapshot!(
        "class_gradebook",
        fs::read_to_string(first.path().join("gradebook.csv")).unwrap()
    );
    assert_eq!(
        fs::read_to_string(first.path().join("flaky.csv")).unwrap(),
        "student,lab,test\n",
        "no test of this class is flaky"
    );
    for jobs in [None, Some("1")] {
        for round in 1..=5 {
            // Every other round regrades in the same out-dir, the others in a fresh one.
            let fresh = tempfile::tempdir().unwrap();
            let out = if round % 2 == 0 {
                first.path()
            } else {
                fresh.path()
            };
            let mut extra = vec!["--force"];
            if let Some(jobs) = jobs {
                extra.extend(["--jobs", jobs]);
            }
            grade(class.path(), out, &extra);
            let got = results(out);
            assert!(
                got == expected,
                "round {round} with --jobs {}: the results differ from the first run's:\n{}",
                jobs.unwrap_or("(default)"),
                similar::TextDiff::from_lines(&expected, &got).unified_diff()
            );
        }
    }
    let timings = fs::read_to_string(first.path().join("timings.csv")).unwrap();
    assert!(
        timings.starts_with("student,lab,cached,compile_secs,tests_secs,run_secs\n"),
        "{timings}"
    );
    assert_eq!(
        timings.lines().count(),
        1 + 8 * LABS.len(),
        "a row per student and lab: {timings}"
    );
}

fn spawn_shard(class: &Path, out: &Path, shard: &str) -> Child {
    let mut command = grade_command(class, out, &["--shard", shard]);
    command.stdout(Stdio::null()).stderr(Stdio::null());
    command.spawn().unwrap()
}

fn merge(out: &Path, shards: &[&Path]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .args(["gradebook", "merge", "--out-dir"])
        .arg(out)
        .args(shards);
    run(command)
}

#[test]
fn three_shards_merged_give_what_one_run_gives_even_after_a_kill() {
    let class = class_folder();
    let whole = tempfile::tempdir().unwrap();
    grade(class.path(), whole.path(), &[]);

    let shards: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    // Shards 1 and 2 run to the end while shard 3 is killed with its first student done.
    let mut running: Vec<Child> = (0..3)
        .map(|index| {
            spawn_shard(
                class.path(),
                shards[index].path(),
                &format!("{}/3", index + 1),
            )
        })
        .collect();
    let third = running.pop().unwrap();
    let mut third = third;
    let first_done = shards[2].path().join("cy").join("key");
    let deadline = Instant::now() + Duration::from_secs(300);
    while !first_done.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    third.kill().unwrap();
    third.wait().unwrap();
    assert!(
        first_done.exists(),
        "shard 3's first student was never finished"
    );
    for mut shard in running {
        assert!(shard.wait().unwrap().success());
    }
    let output = grade_command(class.path(), shards[2].path(), &["--shard", "3/3"])
        .output()
        .unwrap();
    let resumed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success()
            && resumed.contains("unchanged since the last run")
            && !resumed.contains(" 0 unchanged"),
        "the killed shard's finished student is kept: {resumed}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let merged = tempfile::tempdir().unwrap();
    let paths: Vec<&Path> = shards.iter().map(|shard| shard.path()).collect();
    let said = merge(merged.path(), &paths);
    assert!(said.starts_with("merged 3 shards: 8 students"), "{said}");
    let one_run = results(whole.path());
    let got = results(merged.path());
    assert!(
        got == one_run,
        "merged shards differ from one run:\n{}",
        similar::TextDiff::from_lines(&one_run, &got).unified_diff()
    );

    // A missing shard is refused, with what to do.
    let partial = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["gradebook", "merge", "--out-dir"])
        .arg(partial.path())
        .args(&paths[..2])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("shard 3/3 is missing: grade it (`--shard 3/3`)"),
        "{stderr}"
    );
}

#[test]
fn a_shard_index_comes_from_a_kubernetes_or_slurm_job() {
    let class = class_folder();
    for (variable, value, extra, expected) in [
        ("JOB_COMPLETION_INDEX", "1", None, "shard 2/3"),
        (
            "SLURM_ARRAY_TASK_ID",
            "3",
            Some(("SLURM_ARRAY_TASK_MIN", "1")),
            "shard 3/3",
        ),
    ] {
        let out = tempfile::tempdir().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .args(["grade", "01", "--shard", "3", "--submissions"])
            .arg(class.path())
            .arg("--out-dir")
            .arg(out.path())
            .env(variable, value);
        if let Some((name, value)) = extra {
            command.env(name, value);
        }
        let said = run(command);
        assert!(
            said.contains(&format!("({expected} of a class of 8)")),
            "{said}"
        );
    }
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "grade",
            "--shard",
            "3",
            "--submissions",
            "x",
            "--out-dir",
            "y",
        ])
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--shard N needs the shard's index I"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_test_that_fails_once_then_passes_counts_and_is_reported_flaky() {
    // The first call of `parse_port` in the whole grading run fails; every later one works.
    // Only possible without the sandbox, where every test sees the same /tmp.
    let marker = tempfile::tempdir().unwrap();
    let first_call = marker.path().join("first-call");
    let class = tempfile::tempdir().unwrap();
    let flaky = StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/endpoint.rs",
        "pub fn parse_port(text: &str) -> Result<u16, EndpointError> {",
        &format!(
            "pub fn parse_port(text: &str) -> Result<u16, EndpointError> {{\n    \
             if std::fs::create_dir({first_call:?}).is_ok() {{\n        \
             panic!(\"the machine was busy\");\n    }}"
        ),
    );
    flaky.hand_in(class.path(), "ivy");
    let out = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .args(["grade", "01", "--unsandboxed", "--submissions"])
        .arg(class.path())
        .arg("--out-dir")
        .arg(out.path());
    let said = run(command);
    assert!(
        said.contains("ivy: 28 / 28 (graded)"),
        "the pass on the rerun counts: {said}"
    );
    assert!(
        said.contains("flaky tests"),
        "the summary lists flaky tests: {said}"
    );
    let flaky_csv = fs::read_to_string(out.path().join("flaky.csv")).unwrap();
    assert_eq!(
        flaky_csv.lines().count(),
        2,
        "exactly one flaky test: {flaky_csv}"
    );
    assert!(
        flaky_csv
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("ivy,01-ports,")
    );
    let report: Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("ivy/report.json")).unwrap())
            .unwrap();
    let marked: Vec<&Value> = report["labs"][0]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|test| test["flaky"] == Value::Bool(true))
        .collect();
    assert_eq!(marked.len(), 1, "{report:#}");
    assert_eq!(marked[0]["status"], "passed");

    // With --retries 0 the same failure costs the test's points.
    fs::remove_dir(&first_call).unwrap();
    let strict = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .args([
            "grade",
            "01",
            "--unsandboxed",
            "--retries",
            "0",
            "--submissions",
        ])
        .arg(class.path())
        .arg("--out-dir")
        .arg(strict.path());
    let said = run(command);
    assert!(!said.contains("ivy: 28 / 28"), "{said}");
    assert!(!said.contains("flaky tests"), "{said}");
}
