//! `cargo xtask new-lab NAME [--title TITLE]`: a new lab, ready for its author to fill in.
//!
//! A lab lives in several places that must agree with each other: its package in
//! `labs/NN-name/` (`Cargo.toml`, `lab.toml`, the stub, the tests, `stub.lock`), its reference
//! solution in `solutions/NN-name/src/`, its chapter `book/src/NN-name.md`, a line of
//! `book/src/SUMMARY.md` and a row of the README's Labs table. Copying another lab by hand
//! means renaming it in every one of them and deleting its exercises, and one forgotten name
//! is a broken lab. So this command writes them all at once, from the templates in
//! `template/` (built into the grader), around one tiny exercise — a listener on
//! `127.0.0.1:0` — that already passes `cargo xtask verify`. The author starts from a lab
//! that works, and changes it one step at a time.
//!
//! It never overwrites anything. Every file is prepared in memory and every target checked
//! before the first write; if a write still fails midway, what was written is removed and
//! the two edited files get their old text back.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::author::generate::stub_from_solution;
use crate::author::stub::{STUB_LOCK, SourceFiles};
use crate::course::{Course, lab_number, split_id};

/// The templates, with `{{placeholders}}` (see [`NewLab::placeholders`]).
const CARGO_TOML: &str = include_str!("template/Cargo.toml.in");
const LAB_TOML: &str = include_str!("template/lab.toml.in");
const SOLUTION_LIB: &str = include_str!("template/solution_lib.rs.in");
const TEST: &str = include_str!("template/test.rs.in");
const SNAPSHOT: &str = include_str!("template/snapshot.snap.in");
const CHAPTER: &str = include_str!("template/chapter.md.in");

/// Lab folders are numbered with two digits.
const HIGHEST_NUMBER: u32 = 99;

/// What a lab's name may be, for the error messages.
const NAME_RULE: &str = "a lab's name is lowercase ASCII words (letters and digits, starting \
    with a letter) joined by single '-', e.g. \"udp-echo\"";

/// The file the book's table of contents is in.
const SUMMARY: &str = "book/src/SUMMARY.md";

/// The file with the Labs table.
const README: &str = "README.md";

#[derive(clap::Args)]
pub struct NewLabArgs {
    /// The lab's topic, lowercase words joined by '-', e.g. "udp-echo".
    #[arg(value_name = "NAME")]
    name: String,

    /// The lab's title [default: made from NAME]
    #[arg(long)]
    title: Option<String>,
}

impl NewLabArgs {
    pub fn run(self) -> Result<ExitCode> {
        new_lab(&self.name, self.title.as_deref())
    }
}

fn new_lab(name: &str, title: Option<&str>) -> Result<ExitCode> {
    let course = Course::locate();
    let existing = existing_labs(&course.labs_dir())?;
    check_name(name, &existing)?;
    let lab = NewLab {
        number: next_number(&existing)?,
        name: name.to_string(),
        title: match title {
            Some(title) => checked_title(title)?,
            None => title_from_name(name),
        },
        title_from_name: title.is_none(),
    };
    let plan = Plan::prepare(&course.root, &lab)?;
    plan.carry_out(&course.root)?;
    print!("{}", summary(&lab, &plan));
    Ok(ExitCode::SUCCESS)
}

/// The lab folders in `labs/` (`01-ports`, …), sorted.
fn existing_labs(labs_dir: &Path) -> Result<Vec<String>> {
    let entries = fs::read_dir(labs_dir).with_context(|| {
        format!(
            "cannot read the course's labs folder {}",
            labs_dir.display()
        )
    })?;
    let mut ids = Vec::new();
    for entry in entries {
        let id = entry?.file_name().to_string_lossy().into_owned();
        if lab_number(&id).is_some() {
            ids.push(id);
        }
    }
    ids.sort();
    Ok(ids)
}

/// The number after the highest one in `labs/` (1 for an empty course).
fn next_number(existing: &[String]) -> Result<u32> {
    let highest = existing.iter().filter_map(|id| lab_number(id)).max();
    match highest {
        Some(highest) if highest >= HIGHEST_NUMBER => bail!(
            "labs/ already holds lab {highest}: lab numbers have two digits, so no number is left for a new lab"
        ),
        Some(highest) => Ok(highest + 1),
        None => Ok(1),
    }
}

