//! What the benchmark grades: a synthetic class, and plain copies of the workspace for cargo.
//!
//! The class mixes, in turn, the kinds of submission an instructor really receives — solved,
//! untouched, broken — so that the batch grader is timed on its whole range of work: labs whose
//! tests all pass, labs whose tests all fail at once, labs that do not compile or are missing.
//!
//! The class is honest about what its students share: every solved lab carries a line naming
//! its student, so no two students' solved labs are the same source (as in a real class,
//! where each student writes their own), while untouched labs are the shipped stubs byte for
//! byte (as a real class's are).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::course::{Course, Lab};
use crate::files::copy_tree;
use crate::layout;
use crate::pipeline::assemble::copy_instructor_package;

/// The kinds of submission, in the order the class takes them in turn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Every lab's reference solution.
    Solved,
    /// The labs as shipped: every `todo!()` still there.
    Stubs,
    /// The reference solutions, with a type error appended to one lab's `src/lib.rs`.
    CompileError { lab: usize },
    /// The first half of the labs solved, the other half untouched.
    HalfSolved,
    /// The reference solutions, with one lab's `src/` left out.
    MissingSrc { lab: usize },
}

const KINDS_IN_TURN: usize = 5;

/// Where one lab's `src/` comes from in a submission.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LabSource {
    Solution,
    Stub,
    SolutionThatDoesNotCompile,
    Missing,
}

/// One submission of the synthetic class.
pub struct Submission {
    /// The folder name, which the batch grader uses as the student's name.
    pub name: String,
    pub dir: PathBuf,
}

/// Appended to a lab's `src/lib.rs`: the kind of type error a student leaves behind.
const TYPE_ERROR: &str = "
/// Left half-written: returns text where a number is expected.
pub fn half_written() -> u32 {
    \"forty-two\"
}
";

impl Kind {
    /// The kind of the `index`-th submission (from 0). The kinds take turns, and the lab that
    /// is broken moves on to the next lab each time round.
    pub fn of_submission(index: usize, lab_count: usize) -> Kind {
        let broken_lab = (index / KINDS_IN_TURN) % lab_count.max(1);
        match index % KINDS_IN_TURN {
            0 => Kind::Solved,
            1 => Kind::Stubs,
            2 => Kind::CompileError { lab: broken_lab },
            3 => Kind::HalfSolved,
            _ => Kind::MissingSrc { lab: broken_lab },
        }
    }

    /// Where the `src/` of the `lab`-th of `lab_count` labs comes from.
    pub fn source_of(self, lab: usize, lab_count: usize) -> LabSource {
        match self {
            Kind::Solved => LabSource::Solution,
            Kind::Stubs => LabSource::Stub,
            Kind::CompileError { lab: broken } if broken == lab => {
                LabSource::SolutionThatDoesNotCompile
            }
            Kind::MissingSrc { lab: missing } if missing == lab => LabSource::Missing,
            Kind::CompileError { .. } | Kind::MissingSrc { .. } => LabSource::Solution,
            Kind::HalfSolved if lab < lab_count.div_ceil(2) => LabSource::Solution,
            Kind::HalfSolved => LabSource::Stub,
        }
    }

    /// A name that says what the submission holds, e.g. `compile-error-02-binding`.
    fn label(self, labs: &[Lab]) -> String {
        match self {
            Kind::Solved => "solved".to_string(),
            Kind::Stubs => "stubs".to_string(),
            Kind::CompileError { lab } => format!("compile-error-{}", labs[lab].id),
            Kind::HalfSolved => "half-solved".to_string(),
            Kind::MissingSrc { lab } => format!("missing-{}", labs[lab].id),
        }
    }
}

/// The folder name of the `index`-th of `class_size` submissions: numbered so that name order
/// is class order, e.g. `s03-compile-error-01-ports`.
pub fn submission_name(index: usize, class_size: usize, labs: &[Lab]) -> String {
    let width = class_size.to_string().len();
    let kind = Kind::of_submission(index, labs.len());
    format!("s{:0width$}-{}", index + 1, kind.label(labs))
}

/// Writes a class of `class_size` submissions into `dir` (emptied first), each a folder
/// holding `labs/NN-name/src` for its labs.
pub fn write_class(
    course: &Course,
    labs: &[Lab],
    dir: &Path,
    class_size: usize,
) -> Result<Vec<Submission>> {
    empty_folder(dir)?;
    let mut class = Vec::with_capacity(class_size);
    for index in 0..class_size {
        let name = submission_name(index, class_size, labs);
        let submission_dir = dir.join(&name);
        let kind = Kind::of_submission(index, labs.len());
        for (position, lab) in labs.iter().enumerate() {
            let src = submission_dir.join(lab.relative_dir()).join("src");
            write_lab_src(
                course,
                lab,
                kind.source_of(position, labs.len()),
                &src,
                &name,
            )?;
        }
        fs::create_dir_all(submission_dir.join("labs"))?;
        class.push(Submission {
            name,
            dir: submission_dir,
        });
    }
    Ok(class)
}

