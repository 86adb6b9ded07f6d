//! Stage 5 — score: turn what was observed into a status and points.
//!
//! A test earns its points (from `lab.toml`) only when libtest recorded it as passed, its
//! process then exited cleanly, *and* the snapshots it produced are exactly the blessed ones
//! insta names after it, with the same contents. The first two could be faked by the code
//! under test (it runs in the same process as libtest); the snapshots cannot be produced
//! without computing what the reference solution computes, and they are compared here, out
//! of the test's reach. Everything else is explained for a beginner: what was expected, what
//! happened, and what to try.

use std::collections::BTreeMap;

use similar::TextDiff;

use crate::course::Lab;
use crate::pipeline::report::schema::{
    LabReport, LabStatus, LeaderboardFigure, REPORT_VERSION, Report, TestReport, TestStatus,
};
use crate::pipeline::run::{Completion, LabRun, Observation, TestOutcome, TestRun};
use crate::sandbox::process::{ProcessEnd, describe_end, signal_name};
use crate::sandbox::{Isolation, MEMORY_LIMIT_BYTES};

/// The `leaderboard: <name> = <number>` lines a passing test printed, for the names its
/// lab.toml declares (anything else is ignored: a leaderboard only shows what the lab
/// measures). The last line for a name wins.
fn leaderboard_figures(lab: &Lab, output: &str) -> Vec<LeaderboardFigure> {
    let mut figures: Vec<LeaderboardFigure> = Vec::new();
    for line in output.lines() {
        let Some((name, value)) = line
            .strip_prefix("leaderboard: ")
            .and_then(|rest| rest.rsplit_once(" = "))
        else {
            continue;
        };
        let declared = lab
            .manifest
            .leaderboard
            .iter()
            .find(|entry| entry.name == name);
        let (Some(entry), Ok(value)) = (declared, value.trim().parse::<f64>()) else {
            continue;
        };
        if !value.is_finite() {
            continue;
        }
        figures.retain(|figure| figure.name != name);
        figures.push(LeaderboardFigure {
            name: entry.name.clone(),
            value,
            order: entry.order,
        });
    }
    figures
}

const EXITED_EARLY: &str = "the test process exited before the test finished";

/// A lab test that cannot run in this environment (no network namespaces, no `nc`, …)
/// panics with a message starting with this. Such a failure is reported `not_run` with the
/// reason: zero points, never a pass.
pub const CANNOT_RUN_HERE: &str = "not run: ";

/// The reason a failed test gave for not running, if it gave one.
fn cannot_run_here(output: &str) -> Option<&str> {
    output
        .lines()
        .find_map(|line| line.strip_prefix(CANNOT_RUN_HERE))
}

/// Judges one observed test run against the lab's blessed snapshots (`None` while the
/// reference solution's snapshots are being blessed: then they are what is produced).
fn score_test(
    lab: &Lab,
    name: &str,
    observation: &Observation,
    blessed: Option<&BTreeMap<String, String>>,
) -> TestReport {
    let (mut status, mut why) = judge(observation, lab.manifest.timeout_secs);
    if status == TestStatus::Passed
        && let Some(blessed) = blessed
        && let Some(problem) = snapshot_problem(name, &observation.snapshots, blessed)
    {
        status = TestStatus::Failed;
        why = problem;
    }
    let max_score = lab.manifest.points(name);
    let output = match status {
        TestStatus::Passed => String::new(),
        TestStatus::NotRun => why,
        _ => explain(&why, &observation.output),
    };
    TestReport {
        name: name.to_string(),
        score: if status == TestStatus::Passed {
            max_score
        } else {
            0.0
        },
        max_score,
        status,
        output,
        duration_ms: observation.duration.as_millis() as u64,
        hint: (status != TestStatus::Passed)
            .then(|| lab.manifest.hint(name).map(str::to_string))
            .flatten(),
        hidden: lab.is_hidden(name),
        visibility: lab.visibility(name),
        leaderboard: if status == TestStatus::Passed {
            leaderboard_figures(lab, &observation.output)
        } else {
            Vec::new()
        },
        flaky: false,
    }
}

/// A test that could not run at all (the lab did not build, the test is missing, …).
fn not_run(lab: &Lab, name: &str, reason: &str) -> TestReport {
    TestReport {
        name: name.to_string(),
        score: 0.0,
        max_score: lab.manifest.points(name),
        status: TestStatus::NotRun,
        output: reason.to_string(),
        duration_ms: 0,
        hint: None,
        hidden: lab.is_hidden(name),
        visibility: lab.visibility(name),
        leaderboard: Vec::new(),
        flaky: false,
    }
}

