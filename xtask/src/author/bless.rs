//! `cargo xtask bless`: write the labs' insta snapshots from the reference solutions.
//!
//! The snapshots in `labs/NN-name/tests/snapshots/` are the oracle students are graded
//! against, so they come from one place only: the reference solution, run through the same
//! pipeline as grading (assemble → build → run), with insta told to write every snapshot.
//! The scratch copy starts with no snapshots at all, so what comes back is exactly the set
//! the tests produce: new ones are added, changed ones rewritten, ones no test produces any
//! more removed. Nothing is written unless every test of the solution passes.
//! Each changed snapshot is shown as a diff, so the author sees what the change means.
//! Blessing also writes the lab's stub, `labs/NN-name/src/`, from the marked solution (see
//! `generate`), and records it in `stub.lock` (see `stub`). `--stubs` does only that, without
//! grading. `--check` compares without writing (for CI).

use std::collections::BTreeMap;
use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use similar::TextDiff;

use crate::author::generate;
use crate::author::stub::{STUB_LOCK, SourceFiles};
use crate::course::{Course, Lab};
use crate::pipeline::assemble::assemble;
use crate::pipeline::budget::Budget;
use crate::pipeline::progress::Progress;
use crate::pipeline::report;
use crate::pipeline::report::schema::{LabStatus, TestStatus};
use crate::pipeline::run::Snapshots;
use crate::pipeline::score::{self};
use crate::pipeline::submission::Submission;
use crate::pipeline::{Resources, grade_lab, select_labs};
use crate::sandbox::Isolation;

/// How a lab's snapshots differ from what its reference solution produces.
#[derive(Default)]
struct SnapshotChanges {
    added: Vec<String>,
    changed: Vec<String>,
    removed: Vec<String>,
    unchanged: usize,
}

impl SnapshotChanges {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

#[derive(clap::Args)]
pub struct BlessArgs {
    /// Labs to bless: "01", "01-ports" or "ports" (default: all labs).
    #[arg(value_name = "LAB")]
    labs: Vec<String>,

    /// Only report what would change; write nothing.
    #[arg(long)]
    check: bool,

    /// Also bless the hidden tests in DIR (DIR/NN-name/tests/snapshots/).
    #[arg(long, value_name = "DIR")]
    tests_from: Option<PathBuf>,

