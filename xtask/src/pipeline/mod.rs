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

/// The tokens every build and test of a run share, so the machine is never oversubscribed.
pub mod budget;

use std::path::Path;

use anyhow::{Result, bail};

use crate::course::{Course, Lab, add_hidden_tests};
use crate::layout::{BuildSlot, GradeFolders};
use crate::sandbox::Isolation;
use assemble::{Submitted, Workspace, assemble};
use budget::Budget;
use build::{BuildOutcome, BuildTimings, build_lab};
use progress::Progress;
use report::schema::{LabReport, Report};
use run::{Snapshots, run_lab};
use score::LabOutcome;
use submission::Submission;

/// This grader, as what it is rather than where or when it was built: its version and the
/// SHA-256 of its executable, read once per run. The build cache and a class's key (which
/// `gradebook merge` compares across shards) depend on it, so a grader built again from the
/// same source on another machine — a CI runner of a shard — is the same grader.
pub fn grader_identity() -> &'static str {
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(|| {
        use sha2::{Digest, Sha256};
        let mut digest = Sha256::new();
        let read = std::env::current_exe()
            .and_then(std::fs::File::open)
            .and_then(|mut exe| std::io::copy(&mut exe, &mut digest));
        if let Err(error) = read {
            // Unreadable: then only this very process is known to be this grader.
            digest.update(format!("unreadable: {error} {}", std::process::id()));
        }
        let hex: String = digest
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        format!("{} {hex}", env!("CARGO_PKG_VERSION"))
    })
}

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

/// What one grading run may use of the machine: the walls around each test, its share of the
/// cores, the build folder it builds in, and how often a failed test is run again.
pub struct Resources<'a> {
    pub isolation: &'a Isolation,
    pub budget: &'a Budget,
    pub slot: BuildSlot,
    /// How many times a test that failed (not one that timed out) runs again; a pass on a
    /// rerun counts, and the test is reported flaky.
    pub retries: u32,
}

impl<'a> Resources<'a> {
    /// Build slot 0 of this course, and no reruns: what the authors' tools use.
    pub fn first_slot(course: &Course, isolation: &'a Isolation, budget: &'a Budget) -> Self {
        Resources {
            isolation,
            budget,
            slot: GradeFolders::of(course).slot(0),
            retries: 0,
        }
    }
}

/// How many labs of one submission may be running their tests at once (each with its own
/// view of the lab and its executables staged on disk).
pub const LABS_IN_FLIGHT: usize = 2;

/// A graded submission: its report, and what each lab's build and run took.
pub struct Graded {
    pub report: Report,
    pub timings: Vec<LabTimings>,
}

/// How long one lab took, stage by stage (all zero for a lab that was not built).
#[derive(Debug, Clone, Default)]
pub struct LabTimings {
    pub lab: String,
    pub build: BuildTimings,
    pub run: std::time::Duration,
}

/// The whole pipeline for one submission: assemble, then build, run and score each lab.
///
/// The labs build one after another (they share the build slot) while the tests of the lab
/// built before run beside them, so a lab's build overlaps the tests of the one before; at
/// most [`LABS_IN_FLIGHT`] labs of a submission are running their tests at once.
pub fn grade_one(
    course: &Course,
    labs: &[Lab],
    submission: &Submission,
    progress: &Progress,
    resources: &Resources,
) -> Result<Graded> {
    progress.assembling();
    let workspace = assemble(course, labs, submission)?;
    let graded: Vec<(LabReport, LabTimings)> = std::thread::scope(|scope| {
        let mut running = std::collections::VecDeque::new();
        let mut graded = Vec::new();
        for lab in labs {
            let ready = build_stage(course, &workspace, lab, progress, resources)?;
            if running.len() == LABS_IN_FLIGHT {
                let oldest: std::thread::ScopedJoinHandle<_> =
                    running.pop_front().expect("the queue is full");
                graded.push(oldest.join().expect("a lab's run does not panic")?);
            }
            let workspace = &workspace;
            running.push_back(scope.spawn(move || {
                run_stage(
                    workspace,
                    lab,
                    ready,
                    progress,
                    resources,
                    Snapshots::Verify,
                )
            }));
        }
        for lab in running {
            graded.push(lab.join().expect("a lab's run does not panic")?);
        }
        anyhow::Ok(graded)
    })?;
    let (lab_reports, timings) = graded.into_iter().unzip();
    Ok(Graded {
        report: score::total(lab_reports, resources.isolation),
        timings,
    })
}

/// Builds, runs and scores one lab of an assembled workspace.
pub fn grade_lab(
    course: &Course,
    workspace: &Workspace,
    lab: &Lab,
    progress: &Progress,
    resources: &Resources,
    snapshots: Snapshots,
) -> Result<(LabReport, LabTimings)> {
    let ready = build_stage(course, workspace, lab, progress, resources)?;
    run_stage(workspace, lab, ready, progress, resources, snapshots)
}

/// A lab after its build: what there is to run, or why there is nothing.
struct Ready {
    outcome: std::result::Result<(Vec<String>, build::BuiltLab), LabOutcome>,
    timings: LabTimings,
}

/// Stage 3 for one lab: what it has to build, built.
fn build_stage(
    course: &Course,
    workspace: &Workspace,
    lab: &Lab,
    progress: &Progress,
    resources: &Resources,
) -> Result<Ready> {
    let mut timings = LabTimings {
        lab: lab.id.clone(),
        ..LabTimings::default()
    };
    let outcome = match workspace.submitted(lab) {
        Submitted::Missing(why) => Err(LabOutcome::Missing(why.clone())),
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
            let (built, build_timings) = build_lab(course, workspace, lab, progress, resources)?;
            timings.build = build_timings;
            match built {
                BuildOutcome::Failed(message) => {
                    notes.push(message);
                    Err(LabOutcome::BuildFailed { notes })
                }
                BuildOutcome::Built(built) => Ok((notes, built)),
            }
        }
    };
    Ok(Ready { outcome, timings })
}

/// Stages 4 and 5 for one lab: its tests run (if it built), then scored.
fn run_stage(
    workspace: &Workspace,
    lab: &Lab,
    ready: Ready,
    progress: &Progress,
    resources: &Resources,
    snapshots: Snapshots,
) -> Result<(LabReport, LabTimings)> {
    let Ready {
        outcome,
        mut timings,
    } = ready;
    let outcome = match outcome {
        Err(outcome) => outcome,
        Ok((notes, built)) => {
            let started = std::time::Instant::now();
            let run = run_lab(workspace, lab, built, progress, resources, snapshots)?;
            timings.run = started.elapsed();
            LabOutcome::Ran { notes, run }
        }
    };
    Ok((score::score_lab(lab, &outcome), timings))
}
