//! `cargo xtask similarity` on a class as an instructor has it: a reference solution handed in
//! by alice, bob's copy of it with the helpers renamed and reordered (handed in as a zip),
//! carol's own solution written independently, dave's untouched stub, and a stray notes file.
//! Dolos runs for real; the report is read as the instructor reads it, in Chromium.

mod support;

use std::fs;
use std::path::Path;

use support::{StudentCopy, copy_tree, rendered_in_chromium, repo, xtask};

/// A class folder with the four students and a file that is no submission.
fn class(dir: &Path) {
    let fixtures = repo().join("xtask/tests/fixtures/similarity");
    StudentCopy::new()
        .with_solution("01-ports")
        .hand_in(dir, "alice");
    let with_fixture = |student: &str| {
        let copy = StudentCopy::new();
        let src = copy.path().join("labs/01-ports/src");
        fs::remove_dir_all(&src).unwrap();
        copy_tree(&fixtures.join(student).join("labs/01-ports/src"), &src);
        copy
    };
    with_fixture("bob").zip_labs(&dir.join("bob.zip"));
    with_fixture("carol").hand_in(dir, "carol");
    StudentCopy::new().hand_in(dir, "dave");
    fs::write(dir.join("notes.txt"), "who handed in late").unwrap();
}

/// The ranked pairs of `similarity.csv`: lab, the two students, whether flagged.
fn ranking(out: &Path) -> Vec<(String, String, String, bool, f64)> {
    let text = fs::read_to_string(out.join("similarity.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "rank,lab,student_a,student_b,similarity,longest_fragment,shared_kgrams,flagged,report"
        )
    );
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (
                fields[1].to_string(),
                fields[2].to_string(),
                fields[3].to_string(),
                fields[7] == "true",
                fields[4].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_planted_copy_ranks_first_and_the_independent_solution_is_not_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let submissions = dir.path().join("class");
    let out = dir.path().join("out");
    class(&submissions);
    let run = xtask(&[
        "similarity",
        "--submissions",
        submissions.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "01",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("skipped") && run.stderr.contains("notes.txt"),
        "the stray file is named, not compared: {}",
        run.stderr
    );
    assert!(
        run.stdout.contains("dave: 01-ports is the shipped stub"),
        "{}",
        run.stdout
    );

    let ranking = ranking(&out);
    let pairs: Vec<(&str, &str, bool)> = ranking
        .iter()
        .map(|(_, a, b, flagged, _)| (a.as_str(), b.as_str(), *flagged))
        .collect();
    // The two pairs with carol score alike; which of them comes second does not matter.
    let mut honest_pairs = pairs[1..].to_vec();
    honest_pairs.sort();
    assert_eq!(
        (pairs[0], honest_pairs),
        (
            ("alice", "bob", true),
            vec![("alice", "carol", false), ("bob", "carol", false)]
        ),
        "the copy first and alone flagged; dave's stub is in no pair: {ranking:?}"
    );
    let copied = ranking[0].4;
    let honest = ranking[1].4;
    assert!(
        copied >= 0.4 && honest < 0.25,
        "renaming and reordering hide nothing ({copied}), the stub's code counts for nothing ({honest})"
    );

    let pair_page = out.join("similarity/01-ports/alice--bob.html");
    let dom = rendered_in_chromium(&pair_page);
    assert!(
        dom.contains("<h1>01-ports: alice and bob</h1>"),
        "{}",
        &dom[..dom.len().min(2000)]
    );
    let marked = dom.matches("<mark class=\"f").count();
    assert!(
        marked > 10,
        "shared fragments are marked on both sides ({marked})"
    );
    // The helper bob renamed is shared code all the same, on both sides.
    let inside_a_mark = |text: &str| {
        let at = dom.find(text).unwrap_or_else(|| panic!("{text} is shown"));
        let opened = dom[..at].rfind("<mark");
        opened.is_some() && opened > dom[..at].rfind("</mark>")
    };
    for name in ["parse_ipv6_endpoint", "bracketed_form"] {
        assert!(inside_a_mark(name), "{name} is in a shared fragment");
    }
    let index = rendered_in_chromium(&out.join("similarity.html"));
    assert!(index.contains("href=\"similarity/01-ports/alice--bob.html\""));
    assert!(!out.join("similarity/01-ports/alice--carol.html").exists());
}

#[test]
fn a_missing_class_folder_or_a_threshold_out_of_range_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let run = xtask(&[
        "similarity",
        "--submissions",
        missing.to_str().unwrap(),
        "--out-dir",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    let run = xtask(&[
        "similarity",
        "--submissions",
        dir.path().to_str().unwrap(),
        "--out-dir",
        dir.path().join("out").to_str().unwrap(),
        "--threshold",
        "60",
    ]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("from 0 to 1"), "{}", run.stderr);
}
