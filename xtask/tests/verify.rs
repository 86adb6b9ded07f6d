//! `cargo xtask verify`: the course as shipped is ready, and each kind of fault an author
//! can make is reported.

mod support;

use std::fs;

use support::{CourseCopy, xtask};

#[test]
fn the_course_is_ready_to_ship() {
    let run = xtask(&["verify"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    insta::assert_snapshot!(run.stdout);
}

fn edit(copy: &CourseCopy, file: &str, from: &str, to: &str) {
    let path = copy.path().join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn every_kind_of_fault_is_reported() {
    let copy = CourseCopy::with_labs(&["01-ports"]);
    let lab_toml = copy.path().join("labs/01-ports/lab.toml");
    let text = fs::read_to_string(&lab_toml).unwrap();
    // No hints any more, and a test worth 3 points instead of 2.
    let without_hints: String = {
        let start = text.find("\nhints = [").expect("lab 01 has hints");
        let end = start + text[start..].find("\n]").unwrap() + 2;
        format!("{}{}", &text[..start], &text[end..])
    };
    fs::write(&lab_toml, without_hints).unwrap();
    edit(
        &copy,
        "labs/01-ports/lab.toml",
        "[tests.\"ranges::classifies_the_boundaries\"]\npoints = 2",
        "[tests.\"ranges::classifies_the_boundaries\"]\npoints = 3",
    );
    // The chapter loses a section.
    edit(
        &copy,
        "book/src/01-ports.md",
        "## Further reading",
        "## Read more",
    );
    // The stub changes after it was recorded, and a test that checks nothing is added.
    edit(
        &copy,
        "labs/01-ports/src/ranges.rs",
        "//!",
        "// A note.\n//!",
    );
    let tests = copy.path().join("labs/01-ports/tests/ranges.rs");
    let mut test_text = fs::read_to_string(&tests).unwrap();
    test_text.push_str("\n#[test]\nfn always_passes() {}\n");
    fs::write(&tests, test_text).unwrap();
    // The stub of a lab must compile: lab 01's stub gets a typo in a second copy below.

    let run = copy.xtask(&["verify", "01"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let problems: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("- "))
        .collect();
    insta::assert_snapshot!(problems.join("\n"));

    let broken = CourseCopy::with_labs(&["01-ports"]);
    edit(&broken, "labs/01-ports/src/ranges.rs", "todo!(", "todo!(;");
    let run = broken.xtask(&["verify", "01"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("- labs/01-ports: the stub must compile"),
        "{}",
        run.stdout
    );
}

#[test]
fn bless_shows_what_changed_and_check_writes_nothing() {
    let copy = CourseCopy::with_labs(&["01-ports"]);
    let snapshot = "labs/01-ports/tests/snapshots/cli__reports_bad_input_as_an_error.snap";
    let blessed = fs::read_to_string(copy.path().join(snapshot)).unwrap();
    let line = blessed
        .lines()
        .skip_while(|line| *line != "---")
        .nth(2)
        .expect("the snapshot has a body after its header")
        .to_string();
    edit(&copy, snapshot, &line, "an old line");
    let edited = fs::read_to_string(copy.path().join(snapshot)).unwrap();

    let check = copy.xtask(&["bless", "01", "--check"]);
    assert_eq!(check.code, 1, "{}\n{}", check.stdout, check.stderr);
    assert_eq!(
        fs::read_to_string(copy.path().join(snapshot)).unwrap(),
        edited,
        "--check writes nothing"
    );

    let bless = copy.xtask(&["bless", "01"]);
    assert_eq!(bless.code, 0, "{}\n{}", bless.stdout, bless.stderr);
    assert!(
        bless
            .stdout
            .starts_with("01-ports: 0 new, 1 changed, 0 removed, 17 unchanged"),
        "{}",
        bless.stdout
    );
    for shown in ["-an old line".to_string(), format!("+{line}")] {
        assert!(
            bless.stdout.lines().any(|printed| printed.trim() == shown),
            "the diff should show {shown:?}:\n{}",
            bless.stdout
        );
    }
    assert_eq!(
        fs::read_to_string(copy.path().join(snapshot)).unwrap(),
        blessed
    );
}
