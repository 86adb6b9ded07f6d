//! The report as Gradescope's autograder `results.json`.
//!
//! Gradescope shows one line per test with its points and output; a test is only `passed` or
//! `failed` there, so the grader's finer status (timeout, crashed, not run, tampered) leads the
//! test's output. A lab that did not compile keeps its tests, each failed with the reason, and
//! the compiler's errors go to the submission's top-level output. Each test carries its
//! visibility: hidden tests (`--tests-from`) are shown once the grades are published, unless
//! their `lab.toml` entry says otherwise.

use serde::Serialize;

use crate::course::Visibility;
use crate::pipeline::report::schema::{LabStatus, LeaderboardFigure, Report, TestStatus};

#[derive(Serialize)]
struct Results {
    score: f64,
    max_score: f64,
    execution_time: u64,
    output: String,
    output_format: &'static str,
    visibility: &'static str,
    tests: Vec<TestResult>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    leaderboard: Vec<LeaderboardFigure>,
}

#[derive(Serialize)]
struct TestResult {
    name: String,
    number: String,
    score: f64,
    max_score: f64,
    status: &'static str,
    output: String,
    output_format: &'static str,
    visibility: Visibility,
}

/// `results.json` for a graded report; `execution_time` is the whole run, in seconds.
pub fn to_gradescope(report: &Report, execution_time: u64) -> String {
    let report = &*super::fitted(report);
    let mut tests = Vec::new();
    let mut output = Vec::new();
    for (lab_number, lab) in report.labs.iter().enumerate() {
        if lab.status != LabStatus::Graded || !lab.message.is_empty() {
            output.push(format!("{} — {}:\n{}", lab.id, lab.title, lab.message));
        }
        for (test_number, test) in lab.tests.iter().enumerate() {
            let status_note = test
                .status
                .label()
                .map(|label| format!("[{label}] "))
                .unwrap_or_default();
            let hint = test
                .hint
                .as_ref()
                .map(|hint| format!("\n\nhint: {hint}"))
                .unwrap_or_default();
            tests.push(TestResult {
                name: format!("{} / {}", lab.id, test.name),
                number: format!("{}.{}", lab_number + 1, test_number + 1),
                score: test.score,
                max_score: test.max_score,
                status: if test.status == TestStatus::Passed {
                    "passed"
                } else {
                    "failed"
                },
                output: format!("{status_note}{}{hint}", test.output),
                output_format: "text",
                visibility: test.visibility,
            });
        }
    }
    let results = Results {
        score: report.score,
        max_score: report.max_score,
        execution_time,
        output: output.join("\n\n"),
        output_format: "text",
        visibility: "visible",
        leaderboard: report
            .labs
            .iter()
            .flat_map(|lab| &lab.tests)
            .flat_map(|test| test.leaderboard.iter().cloned())
            .collect(),
        tests,
    };
    serde_json::to_string_pretty(&results).expect("results always serialize")
}

/// `results.json` when the submission could not be graded at all: no points, and the reason.
pub fn gradescope_error(message: &str) -> String {
    let results = Results {
        score: 0.0,
        max_score: 0.0,
        execution_time: 0,
        output: format!(
            "The submission could not be graded: {message}\n\nSubmit your copy of the repository (the folder that holds labs/), from GitHub or as a zip."
        ),
        output_format: "text",
        visibility: "visible",
        tests: Vec::new(),
        leaderboard: Vec::new(),
    };
    serde_json::to_string_pretty(&results).expect("results always serialize")
}
