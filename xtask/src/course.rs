//! The instructor's side of the course: where the labs live and what each `lab.toml` says.
//!
//! Everything the grader trusts comes from here — the lab packages in this repository's
//! `labs/` (their `Cargo.toml`, `tests/`, snapshots and `lab.toml`). A submission only ever
//! contributes `src/` folders (see `submission`).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use indexmap::IndexMap;
use serde::Deserialize;

/// The repository: the labs, the solutions and the grader's scratch space.
pub struct Course {
    pub root: PathBuf,
}

/// One lab package from the instructor's `labs/`.
#[derive(Debug, Clone)]
pub struct Lab {
    /// The folder name, e.g. `01-ports`.
    pub id: String,
    /// The instructor's package folder, e.g. `<repo>/labs/01-ports`.
    pub dir: PathBuf,
    /// The Cargo package name, e.g. `lab01-ports`.
    pub package: String,
    pub manifest: LabManifest,
}

/// `labs/NN-name/lab.toml`: what the grader needs to know about a lab.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabManifest {
    pub title: String,
    /// The book chapter, a file under `book/src/`.
    pub chapter: Option<String>,
    /// Shown under the lab's failures.
    pub hint: Option<String>,
    /// Time limit for one test, in seconds.
    #[serde(default = "default_test_timeout")]
    pub timeout_secs: u64,
    /// Time limit for running all of the lab's tests; tests not started by then are not run.
    #[serde(default = "default_lab_timeout")]
    pub lab_timeout_secs: u64,
    /// Time limit for building the lab (the first build also compiles its dependencies).
    #[serde(default = "default_build_timeout")]
    pub build_timeout_secs: u64,
    /// The graded tests, keyed `"<test file stem>::<test name>"`, in the order a student
    /// should meet them (reports list them in this order).
    #[serde(default)]
    pub tests: IndexMap<String, TestEntry>,
}

/// One `[tests."file::name"]` entry of `lab.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestEntry {
    #[serde(default = "default_points")]
    pub points: f64,
    pub hint: Option<String>,
}

fn default_test_timeout() -> u64 {
    10
}

fn default_lab_timeout() -> u64 {
    300
}

fn default_build_timeout() -> u64 {
    900
}

fn default_points() -> f64 {
    1.0
}

impl LabManifest {
    pub fn test_timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs)
    }

    pub fn lab_timeout(&self) -> Duration {
        Duration::from_secs(self.lab_timeout_secs)
    }

    pub fn build_timeout(&self) -> Duration {
        Duration::from_secs(self.build_timeout_secs)
    }

    /// Points for a test; a test `lab.toml` does not list is worth the default 1 point.
    pub fn points(&self, test: &str) -> f64 {
        self.tests
            .get(test)
            .map_or(default_points(), |entry| entry.points)
    }

    pub fn hint(&self, test: &str) -> Option<&str> {
        self.tests.get(test)?.hint.as_deref()
    }

    /// Where a test comes in the report: `lab.toml`'s order, then unlisted tests by name.
    pub fn report_order(&self, test: &str) -> (usize, String) {
        let position = self.tests.get_index_of(test).unwrap_or(usize::MAX);
        (position, test.to_string())
    }
}

impl Course {
    /// The repository this grader was built from.
    pub fn locate() -> Course {
        let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = xtask_dir
            .parent()
            .expect("xtask/ lives inside the repository");
        Course {
            root: root.to_path_buf(),
        }
    }

    pub fn labs_dir(&self) -> PathBuf {
        self.root.join("labs")
    }

    pub fn solutions_dir(&self) -> PathBuf {
        self.root.join("solutions")
    }

    /// Where the grader assembles and builds, kept across runs so dependencies compile once.
    pub fn grade_dir(&self) -> PathBuf {
        self.root.join("target").join("grade")
    }

    /// Every lab in `labs/`, in course order.
    pub fn labs(&self) -> Result<Vec<Lab>> {
        let labs_dir = self.labs_dir();
        let entries = fs::read_dir(&labs_dir).with_context(|| {
            format!(
                "cannot read the course's labs folder {}",
                labs_dir.display()
            )
        })?;
        let mut labs = Vec::new();
        for entry in entries {
            let dir = entry?.path();
            if dir.join("lab.toml").is_file() {
                labs.push(Lab::load(&dir)?);
            }
        }
        labs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(labs)
    }