/// A test the lab's overall time limit left no time for.
fn lab_out_of_time(lab: &Lab, name: &str) -> TestReport {
    TestReport {
        status: TestStatus::Timeout,
        output: format!(
            "the lab's time limit ({} s for all its tests) was reached before this test could run: \
             other tests took too long (look at the tests that timed out)",
            lab.manifest.lab_timeout_secs
        ),
        ..not_run(lab, name, "")
    }
}

/// Takes the points of a test whose lab's grading files were changed while it ran.
fn mark_tampered(test: &mut TestReport) {
    test.status = TestStatus::Tampered;
    test.score = 0.0;
    test.output =
        "the lab's grading files changed while its tests ran (see the lab's message)".to_string();
    test.hint = None;
}

/// Whether `snapshot` (a file name) is one insta names after `test` (`file::name`):
/// `file__name.snap`, or `file__name-2.snap` for its second snapshot, and so on.
pub fn snapshot_belongs_to(snapshot: &str, test: &str) -> bool {
    let prefix = test.replace("::", "__");
    let Some(stem) = snapshot.strip_suffix(".snap") else {
        return false;
    };
    stem == prefix
        || stem
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|number| number.parse::<u32>().is_ok())
}

/// What is wrong with the snapshots a test produced, if anything: one it did not take, one
/// whose contents differ (with the diff), or one the reference solution does not take.
fn snapshot_problem(
    test: &str,
    produced: &Result<BTreeMap<String, String>, String>,
    blessed: &BTreeMap<String, String>,
) -> Option<String> {
    let expected: BTreeMap<&String, &String> = blessed
        .iter()
        .filter(|(file, _)| snapshot_belongs_to(file, test))
        .collect();
    let produced = match produced {
        Ok(produced) => produced,
        Err(reason) => return Some(format!("the test's snapshots could not be read: {reason}")),
    };
    let mut problems = Vec::new();
    for (file, wanted) in &expected {
        match produced.get(*file) {
            None => problems.push(format!(
                "the test passed without taking its snapshot {file}, so it did not check what it \
                 is graded on: does your code end the test early (std::process::exit)?"
            )),
            Some(got) if got != *wanted => problems.push(format!(
                "your output differs from the snapshot {file}:\n{}",
                TextDiff::from_lines(&format!("{wanted}\n"), &format!("{got}\n"))
                    .unified_diff()
                    .context_radius(3)
                    .header(DIFF_EXPECTED, DIFF_PRODUCED)
                    .to_string()
                    .trim_end()
            )),
            Some(_) => {}
        }
    }
    for file in produced.keys().filter(|file| !expected.contains_key(file)) {
        problems.push(format!(
            "the test took a snapshot that the reference solution does not take: {file}"
        ));
    }
    (!problems.is_empty()).then(|| problems.join("\n\n"))
}

/// The two sides of a snapshot diff, as its header names them.
const DIFF_EXPECTED: &str = "expected";
const DIFF_PRODUCED: &str = "your output";

/// The status, and a sentence on how the process ended when that is the reason.
fn judge(observation: &Observation, timeout_secs: u64) -> (TestStatus, String) {
    match (observation.end, observation.completion) {
        (ProcessEnd::TimedOut, _) => (
            TestStatus::Timeout,
            format!(
                "the test did not finish within {timeout_secs} s and was stopped: look for a loop that never ends, \
                 or a read or accept that waits for something that never comes"
            ),
        ),
        (ProcessEnd::Exited(0), Some(Completion::Passed)) => (TestStatus::Passed, String::new()),
        (end, Some(Completion::Passed)) => (
            TestStatus::Failed,
            format!(
                "the test passed, but its process then ended badly ({})",
                describe_end(end)
            ),
        ),
        (_, Some(Completion::Failed)) => match cannot_run_here(&observation.output) {
            Some(reason) => (TestStatus::NotRun, reason.to_string()),
            None => (TestStatus::Failed, String::new()),
        },
        (_, Some(Completion::Ignored)) => (
            TestStatus::NotRun,
            "the test is marked #[ignore] in the lab's tests".to_string(),
        ),
        (ProcessEnd::KilledBySignal(signal), None) => (
            TestStatus::Crashed,
            crash_reason(signal, &observation.output),
        ),
        (ProcessEnd::Exited(code), None) => (
            TestStatus::Failed,
            format!("{EXITED_EARLY} (exit code {code}): does your code call std::process::exit?"),
        ),
    }
}

