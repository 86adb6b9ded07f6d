//! `cargo xtask grade --submissions DIR --out-dir OUT`: grading a whole class.
//!
//! Every entry of DIR is one student's submission — a folder holding `labs/`, or a `.zip` /
//! `.tar.gz` of one — named after the student. Each is graded by the same pipeline as a single
//! submission; dependencies compile once for the whole class, and a lab whose sources are
//! another student's byte for byte (an untouched stub) is not built again (`build::cache`).
//!
//! `--jobs N` students are graded side by side, each in a build slot of its own, all sharing
//! one budget of N tokens for their builds and tests (`pipeline::budget`). `--shard I/N`
//! grades every N-th student of the class only, so that N machines (a Kubernetes Indexed Job,
//! a Slurm array, a CI matrix) can share a class; `cargo xtask gradebook merge` joins their
//! out-dirs.
//!
//! Results are written as each student finishes, atomically (a temporary file renamed into
//! place), and the file `key` is written last: it records what was graded (the submission's
//! `src/` files) by what (the grader, its settings and the instructor's labs). A re-run —
//! after a `kill -9`, say — skips every student whose key still matches, so nobody is graded
//! twice and nobody is lost; `--force` regrades everyone. The gradebook and the other
//! summaries (`gradebook::summary`) are rebuilt at the end from every student's results on
//! disk, so they are whole even when this run graded only some of them.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use walkdir::WalkDir;

use crate::course::{Course, Lab};
use crate::files::{visible_entries, write_atomically};
use crate::grade::Grading;
use crate::gradebook::changes::{keep_as_previous, why_graded_again};
use crate::gradebook::roster::{Roster, lab_named_by_title};
use crate::gradebook::summary::{
    ClassLab, ClassManifest, Shard, student_dir, write_summaries, write_timings,
};
use crate::layout::GradeFolders;
use crate::pipeline::budget::Budget;
use crate::pipeline::progress::Progress;
use crate::pipeline::report;
use crate::pipeline::report::schema::Report;
use crate::pipeline::submission::archive;
use crate::pipeline::submission::{Submission, repository_root};
use crate::pipeline::{Resources, grade_one, grader_identity, select_labs};
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

    /// Where a class's results go: OUT/<student>/report.json and report.md, OUT/gradebook.csv,
    /// OUT/changes.csv, OUT/flaky.csv, OUT/timings.csv, OUT/class.json (the README lists them all).
    #[arg(long, value_name = "OUT", requires = "submissions")]
    out_dir: Option<PathBuf>,

    /// Join the class to its students in the LMS: a CSV with the columns submission (the
    /// entry's name in DIR) and name, and any of id, sis_user_id, sis_login_id, section,
    /// email, username, idnumber (Canvas's gradebook export, with a submission column added,
    /// will do). Students on it without a submission get a row with 0; submissions not on it
    /// are named. `cargo xtask gradebook export` then writes the LMS's import file.
    #[arg(long, value_name = "FILE", requires = "submissions")]
    roster: Option<PathBuf>,

    /// With --submissions: grade every student again, even those whose results are up to date.
    #[arg(long, requires = "submissions")]
    force: bool,

    /// Grade one part of the class: I/N takes every N-th student (in name order) from the
    /// I-th, I from 1 to N. With N alone, I comes from JOB_COMPLETION_INDEX (a Kubernetes
    /// Indexed Job) or SLURM_ARRAY_TASK_ID (a Slurm job array). Merge the parts' out-dirs
    /// with `cargo xtask gradebook merge`.
    #[arg(long, value_name = "I/N", requires = "submissions", value_parser = parse_shard)]
    shard: Option<Shard>,
}

impl ClassArgs {
    /// The class to grade, when `--submissions` was given (clap makes sure `--out-dir` was too).
    pub fn requested(&self) -> Option<ClassRequest> {
        Some(ClassRequest {
            submissions: self.submissions.clone()?,
            out_dir: self.out_dir.clone()?,
            force: self.force,
            shard: self.shard.unwrap_or(Shard::WHOLE),
            roster: self.roster.clone(),
        })
    }
}

