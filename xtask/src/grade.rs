//! `cargo xtask grade`: the pipeline, stage by stage.
//!
//! ```text
//! submission → assemble → build → run → score → report
//! ```
//!
//! The same path grades this checkout, the reference solutions and a student's submission:
//! only where the `src/` folders come from differs.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

use anyhow::{Result, bail};

use crate::assemble::{Submitted, Workspace, assemble};
use crate::build::{BuildOutcome, BuiltLab, Executable, build_lab};
use crate::course::{Course, HARNESS, Lab, add_hidden_tests};
use crate::progress::Progress;
use crate::report;
use crate::run::{LabView, Snapshots, TestBench, blessed_snapshots};
use crate::sandbox::Isolation;
use crate::score::{self, LabReport, LabStatus, Report, TestReport};
use crate::student::record;
use crate::submission::Submission;
use crate::tamper::Fingerprint;

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

pub struct GradeOptions {
    pub labs: Vec<String>,
    pub solutions: bool,
    pub submission: Option<PathBuf>,
    pub format: OutputFormat,
    pub out: Option<PathBuf>,
    pub min_score: Option<f64>,
    pub test_timeout: Option<u64>,
    pub tests_from: Option<PathBuf>,
    pub unsandboxed: bool,
}

/// Grades and prints the report; the exit code says whether the total reached `--min-score`.
pub fn grade(options: GradeOptions) -> Result<ExitCode> {
    let started = Instant::now();
    let course = Course::locate();
    let submission = match (&options.submission, options.solutions) {
        (Some(dir), _) => Submission::folder(dir)?,
        (None, true) => Submission::solutions(&course),
        (None, false) => Submission::checkout(&course),
    };
    let labs = select_labs(
        &course,
        &options.labs,
        options.test_timeout,
        options.tests_from.as_deref(),
    )?;

    let stdout_is_terminal = std::io::stdout().is_terminal();
    let progress = Progress::new(options.format == OutputFormat::Human && stdout_is_terminal);
    console::set_colors_enabled(stdout_is_terminal && std::env::var_os("NO_COLOR").is_none());

    // A student grading their own work: remember the grade for `cargo xtask list`.
    let grading_this_checkout = options.submission.is_none() && !options.solutions;
    let sources = if grading_this_checkout {
        record::sources_before_grading(&labs)
    } else {
        Vec::new()
    };
    let isolation = Isolation::probe(options.unsandboxed);
    if options.submission.is_some() {
        isolation.require_wall()?;
    }
    let report = grade_one(&course, &labs, &submission, &progress, &isolation)?;
    progress.finish();
    record::remember(&course, &report.labs, &sources);

    match options.format {
        OutputFormat::Human => print!("{}", report::to_human(&report, &submission.label)),
        OutputFormat::Json => println!("{}", report::to_json(&report)),
        OutputFormat::Gradescope => {
            println!(
                "{}",
                report::to_gradescope(&report, started.elapsed().as_secs())
            )
        }
        OutputFormat::Junit => print!("{}", report::to_junit(&report)),
    }
    // After printing: a bad --out path must not cost the report itself.
    if let Some(path) = &options.out {
        report::write_json(&report, path)?;
    }
    let below_minimum = options
        .min_score
        .is_some_and(|minimum| report.percent() < minimum);
    Ok(if below_minimum {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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
    let ignored_links = match workspace.submitted(lab) {
        Submitted::Missing(why) => {
            let tests = all_not_run(lab, why);
            return Ok(score::score_lab(
                lab,
                LabStatus::Missing,
                why.clone(),
                tests,
            ));
        }
        Submitted::Src { ignored_links } => ignored_links,
    };
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
            let tests = all_not_run(lab, "the lab did not compile");
            Ok(score::score_lab(
                lab,
                LabStatus::BuildError,
                notes.join("\n"),
                tests,
            ))
        }
        BuildOutcome::Built(built) => {
            let (tests, run_notes) =
                run_lab(workspace, lab, built, progress, isolation, snapshots)?;
            notes.extend(run_notes);
            Ok(score::score_lab(
                lab,
                LabStatus::Graded,
                notes.join("\n"),
                tests,
            ))
        }
    }
}

/// Every test `lab.toml` lists, none of them run.
fn all_not_run(lab: &Lab, reason: &str) -> Vec<TestReport> {
    lab.manifest
        .tests
        .keys()
        .map(|name| score::not_run(lab, name, reason))
        .collect()
}

