//! Stage 2 — assemble: a scratch workspace the submission cannot have shaped.
//!
//! For every lab it copies the *instructor's* package (Cargo.toml, lab.toml, tests and their
//! snapshots, plus any hidden tests from `--tests-from`) and puts only the submission's
//! `src/` inside. A student's edited tests,
//! snapshots, Cargo.toml, build script or `.cargo/` config never reach the build: they are
//! simply not copied. The scratch workspace lives under `target/grade/` (so the repository's
//! own `.cargo/config.toml` is the only one cargo finds) and is deleted when grading ends.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use tempfile::TempDir;

use crate::course::{Course, Lab};
use crate::files::copy_tree;
use crate::layout::{self, GradeFolders};
use crate::pipeline::submission::Submission;

/// The scratch workspace for one grading run.
pub struct Workspace {
    dir: TempDir,
    /// Held while the workspace is in use, so a later run can tell an abandoned scratch folder
    /// (its grader was killed) from one in use by a concurrent run.
    _in_use: fs::File,
    /// What the submission provided for each lab, by lab id.
    submitted: Vec<(String, Submitted)>,
}

/// What a submission provided for one lab.
#[derive(Debug, Clone)]
pub enum Submitted {
    /// Its `src/` was copied in; symbolic links inside it were left out (their paths, relative
    /// to the lab).
    Src { ignored_links: Vec<PathBuf> },
    /// Nothing usable: the lab is not built, and this says why.
    Missing(String),
}

impl Workspace {
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn lab_dir(&self, lab: &Lab) -> PathBuf {
        self.root().join(lab.relative_dir())
    }

    /// The course's shared test harness, copied here (see `copy_harness`).
    pub fn harness_dir(&self) -> PathBuf {
        layout::harness_dir(self.root())
    }

    pub fn submitted(&self, lab: &Lab) -> &Submitted {
        let (_, submitted) = self
            .submitted
            .iter()
            .find(|(id, _)| *id == lab.id)
            .expect("every graded lab was assembled");
        submitted
    }
}

/// Builds the scratch workspace for `labs`, with `src/` from `submission`.
pub fn assemble(course: &Course, labs: &[Lab], submission: &Submission) -> Result<Workspace> {
    let scratch_parent = GradeFolders::of(course).scratch();
    fs::create_dir_all(&scratch_parent)
        .with_context(|| format!("cannot create {}", scratch_parent.display()))?;
    remove_abandoned_scratch(&scratch_parent);
    let dir = tempfile::Builder::new()
        .prefix("run-")
        .tempdir_in(&scratch_parent)
        .context("cannot create a scratch folder for grading")?;
    let in_use = fs::File::create(dir.path().join(IN_USE))?;
    in_use.lock().context("cannot lock the scratch folder")?;

    copy_harness(course, &layout::harness_dir(dir.path()))?;
    let mut submitted = Vec::new();
    for lab in labs {
        let target = dir.path().join(lab.relative_dir());
        copy_instructor_package(&lab.dir, &target)?;
        if let Some(hidden) = &lab.hidden {
            copy_tree(&hidden.tests_dir, &target.join("tests"))
                .context("cannot copy the hidden tests")?;
        }
        let outcome = copy_submitted_src(lab, &submission.src_dir(lab), &target.join("src"))?;
        submitted.push((lab.id.clone(), outcome));
    }

    Ok(Workspace {
        dir,
        _in_use: in_use,
        submitted,
    })
}

/// The lock file of a scratch workspace.
const IN_USE: &str = ".in-use";

/// Removes the scratch folders of runs that were killed before they could clean up: a
/// folder whose lock nobody holds, and that is not brand new (its run may not have taken
/// the lock yet). Best effort: grading goes on if this fails.
fn remove_abandoned_scratch(scratch_parent: &Path) {
    let Ok(entries) = fs::read_dir(scratch_parent) else {
        return;
    };
    let settled = SystemTime::now() - Duration::from_secs(60);
    for entry in entries.flatten() {
        let dir = entry.path();
        let lock_path = dir.join(IN_USE);
        let old_enough = fs::metadata(&lock_path)
            .and_then(|metadata| metadata.modified())
            .is_ok_and(|modified| modified < settled);
        let abandoned =
            old_enough && fs::File::open(&lock_path).is_ok_and(|lock| lock.try_lock().is_ok());
        if abandoned {
            let _ = fs::remove_dir_all(&dir);
        }
    }
}

/// Copies the submission's `src/` for a lab. A `src` that is a symbolic link is not followed:
/// it could point at the instructor's own solutions.
fn copy_submitted_src(lab: &Lab, src: &Path, target: &Path) -> Result<Submitted> {
    let shown = lab.relative_dir().join("src");
    let Ok(metadata) = fs::symlink_metadata(src) else {
        return Ok(Submitted::Missing(format!(
            "the submission has no {}/ folder: nothing to grade",
            shown.display()
        )));
    };
    if metadata.is_symlink() {
        return Ok(Submitted::Missing(format!(
            "{} in the submission is a symbolic link, which the grader does not follow: submit the folder itself",
            shown.display()
        )));
    }
    if !metadata.is_dir() {
        return Ok(Submitted::Missing(format!(
            "{} in the submission is not a folder: nothing to grade",
            shown.display()
        )));
    }
    let ignored_links = copy_tree(src, target)?
        .into_iter()
        .map(|link| Path::new("src").join(link))
        .collect();
    Ok(Submitted::Src { ignored_links })
}

/// Copies the course's shared test harness, `labs/harness` (its `src/` too: the harness is the
/// instructor's code, like the tests). A submission's `labs/harness` is never read.
fn copy_harness(course: &Course, to: &Path) -> Result<()> {
    let from = course.harness_dir();
    if !from.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(&from)? {
        let entry = entry?;
        if entry.file_name() != "target" {
            copy_tree(&entry.path(), &to.join(entry.file_name()))
                .context("cannot copy the test harness")?;
        }
    }
    Ok(())
}

/// Copies a lab package without its `src/` (that comes from the submission).
pub fn copy_instructor_package(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "src" || name == "target" {
            continue;
        }
        copy_tree(&entry.path(), &to.join(&name))?;
    }
    Ok(())
}
