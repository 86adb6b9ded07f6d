//! `cargo xtask bench grade`: what the grader costs, measured against doing without it.
//!
//! The grader does more than `cargo test`: it assembles a scratch workspace, runs every test
//! in a process and sandbox of its own, and fingerprints the lab against tampering. This
//! benchmark measures what that costs, and what grading a class in one run saves. Each answer
//! is a ratio with a goal:
//!
//! 1. **One student, warm.** The grader (`grade --solutions --format json`) against plain
//!    `cargo test` of the same lab packages, in a copy of the workspace with the reference
//!    solutions in `labs/*/src` and a target folder of its own. Each runs once to warm up, then
//!    three times; the medians are compared. Goal: grading takes at most 1.3× cargo test.
//!    The same grade with `--unsandboxed` runs in turn with them, to show what the sandbox
//!    (bubblewrap for every test and build) costs. Goal: at most 1.15× the unsandboxed grade.
//! 2. **A class of N.** A synthetic class (see `corpus`) graded in one run,
//!    `grade --submissions [--jobs J]`, against two loops an instructor could write without it:
//!    - the *naive loop*: for each submission a fresh copy of the repository and `cargo test -p`
//!      every lab, with a fresh target folder, so every dependency compiles again for every
//!      student. It runs for K submissions and its total for the class is extrapolated from
//!      their mean — the table says so. Goal: the batch at least 8× faster.
//!    - the *shared-target loop* a TA who knows cargo writes: one working copy and one target
//!      folder, each student's `labs/*/src` copied in, then `cargo test --no-fail-fast` of every
//!      lab; timed per student after a warm-up, on the same K students. It grades nothing for
//!      a student with a lab that does not compile, so its mean is over the students it can
//!      grade. Goal: the batch's time per student at most half of it.
//!    - the *floor*: each student's own compile-and-link with nothing else to do — `cargo build
//!      --tests` of the labs the student handed in, in a warm working copy with the grader's
//!      profile (no debug info, no incremental cache). Goal: the batch's time per student at
//!      most 1.2× (one warm grade + the student's floor), on average over the class. Under the
//!      table, each student's time in the batch is split into compile, tests (compile and
//!      link) and run, from the batch's `timings.csv`, beside its floor.
//! 3. **Memory.** The grader's own peak resident memory (not its children's) while it grades a
//!    small class and the class of N: the same for both, as nothing is kept per student, and
//!    under 100 MiB.
//!
//! Everything is built and kept under `target/bench/`, with a log of every command in
//! `target/bench/logs/`. A missed goal is reported, not an error: timings depend on the
//! machine, which is also why no test asserts them.

mod corpus;
mod echo;
mod loops;
mod measure;
mod table;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::course::{Course, Lab};
use crate::pipeline::build::cargo_command;
use crate::pipeline::select_labs;
use corpus::Submission;
use measure::{Leash, Measurement, log_to, median};
use table::{Goal, Row, format_duration};

use echo::{EchoArgs, bench_echo};

/// `cargo xtask bench`'s measurements, each with its own flags.
#[derive(clap::Subcommand)]
pub enum BenchCommand {
    /// Time `cargo xtask grade` against plain `cargo test`, and measure its peak memory.
    ///
    /// 1. One student, warm: `grade --solutions` against `cargo test` of the same labs
    ///    (medians of 3 runs after a warm-up). Goal: at most 1.3× cargo test. The same grade
    ///    with `--unsandboxed` measures the sandbox's cost. Goal: at most 1.15×.
    ///
    /// 2. A class of N synthetic submissions (solved, untouched, not compiling, half done, a lab
    ///    missing; each student's solved labs their own source) graded with
    ///    `grade --submissions`, against: a loop of `cargo test` on a fresh copy of the
    ///    repository per submission, each with a fresh target folder (K submissions,
    ///    extrapolated to N; goal: the batch at least 8× faster); the shared-target loop, one
    ///    working copy and target folder for all (K submissions; goal: the batch at least 2×
    ///    faster per student it can grade); and each student's compile-and-link floor (goal:
    ///    the batch per student at most 1.2× one warm grade plus the floor). Each student's
    ///    time is printed split into compile, tests (compile and link) and run.
    ///
    /// 3. The grader's own peak memory (VmHWM) for a class of 10 (or half of N, if smaller)
    ///    and the class of N. Goal: under 100 MiB, whatever the class size.
    Grade(BenchGradeArgs),

