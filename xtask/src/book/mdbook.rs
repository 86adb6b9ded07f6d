//! The pinned mdBook: one exact version, installed by the command that needs it.
//!
//! A book renders differently from one mdBook version to the next (themes, heading ids,
//! which settings exist), and the checks here read the rendered HTML. So the book is always
//! built with the same version: `target/tools/bin/mdbook` when it is that version, else an
//! `mdbook` on `PATH` of that exact version, else `cargo install --locked` puts it in
//! `target/tools/` (once: about two minutes on two cores, from crates.io).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::course::Course;

/// The mdBook version the book is written for.
pub const MDBOOK_VERSION: &str = "0.5.4";

/// The path of a working mdBook of the pinned version, installing it if needed.
pub fn ensure(course: &Course) -> Result<PathBuf> {
    let tools = course.target_dir().join("tools");
    let installed = tools.join("bin").join("mdbook");
    if is_pinned_version(&installed) {
        return Ok(installed);
    }
    if is_pinned_version(Path::new("mdbook")) {
        return Ok(PathBuf::from("mdbook"));
    }
    install(&tools)?;
    if !is_pinned_version(&installed) {
        bail!(
            "cargo installed mdbook into {}, but it does not report version {MDBOOK_VERSION}",
            installed.display()
        );
    }
    Ok(installed)
}

/// Whether `program` runs and says it is the pinned version (`mdbook v0.5.4`).
fn is_pinned_version(program: &Path) -> bool {
    Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|output| {
            String::from_utf8_lossy(&output.stdout).trim() == format!("mdbook v{MDBOOK_VERSION}")
        })
}

fn install(tools: &Path) -> Result<()> {
    eprintln!(
        "Installing mdbook {MDBOOK_VERSION} into {} (once; about two minutes)…",
        tools.display()
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["install", "mdbook", "--locked", "--version"])
        .arg(format!("={MDBOOK_VERSION}"))
        .arg("--root")
        .arg(tools)
        .arg("--target-dir")
        .arg(tools.join("build"))
        .env_remove("CARGO_TARGET_DIR")
        .stdin(Stdio::null())
        .status()
        .context("cannot run cargo to install mdbook")?;
    if !status.success() {
        bail!(
            "`cargo install mdbook --version ={MDBOOK_VERSION}` failed (its messages are above); \
             it needs crates.io. Offline, install mdbook {MDBOOK_VERSION} another way and put it on PATH"
        );
    }
    Ok(())
}
