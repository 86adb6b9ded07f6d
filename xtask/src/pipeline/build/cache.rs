//! Builds remembered by what they were built from, so that a lab whose sources are
//! byte-for-byte another submission's (an untouched stub, a copied solution) is not compiled
//! and linked again.
//!
//! The key is a SHA-256 digest of everything a build depends on: every file of the assembled
//! lab (the submission's `src/`, the instructor's `Cargo.toml` and tests, hidden ones included;
//! not the snapshots, which no build reads), the shared test harness, the course's
//! `Cargo.toml` and `Cargo.lock`, the toolchain (`rustc -vV`), this grader's executable, and
//! whether the build ran behind the build wall. A cryptographic digest, because a submission
//! that could choose its key could hand its executables to a classmate; SHA-256 (the `sha2`
//! crate) because no collision of it is known.
//!
//! An entry holds what the build produced — the test executables and programs, or the
//! compiler's message for a build that failed — under `target/grade/cache/<digest>/`, written
//! in a folder of its own and renamed into place, so that an entry is whole or absent. Builds
//! that timed out are not remembered (the machine's load decides those). The cache keeps
//! the entries used most recently, up to [`CACHE_CAP`] bytes.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::SystemTime;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use super::{BuildOutcome, BuiltLab, Executable, cargo_program};
use crate::course::{Course, Lab};
use crate::files::write_atomically;
use crate::layout::{self, GradeFolders};
use crate::pipeline::assemble::Workspace;
use crate::pipeline::grader_identity;

/// The most the cache keeps on disk; the entries used least recently go first.
const CACHE_CAP: u64 = 4 << 30;

/// What a cache entry records besides its executables.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Recorded {
    Built {
        tests: Vec<String>,
        programs: Vec<String>,
    },
    Failed {
        message: String,
    },
}

const RECORD: &str = "outcome.json";

/// The cache entry of one lab's build.
pub struct Entry {
    dir: PathBuf,
}

impl Entry {
    /// The entry for building `lab` of `workspace` (behind the build wall or not).
    pub fn of(course: &Course, workspace: &Workspace, lab: &Lab, walled: bool) -> Result<Entry> {
        let mut digest = Sha256::new();
        let mut field = |label: &str, bytes: &[u8]| {
            digest.update((label.len() as u64).to_le_bytes());
            digest.update(label.as_bytes());
            digest.update((bytes.len() as u64).to_le_bytes());
            digest.update(bytes);
        };
        field("grader", grader_identity().as_bytes());
        field("toolchain", toolchain_identity().as_bytes());
        field("walled", &[u8::from(walled)]);
        for variable in ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"] {
            let value = std::env::var_os(variable).unwrap_or_default();
            field(variable, value.as_encoded_bytes());
        }
        for file in ["Cargo.toml", "Cargo.lock"] {
            field(file, &fs::read(course.root.join(file)).unwrap_or_default());
        }
        let lab_dir = workspace.lab_dir(lab);
        for (relative, bytes) in files_below(&lab_dir, |relative| {
            !relative.starts_with("tests/snapshots")
        })? {
            field(&format!("lab/{relative}"), &bytes);
        }
        for (relative, bytes) in files_below(&workspace.harness_dir(), |_| true)? {
            field(&format!("harness/{relative}"), &bytes);
        }
        let hex: String = digest
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        Ok(Entry {
            dir: GradeFolders::of(course).build_cache().join(hex),
        })
    }

    /// The remembered build. Its executables are staged from the entry itself into what the
    /// tests see (`run::LabView`), which copies them: nothing the tests run is the entry.
    pub fn load(&self) -> Option<BuildOutcome> {
        let text = fs::read_to_string(self.dir.join(RECORD)).ok()?;
        let recorded: Recorded = serde_json::from_str(&text).ok()?;
        // Used now: the last to be evicted.
        let _ = fs::File::options()
            .append(true)
            .open(self.dir.join(RECORD))
            .and_then(|file| file.set_modified(SystemTime::now()));
        match recorded {
            Recorded::Failed { message } => Some(BuildOutcome::Failed(message)),
            Recorded::Built { tests, programs } => {
                let found = |names: &[String], kind: &str| -> Option<Vec<Executable>> {
                    names
                        .iter()
                        .map(|name| {
                            let path = self.dir.join(kind).join(name);
                            path.is_file().then(|| Executable {
                                name: name.clone(),
                                path,
                            })
                        })
                        .collect()
                };
                let tests = found(&tests, layout::TEST_EXECUTABLES)?;
                let programs = found(&programs, layout::PROGRAMS)?;
                Some(BuildOutcome::Built(BuiltLab { tests, programs }))
            }
        }
    }

    /// Remembers a build's outcome; a failure to remember costs nothing but the next build.
    pub fn store(&self, outcome: &BuildOutcome) {
        if self.dir.join(RECORD).is_file() {
            return;
        }
        let Some(parent) = self.dir.parent() else {
            return;
        };
        let partial = parent.join(format!(
            ".partial-{}-{}",
            std::process::id(),
            self.dir.file_name().unwrap_or_default().to_string_lossy()
        ));
        let written = write_entry(&partial, outcome).and_then(|()| {
            fs::rename(&partial, &self.dir).context("cannot move the cache entry into place")
        });
        if written.is_err() {
            let _ = fs::remove_dir_all(&partial);
            return;
        }
        evict_beyond(parent, CACHE_CAP);
    }
}

