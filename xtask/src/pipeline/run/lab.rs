//! Running every test of one lab: list the tests each executable has, run them side by side
//! within the lab's time limit (as many at once as the run's budget allows, see `budget`),
//! run again each test that failed (`--retries`), and watch the lab's grading files while
//! they run.
//!
//! This returns only what was observed, one [`LabRun`] per lab; the `score` stage decides
//! what it is worth. Keeping the two apart means a verdict can be read, tested and changed
//! in one place, without threads or processes in the way.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Result;

use super::tamper::Fingerprint;
use super::{LabView, Observation, Snapshots, TestBench, blessed_snapshots};
use crate::course::{HARNESS, Lab};
use crate::layout;
use crate::pipeline::Resources;
use crate::pipeline::assemble::Workspace;
use crate::pipeline::build::{BuiltLab, Executable, test_crate};
use crate::pipeline::progress::Progress;
use crate::pipeline::score::worth_a_rerun;

/// What the grader observed of one lab's tests.
pub struct LabRun {
    /// The blessed snapshots, read before any of the submission's code ran; `None` while the
    /// reference solution's snapshots are being blessed (then what it produces is right).
    pub blessed: Option<BTreeMap<String, String>>,
    /// Every test the lab's executables have, in the order they finished.
    pub tests: Vec<TestRun>,
    /// Why a test executable could not even list its tests.
    pub notes: Vec<String>,
    /// The grading files that changed while the tests ran (empty when none did).
    pub tampered: Vec<String>,
}

/// One test, by the name the report uses (`file::test`), and what became of it.
pub struct TestRun {
    pub name: String,
    pub outcome: TestOutcome,
    /// What became of it when it ran again after failing, one per rerun (`--retries`).
    pub reruns: Vec<TestOutcome>,
}

pub enum TestOutcome {
    /// It ran: how its process ended, what it printed, the snapshots it wrote.
    Observed(Observation),
    /// The grader could not start it, and this says why.
    CouldNotRun(String),
    /// The lab's time limit for all its tests ran out before its turn.
    LabOutOfTime,
}

/// One test to run: which executable, libtest's name for it, and the name the report uses.
struct Job<'a> {
    executable: &'a Executable,
    libtest_name: String,
    report_name: String,
}

/// Runs every test of a built lab, as many at once as the run's budget allows.
pub fn run_lab(
    workspace: &Workspace,
    lab: &Lab,
    built: BuiltLab,
    progress: &Progress,
    resources: &Resources,
    snapshots: Snapshots,
) -> Result<LabRun> {
    let lab_dir = workspace.lab_dir(lab);
    // Read before any of the submission's code runs, and never shown to it.
    let blessed = (snapshots == Snapshots::Verify).then(|| blessed_snapshots(&lab_dir));
    let bench = TestBench {
        lab_id: lab.id.clone(),
        view: LabView::stage(lab, &lab_dir, built)?,
        lab_dir,
        timeout: lab.manifest.test_timeout(),
        snapshots,
        isolation: resources.isolation,
    };

    // Everything a test could rewrite to change its own verdict, fingerprinted before any
    // of the submission's code runs and compared afterwards (the sandbox keeps it out of
    // reach; this catches what a machine without the sandbox lets through).
    let mut watched: Vec<PathBuf> = vec![
        bench.lab_dir.clone(),
        layout::lab_bin_dir(workspace.root(), &lab.id),
        lab.dir.clone(),
        // The shared test harness, as assembled and in the course.
        workspace.harness_dir(),
        lab.dir.with_file_name(HARNESS),
    ];
    watched.extend(lab.hidden.iter().map(|hidden| hidden.tests_dir.clone()));
    // Blessing writes the snapshots into the lab on purpose: nothing to watch then.
    let before = (snapshots == Snapshots::Verify).then(|| Fingerprint::of(&watched));

    let mut jobs = Vec::new();
    let mut notes = Vec::new();
    for (serial, executable) in bench.view.tests.iter().enumerate() {
        let _permit = resources.budget.test()?;
        match bench.list_tests(executable, serial) {
            Ok(names) => jobs.extend(names.into_iter().map(|name| Job {
                report_name: test_crate::report_name(&executable.name, &name),
                libtest_name: name,
                executable,
            })),
            Err(error) => notes.push(format!("{error:#}")),
        }
    }
    let clock = LabClock::new(lab.manifest.lab_timeout());
    // Run folders of the listing runs come first.
    let mut next_serial = bench.view.tests.len();
    progress.running(&lab.id, 0, jobs.len());
    let first: Vec<&Job> = jobs.iter().collect();
    let outcomes = run_in_parallel(&bench, &first, resources, &clock, next_serial, |done| {
        progress.running(&lab.id, done, jobs.len())
    });
    next_serial += jobs.len();
    let mut tests: Vec<TestRun> = jobs
        .iter()
        .zip(outcomes)
        .map(|(job, outcome)| TestRun {
            name: job.report_name.clone(),
            outcome,
            reruns: Vec::new(),
        })
        .collect();
    // A test that failed runs again, up to `retries` times, until it passes.
    for _ in 0..resources.retries {
        let again: Vec<usize> = (0..tests.len())
            .filter(|&index| {
                let test = &tests[index];
                let last = test.reruns.last().unwrap_or(&test.outcome);
                matches!(last, TestOutcome::Observed(observation)
                    if worth_a_rerun(lab, &test.name, observation, blessed.as_ref()))
            })
            .collect();
        if again.is_empty() {
            break;
        }
        let rerun_jobs: Vec<&Job> = again.iter().map(|&index| &jobs[index]).collect();
        let outcomes = run_in_parallel(&bench, &rerun_jobs, resources, &clock, next_serial, |_| {});
        next_serial += rerun_jobs.len();
        for (index, outcome) in again.into_iter().zip(outcomes) {
            tests[index].reruns.push(outcome);
        }
    }

    let tampered = before.map_or_else(Vec::new, |before| {
        before.changes(&Fingerprint::of(&watched), workspace.root())
    });
    Ok(LabRun {
        blessed,
        tests,
        notes,
        tampered,
    })
}

