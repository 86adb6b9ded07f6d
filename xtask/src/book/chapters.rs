//! The chapters and the labs, kept in step: every lab has a chapter listed in `SUMMARY.md`,
//! every lab chapter (`book/src/NN-name.md`) belongs to a lab, and (for `verify`) a chapter's
//! grading table says what the lab's `lab.toml` says.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::course::{Course, Lab};

/// A lab chapter's Markdown.
pub struct Chapter {
    /// `book/src/01-ports.md`, relative to the repository.
    pub name: String,
    pub text: String,
}

impl Chapter {
    /// The lab's chapter, or why there is none.
    pub fn of(course: &Course, lab: &Lab) -> std::result::Result<Chapter, String> {
        let Some(file) = &lab.manifest.chapter else {
            return Err(format!(
                "labs/{}/lab.toml names no chapter: add `chapter = \"{}.md\"`",
                lab.id, lab.id
            ));
        };
        let name = format!("book/src/{file}");
        let text = fs::read_to_string(course.book_dir().join("src").join(file)).map_err(|_| {
            format!(
                "labs/{}/lab.toml names the chapter {name}, which does not exist",
                lab.id
            )
        })?;
        Ok(Chapter { name, text })
    }

    /// The level-2 headings (`## Grading`), outside code blocks.
    pub fn sections(&self) -> Vec<&str> {
        outside_code_blocks(&self.text)
            .filter_map(|line| line.strip_prefix("## "))
            .map(str::trim)
            .collect()
    }

    /// The table under `## Grading`: each test's points, and the total row's figure.
    pub fn grading_table(&self) -> GradingTable {
        let mut table = GradingTable::default();
        let mut in_grading = false;
        for line in outside_code_blocks(&self.text) {
            if let Some(heading) = line.strip_prefix("## ") {
                in_grading = heading.trim() == "Grading";
                continue;
            }
            if !in_grading || !line.trim_start().starts_with('|') {
                continue;
            }
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let (Some(first), Some(last)) = (cells.first(), cells.last()) else {
                continue;
            };
            let points = last.trim_matches('*').parse::<f64>().ok();
            if let Some(test) = first
                .strip_prefix('`')
                .and_then(|rest| rest.strip_suffix('`'))
            {
                table.rows.push((test.to_string(), points));
            } else if first.trim_matches('*') == "Total" {
                table.total = points;
            }
        }
        table
    }
}

/// `| `file::test` | … | 2 |` rows and the `| **Total** | | **28** |` row of a chapter.
#[derive(Debug, Default)]
pub struct GradingTable {
    pub rows: Vec<(String, Option<f64>)>,
    pub total: Option<f64>,
}

/// The lines of a Markdown text that are not inside a fenced code block.
fn outside_code_blocks(text: &str) -> impl Iterator<Item = &str> {
    let mut in_fence = false;
    text.lines().filter(move |line| {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            return false;
        }
        !in_fence
    })
}

/// The chapter files `SUMMARY.md` links to, relative to `book/src/`.
fn summary_chapters(course: &Course) -> Result<Vec<String>> {
    let path = course.book_dir().join("src").join("SUMMARY.md");
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|line| {
            let start = line.find("](")? + 2;
            let end = start + line[start..].find(')')?;
            Some(line[start..end].trim().to_string())
        })
        .collect())
}

/// Which of `labs` have no chapter in the summary, and which lab chapters belong to none of
/// the course's labs (`all_labs`).
pub fn book_problems(course: &Course, labs: &[Lab], all_labs: &[Lab]) -> Result<Vec<String>> {
    let summary = summary_chapters(course)?;
    let mut problems = Vec::new();
    for lab in labs {
        match Chapter::of(course, lab) {
            Err(problem) => problems.push(problem),
            Ok(_) => {
                let file = lab.manifest.chapter.as_deref().unwrap_or_default();
                if !summary.iter().any(|listed| listed == file) {
                    problems.push(format!(
                        "book/src/SUMMARY.md does not list {file}, the chapter of {}: add `- [Title]({file})`",
                        lab.id
                    ));
                }
            }
        }
    }
    for file in lab_chapter_files(course)? {
        let belongs = all_labs
            .iter()
            .any(|lab| lab.manifest.chapter.as_deref() == Some(file.as_str()));
        if !belongs {
            problems.push(format!(
                "book/src/{file} looks like a lab chapter, but no labs/*/lab.toml names it: \
                 is its lab missing or renamed?"
            ));
        }
    }
    Ok(problems)
}

/// The files named like a lab chapter, `NN-name.md`, in `book/src/`.
fn lab_chapter_files(course: &Course) -> Result<Vec<String>> {
    let dir: PathBuf = course.book_dir().join("src");
    let mut files = Vec::new();
    for entry in fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let numbered = name.len() > 3
            && name.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && name.as_bytes()[2] == b'-';
        if numbered && name.ends_with(".md") {
            files.push(name);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grading_table_is_read_outside_code_blocks_and_other_sections() {
        let chapter = Chapter {
            name: "book/src/01-ports.md".into(),
            text: "# 1. Ports\n\n## Grading\n\n```text\n## Not a heading\n| `fake::row` | | 9 |\n```\n\
                   | Test | What it checks | Points |\n|---|---|--:|\n\
                   | `ranges::edges` | the edges | 2 |\n| `cli::runs` | the program | 1.5 |\n\
                   | **Total** | | **3.5** |\n\n## Hints\n\n| `not::graded` | | 4 |\n"
                .into(),
        };
        assert_eq!(chapter.sections(), ["Grading", "Hints"]);
        let table = chapter.grading_table();
        assert_eq!(
            table.rows,
            [
                ("ranges::edges".to_string(), Some(2.0)),
                ("cli::runs".to_string(), Some(1.5))
            ]
        );
        assert_eq!(table.total, Some(3.5));
    }
}
