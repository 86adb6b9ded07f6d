//! Dolos, the similarity detector: one pinned version, installed by the command that needs it.
//!
//! Dolos (Ghent University, MIT) parses each file with tree-sitter's Rust grammar, so a pair
//! that renames every variable or reorders the functions still shares its token k-grams, and
//! takes a template file whose k-grams it leaves out: the lab's shipped stub. Its command-line
//! package is not on the npm registry, its library `@dodona/dolos-lib` is: `npm install` puts
//! it in `target/tools/dolos/` (once; its tree-sitter grammars compile with the machine's C
//! compiler, a few minutes on two cores), and `compare.mjs` (beside this file) drives it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::course::Course;

/// The Dolos library version the report is written for.
pub const DOLOS_VERSION: &str = "3.5.1";
/// The oldest Node.js it runs on.
const NODE_MAJOR: u32 = 18;

const COMPARE_SCRIPT: &str = include_str!("compare.mjs");

/// What to compare: each lab's files, and the stub whose code is everyone's.
#[derive(Serialize)]
pub struct Job {
    pub labs: Vec<LabJob>,
}

#[derive(Serialize)]
pub struct LabJob {
    pub lab: String,
    pub files: Vec<PathBuf>,
    pub ignore: PathBuf,
}

/// What Dolos found.
#[derive(Deserialize)]
pub struct Found {
    pub pairs: Vec<FoundPair>,
    pub warnings: Vec<String>,
}

#[derive(Deserialize)]
pub struct FoundPair {
    pub lab: String,
    pub left: PathBuf,
    pub right: PathBuf,
    /// The share of both files' k-grams they have in common, from 0 to 1.
    pub similarity: f64,
    /// The longest run of shared k-grams.
    pub longest: u64,
    /// How many k-grams the two share.
    pub overlap: u64,
    pub fragments: Vec<Fragment>,
}

#[derive(Deserialize, Clone, Copy)]
pub struct Fragment {
    /// How many k-grams long it is.
    pub kgrams: usize,
    pub left: Region,
    pub right: Region,
}

/// A stretch of a file, rows and columns from 0, the end column exclusive.
#[derive(Deserialize, Clone, Copy, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_row: usize,
    pub start_col: usize,
    pub end_row: usize,
    pub end_col: usize,
}

/// Dolos, installed and ready: where its folder is.
pub struct Dolos {
    dir: PathBuf,
}

impl Dolos {
    /// Dolos of the pinned version in `target/tools/dolos/`, installing it if needed.
    pub fn ensure(course: &Course) -> Result<Dolos> {
        let dir = course.target_dir().join("tools").join("dolos");
        require_node()?;
        if installed_version(&dir).as_deref() != Some(DOLOS_VERSION) {
            install(&dir)?;
        }
        std::fs::write(dir.join("compare.mjs"), COMPARE_SCRIPT)
            .with_context(|| format!("cannot write {}", dir.display()))?;
        Ok(Dolos { dir })
    }

    /// Runs the comparison; `work` is a folder for the job file.
    pub fn compare(&self, job: &Job, work: &Path) -> Result<Found> {
        let job_file = work.join("job.json");
        std::fs::write(&job_file, serde_json::to_vec(job)?)?;
        let output = Command::new("node")
            .arg(self.dir.join("compare.mjs"))
            .arg(&job_file)
            .stdin(Stdio::null())
            .output()
            .context("cannot run node")?;
        if !output.status.success() {
            bail!(
                "Dolos failed ({}):\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        serde_json::from_slice(&output.stdout).context("Dolos's answer is not the JSON expected")
    }
}

/// Node.js of a version Dolos runs on, or what to install.
fn require_node() -> Result<()> {
    let version = Command::new("node")
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string());
    let major = version
        .as_deref()
        .and_then(|version| version.strip_prefix('v'))
        .and_then(|version| version.split('.').next())
        .and_then(|major| major.parse::<u32>().ok());
    match major {
        Some(major) if major >= NODE_MAJOR => Ok(()),
        _ => bail!(
            "the similarity report runs Dolos, which needs Node.js {NODE_MAJOR} or newer and npm ({}): \
             install them (Debian/Ubuntu: `apt-get install nodejs npm`), then run this again",
            version.map_or("node was not found".to_string(), |v| format!(
                "this one is {v}"
            ))
        ),
    }
}

/// The version of the Dolos library installed in `dir`, if any.
fn installed_version(dir: &Path) -> Option<String> {
    let manifest = dir.join("node_modules/@dodona/dolos-lib/package.json");
    let text = std::fs::read_to_string(manifest).ok()?;
    let manifest: serde_json::Value = serde_json::from_str(&text).ok()?;
    manifest["version"].as_str().map(str::to_string)
}

fn install(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    // A package of its own, so that npm installs here and nowhere above.
    std::fs::write(
        dir.join("package.json"),
        "{\"name\": \"loopback-labs-dolos\", \"private\": true, \"type\": \"module\"}\n",
    )?;
    eprintln!(
        "Installing Dolos {DOLOS_VERSION} into {} (once; its parsers compile, a few minutes)…",
        dir.display()
    );
    let log = dir.join("install.log");
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel", "error"])
        .arg(format!("@dodona/dolos-lib@{DOLOS_VERSION}"))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log)?)
        .stderr(std::fs::File::create(dir.join("install.err"))?)
        .status()
        .context("cannot run npm (install it with Node.js: `apt-get install nodejs npm`)")?;
    if !status.success() || installed_version(dir).as_deref() != Some(DOLOS_VERSION) {
        bail!(
            "`npm install @dodona/dolos-lib@{DOLOS_VERSION}` failed; its messages are in {}. It needs the \
             npm registry, and a C and C++ compiler, make and Python 3 for its parsers \
             (Debian/Ubuntu: `apt-get install build-essential python3`)",
            dir.join("install.err").display()
        );
    }
    Ok(())
}
