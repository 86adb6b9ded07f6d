//! A class's out-dir and the summaries rebuilt from it.
//!
//! ```text
//! OUT/class.json          what this out-dir holds: the class, the labs, the grader, the shard
//! OUT/gradebook.csv       a row per student: total, max, each lab, status
//! OUT/flaky.csv           every test that failed, then passed when run again
//! OUT/timings.csv         each student's labs: cached, compile, tests (compile + link), run
//! OUT/<student>/report.json, report.md, timings.json, key   (or invalid.txt)
//! ```
//!
//! The three CSV files are rebuilt at the end of every run from what each student's folder
//! holds, so they are whole even when a run graded only some students, and so merging the
//! shards' out-dirs (`gradebook merge`) gives the same files as one run.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::files::write_atomically;
use crate::pipeline::LabTimings;
use crate::pipeline::report::schema::{LabStatus, Report};

/// The version of `class.json`'s schema.
const CLASS_VERSION: u32 = 1;

/// `OUT/class.json`: which students this out-dir is responsible for, graded how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassManifest {
    pub version: u32,
    /// Every student of the class folder, in name order, this shard's or not.
    pub class: Vec<String>,
    /// The students this out-dir grades: all of them, or one shard's.
    pub students: Vec<String>,
    /// The graded labs, in order: the gradebook's columns.
    pub labs: Vec<String>,
    /// What the grading depends on from the grader's side (see `class::grader_key`).
    pub grader: String,
    /// This out-dir's shard, 1-based, and how many shards the class was split into.
    pub shard: Shard,
}