/// Why the process died, in the words of the limit it hit when it hit one.
fn crash_reason(signal: i32, output: &str) -> String {
    let gib = MEMORY_LIMIT_BYTES >> 30;
    if signal == libc::SIGABRT && output.contains("memory allocation of") {
        format!(
            "the test ran out of memory: it tried to use more than the {gib} GiB a test may have \
             (look for a collection that grows without end)"
        )
    } else if signal == libc::SIGXCPU {
        "the test used more CPU time than it may: look for a busy loop".to_string()
    } else if signal == libc::SIGXFSZ {
        "the test wrote a file larger than it may (256 MiB)".to_string()
    } else {
        format!(
            "the test process crashed: it was killed by signal {signal} ({})",
            signal_name(signal)
        )
    }
}

/// Puts the reason, the test's own output and a beginner's explanation together.
fn explain(why: &str, output: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !why.is_empty() {
        parts.push(why.to_string());
    }
    match unwritten_todo(output) {
        // The panic is all there is to say: say it in one line.
        Some(location) if output.lines().count() == 2 => parts.push(todo_waiting(location)),
        Some(location) => {
            parts.push(output.to_string());
            parts.push(todo_waiting(location));
        }
        None if !output.is_empty() => parts.push(output.to_string()),
        None => {}
    }
    let diff_header = format!("--- {DIFF_EXPECTED}\n+++ {DIFF_PRODUCED}");
    if why.contains(&diff_header)
        || (output.contains("-old snapshot") && output.contains("+new results"))
    {
        parts.push(
            "In the snapshot diff above, `-` lines are what the test expects and `+` lines are what your \
             code produced."
                .to_string(),
        );
    }
    parts.join("\n\n")
}

fn todo_waiting(location: &str) -> String {
    format!("not yet implemented: `todo!()` at {location}")
}

/// `file:line` of the first `todo!()` the output shows being reached: a panic line
/// (`thread 'x' panicked at labs/01-ports/src/cli.rs:63:5:`) followed by "not yet implemented".
/// It may come from the test itself or from the lab's program the test ran.
fn unwritten_todo(output: &str) -> Option<&str> {
    let lines: Vec<&str> = output.lines().collect();
    lines.windows(2).find_map(|pair| {
        if pair[1].trim() != "not yet implemented" {
            return None;
        }
        let location = pair[0].split_once(" panicked at ")?.1.strip_suffix(':')?;
        // Drop the column: `file:line:column` → `file:line`.
        Some(
            location
                .rsplit_once(':')
                .map_or(location, |(file_and_line, _)| file_and_line),
        )
    })
}

/// What the stages before scoring made of one lab.
pub enum LabOutcome {
    /// The submission has nothing to grade for it, and this says why.
    Missing(String),
    /// It did not compile: the notes say why (after any notes from assembling it).
    BuildFailed { notes: Vec<String> },
    /// Its tests ran; the notes are lab-wide remarks from assembling it.
    Ran { notes: Vec<String>, run: LabRun },
}

/// Scores one lab: a pure function of its `lab.toml` and what was observed.
pub fn score_lab(lab: &Lab, outcome: &LabOutcome) -> LabReport {
    match outcome {
        LabOutcome::Missing(why) => {
            lab_report(lab, LabStatus::Missing, why.clone(), all_not_run(lab, why))
        }
        LabOutcome::BuildFailed { notes } => lab_report(
            lab,
            LabStatus::BuildError,
            notes.join("\n"),
            all_not_run(lab, "the lab did not compile"),
        ),
        LabOutcome::Ran { notes, run } => {
            let mut tests: Vec<TestReport> = run
                .tests
                .iter()
                .map(|test| score_run(lab, test, run.blessed.as_ref()))
                .collect();
            for name in lab.manifest.tests.keys() {
                if !run.tests.iter().any(|test| &test.name == name) {
                    let reason =
                        "lab.toml lists this test, but the lab's test executables do not have it";
                    tests.push(not_run(lab, name, reason));
                }
            }
            tests.sort_by_cached_key(|test| lab.manifest.report_order(&test.name));
            let mut notes = notes.clone();
            notes.extend(run.notes.iter().cloned());
            if !run.tampered.is_empty() {
                notes.push(format!(
                    "the lab's grading files changed while its tests ran, so none of its tests count: {}",
                    run.tampered.join(", ")
                ));
                tests.iter_mut().for_each(mark_tampered);
            }
            lab_report(lab, LabStatus::Graded, notes.join("\n"), tests)
        }
    }
}

