//! A class's out-dir and the summaries rebuilt from it.
//!
//! ```text
//! OUT/class.json          what this out-dir holds: the class, the labs, the grader, the shard, the roster
//! OUT/gradebook.csv       a row per student: total, max, each lab, status
//! OUT/changes.csv         every test whose points changed when a student was last graded again
//! OUT/flaky.csv           every test that failed, then passed when run again
//! OUT/timings.csv         each student's labs: cached, compile, tests (compile + link), run
//! OUT/<student>/report.json, report.md, timings.json, key   (or invalid.txt)
//! OUT/<student>/previous/report.json, key                    what the student had before that
//! ```
//!
//! The CSV files are rebuilt at the end of every run from what each student's folder holds,
//! so they are whole even when a run graded only some students, and so merging the shards'
//! out-dirs (`gradebook merge`) gives the same files as one run.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::roster::{Roster, RosterStudent};
use crate::course::Lab;
use crate::files::write_atomically;
use crate::pipeline::LabTimings;
use crate::pipeline::report::schema::{LabStatus, Report};

/// The version of `class.json`'s schema.
const CLASS_VERSION: u32 = 2;

/// `OUT/class.json`: which students this out-dir is responsible for, graded how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassManifest {
    pub version: u32,
    /// Every student of the class folder, in name order, this shard's or not.
    pub class: Vec<String>,
    /// The students this out-dir grades: all of them, or one shard's.
    pub students: Vec<String>,
    /// The graded labs, in order: the gradebook's columns.
    pub labs: Vec<ClassLab>,
    /// What the grading depends on from the grader's side (see `class::grader_key`).
    pub grader: String,
    /// This out-dir's shard, 1-based, and how many shards the class was split into.
    pub shard: Shard,
    /// Who the students are in the LMS (`--roster`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<Roster>,
}

/// A graded lab, as the gradebook and the exports name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassLab {
    pub id: String,
    pub title: String,
    /// The most points it gives.
    pub points: f64,
}

impl ClassLab {
    /// Whether `name` names the lab as `cargo xtask` does: `01-ports`, `01`, `1`, `ports`.
    pub fn is_named(&self, name: &str) -> bool {
        let (number, topic) = crate::course::split_id(&self.id);
        let same_number = match (name.parse::<u32>(), number.parse::<u32>()) {
            (Ok(asked), Ok(ours)) => asked == ours,
            _ => false,
        };
        name == self.id || (!topic.is_empty() && name == topic) || same_number
    }

    pub fn of(lab: &Lab) -> ClassLab {
        ClassLab {
            id: lab.id.clone(),
            title: lab.manifest.title.clone(),
            points: lab.manifest.total_points(),
        }
    }
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
        labs: Vec<ClassLab>,
        grader: String,
        shard: Shard,
        roster: Option<Roster>,
    ) -> Self {
        ClassManifest {
            version: CLASS_VERSION,
            class,
            students,
            labs,
            grader,
            shard,
            roster,
        }
    }

    /// The most points a student can get.
    pub fn max_points(&self) -> f64 {
        self.labs.iter().map(|lab| lab.points).sum()
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

/// Where a student of the class stands.
pub enum Standing {
    Graded(Report),
    /// Their entry is not a submission that can be graded, and this says why.
    Invalid(String),
    /// Their grading was started but never finished (the grader was stopped).
    Interrupted,
    /// On the roster, but the class folder has nothing of theirs.
    NoSubmission,
}

/// One row of the class: a student and where they stand.
pub struct StudentRow<'a> {
    /// Their submission's name in the class folder.
    pub id: String,
    pub standing: Standing,
    /// Who they are in the LMS, when the class has a roster that lists them.
    pub identity: Option<&'a RosterStudent>,
}

impl StudentRow<'_> {
    /// The points of a lab: 0 for a student with no grade (so that sums work), nothing for a
    /// lab that a graded report does not have.
    pub fn lab_points(&self, lab: &str) -> Option<f64> {
        match &self.standing {
            Standing::Graded(report) => report
                .labs
                .iter()
                .find(|graded| graded.id == lab)
                .map(|graded| graded.score),
            _ => Some(0.0),
        }
    }

    pub fn total(&self) -> f64 {
        match &self.standing {
            Standing::Graded(report) => report.score,
            _ => 0.0,
        }
    }

    /// `graded`, or what is wrong: a lab that did not build, an invalid submission, no
    /// submission; and whether the roster lacks the student.
    pub fn status(&self, manifest: &ClassManifest) -> String {
        let mut status = match &self.standing {
            Standing::Graded(report) => {
                let problems: Vec<String> = report
                    .labs
                    .iter()
                    .filter(|lab| lab.status != LabStatus::Graded)
                    .map(|lab| format!("{} {}", lab.id, lab.status.name()))
                    .collect();
                if problems.is_empty() {
                    LabStatus::Graded.name().to_string()
                } else {
                    problems.join("; ")
                }
            }
            Standing::Invalid(reason) => format!("invalid: {reason}"),
            Standing::Interrupted => "not graded (interrupted?): run again".to_string(),
            Standing::NoSubmission => "no submission".to_string(),
        };
        if manifest.roster.is_some() && self.identity.is_none() {
            status.push_str("; not on the roster");
        }
        status
    }
}

