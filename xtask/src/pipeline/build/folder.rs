//! The build folder: one stable workspace per build slot (`target/grade/build/` for the first),
//! that every build in the slot goes through.
//!
//! Cargo decides what to recompile from file times and from what each crate was compiled with
//! (its path, its environment). Building each run's scratch copy directly would defeat both:
//! every copy is a new file at a new path, so every lab would be recompiled every time. So the
//! lab is *mirrored* into this one folder, with the build lock held: a file whose bytes are
//! unchanged keeps its old time, a changed file gets a new one, and a file the lab no longer
//! has is removed. Cargo then rebuilds exactly what changed since the last build — whichever
//! run or submission that was — and nothing when a submission is graded twice.
//!
//! The lab arrives in the folder with its tests declared as one crate (see `test_crate`):
//! those generated files are mirrored like the lab's own.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

use crate::course::{Course, Lab};
use crate::files::{remove_any, write_if_changed};
use crate::layout::{self, BuildSlot};
use crate::pipeline::assemble::Workspace;
use crate::pipeline::build::test_crate::Combined;

/// The build folder, ready for one lab.
pub struct Prepared {
    pub root: PathBuf,
    /// Whether the lab's `src/` differs from what the folder held before: code of another
    /// submission (or another version), whose compiled form must not be seen by this one.
    pub src_changed: bool,
    /// Whether the lab's tests are built as one crate (see `test_crate`).
    pub combined: bool,
}

/// Mirrors the assembled lab into the build folder. Call it only with the build lock held.
pub fn prepare(
    course: &Course,
    workspace: &Workspace,
    lab: &Lab,
    slot: &BuildSlot,
    stand_in: (&str, &str),
) -> Result<Prepared> {
    let root = slot.build();
    let lab_dir = workspace.lab_dir(lab);
    let combined = Combined::plan(&lab_dir, stand_in)?;
    let generated = combined
        .as_ref()
        .map_or(&[][..], |combined| &combined.files[..]);
    let changed = mirror(&lab_dir, &root.join(lab.relative_dir()), generated)?;
    let src_changed = changed.iter().any(|path| path.starts_with("src"));
    mirror(&workspace.harness_dir(), &layout::harness_dir(&root), &[])?;
    let manifest = grading_profile(&workspace_manifest(course, &[lab.relative_dir()])?)?;
    write_if_changed(&root.join("Cargo.toml"), manifest.as_bytes())?;
    let lock = fs::read(course.root.join("Cargo.lock")).unwrap_or_default();
    write_if_changed(&root.join("Cargo.lock"), &lock)?;
    Ok(Prepared {
        root,
        src_changed,
        combined: combined.is_some(),
    })
}

/// A workspace `Cargo.toml` with `members`, plus the repository's shared `[workspace.package]`,
/// `[workspace.dependencies]` and `[profile]` settings (for the build folder, see `build`).
fn workspace_manifest(course: &Course, members: &[PathBuf]) -> Result<String> {
    let text = fs::read_to_string(course.root.join("Cargo.toml"))
        .context("cannot read the course's Cargo.toml")?;
    let course_manifest: toml::Table =
        toml::from_str(&text).context("the course's Cargo.toml is not valid TOML")?;

    let mut workspace = toml::Table::new();
    workspace.insert("resolver".into(), "3".into());
    let members = members
        .iter()
        .map(|dir| toml::Value::from(dir.to_string_lossy().into_owned()));
    workspace.insert("members".into(), toml::Value::Array(members.collect()));
    if let Some(course_workspace) = course_manifest
        .get("workspace")
        .and_then(|value| value.as_table())
    {
        for shared in ["package", "dependencies"] {
            if let Some(value) = course_workspace.get(shared) {
                workspace.insert(shared.into(), value.clone());
            }
        }
    }

    let mut manifest = toml::Table::new();
    manifest.insert("workspace".into(), toml::Value::Table(workspace));
    if let Some(profile) = course_manifest.get("profile") {
        manifest.insert("profile".into(), profile.clone());
    }
    Ok(toml::to_string(&manifest)?)
}

/// The course's dev profile, tuned for builds that are run once and thrown away: no debug
/// info for the lab either (a panic still names its file and line; backtraces are off), and
/// no incremental cache, which consecutive submissions would only overwrite.
fn grading_profile(manifest: &str) -> Result<String> {
    let mut manifest: toml::Table = toml::from_str(manifest)?;
    let profile = manifest
        .entry("profile")
        .or_insert_with(|| toml::Table::new().into())
        .as_table_mut()
        .context("[profile] is a table")?;
    let dev = profile
        .entry("dev")
        .or_insert_with(|| toml::Table::new().into())
        .as_table_mut()
        .context("[profile.dev] is a table")?;
    dev.insert("debug".into(), false.into());
    dev.insert("incremental".into(), false.into());
    // Settings for the course's own tools' dependencies (say, the grader's hashing) are not
    // the labs': cargo would only warn that they match nothing here.
    if let Some(packages) = dev.get_mut("package").and_then(toml::Value::as_table_mut) {
        packages.retain(|name, _| name == "*");
    }
    Ok(toml::to_string(&manifest)?)
}

