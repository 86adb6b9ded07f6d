//! `cargo xtask grade`: grade one submission and print its report, or a whole class.
//!
//! This file owns the command's flags and what it prints; the work is the pipeline's
//! (`pipeline/`: submission → assemble → build → run → score → report). With
//! `--submissions`, the class flags (`class.rs`) take over.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use crate::class::ClassArgs;
use crate::course::Course;
use crate::pipeline::budget::{Budget, machine_jobs};
use crate::pipeline::progress::Progress;
use crate::pipeline::report::{self, Layout, OutputFormat, TestOrder};
use crate::pipeline::submission::Submission;
use crate::pipeline::{Resources, grade_one, select_labs};
use crate::sandbox::Isolation;
use crate::student::record;

const GRADE_EXAMPLES: &str = "\
Examples:
  cargo xtask grade                          grade every lab in this checkout's labs/
  cargo xtask grade 01                       grade lab 01 only (also: 01-ports, ports)
  cargo xtask grade --solutions              grade the reference solutions (full marks)
  cargo xtask grade --submission ~/alice     grade a student's copy of the repository
  cargo xtask grade --format json --out report.json --min-score 100
  cargo xtask grade --submissions class/ --out-dir results/   grade a class: a gradebook and a report per student
  cargo xtask grade --submissions class/ --out-dir shard-2/ --shard 2/3   one third of the class (merge: cargo xtask gradebook merge)
  cargo xtask grade --submission ~/alice --tests-from hidden/  add the instructor's hidden tests";

#[derive(clap::Args)]
#[command(after_help = GRADE_EXAMPLES)]
pub struct GradeArgs {
    /// Labs to grade: "01", "01-ports" or "ports" (default: all labs).
    #[arg(value_name = "LAB")]
    labs: Vec<String>,

    /// Grade the reference solutions in solutions/ instead of labs/.
    #[arg(long, conflicts_with = "submission")]
    solutions: bool,

    /// Grade a student's copy of the repository: a folder holding labs/, or a .zip or
    /// .tar.gz of one.
    #[arg(long, value_name = "DIR|ARCHIVE")]
    submission: Option<PathBuf>,

    /// What goes to standard output.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,

    /// Show every lab and every failing test in full. Without it, grading your labs shows the
    /// lab to work on in full (its first 3 failures), every other lab in one line, and a
    /// `Next:` line.
    #[arg(long)]
    all: bool,

    /// Also write the JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Exit with status 1 when the total score is below PCT percent (for CI).
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    min_score: Option<f64>,

    /// Time limit for each test, in seconds, instead of each lab.toml's `timeout_secs`
    /// (stricter for an exam, more lenient for a slow machine).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    test_timeout: Option<u64>,

    /// Add the instructor's hidden tests: DIR mirrors labs/ (DIR/NN-name/tests/*.rs with their
    /// snapshots, and DIR/NN-name/lab.toml listing them with their points).
    #[arg(long, value_name = "DIR")]
    tests_from: Option<PathBuf>,

    /// How much runs at once: N tokens shared by every build and test (cargo's jobserver),
    /// and, for a class, N students graded side by side (default: this machine's cores + 1).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    jobs: Option<u32>,

    /// Run a test that failed (not one that timed out) again, up to N times: a pass on a
    /// rerun counts, and the report marks the test flaky.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_RETRIES, value_parser = clap::value_parser!(u32).range(0..=5))]
    retries: u32,

    /// Run the tests without the sandbox (bubblewrap), as the grader's own user: only on a
    /// machine you can throw away. Without it, grading a submission where no sandbox can be
    /// built is refused.
    #[arg(long)]
    unsandboxed: bool,

    /// Grading a whole class (--submissions, --out-dir, --force); last, under its own heading.
    #[command(flatten)]
    class: ClassArgs,
}

impl GradeArgs {
    pub fn run(self) -> Result<ExitCode> {
        if let Some(class) = self.class.requested() {
            return crate::class::grade_class(class, &self.labs, self.grading());
        }
        let result = grade_submission(&self);
        // Gradescope shows a student nothing useful when results.json is missing: an error
        // goes there too, as the reason for a score of 0.
        if let Err(error) = &result
            && self.format == OutputFormat::Gradescope
        {
            println!("{}", report::gradescope_error(&format!("{error:#}")));
        }
        result
    }

    /// The flags that say how to grade, whoever is graded.
    fn grading(&self) -> Grading {
        Grading {
            test_timeout: self.test_timeout,
            tests_from: self.tests_from.clone(),
            unsandboxed: self.unsandboxed,
            jobs: self.jobs.map_or_else(machine_jobs, |jobs| jobs as usize),
            retries: self.retries,
        }
    }
}

/// How often a failed test runs again, unless `--retries` says otherwise.
pub const DEFAULT_RETRIES: u32 = 1;

/// How to grade, shared by one submission and a class.
pub struct Grading {
    pub test_timeout: Option<u64>,
    pub tests_from: Option<PathBuf>,
    pub unsandboxed: bool,
    /// The budget's tokens, and how many students of a class are graded at once.
    pub jobs: usize,
    pub retries: u32,
}

fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(pct) if (0.0..=100.0).contains(&pct) => Ok(pct),
        _ => Err(format!("expected a percentage from 0 to 100, got {text:?}")),
    }
}

/// Grades and prints the report; the exit code says whether the total reached `--min-score`.
fn grade_submission(options: &GradeArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let course = Course::locate();
    let submission = match (&options.submission, options.solutions) {
        (Some(path), _) => Submission::open(path)?,
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
    let grading = options.grading();
    let budget = Budget::new(grading.jobs)?;
    let resources = Resources {
        retries: grading.retries,
        ..Resources::first_slot(&course, &isolation, &budget)
    };
    let report = grade_one(&course, &labs, &submission, &progress, &resources)?.report;
    progress.finish();
    record::remember(&course, &report.labs, &sources);

    // A student reads what fits two screens of their terminal (of 24 rows when it is not
    // one), so that a course of many labs still shows the lab to start with; anyone else (a
    // submission, the solutions, a pipe into a file with --all) gets everything.
    let layout = if grading_this_checkout && !options.all {
        let two_screens = 2 * report::terminal_height().unwrap_or(24);
        Layout::fits_in(
            TestOrder::Course,
            "then run `cargo xtask grade {lab}`",
            Some(two_screens),
        )
    } else {
        Layout {
            width: report::terminal_width().filter(|_| stdout_is_terminal),
            ..Layout::everything()
        }
    };
    print!(
        "{}",
        report::render(
            &report,
            options.format,
            &submission.label,
            started.elapsed().as_secs(),
            &layout,
        )
    );
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
