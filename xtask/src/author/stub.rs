//! The starting code of each lab: `labs/NN-name/stub.lock`.
//!
//! A student edits `labs/NN-name/src/` in place, so the starting code (the stub) is no longer
//! on disk once they begin. `stub.lock` remembers it by content: one git blob id per file,
//! the name git itself gives those bytes. That is enough to tell an untouched lab from one in
//! progress (`cargo xtask list`), and to get the original files back out of the repository's
//! history (`cargo xtask reset`), with no second copy of every stub in the repository.
//! `cargo xtask bless` writes the file; `cargo xtask verify` checks it is up to date.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use walkdir::WalkDir;

use crate::course::Lab;

/// The file name, next to `lab.toml`.
pub const STUB_LOCK: &str = "stub.lock";

const HEADER: &str = "\
# The starting code of this lab, as git blob ids (`git hash-object FILE`).
# Written by `cargo xtask bless` and `cargo xtask new-lab`; `cargo xtask reset` restores these files.
";

/// The files of a `src/` folder by path (`src/lib.rs`), each with its git blob id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceFiles {
    pub files: BTreeMap<String, String>,
}

impl SourceFiles {
    /// Reads every file below `src_dir` (none when it does not exist).
    pub fn of(src_dir: &Path) -> Result<SourceFiles> {
        let mut files = BTreeMap::new();
        if !src_dir.is_dir() {
            return Ok(SourceFiles { files });
        }
        let base = src_dir.parent().unwrap_or(src_dir);
        for entry in WalkDir::new(src_dir).follow_links(false) {
            let entry = entry.with_context(|| format!("cannot read {}", src_dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let bytes = fs::read(entry.path())
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            files.insert(relative_name(entry.path(), base), blob_id(&bytes));
        }
        Ok(SourceFiles { files })
    }

    /// The lab's recorded starting code, from its `stub.lock`.
    pub fn recorded(lab: &Lab) -> Result<SourceFiles> {
        SourceFiles::read_lock(&lab.dir, &lab.id)
    }

    fn read_lock(lab_dir: &Path, lab_id: &str) -> Result<SourceFiles> {
        let path = lab_dir.join(STUB_LOCK);
        let text = fs::read_to_string(&path).with_context(|| {
            format!(
                "{} is missing: lab authors write it with `cargo xtask bless {lab_id}`",
                path.display()
            )
        })?;
        let mut files = BTreeMap::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_once("  ") {
                Some((id, name)) if is_blob_id(id) && !name.trim().is_empty() => {
                    files.insert(name.trim().to_string(), id.to_string());
                }
                _ => bail!(
                    "{} line {}: expected `<blob id>  src/<file>`, found {line:?}",
                    path.display(),
                    number + 1
                ),
            }
        }
        Ok(SourceFiles { files })
    }

    /// The text of a `stub.lock` recording these files.
    pub fn to_lock(&self) -> String {
        let mut text = HEADER.to_string();
        for (name, id) in &self.files {
            text.push_str(&format!("{id}  {name}\n"));
        }
        text
    }
}

/// The name git gives a file's content: SHA-1 of `blob <length>\0<bytes>`. Line endings
/// are taken as written in the repository (`\n`), so a checkout that turned them into
/// `\r\n` still matches.
pub fn blob_id(bytes: &[u8]) -> String {
    let normalised: Vec<u8>;
    let bytes = if bytes.windows(2).any(|pair| pair == b"\r\n") {
        normalised = String::from_utf8_lossy(bytes)
            .replace("\r\n", "\n")
            .into_bytes();
        &normalised[..]
    } else {
        bytes
    };
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher.digest().to_string()
}

fn is_blob_id(text: &str) -> bool {
    text.len() == 40 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

fn relative_name(path: &Path, base: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The bytes of each recorded file, read from the git repository at `repository`.
pub fn restore_from_git(repository: &Path, stub: &SourceFiles) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut contents = Vec::new();
    for (name, id) in &stub.files {
        let output = Command::new("git")
            .args(["cat-file", "blob", id])
            .current_dir(repository)
            .output()
            .context("cannot run git, which keeps the starting code: is git installed?")?;
        if !output.status.success() {
            bail!(
                "git does not have the starting version of {name} (blob {id}); this folder is \
                 not a git clone of the course, or its history lacks that commit"
            );
        }
        contents.push((PathBuf::from(name), output.stdout));
    }
    Ok(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_are_the_ones_git_gives() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        assert_eq!(blob_id(b"hello\r\n"), blob_id(b"hello\n"));
        // `git hash-object /dev/null`
        assert_eq!(blob_id(b""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }

    #[test]
    fn a_lock_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        fs::create_dir_all(src.join("bin")).unwrap();
        fs::write(src.join("lib.rs"), "pub fn answer() -> u8 { todo!() }\n").unwrap();
        fs::write(src.join("bin/main.rs"), "fn main() {}\n").unwrap();
        let files = SourceFiles::of(&src).unwrap();
        assert_eq!(
            files.files.keys().collect::<Vec<_>>(),
            ["src/bin/main.rs", "src/lib.rs"]
        );
        fs::write(dir.path().join(STUB_LOCK), files.to_lock()).unwrap();
        assert_eq!(
            SourceFiles::read_lock(dir.path(), "01-test").unwrap(),
            files
        );
    }
}
