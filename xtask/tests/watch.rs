//! `cargo xtask watch`: grading a lab again each time a student saves a file.
//!
//! Each test runs the watcher on a scratch copy of the course (never this repository's own
//! labs/), reads its output as it comes, saves a file the way a student would, and stops it
//! with Ctrl-C (SIGINT), as a student does.

mod support;

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use support::{CourseCopy, repo};

/// How long a grade may take: the first one compiles the lab (and, on a cold target folder,
/// its dependencies), on a machine other test runs share.
const GRADE_TIMEOUT: Duration = Duration::from_secs(300);

/// How long Ctrl-C may take to end the watcher and everything it started.
const EXIT_TIMEOUT: Duration = Duration::from_secs(10);

/// The last line of each round of the watcher's output.
const WAITING: &str = "watch: waiting for changes in labs/01-ports/src";

#[test]
fn polling_grades_again_after_a_save_with_the_failing_checks_first() {
    grades_again_after_a_save(
        &["--poll"],
        "polling every 1 s (--poll)",
        StopWhile::Waiting,
    );
}

#[test]
fn file_system_events_grade_again_after_a_save_with_the_failing_checks_first() {
    grades_again_after_a_save(&[], "file system events", StopWhile::Grading);
}

/// The rows a round takes on a screen `columns` wide, from the report's header (a terminal
/// clears the screen there) to the waiting line.
fn rows_of_screen(round: &str, columns: usize) -> usize {
    let start = round
        .find("watch: 01-ports graded at")
        .expect("a report header");
    support::rows_on_screen(&round[start..], columns)
}

#[test]
fn in_an_80_by_24_terminal_every_round_fits_with_the_next_failing_check_on_screen() {
    let copy = CourseCopy::with_labs(&["01-ports"]);
    let mut watcher = Watcher::start_with_env(
        &copy,
        &["watch", "01", "--poll"],
        &[("COLUMNS", "80"), ("LINES", "24")],
    );
    let first = watcher.next_round();
    let ranges = copy.path().join("labs/01-ports/src/ranges.rs");
    fs::copy(repo().join("solutions/01-ports/src/ranges.rs"), &ranges).unwrap();
    let second = watcher.next_round();
    for (round, next_failing) in [
        (&first, "ranges::classifies_the_boundaries"),
        (&second, "services::names_common_ports"),
    ] {
        let rows = rows_of_screen(round, 80);
        assert!(rows <= 24, "{rows} rows:\n{round}");
        let shown = round
            .lines()
            .position(|line| line.starts_with(&format!("  ✗ {next_failing}  ")));
        let hint = shown.and_then(|at| {
            round
                .lines()
                .skip(at)
                .take(4)
                .find(|line| line.trim_start().starts_with("hint:"))
        });
        assert!(
            hint.is_some(),
            "the next failing check, with its hint, on screen:\n{round}"
        );
        assert!(
            round.contains(&format!("Next: {next_failing} in labs/01-ports/src/")),
            "{round}"
        );
    }
    watcher.interrupt();
    assert_nothing_left_running(copy.path());
}

#[test]
fn an_unknown_lab_is_a_one_line_error() {
    let copy = CourseCopy::with_labs(&["01-ports"]);
    let run = copy.xtask(&["watch", "99-nothing"]);
    assert_eq!(
        run.code, 2,
        "expected exit status 2 for a lab that does not exist, got {}:\n{}{}",
        run.code, run.stdout, run.stderr
    );
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "expected a one-line reason on stderr, got:\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .starts_with("error: there is no lab named \"99-nothing\"")
            && run.stderr.contains("01-ports"),
        "expected the reason to name the wrong lab and the labs there are, got:\n{}",
        run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "expected nothing on stdout, got:\n{}",
        run.stdout
    );
}

/// When the test presses Ctrl-C.
enum StopWhile {
    /// Between grades, as a student usually does.
    Waiting,
    /// In the middle of a grade: the builds and tests it started must end with it.
    Grading,
}

/// The student's loop: the fresh stub scores 0; saving the solution's `ranges.rs` grades the
/// lab again, and the two `ranges::` tests pass, listed after the failing ones.
fn grades_again_after_a_save(options: &[&str], source: &str, stop: StopWhile) {
    let copy = CourseCopy::with_labs(&["01-ports"]);
    let mut args = vec!["watch", "01"];
    args.extend_from_slice(options);
    let mut watcher = Watcher::start(&copy, &args);

    let first = watcher.next_round();
    assert!(
        first.contains("watch: 01-ports graded at ") && first.contains(source),
        "expected a header naming the lab and {source:?}, got:\n{first}"
    );
    assert!(
        first.contains("Total: 0 / "),
        "expected the untouched stub to score 0, got:\n{first}"
    );
    assert!(
        test_lines(&first)
            .iter()
            .all(|line| line.starts_with("  ✗ ")),
        "expected every test of the untouched stub to fail, got:\n{first}"
    );

    let ranges = copy.path().join("labs/01-ports/src/ranges.rs");
    fs::copy(repo().join("solutions/01-ports/src/ranges.rs"), &ranges).unwrap();
    let second = watcher.next_round();
    assert!(
        second.contains("watch: grading 01-ports (labs/01-ports/src/ranges.rs changed)"),
        "expected the watcher to say which file changed, got:\n{second}"
    );
    let tests = test_lines(&second);
    for name in [
        "ranges::classifies_the_boundaries",
        "ranges::every_port_is_in_exactly_one_range",
    ] {
        assert!(
            tests
                .iter()
                .any(|line| line.starts_with(&format!("  ✓ {name}  "))),
            "expected {name} to pass once ranges.rs is the solution's, got:\n{second}"
        );
    }
    let failing = tests.iter().filter(|line| line.starts_with("  ✗ ")).count();
    let first_passed = tests
        .iter()
        .position(|line| line.starts_with("  ✓ "))
        .unwrap();
    assert!(
        failing > 0 && first_passed == failing,
        "expected the {failing} failing tests (the other files are still stubs) before the passed ones, got:\n{second}"
    );

    // The grade is remembered, as `cargo xtask grade` does.
    let list = copy.xtask(&["list"]);
    let to_go = format!("{failing} of {} tests to go", tests.len());
    assert!(
        list.stdout.contains(&to_go),
        "expected `cargo xtask list` to show the watcher's last grade ({to_go:?}), got:\n{}{}",
        list.stdout,
        list.stderr
    );

    if let StopWhile::Grading = stop {
        fs::write(
            &ranges,
            fs::read_to_string(&ranges).unwrap() + "\n// saved again\n",
        )
        .unwrap();
        watcher.wait_for_line("watch: grading 01-ports");
    }
    let code = watcher.interrupt();
    assert!(
        matches!(code, Some(0 | 130)),
        "expected Ctrl-C to end the watcher with status 0 or 130, got {code:?}; stderr:\n{}",
        watcher.stderr()
    );
    assert_nothing_left_running(copy.path());
}