/// Every student of the out-dir, in name order: those it grades and, when it holds the
/// whole class, those on the roster who submitted nothing.
pub fn class_rows<'a>(out_dir: &Path, manifest: &'a ClassManifest) -> Vec<StudentRow<'a>> {
    let identity = |id: &str| {
        manifest
            .roster
            .as_ref()
            .and_then(|roster| roster.student(id))
    };
    let mut rows: Vec<StudentRow> = manifest
        .students
        .iter()
        .map(|id| {
            let standing = match finished_report(out_dir, id) {
                Some(report) => Standing::Graded(report),
                None => match fs::read_to_string(student_dir(out_dir, id).join("invalid.txt")) {
                    Ok(reason) => Standing::Invalid(reason),
                    Err(_) => Standing::Interrupted,
                },
            };
            StudentRow {
                id: id.clone(),
                standing,
                identity: identity(id),
            }
        })
        .collect();
    if manifest.shard == Shard::WHOLE
        && let Some(roster) = &manifest.roster
    {
        for student in &roster.students {
            if !manifest.class.contains(&student.submission) {
                rows.push(StudentRow {
                    id: student.submission.clone(),
                    standing: Standing::NoSubmission,
                    identity: Some(student),
                });
            }
        }
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    rows
}

/// What the terminal shows after a class run.
pub struct Summary {
    /// A line per student.
    pub students: Vec<String>,
    pub flaky: Vec<String>,
    /// How many students' points changed when they were last graded again.
    pub changed_students: usize,
}

/// Rebuilds `gradebook.csv`, `changes.csv`, `flaky.csv` and `timings.csv` from the students'
/// folders.
pub fn write_summaries(out_dir: &Path, manifest: &ClassManifest) -> Result<Summary> {
    let rows = class_rows(out_dir, manifest);
    let mut gradebook = csv_writer();
    let mut header = vec!["student".to_string(), "total".into(), "max".into()];
    header.extend(manifest.labs.iter().map(|lab| lab.id.clone()));
    header.push("status".into());
    gradebook.write_record(&header)?;
    let mut flaky = csv_writer();
    flaky.write_record(["student", "lab", "test"])?;
    let mut timings = csv_writer();
    timings.write_record([
        "student",
        "lab",
        "cached",
        "compile_secs",
        "tests_secs",
        "run_secs",
    ])?;
    let mut summary = Summary {
        students: Vec::new(),
        flaky: Vec::new(),
        changed_students: 0,
    };
    let max = format_points(manifest.max_points());
    for row in &rows {
        let mut record = vec![row.id.clone(), format_points(row.total()), max.clone()];
        record.extend(manifest.labs.iter().map(|lab| {
            row.lab_points(&lab.id)
                .map(format_points)
                .unwrap_or_default()
        }));
        let status = row.status(manifest);
        record.push(status.clone());
        gradebook.write_record(&record)?;
        summary.students.push(format!(
            "{}: {} / {max} ({status})",
            row.id,
            format_points(row.total())
        ));
        if let Standing::Graded(report) = &row.standing {
            for lab in &report.labs {
                for test in lab.tests.iter().filter(|test| test.flaky) {
                    flaky.write_record([&row.id, &lab.id, &test.name])?;
                    summary
                        .flaky
                        .push(format!("{}: {} {}", row.id, lab.id, test.name));
                }
            }
        }
        let dir = student_dir(out_dir, &row.id);
        let lab_timings: Vec<TimingRow> = fs::read_to_string(dir.join("timings.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        for lab in lab_timings {
            timings.write_record([
                row.id.clone(),
                lab.lab,
                lab.cached.to_string(),
                format!("{:.3}", lab.compile_secs),
                format!("{:.3}", lab.tests_secs),
                format!("{:.3}", lab.run_secs),
            ])?;
        }
    }
    let changes = super::changes::write(out_dir, manifest, &rows)?;
    summary.changed_students = changes;
    write_atomically(&out_dir.join("gradebook.csv"), &finish(gradebook)?)?;
    write_atomically(&out_dir.join("flaky.csv"), &finish(flaky)?)?;
    write_atomically(&out_dir.join("timings.csv"), &finish(timings)?)?;
    Ok(summary)
}

/// A CSV writer into memory: fields quoted only when they must be (RFC 4180), lines ended
/// with `\n`.
pub fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

/// The text a CSV writer holds.
pub fn finish(writer: csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = writer
        .into_inner()
        .map_err(|error| anyhow::anyhow!("cannot write CSV: {error}"))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8"))
}

/// Points as a person writes them: `28`, `27.5`.
pub fn format_points(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