/// `--shard I/N`, or `--shard N` with I from the job's environment.
fn parse_shard(text: &str) -> Result<Shard, String> {
    let number = |part: &str, what: &str| {
        part.trim().parse::<usize>().map_err(|_| {
            format!("expected I/N or N (whole numbers), got {text:?}: {what} is not a number")
        })
    };
    let (index, count) = match text.split_once('/') {
        Some((index, count)) => (number(index, "I")?, number(count, "N")?),
        None => (index_from_environment()?, number(text, "N")?),
    };
    if count == 0 || index == 0 || index > count {
        return Err(format!(
            "--shard {text}: I must be from 1 to N (shards are numbered 1/N … N/N)"
        ));
    }
    Ok(Shard { index, count })
}

/// The 1-based shard index a cluster's job gives this process.
fn index_from_environment() -> Result<usize, String> {
    let read = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|value| value.trim().parse::<usize>().ok())
    };
    if let Some(index) = read("JOB_COMPLETION_INDEX") {
        // Kubernetes numbers an Indexed Job's pods from 0.
        return Ok(index + 1);
    }
    if let Some(task) = read("SLURM_ARRAY_TASK_ID") {
        // Slurm numbers array tasks as `--array` says (0-2, 1-3, …): count from the first.
        let first = read("SLURM_ARRAY_TASK_MIN").unwrap_or(0);
        return Ok(task.saturating_sub(first) + 1);
    }
    Err("--shard N needs the shard's index I: give --shard I/N, or run it as a Kubernetes Indexed Job \
         (JOB_COMPLETION_INDEX) or a Slurm job array (SLURM_ARRAY_TASK_ID)"
        .to_string())
}

/// A class to grade: where its submissions are, and where its results go.
pub struct ClassRequest {
    submissions: PathBuf,
    out_dir: PathBuf,
    force: bool,
    shard: Shard,
    roster: Option<PathBuf>,
}

/// One entry of the class folder.
pub(crate) struct Student {
    /// The student's name: the entry's, without an archive's extension.
    pub id: String,
    pub entry: PathBuf,
}

/// What happened to one student in this run.
enum Outcome {
    /// Graded, and, for a student graded before, why they were graded again.
    Graded(Option<String>),
    Reused,
    Invalid(String),
}

/// What the students' workers share.
struct ClassRun<'a> {
    course: &'a Course,
    labs: &'a [Lab],
    options: &'a ClassRequest,
    grader: &'a str,
    isolation: &'a Isolation,
    budget: &'a Budget,
    retries: u32,
}

/// The tallies of a run, and the line printed for each student.
#[derive(Default)]
struct Tally {
    graded: usize,
    reused: usize,
    invalid: usize,
    done: usize,
}

