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
