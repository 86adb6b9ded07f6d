//! `cargo xtask package classroom [--out FILE]`: the GitHub Classroom autograding workflow.
//!
//! GitHub Classroom runs the workflow `.github/workflows/classroom.yml` of a student's
//! repository on every push. Ours runs `cargo xtask grade --format json`, turns the report
//! into the result GitHub Classroom's reporter action reads (`classroom.jq`: every test with
//! its points), and hands it over; the student sees each test in the run's log and the
//! points in GitHub Classroom.
//!
//! The workflow runs in the student's own repository, with the grader and tests the
//! student has: it is feedback, not an exam. Hidden tests and tamper-proof marks need
//! `--submissions` or Gradescope (README.md, "For instructors").

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::course::Course;

#[derive(clap::Args)]
pub struct ClassroomArgs {
    /// Where to write the workflow [default: .github/workflows/classroom.yml in the repository]
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

const WORKFLOW: &str = include_str!("classroom.yml");
/// The report → GitHub Classroom result conversion, run by `jq` in the workflow.
const RESULTS_JQ: &str = include_str!("classroom.jq");

pub fn package_classroom(options: ClassroomArgs) -> Result<ExitCode> {
    let course = Course::locate();
    let out = options
        .out
        .unwrap_or_else(|| course.root.join(".github/workflows/classroom.yml"));
    let toolchain = super::gradescope::rust_version()?;
    if let Some(folder) = out.parent().filter(|folder| !folder.as_os_str().is_empty()) {
        fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
    }
    fs::write(&out, workflow(&toolchain))
        .with_context(|| format!("cannot write {}", out.display()))?;
    println!("wrote {}", out.display());
    println!(
        "commit it to the assignment's template repository: GitHub Classroom grades every push with it"
    );
    Ok(ExitCode::SUCCESS)
}

/// The workflow for a Rust toolchain version, e.g. `1.95.0`.
fn workflow(toolchain: &str) -> String {
    let program: String = RESULTS_JQ
        .lines()
        .map(|line| format!("          {line}\n"))
        .collect();
    WORKFLOW
        .replace("{{TOOLCHAIN}}", toolchain)
        .replace("{{RESULTS_JQ}}\n", &program)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jq_program_survives_single_quotes_in_the_shell() {
        assert!(
            !RESULTS_JQ.contains('\''),
            "classroom.jq is quoted with '…' in the workflow's shell script"
        );
        let workflow = workflow("1.95.0");
        assert!(workflow.contains("rustup toolchain install 1.95.0"));
        for placeholder in ["{{TOOLCHAIN}}", "{{RESULTS_JQ}}"] {
            assert!(!workflow.contains(placeholder), "{placeholder} was left");
        }
    }
}
