//! `cargo xtask watch [LAB] [--poll]`: grade a lab again each time its code is saved.
//!
//! A student keeps this running next to their editor: every save brings the report, with
//! the failing checks at the top of the screen, where the eyes land.
//!
//! This module is the loop: grade, show, wait for a change, grade again. Its parts:
//!
//! - `events`: noticing that files changed — notify's events, debounced, or polling on file
//!   systems that send none. Events only wake the loop up.
//! - `state`: deciding whether to grade again — a lab is graded again only when its `src/`
//!   differs from when it was last graded, whatever the events said.
//! - `terminal`: what the student sees — a cleared screen per grade on a terminal, plain
//!   lines elsewhere.
//!
//! **Grading** is exactly `cargo xtask grade LAB` of this checkout (`pipeline::grade_one`), and
//! each grade is remembered for `cargo xtask list` (`record`), so the two never disagree.
//!
//! **Ctrl-C** is handled by `process::stop_children_on_interrupt` (set up in `main`): it
//! kills the builds and tests still running and exits with status 130. Nothing here needs
//! cleaning up: grade records are written atomically.

mod events;
mod state;
mod terminal;

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};

use anyhow::{Context, Result};
use notify_debouncer_mini::DebounceEventResult;

use crate::course::{Course, Lab};
use crate::grade::DEFAULT_RETRIES;
use crate::pipeline;
use crate::pipeline::Resources;
use crate::pipeline::budget::Budget;
use crate::pipeline::progress::Progress;
use crate::pipeline::report::{self, Layout, TestOrder};
use crate::pipeline::submission::Submission;
use crate::sandbox::Isolation;
use crate::student::list::next_lab;
use crate::student::record;
use events::start_watching;
use state::WatchedLabs;
use terminal::Screen;

#[derive(clap::Args)]
pub struct WatchArgs {
    /// The lab to watch: "01", "01-ports" or "ports" (default: every lab).
    #[arg(value_name = "LAB")]
    lab: Option<String>,

    /// Look for changes every second instead of waiting for the file system's change
    /// events, which some file systems (network and virtual machine shares) never send.
    #[arg(long)]
    poll: bool,
}

impl WatchArgs {
    pub fn run(self) -> Result<ExitCode> {
        watch(self.lab.as_deref(), self.poll)
    }
}

/// Grades `lab` (or, without one, the next lab to do), then again after each save in a
/// watched `src/`, until Ctrl-C. Returns only on an error that stops the watching: a wrong
/// lab name, or a folder that cannot be watched.
fn watch(lab: Option<&str>, poll: bool) -> Result<ExitCode> {
    let course = Course::locate();
    let names: Vec<String> = lab.map(str::to_string).into_iter().collect();
    let labs = pipeline::select_labs(&course, &names, None, None)?;

    let folders: Vec<PathBuf> = labs
        .iter()
        .map(|lab| course.labs_dir().join(&lab.id))
        .collect();
    let (sender, changes) = mpsc::channel();
    // Dropping the watcher stops it, so it lives as long as this function.
    let (_watcher, source) = start_watching(&folders, poll, sender)?;

    let terminal = io::stdout().is_terminal();
    console::set_colors_enabled(terminal && std::env::var_os("NO_COLOR").is_none());
    let screen = Screen {
        terminal,
        source,
        folder: match lab {
            Some(_) => format!("labs/{}/src", labs[0].id),
            None => "a lab's src/ (labs/NN-name/src)".to_string(),
        },
    };
    let isolation = Isolation::probe(false);
    let mut watched = WatchedLabs::new(&course, labs);

    let mut round = first_round(&course, &watched.labs, lab.is_some());
    if round.is_none() {
        screen.say("every lab is done, with full marks: well done! Still watching for changes.")?;
    }
    loop {
        if let Some(round) = &round {
            grade_and_show(&course, round, &isolation, &screen)?;
        }
        screen.waiting()?;
        round = Some(wait_for_changes(&changes, &course, &mut watched)?);
    }
}

/// What to grade next, and why (shown while it grades).
struct Round {
    labs: Vec<Lab>,
    reason: String,
}

impl Round {
    /// "01-ports" or "01-ports, 02-binding".
    fn lab_ids(&self) -> String {
        let ids: Vec<&str> = self.labs.iter().map(|lab| lab.id.as_str()).collect();
        ids.join(", ")
    }
}

/// The lab named on the command line, or else the next lab to do (none when all are done).
fn first_round(course: &Course, labs: &[Lab], named: bool) -> Option<Round> {
    if named {
        return Some(Round {
            labs: labs.to_vec(),
            reason: String::new(),
        });
    }
    next_lab(course, labs).map(|lab| Round {
        labs: vec![lab.clone()],
        reason: "the next lab to do".to_string(),
    })
}

/// Grades the round's labs like `cargo xtask grade` of this checkout, remembers the grades
/// for `cargo xtask list`, and shows the report. A grade that cannot run (say, cargo is
/// missing) is shown too: the student may fix it and save again.
fn grade_and_show(
    course: &Course,
    round: &Round,
    isolation: &Isolation,
    screen: &Screen,
) -> Result<()> {
    screen.grading(round)?;
    let submission = Submission::checkout(course);
    let progress = Progress::new(screen.terminal);
    let sources = record::sources_before_grading(&round.labs);
    let graded = Budget::for_this_machine().and_then(|budget| {
        let resources = Resources {
            retries: DEFAULT_RETRIES,
            ..Resources::first_slot(course, isolation, &budget)
        };
        pipeline::grade_one(course, &round.labs, &submission, &progress, &resources)
            .map(|graded| graded.report)
    });
    progress.finish();
    match graded {
        Ok(report) => {
            record::remember(course, &report.labs, &sources);
            // The screen's own lines: two of header and the waiting line.
            let rows = report::terminal_height().map(|rows| rows.saturating_sub(3));
            let layout = Layout::fits_in(
                TestOrder::FailingFirst,
                "then save: watch grades it again",
                rows,
            );
            let text = report::to_human_laid_out(&report, &submission.label, &layout);
            screen.report(round, &text)?;
        }
        Err(error) => screen.say(&format!(
            "could not grade {}: {error:#}\nwatch: fix what the message says, then save a file to try again",
            round.lab_ids()
        ))?,
    }
    Ok(())
}

/// Waits until the `src/` of a watched lab changes, and returns the labs that changed.
fn wait_for_changes(
    changes: &Receiver<DebounceEventResult>,
    course: &Course,
    watched: &mut WatchedLabs,
) -> Result<Round> {
    loop {
        let batch = changes
            .recv()
            .context("the file watcher stopped; start `cargo xtask watch` again")?;
        warn_about_watch_errors(batch);
        // Whatever else arrived meanwhile (during a grade, say) belongs to the same change.
        while let Ok(batch) = changes.try_recv() {
            warn_about_watch_errors(batch);
        }
        if let Some(round) = watched.take_changes(course) {
            return Ok(round);
        }
    }
}

/// An error from the watcher (inotify's queue overflowed, a folder vanished) is worth a line,
/// not the end of watching: the state of `src/` is checked anyway.
fn warn_about_watch_errors(batch: DebounceEventResult) {
    if let Err(error) = batch {
        eprintln!("watch: note: the file watcher reported an error: {error}");
    }
}
