//! The fixture corpus of faulty and adversarial submissions: code that crashes, hoards memory,
//! forks without end, floods its output, rewrites what it is graded by, leaves servers behind
//! or blocks its async runtime. Each is graded through the real pipeline; each must get the
//! grade it earned, with a clear message, without disturbing the other tests and labs.
//!
//! (More of the corpus — endless loops, `exit(0)` with fake libtest output, edited tests and
//! snapshots, `.cargo/config.toml` and `build.rs` overrides, symbolic links, a lab that does
//! not compile beside labs that do — lives in `grade.rs`.)

mod support;

use serde_json::Value;
use support::{
    CourseCopy, StudentCopy, grade_submission, grade_submission_with, processes_running,
    processes_with_argument, statuses,
};

const PORT_OF: &str = "pub fn port_of(name: &str) -> Option<u16> {\n";
const PORT_OF_TEST: &str = "services::finds_the_port_of_a_service_by_name";

/// Lab 01's solution with `code` run at the start of `port_of`, which one test calls.
fn port_of_doing(code: &str) -> StudentCopy {
    StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/services.rs",
        PORT_OF,
        &format!("{PORT_OF}    {code}\n    #[allow(unreachable_code)]\n"),
    )
}

fn test_named<'a>(report: &'a Value, lab: usize, name: &str) -> &'a Value {
    report["labs"][lab]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|test| test["name"] == name)
        .unwrap_or_else(|| panic!("the report has no test {name}"))
}

/// Every test but `name` passed: the fault stayed inside its own test.
fn assert_only_failure_is(report: &Value, name: &str) {
    let others: Vec<String> = statuses(report)
        .into_iter()
        .filter(|line| !line.ends_with(": passed") && !line.contains(&format!("/{name}: ")))
        .collect();
    assert!(
        others.is_empty(),
        "the fault leaked into other tests: {others:#?}"
    );
}

/// The status and the first line of the output of one test, for a snapshot.
fn verdict(test: &Value) -> String {
    let output = test["output"].as_str().unwrap();
    format!(
        "{}: {} ({} / {})\n{}",
        test["name"].as_str().unwrap(),
        test["status"].as_str().unwrap(),
        test["score"],
        test["max_score"],
        output.lines().next().unwrap_or("")
    )
}

/// Grades lab 01 with `code` at the start of `port_of`, checks that its one test got `status`
/// and that no other test was hurt, and returns that test's report.
fn graded_with_fault_in_port_of(code: &str, status: &str) -> Value {
    let report = grade_submission(port_of_doing(code).path(), &["01"]).report();
    let test = test_named(&report, 0, PORT_OF_TEST).clone();
    assert_eq!(test["status"], status, "{test:#}");
    assert_only_failure_is(&report, PORT_OF_TEST);
    test
}

#[test]
fn abort_is_a_crash() {
    let test = graded_with_fault_in_port_of("std::process::abort();", "crashed");
    insta::assert_snapshot!(verdict(&test));
}

#[test]
fn a_segmentation_fault_is_a_crash() {
    let code = "unsafe { std::ptr::null_mut::<u8>().write_volatile(1) };";
    let test = graded_with_fault_in_port_of(code, "crashed");
    insta::assert_snapshot!(verdict(&test));
}

#[test]
fn a_panic_in_drop_is_a_failure_with_its_message() {
    let code = "struct Bomb; impl Drop for Bomb { fn drop(&mut self) { panic!(\"boom in drop\") } } let _bomb = Bomb;";
    let test = graded_with_fault_in_port_of(code, "failed");
    assert!(
        test["output"].as_str().unwrap().contains("boom in drop"),
        "{test:#}"
    );
    insta::assert_snapshot!(verdict(&test));
}

#[test]
fn a_memory_bomb_runs_out_of_memory_at_the_limit() {
    let code = "let mut hoard: Vec<Vec<u8>> = Vec::new(); loop { hoard.push(vec![1u8; 1 << 20]); }";
    let test = graded_with_fault_in_port_of(code, "crashed");
    insta::assert_snapshot!(verdict(&test));
}

