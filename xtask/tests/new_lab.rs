//! `cargo xtask new-lab`: a new lab from the template, made on a scratch copy of the course and
//! graded there through the real pipeline, as its author would.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{CourseCopy, Run, files_below};
use walkdir::WalkDir;

/// What `new-lab udp-echo` creates next to lab 01 (`stub.lock` is checked on its own).
const NEW_FILES: [&str; 7] = [
    "labs/02-udp-echo/Cargo.toml",
    "labs/02-udp-echo/lab.toml",
    "labs/02-udp-echo/src/lib.rs",
    "labs/02-udp-echo/tests/udp_echo.rs",
    "labs/02-udp-echo/tests/snapshots/udp_echo__listens_on_a_port_the_os_chose.snap",
    "solutions/02-udp-echo/src/lib.rs",
    "book/src/02-udp-echo.md",
];

#[test]
fn a_new_lab_is_complete_and_its_solution_earns_full_marks_and_its_stub_none() {
    let copy = CourseCopy::with_labs(&["01-ports"]);
    let summary_before = read(&copy, "book/src/SUMMARY.md");
    let readme_before = read(&copy, "README.md");

    let run = copy.xtask(&["new-lab", "udp-echo"]);
    assert_eq!(run.code, 0, "new-lab failed:\n{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!("what_new_lab_prints", run.stdout);

    for file in NEW_FILES {
        let text = read(&copy, file);
        assert!(
            !text.contains("{{"),
            "{file} still holds a template placeholder:\n{text}"
        );
    }
    // The lab ships the snapshot of its one test: exactly what its solution produces.
    let bless = copy.xtask(&["bless", "--check", "02"]);
    assert_eq!(
        bless.code, 0,
        "the new lab's snapshot is not what its solution produces:\n{}{}",
        bless.stdout, bless.stderr
    );

    let summary_line = one_added_line(&summary_before, &read(&copy, "book/src/SUMMARY.md"));
    assert_eq!(summary_line.text, "- [2. Udp echo](02-udp-echo.md)");
    assert_eq!(
        summary_line.after,
        last_line(&summary_before, is_summary_lab_line),
        "the chapter goes right after the last lab's chapter in SUMMARY.md"
    );
    let readme_row = one_added_line(&readme_before, &read(&copy, "README.md"));
    assert_eq!(
        readme_row.text,
        "| `02-udp-echo` | Udp echo | [book/src/02-udp-echo.md](book/src/02-udp-echo.md) |"
    );
    assert_eq!(
        readme_row.after,
        last_line(&readme_before, is_readme_lab_row),
        "the row goes right after the last lab's row of README.md's Labs table"
    );

    check_the_course_conventions(&copy, "02-udp-echo");
    check_the_manifests(&copy);
    check_the_stub_lock(&copy, "02-udp-echo");
    check_the_rust_is_formatted(&copy, "02-udp-echo");

    let solved = copy.xtask(&["grade", "02", "--solutions", "--format", "json"]);
    let report = lab_report(&solved);
    assert_eq!(
        (report["score"].as_f64(), report["max_score"].as_f64()),
        (Some(1.0), Some(1.0)),
        "the new lab's solution should earn full marks:\n{}",
        support::to_pretty(&report)
    );

    let started = copy.xtask(&["grade", "02", "--format", "json"]);
    let report = lab_report(&started);
    assert_eq!(
        report["score"].as_f64(),
        Some(0.0),
        "the new lab's stub should earn nothing:\n{}",
        support::to_pretty(&report)
    );
    for test in report["tests"].as_array().unwrap() {
        let output = test["output"].as_str().unwrap();
        assert!(
            output.starts_with("not yet implemented"),
            "{} should fail with \"not yet implemented\" on the stub, got: {output}",
            test["name"]
        );
    }

    // The copy holds lab 01 alone: the other labs' chapters would be chapters without a lab.
    for chapter in other_lab_chapters(&copy, &["01-ports", "02-udp-echo"]) {
        fs::remove_file(chapter).unwrap();
    }
    let verified = copy.xtask(&["verify", "02"]);
    assert_eq!(
        verified.code, 0,
        "the new lab should pass `cargo xtask verify` as it is:\n{}{}",
        verified.stdout, verified.stderr
    );
}

#[test]
fn a_title_and_the_next_free_number_go_into_every_file() {
    let copy = CourseCopy::with_labs(&["01-ports", "03-loopback"]);
    let title = "The \"echo\" protocol over UDP";
    let run = copy.xtask(&["new-lab", "udp-echo", "--title", title]);
    assert_eq!(run.code, 0, "new-lab failed:\n{}{}", run.stdout, run.stderr);

    let manifest: toml::Table = toml::from_str(&read(&copy, "labs/04-udp-echo/lab.toml")).unwrap();
    assert_eq!(manifest["title"].as_str(), Some(title));
    assert!(
        read(&copy, "book/src/04-udp-echo.md").starts_with(&format!("# 4. {title}\n")),
        "the chapter starts with its number and title"
    );
    assert!(
        read(&copy, "book/src/SUMMARY.md").contains(&format!("\n- [4. {title}](04-udp-echo.md)\n"))
    );
    assert!(read(&copy, "README.md").contains(&format!("\n| `04-udp-echo` | {title} | ")));
    assert!(
        !run.stdout.contains("The title comes from the name"),
        "with --title, the title does not come from the name:\n{}",
        run.stdout
    );
}

#[test]
fn a_bad_name_or_title_exits_2_with_one_line_and_writes_nothing() {
    let copy = CourseCopy::with_labs(&["01-ports"]);
    let before = tree(copy.path());
    let mut messages = String::new();
    let attempts: [&[&str]; 9] = [
        &["Udp_Echo"],
        &["../x"],
        &[""],
        &["ports"],
        &["01-ports"],
        &["udp--echo"],
        &["udp-echo-"],
        &["udp-echo", "--title", "UDP | echo"],
        &["udp-echo", "--title", " "],
    ];
    for arguments in attempts {
        let mut args = vec!["new-lab"];
        args.extend_from_slice(arguments);
        let run = copy.xtask(&args);
        assert_one_line_refusal(&run, &args);
        assert_eq!(
            tree(copy.path()),
            before,
            "`cargo xtask {args:?}` was refused but changed the course"
        );
        messages += &format!("{arguments:?}\n  {}", run.stderr);
    }
    insta::assert_snapshot!(messages);
}

#[test]
fn an_existing_file_in_the_way_is_never_overwritten() {
    let copy = CourseCopy::with_labs(&["01-ports"]);
    let chapter = copy.path().join("book/src/02-udp-echo.md");
    fs::write(&chapter, "an author's draft\n").unwrap();
    let before = tree(copy.path());

    let run = copy.xtask(&["new-lab", "udp-echo"]);
    assert_one_line_refusal(&run, &["new-lab", "udp-echo"]);
    assert!(
        run.stderr
            .contains("book/src/02-udp-echo.md already exists"),
        "the refusal should name the file in the way, got: {}",
        run.stderr
    );
    assert_eq!(tree(copy.path()), before, "new-lab changed the course");
}

#[test]
fn a_write_that_fails_midway_takes_back_everything_written_before() {
    let copy = CourseCopy::with_labs(&["01-ports"]);
    // A file where the solutions folder should be: the lab's own files are written, then
    // solutions/02-udp-echo/src cannot be created.
    fs::remove_dir_all(copy.path().join("solutions")).unwrap();
    fs::write(copy.path().join("solutions"), "not a folder\n").unwrap();
    let before = tree(copy.path());

    let run = copy.xtask(&["new-lab", "udp-echo"]);
    assert_one_line_refusal(&run, &["new-lab", "udp-echo"]);
    assert!(
        run.stderr
            .contains("new-lab stopped and removed what it had written"),
        "got: {}",
        run.stderr
    );
    assert_eq!(
        tree(copy.path()),
        before,
        "what new-lab wrote before the failure should be gone"
    );
}

fn read(copy: &CourseCopy, file: &str) -> String {
    fs::read_to_string(copy.path().join(file))
        .unwrap_or_else(|error| panic!("cannot read {file} of the course copy: {error}"))
}

/// The JSON report's only lab, after checking grading ran.
fn lab_report(run: &Run) -> Value {
    assert_eq!(
        run.code, 0,
        "grading did not run:\n{}{}",
        run.stdout, run.stderr
    );
    let report = run.report();
    let labs = report["labs"].as_array().unwrap();
    assert_eq!(
        labs.len(),
        1,
        "one lab graded:\n{}",
        support::to_pretty(&report)
    );
    assert_eq!(
        labs[0]["status"],
        "graded",
        "the new lab should build:\n{}",
        support::to_pretty(&labs[0])
    );
    labs[0].clone()
}

fn assert_one_line_refusal(run: &Run, args: &[&str]) {
    assert_eq!(
        run.code, 2,
        "`cargo xtask {args:?}` should be refused with exit status 2:\n{}{}",
        run.stdout, run.stderr
    );
    assert_eq!(run.stdout, "", "a refusal prints nothing on stdout");
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "a refusal is one line:\n{}",
        run.stderr
    );
}