    /// Compare lab 10's echo server models: thread per connection, a mio event loop, tokio.
    ///
    /// Builds lab 10's reference solution in release mode (a copy of the workspace with
    /// solutions/10-performance/src) and runs its load generator once against each model, one
    /// after the other on 127.0.0.1: the same connections, message size and duration for each.
    /// Prints each model's requests per second, latency p50 and p99, and its ratio to
    /// thread-per-connection; errors, or byte counts where a server and the load generator
    /// disagree, are reported under the table. The figures depend on the machine; nothing
    /// asserts them.
    Echo(EchoArgs),
}

impl BenchCommand {
    pub fn run(self) -> Result<ExitCode> {
        match self {
            BenchCommand::Grade(args) => bench_grade(args),
            BenchCommand::Echo(args) => bench_echo(args),
        }
    }
}

#[derive(clap::Args)]
pub struct BenchGradeArgs {
    /// How many submissions the synthetic class holds.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    class_size: u32,

    /// How many submissions the naive cargo test loop really runs (each compiles every
    /// dependency again), and the shared-target loop too; the naive loop's time for the class
    /// is extrapolated from them. Default: 3, or the class size if smaller.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..=1000))]
    naive_sample: Option<u32>,

    /// Passed to the batch grade as `--jobs N` (default: the grader's, this machine's cores + 1).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    jobs: Option<u32>,
}

const DEFAULT_NAIVE_SAMPLE: usize = 3;

/// Timed runs of each command for the single-student medians (after one warm-up run).
const RUNS: usize = 3;
/// The class whose peak memory is compared with the class of N (smaller when N is small).
const SMALL_CLASS: usize = 10;
/// The longest one command may take, a cold first build included; a class gets this much per
/// submission.
const TIME_LIMIT: Duration = Duration::from_secs(30 * 60);
const PHASES: usize = 7;

const GRADE_VS_CARGO_TEST: Goal = Goal::RatioAtMost(1.3);
const SANDBOX_COST: Goal = Goal::RatioAtMost(1.15);
const BATCH_SPEEDUP: Goal = Goal::RatioAtLeast(8.0);
const BATCH_VS_SHARED_LOOP: Goal = Goal::RatioAtLeast(2.0);
const BATCH_PER_STUDENT_VS_FLOOR: Goal = Goal::RatioAtMost(1.2);
const PEAK_MEMORY: Goal = Goal::MebibytesBelow(100.0);

/// Whether a timed grade runs in the sandbox or with `--unsandboxed`.
#[derive(Clone, Copy, PartialEq)]
enum Sandbox {
    On,
    Off,
}

/// The benchmark's paths and the programs it runs.
struct Bench {
    course: Course,
    labs: Vec<Lab>,
    /// This very executable: the grader being measured.
    grader: PathBuf,
    /// `target/bench/`.
    root: PathBuf,
    class_size: usize,
    /// `--jobs` for the batch grade, if given.
    jobs: Option<u32>,
}

/// The single-student medians.
struct SingleStudent {
    grade: Duration,
    grade_unsandboxed: Duration,
    cargo_test: Duration,
    /// The logs of the cargo test runs in which a test failed.
    cargo_test_failures: Vec<PathBuf>,
}

/// How a `cargo test` ended, from its exit status and its output.
#[derive(Debug, PartialEq)]
enum CargoTestEnd {
    Passed,
    /// Every test ran (`--no-fail-fast`), and some failed.
    TestsFailed,
    /// A tested package did not compile.
    DidNotCompile,
    /// Anything else: a dependency that does not build, a cargo error.
    Broke,
}

/// The naive loop's measured submissions.
struct NaiveLoop {
    times: Vec<(String, Duration)>,
}

/// One batch run of a class.
struct ClassRun {
    size: usize,
    elapsed: Duration,
    peak_memory_kib: u64,
}

/// Everything measured, ready to be shown.
struct Results {
    single: SingleStudent,
    class: ClassRun,
    /// The smaller class, for the memory comparison (none when the class is a single student).
    small_class: Option<ClassRun>,
    naive: NaiveLoop,
    shared: loops::SharedLoop,
    floors: loops::Floors,
    /// Each student's time in the batch, from its `timings.csv`.
    split: Vec<loops::StudentSplit>,
}

