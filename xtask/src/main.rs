//! `cargo xtask` — the loopback-labs grader and course tools.
//!
//! The main job is `cargo xtask grade`: it grades a submission (this checkout, the reference
//! solutions, or a student's copy of the repository) by one pipeline, one module per stage:
//!
//! ```text
//! submission → assemble → build → run → score → report
//! ```
//!
//! The `course` module knows the instructor's side: where the labs are and what each
//! `lab.toml` says. Around the pipeline sit the student loop (`student`: list, hint, watch,
//! reset), the authors' tools (`author`: verify, new-lab; `bless`), the book (`book`), and
//! `cargo xtask bench` (the `bench` module), which measures the grader against plain
//! `cargo test`.

mod author;
mod bench;
mod book;
mod class;
mod course;
mod grade;
mod package;
mod pipeline;
mod sandbox;
mod student;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::grade::{GradeOptions, OutputFormat};

/// The loopback-labs course tools.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Grade labs and print a score with feedback on every failing test.
    ///
    /// Without options, grades this checkout's labs/ (your work). Exit status: 0 when grading
    /// ran, 1 when the total is below --min-score, 2 when grading could not run at all.
    #[command(after_help = GRADE_EXAMPLES)]
    Grade(GradeArgs),

    /// Every lab with its status and score from your last grade, and the next one to do.
    List,

    /// Show a lab's hints one at a time, from a nudge to nearly the answer.
    ///
    /// Without N, shows the next hint you have not seen yet (the count is kept in
    /// target/student/). With N, shows hint N.
    Hint {
        /// The lab: "01", "01-ports" or "ports".
        #[arg(value_name = "LAB")]
        lab: String,

        /// Which hint to show, from 1.
        #[arg(value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        number: Option<u32>,
    },

    /// Grade a lab again each time you save a file in its src/, failing checks first.
    ///
    /// Without LAB, watches every lab and grades the one whose files changed (starting with
    /// the next lab to do). Stop with Ctrl-C.
    Watch {
        /// The lab to watch: "01", "01-ports" or "ports" (default: every lab).
        #[arg(value_name = "LAB")]
        lab: Option<String>,

        /// Look for changes every second instead of waiting for the file system's change
        /// events, which some file systems (network and virtual machine shares) never send.
        #[arg(long)]
        poll: bool,
    },

    /// Put a lab's starting code back in labs/NN-name/src, after backing up your work.
    ///
    /// Your files are copied to backups/NN-name-<time>/src first (backups/ is not tracked by
    /// git and survives `cargo clean`); the starting code comes from the repository's git
    /// history, as recorded in labs/NN-name/stub.lock.
    Reset {
        /// The lab: "01", "01-ports" or "ports".
        #[arg(value_name = "LAB")]
        lab: String,

        /// Do not ask for confirmation (needed when there is no terminal to ask on).
        #[arg(long, short)]
        yes: bool,
    },

    /// Build the book into target/book (installs the pinned mdbook into target/tools once).
    ///
    /// Also checks that every lab has a chapter and every lab chapter a lab, and that every
    /// internal link and anchor resolves. Exit status 1 when a check fails.
    Book {
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
    },

    /// Check the course is ready to ship (for lab authors).
    ///
    /// Every lab: a chapter listed in SUMMARY.md with a grading table that matches lab.toml,
    /// a Hints and a Further reading section; at least two hints; every test with points;
    /// stub.lock up to date. Then the reference solutions must earn full marks and the stubs
    /// must compile and earn nothing. Exit status 1 when anything is wrong.
    Verify {
        /// Labs to verify: "01", "01-ports" or "ports" (default: all labs).
        #[arg(value_name = "LAB")]
        labs: Vec<String>,

        /// Also verify the instructor's hidden tests in DIR (see `grade --tests-from`).
        #[arg(long, value_name = "DIR")]
        tests_from: Option<PathBuf>,
    },

    /// Scaffold a new lab from the template (for lab authors).
    ///
    /// Creates labs/NN-NAME (the next free number), solutions/NN-NAME/src and
    /// book/src/NN-NAME.md, and adds the lab to book/src/SUMMARY.md and README.md.
    NewLab {
        /// The lab's topic, lowercase words joined by '-', e.g. "udp-echo".
        #[arg(value_name = "NAME")]
        name: String,

        /// The lab's title [default: made from NAME]
        #[arg(long)]
        title: Option<String>,
    },

    /// Write the labs' insta snapshots and stub.lock from the reference solutions (for lab
    /// authors), and show what changed.
    ///
    /// Runs each lab's tests against solutions/NN-name/src through the grading pipeline and
    /// writes exactly the snapshots they produce into labs/NN-name/tests/snapshots/ (new,
    /// changed and no-longer-produced ones), printing a diff of each changed snapshot. Records
    /// the lab's starting code (labs/NN-name/src) in labs/NN-name/stub.lock. Nothing is written
    /// for a lab whose solution fails a test. Exit status 1 when a solution fails, or with
    /// --check when a snapshot or stub.lock is out of date.
    Bless {
        /// Labs to bless: "01", "01-ports" or "ports" (default: all labs).
        #[arg(value_name = "LAB")]
        labs: Vec<String>,

        /// Only report what would change; write nothing.
        #[arg(long)]
        check: bool,

        /// Also bless the hidden tests in DIR (DIR/NN-name/tests/snapshots/).
        #[arg(long, value_name = "DIR")]
        tests_from: Option<PathBuf>,
    },

    /// Package the grader for a course platform: Gradescope or GitHub Classroom (instructors).
    #[command(subcommand)]
    Package(PackageTarget),

    /// Measure a course tool against doing without it, and print each figure with its goal.
    ///
    /// Builds what it measures under target/bench/ and takes minutes. A missed goal is
    /// reported, not an error: exit status 0 when everything was measured, 2 when something
    /// could not run (with the reason, and the log to read).
    Bench {
        #[command(subcommand)]
        target: BenchTarget,
    },
}

