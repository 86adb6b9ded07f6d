//! Stage 1 — the submission: whose `src/` folders are being graded.
//!
//! A submission is a folder holding `labs/` — a student's copy of the repository — or a
//! `.zip` / `.tar.gz` of one. This checkout is one, and so are the reference solutions
//! (`solutions/NN-name/src`). Only the `src/` folder of each lab is ever taken from it; the
//! rest is the instructor's.

pub mod archive;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};

use crate::course::{Course, Lab};
use crate::files::visible_entries;

pub struct Submission {
    /// Where the lab `src/` folders are found: `<root>/<lab id>/src`.
    labs_root: PathBuf,
    /// How the report names this submission.
    pub label: String,
    /// Where an archive was unpacked, removed when the submission is dropped.
    _unpacked: Option<tempfile::TempDir>,
}

impl Submission {
    /// This checkout's own `labs/`: a student grading their work.
    pub fn checkout(course: &Course) -> Submission {
        Submission {
            labs_root: course.labs_dir(),
            label: "this checkout's labs/".to_string(),
            _unpacked: None,
        }
    }

    /// The reference solutions: grading them must give full marks.
    pub fn solutions(course: &Course) -> Submission {
        Submission {
            labs_root: course.solutions_dir(),
            label: "the reference solutions".to_string(),
            _unpacked: None,
        }
    }

    /// A student's copy of the repository: the folder holding `labs/`, or a folder holding
    /// only that folder (an upload or archive of the repository folder itself).
    pub fn folder(dir: &Path) -> Result<Submission> {
        if !dir.exists() {
            bail!("the submission folder {} does not exist", dir.display());
        }
        if !dir.is_dir() {
            bail!(
                "the submission {} is neither a folder nor a .zip or .tar.gz archive (give the folder that holds labs/, or an archive of it)",
                dir.display()
            );
        }
        let root = repository_root(dir).map_err(|reason| anyhow!("{}: {reason}", dir.display()))?;
        Ok(Submission {
            labs_root: root.join("labs"),
            label: dir.display().to_string(),
            _unpacked: None,
        })
    }

    /// A folder as `folder` takes it, or a `.zip` / `.tar.gz` of one, unpacked (with the care
    /// `archive` takes) into a temporary folder for as long as the submission lives.
    pub fn open(path: &Path) -> Result<Submission> {
        if path.is_dir() || !archive::is_archive(path) {
            return Submission::folder(path);
        }
        let unpacked = tempfile::Builder::new()
            .prefix("loopback-labs-submission-")
            .tempdir()?;
        archive::unpack(path, unpacked.path())
            .map_err(|error| anyhow!("{}: {error:#}", path.display()))?;
        let root = repository_root(unpacked.path())
            .map_err(|reason| anyhow!("{}: {reason}", path.display()))?;
        let mut submission = Submission::folder(&root)?;
        submission.label = path.display().to_string();
        submission._unpacked = Some(unpacked);
        Ok(submission)
    }

    /// The submission's `src/` for a lab (it may be missing: then the lab is not submitted).
    pub fn src_dir(&self, lab: &Lab) -> PathBuf {
        self.labs_root.join(&lab.id).join("src")
    }
}

/// The folder of a submission that holds `labs/`: `dir` itself, or its only sub-folder when
/// `dir` holds nothing else (a zip of the repository folder unpacks that way). The reason is
/// a sentence for the student when there is none.
pub fn repository_root(dir: &Path) -> std::result::Result<PathBuf, String> {
    let labs = dir.join("labs");
    if fs::symlink_metadata(&labs).is_ok_and(|metadata| metadata.is_symlink()) {
        return Err(
            "labs/ is a symbolic link, which the grader does not follow: submit the real folder"
                .to_string(),
        );
    }
    if labs.is_dir() {
        return Ok(dir.to_path_buf());
    }
    let entries =
        visible_entries(dir).map_err(|error| format!("cannot read the submission: {error}"))?;
    match entries.as_slice() {
        [] => Err("the submission is empty".to_string()),
        [only] if only.is_dir() && !only.is_symlink() && only.join("labs").is_dir() => {
            repository_root(only)
        }
        _ => Err(
            "no labs/ folder in the submission: a submission is a copy of the repository, the folder that contains labs/"
                .to_string(),
        ),
    }
}
