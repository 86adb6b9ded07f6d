//! File operations the grader's stages and tools share, each written once.
//!
//! Grading copies trees of untrusted files, writes results that a crash must not leave half
//! written, and mirrors folders for cargo without touching what did not change. The stages
//! call these instead of each spelling the same care out again.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

/// Copies regular files and folders, and returns the symbolic links it left out (relative to
/// `from`): links are neither followed nor copied, as a link in a submission could point at
/// the grader's own files.
pub fn copy_tree(from: &Path, to: &Path) -> Result<Vec<PathBuf>> {
    let mut ignored_links = Vec::new();
    for entry in WalkDir::new(from).follow_links(false) {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let relative = entry
            .path()
            .strip_prefix(from)
            .expect("walkdir stays under its root");
        // The root itself (a folder, or a single file) maps to `to`.
        let destination = if relative.as_os_str().is_empty() {
            to.to_path_buf()
        } else {
            to.join(relative)
        };
        let kind = entry.file_type();
        if kind.is_dir() {
            fs::create_dir_all(&destination)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &destination).with_context(|| {
                format!(
                    "cannot copy {} to {}",
                    entry.path().display(),
                    destination.display()
                )
            })?;
        } else if kind.is_symlink() {
            ignored_links.push(relative.to_path_buf());
        }
    }
    Ok(ignored_links)
}

/// Writes a file whole or not at all: a temporary file, renamed into place.
pub fn write_atomically(path: &Path, contents: &str) -> Result<()> {
    let folder = path.parent().expect("a file is in a folder");
    fs::create_dir_all(folder)?;
    let temporary = folder.join(format!(
        ".{}.tmp",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    fs::write(&temporary, contents)
        .with_context(|| format!("cannot write {}", temporary.display()))?;
    fs::rename(&temporary, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Writes `contents` unless the file already holds them; says whether it wrote.
pub fn write_if_changed(path: &Path, contents: &[u8]) -> Result<bool> {
    if fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    remove_any(path)?;
    fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

/// Removes a file, a link or a whole folder, if there is one.
pub fn remove_any(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_dir() => fs::remove_dir_all(path)?,
        Ok(_) => fs::remove_file(path)?,
        Err(_) => {}
    }
    Ok(())
}

/// The entries of a folder, leaving out hidden ones (`.DS_Store`, `.git`, a `.tmp` draft).
pub fn visible_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(fs::read_dir(dir)?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            !path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .starts_with('.')
        })
        .collect())
}