/// Refuses a name that is not lowercase words joined by '-', or that a lab already has
/// (`cargo xtask grade NAME` must select one lab).
fn check_name(name: &str, existing: &[String]) -> Result<()> {
    if name.is_empty() {
        bail!("the lab's name is empty: {NAME_RULE}");
    }
    if let Some((number, topic)) = name.split_once('-')
        && !number.is_empty()
        && number.bytes().all(|byte| byte.is_ascii_digit())
    {
        bail!(
            "{name:?} starts with a number: give only the topic, e.g. {topic:?}; new-lab numbers the lab itself"
        );
    }
    if !is_lab_name(name) {
        match suggested_name(name) {
            Some(suggestion) => {
                bail!("{name:?} is not a lab name: {NAME_RULE}; try {suggestion:?}")
            }
            None => bail!("{name:?} is not a lab name: {NAME_RULE}"),
        }
    }
    if let Some(id) = existing.iter().find(|id| split_id(id).1 == name) {
        bail!(
            "the lab labs/{id} is already named {name:?}: choose another name, since `cargo xtask grade {name}` must select one lab"
        );
    }
    Ok(())
}

fn is_lab_name(name: &str) -> bool {
    let starts_with_a_letter = name.starts_with(|c: char| c.is_ascii_lowercase());
    let words_are_lowercase = name.split('-').all(|word| {
        !word.is_empty()
            && word
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit())
    });
    starts_with_a_letter && words_are_lowercase
}

/// The nearest lab name, if there is one: "udp-echo" for "Udp_Echo", "x" for "../x".
fn suggested_name(name: &str) -> Option<String> {
    let lowercase = name.to_ascii_lowercase();
    let words: Vec<&str> = lowercase
        .split(|c: char| !c.is_ascii_lowercase() && !c.is_ascii_digit())
        .filter(|word| !word.is_empty())
        .collect();
    let suggestion = words.join("-");
    is_lab_name(&suggestion).then_some(suggestion)
}

/// The title `--title` gave, if it fits in a link of `SUMMARY.md` and a cell of the README.
fn checked_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        bail!(
            "the title is empty: give the lab's title, e.g. --title \"UDP echo: a datagram and its reply\""
        );
    }
    if let Some(bad) = title
        .chars()
        .find(|&c| c.is_control() || matches!(c, '|' | '[' | ']'))
    {
        bail!(
            "the title {title:?} holds {bad:?}, which would break the link in {SUMMARY} or the row in {README}: write it on one line, without '|', '[' or ']'"
        );
    }
    Ok(title.to_string())
}

/// "Udp echo" for "udp-echo": a start, for the author to improve.
fn title_from_name(name: &str) -> String {
    let words = name.replace('-', " ");
    let mut letters = words.chars();
    match letters.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + letters.as_str(),
        None => words,
    }
}

/// The lab being made, and the names derived from its number and name.
struct NewLab {
    number: u32,
    /// The topic, e.g. `udp-echo`.
    name: String,
    title: String,
    /// Whether the title was made from the name (no `--title`).
    title_from_name: bool,
}

impl NewLab {
    /// `02`
    fn number_text(&self) -> String {
        format!("{:02}", self.number)
    }

    /// `02-udp-echo`
    fn id(&self) -> String {
        format!("{}-{}", self.number_text(), self.name)
    }

    /// `lab02-udp-echo`
    fn package(&self) -> String {
        format!("lab{}", self.id())
    }

    /// `udp_echo`: the test file's stem, which names its tests (`udp_echo::…`).
    fn test_file(&self) -> String {
        self.name.replace('-', "_")
    }

    /// The values of the templates' `{{placeholders}}`.
    fn placeholders(&self) -> Vec<(&'static str, String)> {
        vec![
            ("number", self.number_text()),
            ("chapter_number", self.number.to_string()),
            ("id", self.id()),
            ("package", self.package()),
            ("crate", self.package().replace('-', "_")),
            ("test_file", self.test_file()),
            ("title", self.title.clone()),
            (
                "title_toml",
                toml::Value::String(self.title.clone()).to_string(),
            ),
        ]
    }

