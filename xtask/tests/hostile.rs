//! The corpus of hostile submissions: code written by someone who has read the grader's source
//! and wants marks without solving the lab, or a look at what students must not see. Each
//! attack is graded through the real pipeline, and each must leave the grade exactly what an
//! honest run of the same code earns, leak nothing of the solutions, the hidden tests or a
//! classmate's code into any report, leave no process running and no file written outside
//! the grading workspace, and let the grader finish with its report.
//!
//! These tests need the sandbox (bubblewrap, root, a pids cgroup): without it they fail and
//! say what is missing, since a grader that cannot build its walls must not pass them.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use support::{
    StudentCopy, grade_submission, grade_submission_with, not_passed, processes_running, repo,
    statuses, xtask,
};

const PORT_OF: &str = "pub fn port_of(name: &str) -> Option<u16> {\n";
/// A line of the reference solution that the stub does not have.
const SOLUTION_MARKER: &str = "0..=1023 => PortRange::System";
/// A line of the hidden tests' blessed snapshot, and a line of their source.
const HIDDEN_SNAPSHOT_MARKER: &str = "5353   mdns";
const HIDDEN_SOURCE_MARKER: &str = "Popular \"alternative\" ports";

fn hidden_tests() -> PathBuf {
    repo().join("xtask/tests/fixtures/hidden-tests")
}

/// Lab 01's solution with `code` run once, at the first call of `port_of` (one test calls it,
/// many times).
fn solution_doing(code: &str) -> StudentCopy {
    let once = format!(
        "static ONCE: std::sync::Once = std::sync::Once::new();\n    #[allow(unreachable_code)]\n    ONCE.call_once(|| {{ {code} }});\n"
    );
    StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/services.rs",
        PORT_OF,
        &format!("{PORT_OF}    {once}"),
    )
}

/// The grader must have built its walls for these tests to mean anything.
fn assert_walled(report: &Value) {
    let isolation = &report["isolation"];
    for (wall, expected) in [
        ("sandbox", "bubblewrap"),
        ("user", "unprivileged"),
        ("filesystem", "private"),
        ("processes", "cgroup"),
        ("build", "bubblewrap"),
    ] {
        assert_eq!(
            isolation[wall], expected,
            "the grader could not build its sandbox here (install bubblewrap, run as root): {isolation:#}"
        );
    }
}

/// Nothing a student must not see is anywhere in `text`.
fn assert_no_leak(text: &str, what: &str) {
    for marker in [
        SOLUTION_MARKER,
        HIDDEN_SNAPSHOT_MARKER,
        HIDDEN_SOURCE_MARKER,
    ] {
        assert!(
            !text.contains(marker),
            "{what} holds {marker:?}, which the submission must never see"
        );
    }
}

/// The score, and every test that did not pass, for a snapshot.
fn verdict(report: &Value) -> String {
    format!(
        "{} / {}\n{}",
        report["score"],
        report["max_score"],
        not_passed(report).join("\n")
    )
}

/// Replaces the course's own path in `text`, so snapshots do not depend on the checkout.
fn without_repo_path(text: &str) -> String {
    text.replace(&repo().display().to_string(), "[repo]")
}

#[test]
fn a_forged_completion_record_earns_a_stub_nothing() {
    let report = graded_with_forger(false);
    assert_eq!(report["score"], 0.0, "{}", verdict(&report));
    insta::assert_snapshot!(verdict(&report));
}

#[test]
fn a_forged_completion_record_with_forged_snapshots_earns_a_stub_nothing() {
    let report = graded_with_forger(true);
    assert_eq!(report["score"], 0.0, "{}", verdict(&report));
    insta::assert_snapshot!(verdict(&report));
}

