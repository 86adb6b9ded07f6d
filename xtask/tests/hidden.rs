//! Hidden tests (`--tests-from DIR`): the instructor's tests that students do not have.
//!
//! The fixture `tests/fixtures/hidden-tests/01-ports/` adds two tests to lab 01: a snapshot
//! of `service_for` on popular alternative ports, and an exhaustive check that every answer
//! comes from the table.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{StudentCopy, grade_submission_with, statuses, xtask};

fn hidden_tests() -> PathBuf {
    support::repo().join("xtask/tests/fixtures/hidden-tests")
}

fn with_hidden_tests() -> Vec<String> {
    vec![
        "--tests-from".to_string(),
        hidden_tests().display().to_string(),
    ]
}

fn grade(dir: &Path, options: &[String]) -> Value {
    let options: Vec<&str> = options.iter().map(String::as_str).collect();
    grade_submission_with(dir, &["01"], &options).report()
}

fn score(report: &Value) -> (f64, f64) {
    (
        report["score"].as_f64().unwrap(),
        report["max_score"].as_f64().unwrap(),
    )
}

/// A student who "helpfully" answers HTTP for port 8000: the public tests never ask about it.
fn guesses_alternate_ports() -> StudentCopy {
    StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/services.rs",
        "pub fn service_for(port: u16) -> Option<&'static Service> {\n",
        "pub fn service_for(port: u16) -> Option<&'static Service> {\n    if port == 8000 {\n        return service_for(80);\n    }\n",
    )
}

#[test]
fn hidden_tests_lower_the_score_of_a_submission_that_passes_the_public_ones() {
    let copy = guesses_alternate_ports();

    let public_only = grade(copy.path(), &[]);
    assert_eq!(
        score(&public_only),
        (28.0, 28.0),
        "the public tests cannot see the bug"
    );

    let with_hidden = grade(copy.path(), &with_hidden_tests());
    assert_eq!(
        score(&with_hidden),
        (28.0, 31.0),
        "both hidden tests catch it"
    );
    let hidden: Vec<String> = statuses(&with_hidden)
        .into_iter()
        .filter(|line| line.contains("hidden_services::"))
        .collect();
    insta::assert_snapshot!(hidden.join("\n"), @r"
    01-ports/hidden_services::alternate_ports_are_not_guessed: failed
    01-ports/hidden_services::every_answer_comes_from_the_table: failed
    ");
    let failure = &with_hidden["labs"][0]["tests"][19];
    assert!(
        failure["output"]
            .as_str()
            .unwrap()
            .contains("service_for(8000)"),
        "the JSON report keeps the hidden test's output for the instructor: {failure}"
    );
}

#[test]
fn hidden_tests_come_after_the_public_ones_and_are_marked_hidden() {
    let copy = StudentCopy::new().with_all_solutions();
    let report = grade(copy.path(), &with_hidden_tests());
    assert_eq!(score(&report), (31.0, 31.0));
    let tests = report["labs"][0]["tests"].as_array().unwrap();
    let flagged: Vec<String> = tests
        .iter()
        .map(|test| {
            format!(
                "{} hidden={} visibility={}",
                test["name"].as_str().unwrap(),
                test.get("hidden").unwrap_or(&Value::Bool(false)),
                test.get("visibility").unwrap_or(&Value::from("visible"))
            )
        })
        .skip(16)
        .collect();
    insta::assert_snapshot!(flagged.join("\n"), @r#"
    cli::reports_bad_input_as_an_error hidden=false visibility="visible"
    cli::uses_this_machines_range_by_default hidden=false visibility="visible"
    hidden_services::alternate_ports_are_not_guessed hidden=true visibility="after_published"
    hidden_services::every_answer_comes_from_the_table hidden=true visibility="hidden"
    "#);
}

#[test]
fn gradescope_and_the_student_report_keep_hidden_tests_hidden() {
    let copy = guesses_alternate_ports();
    let submission = copy.path().to_str().unwrap();
    let tests_from = hidden_tests().display().to_string();
    let base = ["grade", "01", "--submission", submission, "--tests-from"];

    let mut gradescope_args = base.to_vec();
    gradescope_args.extend([tests_from.as_str(), "--format", "gradescope"]);
    let gradescope: Value = serde_json::from_str(&xtask(&gradescope_args).stdout).unwrap();
    let visibility: Vec<String> = gradescope["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|test| test["visibility"] != "visible")
        .map(|test| format!("{} {}", test["name"], test["visibility"]))
        .collect();
    insta::assert_snapshot!(visibility.join("\n"), @r#"
    "01-ports / hidden_services::alternate_ports_are_not_guessed" "after_published"
    "01-ports / hidden_services::every_answer_comes_from_the_table" "hidden"
    "#);

    let mut human_args = base.to_vec();
    human_args.push(tests_from.as_str());
    let human = xtask(&human_args).stdout;
    assert!(
        human.contains("hidden_services::every_answer_comes_from_the_table [hidden]"),
        "{human}"
    );
    assert!(
        !human.contains("service_for(8000)"),
        "the student's report must not show what a hidden test checks:\n{human}"
    );
}

#[test]
fn a_hidden_tests_folder_that_does_not_fit_is_refused_with_one_line() {
    let broken = tempfile::tempdir().unwrap();
    let root = broken.path();
    let lab = |name: &str| root.join(name).join("01-ports");
    let write = |path: PathBuf, text: &str| {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    let test_file = "#[test]\nfn t() {}\n";
    write(root.join("no-such-lab/99-nothing/tests/a.rs"), test_file);
    write(lab("no-manifest").join("tests/extra.rs"), test_file);
    write(lab("clash").join("tests/ranges.rs"), test_file);
    write(lab("clash").join("lab.toml"), "");
    write(lab("unknown-file").join("tests/extra.rs"), test_file);
    write(
        lab("unknown-file").join("lab.toml"),
        "[tests.\"other::t\"]\npoints = 1\n",
    );
    write(lab("bad-key").join("tests/extra.rs"), test_file);
    write(lab("bad-key").join("lab.toml"), "timeout_secs = 1\n");
    fs::create_dir_all(root.join("empty")).unwrap();

    let mut transcript = String::new();
    for case in [
        "missing",
        "empty",
        "no-such-lab",
        "no-manifest",
        "clash",
        "unknown-file",
        "bad-key",
    ] {
        let dir = root.join(case);
        let run = xtask(&["grade", "01", "--tests-from", dir.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{case}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{case}: {}", run.stderr);
        let line = run
            .stderr
            .replace(root.to_str().unwrap(), "[DIR]")
            .replace(support::repo().to_str().unwrap(), "[repo]");
        transcript.push_str(&format!("{case}: {line}"));
    }
    insta::assert_snapshot!(transcript);
}

#[test]
fn the_hidden_snapshots_are_exactly_what_the_solution_produces() {
    let tests_from = hidden_tests().display().to_string();
    let run = xtask(&["bless", "01", "--check", "--tests-from", &tests_from]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("01-ports (hidden tests): 0 new, 0 changed, 0 removed, 2 unchanged"),
        "{}",
        run.stdout
    );
}
