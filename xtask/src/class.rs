//! `cargo xtask grade --submissions DIR --out-dir OUT`: grading a whole class.
//!
//! Every entry of DIR is one student's submission — a folder holding `labs/`, or a `.zip` /
//! `.tar.gz` of one — named after the student. Each is graded by the same pipeline as a single
//! submission; dependencies compile once for the whole class.
//!
//! Results are written as each student finishes, atomically (a temporary file renamed into
//! place), and the file `key` is written last: it records what was graded (the submission's
//! `src/` files) by what (the grader and the instructor's labs). A re-run — after a `kill -9`,
//! say — skips every student whose key still matches, so nobody is graded twice and nobody is
//! lost; `--force` regrades everyone. The gradebook is rebuilt at the end from every student's
//! results on disk, so it is whole even when this run graded only some of them.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use walkdir::WalkDir;

use crate::course::{Course, Lab};
use crate::files::{visible_entries, write_atomically};
use crate::grade::Grading;
use crate::pipeline::progress::Progress;
use crate::pipeline::report;
use crate::pipeline::report::schema::{LabStatus, Report};
use crate::pipeline::submission::archive;
use crate::pipeline::submission::{Submission, repository_root};
use crate::pipeline::{grade_one, select_labs};
use crate::sandbox::Isolation;

/// The flags only a class has, flattened into `cargo xtask grade`'s: `--submissions` turns
/// `grade` into class grading.
#[derive(clap::Args)]
#[command(next_help_heading = "Grading a whole class")]
pub struct ClassArgs {
    /// Grade a whole class: every entry of DIR (a folder holding labs/, or a .zip / .tar.gz of
    /// one) is a student, named by the entry. Needs --out-dir.
    #[arg(long, value_name = "DIR", requires = "out_dir", conflicts_with_all = ["submission", "solutions", "out", "min_score"])]
    submissions: Option<PathBuf>,

    /// Where a class's results go: OUT/<student>/report.json and report.md, OUT/gradebook.csv.
    #[arg(long, value_name = "OUT", requires = "submissions")]
    out_dir: Option<PathBuf>,

    /// With --submissions: grade every student again, even those whose results are up to date.
    #[arg(long, requires = "submissions")]
    force: bool,
}

impl ClassArgs {
    /// The class to grade, when `--submissions` was given (clap makes sure `--out-dir` was too).
    pub fn requested(&self) -> Option<ClassRequest> {
        Some(ClassRequest {
            submissions: self.submissions.clone()?,
            out_dir: self.out_dir.clone()?,
            force: self.force,
        })
    }
}

/// A class to grade: where its submissions are, and where its results go.
pub struct ClassRequest {
    submissions: PathBuf,
    out_dir: PathBuf,
    force: bool,
}

/// One entry of the class folder.
struct Student {
    id: String,
    entry: PathBuf,
}

/// What happened to one student in this run.
enum Outcome {
    Graded,
    Reused,
    Invalid(String),
}