    /// Every new file but `stub.lock`: where it goes, its template, and what it is.
    fn templates(&self) -> Vec<(String, &'static str, &'static str)> {
        let id = self.id();
        vec![
            (format!("labs/{id}/Cargo.toml"), CARGO_TOML, "the package"),
            (
                format!("labs/{id}/lab.toml"),
                LAB_TOML,
                "title, chapter, hints, each test's points and hint",
            ),
            (
                format!("labs/{id}/tests/{}.rs", self.test_file()),
                TEST,
                "the graded test",
            ),
            (
                format!(
                    "labs/{id}/tests/snapshots/{}__listens_on_a_port_the_os_chose.snap",
                    self.test_file()
                ),
                SNAPSHOT,
                "its snapshot, what the solution produces",
            ),
            (
                format!("solutions/{id}/src/lib.rs"),
                SOLUTION_LIB,
                "the reference solution, the lab's one source (BEGIN/END SOLUTION, STUB: lines)",
            ),
            (format!("book/src/{id}.md"), CHAPTER, "the chapter"),
        ]
    }

    /// `- [2. Udp echo](02-udp-echo.md)`
    fn summary_line(&self) -> String {
        format!("- [{}. {}]({}.md)", self.number, self.title, self.id())
    }

    /// `| `02-udp-echo` | Udp echo | [book/src/02-udp-echo.md](book/src/02-udp-echo.md) |`
    fn readme_row(&self) -> String {
        let id = self.id();
        format!(
            "| `{id}` | {} | [book/src/{id}.md](book/src/{id}.md) |",
            self.title
        )
    }
}