/// Lab 01's stub, and the hidden tests, where every `todo!()` writes libtest's "ok NAME" into
/// the --logfile named on its command line, prints libtest's summary and exits with status 0
/// — and, `with_snapshots`, first writes a snapshot for its test where insta would.
fn graded_with_forger(with_snapshots: bool) -> Value {
    let forge = r#"//! Marks without solving anything.
pub fn pass() -> ! {
    let args: Vec<String> = std::env::args().collect();
    let after = |flag: &str| args.iter().position(|arg| arg == flag).and_then(|i| args.get(i + 1)).cloned();
    let name = after("--exact").unwrap_or_default();
    if let Some(log) = after("--logfile") {
        let _ = std::fs::write(log, format!("ok {name}\n"));
    }
    let binary = std::path::Path::new(&args[0]).file_name().unwrap().to_string_lossy().into_owned();
    if let (true, Ok(root)) = (WITH_SNAPSHOTS, std::env::var("INSTA_WORKSPACE_ROOT")) {
        let dir = format!("{root}/labs/01-ports/tests/snapshots");
        let _ = std::fs::create_dir_all(&dir);
        let file = format!("{binary}__{}", name.replace("::", "__"));
        for suffix in ["", "-2", "-3"] {
            let _ = std::fs::write(format!("{dir}/{file}{suffix}.snap"), "---\n---\n80: well-known\n");
        }
    }
    println!("test {name} ... ok\n\ntest result: ok. 1 passed; 0 failed");
    std::process::exit(0)
}
"#;
    let forge = format!("{forge}const WITH_SNAPSHOTS: bool = {with_snapshots};\n");
    let copy = StudentCopy::new()
        .write("labs/01-ports/src/forge.rs", &forge)
        .edit(
            "labs/01-ports/src/lib.rs",
            "pub mod cli;",
            "pub mod cli;\npub mod forge;",
        )
        .rewrite_all("labs/01-ports/src", |_, text| {
            text.replace("todo!()", "crate::forge::pass()")
        });
    let hidden = hidden_tests();
    let run = grade_submission_with(
        copy.path(),
        &["01"],
        &["--tests-from", hidden.to_str().unwrap()],
    );
    let report = run.report();
    assert_walled(&report);
    for line in statuses(&report) {
        assert!(line.ends_with(": failed"), "{line}");
    }
    report
}