fn bench_grade(options: BenchGradeArgs) -> Result<ExitCode> {
    let class_size = options.class_size as usize;
    let naive_sample = naive_sample_size(class_size, options.naive_sample.map(|k| k as usize))?;
    let course = Course::locate();
    let labs = select_labs(&course, &[], None, None)?;
    let bench = Bench {
        grader: std::env::current_exe().context("cannot locate the grader's own executable")?,
        root: course.root.join("target").join("bench"),
        course,
        labs,
        class_size,
        jobs: options.jobs,
    };
    let results = bench.measure(naive_sample)?;
    print!("{}", results.report());
    Ok(ExitCode::SUCCESS)
}

/// How many submissions the naive loop runs; refuses sizes that make no sense.
fn naive_sample_size(class_size: usize, naive_sample: Option<usize>) -> Result<usize> {
    if class_size == 0 {
        bail!("--class-size must be at least 1");
    }
    match naive_sample {
        None => Ok(DEFAULT_NAIVE_SAMPLE.min(class_size)),
        Some(sample) if (1..=class_size).contains(&sample) => Ok(sample),
        Some(sample) => {
            bail!("--naive-sample must be from 1 to the class size ({class_size}), got {sample}")
        }
    }
}

/// The smaller class whose peak memory is compared with the class of N.
fn small_class_size(class_size: usize) -> usize {
    SMALL_CLASS.min(class_size.div_ceil(2))
}

fn phase(number: usize, text: &str) {
    eprintln!("== {number}/{PHASES} {text}");
}

fn step(text: &str) {
    eprintln!("   {text}");
}

impl Bench {
    /// Every phase in turn, with a line on standard error as each starts.
    fn measure(&self, naive_sample: usize) -> Result<Results> {
        let class_size = self.class_size;
        let small_class_size = small_class_size(class_size);
        eprintln!(
            "Benchmarking the grader: one student, a class of {class_size} (the naive loop on \
             {naive_sample} of them) and its peak memory. This takes a while; logs are in {}.",
            self.logs().display()
        );

        phase(
            1,
            "writing the classes and a copy of the workspace with the solutions",
        );
        let class = self.write_class(class_size)?;
        if small_class_size < class_size {
            self.write_class(small_class_size)?;
        }
        self.copy_solutions_workspace()?;

        phase(2, "one student, warm: grade --solutions against cargo test");
        let single = self.single_student()?;

        phase(3, &format!("class of {class_size}: grade --submissions"));
        let class_run = self.time_batch(class_size)?;

        let small_class = if small_class_size < class_size {
            phase(
                4,
                &format!("peak memory with a class of {small_class_size}"),
            );
            Some(self.time_batch(small_class_size)?)
        } else {
            phase(
                4,
                "peak memory with a smaller class: skipped, the class has one student",
            );
            None
        };

        let (_, out) = self.class_dirs(class_size);
        let split = loops::read_split(&out.join("timings.csv"))?;

        phase(
            5,
            &format!("each student's compile-and-link floor ({class_size} students)"),
        );
        let floors = self.floors(&class)?;

        phase(
            6,
            &format!(
                "the shared-target cargo test loop on {naive_sample} of {class_size} submissions"
            ),
        );
        let shared = self.shared_loop(&class[..naive_sample])?;

        phase(
            7,
            &format!(
                "the naive loop on {naive_sample} of {class_size} submissions (each compiles every dependency)"
            ),
        );
        let naive = self.naive_loop(&class[..naive_sample])?;

        Ok(Results {
            single,
            class: class_run,
            small_class,
            naive,
            shared,
            floors,
            split,
        })
    }

    fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }

    fn log(&self, name: &str) -> PathBuf {
        self.logs().join(format!("{name}.log"))
    }

    /// The submissions of a class, and where the batch grader writes its results:
    /// `corpus/` and `out/` for the class of N, `corpus-<size>/` and `out-<size>/` for a
    /// smaller one.
    fn class_dirs(&self, size: usize) -> (PathBuf, PathBuf) {
        let suffix = if size == self.class_size {
            String::new()
        } else {
            format!("-{size}")
        };
        (
            self.root.join(format!("corpus{suffix}")),
            self.root.join(format!("out{suffix}")),
        )
    }

    fn solutions_workspace(&self) -> PathBuf {
        self.root.join("solutions-workspace")
    }

    fn write_class(&self, size: usize) -> Result<Vec<Submission>> {
        let (corpus, _) = self.class_dirs(size);
        corpus::write_class(&self.course, &self.labs, &corpus, size)
    }

    fn copy_solutions_workspace(&self) -> Result<()> {
        let solutions = self.course.solutions_dir();
        corpus::copy_workspace(
            &self.course,
            &self.labs,
            &self.solutions_workspace(),
            |lab| solutions.join(&lab.id).join("src"),
        )
    }

    /// Each command once to warm up, then both in turn (so a change of load on the machine
    /// hits both alike); the medians of the timed runs.
    fn single_student(&self) -> Result<SingleStudent> {
        step("warming up (the first cargo test compiles its dependencies into target/bench/)");
        let mut cargo_test_failures = Vec::new();
        self.grade_solutions("warm-up", Sandbox::On)?;
        self.grade_solutions("warm-up", Sandbox::Off)?;
        self.cargo_test_solutions("warm-up", &mut cargo_test_failures)?;
        let (mut grade, mut unsandboxed, mut cargo_test) = (Vec::new(), Vec::new(), Vec::new());
        for run in 1..=RUNS {
            let label = run.to_string();
            grade.push(self.grade_solutions(&label, Sandbox::On)?);
            unsandboxed.push(self.grade_solutions(&label, Sandbox::Off)?);
            cargo_test.push(self.cargo_test_solutions(&label, &mut cargo_test_failures)?);
            step(&format!(
                "run {run}/{RUNS}: grade {}, grade --unsandboxed {}, cargo test {}",
                format_duration(grade[run - 1]),
                format_duration(unsandboxed[run - 1]),
                format_duration(cargo_test[run - 1])
            ));
        }
        Ok(SingleStudent {
            grade: median(&grade),
            grade_unsandboxed: median(&unsandboxed),
            cargo_test: median(&cargo_test),
            cargo_test_failures,
        })
    }

    fn grade_solutions(&self, run: &str, sandbox: Sandbox) -> Result<Duration> {
        let (log, what) = match sandbox {
            Sandbox::On => (
                self.log(&format!("single-grade-{run}")),
                "grade --solutions",
            ),
            Sandbox::Off => (
                self.log(&format!("single-grade-unsandboxed-{run}")),
                "grade --solutions --unsandboxed",
            ),
        };
        let mut command = Command::new(&self.grader);
        command.args(["grade", "--solutions", "--format", "json"]);
        if sandbox == Sandbox::Off {
            command.arg("--unsandboxed");
        }
        log_to(&mut command, &log)?;
        let run = measure::run(command, Leash::StopsItsOwnChildren, what, TIME_LIMIT)?;
        require_success(&run, what, &see(&log))?;
        Ok(run.elapsed)
    }

    /// A failing test does not stop the benchmark — every test still ran, so the time
    /// stands — but it is recorded, to be shown under the table.
    fn cargo_test_solutions(&self, run: &str, failures: &mut Vec<PathBuf>) -> Result<Duration> {
        let log = self.log(&format!("single-cargo-test-{run}"));
        let packages: Vec<&str> = self.labs.iter().map(|lab| lab.package.as_str()).collect();
        let mut command = cargo_test(
            &self.solutions_workspace(),
            &self.root.join("solutions-target"),
            &packages,
        );
        log_to(&mut command, &log)?;
        let what = "cargo test of the reference solutions";
        let measured = measure::run(command, Leash::OwnProcessGroup, what, TIME_LIMIT)?;
        match cargo_test_end(&measured, &log, &packages) {
            CargoTestEnd::Passed => {}
            CargoTestEnd::TestsFailed => failures.push(log),
            CargoTestEnd::DidNotCompile | CargoTestEnd::Broke => {
                bail!("{what} failed ({}); {}", measured.status, see(&log))
            }
        }
        Ok(measured.elapsed)
    }

    /// Grades the class of `size` into a fresh output folder, and checks every student got a
    /// row in the gradebook.
    fn time_batch(&self, size: usize) -> Result<ClassRun> {
        let (corpus, out) = self.class_dirs(size);
        remove_if_present(&out)?;
        let log = self.log(&format!("batch-{size}"));
        let mut command = Command::new(&self.grader);
        command
            .args(["grade", "--force", "--submissions"])
            .arg(&corpus)
            .args(self.jobs.map(|jobs| format!("--jobs={jobs}")))
            .arg("--out-dir")
            .arg(&out)
            .stdin(Stdio::null())
            // Standard error stays on the terminal: the grader's line per student is the
            // progress of this long phase.
            .stdout(
                File::create(&log).with_context(|| format!("cannot create {}", log.display()))?,
            );
        let what = format!("grade --submissions (a class of {size})");
        let run = measure::run(
            command,
            Leash::StopsItsOwnChildren,
            &what,
            TIME_LIMIT * size as u32,
        )?;
        require_success(
            &run,
            &what,
            &format!("its error is above, its output in {}", log.display()),
        )?;
        let graded = gradebook_rows(&out.join("gradebook.csv"))?;
        if graded != size {
            bail!(
                "{what} wrote {graded} gradebook rows for {size} submissions; {}",
                see(&log)
            );
        }
        let Some(peak_memory_kib) = run.peak_memory_kib else {
            bail!(
                "cannot read the grader's peak memory (VmHWM in /proc/<pid>/status): this benchmark needs Linux"
            );
        };
        step(&format!(
            "the class of {size} took {} ({} a submission); the grader's peak memory: {} MiB",
            format_duration(run.elapsed),
            format_duration(run.elapsed / size as u32),
            peak_memory_kib / 1024
        ));
        Ok(ClassRun {
            size,
            elapsed: run.elapsed,
            peak_memory_kib,
        })
    }

    /// For each sampled submission: a fresh copy of the repository with its `src/` folders,
    /// then `cargo test -p` each lab with a fresh target folder of its own.
    fn naive_loop(&self, sample: &[Submission]) -> Result<NaiveLoop> {
        let naive_dir = self.root.join("naive");
        let mut times = Vec::new();
        for (number, submission) in sample.iter().enumerate() {
            let workspace = naive_dir.join(&submission.name);
            let target_dir = naive_dir.join(format!("{}-target", submission.name));
            remove_if_present(&target_dir)?;
            let started = Instant::now();
            corpus::copy_workspace(&self.course, &self.labs, &workspace, |lab| {
                corpus::src_for_cargo(submission, lab)
            })?;
            for lab in &self.labs {
                self.naive_cargo_test(submission, lab, &workspace, &target_dir)?;
            }
            let elapsed = started.elapsed();
            step(&format!(
                "{}/{}: {} in {}",
                number + 1,
                sample.len(),
                submission.name,
                format_duration(elapsed)
            ));
            times.push((submission.name.clone(), elapsed));
            // Each target folder holds every dependency compiled: hundreds of MB.
            remove_if_present(&target_dir)?;
            remove_if_present(&workspace)?;
        }
        Ok(NaiveLoop { times })
    }

    /// `cargo test -p <lab>`; failing tests and compile errors are the submission's, anything
    /// else (a dependency that does not build, a cargo error) stops the benchmark.
    fn naive_cargo_test(
        &self,
        submission: &Submission,
        lab: &Lab,
        workspace: &Path,
        target_dir: &Path,
    ) -> Result<()> {
        let log = self.log(&format!("naive-{}-{}", submission.name, lab.id));
        let mut command = cargo_test(workspace, target_dir, &[&lab.package]);
        log_to(&mut command, &log)?;
        let what = format!("cargo test -p {} of {}", lab.package, submission.name);
        let measured = measure::run(command, Leash::OwnProcessGroup, &what, TIME_LIMIT)?;
        if cargo_test_end(&measured, &log, &[&lab.package]) == CargoTestEnd::Broke {
            bail!(
                "{what} failed for another reason than the submission's code ({}); {}",
                measured.status,
                see(&log)
            );
        }
        Ok(())
    }
}

