//! `cargo xtask watch [LAB] [--poll]`: grade a lab again each time its code is saved.
//!
//! A student keeps this running next to their editor: every save brings the report, with
//! the failing checks at the top of the screen, where the eyes land.
//!
//! How it works, and why:
//!
//! - **Grading** is exactly `cargo xtask grade LAB` of this checkout (`pipeline::grade_one`), and
//!   each grade is remembered for `cargo xtask list` (`record`), so the two never disagree.
//! - **Noticing a save**: notify's watcher reports file system events; notify-debouncer-mini
//!   waits for 300 ms of quiet, because one save is often several events (write, rename,
//!   chmod). We watch the whole lab folder, not only `src/`, so that a `src/` deleted and put
//!   back (by `cargo xtask reset`) is still watched.
//! - **Events only wake the loop up.** What decides a grade is whether a lab's `src/` differs
//!   from when it was last graded (`SrcState`). That keeps three things out: editors' swap
//!   files, which change while a student types; a save that lands during a grade, whose
//!   events wait in the channel and are all read at once afterwards (one more grade, not a
//!   pile); and inotify reporting files being *opened*, which the grader does to every file it
//!   grades (those events are dropped before debouncing, by `ChangesOnly`, or each check
//!   would wake the next).
//! - **Polling**: some file systems never send events for changes made elsewhere: network
//!   shares (NFS, SMB), and the folders a virtual machine or container shares with its host
//!   (9p as in WSL's `/mnt/c`, virtiofs and other FUSE, vboxsf). There `--poll` looks at the
//!   files every second instead; we also switch to it on our own when `statfs` says the labs
//!   are on such a file system, and say so on screen, since a silent watcher looks broken.
//! - **Screen**: on a terminal, the screen is cleared before each grade; otherwise (CI, a
//!   pipe, a test) plain lines with a separator, flushed after each report so a reader sees
//!   it at once. Each report ends with `watch: waiting for changes in …`.
//! - **Ctrl-C** is handled by `process::stop_children_on_interrupt` (set up in `main`): it
//!   kills the builds and tests still running and exits with status 130. Nothing here needs
//!   cleaning up: grade records are written atomically.

use std::any::Any;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use console::{Style, Term};
use notify::{
    Event, EventHandler, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher, WatcherKind,
};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer_opt};
use walkdir::WalkDir;

use crate::course::{Course, Lab};
use crate::pipeline;
use crate::pipeline::progress::Progress;
use crate::pipeline::report::{self, TestOrder};
use crate::pipeline::submission::Submission;
use crate::sandbox::Isolation;
use crate::student::list::next_lab;
use crate::student::record;

