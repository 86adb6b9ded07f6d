//! Stage 1 — the submission: whose `src/` folders are being graded.
//!
//! A submission is a folder holding `labs/` — a student's copy of the repository. This
//! checkout is one, and so are the reference solutions (`solutions/NN-name/src`). Only the
//! `src/` folder of each lab is ever taken from it; the rest is the instructor's.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::course::{Course, Lab};

pub struct Submission {
    /// Where the lab `src/` folders are found: `<root>/<lab id>/src`.
    labs_root: PathBuf,
    /// How the report names this submission.
    pub label: String,
}

impl Submission {
    /// This checkout's own `labs/`: a student grading their work.
    pub fn checkout(course: &Course) -> Submission {
        Submission {
            labs_root: course.labs_dir(),
            label: "this checkout's labs/".to_string(),
        }
    }

    /// The reference solutions: grading them must give full marks.
    pub fn solutions(course: &Course) -> Submission {
        Submission {
            labs_root: course.solutions_dir(),
            label: "the reference solutions".to_string(),
        }
    }

    /// A student's copy of the repository.
    pub fn folder(dir: &Path) -> Result<Submission> {
        if !dir.exists() {
            bail!("the submission folder {} does not exist", dir.display());
        }
        if !dir.is_dir() {
            bail!(
                "the submission {} is not a folder (give the folder that holds labs/)",
                dir.display()
            );
        }
        let labs_root = dir.join("labs");
        if fs::symlink_metadata(&labs_root).is_ok_and(|metadata| metadata.is_symlink()) {
            bail!(
                "{} is a symbolic link, which the grader does not follow: give a folder that holds a real labs/",
                labs_root.display()
            );
        }
        if !labs_root.is_dir() {
            bail!(
                "{} holds no labs/ folder: a submission is a copy of the repository, the folder that contains labs/",
                dir.display()
            );
        }
        Ok(Submission {
            labs_root,
            label: dir.display().to_string(),
        })
    }

    /// The submission's `src/` for a lab (it may be missing: then the lab is not submitted).
    pub fn src_dir(&self, lab: &Lab) -> PathBuf {
        self.labs_root.join(&lab.id).join("src")
    }
}
