//! `cargo xtask similarity`: which students of a class share code, lab by lab.
//!
//! Every student's `labs/NN-name/src` is joined into one file per lab (each source file under
//! a `// ==== src/… ====` line, in name order), and Dolos (`dolos`) compares every pair of
//! them, leaving out every fragment that the lab's shipped stub holds: the code everyone
//! started from is no evidence of anything. A student whose lab is still the stub, byte for
//! byte, is left out of that lab. The report (`report`) ranks the pairs:
//!
//! ```text
//! OUT/similarity.csv        every pair of every lab, most similar first
//! OUT/similarity.html       the same, as a page, with a link to each flagged pair
//! OUT/similarity/NN-name/alice--bob.html   the pair's code side by side, shared fragments marked
//! ```
//!
//! The similarity is Dolos's: the share of the two files' k-grams (runs of syntax-tree tokens)
//! that they have in common, counted without the k-grams of the stub. Leaving the stub out
//! makes the figures lower than Dolos's own pages show for the same files, and is what tells
//! a copy from a classmate: on the course's tests, a copy of lab 01's reference solution with
//! its helpers renamed and reordered shares 49 % with it, an independent solution 11 % (and,
//! with the stub counted, 99.8 % against 72 %). A pair at or above `--threshold` (default
//! 40 %) is *flagged*: worth a person's look, not a verdict. Labs whose stubs leave little to
//! write make honest solutions look alike; read the fragments before you conclude anything.

mod dolos;
mod report;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use walkdir::WalkDir;

use crate::class::{list_students, locate_submission};
use crate::course::{Course, Lab};
use dolos::{Dolos, Job, LabJob};

const SIMILARITY_EXAMPLES: &str = "\
Examples:
  cargo xtask similarity --submissions class/ --out-dir similarity/
  cargo xtask similarity --submissions class/ --out-dir similarity/ 01 05 --threshold 0.3";

/// The flags of `cargo xtask similarity`.
#[derive(clap::Args)]
#[command(after_help = SIMILARITY_EXAMPLES)]
pub struct SimilarityArgs {
    /// The class folder, as `grade --submissions` takes it: one entry per student, a folder
    /// holding labs/ or a .zip / .tar.gz of one.
    #[arg(long, value_name = "DIR")]
    submissions: PathBuf,

    /// Where the report goes: OUT/similarity.csv, OUT/similarity.html, OUT/similarity/.
    #[arg(long, value_name = "OUT")]
    out_dir: PathBuf,

    /// The share of code two submissions have in common (0 to 1, stub left out) from which a
    /// pair is flagged for a look.
    #[arg(long, default_value_t = 0.4, value_parser = parse_threshold)]
    threshold: f64,

    /// The labs to compare (`01`, `ports`, `01-ports`); all of them when none is given.
    #[arg(value_name = "LAB")]
    labs: Vec<String>,
}

fn parse_threshold(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!(
            "expected a share from 0 to 1 (e.g. 0.4), got {text:?}"
        )),
    }
}

/// One student's lab, joined into one file for Dolos.
pub struct Joined {
    pub student: String,
    pub file: PathBuf,
    pub text: String,
}

pub fn run(args: SimilarityArgs) -> Result<ExitCode> {
    let course = Course::locate();
    let labs = course.select(&args.labs)?;
    let (class, skipped) = list_students(&args.submissions)?;
    for entry in &skipped {
        eprintln!("skipped {}: not a submission", entry.display());
    }
    fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("cannot create {}", args.out_dir.display()))?;
    let dolos = Dolos::ensure(&course)?;
    let work = tempfile::tempdir().context("cannot make a folder for the comparison")?;

    let mut job = Job { labs: Vec::new() };
    let mut joined: Vec<Joined> = Vec::new();
    let mut notes = Vec::new();
    for student in &class {
        let unpacked = work.path().join("unpacked").join(&student.id);
        match locate_submission(student, &unpacked) {
            Ok(root) => {
                for lab in &labs {
                    if let Some(text) = join_sources(&root.join(lab.relative_dir()).join("src")) {
                        let file = lab_file(work.path(), lab, &student.id);
                        joined.push(Joined {
                            student: student.id.clone(),
                            file,
                            text,
                        });
                    }
                }
            }
            Err(reason) => notes.push(format!("{}: not compared: {reason}", student.id)),
        }
    }
    for lab in &labs {
        let stub = join_sources(&lab.src_dir()).unwrap_or_default();
        let stub_file = lab_file(work.path(), lab, ".stub");
        write_file(&stub_file, &stub)?;
        let mut files = Vec::new();
        for submission in joined
            .iter()
            .filter(|joined| joined.file.starts_with(work.path().join(&lab.id)))
        {
            if submission.text == stub {
                notes.push(format!(
                    "{}: {} is the shipped stub, not compared",
                    submission.student, lab.id
                ));
                continue;
            }
            write_file(&submission.file, &submission.text)?;
            files.push(submission.file.clone());
        }
        job.labs.push(LabJob {
            lab: lab.id.clone(),
            files,
            ignore: stub_file,
        });
    }
    if job.labs.iter().all(|lab| lab.files.len() < 2) {
        bail!(
            "nothing to compare: no lab has two submissions that differ from its stub in {}",
            args.submissions.display()
        );
    }
    let found = dolos.compare(&job, work.path())?;
    let pairs = report::write(&args.out_dir, &found, &joined, args.threshold)?;
    println!(
        "{} pairs compared, {} flagged at {:.0} % or more shared code: {}",
        pairs.total,
        pairs.flagged.len(),
        args.threshold * 100.0,
        args.out_dir.join("similarity.html").display()
    );
    for line in pairs.flagged.iter().take(20) {
        println!("  {line}");
    }
    for note in notes.iter().chain(&found.warnings) {
        println!("note: {note}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a student's joined lab goes in the work folder.
fn lab_file(work: &Path, lab: &Lab, student: &str) -> PathBuf {
    work.join(&lab.id).join(format!("{student}.rs"))
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    fs::create_dir_all(path.parent().expect("a file is in a folder"))?;
    fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// A lab's `src/` as one text: each `.rs` file under a line naming it, in name order. `None`
/// when there is no such folder or no Rust file in it.
fn join_sources(src: &Path) -> Option<String> {
    if !src.is_dir() {
        return None;
    }
    let mut files: Vec<PathBuf> = WalkDir::new(src)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    files.sort();
    let mut text = String::new();
    for file in &files {
        let relative = file.strip_prefix(src).unwrap_or(file);
        let contents = fs::read(file).ok()?;
        text.push_str(&format!("// ==== src/{} ====\n", relative.display()));
        text.push_str(&String::from_utf8_lossy(&contents));
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    (!files.is_empty()).then_some(text)
}
