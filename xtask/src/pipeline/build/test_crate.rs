//! One test crate per lab: the lab's test files compiled together, as modules of one crate.
//!
//! Cargo makes every `tests/*.rs` file a crate of its own, with its own executable: a lab with
//! seven test files is compiled seven times over (each copy of `tests/support/` included) and
//! linked seven times against tokio and the lab. Linking dominates a lab's build. So the build
//! folder (only it: the lab as the student and the lab author see it is unchanged) declares
//! one test target instead, `graded-tests`, whose root names each test file as a module:
//!
//! ```text
//! // tests/graded-tests.rs, written by the grader
//! #[path = "ranges.rs"]
//! mod ranges;
//! ```
//!
//! A module loaded by `#[path]` finds its own modules (`mod support;`) next to its file, as a
//! test crate's root does, so every test file compiles as it is. libtest then names a test
//! `ranges::classifies_the_boundaries` — the very name the report uses — and insta names its
//! snapshot `graded_tests__ranges__classifies_the_boundaries.snap`, which is the blessed
//! `ranges__classifies_the_boundaries.snap` with the crate's name in front
//! ([`blessed_snapshot_name`]).
//!
//! A lab whose `Cargo.toml` declares test targets of its own, or whose test file names are not
//! Rust identifiers, is built as cargo would build it, one executable per file.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

/// The Cargo target of the combined tests, and the crate name rustc gives it.
pub const TARGET: &str = "graded-tests";
const CRATE: &str = "graded_tests";
/// Its root, in the lab's `tests/` (not a Rust identifier, so no test file can be named so).
/// The first build step must find it too, empty: cargo checks that every declared target has
/// its file, even one it does not build.
pub const ROOT_FILE: &str = "graded-tests.rs";

/// What the build folder holds, instead of or besides the lab's own files, to build its
/// tests as one crate: paths relative to the lab's folder, and their contents.
pub struct Combined {
    pub files: Vec<(String, Vec<u8>)>,
}

impl Combined {
    /// The lab's tests as one crate, or `None` when they must be built as cargo builds them.
    /// `lab_dir` is the assembled lab (with any hidden tests); `stand_in` is the empty test
    /// that stands in for the tests in the first build step, and its source.
    pub fn plan(lab_dir: &Path, stand_in: (&str, &str)) -> Result<Option<Combined>> {
        let manifest_path = lab_dir.join("Cargo.toml");
        let text = fs::read_to_string(&manifest_path)
            .with_context(|| format!("cannot read {}", manifest_path.display()))?;
        let mut manifest: toml::Table = toml::from_str(&text)
            .with_context(|| format!("{} is not valid TOML", manifest_path.display()))?;
        let declares_its_own = manifest.contains_key("test")
            || manifest
                .get("package")
                .and_then(toml::Value::as_table)
                .is_some_and(|package| package.contains_key("autotests"));
        if declares_its_own {
            return Ok(None);
        }
        let Some(modules) = test_modules(&lab_dir.join("tests"))? else {
            return Ok(None);
        };

        let (stand_in_target, stand_in_source) = stand_in;
        let stand_in_file = format!("tests/{stand_in_target}.rs");
        manifest
            .get_mut("package")
            .and_then(toml::Value::as_table_mut)
            .context("the lab's Cargo.toml has no [package]")?
            .insert("autotests".into(), false.into());
        let target = |name: &str, path: &str| {
            let mut table = toml::Table::new();
            table.insert("name".into(), name.into());
            table.insert("path".into(), path.into());
            toml::Value::Table(table)
        };
        manifest.insert(
            "test".into(),
            toml::Value::Array(vec![
                target(TARGET, &format!("tests/{ROOT_FILE}")),
                target(stand_in_target, &stand_in_file),
            ]),
        );

        let mut root = String::from(
            "//! The lab's test files as modules of one test crate (written by the grader).\n",
        );
        for (module, path) in &modules {
            root.push_str(&format!("\n#[path = {path:?}]\nmod {module};\n"));
        }
        Ok(Some(Combined {
            files: vec![
                (
                    "Cargo.toml".into(),
                    toml::to_string(&manifest)?.into_bytes(),
                ),
                (format!("tests/{ROOT_FILE}"), root.into_bytes()),
                (stand_in_file, stand_in_source.as_bytes().to_vec()),
            ],
        }))
    }
}

/// The test targets cargo would find in `tests/` — `name.rs` and `name/main.rs` — as
/// `(module, path)` pairs in name order; `None` if a name is not a Rust identifier.
fn test_modules(tests_dir: &Path) -> Result<Option<Vec<(String, String)>>> {
    let mut modules = Vec::new();
    for entry in fs::read_dir(tests_dir).into_iter().flatten() {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let module = if path.is_dir() && path.join("main.rs").is_file() {
            (name.clone(), format!("{name}/main.rs"))
        } else if path.is_file()
            && let Some(stem) = name.strip_suffix(".rs")
        {
            (stem.to_string(), name.clone())
        } else {
            continue;
        };
        if !is_identifier(&module.0) {
            return Ok(None);
        }
        modules.push(module);
    }
    modules.sort();
    Ok(Some(modules))
}

