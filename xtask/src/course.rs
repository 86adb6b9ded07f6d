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
use serde::{Deserialize, Serialize};

/// Names another copy of the course to work on instead of the one this grader was built from.
pub const COURSE_VARIABLE: &str = "LOOPBACK_LABS_COURSE";

/// The folder of `labs/` holding the test harness the labs share: the instructor's, like the
/// labs' tests, and never taken from a submission.
pub const HARNESS: &str = "harness";

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
    /// The instructor's hidden tests for this lab, from `--tests-from`.
    pub hidden: Option<HiddenTests>,
}

/// Tests a lab is graded with that students do not have: `DIR/NN-name/tests/…` from
/// `--tests-from DIR`, with a `lab.toml` fragment giving their points.
#[derive(Debug, Clone)]
pub struct HiddenTests {
    /// `DIR/NN-name/tests`: copied over the lab's own `tests/` when assembling.
    pub tests_dir: PathBuf,
    /// The stems of the hidden test files (`hidden_ranges` for `hidden_ranges.rs`): a test
    /// named `hidden_ranges::…` is hidden.
    pub files: Vec<String>,
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
    /// Progressive hints for `cargo xtask hint`, from a nudge to nearly the answer.
    #[serde(default)]
    pub hints: Vec<String>,
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
    /// Figures a passing test may report for Gradescope's leaderboard (see `score`).
    #[serde(default)]
    pub leaderboard: Vec<LeaderboardEntry>,
}

/// One `[[leaderboard]]` of `lab.toml`: a figure a test reports by printing
/// `leaderboard: <name> = <number>` once it has checked the figure is right.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderboardEntry {
    pub name: String,
    /// Which way is better: `desc` (more is better, the default) or `asc`.
    #[serde(default)]
    pub order: RankOrder,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankOrder {
    Asc,
    #[default]
    Desc,
}

/// One `[tests."file::name"]` entry of `lab.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestEntry {
    #[serde(default = "default_points")]
    pub points: f64,
    pub hint: Option<String>,
    /// When Gradescope shows the test to students (default: `visible` for the lab's own
    /// tests, `after_published` for hidden ones).
    pub visibility: Option<Visibility>,
}

/// Gradescope's test visibility: when a student may see a test and its output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Always.
    #[default]
    Visible,
    /// Once the assignment's due date has passed.
    AfterDueDate,
    /// Once the instructor publishes the grades.
    AfterPublished,
    /// Never; only instructors see it.
    Hidden,
}

impl Visibility {
    pub fn is_visible(&self) -> bool {
        *self == Visibility::Visible
    }
}

/// `DIR/NN-name/lab.toml` of `--tests-from DIR`: only the hidden tests' entries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HiddenManifest {
    #[serde(default)]
    tests: IndexMap<String, TestEntry>,
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

    /// The lab's points: the sum of its listed tests'.
    pub fn total_points(&self) -> f64 {
        self.tests.values().map(|entry| entry.points).sum()
    }

    pub fn hint(&self, test: &str) -> Option<&str> {
        self.tests.get(test)?.hint.as_deref()
    }

    fn visibility(&self, test: &str) -> Option<Visibility> {
        self.tests.get(test)?.visibility
    }

    /// Where a test comes in the report: `lab.toml`'s order, then unlisted tests by name.
    pub fn report_order(&self, test: &str) -> (usize, String) {
        let position = self.tests.get_index_of(test).unwrap_or(usize::MAX);
        (position, test.to_string())
    }
}

impl Course {
    /// The repository this grader was built from, or the copy of the course named by
    /// `LOOPBACK_LABS_COURSE` (for lab authors trying the tools on a scratch copy).
    pub fn locate() -> Course {
        if let Some(copy) = std::env::var_os(COURSE_VARIABLE).filter(|dir| !dir.is_empty()) {
            let root = std::path::absolute(&copy).unwrap_or_else(|_| PathBuf::from(copy));
            return Course { root };
        }
        let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = xtask_dir
            .parent()
            .expect("xtask/ lives inside the repository");
        Course {
            root: root.to_path_buf(),
        }
    }

    /// Where the student tools keep what they remember between runs (the last grade of each
    /// lab, the hints already shown): `target/student/` of this checkout. It belongs to the
    /// checkout, so it stays there even when `CARGO_TARGET_DIR` moves the builds elsewhere.
    pub fn student_dir(&self) -> PathBuf {
        self.root.join("target").join("student")
    }