#[derive(Subcommand)]
enum PackageTarget {
    /// An autograder zip for Gradescope: setup.sh and run_autograder at its root, the grader
    /// and the labs' tests (never the solutions), and the hidden tests of --tests-from.
    Gradescope {
        /// Where to write the zip.
        #[arg(long, value_name = "FILE", default_value = "autograder.zip")]
        out: PathBuf,

        /// Include the instructor's hidden tests (DIR mirrors labs/, see `grade --tests-from`).
        #[arg(long, value_name = "DIR")]
        tests_from: Option<PathBuf>,
    },

    /// The GitHub Classroom workflow: grades every push with `cargo xtask grade --format json`
    /// and reports the points to GitHub Classroom.
    Classroom {
        /// Where to write the workflow [default: .github/workflows/classroom.yml in the repository]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum BenchTarget {
    /// Time `cargo xtask grade` against plain `cargo test`, and measure its peak memory.
    ///
    /// 1. One student, warm: `grade --solutions` against `cargo test` of the same labs
    ///    (medians of 3 runs after a warm-up). Goal: at most 1.3× cargo test.
    ///
    /// 2. A class of N synthetic submissions (solved, untouched, not compiling, half done, a lab
    ///    missing) graded with `grade --submissions`, against a loop of `cargo test` on a fresh
    ///    copy of the repository per submission, each with a fresh target folder. The loop runs
    ///    for K submissions and is extrapolated to N. Goals: the batch at least 8× faster, and
    ///    its time per submission at most 1.2× one warm grade.
    ///
    /// 3. The grader's own peak memory (VmHWM) for a class of 10 (or half of N, if smaller)
    ///    and the class of N. Goal: under 100 MiB, whatever the class size.
    Grade {
        /// How many submissions the synthetic class holds.
        #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=1000))]
        class_size: u32,

        /// How many submissions the naive cargo test loop really runs (each compiles every
        /// dependency again); its time for the class is extrapolated from them. Default: 3, or
        /// the class size if smaller.
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..=1000))]
        naive_sample: Option<u32>,
    },

    /// Compare lab 10's echo server models: thread per connection, a mio event loop, tokio.
    ///
    /// Builds lab 10's reference solution in release mode (a copy of the workspace with
    /// solutions/10-performance/src) and runs its load generator once against each model, one
    /// after the other on 127.0.0.1: the same connections, message size and duration for each.
    /// Prints each model's requests per second, latency p50 and p99, and its ratio to
    /// thread-per-connection; errors, or byte counts where a server and the load generator
    /// disagree, are reported under the table. The figures depend on the machine; nothing
    /// asserts them.
    Echo {
        /// How many connections the load generator keeps busy at once.
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
        connections: u32,

        /// The size of each message, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1_048_576))]
        size: u32,

        /// How long each model is loaded, in seconds (from 0.1 to 60).
        #[arg(long, value_name = "SECS", default_value_t = 2.0, value_parser = bench::parse_seconds)]
        duration: f64,
    },
}

const GRADE_EXAMPLES: &str = "\
Examples:
  cargo xtask grade                          grade every lab in this checkout's labs/
  cargo xtask grade 01                       grade lab 01 only (also: 01-ports, ports)
  cargo xtask grade --solutions              grade the reference solutions (full marks)
  cargo xtask grade --submission ~/alice     grade a student's copy of the repository
  cargo xtask grade --format json --out report.json --min-score 100
  cargo xtask grade --submissions class/ --out-dir results/   grade a class: a gradebook and a report per student
  cargo xtask grade --submission ~/alice --tests-from hidden/  add the instructor's hidden tests";

#[derive(clap::Args)]
struct GradeArgs {
    /// Labs to grade: "01", "01-ports" or "ports" (default: all labs).
    #[arg(value_name = "LAB")]
    labs: Vec<String>,

