//! The JSON report's schema: the types the grader writes and reads back.
//!
//! `--format json`, `--out`, a class's `OUT/<student>/report.json` and the student tools'
//! records are these types, serialized. Whatever reads a report back (the class gradebook,
//! `cargo xtask list`) reads it through them, so a status is a [`TestStatus`] or a
//! [`LabStatus`], never a string to compare. Every report carries its schema's `version`;
//! one of another version is refused with a message instead of being misread.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::course::{RankOrder, Visibility};

/// The version of the report schema this grader writes and reads.
pub const REPORT_VERSION: u32 = 1;

/// The graded result of a whole run: the JSON report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// The schema's version: [`REPORT_VERSION`]. A change that renames or removes a field, or
    /// changes its meaning, takes the next number; adding a field does not.
    pub version: u32,
    pub score: f64,
    pub max_score: f64,
    pub labs: Vec<LabReport>,
    /// The walls around each test process on this machine.
    pub isolation: IsolationReport,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabReport {
    pub id: String,
    pub title: String,
    pub score: f64,
    pub max_score: f64,
    pub status: LabStatus,
    /// Build errors and other lab-wide notes.
    pub message: String,
    pub tests: Vec<TestReport>,
    /// Shown under the lab's failures in the human report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The lab's book chapter, e.g. `book/src/01-ports.md`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabStatus {
    Graded,
    BuildError,
    /// The submission has no `src/` for this lab.
    Missing,
}

impl LabStatus {
    /// The status as the JSON report and the gradebook spell it.
    pub fn name(self) -> &'static str {
        match self {
            LabStatus::Graded => "graded",
            LabStatus::BuildError => "build_error",
            LabStatus::Missing => "missing",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestReport {
    pub name: String,
    pub score: f64,
    pub max_score: f64,
    pub status: TestStatus,
    /// Why it failed (capped); empty for a pass.
    pub output: String,
    pub duration_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// One of the instructor's hidden tests (`--tests-from`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
    /// When Gradescope shows it to the student (`visible` is left out of the JSON).
    #[serde(default, skip_serializing_if = "Visibility::is_visible")]
    pub visibility: Visibility,
    /// Figures the test reported for the leaderboard (only a passing test's count).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaderboard: Vec<LeaderboardFigure>,
    /// It failed, then passed when run again (`--retries`): the pass counts, and the
    /// instructor's summary lists the test, so that what made it fail gets found.
    #[serde(default, skip_serializing_if = "is_false")]
    pub flaky: bool,
}

/// A figure for Gradescope's leaderboard, e.g. a student's requests per second.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LeaderboardFigure {
    pub name: String,
    pub value: f64,
    pub order: RankOrder,
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestStatus {
    Passed,
    Failed,
    Timeout,
    Crashed,
    NotRun,
    /// The test ran, but the lab's grading files changed meanwhile.
    Tampered,
}

impl TestStatus {
    /// A word for the statuses a plain ✗ or "failed" would hide, e.g. `Some("timeout")`.
    pub fn label(self) -> Option<&'static str> {
        match self {
            TestStatus::Passed | TestStatus::Failed => None,
            TestStatus::Timeout => Some("timeout"),
            TestStatus::Crashed => Some("crashed"),
            TestStatus::NotRun => Some("not run"),
            TestStatus::Tampered => Some("tampered"),
        }
    }
}

/// Which walls this machine lets the grader build, as the report names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IsolationReport {
    /// `"bubblewrap"`: each test runs in a bubblewrap sandbox; `"unprivileged_user"`: only
    /// as an unprivileged uid; `"none"`.
    pub sandbox: String,
    /// `"unprivileged"`: the test's uid is not the grader's; `"grader"`: it is.
    pub user: String,
    /// `"private"`: the test sees only the system and its lab; `"shared"`: the machine's.
    pub filesystem: String,
    /// `"namespace"`: each test has its own network with only `lo`; `"none"`: the machine's.
    pub network: String,
    /// `"cgroup"`: a pids cgroup per test bounds its processes; `"none"`: nothing does.
    pub processes: String,
    /// `"bubblewrap"`: the compiler sees only the lab being built; `"none"`: the machine.
    pub build: String,
    /// Why a wall is missing, when one is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Report {
    pub fn percent(&self) -> f64 {
        if self.max_score > 0.0 {
            100.0 * self.score / self.max_score
        } else {
            0.0
        }
    }

    /// Reads a JSON report back, refusing one written with another version of the schema.
    pub fn read(path: &Path) -> Result<Report> {
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read the report {}", path.display()))?;
        Report::parse(&text).with_context(|| format!("cannot use the report {}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Report> {
        #[derive(Deserialize)]
        struct Versioned {
            version: Option<u32>,
        }
        let versioned: Versioned =
            serde_json::from_str(text).context("it is not a JSON report of this grader")?;
        match versioned.version {
            Some(REPORT_VERSION) => {
                serde_json::from_str(text).context("it is not a JSON report of this grader")
            }
            Some(other) => bail!(
                "it has version {other} of the report schema, and this grader reads version {REPORT_VERSION}: grade again"
            ),
            None => {
                bail!("it was written by a grader older than the report's versions: grade again")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lab_status_is_named_as_the_json_spells_it() {
        for status in [LabStatus::Graded, LabStatus::BuildError, LabStatus::Missing] {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.name()));
        }
    }

    #[test]
    fn a_report_reads_back_as_written_and_another_version_is_refused() {
        let report = Report {
            version: REPORT_VERSION,
            score: 1.0,
            max_score: 2.0,
            labs: vec![LabReport {
                id: "01-ports".into(),
                title: "Ports".into(),
                score: 1.0,
                max_score: 2.0,
                status: LabStatus::Graded,
                message: String::new(),
                tests: vec![TestReport {
                    name: "ranges::of".into(),
                    score: 1.0,
                    max_score: 1.0,
                    status: TestStatus::Passed,
                    output: String::new(),
                    duration_ms: 3,
                    hint: None,
                    hidden: false,
                    visibility: Visibility::Visible,
                    leaderboard: Vec::new(),
                    flaky: false,
                }],
                hint: None,
                chapter: None,
            }],
            isolation: IsolationReport {
                sandbox: "bubblewrap".into(),
                user: "unprivileged".into(),
                filesystem: "private".into(),
                network: "namespace".into(),
                processes: "cgroup".into(),
                build: "bubblewrap".into(),
                notes: Vec::new(),
            },
        };
        let text = serde_json::to_string_pretty(&report).unwrap();
        let read = Report::parse(&text).unwrap();
        assert_eq!(serde_json::to_string_pretty(&read).unwrap(), text);

        let newer = text.replace("\"version\": 1", "\"version\": 2");
        let error = format!("{:#}", Report::parse(&newer).unwrap_err());
        assert!(error.contains("version 2 of the report schema"), "{error}");
        let unversioned = text.replace("\"version\": 1,", "");
        let error = format!("{:#}", Report::parse(&unversioned).unwrap_err());
        assert!(
            error.contains("older than the report's versions"),
            "{error}"
        );
    }
}
