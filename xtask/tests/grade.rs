//! `cargo xtask grade` tested through the real pipeline: the reference solutions, the shipped
//! stubs and fixture submissions — each a student's copy of the repository, changed the way
//! a student (or a cheater) would — graded exactly as a user grades them. Each expected
//! report is an insta snapshot.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;
use support::{
    StudentCopy, grade_submission, not_passed, processes_running, repo, rows_on_screen, statuses,
    xtask, xtask_with_env,
};

const SOLUTION_RANGES: &str = "labs/01-ports/src/ranges.rs";
const SOLUTION_SERVICES: &str = "labs/01-ports/src/services.rs";
const SOLUTION_EPHEMERAL: &str = "labs/01-ports/src/ephemeral.rs";

fn assert_full_marks(report: &Value) {
    let score = report["score"].as_f64().unwrap();
    let max = report["max_score"].as_f64().unwrap();
    assert!(max > 0.0, "the course has no points to earn");
    assert_eq!(
        score,
        max,
        "expected full marks; not passed:\n{:#?}",
        not_passed(report)
    );
}

/// Every test of the report, with the given status.
fn assert_all(report: &Value, status: &str) {
    let lines = statuses(report);
    assert!(!lines.is_empty(), "the report has no tests");
    let others: Vec<&String> = lines
        .iter()
        .filter(|line| !line.ends_with(&format!(": {status}")))
        .collect();
    assert!(
        others.is_empty(),
        "expected every test to be {status}, but: {others:#?}"
    );
}

fn test_named<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["labs"][0]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|test| test["name"] == name)
        .unwrap_or_else(|| panic!("the report has no test {name}"))
}