#[test]
fn a_hundred_megabytes_of_output_is_cut_and_the_panic_message_kept() {
    let code = "let line = \"x\".repeat(1023); for _ in 0..100 * 1024 { println!(\"{line}\"); } panic!(\"gave up after all that printing\");";
    let run = grade_submission(port_of_doing(code).path(), &["01"]);
    assert!(
        run.stdout.len() < 1 << 20,
        "the whole report stays small: {} bytes",
        run.stdout.len()
    );
    let report = run.report();
    let test = test_named(&report, 0, PORT_OF_TEST);
    assert_eq!(test["status"], "failed");
    let output = test["output"].as_str().unwrap();
    assert!(
        output.contains("… output truncated: the test printed "),
        "{}",
        &output[..200]
    );
    assert!(
        output.contains("gave up after all that printing"),
        "the panic message at the end is kept"
    );
    assert!(
        output.len() < 80 * 1024,
        "the output is capped: {} bytes",
        output.len()
    );
    assert_only_failure_is(&report, PORT_OF_TEST);
    let shown = format!(
        "{}: {} ({} / {})",
        test["name"], test["status"], test["score"], test["max_score"]
    );
    insta::assert_snapshot!(shown);
}

/// Lab 01's solution that rewrites a blessed snapshot of the instructor's lab folder (a copy
/// of the course, here) while its tests run, then grades it.
fn graded_rewriting_a_blessed_snapshot(options: &[&str]) -> (Value, String) {
    let course = CourseCopy::with_labs(&["01-ports"]);
    let snapshot = course
        .path()
        .join("labs/01-ports/tests/snapshots/ranges__classifies_the_boundaries.snap");
    let copy = StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/ranges.rs",
        "    pub fn of(port: u16) -> PortRange {\n",
        &format!(
            "    pub fn of(port: u16) -> PortRange {{\n        let _ = std::fs::write({:?}, \"---\\n---\\nforged\\n\");\n",
            snapshot.display().to_string()
        ),
    );
    let mut args = vec!["grade", "--format", "json", "--submission"];
    args.push(copy.path().to_str().unwrap());
    args.extend_from_slice(options);
    args.push("01");
    let course_path = course.path().display().to_string();
    (course.xtask(&args).report(), course_path)
}

#[test]
fn rewriting_a_snapshot_at_run_time_without_the_sandbox_marks_the_lab_tampered() {
    let (report, course) = graded_rewriting_a_blessed_snapshot(&["--unsandboxed"]);
    let lab = &report["labs"][0];
    assert_eq!(lab["score"], 0.0);
    for line in statuses(&report) {
        assert!(line.ends_with(": tampered"), "{line}");
    }
    insta::assert_snapshot!(
        lab["message"]
            .as_str()
            .unwrap()
            .replace(&course, "[course]")
    );
}

#[test]
fn rewriting_a_snapshot_at_run_time_in_the_sandbox_lands_nowhere() {
    let (report, _) = graded_rewriting_a_blessed_snapshot(&[]);
    assert_eq!(
        report["isolation"]["filesystem"], "private",
        "{:#}",
        report["isolation"]
    );
    assert_eq!(
        report["score"],
        report["max_score"],
        "{:#?}",
        statuses(&report)
    );
}

#[test]
fn a_fork_bomb_is_bounded_and_every_process_of_it_is_killed() {
    // Without a pids cgroup nothing bounds a fork bomb run as root: refuse to set one off.
    let probe =
        grade_submission(StudentCopy::new().with_solution("01-ports").path(), &["01"]).report();
    assert_eq!(
        probe["isolation"]["processes"], "cgroup",
        "this machine gives the grader no pids cgroup, so the fork-bomb fixture is not run: {:#}",
        probe["isolation"]
    );
    let code = "for _ in 0..2 { let _ = std::process::Command::new(std::env::current_exe().unwrap()).args(std::env::args().skip(1)).arg(\"fork-bomb-marker\").spawn(); } std::thread::sleep(std::time::Duration::from_secs(3600));";
    let report = grade_submission_with(
        port_of_doing(code).path(),
        &["01"],
        &["--test-timeout", "5"],
    )
    .report();
    let test = test_named(&report, 0, PORT_OF_TEST);
    assert_eq!(test["status"], "timeout");
    assert_only_failure_is(&report, PORT_OF_TEST);
    assert_eq!(
        processes_with_argument("fork-bomb-marker"),
        0,
        "a process of the fork bomb survived"
    );
    insta::assert_snapshot!(verdict(test));
}

