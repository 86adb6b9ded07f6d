//! `cargo xtask list`: every lab, where the student stands on it, and what to do next.
//!
//! Where a student stands comes from three facts: the lab's starting code (`stub.lock`), the
//! files in `labs/NN-name/src` now, and the last grade (`record`). Code that still equals the
//! starting code is *not started*; code graded since its last change shows that grade; code
//! changed after its grade (or never graded) says so, because an old score would mislead.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;

use crate::author::stub::SourceFiles;
use crate::course::{Course, Lab};
use crate::pipeline::report::schema::LabStatus;
use crate::student::record::{self, LabRecord};

/// Where a student stands on one lab.
pub enum LabState {
    /// There is no `src/` folder at all.
    SrcMissing,
    /// `src/` is still the starting code.
    NotStarted,
    /// `src/` was changed and has not been graded since.
    NotGraded,
    /// Graded, but `src/` changed after that grade.
    ChangedSinceGraded(LabRecord),
    /// Graded as it is now.
    Graded(LabRecord),
}

impl LabState {
    pub fn of(course: &Course, lab: &Lab) -> LabState {
        let src = lab.src_dir();
        if !src.is_dir() {
            return LabState::SrcMissing;
        }
        let current = SourceFiles::of(&src).ok();
        let starting = SourceFiles::recorded(lab).ok();
        let last = record::last_grade(course, lab);
        let untouched = current.is_some() && current == starting;
        match last {
            Some(last) if current.as_ref().is_some_and(|now| now.files == last.src) => {
                LabState::Graded(last)
            }
            _ if untouched => LabState::NotStarted,
            Some(last) => LabState::ChangedSinceGraded(last),
            None => LabState::NotGraded,
        }
    }

    fn is_done(&self) -> bool {
        matches!(self, LabState::Graded(last) if last.is_full_marks())
    }
}

/// The first lab, in course order, that is not done yet.
pub fn next_lab<'a>(course: &Course, labs: &'a [Lab]) -> Option<&'a Lab> {
    labs.iter().find(|lab| !LabState::of(course, lab).is_done())
}

/// `cargo xtask list` has no flags.
#[derive(clap::Args)]
pub struct ListArgs {}

impl ListArgs {
    pub fn run(self) -> Result<ExitCode> {
        list()
    }
}

fn list() -> Result<ExitCode> {
    let course = Course::locate();
    let labs = course.labs()?;
    let states: Vec<LabState> = labs.iter().map(|lab| LabState::of(&course, lab)).collect();
    print!("{}", render(&labs, &states));
    Ok(ExitCode::SUCCESS)
}

fn render(labs: &[Lab], states: &[LabState]) -> String {
    let width = labs
        .iter()
        .map(|lab| lab.id.len())
        .max()
        .unwrap_or(3)
        .max(3);
    let mut text = format!("{:width$}  {:>7}  Status\n", "Lab", "Score");
    let (mut earned, mut possible) = (0.0, 0.0);
    for (lab, state) in labs.iter().zip(states) {
        let max = lab.manifest.total_points();
        possible += max;
        let score = match state {
            LabState::Graded(last) => {
                earned += last.score;
                format!("{}/{}", points(last.score), points(max))
            }
            LabState::NotStarted => format!("0/{}", points(max)),
            _ => format!("-/{}", points(max)),
        };
        text.push_str(&format!(
            "{:width$}  {score:>7}  {}\n",
            lab.id,
            status_line(state)
        ));
    }
    text.push_str(&format!(
        "{:width$}  {:>7}  (labs graded since their last change)\n\n",
        "Total",
        format!("{}/{}", points(earned), points(possible))
    ));
    let next = labs.iter().zip(states).find(|(_, state)| !state.is_done());
    match next {
        Some((lab, state)) => text.push_str(&next_step(lab, state)),
        None => text.push_str("Every lab is done, with full marks. Well done!\n"),
    }
    text
}

fn status_line(state: &LabState) -> String {
    match state {
        LabState::SrcMissing => {
            "src/ is missing: `cargo xtask reset` puts the starting code back".to_string()
        }
        LabState::NotStarted => "not started".to_string(),
        LabState::NotGraded => "in progress, not graded yet".to_string(),
        LabState::ChangedSinceGraded(last) => format!(
            "changed since its last grade ({}/{} {}): grade it again",
            points(last.score),
            points(last.max_score),
            ago(last.graded_at)
        ),
        LabState::Graded(last) => match last.status {
            LabStatus::BuildError => format!("does not compile (graded {})", ago(last.graded_at)),
            LabStatus::Missing => {
                "nothing to grade in src/: `cargo xtask reset` puts the starting code back"
                    .to_string()
            }
            _ if last.is_full_marks() => "done".to_string(),
            _ => format!(
                "{} of {} tests to go (graded {})",
                last.failing.len(),
                last.tests,
                ago(last.graded_at)
            ),
        },
    }
}

fn next_step(lab: &Lab, state: &LabState) -> String {
    let number = lab.number();
    let chapter = lab
        .manifest
        .chapter
        .as_deref()
        .map(|chapter| format!("book/src/{chapter}"))
        .unwrap_or_else(|| "its chapter of the book".to_string());
    let what = match state {
        LabState::SrcMissing => format!(
            "labs/{}/src is missing: `cargo xtask reset {number}` puts the starting code back",
            lab.id
        ),
        LabState::NotStarted => {
            format!("read {chapter}, then start with `cargo xtask watch {number}`")
        }
        LabState::Graded(last) if last.status == LabStatus::BuildError => format!(
            "it does not compile: `cargo xtask grade {number}` shows the compiler's message"
        ),
        LabState::Graded(last) => format!(
            "{} tests to go: `cargo xtask watch {number}` grades it each time you save",
            last.failing.len()
        ),
        _ => {
            format!("grade it with `cargo xtask grade {number}` (or `cargo xtask watch {number}`)")
        }
    };
    format!(
        "Next: {} ({}): {what}.\nStuck? `cargo xtask hint {number}` gives one hint at a time.\n",
        lab.id, lab.manifest.title
    )
}

/// "just now", "5 min ago", "3 h ago", "2 days ago".
fn ago(graded_at: u64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let seconds = now.saturating_sub(graded_at);
    match seconds {
        0..60 => "just now".to_string(),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86400 => format!("{} h ago", seconds / 3600),
        _ => format!("{} days ago", seconds / 86400),
    }
}

fn points(value: f64) -> String {
    crate::pipeline::report::points(value)
}