/// Makes `to` hold exactly the files of `from`, plus the `generated` ones (paths relative to
/// `to`, which win over a file of `from` at the same path), touching only the files that
/// differ; returns the paths (relative to `to`) it wrote or removed.
fn mirror(from: &Path, to: &Path, generated: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>> {
    let generated_at = |relative: &Path| {
        generated
            .iter()
            .find(|(path, _)| Path::new(path) == relative)
            .map(|(_, contents)| contents)
    };
    let mut changed = Vec::new();
    for entry in WalkDir::new(from).follow_links(false) {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let relative = entry.path().strip_prefix(from).expect("below its root");
        let destination = to.join(relative);
        if entry.file_type().is_dir() {
            if !destination.is_dir() {
                remove_any(&destination)?;
                fs::create_dir_all(&destination)?;
            }
        } else if entry.file_type().is_file()
            && generated_at(relative).is_none()
            && write_if_changed(&destination, &fs::read(entry.path())?)?
        {
            changed.push(relative.to_path_buf());
        }
    }
    for (relative, contents) in generated {
        let destination = to.join(relative);
        fs::create_dir_all(destination.parent().expect("a file is in a folder"))?;
        if write_if_changed(&destination, contents)? {
            changed.push(PathBuf::from(relative));
        }
    }
    // What the lab no longer has, deepest first (a stale test file would still be built).
    let stale: Vec<PathBuf> = WalkDir::new(to)
        .contents_first(true)
        .into_iter()
        .flatten()
        .map(|entry| entry.into_path())
        .filter(|path| {
            let relative = path.strip_prefix(to).expect("below its root");
            !from.join(relative).exists() && generated_at(relative).is_none()
        })
        .collect();
    for path in &stale {
        remove_any(path)?;
        changed.push(path.strip_prefix(to).expect("below its root").to_path_buf());
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    fn modified(path: &Path) -> SystemTime {
        fs::metadata(path).unwrap().modified().unwrap()
    }

    #[test]
    fn mirroring_touches_only_what_changed_and_removes_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::create_dir_all(from.join("src")).unwrap();
        fs::write(from.join("src/lib.rs"), "same").unwrap();
        fs::write(from.join("src/changed.rs"), "old").unwrap();
        fs::write(from.join("src/gone.rs"), "x").unwrap();
        mirror(&from, &to, &[]).unwrap();
        let first_time = modified(&to.join("src/lib.rs"));

        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(from.join("src/changed.rs"), "new").unwrap();
        fs::remove_file(from.join("src/gone.rs")).unwrap();
        let changed = mirror(&from, &to, &[]).unwrap();
        assert_eq!(
            changed,
            [
                PathBuf::from("src/changed.rs"),
                PathBuf::from("src/gone.rs")
            ],
            "what changed is reported, and only that"
        );

        assert_eq!(
            modified(&to.join("src/lib.rs")),
            first_time,
            "unchanged: same time"
        );
        assert_eq!(
            fs::read_to_string(to.join("src/changed.rs")).unwrap(),
            "new"
        );
        assert!(modified(&to.join("src/changed.rs")) > first_time);
        assert!(
            !to.join("src/gone.rs").exists(),
            "a file the lab no longer has is removed"
        );
    }

    #[test]
    fn generated_files_win_over_the_labs_and_are_not_stale() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::create_dir_all(from.join("tests")).unwrap();
        fs::write(from.join("Cargo.toml"), "the lab's").unwrap();
        let generated = [
            ("Cargo.toml".to_string(), b"rewritten".to_vec()),
            ("tests/root.rs".to_string(), b"mod a;".to_vec()),
        ];
        mirror(&from, &to, &generated).unwrap();
        assert_eq!(
            fs::read_to_string(to.join("Cargo.toml")).unwrap(),
            "rewritten"
        );
        assert_eq!(
            fs::read_to_string(to.join("tests/root.rs")).unwrap(),
            "mod a;"
        );
        assert!(
            mirror(&from, &to, &generated).unwrap().is_empty(),
            "a second mirror of the same lab touches nothing"
        );
        mirror(&from, &to, &[]).unwrap();
        assert_eq!(
            fs::read_to_string(to.join("Cargo.toml")).unwrap(),
            "the lab's"
        );
        assert!(
            !to.join("tests/root.rs").exists(),
            "no longer generated: removed"
        );
    }
}