/// The lab's time limit, counted only while one of its tests runs: time spent waiting for
/// room in the budget (while other students' builds and tests run) is not the lab's.
struct LabClock {
    limit: Duration,
    state: Mutex<ClockState>,
}

#[derive(Default)]
struct ClockState {
    spent: Duration,
    running: usize,
    since: Option<Instant>,
}

impl LabClock {
    fn new(limit: Duration) -> LabClock {
        LabClock {
            limit,
            state: Mutex::new(ClockState::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClockState> {
        self.state
            .lock()
            .expect("no thread panics while holding the lab clock")
    }

    /// Starts a test, unless the lab's time is up.
    fn start(&self) -> bool {
        let mut state = self.lock();
        let spent = state.spent + state.since.map_or(Duration::ZERO, |since| since.elapsed());
        if spent >= self.limit {
            return false;
        }
        if state.running == 0 {
            state.since = Some(Instant::now());
        }
        state.running += 1;
        true
    }

    fn stop(&self) {
        let mut state = self.lock();
        state.running -= 1;
        if state.running == 0
            && let Some(since) = state.since.take()
        {
            state.spent += since.elapsed();
        }
    }
}

/// Runs `jobs`, each test in the run folder numbered from `first_serial`, as many at once as
/// the budget allows; returns their outcomes in the order of `jobs`.
fn run_in_parallel(
    bench: &TestBench,
    jobs: &[&Job],
    resources: &Resources,
    clock: &LabClock,
    first_serial: usize,
    on_finished: impl Fn(usize) + Sync,
) -> Vec<TestOutcome> {
    let workers = resources.budget.test_capacity().min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<TestOutcome>>> =
        Mutex::new((0..jobs.len()).map(|_| None).collect());
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(index) else { break };
                    let outcome = run_one(bench, job, resources, clock, first_serial + index);
                    results
                        .lock()
                        .expect("no worker panics while holding the lock")[index] = Some(outcome);
                    on_finished(finished.fetch_add(1, Ordering::SeqCst) + 1);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("the workers have finished")
        .into_iter()
        .map(|outcome| outcome.expect("every job ran"))
        .collect()
}

/// Runs one test once it has room in the budget and the lab has time left.
fn run_one(
    bench: &TestBench,
    job: &Job,
    resources: &Resources,
    clock: &LabClock,
    serial: usize,
) -> TestOutcome {
    let _permit = match resources.budget.test() {
        Ok(permit) => permit,
        Err(error) => return TestOutcome::CouldNotRun(format!("no room to run it: {error}")),
    };
    if !clock.start() {
        return TestOutcome::LabOutOfTime;
    }
    let outcome = match bench.run_test(job.executable, &job.libtest_name, serial) {
        Ok(observation) => TestOutcome::Observed(observation),
        Err(error) => TestOutcome::CouldNotRun(format!("{error:#}")),
    };
    clock.stop();
    outcome
}