/// One test to run: which executable, libtest's name for it, and the name the report uses.
struct Job<'a> {
    executable: &'a Executable,
    libtest_name: String,
    report_name: String,
}

/// Runs every test of a lab, as many at once as the machine has cores.
fn run_lab(
    workspace: &Workspace,
    lab: &Lab,
    built: BuiltLab,
    progress: &Progress,
    isolation: &Isolation,
    snapshots: Snapshots,
) -> Result<(Vec<TestReport>, Vec<String>)> {
    let lab_dir = workspace.lab_dir(lab);
    // Read before any of the submission's code runs, and never shown to it.
    let blessed = blessed_snapshots(&lab_dir);
    let bench = TestBench {
        lab_id: lab.id.clone(),
        view: LabView::stage(lab, &lab_dir, built)?,
        lab_dir,
        timeout: lab.manifest.test_timeout(),
        snapshots,
        isolation,
    };

    // Everything a test could rewrite to change its own verdict, fingerprinted before any
    // of the submission's code runs and compared afterwards (the sandbox keeps it out of
    // reach; this catches what a machine without the sandbox lets through).
    let mut watched = vec![
        bench.lab_dir.clone(),
        workspace.root().join("bin").join(&lab.id),
        lab.dir.clone(),
        // The shared test harness, as assembled and in the course (beside the lab).
        workspace.harness_dir(),
        lab.dir.with_file_name(HARNESS),
    ];
    watched.extend(lab.hidden.iter().map(|hidden| hidden.tests_dir.clone()));
    let before = Fingerprint::of(&watched);

    let mut jobs = Vec::new();
    let mut notes = Vec::new();
    for (serial, executable) in bench.view.tests.iter().enumerate() {
        match bench.list_tests(executable, serial) {
            Ok(names) => jobs.extend(names.into_iter().map(|name| Job {
                report_name: format!("{}::{name}", executable.name),
                libtest_name: name,
                executable,
            })),
            Err(error) => notes.push(format!("{error:#}")),
        }
    }

    let judged_against = (snapshots == Snapshots::Verify).then_some(&blessed);
    let mut tests = run_in_parallel(&bench, lab, &jobs, judged_against, progress);
    for name in lab.manifest.tests.keys() {
        if !jobs.iter().any(|job| &job.report_name == name) {
            let reason = "lab.toml lists this test, but the lab's test executables do not have it";
            tests.push(score::not_run(lab, name, reason));
        }
    }
    tests.sort_by_cached_key(|test| lab.manifest.report_order(&test.name));

    let changes = before.changes(&Fingerprint::of(&watched), workspace.root());
    if snapshots == Snapshots::Verify && !changes.is_empty() {
        notes.push(format!(
            "the lab's grading files changed while its tests ran, so none of its tests count: {}",
            changes.join(", ")
        ));
        tests.iter_mut().for_each(score::mark_tampered);
    }
    Ok((tests, notes))
}

fn run_in_parallel(
    bench: &TestBench,
    lab: &Lab,
    jobs: &[Job],
    blessed: Option<&BTreeMap<String, String>>,
    progress: &Progress,
) -> Vec<TestReport> {
    let workers = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let results: Mutex<Vec<TestReport>> = Mutex::new(Vec::with_capacity(jobs.len()));
    let lab_deadline = Instant::now() + lab.manifest.lab_timeout();
    // Run folders of the listing runs come first.
    let first_serial = bench.view.tests.len();
    progress.running(&lab.id, 0, jobs.len());
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(index) else { break };
                    let report = if Instant::now() >= lab_deadline {
                        score::lab_out_of_time(lab, &job.report_name)
                    } else {
                        let serial = first_serial + index;
                        match bench.run_test(job.executable, &job.libtest_name, serial) {
                            Ok(observation) => {
                                score::score_test(lab, &job.report_name, &observation, blessed)
                            }
                            Err(error) => {
                                score::not_run(lab, &job.report_name, &format!("{error:#}"))
                            }
                        }
                    };
                    results
                        .lock()
                        .expect("no worker panics while holding the lock")
                        .push(report);
                    let done = finished.fetch_add(1, Ordering::SeqCst) + 1;
                    progress.running(&lab.id, done, jobs.len());
                }
            });
        }
    });
    results.into_inner().expect("the workers have finished")
}