/// Fills in a template's `{{placeholders}}` in one pass, so that a value holding `{{` (a
/// title, say) is written as it is.
fn render(template: &str, values: &[(&'static str, String)]) -> Result<String> {
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        text.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .context("a new-lab template has a `{{` without its `}}`")?;
        let key = &after[..end];
        let (_, value) = values
            .iter()
            .find(|(name, _)| *name == key)
            .with_context(|| format!("a new-lab template uses an unknown placeholder {key:?}"))?;
        text.push_str(value);
        rest = &after[end + 2..];
    }
    text.push_str(rest);
    Ok(text)
}

/// A file to create, relative to the course's root.
struct NewFile {
    path: String,
    contents: String,
    what: &'static str,
}

/// A file to change: its text before and after.
struct Edit {
    path: &'static str,
    old: String,
    new: String,
    what: &'static str,
}

/// Everything `new-lab` will write, prepared before the first write.
struct Plan {
    files: Vec<NewFile>,
    /// `labs/NN-name/src`, which `stub.lock` records once it is written.
    stub_src: String,
    /// `labs/NN-name/stub.lock`
    stub_lock: String,
    edits: Vec<Edit>,
}

impl Plan {
    /// Renders every file and edit, and makes sure nothing is in the way.
    fn prepare(root: &Path, lab: &NewLab) -> Result<Plan> {
        let id = lab.id();
        for target in [
            format!("labs/{id}"),
            format!("solutions/{id}"),
            format!("book/src/{id}.md"),
        ] {
            if root.join(&target).symlink_metadata().is_ok() {
                bail!(
                    "{target} already exists, and new-lab never overwrites: move it away, or choose another name"
                );
            }
        }
        let values = lab.placeholders();
        let mut files = Vec::new();
        for (path, template, what) in lab.templates() {
            let contents = render(template, &values)?;
            if template == SOLUTION_LIB {
                // The stub is generated from the solution, as `cargo xtask bless` does.
                let stub = stub_from_solution(&contents)
                    .map_err(|why| anyhow::anyhow!("the new-lab solution template: {why}"))?;
                files.push(NewFile {
                    path: format!("labs/{id}/src/lib.rs"),
                    contents: stub,
                    what: "the stub, where students start (generated from the solution)",
                });
            }
            files.push(NewFile {
                path,
                contents,
                what,
            });
        }
        Ok(Plan {
            files,
            stub_src: format!("labs/{id}/src"),
            stub_lock: format!("labs/{id}/{STUB_LOCK}"),
            edits: vec![summary_edit(root, lab)?, readme_edit(root, lab)?],
        })
    }

    /// Writes everything, or, when a write fails, takes back what was written.
    fn carry_out(&self, root: &Path) -> Result<()> {
        let mut done = Done::default();
        let Err(error) = self.write_everything(root, &mut done) else {
            return Ok(());
        };
        let left_behind = done.undo();
        if left_behind.is_empty() {
            Err(error.context("new-lab stopped and removed what it had written"))
        } else {
            Err(error.context(format!(
                "new-lab stopped, and could not remove what it had written: {}",
                left_behind.join("; ")
            )))
        }
    }

    fn write_everything(&self, root: &Path, done: &mut Done) -> Result<()> {
        for file in &self.files {
            done.create_file(root, &file.path, &file.contents)?;
        }
        let stub = SourceFiles::of(&root.join(&self.stub_src))?;
        done.create_file(root, &self.stub_lock, &stub.to_lock())?;
        for edit in &self.edits {
            done.edit(root, edit)?;
        }
        Ok(())
    }
}

/// Adds the chapter to the book's table of contents, after the last lab's chapter.
fn summary_edit(root: &Path, lab: &NewLab) -> Result<Edit> {
    let old = read(root, SUMMARY)?;
    if old.contains(&format!("]({}.md)", lab.id())) {
        bail!(
            "{SUMMARY} already lists {}.md: remove that line first",
            lab.id()
        );
    }
    let new = insert_after_last(&old, is_summary_lab_line, &lab.summary_line()).with_context(
        || {
            format!(
                "{SUMMARY} has no lab chapter line like `- [1. Title](01-name.md)`, after which new-lab adds {}",
                lab.summary_line()
            )
        },
    )?;
    Ok(Edit {
        path: SUMMARY,
        old,
        new,
        what: "the chapter, after the last lab's",
    })
}

/// Adds the lab's row to the README's Labs table, after the last lab's row.
fn readme_edit(root: &Path, lab: &NewLab) -> Result<Edit> {
    let old = read(root, README)?;
    if old.contains(&format!("| `{}` |", lab.id())) {
        bail!(
            "{README} already has a row for {}: remove it first",
            lab.id()
        );
    }
    let new = insert_after_last(&old, is_readme_lab_row, &lab.readme_row()).with_context(|| {
        format!(
            "{README} has no row like | `01-name` | … | in its Labs table, after which new-lab adds the new lab's row"
        )
    })?;
    Ok(Edit {
        path: README,
        old,
        new,
        what: "the lab's row in the Labs table",
    })
}

fn read(root: &Path, relative: &str) -> Result<String> {
    fs::read_to_string(root.join(relative)).with_context(|| format!("cannot read {relative}"))
}

/// `- [1. Port ranges: …](01-ports.md)`: a line linking to a lab's chapter.
fn is_summary_lab_line(line: &str) -> bool {
    let Some(link) = line.trim().strip_prefix("- [") else {
        return false;
    };
    let Some((_, target)) = link.split_once("](") else {
        return false;
    };
    let chapter = target.trim_end_matches(')');
    chapter
        .strip_suffix(".md")
        .is_some_and(|id| lab_number(id).is_some())
}

/// ``| `01-ports` | … |``: a row of the README's Labs table.
fn is_readme_lab_row(line: &str) -> bool {
    let Some(cell) = line.strip_prefix("| `") else {
        return false;
    };
    cell.split_once('`')
        .is_some_and(|(id, _)| lab_number(id).is_some())
}

/// `text` with `new_line` added after the last line for which `is_lab_line` holds, every
/// other byte unchanged; `None` when no line is a lab's.
fn insert_after_last(text: &str, is_lab_line: fn(&str) -> bool, new_line: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let last = lines
        .iter()
        .rposition(|line| is_lab_line(line.trim_end()))?;
    let line_ending = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edited = String::with_capacity(text.len() + new_line.len() + 2);
    for (index, line) in lines.iter().enumerate() {
        edited.push_str(line);
        if index != last {
            continue;
        }
        if line.ends_with('\n') {
            edited.push_str(new_line);
            edited.push_str(line_ending);
        } else {
            // The last line of a file without a final line ending: keep it without one.
            edited.push_str(line_ending);
            edited.push_str(new_line);
        }
    }
    Some(edited)
}

/// What has been written so far, to take back if a later write fails.
#[derive(Default)]
struct Done {
    /// Files and folders that did not exist before, in the order they were made.
    created: Vec<PathBuf>,
    /// Changed files, with their text before.
    edited: Vec<(PathBuf, String)>,
}

impl Done {
    /// Creates a new file (never replacing one) and the folders it needs.
    fn create_file(&mut self, root: &Path, relative: &str, contents: &str) -> Result<()> {
        let path = root.join(relative);
        let folder = path.parent().expect("a new file is inside the course");
        if let Some(highest_new_folder) = first_missing(root, folder) {
            self.created.push(highest_new_folder);
            fs::create_dir_all(folder)
                .with_context(|| format!("cannot create the folder for {relative}"))?;
        }
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create {relative}"))?;
        self.created.push(path);
        file.write_all(contents.as_bytes())
            .with_context(|| format!("cannot write {relative}"))
    }

    fn edit(&mut self, root: &Path, edit: &Edit) -> Result<()> {
        let path = root.join(edit.path);
        self.edited.push((path.clone(), edit.old.clone()));
        fs::write(&path, &edit.new).with_context(|| format!("cannot write {}", edit.path))
    }

    /// Puts back the edited files' old text and removes what was created, last first.
    /// Returns what could not be taken back.
    fn undo(self) -> Vec<String> {
        let mut left_behind = Vec::new();
        for (path, old) in self.edited.iter().rev() {
            if fs::write(path, old).is_err() {
                left_behind.push(format!("{} is changed", path.display()));
            }
        }
        for path in self.created.iter().rev() {
            let removed = match fs::symlink_metadata(path) {
                Ok(metadata) if metadata.is_dir() => fs::remove_dir_all(path),
                Ok(_) => fs::remove_file(path),
                Err(_) => Ok(()),
            };
            if removed.is_err() {
                left_behind.push(format!("{} is still there", path.display()));
            }
        }
        left_behind
    }
}

/// The highest folder from `folder` up to (not including) `root` that does not exist yet:
/// the one to remove again to take back everything made below it.
fn first_missing(root: &Path, folder: &Path) -> Option<PathBuf> {
    let mut missing = None;
    for ancestor in folder.ancestors() {
        if ancestor == root || ancestor.symlink_metadata().is_ok() {
            break;
        }
        missing = Some(ancestor.to_path_buf());
    }
    missing
}

/// What was made, and what the author does next.
fn summary(lab: &NewLab, plan: &Plan) -> String {
    let rows = created_rows(lab, plan);
    let width = rows
        .iter()
        .map(|(path, _)| path.len())
        .chain(plan.edits.iter().map(|edit| edit.path.len()))
        .max()
        .unwrap_or(0);

    let mut text = format!("Created lab {}, \"{}\":\n", lab.id(), lab.title);
    for (path, what) in &rows {
        text += &format!("  {path:width$}  {what}\n");
    }
    text += "and added one line to:\n";
    for edit in &plan.edits {
        text += &format!("  {:width$}  {}\n", edit.path, edit.what);
    }
    if lab.title_from_name {
        text += &format!(
            "\nThe title comes from the name: to change it, edit lab.toml, the chapter's first line,\n\
             {SUMMARY} and {README} (or start again with --title).\n"
        );
    }
    text + &next_steps(lab)
}

/// Each created file with what it is: the lab's own files first, `stub.lock` last of them.
fn created_rows(lab: &NewLab, plan: &Plan) -> Vec<(String, String)> {
    let describe = |file: &NewFile| {
        let what = if file.path.ends_with("Cargo.toml") {
            format!("{} {}", file.what, lab.package())
        } else {
            file.what.to_string()
        };
        (file.path.clone(), what)
    };
    let (in_lab, elsewhere): (Vec<&NewFile>, Vec<&NewFile>) = plan
        .files
        .iter()
        .partition(|file| file.path.starts_with("labs/"));
    let mut rows: Vec<(String, String)> = in_lab.into_iter().map(describe).collect();
    rows.push((
        plan.stub_lock.clone(),
        format!(
            "the stub's files, which `cargo xtask reset {}` restores",
            lab.number_text()
        ),
    ));
    rows.extend(elsewhere.into_iter().map(describe));
    rows
}

fn next_steps(lab: &NewLab) -> String {
    let id = lab.id();
    let number = lab.number_text();
    format!(
        "
The lab works as it is: its one exercise, listen_on_any_port (a listener on 127.0.0.1:0),
fails its test with the stub and passes it with the solution. Make it yours:

  1. Write the lab in solutions/{id}/src, its one source: doc comments that teach,
     the solution between // BEGIN SOLUTION and // END SOLUTION, and after each block
     the stub's lines as // STUB: lines (a TODO, todo!()). Then the chapter; in
     {README}'s row, add the lab's topics after its title.
  2. Write the tests in labs/{id}/tests, following \"Rules for tests\" in {README};
     give each one its points and hint in lab.toml, and a row in the chapter's Grading table.
  3. cargo xtask bless {number}   writes labs/{id}/src and the snapshots from the solution, and stub.lock
  4. cargo xtask verify {number}  checks the lab is ready: full marks for the solution, none for the stub

The workspace picks up the new lab by itself (members = [\"xtask\", \"labs/*\"]), and
Cargo.lock gets the package {package} at the next cargo build: commit it with the lab,
since builds with --locked (the Gradescope package's setup) refuse a Cargo.lock without it.
",
        package = lab.package()
    )
}