fn write_entry(dir: &Path, outcome: &BuildOutcome) -> Result<()> {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir)?;
    let recorded = match outcome {
        BuildOutcome::Failed(message) => Recorded::Failed {
            message: message.clone(),
        },
        BuildOutcome::Built(built) => {
            let keep = |executables: &[Executable], kind: &str| -> Result<Vec<String>> {
                fs::create_dir_all(dir.join(kind))?;
                executables
                    .iter()
                    .map(|executable| {
                        fs::copy(&executable.path, dir.join(kind).join(&executable.name))?;
                        Ok(executable.name.clone())
                    })
                    .collect()
            };
            Recorded::Built {
                tests: keep(&built.tests, layout::TEST_EXECUTABLES)?,
                programs: keep(&built.programs, layout::PROGRAMS)?,
            }
        }
    };
    write_atomically(&dir.join(RECORD), &serde_json::to_string(&recorded)?)
}

/// Removes the entries used least recently until the cache holds at most `cap` bytes.
fn evict_beyond(cache: &Path, cap: u64) {
    let mut entries: Vec<(SystemTime, u64, PathBuf)> = fs::read_dir(cache)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        .map(|entry| {
            let path = entry.path();
            let used = fs::metadata(path.join(RECORD))
                .and_then(|meta| meta.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            let size = WalkDir::new(&path)
                .into_iter()
                .flatten()
                .filter_map(|file| file.metadata().ok())
                .map(|meta| meta.len())
                .sum();
            (used, size, path)
        })
        .collect();
    let mut total: u64 = entries.iter().map(|(_, size, _)| size).sum();
    entries.sort();
    for (_, size, path) in entries {
        if total <= cap {
            break;
        }
        if fs::remove_dir_all(&path).is_ok() {
            total -= size;
        }
    }
}

/// Every file below `dir` that `keep` accepts (by its path relative to `dir`), in path order.
fn files_below(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(dir)
            .expect("below its root")
            .to_string_lossy()
            .into_owned();
        if keep(&relative) {
            let mut bytes = Vec::new();
            fs::File::open(entry.path())?.read_to_end(&mut bytes)?;
            files.push((relative, bytes));
        }
    }
    Ok(files)
}

/// The compiler cargo uses, as `rustc -vV` describes it (asked once per run).
fn toolchain_identity() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| {
            // The rustc beside cargo, as cargo itself would pick it.
            cargo_program().with_file_name("rustc").into_os_string()
        });
        Command::new(rustc)
            .arg("-vV")
            .output()
            .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
            .unwrap_or_default()
    })
}
