//! `cargo xtask verify [LAB...]`: is the course ready to ship?
//!
//! A lab is ready when a student can learn from it and the grade means something:
//!
//! - its chapter exists and is in `SUMMARY.md`, with `## Grading` (a table that gives every
//!   test of `lab.toml` with the same points), `## Hints` and `## Further reading`;
//! - `lab.toml` has at least two progressive hints, and every test has points;
//! - `stub.lock` records the stub as it is (or `reset` would restore something else);
//! - every test takes at least one snapshot, and every snapshot belongs to a test: a test
//!   that only asserts can be passed by code that forges libtest's completion record (see
//!   `score`), and a snapshot no test takes is never checked;
//! - the reference solution earns full marks, so the tests can be passed;
//! - the stub compiles and earns nothing, so no test passes without the student's work.
//!
//! The last two run the real grading pipeline on `solutions/` and on `labs/`, as a user would.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

use crate::author::stub::SourceFiles;
use crate::book::chapters::{Chapter, book_problems};
use crate::course::{Course, Lab};
use crate::pipeline::budget::Budget;
use crate::pipeline::progress::Progress;
use crate::pipeline::report::points;
use crate::pipeline::report::schema::{LabReport, LabStatus, TestStatus};
use crate::pipeline::score::snapshot_belongs_to;
use crate::pipeline::submission::Submission;
use crate::pipeline::{Resources, grade_one, select_labs};
use crate::sandbox::Isolation;

/// The sections every lab chapter has, besides its own.
const REQUIRED_SECTIONS: [&str; 3] = ["Grading", "Hints", "Further reading"];

/// The fewest hints a lab may have: one nudge and one nearer the answer.
const FEWEST_HINTS: usize = 2;

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// Labs to verify: "01", "01-ports" or "ports" (default: all labs).
    #[arg(value_name = "LAB")]
    labs: Vec<String>,

    /// Also verify the instructor's hidden tests in DIR (see `grade --tests-from`).
    #[arg(long, value_name = "DIR")]
    tests_from: Option<PathBuf>,
}

impl VerifyArgs {
    pub fn run(self) -> Result<ExitCode> {
        verify(&self.labs, self.tests_from.as_deref())
    }
}

fn verify(names: &[String], tests_from: Option<&Path>) -> Result<ExitCode> {
    let course = Course::locate();
    let labs = select_labs(&course, names, None, tests_from)?;

    let mut problems: Vec<String> = book_problems(&course, &labs, &course.labs()?)?;
    for lab in &labs {
        problems.extend(static_problems(&course, lab));
        problems.extend(snapshot_problems(lab));
        match crate::author::generate::stub_differences(&course, lab) {
            Ok(differences) => problems.extend(differences),
            Err(error) => problems.push(format!("{error:#}")),
        }
    }

    let progress = Progress::new(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let isolation = Isolation::probe(false);
    let budget = Budget::for_this_machine()?;
    // No reruns: a test of the reference solution that passes only sometimes is a defect.
    let resources = Resources::first_slot(&course, &isolation, &budget);
    let solved = grade_one(
        &course,
        &labs,
        &Submission::solutions(&course),
        &progress,
        &resources,
    )?
    .report;
    let started = grade_one(
        &course,
        &labs,
        &Submission::checkout(&course),
        &progress,
        &resources,
    )?
    .report;
    progress.finish();
    for ((lab, solution), stub) in labs.iter().zip(&solved.labs).zip(&started.labs) {
        let mut found = solution_problems(lab, solution);
        found.extend(stub_problems(lab, stub));
        let share = crate::author::generate::student_share(&course, lab)?;
        if share.percent() < crate::author::generate::MIN_STUDENT_SHARE {
            found.push(format!(
                "{}: the student writes {:.0}% of the solution's code, below the {:.0}% floor, so the stub dictates the answer; mark more of solutions/{}/src with BEGIN SOLUTION … END SOLUTION and run `cargo xtask bless {} --stubs`",
                lab.id,
                share.percent(),
                crate::author::generate::MIN_STUDENT_SHARE,
                lab.id,
                lab.id
            ));
        }
        println!(
            "{:16} solution {}/{}, stub {}/{}, the student writes {:.0}% of the code{}",
            lab.id,
            points(solution.score),
            points(solution.max_score),
            points(stub.score),
            points(stub.max_score),
            share.percent(),
            if found.is_empty() { "" } else { "  ✗" }
        );
        problems.extend(found);
    }

    if problems.is_empty() {
        println!("verify: {} labs ready", labs.len());
        return Ok(ExitCode::SUCCESS);
    }
    println!();
    for problem in &problems {
        println!("- {problem}");
    }
    println!("verify: {} problem(s) to fix", problems.len());
    Ok(ExitCode::from(1))
}

/// Tests that take no snapshot (their points could be forged), and snapshots that belong to
/// no test (they would never be checked).
fn snapshot_problems(lab: &Lab) -> Vec<String> {
    let mut folders = vec![lab.dir.join("tests").join("snapshots")];
    folders.extend(
        lab.hidden
            .iter()
            .map(|hidden| hidden.tests_dir.join("snapshots")),
    );
    let snapshots: Vec<String> = folders
        .iter()
        .flat_map(|folder| std::fs::read_dir(folder).into_iter().flatten().flatten())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".snap"))
        .collect();
    let mut problems = Vec::new();
    for test in lab.manifest.tests.keys() {
        if snapshots
            .iter()
            .any(|snapshot| snapshot_belongs_to(snapshot, test))
        {
            continue;
        }
        let whose = if lab.is_hidden(test) {
            "the hidden test"
        } else {
            "the test"
        };
        problems.push(format!(
            "{}: {whose} `{test}` takes no snapshot, so code that forges libtest's completion record gets its points: \
             end it with an insta::assert_snapshot! of what the lab's code returned, then `cargo xtask bless {}`",
            lab.id,
            lab.number()
        ));
    }
    for snapshot in &snapshots {
        if !lab
            .manifest
            .tests
            .keys()
            .any(|test| snapshot_belongs_to(snapshot, test))
        {
            problems.push(format!(
                "{}: the snapshot {snapshot} belongs to no test of lab.toml, so it is never checked: \
                 name snapshots after their test (insta's default) or remove it with `cargo xtask bless {}`",
                lab.id,
                lab.number()
            ));
        }
    }
    problems
}

