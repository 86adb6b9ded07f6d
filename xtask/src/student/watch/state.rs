//! What decides whether watch grades again: the state of each watched lab's `src/`.
//!
//! File system events only wake the watch loop up; they are not trusted to say what changed.
//! After each wake-up every watched lab's `src/` is looked at again (`SrcState`), and only a
//! lab whose files differ from when it was last graded is graded again. That keeps three
//! things out:
//!
//! - editors' swap, backup and lock files (`.ranges.rs.swp`, `ranges.rs~`), which change
//!   while a student types, not when they save;
//! - a pile of grades after a save that lands during a grade: its events wait in the channel
//!   and are all read at once afterwards, and the state comparison makes them one grade;
//! - the grader itself, which opens and reads every file it grades: reading leaves
//!   `SrcState` as it was (and `events::ChangesOnly` drops such events before they can wake
//!   the loop at all).

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs;
use std::path::PathBuf;
use std::time::SystemTime;

use walkdir::WalkDir;

use super::Round;
use crate::course::{Course, Lab};

/// The labs being watched, each with its `src/` as last graded (or as found at the start).
pub(super) struct WatchedLabs {
    pub(super) labs: Vec<Lab>,
    seen: Vec<SrcState>,
}

impl WatchedLabs {
    pub(super) fn new(course: &Course, labs: Vec<Lab>) -> WatchedLabs {
        let seen = labs.iter().map(|lab| SrcState::of(course, lab)).collect();
        WatchedLabs { labs, seen }
    }

    /// The labs whose `src/` changed since last seen, which count as seen from now on.
    pub(super) fn take_changes(&mut self, course: &Course) -> Option<Round> {
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
fn is_editor_scratch(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
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
}