    /// The labs named on the command line ("01", "01-ports" or "ports"), or all of them.
    pub fn select(&self, names: &[String]) -> Result<Vec<Lab>> {
        let all = self.labs()?;
        if names.is_empty() {
            return Ok(all);
        }
        let mut chosen: Vec<Lab> = Vec::new();
        for name in names {
            let lab = all.iter().find(|lab| lab.is_named(name)).with_context(|| {
                let known: Vec<&str> = all.iter().map(|lab| lab.id.as_str()).collect();
                format!(
                    "there is no lab named {name:?}; the labs are: {} (use the number, e.g. \"01\")",
                    known.join(", ")
                )
            })?;
            if !chosen.iter().any(|already| already.id == lab.id) {
                chosen.push(lab.clone());
            }
        }
        Ok(chosen)
    }
}

impl Lab {
    fn load(dir: &Path) -> Result<Lab> {
        let id = dir
            .file_name()
            .and_then(|name| name.to_str())
            .context("a lab folder name is not UTF-8")?
            .to_string();
        let manifest_path = dir.join("lab.toml");
        let text = fs::read_to_string(&manifest_path)
            .with_context(|| format!("cannot read {}", manifest_path.display()))?;
        let manifest: LabManifest = toml::from_str(&text)
            .with_context(|| format!("{} is not a valid lab manifest", manifest_path.display()))?;
        let package = package_name(&dir.join("Cargo.toml"))?;
        Ok(Lab {
            id,
            dir: dir.to_path_buf(),
            package,
            manifest,
        })
    }

    /// "01-ports" answers to "01-ports", "01", "1" and "ports".
    pub fn is_named(&self, name: &str) -> bool {
        let (number, topic) = self.id.split_once('-').unwrap_or((&self.id, ""));
        let same_number = match (name.parse::<u32>(), number.parse::<u32>()) {
            (Ok(asked), Ok(ours)) => asked == ours,
            _ => false,
        };
        name == self.id || name == topic || same_number
    }

    /// The lab's folder relative to a workspace root, e.g. `labs/01-ports`.
    pub fn relative_dir(&self) -> PathBuf {
        Path::new("labs").join(&self.id)
    }
}

fn package_name(cargo_toml: &Path) -> Result<String> {
    let text = fs::read_to_string(cargo_toml)
        .with_context(|| format!("cannot read {}", cargo_toml.display()))?;
    let manifest: toml::Table = toml::from_str(&text)
        .with_context(|| format!("{} is not valid TOML", cargo_toml.display()))?;
    match manifest
        .get("package")
        .and_then(|package| package.get("name"))
    {
        Some(toml::Value::String(name)) => Ok(name.clone()),
        _ => bail!("{} has no [package] name", cargo_toml.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(id: &str) -> Lab {
        Lab {
            id: id.to_string(),
            dir: PathBuf::new(),
            package: String::new(),
            manifest: toml::from_str("title = \"t\"").unwrap(),
        }
    }

    #[test]
    fn a_lab_answers_to_its_number_its_id_and_its_topic() {
        let ports = lab("01-ports");
        for name in ["01", "1", "01-ports", "ports"] {
            assert!(ports.is_named(name), "{name:?} should select 01-ports");
        }
        for name in ["02", "port", "01-port", "", "-ports"] {
            assert!(!ports.is_named(name), "{name:?} should not select 01-ports");
        }
    }

    #[test]
    fn manifest_defaults_are_ten_seconds_and_one_point() {
        let manifest: LabManifest = toml::from_str("title = \"t\"\n[tests.\"a::b\"]\n").unwrap();
        assert_eq!(manifest.test_timeout(), Duration::from_secs(10));
        assert_eq!(manifest.points("a::b"), 1.0);
        assert_eq!(manifest.points("not::listed"), 1.0);
    }

    #[test]
    fn tests_keep_the_order_of_lab_toml() {
        let manifest: LabManifest =
            toml::from_str("title = \"t\"\n[tests.\"z::first\"]\n[tests.\"a::second\"]\n").unwrap();
        assert!(manifest.report_order("z::first") < manifest.report_order("a::second"));
        assert!(manifest.report_order("a::second") < manifest.report_order("b::unlisted"));
    }

    #[test]
    fn a_misspelled_manifest_key_is_an_error_not_a_silent_default() {
        let result: Result<LabManifest, _> = toml::from_str("title = \"t\"\ntimeout = 5\n");
        assert!(
            result.is_err(),
            "`timeout` (not `timeout_secs`) must be rejected"
        );
    }
}
