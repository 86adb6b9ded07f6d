//! Where the grader and the student tools keep their files, named once.
//!
//! Every folder the tools make is spelled out here and nowhere else, so that a reader can see
//! the whole layout at a glance, and a stage that needs a folder asks for it by name:
//!
//! ```text
//! target/grade/                 the grader's, kept across runs so dependencies compile once
//!   scratch/run-XXXX/           one grading run's assembled workspace (deleted afterwards)
//!     labs/NN-name/             the instructor's lab with the submission's src/
//!     labs/harness/             the course's shared test harness (as in the build folder)
//!     bin/NN-name/tests/        the lab's test executables, copied out of the build
//!     bin/NN-name/programs/     the lab's programs (src/main.rs, src/bin/*)
//!   build/                      build slot 0: the build folder every lab is mirrored into
//!   target/                     its cargo target folder
//!   stand-in/                   the empty test that stands in for a lab's tests in step 1
//!   build.lock                  held while a lab builds
//!   slot-N/{build,target,stand-in,build.lock}   build slot N of a class graded with --jobs
//!   cache/<sha256>/             a lab's build, by what it was built from (see `build::cache`)
//! <tmp>/loopback-labs-view-XXX/ what one lab's tests see (see `pipeline::run::LabView`)
//!   lab/  bin/tests/  bin/programs/  runs/N/{tmp,home,out}
//! target/student/               what the student tools remember (kept when CARGO_TARGET_DIR moves builds)
//!   grades/NN-name.json         the last grade of each lab, for `list`
//!   hints.json                  how many hints of each lab were shown
//! ```

use std::path::{Path, PathBuf};

use crate::course::{Course, HARNESS};

/// The grader's own folders, under `target/grade/` (or `$CARGO_TARGET_DIR/grade/`).
pub struct GradeFolders {
    root: PathBuf,
}

impl GradeFolders {
    pub fn of(course: &Course) -> GradeFolders {
        GradeFolders {
            root: course.target_dir().join("grade"),
        }
    }

    /// Where each grading run assembles its scratch workspace.
    pub fn scratch(&self) -> PathBuf {
        self.root.join("scratch")
    }

    /// One of the build slots: slot 0 for one submission, one per `--jobs` for a class, each
    /// with its own build folder and target folder (cargo builds one thing at a time in a
    /// target folder).
    pub fn slot(&self, number: usize) -> BuildSlot {
        let root = match number {
            0 => self.root.clone(),
            n => self.root.join(format!("slot-{n}")),
        };
        BuildSlot { root, number }
    }

    /// Builds remembered by what they were built from.
    pub fn build_cache(&self) -> PathBuf {
        self.root.join("cache")
    }
}

/// A build folder with its target folder, its stand-in and its lock.
#[derive(Clone)]
pub struct BuildSlot {
    root: PathBuf,
    pub number: usize,
}

impl BuildSlot {
    /// The build folder every lab is mirrored into before cargo builds it.
    pub fn build(&self) -> PathBuf {
        self.root.join("build")
    }

    /// The build folder's cargo target folder.
    pub fn target(&self) -> PathBuf {
        self.root.join("target")
    }

    /// The empty test (and empty file) of a build's first step.
    pub fn stand_in(&self) -> PathBuf {
        self.root.join("stand-in")
    }

    /// The lock held while a lab builds, so concurrent graders take turns.
    pub fn build_lock(&self) -> PathBuf {
        self.root.join("build.lock")
    }
}

/// The labs' shared test harness in a workspace laid out like the course: the course itself,
/// a scratch workspace, the build folder, or a copy of the repository.
pub fn harness_dir(workspace_root: &Path) -> PathBuf {
    workspace_root.join("labs").join(HARNESS)
}

/// Where one scratch workspace keeps a lab's executables, copied out of the build.
pub fn lab_bin_dir(workspace_root: &Path, lab_id: &str) -> PathBuf {
    workspace_root.join("bin").join(lab_id)
}

/// The two kinds of executables a lab's build makes, each in a folder of that name.
pub const TEST_EXECUTABLES: &str = "tests";
pub const PROGRAMS: &str = "programs";

/// What the student tools remember between runs, under `target/student/` of this checkout.
pub struct StudentFolders {
    root: PathBuf,
}

impl StudentFolders {
    pub fn of(course: &Course) -> StudentFolders {
        StudentFolders {
            root: course.student_dir(),
        }
    }

    /// The last grade of one lab.
    pub fn grade_record(&self, lab_id: &str) -> PathBuf {
        self.root.join("grades").join(format!("{lab_id}.json"))
    }

    /// How many hints of each lab were shown.
    pub fn hints(&self) -> PathBuf {
        self.root.join("hints.json")
    }
}
