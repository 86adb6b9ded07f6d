//! Joining the shards of a class into one out-dir.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::summary::{ClassManifest, Shard, student_dir, write_summaries};
use crate::files::copy_tree;

pub fn merge(shards: &[PathBuf], out_dir: &Path) -> Result<ExitCode> {
    let manifests: Vec<ClassManifest> = shards
        .iter()
        .map(|dir| ClassManifest::read(dir))
        .collect::<Result<_>>()?;
    check_shards_fit(shards, &manifests)?;
    let first = &manifests[0];

    fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create the output folder {}", out_dir.display()))?;
    for (dir, manifest) in shards.iter().zip(&manifests) {
        let same_folder = fs::canonicalize(dir).ok() == fs::canonicalize(out_dir).ok();
        if same_folder {
            continue;
        }
        for id in &manifest.students {
            let from = student_dir(dir, id);
            let to = student_dir(out_dir, id);
            let _ = fs::remove_dir_all(&to);
            if from.is_dir() {
                copy_tree(&from, &to).with_context(|| {
                    format!("cannot copy {} into {}", from.display(), to.display())
                })?;
            }
        }
    }
    let merged = ClassManifest::new(
        first.class.clone(),
        first.class.clone(),
        first.labs.clone(),
        first.grader.clone(),
        Shard::WHOLE,
        first.roster.clone(),
    );
    merged.write(out_dir)?;
    let summary = write_summaries(out_dir, &merged)?;
    println!(
        "merged {} shards: {} students, gradebook: {}",
        shards.len(),
        merged.students.len(),
        out_dir.join("gradebook.csv").display()
    );
    for line in &summary.students {
        println!("  {line}");
    }
    if !summary.flaky.is_empty() {
        println!(
            "flaky tests (failed, then passed when run again): {}",
            out_dir.join("flaky.csv").display()
        );
        for line in &summary.flaky {
            println!("  {line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The shards must be the N parts of one class, each once, graded alike.
fn check_shards_fit(dirs: &[PathBuf], manifests: &[ClassManifest]) -> Result<()> {
    let first = &manifests[0];
    let count = first.shard.count;
    for (dir, manifest) in dirs.iter().zip(manifests) {
        let differs = |what: &str| {
            anyhow::anyhow!(
                "{} and {} were graded {what}: grade every shard with the same class folder, labs and grader, then merge",
                dirs[0].display(),
                dir.display()
            )
        };
        if manifest.class != first.class {
            return Err(differs("from different class folders"));
        }
        if manifest.labs != first.labs {
            return Err(differs("with different labs"));
        }
        if manifest.grader != first.grader {
            return Err(differs("by different graders or instructor's files"));
        }
        if manifest.roster != first.roster {
            return Err(differs("with different rosters"));
        }
        if manifest.shard.count != count {
            return Err(differs("in a different number of shards"));
        }
    }
    for index in 1..=count {
        let holders: Vec<&PathBuf> = dirs
            .iter()
            .zip(manifests)
            .filter(|(_, manifest)| manifest.shard.index == index)
            .map(|(dir, _)| dir)
            .collect();
        match holders.len() {
            1 => {}
            0 => bail!(
                "shard {index}/{count} is missing: grade it (`--shard {index}/{count}`) and give its out-dir too"
            ),
            _ => bail!(
                "shard {index}/{count} was given twice ({}): give each shard's out-dir once",
                holders
                    .iter()
                    .map(|dir| dir.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    Ok(())
}