/// How long the files must stay quiet before a burst of events counts as one change.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Grades `lab` (or, without one, the next lab to do), then again after each save in a
/// watched `src/`, until Ctrl-C. Returns only on an error that stops the watching: a wrong
/// lab name, or a folder that cannot be watched.
pub fn watch(lab: Option<&str>, poll: bool) -> Result<ExitCode> {
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
    let graded = pipeline::grade_one(course, &round.labs, &submission, &progress, isolation);
    progress.finish();
    match graded {
        Ok(report) => {
            record::remember(course, &report.labs, &sources);
            let text = report::to_human_in_order(&report, &submission.label, TestOrder::FailingFirst);
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

/// The labs being watched, each with its `src/` as last graded (or as found at the start).
struct WatchedLabs {
    labs: Vec<Lab>,
    seen: Vec<SrcState>,
}

impl WatchedLabs {
    fn new(course: &Course, labs: Vec<Lab>) -> WatchedLabs {
        let seen = labs.iter().map(|lab| SrcState::of(course, lab)).collect();
        WatchedLabs { labs, seen }
    }

    /// The labs whose `src/` changed since last seen, which count as seen from now on.
    fn take_changes(&mut self, course: &Course) -> Option<Round> {
        let mut labs = Vec::new();
        let mut files = Vec::new();
        for (lab, seen) in self.labs.iter().zip(&mut self.seen) {
            let now = SrcState::of(course, lab);
            let changed = now.changed_since(seen);
            if !changed.is_empty() {
                labs.push(lab.clone());
                files.extend(changed);
                *seen = now;
            }
        }
        if labs.is_empty() {
            return None;
        }
        Some(Round {
            labs,
            reason: describe_changed(&files),
        })
    }
}

/// "labs/01-ports/src/ranges.rs changed", naming at most three files.
fn describe_changed(files: &[PathBuf]) -> String {
    let mut names: Vec<String> = files
        .iter()
        .take(3)
        .map(|file| file.display().to_string())
        .collect();
    if files.len() > 3 {
        names.push(format!("{} more", files.len() - 3));
    }
    format!("{} changed", names.join(", "))
}

/// What a lab's `src/` holds: each file's path (from the course root), modification time and
/// bytes. A save changes it, even a save of the same text (its time moves on); reading the
/// files does not. Editors' scratch files (`.ranges.rs.swp`, `ranges.rs~`) are left out:
/// they change while a student types, not when they save.
#[derive(Debug, Default, PartialEq)]
struct SrcState {
    files: BTreeMap<PathBuf, (Option<SystemTime>, Vec<u8>)>,
}

impl SrcState {
    fn of(course: &Course, lab: &Lab) -> SrcState {
        let src = lab.src_dir();
        let mut files = BTreeMap::new();
        let entries = WalkDir::new(&src)
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !is_editor_scratch(entry.file_name()))
            .flatten();
        for entry in entries.filter(|entry| entry.file_type().is_file()) {
            let modified = entry.metadata().ok().and_then(|meta| meta.modified().ok());
            // A file that vanished since it was listed is simply left out.
            let Ok(bytes) = fs::read(entry.path()) else {
                continue;
            };
            let name = entry
                .path()
                .strip_prefix(&course.root)
                .unwrap_or(entry.path());
            files.insert(name.to_path_buf(), (modified, bytes));
        }
        SrcState { files }
    }

    /// The files added, removed or saved since `earlier`.
    fn changed_since(&self, earlier: &SrcState) -> Vec<PathBuf> {
        let names: BTreeSet<&PathBuf> = self.files.keys().chain(earlier.files.keys()).collect();
        names
            .into_iter()
            .filter(|name| self.files.get(*name) != earlier.files.get(*name))
            .cloned()
            .collect()
    }
}

/// The swap, backup and lock files editors keep next to a file: `.ranges.rs.swp` (vim),
/// `ranges.rs~`, `#ranges.rs#` and `.#ranges.rs` (emacs).
fn is_editor_scratch(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// Where changes come from: file system events, or looking every second.
enum ChangeSource {
    Events,
    /// Polling, with the reason when the student did not ask for it with `--poll`.
    Polling {
        instead_of_events: Option<String>,
    },
}

impl ChangeSource {
    fn describe(&self) -> String {
        let every = POLL_INTERVAL.as_secs();
        match self {
            ChangeSource::Events => {
                "file system events (if a save goes unnoticed, try --poll)".to_string()
            }
            ChangeSource::Polling {
                instead_of_events: None,
            } => format!("polling every {every} s (--poll)"),
            ChangeSource::Polling {
                instead_of_events: Some(why),
            } => format!("polling every {every} s, as --poll does: {why}"),
        }
    }
}

/// Starts watching `folders`, with events where the file system sends them and polling
/// elsewhere. Each debounced batch of changes goes to `sender`. The watcher runs until the
/// returned value is dropped.
fn start_watching(
    folders: &[PathBuf],
    poll: bool,
    sender: Sender<DebounceEventResult>,
) -> Result<(Box<dyn Any>, ChangeSource)> {
    let no_events = folders
        .iter()
        .find_map(|folder| file_system_without_events(folder).map(|kind| (folder, kind)));
    let instead_of_events = match no_events {
        _ if poll => None,
        Some((folder, kind)) => Some(format!(
            "{} is on {kind}, which may never send change events",
            folder.display()
        )),
        None => match debounced::<RecommendedWatcher>(folders, sender.clone()) {
            Ok(watcher) => return Ok((Box::new(watcher), ChangeSource::Events)),
            Err(error) => Some(format!("file system events are not available ({error})")),
        },
    };
    let watcher = debounced::<PollWatcher>(folders, sender).with_context(|| {
        format!(
            "cannot watch {} for changes; check that the folder exists and can be read",
            folders
                .first()
                .map_or("labs/".to_string(), |folder| folder.display().to_string())
        )
    })?;
    Ok((
        Box::new(watcher),
        ChangeSource::Polling { instead_of_events },
    ))
}

/// A watcher of kind `W` on `folders` (and everything below them), behind the debouncer.
fn debounced<W: Watcher + 'static>(
    folders: &[PathBuf],
    sender: Sender<DebounceEventResult>,
) -> notify::Result<Debouncer<ChangesOnly<W>>> {
    // Polling compares contents too: it reads file times to the second only, so a save in
    // the same second as the previous look would go unnoticed. A lab's files are small.
    let notify_config = notify::Config::default()
        .with_poll_interval(POLL_INTERVAL)
        .with_compare_contents(true);
    let config = notify_debouncer_mini::Config::default()
        .with_timeout(DEBOUNCE)
        .with_notify_config(notify_config);
    let mut debouncer = new_debouncer_opt::<_, ChangesOnly<W>>(config, sender)?;
    for folder in folders {
        debouncer
            .watcher()
            .watch(folder, RecursiveMode::Recursive)?;
    }
    Ok(debouncer)
}

/// A notify watcher that passes on changes only. inotify also reports a file being opened or
/// closed unchanged, and the grader opens every file it grades (as does checking `src/`
/// after an event): without this filter, each look at the files would wake the loop again.
struct ChangesOnly<W>(W);

impl<W: Watcher> Watcher for ChangesOnly<W> {
    fn new<F: EventHandler>(mut handler: F, config: notify::Config) -> notify::Result<Self> {
        let changes_only = move |event: notify::Result<Event>| {
            if !event.as_ref().is_ok_and(|event| event.kind.is_access()) {
                handler.handle_event(event);
            }
        };
        W::new(changes_only, config).map(ChangesOnly)
    }

    fn watch(&mut self, path: &Path, recursive_mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, recursive_mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> WatcherKind {
        W::kind()
    }
}

/// File systems (by `statfs`'s magic number) where a change made elsewhere — by another
/// machine, or by the host of a virtual machine or container — sends no inotify event here.
#[cfg(target_os = "linux")]
const FILE_SYSTEMS_WITHOUT_EVENTS: &[(u32, &str)] = &[
    (0x6969, "NFS"),
    (0x517B, "SMB"),
    (0xFF53_4D42, "CIFS/SMB"),
    (0xFE53_4D42, "SMB2"),
    (0x0102_1997, "9p (a shared folder, e.g. WSL's /mnt/c)"),
    (0x6573_5546, "FUSE (e.g. sshfs or a virtiofs shared folder)"),
    (0x786F_4256, "vboxsf (a VirtualBox shared folder)"),
    (0x7C7C_6673, "prl_fs (a Parallels shared folder)"),
    (0xBACB_ACBC, "vmhgfs (a VMware shared folder)"),
    (0x5346_414F, "AFS"),
    (0x6B41_4653, "AFS"),
    (0x00C3_6400, "CephFS"),
    (0x7375_7245, "Coda"),
];

/// The kind of file system `folder` is on, when it is one that may never send events.
#[cfg(target_os = "linux")]
fn file_system_without_events(folder: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;

    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    // SAFETY: statfs is a plain C struct, for which all zeroes is a valid value.
    let mut stats: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated and `stats` is a valid place for statfs(2) to write.
    if unsafe { libc::statfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    // Magic numbers are 32 bits; f_type is wider on some platforms.
    let magic = stats.f_type as u32;
    FILE_SYSTEMS_WITHOUT_EVENTS
        .iter()
        .find(|(known, _)| *known == magic)
        .map(|(_, kind)| *kind)
}

#[cfg(not(target_os = "linux"))]
fn file_system_without_events(_folder: &Path) -> Option<&'static str> {
    None
}

/// What the student sees. On a terminal the screen is cleared before each grade; elsewhere
/// (CI, a pipe) every round is plain text after a separator line.
struct Screen {
    terminal: bool,
    source: ChangeSource,
    /// Where to save, e.g. `labs/01-ports/src`.
    folder: String,
}

const SEPARATOR: &str = "────────────────────────────────────────────────────────────────────────";

impl Screen {
    /// Before a grade: which labs, and why.
    fn grading(&self, round: &Round) -> io::Result<()> {
        self.start_round()?;
        let why = if round.reason.is_empty() {
            String::new()
        } else {
            format!(" ({})", round.reason)
        };
        self.say(&format!("grading {}{why}…", round.lab_ids()))
    }

    /// After a grade: a header, then the report with the failing checks first.
    fn report(&self, round: &Round, report: &str) -> io::Result<()> {
        if self.terminal {
            // The report starts at the top, in place of the "grading…" line.
            Term::stdout().clear_screen()?;
        }
        let header = Style::new().bold();
        let mut text = format!(
            "watch: {} graded at {} · {}\n",
            header.apply_to(round.lab_ids()),
            time_of_day(SystemTime::now()),
            self.source.describe()
        );
        text.push_str(&format!(
            "watch: failing checks first · save a file in {} to grade again · Ctrl-C to stop\n\n",
            self.folder
        ));
        text.push_str(report);
        print_now(&text)
    }

    /// The line a student (or a test) waits on between grades.
    fn waiting(&self) -> io::Result<()> {
        self.say(&format!("waiting for changes in {}", self.folder))
    }

    fn say(&self, line: &str) -> io::Result<()> {
        print_now(&format!("watch: {line}\n"))
    }

    /// A clean screen on a terminal, a separator line elsewhere.
    fn start_round(&self) -> io::Result<()> {
        if self.terminal {
            Term::stdout().clear_screen()
        } else {
            print_now(&format!("{SEPARATOR}\n"))
        }
    }
}

/// Prints and flushes at once, so that a reader on a pipe sees each line when it is written.
fn print_now(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// The local time of day, "14:03:27" ("… UTC" when the local time cannot be worked out).
fn time_of_day(now: SystemTime) -> String {
    let seconds = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let utc = format!(
        "{:02}:{:02}:{:02} UTC",
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60
    );
    let Ok(time) = libc::time_t::try_from(seconds) else {
        return utc;
    };
    // SAFETY: tm is a plain C struct, for which all zeroes is a valid value.
    let mut local: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid; localtime_r writes only into `local`.
    if unsafe { libc::localtime_r(&time, &mut local) }.is_null() {
        return utc;
    }
    format!(
        "{:02}:{:02}:{:02}",
        local.tm_hour, local.tm_min, local.tm_sec
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_scratch_files_are_not_code() {
        for scratch in [".ranges.rs.swp", "ranges.rs~", "#ranges.rs#", ".#ranges.rs"] {
            assert!(
                is_editor_scratch(scratch.as_ref()),
                "{scratch} is an editor's file"
            );
        }
        for code in ["ranges.rs", "index.html", "servers"] {
            assert!(
                !is_editor_scratch(code.as_ref()),
                "{code} is the student's code"
            );
        }
    }

    #[test]
    fn a_changed_file_is_named() {
        let mut before = SrcState::default();
        before.files.insert(
            "labs/01-ports/src/lib.rs".into(),
            (None, b"mod ranges;".to_vec()),
        );
        let mut after = SrcState::default();
        after.files.insert(
            "labs/01-ports/src/lib.rs".into(),
            (None, b"mod ranges;".to_vec()),
        );
        assert!(after.changed_since(&before).is_empty(), "nothing changed");
        after.files.insert(
            "labs/01-ports/src/ranges.rs".into(),
            (None, b"fn of() {}".to_vec()),
        );
        assert_eq!(
            after.changed_since(&before),
            vec![PathBuf::from("labs/01-ports/src/ranges.rs")]
        );
        assert_eq!(
            describe_changed(&after.changed_since(&before)),
            "labs/01-ports/src/ranges.rs changed"
        );
    }

    #[test]
    fn the_time_of_day_reads_like_a_clock() {
        let time = time_of_day(SystemTime::now());
        let clock = time.trim_end_matches(" UTC");
        assert_eq!(clock.len(), 8, "HH:MM:SS, got {time:?}");
        assert_eq!(clock.matches(':').count(), 2, "HH:MM:SS, got {time:?}");
    }
}
