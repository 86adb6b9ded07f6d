//! What the loop remembers: each lab's last grade, kept in `target/student/grades/NN-name.json`.
//!
//! `cargo xtask grade` (of this checkout) and `cargo xtask watch` write one record per lab
//! they grade; `cargo xtask list` reads them. A record keeps the git blob id of every file of
//! `src/` as it was graded, so `list` can tell when the code changed after its last grade.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::author::stub::SourceFiles;
use crate::course::{Course, Lab};
use crate::files::write_atomically;
use crate::layout::StudentFolders;
use crate::pipeline::report::schema::{LabReport, LabStatus, TestStatus};

/// One lab's last grade.
#[derive(Debug, Serialize, Deserialize)]
pub struct LabRecord {
    pub lab: String,
    /// As in the JSON report: `graded`, `build_error` or `missing`.
    pub status: LabStatus,
    pub score: f64,
    pub max_score: f64,
    pub tests: usize,
    /// The tests that did not pass, in report order.
    pub failing: Vec<String>,
    /// When it was graded, in seconds since 1970.
    pub graded_at: u64,
    /// The files of `src/` as graded, by path, with their git blob ids.
    pub src: BTreeMap<String, String>,
}

impl LabRecord {
    pub fn is_full_marks(&self) -> bool {
        self.status == LabStatus::Graded && self.failing.is_empty() && self.score >= self.max_score
    }
}

/// The blob ids of the lab's `src/` in this checkout, taken before grading it.
pub fn sources_before_grading(labs: &[Lab]) -> Vec<Option<SourceFiles>> {
    labs.iter()
        .map(|lab| SourceFiles::of(&lab.src_dir()).ok())
        .collect()
}

/// Remembers the grade of each lab of `reports` whose sources were read before grading.
/// A record that cannot be written is reported on stderr: it must not cost the grade.
pub fn remember(course: &Course, reports: &[LabReport], sources: &[Option<SourceFiles>]) {
    for (report, source) in reports.iter().zip(sources) {
        let Some(source) = source else { continue };
        if let Err(error) = save(course, report, source) {
            eprintln!("note: could not remember this grade for `cargo xtask list`: {error:#}");
        }
    }
}

fn save(course: &Course, report: &LabReport, source: &SourceFiles) -> Result<()> {
    let record = LabRecord {
        lab: report.id.clone(),
        status: report.status,
        score: report.score,
        max_score: report.max_score,
        tests: report.tests.len(),
        failing: report
            .tests
            .iter()
            .filter(|test| test.status != TestStatus::Passed)
            .map(|test| test.name.clone())
            .collect(),
        graded_at: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs()),
        src: source.files.clone(),
    };
    let path = record_path(course, &report.id);
    write_atomically(&path, &serde_json::to_string_pretty(&record)?)?;
    Ok(())
}

/// The lab's last grade, if it was ever graded (an unreadable record counts as none).
pub fn last_grade(course: &Course, lab: &Lab) -> Option<LabRecord> {
    let text = fs::read_to_string(record_path(course, &lab.id)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Forgets the lab's last grade (after `reset`).
pub fn forget(course: &Course, lab: &Lab) {
    let _ = fs::remove_file(record_path(course, &lab.id));
}

fn record_path(course: &Course, lab_id: &str) -> PathBuf {
    StudentFolders::of(course).grade_record(lab_id)
}