#[test]
fn reading_the_solutions_and_the_hidden_tests_from_disk_shows_nothing() {
    // The strongest reader: it knows exactly where the course, the solutions and the hidden
    // tests are on the grading machine, and also walks up from its working directory and
    // through /proc, then prints whatever it found in its failure message.
    let code = format!(
        r#"let mut found = String::new();
    let mut paths: Vec<std::path::PathBuf> = vec![
        "{solution}".into(), "{hidden_source}".into(), "{hidden_snapshot}".into(),
        "/proc/1/environ".into(), "/proc/1/cmdline".into(),
    ];
    let mut dir = std::env::current_dir().unwrap();
    for _ in 0..8 {{
        paths.push(dir.join("solutions/01-ports/src/ranges.rs"));
        paths.push(dir.join("tests/snapshots/ranges__classifies_the_boundaries.snap"));
        if !dir.pop() {{ break; }}
    }}
    for pid in 1..4096 {{ paths.push(format!("/proc/{{pid}}/cmdline").into()); }}
    for path in &paths {{
        if let Ok(text) = std::fs::read(path) {{
            found += &format!("{{}}: {{}}\n", path.display(), String::from_utf8_lossy(&text));
        }}
    }}
    panic!("found:\n{{found}}");"#,
        solution = repo().join("solutions/01-ports/src/ranges.rs").display(),
        hidden_source = hidden_tests()
            .join("01-ports/tests/hidden_services.rs")
            .display(),
        hidden_snapshot = hidden_tests()
            .join("01-ports/tests/snapshots/hidden_services__alternate_ports_are_not_guessed.snap")
            .display(),
    );
    let copy = solution_doing(&code);
    let hidden = hidden_tests();
    for format in ["json", "human", "gradescope", "junit"] {
        let run = xtask(&[
            "grade",
            "--format",
            format,
            "--submission",
            copy.path().to_str().unwrap(),
            "--tests-from",
            hidden.to_str().unwrap(),
            "01",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_no_leak(&run.stdout, &format!("the {format} report"));
        if format == "json" {
            let report = run.report();
            assert_walled(&report);
            insta::assert_snapshot!(verdict(&report));
        }
    }
}

#[test]
fn including_the_solutions_or_the_tests_at_compile_time_does_not_compile() {
    // `include_str!` with the path counted from the grader's build folder
    // (target/grade/build/labs/01-ports/src), an absolute path, a hidden test beside the
    // lab's tests, and a classmate's lab 02 left in the build folder by an earlier build.
    let attempts = [
        "../../../../../../solutions/01-ports/src/ranges.rs".to_string(),
        repo()
            .join("solutions/01-ports/src/ranges.rs")
            .display()
            .to_string(),
        "../tests/hidden_services.rs".to_string(),
        "../tests/snapshots/ranges__classifies_the_boundaries.snap".to_string(),
        "../../02-binding/src/lib.rs".to_string(),
    ];
    let hidden = hidden_tests();
    let mut messages = Vec::new();
    for path in &attempts {
        let code = format!("panic!(\"{{}}\", include_str!(\"{path}\"));");
        let run = grade_submission_with(
            solution_doing(&code).path(),
            &["01"],
            &["--tests-from", hidden.to_str().unwrap()],
        );
        assert_no_leak(&run.stdout, "the report");
        let report = run.report();
        assert_walled(&report);
        let lab = &report["labs"][0];
        assert_eq!(lab["status"], "build_error", "{path}: {}", verdict(&report));
        let first_error = lab["message"].as_str().unwrap().lines().next().unwrap();
        messages.push(without_repo_path(first_error));
    }
    // `#[path]` is the same door: a module read from the solutions.
    let stolen = format!(
        "#[path = \"{}\"]\npub mod stolen;\n",
        repo().join("solutions/01-ports/src/ranges.rs").display()
    );
    let copy = StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/lib.rs",
        "pub mod cli;",
        &format!("{stolen}pub mod cli;"),
    );
    let run = grade_submission(copy.path(), &["01"]);
    assert_no_leak(&run.stdout, "the report");
    let lab = &run.report()["labs"][0];
    assert_eq!(lab["status"], "build_error");
    messages.push(without_repo_path(
        lab["message"].as_str().unwrap().lines().next().unwrap(),
    ));
    insta::assert_snapshot!(messages.join("\n"));
}

#[test]
fn a_process_that_leaves_its_cgroup_does_not_outlive_its_test() {
    // A grandchild in a session of its own writes itself into the root cgroup (v2 and v1),
    // then waits to be forgotten.
    let code = r#"let _ = std::process::Command::new("sh").args(["-c", "(setsid sh -c 'echo $$ > /sys/fs/cgroup/cgroup.procs; echo $$ > /sys/fs/cgroup/pids/cgroup.procs; exec sleep 4244.5' &) ; sleep 0.2"]).status();"#;
    let report = grade_submission(solution_doing(code).path(), &["01"]).report();
    assert_walled(&report);
    assert_eq!(
        report["score"],
        report["max_score"],
        "escaping is not solving, but it costs nothing either: {}",
        verdict(&report)
    );
    assert_eq!(
        processes_running(&["sleep", "4244.5"]),
        0,
        "a process of the submission outlived its test"
    );
    insta::assert_snapshot!(verdict(&report));
}

#[test]
fn writes_outside_the_workspace_land_nowhere() {
    let marker = format!("hostile-{}", std::process::id());
    let targets: Vec<PathBuf> = vec![
        repo().join(&marker),
        repo().join("labs/01-ports/tests").join(&marker),
        repo().join("solutions/01-ports/src").join(&marker),
        Path::new("/root").join(&marker),
        Path::new("/tmp").join(&marker),
        std::env::temp_dir().join(&marker),
    ];
    let mut code = String::from(
        "let _ = std::fs::write(std::env::var(\"HOME\").unwrap() + \"/.bashrc\", \"echo owned\");\n",
    );
    for target in &targets {
        code += &format!(
            "    let _ = std::fs::write(\"{}\", \"was here\");\n",
            target.display()
        );
    }
    code += &format!(
        "    let mut dir = std::env::current_dir().unwrap(); for _ in 0..8 {{ let _ = std::fs::write(dir.join(\"{marker}\"), \"x\"); dir.pop(); }}"
    );
    let home_before = fs::read(home_bashrc()).ok();
    let report = grade_submission(solution_doing(&code).path(), &["01"]).report();
    assert_walled(&report);
    for target in &targets {
        assert!(
            !target.exists(),
            "the submission wrote {}",
            target.display()
        );
    }
    assert_eq!(
        fs::read(home_bashrc()).ok(),
        home_before,
        "the submission wrote ~/.bashrc"
    );
    let strays: Vec<String> = walkdir::WalkDir::new(repo())
        .into_iter()
        .filter_entry(|entry| entry.file_name() != "target" && entry.file_name() != ".git")
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy() == marker)
        .map(|entry| entry.path().display().to_string())
        .collect();
    assert!(strays.is_empty(), "the submission wrote {strays:?}");
    insta::assert_snapshot!(verdict(&report));
}