pub fn grade_class(options: ClassRequest, names: &[String], grading: Grading) -> Result<ExitCode> {
    let course = Course::locate();
    let labs = select_labs(
        &course,
        names,
        grading.test_timeout,
        grading.tests_from.as_deref(),
    )?;
    let students = list_students(&options.submissions)?;
    fs::create_dir_all(&options.out_dir).with_context(|| {
        format!(
            "cannot create the output folder {}",
            options.out_dir.display()
        )
    })?;
    let grader = grader_key(&labs);
    let isolation = Isolation::probe(grading.unsandboxed);
    isolation.require_wall()?;
    console::set_colors_enabled(false);

    let bar = class_progress(students.len() as u64);
    let (mut graded, mut reused, mut invalid) = (0, 0, 0);
    for student in &students {
        bar.set_message(student.id.clone());
        let outcome = grade_student(&course, &labs, student, &options, &grader, &isolation)
            .unwrap_or_else(|error| Outcome::Invalid(format!("{error:#}")));
        let line = match &outcome {
            Outcome::Graded => {
                graded += 1;
                format!("graded {}", student.id)
            }
            Outcome::Reused => {
                reused += 1;
                format!("unchanged since the last run, kept {}", student.id)
            }
            Outcome::Invalid(reason) => {
                invalid += 1;
                let dir = student_dir(&options.out_dir, &student.id);
                // Results of an earlier, valid submission no longer stand.
                for stale in ["key", "report.json", "report.md"] {
                    let _ = fs::remove_file(dir.join(stale));
                }
                write_atomically(&dir.join("invalid.txt"), reason)?;
                format!("not a submission: {}: {reason}", student.id)
            }
        };
        if bar.is_hidden() {
            eprintln!("[{}/{}] {line}", bar.position() + 1, students.len());
        }
        bar.inc(1);
    }
    bar.finish_and_clear();

    let rows = write_gradebook(&options.out_dir, &labs, &students)?;
    println!(
        "{} students: {graded} graded, {reused} unchanged since the last run, {invalid} not a submission",
        students.len()
    );
    println!(
        "gradebook: {}",
        options.out_dir.join("gradebook.csv").display()
    );
    for row in rows {
        println!("  {row}");
    }
    Ok(ExitCode::SUCCESS)
}

fn class_progress(students: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(students);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} students, ETA {eta} — {msg}")
            .expect("the progress template is valid"),
    );
    bar
}

/// The entries of the class folder, in name order; hidden files are not students.
fn list_students(dir: &Path) -> Result<Vec<Student>> {
    if !dir.is_dir() {
        bail!(
            "the submissions folder {} does not exist or is not a folder",
            dir.display()
        );
    }
    let mut students: Vec<Student> = visible_entries(dir)?
        .into_iter()
        .map(|entry| Student {
            id: archive::stem(&entry),
            entry,
        })
        .collect();
    students.sort_by(|a, b| a.id.cmp(&b.id));
    if students.is_empty() {
        bail!("the submissions folder {} is empty", dir.display());
    }
    Ok(students)
}

fn student_dir(out_dir: &Path, id: &str) -> PathBuf {
    out_dir.join(id)
}

fn grade_student(
    course: &Course,
    labs: &[Lab],
    student: &Student,
    options: &ClassRequest,
    grader: &str,
    isolation: &Isolation,
) -> Result<Outcome> {
    let out = student_dir(&options.out_dir, &student.id);
    let unpacked = options.out_dir.join(".unpacked").join(&student.id);
    let root = match locate_submission(student, &unpacked) {
        Ok(root) => root,
        Err(reason) => return Ok(Outcome::Invalid(reason)),
    };
    let key = format!("{grader}-{:016x}", submission_hash(&root, labs));
    let key_file = out.join("key");
    if !options.force && fs::read_to_string(&key_file).is_ok_and(|done| done == key) {
        let _ = fs::remove_dir_all(&unpacked);
        return Ok(Outcome::Reused);
    }
    let _ = fs::remove_file(&key_file);
    let _ = fs::remove_file(out.join("invalid.txt"));

    let submission = Submission::folder(&root)?;
    let graded = grade_one(course, labs, &submission, &Progress::new(false), isolation)?;
    write_atomically(&out.join("report.json"), &report::to_json(&graded))?;
    write_atomically(
        &out.join("report.md"),
        &student_markdown(&student.id, &graded),
    )?;
    // Written last: the student counts as graded only once everything else is in place.
    write_atomically(&key_file, &key)?;
    let _ = fs::remove_dir_all(&unpacked);
    Ok(Outcome::Graded)
}

/// The folder holding `labs/` for a student's entry, unpacking an archive first.
fn locate_submission(student: &Student, unpacked: &Path) -> std::result::Result<PathBuf, String> {
    let folder = if student.entry.is_dir() {
        student.entry.clone()
    } else if archive::is_archive(&student.entry) {
        let _ = fs::remove_dir_all(unpacked);
        archive::unpack(&student.entry, unpacked).map_err(|error| format!("{error:#}"))?;
        unpacked.to_path_buf()
    } else {
        return Err("neither a folder nor a .zip or .tar.gz archive".to_string());
    };
    repository_root(&folder)
}