/// What can be checked without building anything.
fn static_problems(course: &Course, lab: &Lab) -> Vec<String> {
    let mut problems = Vec::new();
    let manifest = &lab.manifest;
    if manifest.hints.len() < FEWEST_HINTS {
        problems.push(format!(
            "labs/{}/lab.toml has {} hint(s): give `hints = [...]` at least {FEWEST_HINTS}, from a nudge to nearly the answer",
            lab.id,
            manifest.hints.len()
        ));
    }
    for (test, entry) in &manifest.tests {
        if entry.points <= 0.0 || !entry.points.is_finite() {
            problems.push(format!(
                "labs/{}/lab.toml gives `{test}` {} points: every test is worth more than 0",
                lab.id, entry.points
            ));
        }
    }
    match SourceFiles::recorded(lab) {
        Err(error) => problems.push(format!("{error:#}")),
        Ok(recorded) => {
            let now = SourceFiles::of(&lab.src_dir());
            if now.ok().as_ref() != Some(&recorded) {
                problems.push(format!(
                    "labs/{}/stub.lock does not record labs/{}/src as it is: run `cargo xtask bless {}`",
                    lab.id,
                    lab.id,
                    lab.number()
                ));
            }
        }
    }
    if let Ok(chapter) = Chapter::of(course, lab) {
        problems.extend(chapter_problems(lab, &chapter));
    }
    problems
}

/// The chapter's required sections, and its grading table against `lab.toml`.
fn chapter_problems(lab: &Lab, chapter: &Chapter) -> Vec<String> {
    let mut problems = Vec::new();
    let sections = chapter.sections();
    for required in REQUIRED_SECTIONS {
        if !sections.contains(&required) {
            problems.push(format!("{} has no `## {required}` section", chapter.name));
        }
    }
    let table = chapter.grading_table();
    for (test, entry) in &lab.manifest.tests {
        match table.rows.iter().find(|(row, _)| row == test) {
            None => problems.push(format!(
                "{}'s grading table does not list `{test}` ({} points in lab.toml)",
                chapter.name,
                points(entry.points)
            )),
            Some((_, written)) if *written != Some(entry.points) => problems.push(format!(
                "{}'s grading table gives `{test}` {}, lab.toml gives {} points",
                chapter.name,
                written.map_or("no number".to_string(), points),
                points(entry.points)
            )),
            Some(_) => {}
        }
    }
    for (row, _) in &table.rows {
        if !lab.manifest.tests.contains_key(row) {
            problems.push(format!(
                "{}'s grading table lists `{row}`, which labs/{}/lab.toml does not",
                chapter.name, lab.id
            ));
        }
    }
    let total = lab.manifest.total_points();
    match table.total {
        Some(written) if written == total => {}
        Some(written) => problems.push(format!(
            "{}'s grading table gives a total of {}; the tests of lab.toml add up to {}",
            chapter.name,
            points(written),
            points(total)
        )),
        None => problems.push(format!(
            "{}'s grading table needs a `| **Total** | | **{}** |` row",
            chapter.name,
            points(total)
        )),
    }
    problems
}

/// The reference solution must pass every test, and every test must be in `lab.toml`.
fn solution_problems(lab: &Lab, solution: &LabReport) -> Vec<String> {
    let mut problems = Vec::new();
    if solution.status != LabStatus::Graded {
        problems.push(format!(
            "solutions/{}: {}",
            lab.id,
            first_line(&solution.message)
        ));
        return problems;
    }
    for test in &solution.tests {
        if !lab.manifest.tests.contains_key(&test.name) {
            problems.push(format!(
                "labs/{}: the test `{}` is not in lab.toml, so it has no points of its own: add `[tests.\"{}\"]` with points and a hint",
                lab.id, test.name, test.name
            ));
        }
        if test.status != TestStatus::Passed {
            problems.push(format!(
                "solutions/{}: the reference solution fails `{}`: {}",
                lab.id,
                test.name,
                first_line(&test.output)
            ));
        }
    }
    problems
}

/// The stub must compile, and no test may pass before the student has written anything.
fn stub_problems(lab: &Lab, stub: &LabReport) -> Vec<String> {
    if stub.status != LabStatus::Graded {
        return vec![format!(
            "labs/{}: the stub must compile, so a student starts from failing tests, not a compiler error: {}",
            lab.id,
            first_line(&stub.message)
        )];
    }
    stub.tests
        .iter()
        .filter(|test| test.status == TestStatus::Passed)
        .map(|test| {
            format!(
                "labs/{}: `{}` passes on the stub, before any work: it checks nothing the student writes",
                lab.id, test.name
            )
        })
        .collect()
}

fn first_line(text: &str) -> &str {
    text.lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("(no message)")
}
