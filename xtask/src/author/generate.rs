//! One source per lab: the stub in `labs/NN-name/src/` is generated from the reference
//! solution in `solutions/NN-name/src/`.
//!
//! Writing a lab twice lets the two copies drift: a fix to a doc comment made in the solution
//! misses the stub. So the solution is the only source, and it marks what the student writes,
//! with what the stub has instead written beside it (the nbgrader / Otter-Grader convention):
//!
//! ```text
//! pub fn first(self) -> u16 {
//!     // BEGIN SOLUTION
//!     match self { … }
//!     // END SOLUTION
//!     // STUB: // TODO: return the lowest port of each range.
//!     // STUB: todo!()
//! }
//! ```
//!
//! The stub is the solution with every `BEGIN SOLUTION` … `END SOLUTION` block left out and
//! every `// STUB: ` line turned into the line after the marker, at the marker's indentation
//! (`// STUB:` alone is an empty line). Everything else — the module comment that teaches, the
//! types, the signatures — is written once and is the same in both. Files other than Rust
//! (`index.html`) are copied as they are. `cargo xtask bless` writes the stubs; `verify` and
//! `bless --stubs --check` fail, naming the file, when a committed stub is not what its
//! solution generates.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use walkdir::WalkDir;

use crate::course::{Course, Lab};

const BEGIN: &str = "// BEGIN SOLUTION";
const END: &str = "// END SOLUTION";
const STUB: &str = "// STUB:";

/// The least share of a solution's code, in percent, that its student writes. Below it,
/// the stub dictates the answer: the student transcribes instead of designing.
pub const MIN_STUDENT_SHARE: f64 = 30.0;

/// The stub a marked solution file generates, or what is wrong with its markers (with the
/// line number).
pub fn stub_from_solution(solution: &str) -> std::result::Result<String, String> {
    let mut stub = Vec::new();
    let mut open_at: Option<usize> = None;
    for (index, line) in solution.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_start();
        let indentation = &line[..line.len() - trimmed.len()];
        if trimmed == BEGIN {
            if let Some(open) = open_at {
                return Err(format!(
                    "line {number}: `{BEGIN}` inside the block opened on line {open}; close it with `{END}` first"
                ));
            }
            open_at = Some(number);
        } else if trimmed == END {
            if open_at.take().is_none() {
                return Err(format!(
                    "line {number}: `{END}` without a `{BEGIN}` before it"
                ));
            }
        } else if open_at.is_some() {
            if trimmed.starts_with(STUB) {
                return Err(format!(
                    "line {number}: a `{STUB}` line inside a solution block; put it after `{END}`"
                ));
            }
        } else if let Some(rest) = trimmed.strip_prefix(STUB) {
            match rest.strip_prefix(' ') {
                Some(text) => stub.push(format!("{indentation}{text}")),
                None if rest.is_empty() => stub.push(String::new()),
                None => {
                    return Err(format!(
                        "line {number}: write `{STUB} ` and then the stub's line (a space after the colon)"
                    ));
                }
            }
        } else {
            stub.push(line.to_string());
        }
    }
    if let Some(open) = open_at {
        return Err(format!(
            "line {open}: `{BEGIN}` is never closed with `{END}`"
        ));
    }
    // A block that ends the file leaves the blank line before it: a file ends in one newline.
    Ok(stub.join("\n").trim_end_matches('\n').to_string() + "\n")
}

/// Every file of the lab's stub as its solution generates it, by path inside `src/`.
pub fn generated_stub(course: &Course, lab: &Lab) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let solution_dir = course.solution_src_dir(lab);
    if !solution_dir.is_dir() {
        bail!(
            "{} has no reference solution at {}: the stub is generated from it",
            lab.id,
            solution_dir.display()
        );
    }
    let mut files = BTreeMap::new();
    for entry in WalkDir::new(&solution_dir).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(&solution_dir)?.to_path_buf();
        let bytes = fs::read(entry.path())
            .with_context(|| format!("cannot read {}", entry.path().display()))?;
        let contents = if relative.extension().is_some_and(|ext| ext == "rs") {
            let text = String::from_utf8(bytes)
                .with_context(|| format!("{} is not UTF-8", entry.path().display()))?;
            stub_from_solution(&text)
                .map_err(|why| anyhow::anyhow!("{}: {why}", entry.path().display()))?
                .into_bytes()
        } else {
            bytes
        };
        files.insert(relative, contents);
    }
    Ok(files)
}