/// `cargo test` of `packages` in a copy of the workspace: every test target and doc test,
/// every failure reported (`--no-fail-fast`), dependencies from cargo's download cache.
fn cargo_test(workspace: &Path, target_dir: &Path, packages: &[&str]) -> Command {
    let mut command = cargo_command(target_dir);
    command
        .args(["test", "--offline", "--locked", "--no-fail-fast"])
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .current_dir(workspace);
    for package in packages {
        command.args(["--package", package]);
    }
    command
}

/// `look_at` says where the reason is, e.g. `see target/bench/logs/….log`.
fn require_success(run: &Measurement, what: &str, look_at: &str) -> Result<()> {
    if run.status.success() {
        return Ok(());
    }
    bail!("{what} failed ({}); {look_at}", run.status)
}

fn see(log: &Path) -> String {
    format!("see {}", log.display())
}

fn cargo_test_end(measured: &Measurement, log: &Path, packages: &[&str]) -> CargoTestEnd {
    if measured.status.success() {
        return CargoTestEnd::Passed;
    }
    classify_cargo_test_failure(&fs::read_to_string(log).unwrap_or_default(), packages)
}

/// Why a `cargo test --no-fail-fast -p <package>…` failed, from its output: a package under
/// test did not compile, or some of its tests failed, as with a stub or a broken submission —
/// or something else broke.
fn classify_cargo_test_failure(output: &str, packages: &[&str]) -> CargoTestEnd {
    let did_not_compile = packages
        .iter()
        .any(|package| output.contains(&format!("could not compile `{package}`")));
    let tests_failed = output.lines().any(|line| {
        line.starts_with("error: ")
            && (line.ends_with("target failed:") || line.ends_with("targets failed:"))
    });
    if did_not_compile {
        CargoTestEnd::DidNotCompile
    } else if tests_failed {
        CargoTestEnd::TestsFailed
    } else {
        CargoTestEnd::Broke
    }
}