#[test]
fn a_server_left_running_in_its_own_process_group_is_killed() {
    // The lab's program starts a process that leaves the test's process group, like a daemon.
    let copy = StudentCopy::new().with_solution("04-echo-tokio").edit(
        "labs/04-echo-tokio/src/cli.rs",
        "pub async fn run(args: &Args, shutdown: impl Future<Output = ()>) -> Result<Summary, String> {\n",
        "pub async fn run(args: &Args, shutdown: impl Future<Output = ()>) -> Result<Summary, String> {\n    use std::os::unix::process::CommandExt as _;\n    let _daemon = std::process::Command::new(\"sleep\").arg(\"4243.5\").process_group(0).spawn();\n",
    );
    let report = grade_submission(copy.path(), &["04"]).report();
    assert_eq!(
        report["score"], report["max_score"],
        "leaving a process behind is not a fault of the tests"
    );
    assert_eq!(
        processes_running(&["sleep", "4243.5"]),
        0,
        "the daemon outlived its test"
    );
    insta::assert_snapshot!(format!("{} / {}", report["score"], report["max_score"]));
}

#[test]
fn async_code_that_blocks_the_runtime_fails_only_the_tests_it_blocks() {
    let copy = StudentCopy::new().with_solution("04-echo-tokio").edit(
        "labs/04-echo-tokio/src/echo.rs",
        "        echoed += received as u64;\n",
        "        echoed += received as u64;\n        if echoed > 1 << 20 { std::thread::sleep(std::time::Duration::from_secs(3600)); }\n",
    );
    let report = grade_submission_with(copy.path(), &["04"], &["--test-timeout", "8"]).report();
    let score = report["score"].as_f64().unwrap();
    assert!(
        0.0 < score && score < report["max_score"].as_f64().unwrap(),
        "{score}"
    );
    let failed: Vec<String> = statuses(&report)
        .into_iter()
        .filter(|line| !line.ends_with(": passed"))
        .collect();
    insta::assert_snapshot!(failed.join("\n"));
}

#[test]
fn mixed_faults_across_labs_score_exactly_the_sum_of_the_honest_parts() {
    let copy = StudentCopy::new()
        .with_all_solutions()
        // Lab 02: an honest mistake, partial credit.
        .edit(
            "labs/02-binding/src/reuse.rs",
            "socket.set_reuse_address(reuse_address)?;",
            "socket.set_reuse_address(true)?;",
        )
        // Lab 03: tries to rewrite a snapshot while its tests run (the sandbox has none).
        .edit(
            "labs/03-loopback/src/outcome.rs",
            "pub fn classify(",
            "fn forge() { let _ = std::fs::write(\"tests/snapshots/outcomes__classifies_connect_errors.snap\", \"forged\"); }\n\npub fn classify(",
        )
        .edit(
            "labs/03-loopback/src/outcome.rs",
            "    match error.kind() {",
            "    forge();\n    match error.kind() {",
        )
        // Lab 04: does not compile.
        .edit("labs/04-echo-tokio/src/echo.rs", "stream.shutdown().await?;", "stream.shutdown().await?");
    let report = grade_submission(copy.path(), &["01", "02", "03", "04"]).report();
    let labs = report["labs"].as_array().unwrap();
    let summary: Vec<String> = labs
        .iter()
        .map(|lab| {
            format!(
                "{}: {} {} / {}",
                lab["id"], lab["status"], lab["score"], lab["max_score"]
            )
        })
        .collect();
    assert_eq!(
        labs[0]["score"], labs[0]["max_score"],
        "lab 01 is honest and complete"
    );
    assert_eq!(
        labs[1]["score"], 27.0,
        "lab 02 loses the two SO_REUSEADDR tests: {summary:#?}"
    );
    assert_eq!(
        labs[2]["score"], labs[2]["max_score"],
        "lab 03's write lands nowhere, and its code is right: {summary:#?}"
    );
    assert_eq!(labs[3]["status"], "build_error");
    let honest = labs[0]["score"].as_f64().unwrap()
        + labs[1]["score"].as_f64().unwrap()
        + labs[2]["score"].as_f64().unwrap();
    assert_eq!(report["score"].as_f64().unwrap(), honest);
    insta::assert_snapshot!(summary.join("\n"));
}