    /// Only generate the stubs (labs/NN-name/src/ from solutions/NN-name/src/) and stub.lock,
    /// without grading the solutions: seconds, not minutes.
    #[arg(long, conflicts_with = "tests_from")]
    stubs: bool,
}

impl BlessArgs {
    pub fn run(self) -> Result<ExitCode> {
        if self.stubs {
            return bless_stubs(&self.labs, self.check);
        }
        bless(&self.labs, self.check, self.tests_from.as_deref())
    }
}

/// `bless --stubs`: each lab's stub from its solution, and its `stub.lock`.
fn bless_stubs(names: &[String], check_only: bool) -> Result<ExitCode> {
    let course = Course::locate();
    let labs = course.select(names)?;
    let mut all_good = true;
    for lab in &labs {
        all_good &= generate_stub(&course, lab, check_only)?;
        all_good &= record_stub(lab, check_only)?;
    }
    if all_good {
        println!(
            "{} labs: every stub is what its solution generates",
            labs.len()
        );
    }
    Ok(if all_good {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Writes the lab's stub from its solution, or with `--check` says where they differ.
/// Returns false when `--check` finds a difference.
fn generate_stub(course: &Course, lab: &Lab, check_only: bool) -> Result<bool> {
    if check_only {
        let differences = generate::stub_differences(course, lab)?;
        for difference in &differences {
            println!("  out of date: {difference}");
        }
        return Ok(differences.is_empty());
    }
    for path in generate::write_stub(course, lab)? {
        println!(
            "  generated {} from the solution",
            path.strip_prefix(&course.root).unwrap_or(&path).display()
        );
    }
    let share = generate::student_share(course, lab)?.percent();
    let below = if share < generate::MIN_STUDENT_SHARE {
        format!(
            " — below the {:.0}% floor: mark more of the solution for the student",
            generate::MIN_STUDENT_SHARE
        )
    } else {
        String::new()
    };
    println!(
        "  {}: the student writes {share:.0}% of the code{below}",
        lab.id
    );
    Ok(true)
}

fn bless(names: &[String], check_only: bool, tests_from: Option<&Path>) -> Result<ExitCode> {
    let course = Course::locate();
    let labs = select_labs(&course, names, None, tests_from)?;
    let progress = Progress::new(std::io::stderr().is_terminal());
    progress.assembling();
    let isolation = Isolation::probe(false);
    let budget = Budget::for_this_machine()?;
    let resources = Resources::first_slot(&course, &isolation, &budget);
    let workspace = assemble(&course, &labs, &Submission::solutions(&course))?;

    let mut all_good = true;
    for lab in &labs {
        let produced_dir = workspace.lab_dir(lab).join("tests").join("snapshots");
        remove_snapshots(&produced_dir)?;
        let (lab_report, _) = grade_lab(
            &course,
            &workspace,
            lab,
            &progress,
            &resources,
            Snapshots::Bless,
        )?;
        let solution_passes = lab_report.status == LabStatus::Graded
            && lab_report
                .tests
                .iter()
                .all(|test| test.status == TestStatus::Passed);
        progress.finish();
        if !solution_passes {
            eprintln!(
                "{}: the reference solution does not pass its own tests, so nothing was blessed:",
                lab.id
            );
            let report = score::total(vec![lab_report], &isolation);
            eprint!("{}", report::to_human(&report, "the reference solution"));
            all_good = false;
            continue;
        }
        for destination in destinations(lab) {
            let changes = compare(&produced_dir, &destination)?;
            print_changes(lab, &destination, &changes, &produced_dir, check_only);
            if check_only {
                all_good &= changes.is_empty();
            } else {
                apply(&changes, &produced_dir, &destination.dir)?;
            }
        }
        all_good &= generate_stub(&course, lab, check_only)?;
        all_good &= record_stub(lab, check_only)?;
    }
    Ok(if all_good {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Where some of a lab's snapshots are kept: its own tests' in
/// `labs/NN-name/tests/snapshots/`, its hidden tests' in `DIR/NN-name/tests/snapshots/`.
/// Insta names a snapshot after its test file (`ranges__classifies_the_boundaries.snap`),
/// which says whose it is.
struct Destination {
    dir: PathBuf,
    /// Whether this folder holds the hidden tests' snapshots.
    for_hidden_tests: bool,
    hidden_files: Vec<String>,
}

impl Destination {
    fn keeps(&self, snapshot: &str) -> bool {
        let file = snapshot.split("__").next().unwrap_or_default();
        let is_hidden = self.hidden_files.iter().any(|stem| stem == file);
        is_hidden == self.for_hidden_tests
    }
}

fn destinations(lab: &Lab) -> Vec<Destination> {
    let own = Destination {
        dir: lab.dir.join("tests").join("snapshots"),
        for_hidden_tests: false,
        hidden_files: Vec::new(),
    };
    let Some(hidden) = &lab.hidden else {
        return vec![own];
    };
    vec![
        Destination {
            hidden_files: hidden.files.clone(),
            ..own
        },
        Destination {
            dir: hidden.tests_dir.join("snapshots"),
            for_hidden_tests: true,
            hidden_files: hidden.files.clone(),
        },
    ]
}

fn remove_snapshots(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        fs::remove_dir_all(dir).with_context(|| format!("cannot empty {}", dir.display()))?;
    }
    fs::create_dir_all(dir)?;
    Ok(())
}

/// The `*.snap` files of a folder, by name.
fn read_snapshots(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut snapshots = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(snapshots);
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "snap") {
            let name = path
                .file_name()
                .expect("a file has a name")
                .to_string_lossy()
                .into_owned();
            snapshots.insert(name, fs::read_to_string(&path)?);
        }
    }
    Ok(snapshots)
}

fn compare(produced_dir: &Path, destination: &Destination) -> Result<SnapshotChanges> {
    let mut produced = read_snapshots(produced_dir)?;
    produced.retain(|name, _| destination.keeps(name));
    let committed = read_snapshots(&destination.dir)?;
    let mut changes = SnapshotChanges::default();
    for (name, text) in &produced {
        match committed.get(name) {
            None => changes.added.push(name.clone()),
            Some(old) if old != text => changes.changed.push(name.clone()),
            Some(_) => changes.unchanged += 1,
        }
    }
    changes.removed = committed
        .keys()
        .filter(|name| !produced.contains_key(*name))
        .cloned()
        .collect();
    Ok(changes)
}

fn apply(changes: &SnapshotChanges, produced_dir: &Path, committed_dir: &Path) -> Result<()> {
    fs::create_dir_all(committed_dir)?;
    for name in changes.added.iter().chain(&changes.changed) {
        fs::copy(produced_dir.join(name), committed_dir.join(name))
            .with_context(|| format!("cannot write {}", committed_dir.join(name).display()))?;
    }
    for name in &changes.removed {
        fs::remove_file(committed_dir.join(name))?;
    }
    Ok(())
}

/// Records the lab's starting code (`labs/NN-name/src`) in its `stub.lock`, or with
/// `--check` only says whether the record is up to date. Returns false when `--check` finds
/// it out of date.
fn record_stub(lab: &Lab, check_only: bool) -> Result<bool> {
    let lock_path = lab.dir.join(STUB_LOCK);
    let lock = SourceFiles::of(&lab.src_dir())?.to_lock();
    if fs::read_to_string(&lock_path).is_ok_and(|recorded| recorded == lock) {
        return Ok(true);
    }
    if check_only {
        println!(
            "  out of date: {} does not record labs/{}/src as it is; run `cargo xtask bless {}`",
            lock_path.display(),
            lab.id,
            lab.id
        );
    } else {
        fs::write(&lock_path, lock)
            .with_context(|| format!("cannot write {}", lock_path.display()))?;
        println!(
            "  recorded the starting code of labs/{}/src in {}",
            lab.id,
            lock_path.display()
        );
    }
    Ok(!check_only)
}

/// A changed snapshot as a unified diff (`-` the committed snapshot, `+` the new one).
fn snapshot_diff(before: &Path, after: &Path) -> String {
    let before = fs::read_to_string(before).unwrap_or_default();
    let after = fs::read_to_string(after).unwrap_or_default();
    TextDiff::from_lines(&before, &after)
        .unified_diff()
        .context_radius(2)
        .header("committed", "from the solution")
        .to_string()
}

fn print_changes(
    lab: &Lab,
    destination: &Destination,
    changes: &SnapshotChanges,
    produced_dir: &Path,
    check_only: bool,
) {
    let snapshots_dir = &destination.dir;
    let whose = if destination.for_hidden_tests {
        " (hidden tests)"
    } else {
        ""
    };
    println!(
        "{}{whose}: {} new, {} changed, {} removed, {} unchanged",
        lab.id,
        changes.added.len(),
        changes.changed.len(),
        changes.removed.len(),
        changes.unchanged
    );
    for (what, names) in [
        ("new", &changes.added),
        ("changed", &changes.changed),
        ("removed", &changes.removed),
    ] {
        for name in names {
            println!("  {what:8} {}", snapshots_dir.join(name).display());
        }
    }
    for name in &changes.changed {
        let diff = snapshot_diff(&snapshots_dir.join(name), &produced_dir.join(name));
        for line in diff.lines() {
            println!("      {line}");
        }
    }
    if changes.is_empty() {
        return;
    }
    if check_only {
        println!(
            "  out of date: run `cargo xtask bless {}{}`, then review the diff",
            lab.id,
            if destination.for_hidden_tests {
                " --tests-from DIR"
            } else {
                ""
            }
        );
    } else {
        println!(
            "  review every change: git diff {}",
            snapshots_dir.display()
        );
    }
}