/// The one line `after` has that `before` has not, and the line before it.
struct AddedLine {
    text: String,
    after: String,
}

fn one_added_line(before: &str, after: &str) -> AddedLine {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    assert_eq!(new.len(), old.len() + 1, "exactly one line should be added");
    let at = old
        .iter()
        .zip(&new)
        .position(|(old, new)| old != new)
        .unwrap_or(old.len());
    let mut without = new.clone();
    let added = without.remove(at);
    assert_eq!(
        without, old,
        "only one line should be added, nothing else changed"
    );
    assert!(at > 0, "the new line should follow the last lab's");
    AddedLine {
        text: added.to_string(),
        after: new[at - 1].to_string(),
    }
}

fn last_line(text: &str, is_lab_line: fn(&str) -> bool) -> String {
    text.lines()
        .rfind(|line| is_lab_line(line))
        .expect("the course lists at least one lab")
        .to_string()
}

/// `- [1. Port ranges](01-ports.md)`
fn is_summary_lab_line(line: &str) -> bool {
    line.starts_with("- [")
        && line
            .split_once("](")
            .is_some_and(|(_, target)| is_lab_id(target.trim_end_matches(".md)")))
}

/// ``| `01-ports` | … |``
fn is_readme_lab_row(line: &str) -> bool {
    line.strip_prefix("| `")
        .and_then(|rest| rest.split_once('`'))
        .is_some_and(|(id, _)| is_lab_id(id))
}