#[test]
fn the_reference_solutions_earn_full_marks() {
    let run = xtask(&["grade", "--solutions", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.report();
    assert_full_marks(&report);
    insta::assert_snapshot!(statuses(&report).join("\n"));
}

#[test]
fn every_graded_test_is_declared_in_lab_toml_and_every_declared_test_exists() {
    let report = xtask(&["grade", "--solutions", "--format", "json"]).report();
    for lab in report["labs"].as_array().unwrap() {
        let id = lab["id"].as_str().unwrap();
        let manifest: toml::Table = toml::from_str(
            &fs::read_to_string(repo().join("labs").join(id).join("lab.toml")).unwrap(),
        )
        .unwrap();
        let declared: Vec<&String> = manifest["tests"].as_table().unwrap().keys().collect();
        let graded: Vec<&str> = lab["tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        for name in &graded {
            assert!(
                declared.iter().any(|d| d == name),
                "labs/{id}/tests has a test `{name}` that labs/{id}/lab.toml does not list: add a [tests.\"{name}\"] entry with points and a hint"
            );
        }
        for name in &declared {
            assert!(
                graded.contains(&name.as_str()),
                "labs/{id}/lab.toml lists `{name}`, but no such test exists in labs/{id}/tests: fix the name or remove the entry"
            );
        }
    }
}

#[test]
fn a_fresh_clone_scores_zero_with_every_test_not_yet_implemented() {
    let run = xtask(&["grade", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.report();
    assert_eq!(
        report["version"], 1,
        "the JSON report names its schema's version"
    );
    assert_eq!(
        report["score"], 0.0,
        "the shipped stubs must not earn points"
    );
    assert_all(&report, "failed");
    for lab in report["labs"].as_array().unwrap() {
        for test in lab["tests"].as_array().unwrap() {
            let output = test["output"].as_str().unwrap();
            assert!(
                output.contains("not yet implemented"),
                "{}: a shipped stub should fail with `not yet implemented`, got:\n{output}",
                test["name"]
            );
        }
    }
    // The whole report of lab 01 as an example; the other labs by status.
    insta::assert_snapshot!(support::to_pretty(&report["labs"][0]));
    insta::assert_snapshot!("fresh_clone_statuses", statuses(&report).join("\n"));
}

#[test]
fn the_human_report_of_a_fresh_clone() {
    let run = xtask(&["grade", "01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.is_empty(),
        "no progress is drawn when stdout is not a terminal:\n{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn a_fresh_clone_s_report_fits_two_screens_with_the_lab_to_start_with_on_the_first() {
    let run = xtask_with_env(&["grade"], &[("COLUMNS", "80")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = rows_on_screen(&run.stdout, 80);
    assert!(
        rows <= 2 * 24,
        "{rows} rows of an 80x24 terminal:\n{}",
        run.stdout
    );
    let first_screen: String = run.stdout.lines().take(24).collect::<Vec<_>>().join("\n");
    assert!(
        first_screen.contains("01-ports  Port ranges")
            && first_screen.contains("✗ ranges::classifies_the_boundaries"),
        "lab 01 and its first failing test on the first screen:\n{first_screen}"
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = |start: &str| lines.iter().position(|line| line.starts_with(start));
    let (next, total) = (at("Next: ranges::classifies_the_boundaries"), at("Total: "));
    assert!(
        next.zip(total)
            .is_some_and(|(next, total)| next < total && total - next <= 2),
        "the Next: line right above the total:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("✗ 02-binding  ") && run.stdout.contains(" to fix)"),
        "every other lab in one line:\n{}",
        run.stdout
    );
    for line in run.stdout.lines().filter(|line| line.contains("hint:")) {
        assert!(
            line.chars().count() <= 80,
            "a hint is wrapped to the terminal's width: {line:?}"
        );
    }

    let all = xtask(&["grade", "--all"]);
    assert!(
        rows_on_screen(&all.stdout, 80) > 4 * rows,
        "--all shows every failure in full"
    );
    assert!(!all.stdout.contains("Next:"));
}

#[test]
fn a_student_copy_of_the_solutions_earns_full_marks() {
    let copy = StudentCopy::new().with_all_solutions();
    let run = grade_submission(copy.path(), &[]);
    assert_full_marks(&run.report());
}

/// Replaces every graded test by one that passes whatever the code does.
fn tests_that_pass_anything(path: &std::path::Path, text: String) -> String {
    if path.extension().is_some_and(|ext| ext == "rs") {
        let names = text.split("#[test]").skip(1).filter_map(|rest| {
            let after_fn = rest.split_once("fn ")?.1;
            Some(after_fn.split_once('(')?.0.trim().to_string())
        });
        names
            .map(|name| format!("#[test]\nfn {name}() {{}}\n"))
            .collect()
    } else {
        "---\nsource: anything\n---\nanything\n".to_string()
    }
}

/// The ways a student might try to make stub or buggy code pass without fixing it.
fn tamper(copy: StudentCopy) -> StudentCopy {
    copy.rewrite_all("labs/01-ports/tests", tests_that_pass_anything)
        .write(
            ".cargo/config.toml",
            "[env]\nINSTA_FORCE_PASS = \"1\"\nINSTA_UPDATE = \"always\"\n",
        )
        .write(
            "labs/01-ports/.cargo/config.toml",
            "[env]\nINSTA_FORCE_PASS = \"1\"\nINSTA_UPDATE = \"always\"\n",
        )
        .write(
            "labs/01-ports/build.rs",
            "fn main() { println!(\"cargo:rustc-env=INSTA_FORCE_PASS=1\"); }\n",
        )
        .write("labs/01-ports/lab.toml", "title = \"free points\"\n")
}

#[test]
fn stubs_with_tampered_tests_snapshots_and_cargo_config_still_score_zero() {
    let copy = tamper(StudentCopy::new());
    let report = grade_submission(copy.path(), &["01"]).report();
    assert_eq!(report["score"], 0.0);
    assert_all(&report, "failed");
}

#[test]
fn a_buggy_solution_with_tampered_tests_is_graded_on_the_bug() {
    let copy = StudentCopy::new().with_solution("01-ports").edit(
        SOLUTION_RANGES,
        "0..=1023 => PortRange::System,",
        "0..=1024 => PortRange::System,",
    );
    let report = grade_submission(tamper(copy).path(), &["01"]).report();
    assert_eq!(
        test_named(&report, "ranges::classifies_the_boundaries")["status"],
        "failed"
    );
    insta::assert_snapshot!(statuses(&report).join("\n"));
}

#[test]
fn an_endless_loop_times_out_and_the_other_tests_are_graded() {
    // The looping function also starts a child process: the timeout must take it down too.
    let copy = StudentCopy::new().with_solution("01-ports").edit(
        SOLUTION_SERVICES,
        "pub fn port_of(name: &str) -> Option<u16> {\n",
        "pub fn port_of(name: &str) -> Option<u16> {\n    let _child = std::process::Command::new(\"sleep\").arg(\"4242.5\").spawn();\n    loop { std::thread::sleep(std::time::Duration::from_millis(10)); }\n    #[allow(unreachable_code)]\n",
    );
    let report = grade_submission(copy.path(), &["01"]).report();
    if cfg!(target_os = "linux") {
        assert_eq!(
            processes_running(&["sleep", "4242.5"]),
            0,
            "the child process started by the timed-out test is still running"
        );
    }
    let looping = test_named(&report, "services::finds_the_port_of_a_service_by_name");
    assert_eq!(looping["status"], "timeout");
    assert_eq!(looping["score"], 0.0);
    insta::assert_snapshot!(support::to_pretty(looping));
    let others = not_passed(&report);
    assert_eq!(
        others,
        ["01-ports/services::finds_the_port_of_a_service_by_name: timeout"]
    );
}

#[test]
fn exiting_with_status_zero_inside_a_test_is_a_failure() {
    let copy = StudentCopy::new().with_solution("01-ports").edit(
        SOLUTION_EPHEMERAL,
        "pub fn parse_port_range(text: &str) -> Result<EphemeralRange, RangeParseError> {\n",
        "pub fn parse_port_range(text: &str) -> Result<EphemeralRange, RangeParseError> {\n    println!(\"test result: ok. 1 passed; 0 failed\");\n    std::process::exit(0);\n    #[allow(unreachable_code)]\n",
    );
    let report = grade_submission(copy.path(), &["01"]).report();
    let failed = not_passed(&report);
    assert!(
        !failed.is_empty(),
        "exit(0) in parse_port_range must fail the tests that call it"
    );
    for line in &failed {
        assert!(line.ends_with(": failed"), "{line}");
    }
    let exited = test_named(&report, "ephemeral::parses_the_proc_file_format");
    assert!(
        exited["output"]
            .as_str()
            .unwrap()
            .starts_with("the test process exited before the test finished"),
        "{exited:#}"
    );
    insta::assert_snapshot!(failed.join("\n"));
}

#[test]
fn a_lab_that_does_not_compile_scores_zero_with_the_compiler_error() {
    let copy = StudentCopy::new().with_solution("01-ports").edit(
        SOLUTION_RANGES,
        "0..=1023 => PortRange::System,",
        "0..=1023 => PortRange::Sytsem,",
    );
    let run = grade_submission(copy.path(), &["01"]);
    assert_eq!(
        run.code, 0,
        "a build error is a grade, not a failure to grade: {}",
        run.stderr
    );
    let report = run.report();
    let lab = &report["labs"][0];
    assert_eq!(lab["status"], "build_error");
    assert_eq!(lab["score"], 0.0);
    assert!(
        lab["max_score"].as_f64().unwrap() > 0.0,
        "the lab's points still count in the maximum"
    );
    assert_all(&report, "not_run");
    insta::assert_snapshot!(lab["message"].as_str().unwrap());
}

#[test]
fn a_submission_without_the_lab_folder_is_missing_not_an_error() {
    let copy = StudentCopy::new();
    fs::remove_dir_all(copy.path().join("labs/01-ports/src")).unwrap();
    let run = grade_submission(copy.path(), &["01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.report();
    assert_eq!(report["labs"][0]["status"], "missing");
    assert_eq!(report["score"], 0.0);
    assert_all(&report, "not_run");

    // The instructor reads this one: it says what is missing, not how to write the lab.
    let readable = xtask(&["grade", "01", "--submission", copy.path().to_str().unwrap()]);
    assert!(
        readable.stdout.contains("✗") && !readable.stdout.contains("after each one"),
        "{}",
        readable.stdout
    );
}

#[test]
fn min_score_sets_the_exit_status_and_out_writes_the_json_report() {
    let out = tempfile::NamedTempFile::new().unwrap();
    let run = xtask(&[
        "grade",
        "01",
        "--min-score",
        "1",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "stubs score 0%, below --min-score 1");
    let written: Value = serde_json::from_str(&fs::read_to_string(out.path()).unwrap()).unwrap();
    assert_eq!(written["score"], 0.0);
    assert!(
        run.stdout.contains("Total: 0 / "),
        "the human report still goes to stdout:\n{}",
        run.stdout
    );
}

#[test]
fn a_lab_is_named_by_number_id_or_topic() {
    for name in ["01", "01-ports", "ports"] {
        let run = xtask(&["grade", "--solutions", "--format", "json", name]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert_eq!(run.report()["labs"][0]["id"], "01-ports", "{name}");
    }
}

#[test]
fn grading_that_cannot_run_exits_2_with_one_line() {
    let empty = tempfile::tempdir().unwrap();
    let cases = [
        ("unknown lab", vec!["grade", "nosuchlab"]),
        (
            "missing folder",
            vec!["grade", "--submission", "/nonexistent/student"],
        ),
        (
            "folder without labs/",
            vec!["grade", "--submission", empty.path().to_str().unwrap()],
        ),
    ];
    let mut transcript = String::new();
    for (case, args) in cases {
        let run = xtask(&args);
        assert_eq!(run.code, 2, "{case}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{case}: nothing on stdout");
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "{case}: one line, got:\n{}",
            run.stderr
        );
        let line = run
            .stderr
            .replace(empty.path().to_str().unwrap(), "[empty folder]");
        transcript.push_str(&format!("{case}: {line}"));
    }
    insta::assert_snapshot!(transcript);
}

#[test]
fn the_committed_snapshots_are_exactly_what_the_solutions_produce() {
    let run = xtask(&["bless", "--check"]);
    assert_eq!(
        run.code, 0,
        "some snapshots are out of date: run `cargo xtask bless` and review the diff\n{}{}",
        run.stdout, run.stderr
    );
    for line in run.stdout.lines().filter(|line| !line.starts_with(' ')) {
        assert!(line.contains(": 0 new, 0 changed, 0 removed, "), "{line}");
    }
}

/// The compiled dependencies (libraries and proc-macros, not the labs' own) and their
/// modification times.
fn compiled_dependencies() -> Vec<(PathBuf, SystemTime)> {
    let deps = repo().join("target/grade/target/debug/deps");
    fs::read_dir(&deps)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "rlib" || ext == "so")
        })
        .filter(|path| {
            !path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("liblab")
        })
        .map(|path| {
            let modified = fs::metadata(&path).unwrap().modified().unwrap();
            (path, modified)
        })
        .collect()
}

#[test]
fn dependencies_compile_once_and_are_reused_by_later_runs_and_submissions() {
    assert_eq!(xtask(&["grade", "--solutions", "--format", "json"]).code, 0);
    let before = compiled_dependencies();
    assert!(
        !before.is_empty(),
        "the first grading compiled no dependency into target/grade/target"
    );
    let copy = StudentCopy::new();
    assert_eq!(grade_submission(copy.path(), &["01"]).code, 0);
    assert_eq!(
        xtask(&["grade", "--solutions", "--format", "json", "01"]).code,
        0
    );
    // The first grading built every lab, so every dependency any test needs exists by now:
    // a later build may neither rewrite one nor add one (a new hash is a recompilation too).
    let after = compiled_dependencies();
    for (path, modified) in &before {
        let now = after
            .iter()
            .find(|(same, _)| same == path)
            .map(|(_, time)| time);
        assert_eq!(
            now,
            Some(modified),
            "a later grading recompiled {}",
            path.display()
        );
    }
    let added: Vec<_> = after
        .iter()
        .filter(|(path, _)| !before.iter().any(|(old, _)| old == path))
        .collect();
    assert!(
        added.is_empty(),
        "a later grading compiled dependencies again: {added:?}"
    );
}

/// Every file cargo wrote for lab 01 in a grade folder, with its time.
fn lab_01_artifacts(grade_target: &Path) -> Vec<(PathBuf, SystemTime)> {
    let deps = grade_target.join("debug/deps");
    let tests = [
        "cli",
        "describe",
        "endpoints",
        "ephemeral",
        "ranges",
        "scopes",
        "services",
    ];
    let mut artifacts: Vec<(PathBuf, SystemTime)> = fs::read_dir(&deps)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            name.contains("lab01_ports")
                || tests
                    .iter()
                    .any(|test| name.starts_with(&format!("{test}-")))
        })
        .map(|path| {
            let modified = fs::metadata(&path).unwrap().modified().unwrap();
            (path, modified)
        })
        .collect();
    artifacts.sort();
    artifacts
}

#[test]
fn grading_the_same_code_again_compiles_nothing_and_changed_code_is_compiled() {
    // A grade folder of its own (CARGO_TARGET_DIR), so that the other tests' submissions of
    // lab 01 cannot be built in between.
    let target = repo().join("target/rebuild-test");
    let env = [("CARGO_TARGET_DIR", target.to_str().unwrap())];
    let grade = |args: &[&str]| {
        let mut all = vec!["grade", "--format", "json", "01"];
        all.extend_from_slice(args);
        let run = xtask_with_env(&all, &env);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.report()
    };
    let grade_target = target.join("grade/target");

    assert_full_marks(&grade(&["--solutions"]));
    let first = lab_01_artifacts(&grade_target);
    assert!(!first.is_empty(), "nothing of lab 01 was compiled");
    assert_full_marks(&grade(&["--solutions"]));
    assert_eq!(
        lab_01_artifacts(&grade_target),
        first,
        "grading the same code twice compiled lab 01 again"
    );

    // The same files in another folder are the same code, too.
    let copy = StudentCopy::new().with_solution("01-ports");
    assert_full_marks(&grade(&["--submission", copy.path().to_str().unwrap()]));
    assert_eq!(lab_01_artifacts(&grade_target), first);

    // One changed function is compiled, and graded as changed. The change is new to this
    // run (a comment with the time), so the build cache cannot have it from an earlier one.
    let nonce = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let changed = copy.edit(
        "labs/01-ports/src/ranges.rs",
        "0..=1023 => PortRange::System,",
        &format!("0..=1024 => PortRange::System, // changed at {nonce}"),
    );
    let report = grade(&["--submission", changed.path().to_str().unwrap()]);
    assert!(report["score"].as_f64().unwrap() < report["max_score"].as_f64().unwrap());
    assert_ne!(
        lab_01_artifacts(&grade_target),
        first,
        "changed code must be compiled"
    );
}

#[test]
fn the_graders_own_environment_cannot_force_snapshots_to_pass() {
    let copy = StudentCopy::new().with_solution("01-ports").edit(
        SOLUTION_RANGES,
        "0..=1023 => PortRange::System,",
        "0..=1024 => PortRange::System,",
    );
    let snapshot =
        repo().join("labs/01-ports/tests/snapshots/ranges__classifies_the_boundaries.snap");
    let before = fs::read_to_string(&snapshot).unwrap();
    let run = xtask_with_env(
        &[
            "grade",
            "--format",
            "json",
            "--submission",
            copy.path().to_str().unwrap(),
        ],
        &[
            ("INSTA_FORCE_PASS", "1"),
            ("INSTA_UPDATE", "always"),
            ("CI", "false"),
        ],
    );
    let report = run.report();
    assert_eq!(
        test_named(&report, "ranges::classifies_the_boundaries")["status"],
        "failed"
    );
    assert_eq!(
        fs::read_to_string(&snapshot).unwrap(),
        before,
        "grading must never write a snapshot"
    );
}

#[test]
fn a_src_folder_linking_to_the_solutions_is_not_followed() {
    let copy =
        StudentCopy::new().symlink("labs/01-ports/src", &repo().join("solutions/01-ports/src"));
    let report = grade_submission(copy.path(), &["01"]).report();
    let lab = &report["labs"][0];
    assert_eq!(lab["status"], "missing");
    assert_eq!(report["score"], 0.0);
    insta::assert_snapshot!(lab["message"].as_str().unwrap(), @"labs/01-ports/src in the submission is a symbolic link, which the grader does not follow: submit the folder itself");
}

#[test]
fn symbolic_links_inside_src_are_left_out_and_reported() {
    let copy = StudentCopy::new().symlink(
        "labs/01-ports/src/ranges.rs",
        &repo().join("solutions/01-ports/src/ranges.rs"),
    );
    let report = grade_submission(copy.path(), &["01"]).report();
    let lab = &report["labs"][0];
    assert_eq!(
        lab["status"], "build_error",
        "without ranges.rs the lab cannot compile"
    );
    let message = lab["message"].as_str().unwrap();
    assert!(
        message.starts_with("ignored the symbolic link src/ranges.rs (submit real files)\n"),
        "{message}"
    );
}

#[test]
fn a_lab_that_does_not_compile_leaves_the_other_labs_graded() {
    let copy = StudentCopy::new()
        .with_solution("01-ports")
        .with_solution("02-binding")
        .edit(
            SOLUTION_RANGES,
            "0..=1023 => PortRange::System,",
            "0..=1023 => PortRange::Sytsem,",
        );
    let report = grade_submission(copy.path(), &["01", "02"]).report();
    let labs = report["labs"].as_array().unwrap();
    assert_eq!(labs[0]["status"], "build_error");
    assert_eq!(labs[0]["score"], 0.0);
    assert_eq!(labs[1]["status"], "graded");
    assert_eq!(
        labs[1]["score"], labs[1]["max_score"],
        "lab 02 is untouched by lab 01's build error"
    );
    assert_eq!(report["score"], labs[1]["score"]);
}

#[test]
fn lab_02_catches_a_byte_order_mistake_in_the_socket_table() {
    let failed = support::grade_wrong_solution(
        "02-binding",
        "socket_table.rs",
        "Some(word.to_ne_bytes())",
        "Some(word.to_be_bytes())",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_02_catches_so_reuseaddr_always_on() {
    let failed = support::grade_wrong_solution(
        "02-binding",
        "reuse.rs",
        "socket.set_reuse_address(reuse_address)?;",
        "socket.set_reuse_address(true)?;",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_03_catches_the_other_host_dialling_the_servers_external_address() {
    let failed = support::grade_wrong_solution(
        "03-loopback",
        "reachability.rs",
        "        Vantage::OtherHost => bind,",
        "        Vantage::OtherHost => server.same_family_as(bind),",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_03_catches_a_forgotten_unreachable_kind() {
    let failed = support::grade_wrong_solution(
        "03-loopback",
        "outcome.rs",
        "        io::ErrorKind::NetworkUnreachable | io::ErrorKind::HostUnreachable => Outcome::Unreachable,",
        "        io::ErrorKind::NetworkUnreachable => Outcome::Unreachable,",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_03_catches_a_prediction_that_loopback_traffic_leaves_the_client_host() {
    let failed = support::grade_wrong_solution(
        "03-loopback",
        "reachability.rs",
        "    let stays_on_the_client_host = vantage.host() == Host::Client && dialed.is_loopback();",
        "    let stays_on_the_client_host = false;",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_04_catches_a_connection_limit_off_by_one() {
    let failed = support::grade_wrong_solution(
        "04-echo-tokio",
        "limit.rs",
        "Semaphore::new(max.get())",
        "Semaphore::new(max.get() + 1)",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_04_catches_a_shutdown_that_abandons_open_connections() {
    let failed = support::grade_wrong_solution(
        "04-echo-tokio",
        "server.rs",
        "    while connections.join_next().await.is_some() {}\n",
        "",
    );
    // Whether the program's Ctrl-C test also notices depends on timing: it may, or may not.
    let lines: Vec<&str> = failed.lines().skip(1).collect();
    assert!(
        lines
            .contains(&"04-echo-tokio/server::lets_open_connections_finish_after_shutdown: failed"),
        "{failed}"
    );
    let allowed = [
        "04-echo-tokio/server::lets_open_connections_finish_after_shutdown: failed",
        "04-echo-tokio/program::stops_gracefully_on_ctrl_c: failed",
    ];
    assert!(lines.iter().all(|line| allowed.contains(line)), "{failed}");
}

#[test]
fn lab_04_catches_an_echo_that_never_closes_its_side() {
    let failed = support::grade_wrong_solution(
        "04-echo-tokio",
        "echo.rs",
        "    stream.shutdown().await?;\n",
        "",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn the_same_submission_graded_twice_gets_the_same_report() {
    let copy = StudentCopy::new().with_solution("01-ports").edit(
        SOLUTION_RANGES,
        "0..=1023 => PortRange::System,",
        "0..=1024 => PortRange::System,",
    );
    let first = grade_submission(copy.path(), &["01"]).report_text();
    let second = grade_submission(copy.path(), &["01"]).report_text();
    assert_eq!(
        first, second,
        "durations aside, grading must be deterministic"
    );
}

#[test]
fn gradescope_results_have_the_fields_of_the_autograder_spec() {
    let run = xtask(&["grade", "01", "--format", "gradescope"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let results: Value = serde_json::from_str(&run.stdout).expect("results.json is JSON");
    assert_eq!(results["score"], 0.0);
    assert_eq!(results["max_score"], 28.0);
    assert!(
        results["execution_time"].is_u64(),
        "execution_time is whole seconds"
    );
    assert_eq!(results["output_format"], "text");
    let tests = results["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 18);
    for test in tests {
        for field in [
            "name",
            "number",
            "output",
            "output_format",
            "visibility",
            "status",
        ] {
            assert!(test[field].is_string(), "a test lacks `{field}`: {test:#}");
        }
        assert!(
            test["score"].is_f64() && test["max_score"].is_f64(),
            "{test:#}"
        );
        assert!(
            ["passed", "failed"].contains(&test["status"].as_str().unwrap()),
            "{test:#}"
        );
    }
    insta::assert_snapshot!(support::to_pretty(&tests[0]));
}

#[test]
fn junit_has_a_testsuite_per_lab_and_a_failure_per_failed_test() {
    let copy = StudentCopy::new().with_solution("01-ports").edit(
        SOLUTION_RANGES,
        "0..=1023 => PortRange::System,",
        "0..=1024 => PortRange::System,",
    );
    let submission = copy.path().to_str().unwrap();
    let run = xtask(&[
        "grade",
        "01",
        "--format",
        "junit",
        "--submission",
        submission,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let xml = &run.stdout;
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert_eq!(xml.matches("<testsuite ").count(), 1);
    assert_eq!(xml.matches("<testcase ").count(), 18);
    assert_eq!(
        xml.matches("<failure ").count(),
        2,
        "the two boundary tests fail:\n{xml}"
    );
    assert!(
        xml.contains("failures=\"2\" errors=\"0\" skipped=\"0\""),
        "{xml}"
    );
    assert!(!xml.contains("\u{1b}"), "no terminal escapes in XML");
}

#[test]
fn a_snapshot_diff_names_its_sides_as_the_book_does() {
    let copy = StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/describe.rs",
        "so only programs running on this machine can reach it.\",",
        "so only this machine can reach it.\",",
    );
    let report = grade_submission(copy.path(), &["01"]).report();
    let test = test_named(&report, "describe::explains_each_endpoint_in_one_paragraph");
    let output = test["output"].as_str().unwrap();
    assert!(
        output.contains("--- expected\n+++ your output")
            && output.contains("+")
            && output.contains("so only this machine can reach it."),
        "{output}"
    );
    assert!(
        output.contains(
            "`-` lines are what the test expects and `+` lines are what your code produced"
        ),
        "{output}"
    );
    let book = fs::read_to_string(repo().join("book/src/introduction.md")).unwrap();
    assert!(
        book.contains("`--- expected`") && book.contains("`+++ your output`"),
        "the book names the diff's sides as the report does"
    );
}