/// `cargo xtask watch` running in the background, its output read line by line as it comes.
struct Watcher {
    child: Child,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
    /// Everything read from stdout so far, for failure messages.
    transcript: String,
}

impl Watcher {
    fn start(copy: &CourseCopy, args: &[&str]) -> Watcher {
        Watcher::start_with_env(copy, args, &[])
    }

    fn start_with_env(copy: &CourseCopy, args: &[&str], env: &[(&str, &str)]) -> Watcher {
        let mut child = copy
            .command(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the grader binary runs");
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let collected = Arc::clone(&stderr);
        thread::spawn(move || {
            let mut buffer = [0; 4096];
            while let Ok(read @ 1..) = pipe.read(&mut buffer) {
                let text = String::from_utf8_lossy(&buffer[..read]);
                collected.lock().unwrap().push_str(&text);
            }
        });
        Watcher {
            child,
            lines,
            stderr,
            transcript: String::new(),
        }
    }

    /// The output of one round: from where the last one ended to the next `watch: waiting…`.
    fn next_round(&mut self) -> String {
        let mut round = String::new();
        loop {
            let line = self.next_line();
            round.push_str(&line);
            round.push('\n');
            if line == WAITING {
                return round;
            }
        }
    }

    /// Reads until a line starting with `start`.
    fn wait_for_line(&mut self, start: &str) {
        while !self.next_line().starts_with(start) {}
    }

    fn next_line(&mut self) -> String {
        match self.lines.recv_timeout(GRADE_TIMEOUT) {
            Ok(line) => {
                self.transcript.push_str(&line);
                self.transcript.push('\n');
                line
            }
            Err(RecvTimeoutError::Timeout) => panic!(
                "expected the watcher to print a report within {GRADE_TIMEOUT:?}, but it did not; \
                 its output so far:\n{}\nstderr:\n{}",
                self.transcript,
                self.stderr()
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "expected the watcher to keep running, but it ended ({:?}); its output:\n{}\nstderr:\n{}",
                self.child.wait(),
                self.transcript,
                self.stderr()
            ),
        }
    }

    /// Presses Ctrl-C (SIGINT) and returns the exit code, or None when the watcher did not
    /// end within EXIT_TIMEOUT (it is then killed).
    fn interrupt(&mut self) -> Option<i32> {
        let pid = i32::try_from(self.child.id()).unwrap();
        // SAFETY: kill(2) has no memory-safety preconditions.
        unsafe {
            libc::kill(pid, libc::SIGINT);
        }
        let deadline = Instant::now() + EXIT_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Watcher {
    /// A test that fails halfway must not leave a watcher running forever.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.interrupt();
        }
    }
}

/// The lines of a report that show one test: `  ✓ name  2 / 2` or `  ✗ name  0 / 2`.
fn test_lines(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter(|line| line.starts_with("  ✓ ") || line.starts_with("  ✗ "))
        .collect()
}

/// No process started for this copy of the course (a cargo build, a compiler) is left once
/// the watcher has ended: they all carry LOOPBACK_LABS_COURSE=<copy> in their environment.
fn assert_nothing_left_running(copy: &Path) {
    let marker = format!("LOOPBACK_LABS_COURSE={}", copy.display());
    let deadline = Instant::now() + EXIT_TIMEOUT;
    loop {
        let left = processes_with_environment(&marker);
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "expected Ctrl-C to stop everything the watcher started, but these are still running: {left:?}"
        );
        thread::sleep(Duration::from_millis(100));
    }
}

/// The command lines of the processes (of this user) with `variable` in their environment.
fn processes_with_environment(variable: &str) -> Vec<String> {
    let wanted = variable.as_bytes();
    fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|entry| {
            fs::read(entry.path().join("environ"))
                .is_ok_and(|environ| environ.split(|byte| *byte == 0).any(|pair| pair == wanted))
        })
        .map(|entry| {
            let cmdline = fs::read(entry.path().join("cmdline")).unwrap_or_default();
            String::from_utf8_lossy(&cmdline).replace('\0', " ")
        })
        .collect()
}
