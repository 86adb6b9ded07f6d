//! Watching the grading files while a submission's code runs.
//!
//! The tests run the student's code with the grader's own permissions, so that code could
//! rewrite what it is judged by: a snapshot, a test executable, the instructor's original
//! lab folder. It cannot be stopped from trying, but it is caught: every grading file is
//! fingerprinted before a lab's tests run and again after, and any difference marks the lab's
//! tests `tampered` (score 0), naming what changed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use walkdir::WalkDir;

/// The content hash of every file under some folders.
#[derive(Debug, PartialEq)]
pub struct Fingerprint {
    files: BTreeMap<PathBuf, [u8; 32]>,
}

impl Fingerprint {
    /// Fingerprints every file under `folders`, leaving out a lab's `src` (the folder named
    /// `src` beside a `lab.toml`: the submission's own code, which it may change as it likes)
    /// and snapshot drafts that insta may leave next to a failing snapshot. The shared test
    /// harness has no `lab.toml`: its `src` is the instructor's, and watched.
    pub fn of(folders: &[PathBuf]) -> Fingerprint {
        let mut files = BTreeMap::new();
        for folder in folders {
            let walk = WalkDir::new(folder)
                .into_iter()
                .filter_entry(|entry| !is_lab_src(entry.path(), entry.file_type().is_dir()));
            for entry in walk.flatten() {
                if entry.file_type().is_file() && !is_snapshot_draft(entry.path()) {
                    files.insert(entry.path().to_path_buf(), content_hash(entry.path()));
                }
            }
        }
        Fingerprint { files }
    }

    /// What differs in `later`: changed, added and removed files, shown relative to `base`.
    pub fn changes(&self, later: &Fingerprint, base: &Path) -> Vec<String> {
        let shown = |path: &Path| {
            path.strip_prefix(base)
                .unwrap_or(path)
                .display()
                .to_string()
        };
        let mut changes = Vec::new();
        for (path, hash) in &self.files {
            match later.files.get(path) {
                Some(later_hash) if later_hash != hash => {
                    changes.push(format!("changed {}", shown(path)))
                }
                Some(_) => {}
                None => changes.push(format!("removed {}", shown(path))),
            }
        }
        for path in later
            .files
            .keys()
            .filter(|path| !self.files.contains_key(*path))
        {
            changes.push(format!("added {}", shown(path)));
        }
        changes
    }
}

fn is_snapshot_draft(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.ends_with(".snap.new") || name.ends_with(".pending-snap")
}

/// A file's SHA-256, read in pieces (a lab's test executables are tens of megabytes, and
/// several labs are watched at once); an unreadable file hashes to why it is unreadable.
fn content_hash(path: &Path) -> [u8; 32] {
    let mut hasher = Sha256::new();
    match fs::File::open(path) {
        Ok(mut file) => {
            if let Err(error) = std::io::copy(&mut file, &mut hasher) {
                hasher.update(format!("unreadable: {:?}", error.kind()));
            }
        }
        Err(error) => hasher.update(format!("unopenable: {:?}", error.kind())),
    }
    hasher.finalize().into()
}

/// Whether `path` is a lab's `src` folder: named `src`, beside the lab's `lab.toml`.
fn is_lab_src(path: &Path, is_dir: bool) -> bool {
    is_dir
        && path.file_name().is_some_and(|name| name == "src")
        && path
            .parent()
            .is_some_and(|lab| lab.join("lab.toml").is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewritten_added_or_removed_file_is_a_change_and_src_is_not_watched() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        fs::create_dir_all(root.join("tests/snapshots")).unwrap();
        fs::create_dir_all(root.join("src")).unwrap();
        fs::write(root.join("tests/snapshots/a.snap"), "expected").unwrap();
        fs::write(root.join("tests/gone.rs"), "").unwrap();
        fs::write(root.join("lab.toml"), "").unwrap();
        let before = Fingerprint::of(std::slice::from_ref(&root));

        fs::write(root.join("src/lib.rs"), "student code may change").unwrap();
        fs::write(root.join("tests/snapshots/a.snap.new"), "insta's draft").unwrap();
        assert_eq!(
            before.changes(&Fingerprint::of(std::slice::from_ref(&root)), &root),
            Vec::<String>::new()
        );

        fs::write(root.join("tests/snapshots/a.snap"), "forged").unwrap();
        fs::write(root.join("tests/snapshots/b.snap"), "new").unwrap();
        fs::remove_file(root.join("tests/gone.rs")).unwrap();
        let after = Fingerprint::of(std::slice::from_ref(&root));
        assert_eq!(
            before.changes(&after, &root),
            [
                "removed tests/gone.rs",
                "changed tests/snapshots/a.snap",
                "added tests/snapshots/b.snap"
            ]
        );
    }
}