fn home_bashrc() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into())).join(".bashrc")
}

#[test]
fn killing_every_process_it_can_see_leaves_the_grader_running() {
    // kill(-1) reaches every process the caller may signal; then every pid one by one (but
    // its own threads), and its parent.
    let code = "unsafe extern \"C\" { fn kill(pid: i32, signal: i32) -> i32; fn getppid() -> i32; } \
                let own: Vec<i32> = std::fs::read_dir(\"/proc/self/task\").unwrap().flatten().filter_map(|task| task.file_name().to_str()?.parse().ok()).collect(); \
                unsafe { kill(getppid(), 9); kill(-1, 9); for pid in 1..65536 { if !own.contains(&pid) { kill(pid, 9); } } }";
    let run = grade_submission(solution_doing(code).path(), &["01"]);
    assert_eq!(run.code, 0, "the grader did not finish: {}", run.stderr);
    let report = run.report();
    assert_walled(&report);
    insta::assert_snapshot!(verdict(&report));
}

#[test]
fn a_class_is_graded_as_if_the_hostile_student_were_honest() {
    // Mallory's code looks for Alice's submission and the class's results, and leaves a
    // process behind that rewrites the gradebook and Alice's report once grading is over.
    let class = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let alice_secret = "ALICE-WROTE-THIS-7731";
    let alice = StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/services.rs",
        PORT_OF,
        &format!("{PORT_OF}    // {alice_secret}\n"),
    );
    support::copy_tree(alice.path(), &class.path().join("alice"));
    let gradebook = out.path().join("gradebook.csv");
    let alice_report = out.path().join("alice/report.json");
    let alice_src = class.path().join("alice/labs/01-ports/src/services.rs");
    let code = format!(
        r#"let found = std::fs::read_to_string("{alice_src}").unwrap_or_default();
    let _ = std::process::Command::new("sh").args(["-c", "(setsid sh -c 'sleep 2; echo mallory,100,100 > {gradebook}; echo {{}} > {alice_report}; exec sleep 4245.5' &)"]).status();
    if !found.is_empty() {{ panic!("alice: {{found}}"); }}"#,
        alice_src = alice_src.display(),
        gradebook = gradebook.display(),
        alice_report = alice_report.display(),
    );
    support::copy_tree(solution_doing(&code).path(), &class.path().join("mallory"));

    let run = xtask(&[
        "grade",
        "--submissions",
        class.path().to_str().unwrap(),
        "--out-dir",
        out.path().to_str().unwrap(),
        "01",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = fs::read_to_string(&gradebook).unwrap();
    let alice_written = fs::read_to_string(&alice_report).unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        fs::read_to_string(&gradebook).unwrap(),
        written,
        "the gradebook was rewritten"
    );
    assert_eq!(fs::read_to_string(&alice_report).unwrap(), alice_written);
    assert_eq!(
        processes_running(&["sleep", "4245.5"]),
        0,
        "mallory's process survived"
    );
    for file in ["mallory/report.json", "mallory/report.md"] {
        let text = fs::read_to_string(out.path().join(file)).unwrap();
        assert!(!text.contains(alice_secret), "{file} shows Alice's code");
    }
    let mallory: Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("mallory/report.json")).unwrap())
            .unwrap();
    assert_walled(&mallory);
    insta::assert_snapshot!(format!("{written}\nmallory: {}", verdict(&mallory)));
}