pub fn grade_class(options: ClassRequest, names: &[String], grading: Grading) -> Result<ExitCode> {
    let course = Course::locate();
    let labs = select_labs(
        &course,
        names,
        grading.test_timeout,
        grading.tests_from.as_deref(),
    )?;
    let (class, skipped) = list_students(&options.submissions)?;
    for entry in &skipped {
        eprintln!(
            "skipped {}: not a submission (a submission is a folder holding labs/, or a .zip or .tar.gz of one)",
            entry.display()
        );
    }
    let roster = options
        .roster
        .as_deref()
        .map(|path| {
            let class_labs: Vec<ClassLab> = labs.iter().map(ClassLab::of).collect();
            Roster::read(path, |title| lab_named_by_title(&class_labs, title))
        })
        .transpose()?;
    let class_ids: Vec<String> = class.iter().map(|student| student.id.clone()).collect();
    let students: Vec<Student> = class
        .into_iter()
        .enumerate()
        .filter(|(position, _)| options.shard.holds(*position))
        .map(|(_, student)| student)
        .collect();
    fs::create_dir_all(&options.out_dir).with_context(|| {
        format!(
            "cannot create the output folder {}",
            options.out_dir.display()
        )
    })?;
    let grader = grader_key(&labs, &grading);
    let manifest = ClassManifest::new(
        class_ids,
        students.iter().map(|student| student.id.clone()).collect(),
        labs.iter().map(ClassLab::of).collect(),
        grader.clone(),
        options.shard,
        roster,
    );
    manifest.write(&options.out_dir)?;
    let isolation = Isolation::probe(grading.unsandboxed);
    isolation.require_wall()?;
    console::set_colors_enabled(false);
    let budget = Budget::new(grading.jobs)?;
    let run = ClassRun {
        course: &course,
        labs: &labs,
        options: &options,
        grader: &grader,
        isolation: &isolation,
        budget: &budget,
        retries: grading.retries,
    };

    let bar = class_progress(students.len() as u64);
    let tally = Mutex::new(Tally::default());
    let next = AtomicUsize::new(0);
    let workers = grading.jobs.min(students.len()).max(1);
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (run, students, bar, tally, next) = (&run, &students, &bar, &tally, &next);
            scope.spawn(move || {
                let resources = Resources {
                    isolation: run.isolation,
                    budget: run.budget,
                    slot: GradeFolders::of(run.course).slot(worker),
                    retries: run.retries,
                };
                while let Some(student) = students.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let outcome = grade_student(run, student, &resources)
                        .unwrap_or_else(|error| Outcome::Invalid(format!("{error:#}")));
                    let line = record_outcome(&run.options.out_dir, student, &outcome);
                    let mut tally = tally.lock().expect("no worker panics holding the tally");
                    match outcome {
                        Outcome::Graded(_) => tally.graded += 1,
                        Outcome::Reused => tally.reused += 1,
                        Outcome::Invalid(_) => tally.invalid += 1,
                    }
                    tally.done += 1;
                    if bar.is_hidden() {
                        eprintln!("[{}/{}] {line}", tally.done, students.len());
                    }
                    bar.inc(1);
                }
            });
        }
    });
    bar.finish_and_clear();

    let tally = tally.into_inner().expect("the workers have finished");
    let summary = write_summaries(&options.out_dir, &manifest)?;
    let shard = if options.shard == Shard::WHOLE {
        String::new()
    } else {
        format!(
            " (shard {} of a class of {})",
            options.shard,
            manifest.class.len()
        )
    };
    println!(
        "{} students{shard}: {} graded, {} unchanged since the last run, {} not a submission",
        students.len(),
        tally.graded,
        tally.reused,
        tally.invalid
    );
    println!(
        "gradebook: {}",
        options.out_dir.join("gradebook.csv").display()
    );
    for row in &summary.students {
        println!("  {row}");
    }
    if let Some(roster) = &manifest.roster {
        let missing: Vec<&str> = manifest
            .class
            .iter()
            .filter(|id| roster.student(id).is_none())
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            println!(
                "not on the roster ({}): {} — add them to it, or they cannot be exported to the LMS",
                missing.len(),
                missing.join(", ")
            );
        }
    }
    if summary.changed_students > 0 {
        println!(
            "{} students' points changed since their grade before: {}",
            summary.changed_students,
            options.out_dir.join("changes.csv").display()
        );
    }
    if !summary.flaky.is_empty() {
        println!(
            "flaky tests — they failed, then passed when run again, and the pass counted; find out why: {}",
            options.out_dir.join("flaky.csv").display()
        );
        for line in &summary.flaky {
            println!("  {line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes down an invalid submission's reason; returns the student's line for the terminal.
fn record_outcome(out_dir: &Path, student: &Student, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Graded(None) => format!("graded {}", student.id),
        Outcome::Graded(Some(why)) => format!("graded {} again: {why}", student.id),
        Outcome::Reused => format!("unchanged since the last run, kept {}", student.id),
        Outcome::Invalid(reason) => {
            let dir = student_dir(out_dir, &student.id);
            // Results of an earlier, valid submission no longer stand: they become the
            // previous grade, which `changes.csv` compares with.
            if let Err(error) = keep_as_previous(&dir) {
                return format!("{}: cannot keep the previous grade: {error:#}", student.id);
            }
            for stale in ["key", "report.json", "report.md", "timings.json"] {
                let _ = fs::remove_file(dir.join(stale));
            }
            if let Err(error) = write_atomically(&dir.join("invalid.txt"), reason) {
                return format!(
                    "{}: cannot record why it is not a submission: {error:#}",
                    student.id
                );
            }
            format!("not a submission: {}: {reason}", student.id)
        }
    }
}

fn class_progress(students: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(students);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} students, ETA {eta}")
            .expect("the progress template is valid"),
    );
    bar
}