/// A name `mod NAME;` accepts: letters, digits and `_`, not starting with a digit, not a
/// keyword.
fn is_identifier(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
        "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
        "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
        "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type",
        "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "_",
    ];
    let mut chars = name.chars();
    let starts_well = chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_');
    starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && !KEYWORDS.contains(&name)
}

/// The name a report gives a test: `file::test`. libtest already names a test of the combined
/// crate so; a test of a crate of its own is named after its executable.
pub fn report_name(executable: &str, libtest_name: &str) -> String {
    if executable == TARGET {
        libtest_name.to_string()
    } else {
        format!("{executable}::{libtest_name}")
    }
}

/// The blessed name of a snapshot a test of the combined crate wrote: its name without the
/// crate's (`graded_tests__ranges__of.snap` → `ranges__of.snap`); other names as they are.
pub fn blessed_snapshot_name(produced: &str) -> &str {
    produced
        .strip_prefix(CRATE)
        .and_then(|rest| rest.strip_prefix("__"))
        .unwrap_or(produced)
}

/// The file a test of the combined crate writes for a blessed snapshot name.
pub fn produced_snapshot_name(blessed: &str) -> String {
    format!("{CRATE}__{blessed}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab_with(manifest: &str, test_files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        fs::create_dir_all(dir.path().join("tests/support")).unwrap();
        fs::write(dir.path().join("tests/support/mod.rs"), "").unwrap();
        for file in test_files {
            let path = dir.path().join("tests").join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "").unwrap();
        }
        dir
    }

    const PACKAGE: &str = "[package]\nname = \"lab01-ports\"\nversion = \"0.1.0\"\n";

    #[test]
    fn every_test_file_becomes_a_module_of_one_declared_target() {
        let lab = lab_with(PACKAGE, &["ranges.rs", "cli.rs", "multi/main.rs"]);
        let combined = Combined::plan(lab.path(), ("stand_in", "// empty\n"))
            .unwrap()
            .expect("plain test files combine");
        let file = |name: &str| {
            let (_, bytes) = combined
                .files
                .iter()
                .find(|(path, _)| path == name)
                .unwrap();
            String::from_utf8(bytes.clone()).unwrap()
        };
        let root = file("tests/graded-tests.rs");
        assert!(root.contains("#[path = \"cli.rs\"]\nmod cli;"), "{root}");
        assert!(
            root.contains("#[path = \"multi/main.rs\"]\nmod multi;"),
            "{root}"
        );
        assert!(
            !root.contains("support"),
            "a folder without main.rs is a module, not a test: {root}"
        );
        assert!(
            root.find("mod cli").unwrap() < root.find("mod ranges").unwrap(),
            "name order"
        );

        let manifest: toml::Table = toml::from_str(&file("Cargo.toml")).unwrap();
        assert_eq!(manifest["package"]["autotests"].as_bool(), Some(false));
        let targets: Vec<(&str, &str)> = manifest["test"]
            .as_array()
            .unwrap()
            .iter()
            .map(|target| {
                (
                    target["name"].as_str().unwrap(),
                    target["path"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            targets,
            [
                ("graded-tests", "tests/graded-tests.rs"),
                ("stand_in", "tests/stand_in.rs")
            ]
        );
        assert_eq!(file("tests/stand_in.rs"), "// empty\n");
    }

    #[test]
    fn a_lab_that_declares_its_tests_or_names_them_oddly_is_built_as_cargo_would() {
        let declared = format!("{PACKAGE}\n[[test]]\nname = \"custom\"\nharness = false\n");
        let odd_names: [(&str, &[&str]); 3] = [
            (PACKAGE, &["port-ranges.rs"]),
            (PACKAGE, &["async.rs"]),
            (PACKAGE, &["1st.rs"]),
        ];
        assert!(
            Combined::plan(lab_with(&declared, &["custom.rs"]).path(), ("s", ""))
                .unwrap()
                .is_none()
        );
        let no_autotests = format!("{PACKAGE}autotests = false\n");
        assert!(
            Combined::plan(lab_with(&no_autotests, &["a.rs"]).path(), ("s", ""))
                .unwrap()
                .is_none()
        );
        for (manifest, files) in odd_names {
            let lab = lab_with(manifest, files);
            assert!(
                Combined::plan(lab.path(), ("s", "")).unwrap().is_none(),
                "{files:?}"
            );
        }
    }

    #[test]
    fn names_of_tests_and_snapshots_are_those_of_a_crate_per_file() {
        assert_eq!(report_name(TARGET, "ranges::of"), "ranges::of");
        assert_eq!(report_name("ranges", "of"), "ranges::of");
        assert_eq!(
            blessed_snapshot_name("graded_tests__ranges__of-2.snap"),
            "ranges__of-2.snap"
        );
        assert_eq!(blessed_snapshot_name("ranges__of.snap"), "ranges__of.snap");
        assert_eq!(
            produced_snapshot_name("ranges__of.snap"),
            "graded_tests__ranges__of.snap"
        );
    }
}