/// One of N parts of a class, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Whether the `position`-th student of the class (in name order, from 0) is this
    /// shard's: the students are dealt out in turn, so every shard gets as many as the others,
    /// give or take one.
    pub fn holds(self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl ClassManifest {
    pub fn new(
        class: Vec<String>,
        students: Vec<String>,
        labs: Vec<String>,
        grader: String,
        shard: Shard,
    ) -> Self {
        ClassManifest {
            version: CLASS_VERSION,
            class,
            students,
            labs,
            grader,
            shard,
        }
    }

    pub fn path(out_dir: &Path) -> PathBuf {
        out_dir.join("class.json")
    }

    pub fn write(&self, out_dir: &Path) -> Result<()> {
        write_atomically(
            &Self::path(out_dir),
            &serde_json::to_string_pretty(self).expect("a manifest always serializes"),
        )
    }

    pub fn read(out_dir: &Path) -> Result<ClassManifest> {
        let path = Self::path(out_dir);
        let text = fs::read_to_string(&path).with_context(|| {
            format!(
                "{} is not a class's out-dir: it has no class.json (grade the class with `cargo xtask grade --submissions DIR --out-dir OUT` first)",
                out_dir.display()
            )
        })?;
        let manifest: ClassManifest = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a valid class.json", path.display()))?;
        if manifest.version != CLASS_VERSION {
            anyhow::bail!(
                "{} was written by another version of the grader (class.json version {}, this one reads {CLASS_VERSION}): grade the class again",
                path.display(),
                manifest.version
            );
        }
        Ok(manifest)
    }
}

pub fn student_dir(out_dir: &Path, id: &str) -> PathBuf {
    out_dir.join(id)
}

/// A student's report, if the folder holds a finished grade (its `key` is written last).
pub fn finished_report(out_dir: &Path, id: &str) -> Option<Report> {
    let dir = student_dir(out_dir, id);
    dir.join("key")
        .is_file()
        .then(|| Report::read(&dir.join("report.json")).ok())
        .flatten()
}

/// Writes `timings.json` of a student: how long each lab took.
pub fn write_timings(out_dir: &Path, id: &str, timings: &[LabTimings]) -> Result<()> {
    let rows: Vec<TimingRow> = timings.iter().map(TimingRow::from).collect();
    write_atomically(
        &student_dir(out_dir, id).join("timings.json"),
        &serde_json::to_string_pretty(&rows).expect("timings always serialize"),
    )
}

/// One lab's timings as `timings.json` and `timings.csv` hold them, in seconds.
#[derive(Serialize, Deserialize)]
struct TimingRow {
    lab: String,
    cached: bool,
    compile_secs: f64,
    tests_secs: f64,
    run_secs: f64,
}

impl From<&LabTimings> for TimingRow {
    fn from(timings: &LabTimings) -> Self {
        TimingRow {
            lab: timings.lab.clone(),
            cached: timings.build.cached,
            compile_secs: timings.build.compile.as_secs_f64(),
            tests_secs: timings.build.tests.as_secs_f64(),
            run_secs: timings.run.as_secs_f64(),
        }
    }
}

/// Rebuilds `gradebook.csv`, `flaky.csv` and `timings.csv` from the students' folders;
/// returns a line per student for the terminal, and the flaky tests.
pub fn write_summaries(
    out_dir: &Path,
    manifest: &ClassManifest,
) -> Result<(Vec<String>, Vec<String>)> {
    let labs = &manifest.labs;
    let mut gradebook = String::from("student,total,max");
    for lab in labs {
        gradebook.push_str(&format!(",{}", csv_field(lab)));
    }
    gradebook.push_str(",status\n");
    let mut flaky = String::from("student,lab,test\n");
    let mut flaky_lines = Vec::new();
    let mut timings = String::from("student,lab,cached,compile_secs,tests_secs,run_secs\n");
    let mut lines = Vec::new();
    for id in &manifest.students {
        let dir = student_dir(out_dir, id);
        let (row, line) = match finished_report(out_dir, id) {
            Some(report) => {
                for lab in &report.labs {
                    for test in lab.tests.iter().filter(|test| test.flaky) {
                        flaky.push_str(&format!(
                            "{},{},{}\n",
                            csv_field(id),
                            csv_field(&lab.id),
                            csv_field(&test.name)
                        ));
                        flaky_lines.push(format!("{id}: {} {}", lab.id, test.name));
                    }
                }
                gradebook_row(id, labs, &report)
            }
            None => {
                let reason = fs::read_to_string(dir.join("invalid.txt"))
                    .unwrap_or_else(|_| "not graded (interrupted?): run again".to_string());
                let empty = ",".repeat(labs.len());
                let row = format!(
                    "{},,{empty},{}",
                    csv_field(id),
                    csv_field(&format!("invalid: {reason}"))
                );
                (row, format!("{id}: invalid — {reason}"))
            }
        };
        gradebook.push_str(&row);
        gradebook.push('\n');
        lines.push(line);
        let rows: Vec<TimingRow> = fs::read_to_string(dir.join("timings.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        for row in rows {
            timings.push_str(&format!(
                "{},{},{},{:.3},{:.3},{:.3}\n",
                csv_field(id),
                csv_field(&row.lab),
                row.cached,
                row.compile_secs,
                row.tests_secs,
                row.run_secs
            ));
        }
    }
    write_atomically(&out_dir.join("gradebook.csv"), &gradebook)?;
    write_atomically(&out_dir.join("flaky.csv"), &flaky)?;
    write_atomically(&out_dir.join("timings.csv"), &timings)?;
    Ok((lines, flaky_lines))
}

fn gradebook_row(id: &str, labs: &[String], report: &Report) -> (String, String) {
    let mut row = format!(
        "{},{},{}",
        csv_field(id),
        format_points(report.score),
        format_points(report.max_score)
    );
    let mut statuses = Vec::new();
    for lab in labs {
        match report.labs.iter().find(|graded| &graded.id == lab) {
            Some(graded) => {
                row.push_str(&format!(",{}", format_points(graded.score)));
                if graded.status != LabStatus::Graded {
                    statuses.push(format!("{lab} {}", graded.status.name()));
                }
            }
            None => row.push(','),
        }
    }
    let status = if statuses.is_empty() {
        LabStatus::Graded.name().to_string()
    } else {
        statuses.join("; ")
    };
    row.push_str(&format!(",{}", csv_field(&status)));
    let line = format!(
        "{id}: {} / {} ({status})",
        format_points(report.score),
        format_points(report.max_score)
    );
    (row, line)
}

fn format_points(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("alice"), "alice");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn shards_deal_the_class_out_in_turn() {
        let shards = [1, 2, 3].map(|index| Shard { index, count: 3 });
        for position in 0..10 {
            let holders = shards.iter().filter(|shard| shard.holds(position)).count();
            assert_eq!(holders, 1, "student {position} is in exactly one shard");
        }
        let first: Vec<usize> = (0..10).filter(|&p| shards[0].holds(p)).collect();
        assert_eq!(first, [0, 3, 6, 9]);
    }
}