/// The students of the class folder, in name order, and the entries that are not
/// submissions: files other than archives (a `notes.txt`, a spreadsheet). Hidden files are
/// neither. A folder is a student even without `labs/`: their row then says what is wrong.
pub(crate) fn list_students(dir: &Path) -> Result<(Vec<Student>, Vec<PathBuf>)> {
    if !dir.is_dir() {
        bail!(
            "the submissions folder {} does not exist or is not a folder",
            dir.display()
        );
    }
    let (entries, skipped): (Vec<PathBuf>, Vec<PathBuf>) = visible_entries(dir)?
        .into_iter()
        .partition(|entry| entry.is_dir() || archive::is_archive(entry));
    let mut students: Vec<Student> = entries
        .into_iter()
        .map(|entry| Student {
            id: archive::stem(&entry),
            entry,
        })
        .collect();
    students.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(pair) = students.windows(2).find(|pair| pair[0].id == pair[1].id) {
        bail!(
            "{} and {} are both the submission of {}: keep one of them in {}",
            pair[0].entry.display(),
            pair[1].entry.display(),
            pair[0].id,
            dir.display()
        );
    }
    if students.is_empty() {
        bail!(
            "the submissions folder {} holds no submission (a folder holding labs/, or a .zip or .tar.gz of one)",
            dir.display()
        );
    }
    Ok((students, skipped))
}

fn grade_student(run: &ClassRun, student: &Student, resources: &Resources) -> Result<Outcome> {
    let options = run.options;
    let out = student_dir(&options.out_dir, &student.id);
    let unpacked = options.out_dir.join(".unpacked").join(&student.id);
    let root = match locate_submission(student, &unpacked) {
        Ok(root) => root,
        Err(reason) => return Ok(Outcome::Invalid(reason)),
    };
    let key = format!("{}-{:016x}", run.grader, submission_hash(&root, run.labs));
    let key_file = out.join("key");
    let done = fs::read_to_string(&key_file).ok();
    if !options.force && done.as_deref() == Some(key.as_str()) {
        let _ = fs::remove_dir_all(&unpacked);
        return Ok(Outcome::Reused);
    }
    let again = done.map(|done| why_graded_again(Some(&done), Some(&key)));
    // What the student had is kept, for `changes.csv`; a grade left unfinished is not one.
    keep_as_previous(&out)?;
    let _ = fs::remove_file(&key_file);
    let _ = fs::remove_file(out.join("invalid.txt"));

    let submission = Submission::folder(&root)?;
    let graded = grade_one(
        run.course,
        run.labs,
        &submission,
        &Progress::new(false),
        resources,
    )?;
    write_atomically(&out.join("report.json"), &report::to_json(&graded.report))?;
    write_atomically(
        &out.join("report.md"),
        &student_markdown(&student.id, &graded.report),
    )?;
    write_timings(&options.out_dir, &student.id, &graded.timings)?;
    // Written last: the student counts as graded only once everything else is in place.
    write_atomically(&key_file, &key)?;
    let _ = fs::remove_dir_all(&unpacked);
    Ok(Outcome::Graded(again))
}

/// The folder holding `labs/` for a student's entry, unpacking an archive first.
pub(crate) fn locate_submission(
    student: &Student,
    unpacked: &Path,
) -> std::result::Result<PathBuf, String> {
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

/// What the grading depends on from the grader's side: its version, its settings (reruns,
/// the sandbox, each lab's time limits) and the instructor's lab packages (tests, snapshots,
/// lab.toml), hidden tests included.
fn grader_key(labs: &[Lab], grading: &Grading) -> String {
    let mut hasher = DefaultHasher::new();
    grader_identity().hash(&mut hasher);
    (grading.retries, grading.unsandboxed).hash(&mut hasher);
    for lab in labs {
        hash_files(&lab.dir, &mut hasher, |path| {
            !path.starts_with(lab.dir.join("src"))
        });
        (lab.manifest.timeout_secs, lab.manifest.lab_timeout_secs).hash(&mut hasher);
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