fn write_lab_src(
    course: &Course,
    lab: &Lab,
    source: LabSource,
    src: &Path,
    student: &str,
) -> Result<()> {
    let solution = course.solution_src_dir(lab);
    let own_line = format!("\n// Written by {student}.\n");
    match source {
        LabSource::Solution => {
            copy_tree(&solution, src)?;
            append_to_crate_root(src, &own_line)
        }
        LabSource::Stub => copy_tree(&lab.dir.join("src"), src).map(drop),
        LabSource::SolutionThatDoesNotCompile => {
            copy_tree(&solution, src)?;
            append_to_crate_root(src, &(own_line + TYPE_ERROR))
        }
        LabSource::Missing => Ok(()),
    }
}

/// Appends `text` to the lab's `src/lib.rs` (or `src/main.rs`, for a lab without a library).
fn append_to_crate_root(src: &Path, text: &str) -> Result<()> {
    let root = if src.join("lib.rs").is_file() {
        src.join("lib.rs")
    } else {
        src.join("main.rs")
    };
    let old =
        fs::read_to_string(&root).with_context(|| format!("cannot read {}", root.display()))?;
    fs::write(&root, old + text).with_context(|| format!("cannot write {}", root.display()))
}

/// A copy of the repository that plain cargo can build and test: `Cargo.toml`, `Cargo.lock`,
/// `.cargo/`, `xtask/`, the labs' shared test harness and every lab package, with each lab's
/// `src/` taken from `src_of`.
pub fn copy_workspace(
    course: &Course,
    labs: &[Lab],
    dir: &Path,
    src_of: impl Fn(&Lab) -> PathBuf,
) -> Result<()> {
    empty_folder(dir)?;
    for shared in ["Cargo.toml", "Cargo.lock", ".cargo", "xtask"] {
        let from = course.root.join(shared);
        if from.exists() {
            copy_tree(&from, &dir.join(shared))?;
        }
    }
    if course.harness_dir().is_dir() {
        copy_tree(&course.harness_dir(), &layout::harness_dir(dir))?;
    }
    for lab in labs {
        let package = dir.join(lab.relative_dir());
        copy_instructor_package(&lab.dir, &package)?;
        copy_tree(&src_of(lab), &package.join("src"))?;
    }
    Ok(())
}

/// The `src/` a plain `cargo test` of `submission` uses for `lab`: the submission's own, or
/// the stub when it has none — a missing lab scores nothing either way, and every lab
/// package of the workspace needs a `src/` for cargo to load it.
pub fn src_for_cargo(submission: &Submission, lab: &Lab) -> PathBuf {
    let submitted = submission.dir.join(lab.relative_dir()).join("src");
    if submitted.is_dir() {
        submitted
    } else {
        lab.dir.join("src")
    }
}

fn empty_folder(dir: &Path) -> Result<()> {
    super::remove_if_present(dir)?;
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labs(ids: &[&str]) -> Vec<Lab> {
        ids.iter()
            .map(|id| Lab {
                id: id.to_string(),
                dir: PathBuf::new(),
                package: String::new(),
                manifest: toml::from_str("title = \"t\"").unwrap(),
                hidden: None,
            })
            .collect()
    }

    #[test]
    fn the_class_takes_every_kind_in_turn_and_the_broken_lab_moves_on() {
        let four = labs(&["01-ports", "02-binding", "03-loopback", "04-echo-tokio"]);
        let names: Vec<String> = (0..12).map(|i| submission_name(i, 12, &four)).collect();
        assert_eq!(
            names,
            [
                "s01-solved",
                "s02-stubs",
                "s03-compile-error-01-ports",
                "s04-half-solved",
                "s05-missing-01-ports",
                "s06-solved",
                "s07-stubs",
                "s08-compile-error-02-binding",
                "s09-half-solved",
                "s10-missing-02-binding",
                "s11-solved",
                "s12-stubs",
            ]
        );
    }

    #[test]
    fn the_first_three_submissions_are_solved_untouched_and_broken() {
        let kinds: Vec<Kind> = (0..3).map(|i| Kind::of_submission(i, 4)).collect();
        assert_eq!(
            kinds,
            [Kind::Solved, Kind::Stubs, Kind::CompileError { lab: 0 }]
        );
    }

    #[test]
    fn each_kind_takes_each_lab_from_the_right_place() {
        let sources =
            |kind: Kind| -> Vec<LabSource> { (0..4).map(|lab| kind.source_of(lab, 4)).collect() };
        use LabSource::*;
        assert_eq!(sources(Kind::Solved), [Solution; 4]);
        assert_eq!(sources(Kind::Stubs), [Stub; 4]);
        assert_eq!(
            sources(Kind::CompileError { lab: 1 }),
            [Solution, SolutionThatDoesNotCompile, Solution, Solution]
        );
        assert_eq!(sources(Kind::HalfSolved), [Solution, Solution, Stub, Stub]);
        assert_eq!(
            sources(Kind::MissingSrc { lab: 3 }),
            [Solution, Solution, Solution, Missing]
        );
    }

    #[test]
    fn numbers_are_padded_so_name_order_is_class_order() {
        let one = labs(&["01-ports"]);
        assert_eq!(submission_name(0, 9, &one), "s1-solved");
        assert_eq!(submission_name(0, 100, &one), "s001-solved");
        assert_eq!(submission_name(99, 100, &one), "s100-missing-01-ports");
    }
}
