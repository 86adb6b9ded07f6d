//! `cargo xtask package`: the Gradescope autograder zip, run the way Gradescope runs it, and
//! the GitHub Classroom workflow with its report conversion.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::{StudentCopy, repo, xtask};

fn hidden_tests() -> String {
    repo()
        .join("xtask/tests/fixtures/hidden-tests")
        .display()
        .to_string()
}

/// Packages the autograder with the fixture's hidden tests into `dir/autograder.zip`.
fn package_gradescope(dir: &Path) -> PathBuf {
    let zip_path = dir.join("autograder.zip");
    let run = xtask(&[
        "package",
        "gradescope",
        "--out",
        zip_path.to_str().unwrap(),
        "--tests-from",
        &hidden_tests(),
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    zip_path
}

fn open_zip(path: &Path) -> zip::ZipArchive<fs::File> {
    zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap()
}

#[test]
fn the_gradescope_zip_has_the_autograder_at_its_root_and_no_solutions() {
    let dir = tempfile::tempdir().unwrap();
    let mut zip = open_zip(&package_gradescope(dir.path()));
    let names: Vec<String> = zip
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .collect();

    for script in ["setup.sh", "run_autograder"] {
        let file = zip.by_name(script).unwrap();
        assert_eq!(
            file.unix_mode().unwrap() & 0o777,
            0o755,
            "{script} must be executable"
        );
    }
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
        "xtask/src/main.rs",
        "labs/01-ports/lab.toml",
        "labs/01-ports/tests/snapshots/ranges__classifies_the_boundaries.snap",
        "labs/harness/Cargo.toml",
        "labs/harness/src/lib.rs",
        "hidden-tests/01-ports/lab.toml",
        "hidden-tests/01-ports/tests/hidden_services.rs",
    ] {
        assert!(names.iter().any(|name| name == needed), "missing {needed}");
    }
    for name in &names {
        assert!(
            !name.starts_with("solutions/") && !name.contains("target/"),
            "{name} must not be in the autograder: submissions could read it"
        );
    }
    let top_level: BTreeSet<&str> = names
        .iter()
        .map(|name| name.split('/').next().unwrap())
        .collect();
    insta::assert_snapshot!(
        top_level.into_iter().collect::<Vec<_>>().join("\n"),
        @r"
    .cargo
    Cargo.lock
    Cargo.toml
    hidden-tests
    labs
    run_autograder
    setup.sh
    xtask
    "
    );

    let mut run_autograder = String::new();
    zip.by_name("run_autograder")
        .unwrap()
        .read_to_string(&mut run_autograder)
        .unwrap();
    assert!(
        run_autograder.contains("--format gradescope --tests-from hidden-tests"),
        "{run_autograder}"
    );
    let mut setup = String::new();
    zip.by_name("setup.sh")
        .unwrap()
        .read_to_string(&mut setup)
        .unwrap();
    let syntax = Command::new("bash")
        .args(["-n", "-c", &setup])
        .status()
        .unwrap();
    assert!(syntax.success(), "setup.sh is not valid bash:\n{setup}");
    assert!(!setup.contains("{{"), "a placeholder was left in:\n{setup}");
}

/// `/autograder` as Gradescope lays it out: `source/` (the zip), `submission/`, `results/`.
struct AutograderFolder {
    root: tempfile::TempDir,
}

impl AutograderFolder {
    fn new() -> AutograderFolder {
        let root = tempfile::Builder::new()
            .prefix("autograder-")
            .tempdir()
            .unwrap();
        let zip_path = package_gradescope(root.path());
        open_zip(&zip_path)
            .extract(root.path().join("source"))
            .unwrap();
        fs::remove_file(zip_path).unwrap();
        AutograderFolder { root }
    }

    /// Runs `run_autograder` on a submission and returns `results/results.json`.
    fn grade(&self, submission: &Path) -> Value {
        let root = self.root.path();
        let _ = fs::remove_dir_all(root.join("submission"));
        let _ = fs::remove_dir_all(root.join("results"));
        support::copy_tree(submission, &root.join("submission"));
        let run_autograder = root.join("source/run_autograder");
        let mode = fs::metadata(&run_autograder).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "run_autograder must stay executable");
        let output = Command::new(&run_autograder)
            .env("AUTOGRADER_ROOT", root)
            // The grader builds itself and the labs here, as the image's setup.sh would
            // have; kept between test runs so only the first compiles the dependencies.
            .env("CARGO_TARGET_DIR", repo().join("target/autograder-test"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "run_autograder failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = fs::read_to_string(root.join("results/results.json")).unwrap();
        let results: Value = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("results.json is not JSON ({error}):\n{text}"));
        assert_follows_the_gradescope_spec(&results);
        results
    }
}

/// The fields of Gradescope's results.json specification, and their types.
fn assert_follows_the_gradescope_spec(results: &Value) {
    let top_level = [
        "score",
        "max_score",
        "execution_time",
        "output",
        "output_format",
        "test_output_format",
        "test_name_format",
        "visibility",
        "stdout_visibility",
        "extra_data",
        "tests",
        "leaderboard",
    ];
    let test_fields = [
        "score",
        "max_score",
        "status",
        "name",
        "name_format",
        "number",
        "output",
        "output_format",
        "tags",
        "visibility",
        "extra_data",
    ];
    let visibilities = ["hidden", "after_due_date", "after_published", "visible"];
    for key in results.as_object().unwrap().keys() {
        assert!(top_level.contains(&key.as_str()), "unknown field {key}");
    }
    assert!(results["score"].is_number(), "score is required");
    assert!(results["execution_time"].is_u64());
    assert!(visibilities.contains(&results["visibility"].as_str().unwrap()));
    for test in results["tests"].as_array().unwrap() {
        for key in test.as_object().unwrap().keys() {
            assert!(
                test_fields.contains(&key.as_str()),
                "unknown test field {key}"
            );
        }
        assert!(test["score"].is_number() && test["max_score"].is_number());
        assert!(test["name"].is_string() && test["number"].is_string());
        assert!(["passed", "failed"].contains(&test["status"].as_str().unwrap()));
        assert_eq!(test["output_format"], "text");
        assert!(visibilities.contains(&test["visibility"].as_str().unwrap()));
    }
}

#[test]
fn run_autograder_grades_a_submission_in_a_folder_laid_out_like_gradescope() {
    let autograder = AutograderFolder::new();

    // Lab 01 solved, but with a bug only the hidden tests look for; the other labs untouched.
    let student = StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/services.rs",
        "pub fn service_for(port: u16) -> Option<&'static Service> {\n",
        "pub fn service_for(port: u16) -> Option<&'static Service> {\n    if port == 8000 {\n        return service_for(80);\n    }\n",
    );
    let results = autograder.grade(student.path());
    let tests = results["tests"].as_array().unwrap();
    let earned: f64 = tests
        .iter()
        .map(|test| test["score"].as_f64().unwrap())
        .sum();
    assert_eq!(results["score"], 28.0, "all of lab 01's public tests pass");
    assert_eq!(earned, 28.0, "the total is the sum of the tests");
    let hidden: Vec<String> = tests
        .iter()
        .filter(|test| test["name"].as_str().unwrap().contains("hidden_services::"))
        .map(|test| format!("{} {} {}", test["name"], test["status"], test["visibility"]))
        .collect();
    insta::assert_snapshot!(hidden.join("\n"), @r#"
    "01-ports / hidden_services::alternate_ports_are_not_guessed" "failed" "after_published"
    "01-ports / hidden_services::every_answer_comes_from_the_table" "failed" "hidden"
    "#);

    // A zip of the repository folder unpacks one level down on Gradescope: still graded.
    let nested = tempfile::tempdir().unwrap();
    support::copy_tree(student.path(), &nested.path().join("loopback-labs"));
    assert_eq!(autograder.grade(nested.path())["score"], 28.0);

    // Nothing to grade: results.json still says why, for the student.
    let empty = tempfile::tempdir().unwrap();
    let results = autograder.grade(empty.path());
    assert_eq!(results["score"], 0.0);
    assert!(
        results["output"]
            .as_str()
            .unwrap()
            .contains("the submission is empty"),
        "{results}"
    );
}

#[test]
fn the_classroom_workflow_reports_each_test_with_its_points() {
    let dir = tempfile::tempdir().unwrap();
    let workflow_path = dir.path().join("classroom.yml");
    let run = xtask(&[
        "package",
        "classroom",
        "--out",
        workflow_path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let workflow = fs::read_to_string(&workflow_path).unwrap();
    for needed in [
        "cargo xtask grade --format json",
        "classroom-resources/autograding-grading-reporter@v1",
        "GRADE_RESULTS: ${{ steps.grade.outputs.result }}",
        "runners: grade",
    ] {
        assert!(workflow.contains(needed), "missing {needed:?}:\n{workflow}");
    }

    // The workflow's conversion, run on a real report: lab 01 solved, lab 02 not.
    let program = fs::read_to_string(repo().join("xtask/src/package/classroom.jq")).unwrap();
    let indented: String = program
        .lines()
        .map(|line| format!("          {line}\n"))
        .collect();
    assert!(
        workflow.contains(&indented),
        "the workflow runs classroom.jq"
    );
    let student = StudentCopy::new().with_solution("01-ports");
    let report = support::grade_submission(student.path(), &["01", "02"]);
    let report_path = dir.path().join("report.json");
    fs::write(&report_path, &report.stdout).unwrap();
    let converted = Command::new("jq")
        .args(["--compact-output", &program])
        .arg(&report_path)
        .output()
        .expect("jq is installed (.ci/run installs it)");
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let result: Value = serde_json::from_slice(&converted.stdout).unwrap();
    let report = report.report();
    assert_eq!(result["version"], 1);
    assert_eq!(result["status"], "fail");
    assert_eq!(result["max_score"].as_f64(), report["max_score"].as_f64());
    let tests = result["tests"].as_array().unwrap();
    let earned: f64 = tests
        .iter()
        .map(|test| test["score"].as_f64().unwrap())
        .sum();
    assert_eq!(earned, 28.0, "GitHub Classroom adds up the tests' scores");
    let failing = tests.iter().find(|test| test["status"] == "fail").unwrap();
    assert!(
        failing["message"]
            .as_str()
            .unwrap()
            .contains("not yet implemented"),
        "a failure carries its feedback: {failing}"
    );
}