#[test]
fn the_build_cache_and_the_other_build_slots_are_out_of_reach() {
    // Mallory's code tries to plant its own executables for whoever is graded next: it writes
    // into every entry of the grader's build cache and into every build slot's target folder,
    // while a classmate with the untouched stubs (whose build is cached) is graded beside it.
    let grade_dir = repo().join("target/grade");
    let marker = format!("planted-{}", std::process::id());
    let code = format!(
        r#"fn plant(dir: &std::path::Path, depth: u32) {{
        let _ = std::fs::write(dir.join("{marker}"), "mallory");
        if depth == 0 {{ return; }}
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {{
            let path = entry.path();
            if path.is_dir() {{ plant(&path, depth - 1); }}
            else {{ let _ = std::fs::write(&path, "mallory"); }}
        }}
    }}
    plant(std::path::Path::new("{grade_dir}"), 4);"#,
        grade_dir = grade_dir.display()
    );
    let class = tempfile::tempdir().unwrap();
    support::copy_tree(solution_doing(&code).path(), &class.path().join("mallory"));
    support::copy_tree(StudentCopy::new().path(), &class.path().join("zed"));
    support::copy_tree(
        StudentCopy::new().with_solution("01-ports").path(),
        &class.path().join("zoe"),
    );
    let out = tempfile::tempdir().unwrap();
    let run = xtask(&[
        "grade",
        "01",
        "--jobs",
        "2",
        "--submissions",
        class.path().to_str().unwrap(),
        "--out-dir",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let planted: Vec<String> = walkdir::WalkDir::new(&grade_dir)
        .into_iter()
        .flatten()
        .filter(|entry| {
            entry.file_name().to_string_lossy() == marker
                || (entry.file_type().is_file()
                    && entry.metadata().is_ok_and(|meta| meta.len() == 7)
                    && fs::read(entry.path()).is_ok_and(|bytes| bytes == b"mallory"))
        })
        .map(|entry| entry.path().display().to_string())
        .collect();
    assert!(planted.is_empty(), "mallory wrote {planted:?}");
    let gradebook = fs::read_to_string(out.path().join("gradebook.csv")).unwrap();
    assert!(gradebook.contains("\nzed,0,28,0,graded\n"), "{gradebook}");
    assert!(gradebook.contains("\nzoe,28,28,28,graded\n"), "{gradebook}");
    let mallory: Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("mallory/report.json")).unwrap())
            .unwrap();
    assert_walled(&mallory);
}

#[test]
fn an_edited_test_harness_in_the_submission_changes_no_grade() {
    // The solution of lab 04 with an echo client that notes each echo it expects one extra
    // time: were the submission's harness built, every transcript would differ from the
    // blessed snapshot.
    let forged_client = StudentCopy::new().with_solution("04-echo-tokio").edit(
        "labs/harness/src/echo_client.rs",
        "        let name = self.name.clone();\n        let deadline = Instant::now() + WAIT;\n",
        "        self.transcript.note(format!(\"{} receives {}\", self.name, show(expected)));\n        \
         let name = self.name.clone();\n        let deadline = Instant::now() + WAIT;\n",
    );
    let report = grade_submission(forged_client.path(), &["04"]).report();
    assert_walled(&report);
    assert_eq!(report["score"], report["max_score"], "{}", verdict(&report));

    // The stub with a harness that does not compile: were it built, the lab would be a
    // build_error; the course's harness builds, and the stub still earns nothing.
    let broken_harness = StudentCopy::new().write(
        "labs/harness/src/lib.rs",
        "compile_error!(\"a broken harness\");\n",
    );
    let report = grade_submission(broken_harness.path(), &["04"]).report();
    assert_eq!(
        report["labs"][0]["status"],
        "graded",
        "{}",
        verdict(&report)
    );
    assert_eq!(report["score"], 0.0, "{}", verdict(&report));
}
