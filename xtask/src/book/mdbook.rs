//! The pinned mdBook: one exact version, installed by the command that needs it.
//!
//! A book renders differently from one mdBook version to the next (themes, heading ids,
//! which settings exist), and the checks here read the rendered HTML. So the book is always
//! built with the same version: `target/tools/bin/mdbook` when it is that version, else an
//! `mdbook` on `PATH` of that exact version, else `cargo install --locked` puts it in
//! `target/tools/` (once: about two minutes on two cores, from crates.io).

use std::io::BufRead;
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

/// `cargo install` of the pinned mdBook into `tools`, with one progress line instead of cargo's
/// hundreds: cargo's messages go to `tools/install.log`, and only its last lines are shown when
/// it fails. Its closing advice to add `tools/bin` to `PATH` is not passed on: the course runs
/// that mdBook by its path, and a student must not change their `PATH` for it.
fn install(tools: &Path) -> Result<()> {
    std::fs::create_dir_all(tools).with_context(|| format!("cannot create {}", tools.display()))?;
    let log_path = tools.join("install.log");
    eprintln!(
        "Installing mdbook {MDBOOK_VERSION} into {} — once, about 2 to 4 minutes on two cores \
         (cargo's messages: {})",
        tools.display(),
        log_path.display()
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(cargo)
        .args(["install", "mdbook", "--locked", "--version"])
        .arg(format!("={MDBOOK_VERSION}"))
        .arg("--root")
        .arg(tools)
        .arg("--target-dir")
        .arg(tools.join("build"))
        .env_remove("CARGO_TARGET_DIR")
        .env("CARGO_TERM_PROGRESS_WHEN", "never")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run cargo to install mdbook")?;
    let progress = indicatif::ProgressBar::new_spinner();
    progress.enable_steady_tick(std::time::Duration::from_millis(250));
    let mut log = Vec::new();
    let mut compiled = 0;
    for line in std::io::BufReader::new(child.stderr.take().expect("piped")).lines() {
        let line = line.unwrap_or_default();
        if let Some(name) = line.trim_start().strip_prefix("Compiling ") {
            compiled += 1;
            progress.set_message(format!("{compiled} crates compiled, now {name}"));
        }
        log.push(line);
    }
    let status = child.wait().context("cannot wait for cargo")?;
    progress.finish_and_clear();
    let _ = std::fs::write(&log_path, log.join("\n") + "\n");
    if !status.success() {
        let tail: Vec<&str> = log
            .iter()
            .rev()
            .take(15)
            .rev()
            .map(String::as_str)
            .collect();
        bail!(
            "`cargo install mdbook --version ={MDBOOK_VERSION}` failed; its last messages:\n{}\n\
             It needs crates.io. Offline, install mdbook {MDBOOK_VERSION} another way and put it on PATH",
            tail.join("\n")
        );
    }
    eprintln!("Installed mdbook {MDBOOK_VERSION} ({compiled} crates compiled).");
    Ok(())
}