    /// `book/`, the mdBook.
    pub fn book_dir(&self) -> PathBuf {
        self.root.join("book")
    }

    pub fn labs_dir(&self) -> PathBuf {
        self.root.join("labs")
    }

    /// The test harness the labs share (`labs/harness`, a package without a `lab.toml`).
    pub fn harness_dir(&self) -> PathBuf {
        crate::layout::harness_dir(&self.root)
    }

    pub fn solutions_dir(&self) -> PathBuf {
        self.root.join("solutions")
    }

    /// A lab's reference solution, `solutions/NN-name/src`: the lab's one source.
    pub fn solution_src_dir(&self, lab: &Lab) -> PathBuf {
        self.solutions_dir().join(&lab.id).join("src")
    }

    /// Cargo's target folder: `target/`, or `CARGO_TARGET_DIR` when set.
    pub fn target_dir(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .filter(|dir| !dir.is_empty())
            .and_then(|dir| std::path::absolute(dir).ok())
            .unwrap_or_else(|| self.root.join("target"))
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

/// Adds the instructor's hidden tests from `--tests-from DIR` to the labs being graded.
/// DIR mirrors `labs/`: `DIR/NN-name/tests/*.rs` (and `tests/snapshots/`) plus a
/// `DIR/NN-name/lab.toml` listing the hidden tests with their points. A folder that matches
/// no lab of the course is an error (a typo would otherwise drop tests silently); one for a
/// lab not being graded now is skipped.
pub fn add_hidden_tests(course: &Course, labs: &mut [Lab], dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        bail!(
            "the hidden tests folder {} does not exist or is not a folder",
            dir.display()
        );
    }
    let known: Vec<String> = course.labs()?.into_iter().map(|lab| lab.id).collect();
    let mut found_any = false;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        if !known.contains(&name) {
            bail!(
                "{} matches no lab: the folders of a hidden tests folder are named like labs/ ({})",
                entry.path().display(),
                known.join(", ")
            );
        }
        found_any = true;
        if let Some(lab) = labs.iter_mut().find(|lab| lab.id == name) {
            lab.add_hidden_tests(&entry.path())?;
        }
    }
    if !found_any {
        bail!(
            "{} holds no lab folder: hidden tests go in DIR/NN-name/tests/, e.g. DIR/{}/tests/",
            dir.display(),
            known.first().map_or("01-ports", String::as_str)
        );
    }
    Ok(())
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
        let manifest: LabManifest = toml::from_str(&text).map_err(|error| {
            anyhow::anyhow!(
                "{} is not a valid lab manifest: {}",
                manifest_path.display(),
                one_line(&text, &error)
            )
        })?;
        let package = package_name(&dir.join("Cargo.toml"))?;
        Ok(Lab {
            id,
            dir: dir.to_path_buf(),
            package,
            manifest,
            hidden: None,
        })
    }

    /// Whether a test (`file::name`) is one of the instructor's hidden tests.
    pub fn is_hidden(&self, test: &str) -> bool {
        let file = test.split("::").next().unwrap_or_default();
        self.hidden
            .as_ref()
            .is_some_and(|hidden| hidden.files.iter().any(|stem| stem == file))
    }

    /// When Gradescope shows a test: as `lab.toml` says, else hidden tests once the grades
    /// are published and the lab's own tests always.
    pub fn visibility(&self, test: &str) -> Visibility {
        self.manifest
            .visibility(test)
            .unwrap_or(if self.is_hidden(test) {
                Visibility::AfterPublished
            } else {
                Visibility::Visible
            })
    }

    /// Adds the hidden tests of `DIR/<lab id>/` (from `--tests-from DIR`): their files join
    /// the lab's `tests/` when assembling, their `lab.toml` entries join the lab's, after
    /// its own tests.
    fn add_hidden_tests(&mut self, dir: &Path) -> Result<()> {
        let tests_dir = dir.join("tests");
        let files = hidden_test_files(&tests_dir)?;
        for file in &files {
            let public = self.dir.join("tests").join(format!("{file}.rs"));
            if public.exists() {
                bail!(
                    "the hidden test file {} has the name of one of the lab's own tests ({}): rename it, e.g. hidden_{file}.rs",
                    tests_dir.join(format!("{file}.rs")).display(),
                    public.display()
                );
            }
        }
        let manifest_path = dir.join("lab.toml");
        let text = fs::read_to_string(&manifest_path).with_context(|| {
            format!(
                "the hidden tests in {} need a lab.toml giving their points, e.g. [tests.\"{}::test_name\"] points = 2",
                dir.display(),
                files[0]
            )
        })?;
        let fragment: HiddenManifest = toml::from_str(&text).map_err(|error| {
            anyhow::anyhow!(
                "{} is not a valid list of hidden tests ({}); it holds only [tests.\"file::name\"] entries with points, hint and visibility",
                manifest_path.display(),
                one_line(&text, &error)
            )
        })?;
        for (name, entry) in fragment.tests {
            let file = name.split("::").next().unwrap_or_default();
            if !files.iter().any(|stem| stem == file) {
                bail!(
                    "{} lists {name:?}, but {} has no {file}.rs",
                    manifest_path.display(),
                    tests_dir.display()
                );
            }
            self.manifest.tests.insert(name, entry);
        }
        self.hidden = Some(HiddenTests { tests_dir, files });
        Ok(())
    }

    /// "01-ports" answers to "01-ports", "01", "1" and "ports".
    pub fn is_named(&self, name: &str) -> bool {
        let (number, topic) = split_id(&self.id);
        let same_number = match (name.parse::<u32>(), number.parse::<u32>()) {
            (Ok(asked), Ok(ours)) => asked == ours,
            _ => false,
        };
        name == self.id || name == topic || same_number
    }

    /// The lab's number as written in its folder name, e.g. `01`.
    pub fn number(&self) -> &str {
        split_id(&self.id).0
    }

    /// The lab's code in this checkout, `labs/NN-name/src`: the stub as shipped, a student's
    /// work once they start.
    pub fn src_dir(&self) -> PathBuf {
        self.dir.join("src")
    }

    /// The lab's folder relative to a workspace root, e.g. `labs/01-ports`.
    pub fn relative_dir(&self) -> PathBuf {
        Path::new("labs").join(&self.id)
    }
}