fn is_lab_id(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() > 3 && bytes[..2].iter().all(u8::is_ascii_digit) && bytes[2] == b'-'
}

/// What tidy.rs checks of every lab, checked of the new lab in the copy.
fn check_the_course_conventions(copy: &CourseCopy, id: &str) {
    let stubs = files_below(&copy.path().join("labs").join(id).join("src"));
    let solution = files_below(&copy.path().join("solutions").join(id).join("src"));
    assert!(!stubs.is_empty(), "labs/{id}/src holds the stub");
    assert_eq!(
        stubs, solution,
        "labs/{id}/src and solutions/{id}/src must hold the same files"
    );
    let manifest: toml::Table =
        toml::from_str(&read(copy, &format!("labs/{id}/lab.toml"))).unwrap();
    let chapter = manifest["chapter"].as_str().unwrap();
    assert_eq!(chapter, format!("{id}.md"));
    assert!(copy.path().join("book/src").join(chapter).is_file());
    assert!(read(copy, "book/src/SUMMARY.md").contains(&format!("({chapter})")));
    assert!(read(copy, "README.md").contains(&format!("| `{id}` |")));
    let test_file = read(copy, &format!("labs/{id}/tests/udp_echo.rs"));
    assert!(
        !test_file.contains("bind(\""),
        "the template's test binds nothing itself"
    );
}