    /// Grade the reference solutions in solutions/ instead of labs/.
    #[arg(long, conflicts_with = "submission")]
    solutions: bool,

    /// Grade a student's copy of the repository: a folder holding labs/.
    #[arg(long, value_name = "DIR")]
    submission: Option<PathBuf>,

    /// Grade a whole class: every entry of DIR (a folder holding labs/, or a .zip / .tar.gz of
    /// one) is a student, named by the entry. Needs --out-dir.
    #[arg(long, value_name = "DIR", requires = "out_dir", conflicts_with_all = ["submission", "solutions", "out", "min_score"])]
    submissions: Option<PathBuf>,

    /// Where a class's results go: OUT/<student>/report.json and report.md, OUT/gradebook.csv.
    #[arg(long, value_name = "OUT", requires = "submissions")]
    out_dir: Option<PathBuf>,

    /// With --submissions: grade every student again, even those whose results are up to date.
    #[arg(long, requires = "submissions")]
    force: bool,

    /// What goes to standard output.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,

    /// Also write the JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Exit with status 1 when the total score is below PCT percent (for CI).
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    min_score: Option<f64>,

    /// Time limit for each test, in seconds, instead of each lab.toml's `timeout_secs`
    /// (stricter for an exam, more lenient for a slow machine).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    test_timeout: Option<u64>,

    /// Add the instructor's hidden tests: DIR mirrors labs/ (DIR/NN-name/tests/*.rs with their
    /// snapshots, and DIR/NN-name/lab.toml listing them with their points).
    #[arg(long, value_name = "DIR")]
    tests_from: Option<PathBuf>,

    /// Run the tests without the sandbox (bubblewrap), as the grader's own user: only on a
    /// machine you can throw away. Without it, grading a submission where no sandbox can be
    /// built is refused.
    #[arg(long)]
    unsandboxed: bool,
}

fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(pct) if (0.0..=100.0).contains(&pct) => Ok(pct),
        _ => Err(format!("expected a percentage from 0 to 100, got {text:?}")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    sandbox::process::stop_children_on_interrupt();
    // Gradescope shows a student nothing useful when results.json is missing: an error goes
    // there too, as the reason for a score of 0.
    let errors_as_gradescope_results = matches!(
        &cli.command,
        Command::Grade(args) if args.format == OutputFormat::Gradescope && args.submissions.is_none()
    );
    let result = match cli.command {
        Command::Grade(GradeArgs {
            submissions: Some(submissions),
            out_dir: Some(out_dir),
            labs,
            force,
            test_timeout,
            tests_from,
            unsandboxed,
            ..
        }) => class::grade_class(class::ClassOptions {
            submissions,
            out_dir,
            labs,
            force,
            test_timeout,
            tests_from,
            unsandboxed,
        }),
        Command::Grade(args) => grade::grade(GradeOptions {
            labs: args.labs,
            solutions: args.solutions,
            submission: args.submission,
            format: args.format,
            out: args.out,
            min_score: args.min_score,
            test_timeout: args.test_timeout,
            tests_from: args.tests_from,
            unsandboxed: args.unsandboxed,
        }),
        Command::List => student::list(),
        Command::Hint { lab, number } => student::hint(&lab, number),
        Command::Watch { lab, poll } => student::watch(lab.as_deref(), poll),
        Command::Reset { lab, yes } => student::reset(&lab, yes),
        Command::Book {
            open,
            serve,
            port,
            check,
        } => book::book(book::BookOptions {
            open,
            serve: serve.then_some(port),
            check,
        }),
        Command::Verify { labs, tests_from } => author::verify(&labs, tests_from.as_deref()),
        Command::NewLab { name, title } => author::new_lab(&name, title.as_deref()),
        Command::Bless {
            labs,
            check,
            tests_from,
        } => author::bless::bless(&labs, check, tests_from.as_deref()),
        Command::Package(PackageTarget::Gradescope { out, tests_from }) => {
            package::package_gradescope(package::GradescopeOptions { out, tests_from })
        }
        Command::Package(PackageTarget::Classroom { out }) => {
            package::package_classroom(package::ClassroomOptions { out })
        }
        Command::Bench {
            target:
                BenchTarget::Grade {
                    class_size,
                    naive_sample,
                },
        } => bench::bench_grade(bench::BenchOptions {
            class_size: class_size as usize,
            naive_sample: naive_sample.map(|k| k as usize),
        }),
        Command::Bench {
            target:
                BenchTarget::Echo {
                    connections,
                    size,
                    duration,
                },
        } => bench::bench_echo(bench::EchoOptions {
            connections,
            message_size: size,
            duration_secs: duration,
        }),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            if errors_as_gradescope_results {
                println!(
                    "{}",
                    pipeline::report::gradescope_error(&format!("{error:#}"))
                );
            }
            ExitCode::from(2)
        }
    }
}
