//! What changed when a class was graded again.
//!
//! Before a student is graded again — because the labs, the hidden tests or the grader changed
//! (their `key` no longer matches), or their submission did, or `--force` — the report they
//! had is moved to `OUT/<student>/previous/` with its key. `changes.csv` then compares, for
//! every student, that previous report with the current one, test by test:
//!
//! ```text
//! student,lab,test,old,new,why
//! alice,01-ports,hidden_ranges::rejects_port_zero,,2,the tests, the labs or the grader changed
//! ```
//!
//! A row is a test whose points differ. `old` is blank for a test the student's previous grade
//! did not have (a hidden test added since), `new` is blank for one that is gone; a test that is
//! missing on one side counts as 0 points there, so a hidden test added since that the student
//! fails is not a change of their score (only of the lab's maximum, which the gradebook shows).
//! `why` reads the two keys: what changed on the grader's side, on the student's, or both.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::summary::{
    ClassManifest, Standing, StudentRow, csv_writer, finish, format_points, student_dir,
};
use crate::files::write_atomically;
use crate::pipeline::report::schema::Report;

/// The folder of a student's previous grade.
pub fn previous_dir(student_dir: &Path) -> PathBuf {
    student_dir.join("previous")
}

/// Keeps a student's finished grade as their previous one, before they are graded again.
/// Nothing happens to a grade that was never finished (no `key`): the previous grade that is
/// there, if any, is still the one before.
pub fn keep_as_previous(student_dir: &Path) -> Result<()> {
    let key = student_dir.join("key");
    let report = student_dir.join("report.json");
    if !key.is_file() || !report.is_file() {
        return Ok(());
    }
    let previous = previous_dir(student_dir);
    let _ = fs::remove_dir_all(&previous);
    fs::create_dir_all(&previous)?;
    // The report first, the key last: a previous/ with a key holds a whole grade.
    fs::rename(&report, previous.join("report.json"))?;
    fs::rename(&key, previous.join("key"))?;
    Ok(())
}

/// Writes `changes.csv`; returns how many students it lists.
pub fn write(out_dir: &Path, manifest: &ClassManifest, rows: &[StudentRow]) -> Result<usize> {
    let mut changes = csv_writer();
    changes.write_record(["student", "lab", "test", "old", "new", "why"])?;
    let mut students = 0;
    for row in rows {
        let dir = student_dir(out_dir, &row.id);
        let previous = previous_dir(&dir);
        let Ok(before) = Report::read(&previous.join("report.json")) else {
            continue;
        };
        let why = why(
            fs::read_to_string(previous.join("key")).ok().as_deref(),
            fs::read_to_string(dir.join("key")).ok().as_deref(),
            &row.standing,
        );
        let lines = changed_tests(manifest, &before, &row.standing);
        if !lines.is_empty() {
            students += 1;
        }
        for (lab, test, old, new) in lines {
            let shown = |points: Option<f64>| points.map(format_points).unwrap_or_default();
            changes.write_record([&row.id, &lab, &test, &shown(old), &shown(new), &why])?;
        }
    }
    write_atomically(&out_dir.join("changes.csv"), &finish(changes)?)?;
    Ok(students)
}

/// Every test whose points differ between two grades: `(lab, test, old, new)`, labs in the
/// gradebook's order, tests in name order.
fn changed_tests(
    manifest: &ClassManifest,
    before: &Report,
    now: &Standing,
) -> Vec<(String, String, Option<f64>, Option<f64>)> {
    let points_in = |report: &Report, lab: &str, test: &str| {
        report
            .labs
            .iter()
            .find(|graded| graded.id == lab)
            .and_then(|graded| graded.tests.iter().find(|t| t.name == test))
            .map(|t| t.score)
    };
    let mut labs: Vec<String> = manifest.labs.iter().map(|lab| lab.id.clone()).collect();
    for lab in &before.labs {
        if !labs.contains(&lab.id) {
            labs.push(lab.id.clone());
        }
    }
    let mut changed = Vec::new();
    for lab in labs {
        let mut tests = BTreeSet::new();
        let mut add_tests = |report: &Report| {
            for graded in report.labs.iter().filter(|graded| graded.id == lab) {
                tests.extend(graded.tests.iter().map(|test| test.name.clone()));
            }
        };
        add_tests(before);
        if let Standing::Graded(report) = now {
            add_tests(report);
        }
        for test in tests {
            let old = points_in(before, &lab, &test);
            let new = match now {
                Standing::Graded(report) => points_in(report, &lab, &test),
                // A submission that is no longer valid scores nothing.
                _ => Some(0.0),
            };
            if old.unwrap_or(0.0) != new.unwrap_or(0.0) {
                changed.push((lab.clone(), test, old, new));
            }
        }
    }
    changed
}

/// Why a student was graded again, from the keys of the two grades (`<grader>-<submission>`).
fn why(before: Option<&str>, now: Option<&str>, standing: &Standing) -> String {
    if let Standing::Invalid(reason) = standing {
        return format!("the submission is no longer valid: {reason}");
    }
    why_graded_again(before, now)
}

/// Why a student's grade with the key `before` was replaced by one with the key `now`.
pub fn why_graded_again(before: Option<&str>, now: Option<&str>) -> String {
    let split = |key: Option<&str>| {
        key.and_then(|key| key.split_once('-'))
            .map(|(grader, submission)| (grader.to_string(), submission.to_string()))
    };
    match (split(before), split(now)) {
        (Some((old_grader, old_submission)), Some((grader, submission))) => {
            match (old_grader != grader, old_submission != submission) {
                (true, true) => {
                    "the tests, the labs or the grader changed, and so did the submission"
                }
                (true, false) => "the tests, the labs or the grader changed",
                (false, true) => "the submission changed",
                (false, false) => "graded again with --force",
            }
            .to_string()
        }
        _ => "graded again".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_tell_which_side_changed() {
        let graded = Standing::NoSubmission;
        assert_eq!(
            why(Some("aa-11"), Some("bb-11"), &graded),
            "the tests, the labs or the grader changed"
        );
        assert_eq!(
            why(Some("aa-11"), Some("aa-22"), &graded),
            "the submission changed"
        );
        assert!(why(Some("aa-11"), Some("bb-22"), &graded).contains("and so did"));
        assert_eq!(
            why(Some("aa-11"), None, &Standing::Invalid("empty".into())),
            "the submission is no longer valid: empty"
        );
    }

    #[test]
    fn a_previous_grade_is_kept_only_when_it_was_finished() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("report.json"), "old report").unwrap();
        keep_as_previous(dir.path()).unwrap();
        assert!(
            !previous_dir(dir.path()).exists(),
            "no key: the grade was never finished"
        );

        fs::write(dir.path().join("key"), "aa-11").unwrap();
        keep_as_previous(dir.path()).unwrap();
        let previous = previous_dir(dir.path());
        assert_eq!(
            fs::read_to_string(previous.join("report.json")).unwrap(),
            "old report"
        );
        assert_eq!(fs::read_to_string(previous.join("key")).unwrap(), "aa-11");
        assert!(!dir.path().join("key").exists() && !dir.path().join("report.json").exists());
    }
}