/// What the grading depends on from the grader's side: its version and the instructor's
/// lab packages (tests, snapshots, lab.toml), hidden tests included.
fn grader_key(labs: &[Lab]) -> String {
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    std::env::current_exe()
        .ok()
        .and_then(|exe| fs::metadata(exe).ok()?.modified().ok())
        .hash(&mut hasher);
    for lab in labs {
        hash_files(&lab.dir, &mut hasher, |path| {
            !path.starts_with(lab.dir.join("src"))
        });
        if let Some(hidden) = &lab.hidden {
            hash_files(&hidden.tests_dir, &mut hasher, |_| true);
            lab.manifest.tests.len().hash(&mut hasher);
            for (name, entry) in &lab.manifest.tests {
                (name, entry.points.to_bits(), &entry.hint).hash(&mut hasher);
            }
        }
    }
    format!("{:016x}", hasher.finish())
}

/// What the grading depends on from the student's side: the `src/` of each graded lab.
fn submission_hash(root: &Path, labs: &[Lab]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for lab in labs {
        lab.id.hash(&mut hasher);
        hash_files(
            &root.join("labs").join(&lab.id).join("src"),
            &mut hasher,
            |_| true,
        );
    }
    hasher.finish()
}

fn hash_files(dir: &Path, hasher: &mut DefaultHasher, keep: impl Fn(&Path) -> bool) {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file() && keep(entry.path()))
        .map(|entry| entry.into_path())
        .collect();
    files.sort();
    for file in files {
        file.strip_prefix(dir).unwrap_or(&file).hash(hasher);
        fs::read(&file).unwrap_or_default().hash(hasher);
    }
}

/// The feedback a student reads: the human report, as Markdown.
fn student_markdown(id: &str, graded: &Report) -> String {
    format!(
        "# Feedback for {id}\n\n```text\n{}```\n",
        report::to_human(graded, &format!("the submission of {id}"))
    )
}

/// Writes `gradebook.csv` from every student's results on disk; returns a line per student.
fn write_gradebook(out_dir: &Path, labs: &[Lab], students: &[Student]) -> Result<Vec<String>> {
    let mut csv = String::from("student,total,max");
    for lab in labs {
        csv.push_str(&format!(",{}", csv_field(&lab.id)));
    }
    csv.push_str(",status\n");
    let mut lines = Vec::new();
    for student in students {
        let dir = student_dir(out_dir, &student.id);
        let report = dir
            .join("key")
            .is_file()
            .then(|| Report::read(&dir.join("report.json")).ok())
            .flatten();
        let (row, line) = match report {
            Some(report) => gradebook_row(&student.id, labs, &report),
            None => {
                let reason = fs::read_to_string(dir.join("invalid.txt"))
                    .unwrap_or_else(|_| "not graded (interrupted?): run again".to_string());
                let empty = ",".repeat(labs.len());
                let row = format!(
                    "{},,{empty},{}",
                    csv_field(&student.id),
                    csv_field(&format!("invalid: {reason}"))
                );
                (row, format!("{}: invalid — {reason}", student.id))
            }
        };
        csv.push_str(&row);
        csv.push('\n');
        lines.push(line);
    }
    write_atomically(&out_dir.join("gradebook.csv"), &csv)?;
    Ok(lines)
}

fn gradebook_row(id: &str, labs: &[Lab], report: &Report) -> (String, String) {
    let mut row = format!(
        "{},{},{}",
        csv_field(id),
        format_points(report.score),
        format_points(report.max_score)
    );
    let mut statuses = Vec::new();
    for lab in labs {
        match report.labs.iter().find(|graded| graded.id == lab.id) {
            Some(graded) => {
                row.push_str(&format!(",{}", format_points(graded.score)));
                if graded.status != LabStatus::Graded {
                    statuses.push(format!("{} {}", lab.id, graded.status.name()));
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
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("alice"), "alice");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
