//! `cargo xtask package gradescope --out autograder.zip [--tests-from DIR]`.
//!
//! Gradescope unpacks the zip into `/autograder/source`, runs its `setup.sh` once to build
//! the image, then `run_autograder` for every submission, which must write
//! `/autograder/results/results.json`. The zip holds what grading needs and nothing more:
//!
//! ```text
//! setup.sh  run_autograder          at the root, as Gradescope requires
//! Cargo.toml  Cargo.lock  .cargo/   the workspace
//! xtask/                            the grader
//! labs/                             the labs: tests, snapshots, lab.toml (and the stubs),
//!                                   and labs/harness, the test harness they share
//! hidden-tests/                     --tests-from DIR, when given
//! ```
//!
//! The reference solutions are left out: a submission's code runs on that machine and could
//! read anything the zip holds.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use walkdir::WalkDir;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::course::{Course, add_hidden_tests};

#[derive(clap::Args)]
pub struct GradescopeArgs {
    /// Where to write the zip.
    #[arg(long, value_name = "FILE", default_value = "autograder.zip")]
    out: PathBuf,

    /// Include the instructor's hidden tests (DIR mirrors labs/, see `grade --tests-from`).
    #[arg(long, value_name = "DIR")]
    tests_from: Option<PathBuf>,
}

const SETUP: &str = include_str!("setup.sh");
const RUN_AUTOGRADER: &str = include_str!("run_autograder");

/// Where the hidden tests go inside the zip.
const HIDDEN_TESTS: &str = "hidden-tests";

/// The parts of the repository that grading needs.
const COURSE_FILES: [&str; 6] = [
    "Cargo.toml",
    "Cargo.lock",
    ".cargo",
    "xtask/Cargo.toml",
    "xtask/src",
    "labs",
];

pub fn package_gradescope(options: GradescopeArgs) -> Result<ExitCode> {
    let course = Course::locate();
    if let Some(dir) = &options.tests_from {
        // Refuse a hidden tests folder the grader would refuse on Gradescope.
        add_hidden_tests(&course, &mut course.labs()?, dir)?;
    }
    let toolchain = rust_version()?;
    let mut zip = ZipWriter::new(create_zip(&options.out)?);
    let executable = SimpleFileOptions::default().unix_permissions(0o755);
    let tests_from = if options.tests_from.is_some() {
        format!(" --tests-from {HIDDEN_TESTS}")
    } else {
        String::new()
    };
    add_file(
        &mut zip,
        "setup.sh",
        &SETUP.replace("{{TOOLCHAIN}}", &toolchain),
        executable,
    )?;
    add_file(
        &mut zip,
        "run_autograder",
        &RUN_AUTOGRADER.replace(" {{TESTS_FROM}}", &tests_from),
        executable,
    )?;
    let mut files = 0;
    for part in COURSE_FILES {
        files += add_tree(&mut zip, &course.root.join(part), Path::new(part))?;
    }
    if let Some(dir) = &options.tests_from {
        files += add_tree(&mut zip, dir, Path::new(HIDDEN_TESTS))?;
    }
    zip.finish().context("cannot finish the zip")?;

    println!(
        "wrote {} ({} files, Rust {toolchain}{})",
        options.out.display(),
        files + 2,
        if options.tests_from.is_some() {
            ", with the hidden tests"
        } else {
            ""
        }
    );
    println!(
        "upload it as the assignment's autograder (Configure Autograder → Zip file upload); students submit their repository (GitHub) or a zip of it"
    );
    Ok(ExitCode::SUCCESS)
}

fn create_zip(out: &Path) -> Result<fs::File> {
    let folder = out.parent().filter(|folder| !folder.as_os_str().is_empty());
    if let Some(folder) = folder.filter(|folder| !folder.is_dir()) {
        bail!(
            "cannot write {}: the folder {} does not exist",
            out.display(),
            folder.display()
        );
    }
    fs::File::create(out).with_context(|| format!("cannot write {}", out.display()))
}

/// The version of the Rust toolchain building this workspace, e.g. `1.95.0`: Gradescope's
/// image installs the same one.
pub(super) fn rust_version() -> Result<String> {
    let output = Command::new("rustc")
        .arg("--version")
        .output()
        .context("cannot run `rustc --version` to pin the autograder's Rust version")?;
    let text = String::from_utf8_lossy(&output.stdout);
    match text.split_whitespace().nth(1) {
        Some(version) if output.status.success() => Ok(version.to_string()),
        _ => bail!("`rustc --version` printed {text:?}, not a version"),
    }
}

fn add_file(
    zip: &mut ZipWriter<fs::File>,
    name: &str,
    contents: &str,
    options: SimpleFileOptions,
) -> Result<()> {
    zip.start_file(name, options)?;
    zip.write_all(contents.as_bytes())?;
    Ok(())
}

/// Adds a file or a folder (without build output) under `name`; returns how many files.
fn add_tree(zip: &mut ZipWriter<fs::File>, from: &Path, name: &Path) -> Result<usize> {
    let mut files = 0;
    let walk = WalkDir::new(from)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.file_name() != "target");
    for entry in walk {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(from)
            .expect("walkdir stays inside");
        let in_zip = if relative.as_os_str().is_empty() {
            name.to_path_buf() // `from` is a single file
        } else {
            name.join(relative)
        };
        let mode = entry.metadata()?.permissions();
        let options = SimpleFileOptions::default()
            .unix_permissions(std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777);
        zip.start_file(in_zip.to_string_lossy(), options)?;
        zip.write_all(&fs::read(entry.path())?)?;
        files += 1;
    }
    Ok(files)
}