/// Whether a test's run ended in a way a rerun might change: it failed or crashed. A timeout
/// is not run again (its limit already waited long enough), nor a test that cannot run here,
/// nor one that stopped at a `todo!()` still waiting for code (no machine makes that pass).
pub fn worth_a_rerun(
    lab: &Lab,
    name: &str,
    observation: &Observation,
    blessed: Option<&BTreeMap<String, String>>,
) -> bool {
    let failed = matches!(
        score_test(lab, name, observation, blessed).status,
        TestStatus::Failed | TestStatus::Crashed
    );
    failed && unwritten_todo(&observation.output).is_none()
}

/// One test's report, from what became of it: the first run's, unless a rerun passed — then
/// that pass counts, and the test is marked flaky.
fn score_run(lab: &Lab, test: &TestRun, blessed: Option<&BTreeMap<String, String>>) -> TestReport {
    let first = score_outcome(lab, &test.name, &test.outcome, blessed);
    if first.status == TestStatus::Passed {
        return first;
    }
    test.reruns
        .iter()
        .map(|rerun| score_outcome(lab, &test.name, rerun, blessed))
        .find(|rerun| rerun.status == TestStatus::Passed)
        .map(|mut pass| {
            pass.flaky = true;
            pass
        })
        .unwrap_or(first)
}

fn score_outcome(
    lab: &Lab,
    name: &str,
    outcome: &TestOutcome,
    blessed: Option<&BTreeMap<String, String>>,
) -> TestReport {
    match outcome {
        TestOutcome::Observed(observation) => score_test(lab, name, observation, blessed),
        TestOutcome::CouldNotRun(reason) => not_run(lab, name, reason),
        TestOutcome::LabOutOfTime => lab_out_of_time(lab, name),
    }
}

/// Every test `lab.toml` lists, none of them run.
fn all_not_run(lab: &Lab, reason: &str) -> Vec<TestReport> {
    lab.manifest
        .tests
        .keys()
        .map(|name| not_run(lab, name, reason))
        .collect()
}

/// Adds up a lab's tests.
fn lab_report(lab: &Lab, status: LabStatus, message: String, tests: Vec<TestReport>) -> LabReport {
    let score = tests.iter().map(|test| test.score).sum();
    let listed: f64 = tests.iter().map(|test| test.max_score).sum();
    let any_failed = tests.iter().any(|test| test.status != TestStatus::Passed);
    LabReport {
        id: lab.id.clone(),
        title: lab.manifest.title.clone(),
        score,
        max_score: listed,
        status,
        message,
        tests,
        hint: (any_failed || status != LabStatus::Graded)
            .then(|| lab.manifest.hint.clone())
            .flatten(),
        chapter: lab
            .manifest
            .chapter
            .as_ref()
            .map(|chapter| format!("book/src/{chapter}")),
    }
}