/// The student rows of a gradebook (every line but the header).
fn gradebook_rows(gradebook: &Path) -> Result<usize> {
    let text = fs::read_to_string(gradebook)
        .with_context(|| format!("the batch grader wrote no {}", gradebook.display()))?;
    Ok(text.lines().count().saturating_sub(1))
}

fn remove_if_present(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    Ok(())
}

impl NaiveLoop {
    /// The loop's time for a whole class: the mean of the measured submissions, times N.
    fn extrapolated(&self, class_size: usize) -> Duration {
        let measured: Duration = self.times.iter().map(|(_, time)| *time).sum();
        measured / self.times.len() as u32 * class_size as u32
    }

    fn describe(&self, class_size: usize) -> String {
        let measured: Vec<String> = self
            .times
            .iter()
            .map(|(name, time)| format!("{name} {}", format_duration(*time)))
            .collect();
        format!(
            "naive loop: {} of {class_size} submissions measured ({}), their mean ×{class_size} extrapolated.",
            self.times.len(),
            measured.join(", ")
        )
    }
}

impl Results {
    /// The table, then what it rests on.
    fn report(&self) -> String {
        let mut text = table::render(&self.rows());
        text.push('\n');
        text.push_str(&self.naive.describe(self.class.size));
        text.push('\n');
        text.push_str(&self.shared.describe());
        text.push_str(&loops::describe_split(&self.split, &self.floors));
        if let Some(first) = self.single.cargo_test_failures.first() {
            text.push_str(&format!(
                "cargo test of the solutions had a failing test in {} of {} runs (see {}); \
                 every test still ran, so its times stand.\n",
                self.single.cargo_test_failures.len(),
                RUNS + 1,
                first.display()
            ));
        }
        text.push_str(
            "ratios: grade ÷ cargo test; sandboxed grade ÷ unsandboxed grade; naive loop ÷ batch (times faster); \
             shared-target loop ÷ batch, per student (times faster); batch per student ÷ (one grade + mean floor); \
             memory ÷ the smaller class's.\n",
        );
        text
    }