/// How the committed stub differs from the generated one: one line per file, naming it and
/// the command that writes it.
pub fn stub_differences(course: &Course, lab: &Lab) -> Result<Vec<String>> {
    let generated = generated_stub(course, lab)?;
    let committed = files_below(&lab.src_dir())?;
    let fix = format!(
        "run `cargo xtask bless {} --stubs` to write it from solutions/{}/src",
        lab.number(),
        lab.id
    );
    let shown = |relative: &Path| format!("labs/{}/src/{}", lab.id, relative.display());
    let mut differences = Vec::new();
    for (relative, contents) in &generated {
        match committed.get(relative) {
            None => differences.push(format!(
                "{} is missing: {fix}",
                shown(relative)
            )),
            Some(written) if written != contents => differences.push(format!(
                "{} is not what its solution generates (was it edited by hand? edit the solution instead): {fix}",
                shown(relative)
            )),
            Some(_) => {}
        }
    }
    for relative in committed
        .keys()
        .filter(|file| !generated.contains_key(*file))
    {
        differences.push(format!(
            "{} has no counterpart in solutions/{}/src: {fix}, which removes it",
            shown(relative),
            lab.id
        ));
    }
    Ok(differences)
}

/// Writes the lab's stub from its solution; returns the files it wrote or removed.
pub fn write_stub(course: &Course, lab: &Lab) -> Result<Vec<PathBuf>> {
    let generated = generated_stub(course, lab)?;
    let src = lab.src_dir();
    let committed = files_below(&src)?;
    let mut touched = Vec::new();
    for (relative, contents) in &generated {
        if committed.get(relative) != Some(contents) {
            let path = src.join(relative);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, contents)
                .with_context(|| format!("cannot write {}", path.display()))?;
            touched.push(path);
        }
    }
    for relative in committed
        .keys()
        .filter(|file| !generated.contains_key(*file))
    {
        let path = src.join(relative);
        fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        touched.push(path);
    }
    Ok(touched)
}

/// How much of a solution's code the student writes: its lines of code (not blank, not a
/// comment) inside `BEGIN SOLUTION` … `END SOLUTION` blocks, and outside them.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Share {
    pub written: usize,
    pub given: usize,
}

impl Share {
    /// The student's part, in percent of the solution's code.
    pub fn percent(self) -> f64 {
        let total = self.written + self.given;
        if total == 0 {
            0.0
        } else {
            100.0 * self.written as f64 / total as f64
        }
    }

    fn of(solution: &str) -> Share {
        let mut share = Share::default();
        let mut inside = false;
        for line in solution.lines().map(str::trim) {
            match line {
                BEGIN => inside = true,
                END => inside = false,
                "" => {}
                comment if comment.starts_with("//") => {}
                _ if inside => share.written += 1,
                _ => share.given += 1,
            }
        }
        share
    }
}

/// The share of the lab's solution code that the student writes, over its Rust files.
pub fn student_share(course: &Course, lab: &Lab) -> Result<Share> {
    let solution_dir = course.solution_src_dir(lab);
    let mut share = Share::default();
    for entry in WalkDir::new(&solution_dir) {
        let entry = entry?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|ext| ext == "rs") {
            let file = Share::of(&fs::read_to_string(entry.path())?);
            share.written += file.written;
            share.given += file.given;
        }
    }
    Ok(share)
}

fn files_below(dir: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(dir) {
        let entry = entry?;
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir)?.to_path_buf();
            files.insert(relative, fs::read(entry.path())?);
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::stub_from_solution;

    #[test]
    fn a_solution_block_gives_way_to_its_stub_lines() {
        let solution = "\
/// Doc.
pub fn first() -> u16 {
    // BEGIN SOLUTION
    let x = 1;
    x
    // END SOLUTION
    // STUB: // TODO: return the first port.
    // STUB:
    // STUB: todo!()
}
";
        assert_eq!(
            stub_from_solution(solution).unwrap(),
            "/// Doc.\npub fn first() -> u16 {\n    // TODO: return the first port.\n\n    todo!()\n}\n"
        );
    }

    #[test]
    fn the_student_s_share_counts_code_lines_inside_solution_blocks() {
        let solution = "use x;\n\nfn f() {\n    // BEGIN SOLUTION\n    // a comment\n    let a = 1;\n    a\n    // END SOLUTION\n    // STUB: todo!()\n}\n";
        let share = super::Share::of(solution);
        assert_eq!((share.written, share.given), (2, 3));
        assert_eq!(share.percent(), 40.0);
    }

    #[test]
    fn unbalanced_markers_are_refused_with_their_line() {
        let unclosed = stub_from_solution("a\n// BEGIN SOLUTION\nb\n").unwrap_err();
        assert!(unclosed.starts_with("line 2:"), "{unclosed}");
        let stray = stub_from_solution("// END SOLUTION\n").unwrap_err();
        assert!(stray.starts_with("line 1:"), "{stray}");
        let nested = stub_from_solution("// BEGIN SOLUTION\n// BEGIN SOLUTION\n").unwrap_err();
        assert!(
            nested.contains("inside the block opened on line 1"),
            "{nested}"
        );
        let inside =
            stub_from_solution("// BEGIN SOLUTION\n// STUB: x\n// END SOLUTION\n").unwrap_err();
        assert!(inside.contains("inside a solution block"), "{inside}");
    }
}
