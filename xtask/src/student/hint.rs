//! `cargo xtask hint LAB [N]`: a lab's hints, one at a time.
//!
//! A hint given too early spoils the exercise, so they come in order, from a nudge to nearly
//! the answer (`hints = [...]` in `lab.toml`). Without N the student gets the next hint they
//! have not seen; the count is kept in `target/student/hints.json`. With N they get hint N
//! (and it counts as seen), so they can go back to one.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::course::{Course, Lab};
use crate::layout::StudentFolders;
use crate::pipeline::report;

#[derive(clap::Args)]
pub struct HintArgs {
    /// The lab: "01", "01-ports" or "ports".
    #[arg(value_name = "LAB")]
    lab: String,

    /// Which hint to show, from 1.
    #[arg(value_name = "N")]
    number: Option<u32>,
}

impl HintArgs {
    pub fn run(self) -> Result<ExitCode> {
        hint(&self.lab, self.number)
    }
}

fn hint(name: &str, number: Option<u32>) -> Result<ExitCode> {
    let course = Course::locate();
    let lab = course.select(&[name.to_string()])?.remove(0);
    let hints = &lab.manifest.hints;
    if hints.is_empty() {
        bail!(
            "lab {} has no hints yet; each failing test's own hint is in `cargo xtask grade {}`",
            lab.id,
            lab.number()
        );
    }
    let mut seen = HintsSeen::load(&course);
    let already = seen.count(&lab);
    let chosen = match number {
        Some(n) if n == 0 || n as usize > hints.len() => bail!(
            "lab {} has {} hints: ask for one from 1 to {}",
            lab.id,
            hints.len(),
            hints.len()
        ),
        Some(n) => n as usize,
        None => (already + 1).min(hints.len()),
    };
    seen.mark(&lab, chosen.max(already));
    seen.save();
    print!("{}", render(&lab, chosen, already));
    Ok(ExitCode::SUCCESS)
}

fn render(lab: &Lab, chosen: usize, already: usize) -> String {
    let hints = &lab.manifest.hints;
    let number = lab.number();
    let mut text = format!(
        "Hint {chosen} of {} for {} ({}):\n\n",
        hints.len(),
        lab.id,
        lab.manifest.title
    );
    // The terminal's width, up to 88 columns: a hint is read, not scanned.
    let width = report::terminal_width().unwrap_or(88).min(88);
    let options = textwrap::Options::new(width)
        .initial_indent("  ")
        .subsequent_indent("  ")
        .break_words(false);
    text.push_str(&textwrap::fill(&hints[chosen - 1], options));
    text.push('\n');
    text.push('\n');
    if chosen < hints.len() {
        text.push_str(&format!(
            "Still stuck? `cargo xtask hint {number}` shows hint {}.\n",
            chosen + 1
        ));
    } else if already >= hints.len() {
        text.push_str(&format!(
            "That was the last hint. Each failing test has its own hint in `cargo xtask grade {number}`, \
             and `cargo xtask hint {number} 1` starts again from the first.\n"
        ));
    } else {
        text.push_str(&format!(
            "That was the last hint. Each failing test has its own hint in `cargo xtask grade {number}`.\n"
        ));
    }
    text
}

/// How many hints of each lab the student has seen: `target/student/hints.json`.
struct HintsSeen {
    path: PathBuf,
    counts: BTreeMap<String, usize>,
}

impl HintsSeen {
    fn load(course: &Course) -> HintsSeen {
        let path = StudentFolders::of(course).hints();
        let counts = fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        HintsSeen { path, counts }
    }

    fn count(&self, lab: &Lab) -> usize {
        self.counts.get(&lab.id).copied().unwrap_or(0)
    }

    fn mark(&mut self, lab: &Lab, count: usize) {
        self.counts.insert(lab.id.clone(), count);
    }

    /// Saving is best effort: a hint shown matters more than remembering it.
    fn save(&self) {
        let written =
            fs::create_dir_all(self.path.parent().expect("in target/student")).and_then(|()| {
                fs::write(
                    &self.path,
                    serde_json::to_string_pretty(&self.counts).unwrap_or_default(),
                )
            });
        if let Err(error) = written {
            eprintln!(
                "note: could not remember which hints you have seen ({}): {error}",
                self.path.display()
            );
        }
    }
}