    fn rows(&self) -> Vec<Row> {
        let (single, class) = (&self.single, &self.class);
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        let naive_total = self.naive.extrapolated(class.size);
        let per_submission = class.elapsed / class.size as u32;
        let mut rows = vec![
            Row::time(
                format!("one student, warm: cargo test (median of {RUNS})"),
                single.cargo_test,
            ),
            Row::time(
                format!("one student, warm: grade --solutions (median of {RUNS})"),
                single.grade,
            )
            .with_ratio(ratio(single.grade, single.cargo_test))
            .with_goal(GRADE_VS_CARGO_TEST),
            Row::time(
                format!("one student, warm: grade --solutions --unsandboxed (median of {RUNS})"),
                single.grade_unsandboxed,
            ),
            Row::time(
                "one student, warm: the sandbox's cost (grade ÷ --unsandboxed)".to_string(),
                single.grade,
            )
            .with_ratio(ratio(single.grade, single.grade_unsandboxed))
            .with_goal(SANDBOX_COST),
            Row::time(
                format!(
                    "class of {}: naive cargo test loop ({} measured, ×{} extrapolated)",
                    class.size,
                    self.naive.times.len(),
                    class.size
                ),
                naive_total,
            ),
            Row::time(
                format!("class of {}: grade --submissions", class.size),
                class.elapsed,
            )
            .with_ratio(ratio(naive_total, class.elapsed))
            .with_goal(BATCH_SPEEDUP),
        ];
        if let Some(shared) = self.shared.mean_per_gradable() {
            rows.push(Row::time(
                format!(
                    "class of {}: shared-target loop, per student it can grade ({} of {} measured)",
                    class.size,
                    self.shared.gradable(),
                    self.shared.times.len()
                ),
                shared,
            ));
            rows.push(
                Row::time(
                    format!(
                        "class of {}: batch, per student, vs the shared-target loop",
                        class.size
                    ),
                    per_submission,
                )
                .with_ratio(ratio(shared, per_submission))
                .with_goal(BATCH_VS_SHARED_LOOP),
            );
        }
        let floor = self.floors.mean();
        rows.push(Row::time(
            format!(
                "class of {}: compile-and-link floor, mean per student",
                class.size
            ),
            floor,
        ));
        rows.push(
            Row::time(
                format!(
                    "class of {}: batch, per student, vs one warm grade + the floor",
                    class.size
                ),
                per_submission,
            )
            .with_ratio(ratio(per_submission, single.grade + floor))
            .with_goal(BATCH_PER_STUDENT_VS_FLOOR),
        );
        let class_memory = Row::memory(
            format!("peak memory of the grader, class of {}", class.size),
            class.peak_memory_kib,
        )
        .with_goal(PEAK_MEMORY);
        match &self.small_class {
            Some(small) => {
                rows.push(
                    Row::memory(
                        format!("peak memory of the grader, class of {}", small.size),
                        small.peak_memory_kib,
                    )
                    .with_goal(PEAK_MEMORY),
                );
                let growth = class.peak_memory_kib as f64 / small.peak_memory_kib.max(1) as f64;
                rows.push(class_memory.with_ratio(growth));
            }
            None => rows.push(class_memory),
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_sizes_are_refused_with_the_reason_and_the_sample_defaults_to_three() {
        let sample = |class_size, naive_sample| {
            naive_sample_size(class_size, naive_sample).map_err(|error| error.to_string())
        };
        assert_eq!(
            sample(0, None),
            Err("--class-size must be at least 1".into())
        );
        assert_eq!(
            sample(2, Some(3)),
            Err("--naive-sample must be from 1 to the class size (2), got 3".into())
        );
        assert_eq!(sample(30, None), Ok(3));
        assert_eq!(sample(2, None), Ok(2));
        assert_eq!(sample(30, Some(5)), Ok(5));
    }

    #[test]
    fn the_smaller_class_is_ten_or_half_the_class() {
        assert_eq!(small_class_size(30), 10);
        assert_eq!(small_class_size(10), 5);
        assert_eq!(small_class_size(1), 1);
    }

    #[test]
    fn the_naive_loop_is_extrapolated_from_the_mean_of_its_sample() {
        let naive = NaiveLoop {
            times: vec![
                ("s1-solved".to_string(), Duration::from_secs(100)),
                ("s2-stubs".to_string(), Duration::from_secs(80)),
            ],
        };
        assert_eq!(naive.extrapolated(30), Duration::from_secs(2700));
        assert_eq!(
            naive.describe(30),
            "naive loop: 2 of 30 submissions measured (s1-solved 1 min 40 s, s2-stubs 1 min 20 s), their mean ×30 extrapolated."
        );
    }

    #[test]
    fn the_report_shows_each_figure_with_its_ratio_and_goal_then_what_it_rests_on() {
        let seconds = Duration::from_secs;
        let results = Results {
            single: SingleStudent {
                grade: seconds(12),
                grade_unsandboxed: seconds(11),
                cargo_test: seconds(10),
                cargo_test_failures: Vec::new(),
            },
            class: ClassRun {
                size: 30,
                elapsed: seconds(390),
                peak_memory_kib: 36 * 1024,
            },
            small_class: Some(ClassRun {
                size: 10,
                elapsed: seconds(130),
                peak_memory_kib: 35 * 1024,
            }),
            naive: NaiveLoop {
                times: vec![
                    ("s01-solved".to_string(), seconds(100)),
                    ("s02-stubs".to_string(), seconds(110)),
                    ("s03-compile-error-01-ports".to_string(), seconds(120)),
                ],
            },
            shared: loops::SharedLoop {
                times: vec![
                    ("s01-solved".to_string(), seconds(30), true),
                    ("s02-stubs".to_string(), seconds(28), true),
                    ("s03-compile-error-01-ports".to_string(), seconds(2), false),
                ],
            },
            floors: loops::Floors {
                times: vec![
                    ("s01-solved".to_string(), seconds(20)),
                    ("s02-stubs".to_string(), seconds(18)),
                ],
            },
            split: vec![loops::StudentSplit {
                student: "s01-solved".to_string(),
                compile: seconds(5),
                tests: seconds(12),
                run: seconds(9),
                labs: 10,
                cached: 0,
            }],
        };
        assert_eq!(
            results.report(),
            "\
measurement                                                                  figure       ratio  goal       met
one student, warm: cargo test (median of 3)                                  10.0 s
one student, warm: grade --solutions (median of 3)                           12.0 s       1.20×  ≤ 1.3×     yes
one student, warm: grade --solutions --unsandboxed (median of 3)             11.0 s
one student, warm: the sandbox's cost (grade ÷ --unsandboxed)                12.0 s       1.09×  ≤ 1.15×    yes
class of 30: naive cargo test loop (3 measured, ×30 extrapolated)            55 min 00 s
class of 30: grade --submissions                                             6 min 30 s   8.46×  ≥ 8×       yes
class of 30: shared-target loop, per student it can grade (2 of 3 measured)  29.0 s
class of 30: batch, per student, vs the shared-target loop                   13.0 s       2.23×  ≥ 2×       yes
class of 30: compile-and-link floor, mean per student                        19.0 s
class of 30: batch, per student, vs one warm grade + the floor               13.0 s       0.42×  ≤ 1.2×     yes
peak memory of the grader, class of 10                                       35.0 MiB            < 100 MiB  yes
peak memory of the grader, class of 30                                       36.0 MiB     1.03×  < 100 MiB  yes

naive loop: 3 of 30 submissions measured (s01-solved 1 min 40 s, s02-stubs 1 min 50 s, s03-compile-error-01-ports 2 min 00 s), their mean ×30 extrapolated.
shared-target loop (one working copy and target folder, after a warm-up): s01-solved 30.0 s; s02-stubs 28.0 s; s03-compile-error-01-ports 2.0 s, graded nothing: a lab did not compile.
each student in the batch, summed over its labs (the labs' tests run beside the next build, and students side by side, so these add up to more than the wall time):
  s01-solved: compile 5.0 s, tests (compile + link) 12.0 s, run 9.0 s; 0 of 10 labs from the build cache; floor 20.0 s
ratios: grade ÷ cargo test; sandboxed grade ÷ unsandboxed grade; naive loop ÷ batch (times faster); shared-target loop ÷ batch, per student (times faster); batch per student ÷ (one grade + mean floor); memory ÷ the smaller class's.
"
        );
    }

    #[test]
    fn a_failed_cargo_test_is_told_apart_from_a_broken_one_by_its_output() {
        let packages = ["lab01-ports"];
        let end = |output: &str| classify_cargo_test_failure(output, &packages);
        assert_eq!(
            end("error: could not compile `lab01-ports` (lib) due to 1 previous error\n"),
            CargoTestEnd::DidNotCompile
        );
        assert_eq!(
            end("error: 2 targets failed:\n    `-p lab01-ports --test ranges`\n"),
            CargoTestEnd::TestsFailed
        );
        assert_eq!(
            end("error: could not compile `tokio` (lib) due to 1 previous error\n"),
            CargoTestEnd::Broke
        );
        assert_eq!(
            end("error: no matching package named `clap` found\n"),
            CargoTestEnd::Broke
        );
    }
}