/// `Cargo.toml` names the package; `lab.toml` has placeholder-free hints and one test.
fn check_the_manifests(copy: &CourseCopy) {
    let cargo: toml::Table = toml::from_str(&read(copy, "labs/02-udp-echo/Cargo.toml")).unwrap();
    assert_eq!(cargo["package"]["name"].as_str(), Some("lab02-udp-echo"));
    for inherited in ["edition", "rust-version", "license"] {
        assert_eq!(
            cargo["package"][inherited]["workspace"].as_bool(),
            Some(true),
            "{inherited} comes from the workspace"
        );
    }

    let manifest: toml::Table = toml::from_str(&read(copy, "labs/02-udp-echo/lab.toml")).unwrap();
    assert_eq!(manifest["title"].as_str(), Some("Udp echo"));
    let hints = manifest["hints"].as_array().unwrap();
    assert!(
        hints.len() >= 2,
        "`cargo xtask verify` wants 2 hints or more"
    );
    for hint in hints {
        let hint = hint.as_str().unwrap();
        assert!(
            !hint.contains("TODO") && !hint.contains("{{"),
            "a starter hint has no placeholder: {hint}"
        );
        assert!(
            hint.contains("listen_on_any_port") || hint.contains("127.0.0.1"),
            "a starter hint is about the template's exercise: {hint}"
        );
    }
    let tests = manifest["tests"].as_table().unwrap();
    assert_eq!(
        tests.keys().collect::<Vec<_>>(),
        ["udp_echo::listens_on_a_port_the_os_chose"]
    );
    let test = tests.values().next().unwrap();
    assert_eq!(test["points"].as_integer(), Some(1));
    assert!(test["hint"].as_str().is_some_and(|hint| !hint.is_empty()));

    let chapter = read(copy, "book/src/02-udp-echo.md");
    for section in [
        "## The exercises",
        "## Grading",
        "## Hints",
        "## Further reading",
    ] {
        assert!(
            chapter.lines().any(|line| line == section),
            "the chapter has a `{section}` section"
        );
    }
    assert!(chapter.contains("| `udp_echo::listens_on_a_port_the_os_chose` |"));
    assert!(chapter.contains("| **Total** | | **1** |"));
    assert!(chapter.contains("`cargo xtask hint 02`"));
}

/// The generated Rust is as `cargo fmt` would write it: formatting the workspace must not
/// change a stub (and so its `stub.lock`).
fn check_the_rust_is_formatted(copy: &CourseCopy, id: &str) {
    let files = [
        format!("labs/{id}/src/lib.rs"),
        format!("labs/{id}/tests/udp_echo.rs"),
        format!("solutions/{id}/src/lib.rs"),
    ];
    let output = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .args(files.iter().map(|file| copy.path().join(file)))
        .output();
    match output {
        Err(error) => {
            eprintln!("not checking the format of the new lab: cannot run rustfmt ({error})")
        }
        Ok(output) => assert!(
            output.status.success(),
            "the template's Rust is not formatted as rustfmt would:\n{}",
            String::from_utf8_lossy(&output.stdout)
        ),
    }
}

/// The chapters `book/src/NN-name.md` of labs other than `keep`.
fn other_lab_chapters(copy: &CourseCopy, keep: &[&str]) -> Vec<PathBuf> {
    fs::read_dir(copy.path().join("book/src"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            let id = name.strip_suffix(".md").unwrap_or_default();
            is_lab_id(id) && !keep.contains(&id)
        })
        .collect()
}

/// `stub.lock` records the stub's files by their git blob ids.
fn check_the_stub_lock(copy: &CourseCopy, id: &str) {
    let lab = copy.path().join("labs").join(id);
    let mut expected: Vec<String> = files_below(&lab.join("src"))
        .into_iter()
        .map(|file| {
            let bytes = fs::read(lab.join("src").join(&file)).unwrap();
            format!("{}  src/{}", blob_id(&bytes), file.display())
        })
        .collect();
    expected.sort();
    let lock = read(copy, &format!("labs/{id}/stub.lock"));
    let recorded: Vec<&str> = lock
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .collect();
    assert_eq!(recorded, expected, "stub.lock records labs/{id}/src");
}

/// What `git hash-object` says of these bytes.
fn blob_id(bytes: &[u8]) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher.digest().to_string()
}

/// Every folder and file of the copy with the file's bytes: to see that nothing changed.
fn tree(root: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    WalkDir::new(root)
        .into_iter()
        .map(|entry| entry.unwrap())
        .map(|entry| {
            let contents = entry
                .file_type()
                .is_file()
                .then(|| fs::read(entry.path()).unwrap());
            (
                entry.path().strip_prefix(root).unwrap().to_path_buf(),
                contents,
            )
        })
        .collect()
}
