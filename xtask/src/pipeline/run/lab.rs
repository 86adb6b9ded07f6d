//! Running every test of one lab: list the tests each executable has, run them side by side
//! within the lab's time limit, and watch the lab's grading files while they run.
//!
//! This returns only what was observed, one [`LabRun`] per lab; the `score` stage decides
//! what it is worth. Keeping the two apart means a verdict can be read, tested and changed
//! in one place, without threads or processes in the way.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

use anyhow::Result;

use super::tamper::Fingerprint;
use super::{LabView, Observation, Snapshots, TestBench, blessed_snapshots};
use crate::course::{HARNESS, Lab};
use crate::layout;
use crate::pipeline::assemble::Workspace;
use crate::pipeline::build::{BuiltLab, Executable};
use crate::pipeline::progress::Progress;
use crate::sandbox::Isolation;

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

/// Runs every test of a built lab, as many at once as the machine has cores.
pub fn run_lab(
    workspace: &Workspace,
    lab: &Lab,
    built: BuiltLab,
    progress: &Progress,
    isolation: &Isolation,
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
        isolation,
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
        match bench.list_tests(executable, serial) {
            Ok(names) => jobs.extend(names.into_iter().map(|name| Job {
                report_name: format!("{}::{name}", executable.name),
                libtest_name: name,
                executable,
            })),
            Err(error) => notes.push(format!("{error:#}")),
        }
    }
    let tests = run_in_parallel(&bench, lab, &jobs, progress);

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

fn run_in_parallel(
    bench: &TestBench,
    lab: &Lab,
    jobs: &[Job],
    progress: &Progress,
) -> Vec<TestRun> {
    let workers = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let results: Mutex<Vec<TestRun>> = Mutex::new(Vec::with_capacity(jobs.len()));
    let lab_deadline = Instant::now() + lab.manifest.lab_timeout();
    // Run folders of the listing runs come first.
    let first_serial = bench.view.tests.len();
    progress.running(&lab.id, 0, jobs.len());
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(index) else { break };
                    let outcome = if Instant::now() >= lab_deadline {
                        TestOutcome::LabOutOfTime
                    } else {
                        let serial = first_serial + index;
                        match bench.run_test(job.executable, &job.libtest_name, serial) {
                            Ok(observation) => TestOutcome::Observed(observation),
                            Err(error) => TestOutcome::CouldNotRun(format!("{error:#}")),
                        }
                    };
                    results
                        .lock()
                        .expect("no worker panics while holding the lock")
                        .push(TestRun {
                            name: job.report_name.clone(),
                            outcome,
                        });
                    let done = finished.fetch_add(1, Ordering::SeqCst) + 1;
                    progress.running(&lab.id, done, jobs.len());
                }
            });
        }
    });
    results.into_inner().expect("the workers have finished")
}