/// A lab id split at its first '-' into number and topic: `("01", "ports")` for `01-ports`,
/// `(id, "")` for an id without one.
pub fn split_id(id: &str) -> (&str, &str) {
    id.split_once('-').unwrap_or((id, ""))
}

/// The number of a lab id of the form `NN-topic` (`1` for `01-ports`): two digits, a '-' and
/// a topic. `None` for any other name.
pub fn lab_number(id: &str) -> Option<u32> {
    let (number, topic) = split_id(id);
    let two_digits = number.len() == 2 && number.bytes().all(|byte| byte.is_ascii_digit());
    if !two_digits || topic.is_empty() {
        return None;
    }
    number.parse().ok()
}

/// The stems of the `.rs` files directly in a hidden `tests/` folder (at least one).
fn hidden_test_files(tests_dir: &Path) -> Result<Vec<String>> {
    let entries = fs::read_dir(tests_dir).with_context(|| {
        format!(
            "cannot read {}: hidden tests go in DIR/NN-name/tests/, like a lab's own",
            tests_dir.display()
        )
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|ext| ext == "rs") {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            files.push(stem.into_owned());
        }
    }
    files.sort();
    if files.is_empty() {
        bail!("{} holds no test file (*.rs)", tests_dir.display());
    }
    Ok(files)
}

/// A TOML error in one line, e.g. "line 3: unknown field `timeout`, expected …".
fn one_line(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().replace('\n', " ");
    match error.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].lines().count().max(1);
            format!("line {line}: {message}")
        }
        None => message,
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
            hidden: None,
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
    fn a_lab_id_splits_into_its_number_and_topic() {
        assert_eq!(split_id("01-ports"), ("01", "ports"));
        assert_eq!(split_id("10-echo-models"), ("10", "echo-models"));
        assert_eq!(split_id("ports"), ("ports", ""));
        assert_eq!(lab_number("01-ports"), Some(1));
        assert_eq!(lab_number("12-udp-echo"), Some(12));
        for not_an_id in ["1-ports", "001-ports", "01-", "01", "ab-ports", "ports", ""] {
            assert_eq!(lab_number(not_an_id), None, "{not_an_id:?} is not NN-topic");
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