/// The whole run's report: every lab's, added up.
pub fn total(labs: Vec<LabReport>, isolation: &Isolation) -> Report {
    Report {
        version: REPORT_VERSION,
        isolation: isolation.report.clone(),
        score: labs.iter().map(|lab| lab.score).sum(),
        max_score: labs.iter().map(|lab| lab.max_score).sum(),
        labs,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::course::RankOrder;

    use super::*;

    fn observed(end: ProcessEnd, completion: Option<Completion>) -> Observation {
        Observation {
            end,
            completion,
            output: String::new(),
            duration: Duration::ZERO,
            snapshots: Ok(BTreeMap::new()),
        }
    }

    #[test]
    fn a_passing_test_reports_only_the_leaderboard_figures_its_lab_declares() {
        let lab = Lab {
            id: "10-performance".to_string(),
            dir: Default::default(),
            package: String::new(),
            manifest: toml::from_str(
                "title = \"t\"\n[[leaderboard]]\nname = \"req/s\"\n[[leaderboard]]\nname = \"p99 ms\"\norder = \"asc\"\n",
            )
            .unwrap(),
            hidden: None,
        };
        let output = "leaderboard: req/s = 100\nleaderboard: made up = 1e9\n\
                      leaderboard: p99 ms = NaN\nleaderboard: req/s = 12345.5\n";
        let figures: Vec<(String, f64, RankOrder)> = leaderboard_figures(&lab, output)
            .into_iter()
            .map(|figure| (figure.name, figure.value, figure.order))
            .collect();
        assert_eq!(figures, [("req/s".to_string(), 12345.5, RankOrder::Desc)]);

        let mut failed = observed(ProcessEnd::Exited(101), Some(Completion::Failed));
        failed.output = output.to_string();
        assert!(
            score_test(&lab, "a::b", &failed, Some(&BTreeMap::new()))
                .leaderboard
                .is_empty()
        );
    }

    #[test]
    fn only_a_recorded_pass_with_a_clean_exit_passes() {
        let cases = [
            (
                ProcessEnd::Exited(0),
                Some(Completion::Passed),
                TestStatus::Passed,
            ),
            (ProcessEnd::Exited(0), None, TestStatus::Failed),
            (
                ProcessEnd::Exited(1),
                Some(Completion::Passed),
                TestStatus::Failed,
            ),
            (
                ProcessEnd::Exited(101),
                Some(Completion::Failed),
                TestStatus::Failed,
            ),
            (
                ProcessEnd::KilledBySignal(libc::SIGSEGV),
                None,
                TestStatus::Crashed,
            ),
            (
                ProcessEnd::TimedOut,
                Some(Completion::Passed),
                TestStatus::Timeout,
            ),
            (ProcessEnd::TimedOut, None, TestStatus::Timeout),
        ];
        for (end, completion, expected) in cases {
            let (status, _) = judge(&observed(end, completion), 10);
            assert_eq!(status, expected, "{end:?} with {completion:?}");
        }
    }

    #[test]
    fn a_todo_is_reduced_to_where_it_is() {
        let output = "thread 'x' panicked at labs/01-ports/src/cli.rs:63:5:\nnot yet implemented";
        assert_eq!(unwritten_todo(output), Some("labs/01-ports/src/cli.rs:63"));
        let assertion =
            "thread 'x' panicked at tests/a.rs:3:5:\nassertion failed: not yet implemented";
        assert_eq!(unwritten_todo(assertion), None);
    }

    #[test]
    fn a_test_that_cannot_run_here_is_not_run_and_earns_nothing() {
        let mut observation = observed(ProcessEnd::Exited(101), Some(Completion::Failed));
        observation.output =
            "thread 'x' panicked at tests/a.rs:1:1:\nnot run: needs root".to_string();
        assert_eq!(
            judge(&observation, 10),
            (TestStatus::NotRun, "needs root".to_string())
        );
        let mut passed = observed(ProcessEnd::Exited(0), Some(Completion::Passed));
        passed.output = "not run: printed by a passing test".to_string();
        assert_eq!(judge(&passed, 10).0, TestStatus::Passed);
    }

    #[test]
    fn a_recorded_pass_needs_exactly_the_blessed_snapshots() {
        let lab = Lab {
            id: "01-ports".to_string(),
            dir: Default::default(),
            package: String::new(),
            manifest: toml::from_str("title = \"t\"").unwrap(),
            hidden: None,
        };
        let blessed = BTreeMap::from([
            ("ranges__of.snap".to_string(), "80: well-known".to_string()),
            ("ranges__of-2.snap".to_string(), "0: well-known".to_string()),
            (
                "ranges__of_all.snap".to_string(),
                "another test's".to_string(),
            ),
        ]);
        let passed_with = |snapshots: &[(&str, &str)]| {
            let mut observation = observed(ProcessEnd::Exited(0), Some(Completion::Passed));
            observation.snapshots = Ok(snapshots
                .iter()
                .map(|(file, text)| (file.to_string(), text.to_string()))
                .collect());
            score_test(&lab, "ranges::of", &observation, Some(&blessed))
        };
        let right = [
            ("ranges__of.snap", "80: well-known"),
            ("ranges__of-2.snap", "0: well-known"),
        ];
        assert_eq!(passed_with(&right).status, TestStatus::Passed);
        let forged = passed_with(&[]);
        assert_eq!(forged.status, TestStatus::Failed);
        assert!(
            forged
                .output
                .contains("without taking its snapshot ranges__of.snap"),
            "{}",
            forged.output
        );
        let wrong = passed_with(&[
            ("ranges__of.snap", "80: dynamic"),
            ("ranges__of-2.snap", "0: well-known"),
        ]);
        assert_eq!(wrong.status, TestStatus::Failed);
        assert!(
            wrong.output.contains("-80: well-known\n+80: dynamic"),
            "{}",
            wrong.output
        );
        let extra = passed_with(&[right[0], right[1], ("ranges__of-3.snap", "made up")]);
        assert_eq!(extra.status, TestStatus::Failed);
    }

    #[test]
    fn an_early_exit_says_so() {
        let (_, why) = judge(&observed(ProcessEnd::Exited(0), None), 10);
        assert!(why.starts_with(EXITED_EARLY), "{why}");
    }
}
