//! `cargo xtask book [--open] [--serve] [--check]`: the course book, built and checked.
//!
//! The book's sources are in `book/src/` (Markdown and SVG diagrams); the pinned mdBook
//! (`mdbook`) renders them into `target/book/`. Every build is then checked the way a reader
//! would find the faults: a lab with no chapter or a chapter with no lab (`chapters`), and a
//! link or anchor that goes nowhere (`links`). `--check` also compiles every Rust code block
//! (`mdbook test`), so an example in the book cannot rot.

pub mod chapters;
mod links;
mod mdbook;

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, Result, bail};

use crate::course::Course;

/// `cargo xtask book`'s flags.
#[derive(clap::Args)]
pub struct BookArgs {
    /// Open the book in your web browser once built.
    #[arg(long)]
    open: bool,

    /// Serve the book on 127.0.0.1 and rebuild it, reloading the browser, when a page changes.
    #[arg(long, conflicts_with = "check")]
    serve: bool,

    /// The port --serve listens on.
    #[arg(long, value_name = "PORT", default_value_t = 3000, requires = "serve")]
    port: u16,

    /// Also compile every Rust code block of the book (`mdbook test`), as CI does.
    #[arg(long)]
    check: bool,
}

impl BookArgs {
    pub fn run(self) -> Result<ExitCode> {
        book(&self)
    }
}

fn book(options: &BookArgs) -> Result<ExitCode> {
    let course = Course::locate();
    let mdbook = mdbook::ensure(&course)?;
    // The book belongs to this checkout, like target/student/: it stays in target/book even
    // when CARGO_TARGET_DIR moves the builds elsewhere.
    let out_dir = course.root.join("target").join("book");
    let labs = course.labs()?;

    let mut problems = chapters::book_problems(&course, &labs, &labs)?;
    if options.serve {
        let port = options.port;
        report_problems(&problems);
        return serve(&mdbook, &course, &out_dir, port, options.open);
    }
    if let Err(error) = build(&mdbook, &course, &out_dir) {
        report_problems(&problems);
        return Err(error);
    }
    problems.extend(links::broken_links(&out_dir)?.into_iter().map(|broken| {
        format!(
            "{}: the link \"{}\" is broken: {}",
            broken.page, broken.link, broken.problem
        )
    }));
    if options.check {
        problems.extend(test_code_blocks(&mdbook, &course)?);
    }
    report_problems(&problems);
    let index = out_dir.join("index.html");
    println!("The book is in {}", index.display());
    if options.open {
        opener::open(&index).with_context(|| {
            format!(
                "cannot open a web browser; open {} yourself",
                index.display()
            )
        })?;
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn report_problems(problems: &[String]) {
    for problem in problems {
        eprintln!("book: {problem}");
    }
    if !problems.is_empty() {
        eprintln!("book: {} problem(s) to fix in book/src/", problems.len());
    }
}

fn mdbook_command(mdbook: &Path, course: &Course) -> Command {
    let mut command = Command::new(mdbook);
    command.current_dir(course.book_dir()).stdin(Stdio::null());
    command
}

fn build(mdbook: &Path, course: &Course, out_dir: &Path) -> Result<()> {
    let output = mdbook_command(mdbook, course)
        .arg("build")
        .arg("--dest-dir")
        .arg(out_dir)
        .output()
        .context("cannot run mdbook")?;
    if !output.status.success() {
        bail!(
            "mdbook could not build the book:\n{}",
            String::from_utf8_lossy(&output.stderr).trim_end()
        );
    }
    Ok(())
}

/// `mdbook test`: compiles (and runs) every `rust` code block; `ignore` and `text` blocks are
/// skipped, as the book's conventions say.
fn test_code_blocks(mdbook: &Path, course: &Course) -> Result<Vec<String>> {
    let output = mdbook_command(mdbook, course)
        .arg("test")
        .output()
        .context("cannot run mdbook test")?;
    if output.status.success() {
        return Ok(Vec::new());
    }
    let log = String::from_utf8_lossy(&output.stderr);
    let failures: Vec<String> = log
        .lines()
        .filter(|line| {
            ["FAILED", "error", "-->"]
                .iter()
                .any(|mark| line.contains(mark))
        })
        .map(|line| line.trim().to_string())
        .collect();
    Ok(vec![format!(
        "a Rust code block does not compile (mark it `rust,ignore` if it needs a lab crate, or \
         `text` if it is not Rust):\n{}",
        if failures.is_empty() {
            log.trim_end().to_string()
        } else {
            failures.join("\n")
        }
    )])
}

/// `mdbook serve`: renders on every change and reloads the page in the browser.
fn serve(
    mdbook: &Path,
    course: &Course,
    out_dir: &Path,
    port: u16,
    open: bool,
) -> Result<ExitCode> {
    println!("Serving the book on http://127.0.0.1:{port}/ (Ctrl-C to stop)");
    let mut command = mdbook_command(mdbook, course);
    command
        .arg("serve")
        .arg("--dest-dir")
        .arg(out_dir)
        .args(["--hostname", "127.0.0.1", "--port"])
        .arg(port.to_string());
    if open {
        command.arg("--open");
    }
    let status = command.status().context("cannot run mdbook serve")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
