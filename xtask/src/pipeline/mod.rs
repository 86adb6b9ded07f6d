//! The grading pipeline, one module per stage, in the order a submission goes through them:
//!
//! ```text
//! submission → assemble → build → run → score → report
//! ```
//!
//! Each stage takes what the one before it returned. `grade` (one submission) and `class`
//! (a whole class) drive it; `bless` and `verify` drive the same stages for lab authors.

// The stages, in order (one blank line apart, so that they stay in this order).
/// Stage 1: whose `src/` folders are graded.
pub mod submission;

/// Stage 2: the instructor's labs with only the submission's `src/`.
pub mod assemble;

/// Stage 3: cargo, behind the build wall, through one mirrored build folder.
pub mod build;

/// Stage 4: each test alone in its sandbox; returns what was observed.
pub mod run;

/// Stage 5: every verdict, a pure function of `lab.toml` and what the run observed.
pub mod score;

/// Stage 6: trimming and rendering, one module per output format.
pub mod report;

/// What the build and run stages show on a terminal while they work.
pub mod progress;

use std::path::Path;

use anyhow::{Result, bail};

use crate::course::{Course, Lab, add_hidden_tests};
use crate::sandbox::Isolation;
use assemble::{Submitted, Workspace, assemble};
use build::{BuildOutcome, build_lab};
use progress::Progress;
use report::schema::{LabReport, Report};
use run::{Snapshots, run_lab};
use score::LabOutcome;
use submission::Submission;

/// The labs named on the command line (all by default), with `--test-timeout` and the
/// hidden tests of `--tests-from` applied.
pub fn select_labs(
    course: &Course,
    names: &[String],
    test_timeout: Option<u64>,
    tests_from: Option<&Path>,
) -> Result<Vec<Lab>> {
    let mut labs = course.select(names)?;
    if let Some(dir) = tests_from {
        add_hidden_tests(course, &mut labs, dir)?;
    }
    if labs.is_empty() {
        bail!(
            "the course has no labs: {} holds no lab folder with a lab.toml",
            course.labs_dir().display()
        );
    }
    if let Some(seconds) = test_timeout {
        labs.iter_mut()
            .for_each(|lab| lab.manifest.timeout_secs = seconds);
    }
    Ok(labs)
}

/// The whole pipeline for one submission: assemble, then build, run and score each lab.
pub fn grade_one(
    course: &Course,
    labs: &[Lab],
    submission: &Submission,
    progress: &Progress,
    isolation: &Isolation,
) -> Result<Report> {
    progress.assembling();
    let workspace = assemble(course, labs, submission)?;
    let mut lab_reports = Vec::new();
    for lab in labs {
        lab_reports.push(grade_lab(
            course,
            &workspace,
            lab,
            progress,
            isolation,
            Snapshots::Verify,
        )?);
    }
    Ok(score::total(lab_reports, isolation))
}

/// Builds, runs and scores one lab of an assembled workspace.
pub fn grade_lab(
    course: &Course,
    workspace: &Workspace,
    lab: &Lab,
    progress: &Progress,
    isolation: &Isolation,
    snapshots: Snapshots,
) -> Result<LabReport> {
    let outcome = match workspace.submitted(lab) {
        Submitted::Missing(why) => LabOutcome::Missing(why.clone()),
        Submitted::Src { ignored_links } => {
            let mut notes: Vec<String> = ignored_links
                .iter()
                .map(|link| {
                    format!(
                        "ignored the symbolic link {} (submit real files)",
                        link.display()
                    )
                })
                .collect();
            match build_lab(course, workspace, lab, progress, isolation)? {
                BuildOutcome::Failed(message) => {
                    notes.push(message);
                    LabOutcome::BuildFailed { notes }
                }
                BuildOutcome::Built(built) => {
                    let run = run_lab(workspace, lab, built, progress, isolation, snapshots)?;
                    LabOutcome::Ran { notes, run }
                }
            }
        }
    };
    Ok(score::score_lab(lab, &outcome))
}
