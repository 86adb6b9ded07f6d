//! Stage 6 — report: the score and the feedback, for a person (human) or a program (JSON,
//! Gradescope, JUnit).
//!
//! This stage alone trims and renders: scoring hands it the whole [`Report`], and each format
//! is a module here that turns it into text. The JSON schema is a contract (`schema`, and
//! README.md, "For instructors"): fields may be added, never renamed.

use std::borrow::Cow;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use crate::pipeline::report::schema::Report;
use crate::truncate::cap_text;

mod gradescope;
mod human;
mod junit;
pub mod schema;

pub use gradescope::{gradescope_error, to_gradescope};
pub use human::{
    Layout, TestOrder, points, terminal_height, terminal_width, to_human, to_human_laid_out,
};
pub use junit::to_junit;

/// The most test output one machine-read report holds, shared out among its tests (each
/// test's output was already capped when it was captured).
const REPORT_OUTPUT_CAP: usize = 1 << 20;

/// The report as the machine-read formats carry it: when its tests' output adds up to more
/// than [`REPORT_OUTPUT_CAP`], each test keeps an equal share of it.
pub(super) fn fitted(report: &Report) -> Cow<'_, Report> {
    let all_tests = report.labs.iter().flat_map(|lab| lab.tests.iter());
    let total_output: usize = all_tests.clone().map(|test| test.output.len()).sum();
    if total_output <= REPORT_OUTPUT_CAP {
        return Cow::Borrowed(report);
    }
    let share = (REPORT_OUTPUT_CAP / all_tests.count()).max(4 * 1024);
    let mut fitted = report.clone();
    for test in fitted.labs.iter_mut().flat_map(|lab| lab.tests.iter_mut()) {
        test.output = cap_text(&test.output, share);
    }
    Cow::Owned(fitted)
}

/// What `--format` offers. A new format is a variant here, a module beside `gradescope` and
/// `junit` that renders a [`Report`], and its arm in [`render`].
#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A readable report with feedback on every failing test.
    Human,
    /// The JSON report (its schema is in README.md, "For instructors").
    Json,
    /// Gradescope's autograder results.json.
    Gradescope,
    /// JUnit XML, one testsuite per lab, for CI systems.
    Junit,
}

/// The report in `format`, ready to print.
pub fn render(
    report: &Report,
    format: OutputFormat,
    submission_label: &str,
    elapsed_secs: u64,
    layout: &Layout,
) -> String {
    match format {
        OutputFormat::Human => to_human_laid_out(report, submission_label, layout),
        OutputFormat::Json => to_json(report) + "\n",
        OutputFormat::Gradescope => to_gradescope(report, elapsed_secs) + "\n",
        OutputFormat::Junit => to_junit(report),
    }
}

pub fn to_json(report: &Report) -> String {
    serde_json::to_string_pretty(&*fitted(report)).expect("a report always serializes")
}

pub fn write_json(report: &Report, path: &Path) -> Result<()> {
    fs::write(path, to_json(report) + "\n")
        .with_context(|| format!("cannot write the report to {}", path.display()))
}
