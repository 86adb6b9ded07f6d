//! `cargo xtask` — the loopback-labs grader and course tools.
//!
//! The main job is `cargo xtask grade`: it grades a submission (this checkout, the reference
//! solutions, or a student's copy of the repository) by one pipeline, one module per stage:
//!
//! ```text
//! submission → assemble → build → run → score → report
//! ```
//!
//! The stages live in `pipeline/`, one module each, in that order. `course` knows the
//! instructor's side: where the labs are and what each `lab.toml` says; `layout` names every
//! folder the tools use; `sandbox` is the wall around the code under test. Each command owns
//! its flags and its `run`: `grade` and `class` drive the pipeline, and `gradebook` merges a
//! class graded in shards; around it sit the student
//! loop (`student`: list, hint, watch, reset), the authors' tools (`author`: verify, new-lab,
//! bless), the book (`book`), the platforms' packages (`package`), and `bench`, which
//! measures the grader against plain `cargo test`.

mod author;
mod bench;
mod book;
mod class;
mod course;
mod doctor;
mod files;
mod grade;
mod gradebook;
mod layout;
mod package;
mod pipeline;
mod sandbox;
mod similarity;
mod student;
mod truncate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The loopback-labs course tools.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check that every tool the labs and the grader use is installed, and say how to install
    /// what is missing.
    ///
    /// Lists each tool (nc, curl, Chromium, openssl, ip, bubblewrap, …) with what needs it and
    /// whether it is here, then the install command for this system (apt, dnf, pacman or
    /// Homebrew). Exit status 1 when something is missing.
    Doctor(doctor::DoctorArgs),

    /// Grade labs and print a score with feedback on every failing test.
    ///
    /// Without options, grades this checkout's labs/ (your work). Exit status: 0 when grading
    /// ran, 1 when the total is below --min-score, 2 when grading could not run at all.
    Grade(grade::GradeArgs),

    /// Every lab with its status and score from your last grade, and the next one to do.
    List(student::ListArgs),

    /// Show a lab's hints one at a time, from a nudge to nearly the answer.
    ///
    /// Without N, shows the next hint you have not seen yet (the count is kept in
    /// target/student/). With N, shows hint N.
    Hint(student::HintArgs),

    /// Grade a lab again each time you save a file in its src/, failing checks first.
    ///
    /// Without LAB, watches every lab and grades the one whose files changed (starting with
    /// the next lab to do). Stop with Ctrl-C.
    Watch(student::WatchArgs),

    /// Put a lab's starting code back in labs/NN-name/src, after backing up your work.
    ///
    /// Your files are copied to backups/NN-name-<time>/src first (backups/ is not tracked by
    /// git and survives `cargo clean`); the starting code comes from the repository's git
    /// history, as recorded in labs/NN-name/stub.lock.
    Reset(student::ResetArgs),

    /// Build the book into target/book (installs the pinned mdbook into target/tools once).
    ///
    /// Also checks that every lab has a chapter and every lab chapter a lab, and that every
    /// internal link and anchor resolves. Exit status 1 when a check fails.
    Book(book::BookArgs),

    /// Check the course is ready to ship (for lab authors).
    ///
    /// Every lab: a chapter listed in SUMMARY.md with a grading table that matches lab.toml,
    /// a Hints and a Further reading section; at least two hints; every test with points and
    /// a snapshot; stub.lock up to date. Then the reference solutions must earn full marks and
    /// the stubs must compile and earn nothing. Exit status 1 when anything is wrong.
    Verify(author::VerifyArgs),

    /// Scaffold a new lab from the template (for lab authors).
    ///
    /// Creates labs/NN-NAME (the next free number), solutions/NN-NAME/src and
    /// book/src/NN-NAME.md, and adds the lab to book/src/SUMMARY.md and README.md.
    NewLab(author::NewLabArgs),

    /// Write the labs' insta snapshots, stubs and stub.lock from the reference solutions (for
    /// lab authors), and show what changed.
    ///
    /// Runs each lab's tests against solutions/NN-name/src through the grading pipeline and
    /// writes exactly the snapshots they produce into labs/NN-name/tests/snapshots/ (new,
    /// changed and no-longer-produced ones), printing a diff of each changed snapshot. Then
    /// generates the stub, labs/NN-name/src, from the solution (its BEGIN SOLUTION … END
    /// SOLUTION blocks left out, its `// STUB:` lines put in) and records it in
    /// labs/NN-name/stub.lock. Nothing is written for a lab whose solution fails a test. With
    /// --stubs, only the stubs and stub.lock, without grading. Exit status 1 when a solution
    /// fails, or with --check when a snapshot, a stub or stub.lock is out of date.
    Bless(author::BlessArgs),

    /// Work with a graded class's out-dirs: merge the shards of a class graded on several
    /// machines, export the grades to Canvas, Moodle or a CSV (instructors).
    #[command(subcommand)]
    Gradebook(gradebook::GradebookCommand),

    /// Find the students of a class who share code, lab by lab, with Dolos (instructors).
    ///
    /// Compares every pair of submissions of each lab (the shipped stub left out) and writes
    /// OUT/similarity.csv (every pair, most similar first), OUT/similarity.html and a page per
    /// flagged pair with the shared fragments side by side. Needs Node.js 18+ and npm; installs
    /// Dolos into target/tools/dolos/ the first time.
    Similarity(similarity::SimilarityArgs),
    /// Package the grader for a course platform: Gradescope or GitHub Classroom (instructors).
    #[command(subcommand)]
    Package(package::PackageCommand),

    /// Measure a course tool against doing without it, and print each figure with its goal.
    ///
    /// Builds what it measures under target/bench/ and takes minutes. A missed goal is
    /// reported, not an error: exit status 0 when everything was measured, 2 when something
    /// could not run (with the reason, and the log to read).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    sandbox::process::stop_children_on_interrupt();
    let result = match cli.command {
        Command::Doctor(args) => args.run(),
        Command::Grade(args) => args.run(),
        Command::List(args) => args.run(),
        Command::Hint(args) => args.run(),
        Command::Watch(args) => args.run(),
        Command::Reset(args) => args.run(),
        Command::Book(args) => args.run(),
        Command::Verify(args) => args.run(),
        Command::NewLab(args) => args.run(),
        Command::Bless(args) => args.run(),
        Command::Gradebook(command) => command.run(),
        Command::Similarity(args) => similarity::run(args),
        Command::Package(command) => command.run(),
        Command::Bench(command) => command.run(),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
