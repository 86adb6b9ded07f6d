//! `cargo xtask reset LAB [--yes]`: the lab's starting code back, the student's work kept.
//!
//! Nothing is lost: the starting files are fetched from git *first* (so a reset that cannot
//! complete changes nothing), then `src/` is copied to `backups/NN-name-<time>/src` at the
//! top of the repository (outside `target/`, so `cargo clean` keeps it; ignored by git), and
//! only then is `src/` replaced.

use std::fs;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::author::stub::{SourceFiles, restore_from_git};
use crate::course::{Course, Lab};
use crate::files::copy_tree;
use crate::student::record;

#[derive(clap::Args)]
pub struct ResetArgs {
    /// The lab: "01", "01-ports" or "ports".
    #[arg(value_name = "LAB")]
    lab: String,

    /// Do not ask for confirmation (needed when there is no terminal to ask on).
    #[arg(long, short)]
    yes: bool,
}

impl ResetArgs {
    pub fn run(self) -> Result<ExitCode> {
        reset(&self.lab, self.yes)
    }
}

fn reset(name: &str, yes: bool) -> Result<ExitCode> {
    let course = Course::locate();
    let lab = course.select(&[name.to_string()])?.remove(0);
    let src = lab.src_dir();
    let starting = SourceFiles::recorded(&lab)?;
    if SourceFiles::of(&src)? == starting {
        println!(
            "labs/{}/src is already the starting code: nothing to reset.",
            lab.id
        );
        return Ok(ExitCode::SUCCESS);
    }
    let starting_files = restore_from_git(&course.root, &starting)
        .with_context(|| format!("cannot reset {}; your files are untouched", lab.id))?;

    if !yes && !confirmed(&lab)? {
        println!("Nothing changed.");
        return Ok(ExitCode::SUCCESS);
    }
    let backup = back_up(&course, &lab, &src)?;
    replace_src(&src, &starting_files)?;
    record::forget(&course, &lab);
    println!(
        "labs/{}/src has its starting code again ({} files).",
        lab.id,
        starting_files.len()
    );
    match backup {
        Some(backup) => println!(
            "Your work is in {}: copy back what you need.",
            backup.display()
        ),
        None => println!("There was no src/ to back up."),
    }
    Ok(ExitCode::SUCCESS)
}

/// Asks on the terminal; without one, says how to confirm instead of guessing.
fn confirmed(lab: &Lab) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "reset replaces labs/{}/src and needs a yes: run `cargo xtask reset {} --yes` \
             (your work is backed up to backups/ first)",
            lab.id,
            lab.number()
        );
    }
    print!(
        "Put the starting code back in labs/{}/src? Your files are copied to backups/ first. [y/N] ",
        lab.id
    );
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}

/// Copies `src/` to `backups/NN-name-<time>/src`; `None` when there is no `src/`.
fn back_up(course: &Course, lab: &Lab, src: &Path) -> Result<Option<PathBuf>> {
    if !src.exists() {
        return Ok(None);
    }
    let stamp = humantime::format_rfc3339_seconds(SystemTime::now())
        .to_string()
        .replace(':', "-");
    let mut folder = course
        .root
        .join("backups")
        .join(format!("{}-{stamp}", lab.id));
    let mut attempt = 1;
    while folder.exists() {
        attempt += 1;
        folder = course
            .root
            .join("backups")
            .join(format!("{}-{stamp}-{attempt}", lab.id));
    }
    // Symbolic links are left out: the work is the files themselves.
    copy_tree(src, &folder.join("src"))
        .with_context(|| format!("cannot back up {} (nothing was reset)", src.display()))?;
    Ok(Some(
        folder
            .strip_prefix(&course.root)
            .unwrap_or(&folder)
            .to_path_buf(),
    ))
}

/// Makes `src/` hold exactly the starting files (paths are relative to the lab: `src/…`).
fn replace_src(src: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    if src.exists() {
        fs::remove_dir_all(src).with_context(|| format!("cannot empty {}", src.display()))?;
    }
    let lab_dir = src.parent().expect("src/ is inside its lab");
    for (relative, contents) in files {
        let path = lab_dir.join(relative);
        fs::create_dir_all(path.parent().expect("a file is in a folder"))?;
        fs::write(&path, contents).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
