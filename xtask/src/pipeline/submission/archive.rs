//! Unpacking a student's `.zip` or `.tar.gz` — carefully.
//!
//! An archive is untrusted input: an entry may try to escape the folder it is unpacked into
//! (`../../.bashrc`, `/etc/passwd`), be a link, or expand into gigabytes. Entries with such
//! paths make the whole archive invalid (it is not a submission anyone made by accident);
//! links are skipped; the total size and the number of entries are bounded.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The most an archive may unpack to.
const MAX_UNPACKED_BYTES: u64 = 256 << 20;
/// The most entries an archive may hold.
const MAX_ENTRIES: usize = 20_000;

/// The kinds of archive a class folder may hold, by file name.
pub fn is_archive(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.ends_with(".zip") || name.ends_with(".tar.gz") || name.ends_with(".tgz")
}

/// The archive's name without its extension: the student's id.
pub fn stem(path: &Path) -> String {
    let name = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    for extension in [".tar.gz", ".tgz", ".zip"] {
        if let Some(stem) = name.strip_suffix(extension) {
            return stem.to_string();
        }
    }
    name
}

/// Unpacks `archive` into the empty folder `into`.
pub fn unpack(archive: &Path, into: &Path) -> Result<()> {
    fs::create_dir_all(into)?;
    let name = archive.file_name().unwrap_or_default().to_string_lossy();
    if name.ends_with(".zip") {
        unpack_zip(archive, into)
    } else {
        unpack_tar_gz(archive, into)
    }
}

/// The path an entry may be written to, or an error if it would leave `into`.
fn safe_destination(into: &Path, entry: &Path) -> Result<PathBuf> {
    let mut destination = into.to_path_buf();
    for component in entry.components() {
        match component {
            Component::Normal(part) => destination.push(part),
            Component::CurDir => {}
            _ => bail!(
                "the archive has an entry that would be written outside its folder: {}",
                entry.display()
            ),
        }
    }
    Ok(destination)
}

/// Copies at most what is left of the size budget, and fails past it.
fn copy_bounded(mut from: impl Read, to: &Path, budget: &mut u64) -> Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = File::create(to)?;
    let copied = io::copy(&mut from.by_ref().take(*budget + 1), &mut file)?;
    if copied > *budget {
        bail!(
            "the archive unpacks to more than {} MiB",
            MAX_UNPACKED_BYTES >> 20
        );
    }
    *budget -= copied;
    Ok(())
}

fn unpack_zip(archive: &Path, into: &Path) -> Result<()> {
    let file = File::open(archive)?;
    let mut zip = zip::ZipArchive::new(file).context("not a readable zip archive")?;
    if zip.len() > MAX_ENTRIES {
        bail!("the archive has more than {MAX_ENTRIES} entries");
    }
    let mut budget = MAX_UNPACKED_BYTES;
    for index in 0..zip.len() {
        let entry = zip.by_index(index).context("a zip entry cannot be read")?;
        let name = entry
            .name()
            .context("a zip entry's name cannot be read")?
            .into_owned();
        let destination = safe_destination(into, Path::new(&name))?;
        if entry.is_dir() {
            fs::create_dir_all(&destination)?;
        } else if entry.is_file() && !entry.is_symlink() {
            copy_bounded(entry, &destination, &mut budget)?;
        }
    }
    Ok(())
}

fn unpack_tar_gz(archive: &Path, into: &Path) -> Result<()> {
    let file = File::open(archive)?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut budget = MAX_UNPACKED_BYTES;
    let entries = tar.entries().context("not a readable .tar.gz archive")?;
    for (count, entry) in entries.enumerate() {
        if count >= MAX_ENTRIES {
            bail!("the archive has more than {MAX_ENTRIES} entries");
        }
        let entry = entry.context("not a readable .tar.gz archive")?;
        let path = entry
            .path()
            .context("an entry's path cannot be read")?
            .into_owned();
        let destination = safe_destination(into, &path)?;
        match entry.header().entry_type() {
            tar::EntryType::Directory => fs::create_dir_all(&destination)?,
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                copy_bounded(entry, &destination, &mut budget)?
            }
            // Links, devices, fifos: nothing a submission needs.
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_may_not_leave_the_folder() {
        let into = Path::new("/unpack/alice");
        assert_eq!(
            safe_destination(into, Path::new("labs/01/src/lib.rs")).unwrap(),
            into.join("labs/01/src/lib.rs")
        );
        assert_eq!(
            safe_destination(into, Path::new("./labs")).unwrap(),
            into.join("labs")
        );
        for escape in ["../evil", "labs/../../evil", "/etc/passwd"] {
            assert!(
                safe_destination(into, Path::new(escape)).is_err(),
                "{escape} must be refused"
            );
        }
    }

    #[test]
    fn the_student_id_is_the_name_without_the_extension() {
        assert_eq!(stem(Path::new("class/alice.zip")), "alice");
        assert_eq!(stem(Path::new("class/bob.tar.gz")), "bob");
        assert_eq!(stem(Path::new("class/carol")), "carol");
    }
}
