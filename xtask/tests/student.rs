//! The student loop from a fresh clone, headless: `list`, `hint` and `reset`, on a scratch
//! copy of the course that is its own git repository (as a student's clone is).

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use support::{CourseCopy, Run, repo};

/// A course copy with labs 01 and 02, committed to a new git repository.
fn fresh_clone() -> CourseCopy {
    let copy = CourseCopy::with_labs(&["01-ports", "02-binding"]);
    for args in [
        &["init", "--quiet"][..],
        &["add", "--all"],
        &[
            "-c",
            "user.name=Student",
            "-c",
            "user.email=student@example.org",
            "commit",
            "--quiet",
            "--message",
            "The course",
        ],
    ] {
        let status = Command::new("git")
            .args(args)
            .current_dir(copy.path())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?} failed");
    }
    copy
}

fn solve(copy: &CourseCopy, lab: &str, file: &str) {
    fs::copy(
        repo().join("solutions").join(lab).join("src").join(file),
        copy.path().join("labs").join(lab).join("src").join(file),
    )
    .unwrap();
}

fn row<'a>(run: &'a Run, lab: &str) -> &'a str {
    run.stdout
        .lines()
        .find(|line| line.starts_with(lab))
        .unwrap_or_else(|| panic!("`list` has no line for {lab}:\n{}", run.stdout))
}

fn hint_count(lab: &str) -> usize {
    let manifest: toml::Table = toml::from_str(
        &fs::read_to_string(repo().join("labs").join(lab).join("lab.toml")).unwrap(),
    )
    .unwrap();
    manifest["hints"].as_array().unwrap().len()
}

#[test]
fn list_follows_the_work_from_not_started_to_done() {
    let copy = fresh_clone();
    let run = copy.xtask(&["list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("list_on_a_fresh_clone", run.stdout);

    solve(&copy, "01-ports", "ranges.rs");
    let run = copy.xtask(&["list"]);
    assert!(
        row(&run, "01-ports").ends_with("-/28  in progress, not graded yet"),
        "{}",
        run.stdout
    );

    let graded = copy.xtask(&["grade", "01"]);
    assert_eq!(graded.code, 0, "{}", graded.stderr);
    let run = copy.xtask(&["list"]);
    let line = row(&run, "01-ports");
    assert!(
        line.contains("4/28") && line.contains("tests to go (graded just now)"),
        "after solving ranges.rs (2 tests, 4 points), list shows: {line}"
    );
    assert!(run.stdout.contains("Next: 01-ports"), "{}", run.stdout);

    fs::write(
        copy.path().join("labs/01-ports/src/ranges.rs"),
        fs::read_to_string(copy.path().join("labs/01-ports/src/ranges.rs")).unwrap()
            + "\n// more\n",
    )
    .unwrap();
    let run = copy.xtask(&["list"]);
    assert!(
        row(&run, "01-ports")
            .contains("changed since its last grade (4/28 just now): grade it again"),
        "{}",
        run.stdout
    );

    for file in fs::read_dir(repo().join("solutions/01-ports/src")).unwrap() {
        solve(
            &copy,
            "01-ports",
            file.unwrap().file_name().to_str().unwrap(),
        );
    }
    let graded = copy.xtask(&["grade", "01"]);
    assert_eq!(graded.code, 0, "{}", graded.stderr);
    let run = copy.xtask(&["list"]);
    assert!(
        row(&run, "01-ports").ends_with("28/28  done"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Next: 02-binding (") && run.stdout.contains("`cargo xtask watch 02`"),
        "{}",
        run.stdout
    );
}

#[test]
fn hints_come_one_at_a_time_and_can_be_asked_for_by_number() {
    let copy = fresh_clone();
    let count = hint_count("02-binding");
    assert!(count >= 2, "lab 02 needs at least two hints to test");

    let first = copy.xtask(&["hint", "02"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first
            .stdout
            .starts_with(&format!("Hint 1 of {count} for 02-binding")),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains("`cargo xtask hint 02` shows hint 2"),
        "{}",
        first.stdout
    );

    let second = copy.xtask(&["hint", "binding"]);
    assert!(
        second.stdout.starts_with(&format!("Hint 2 of {count}")),
        "{}",
        second.stdout
    );
    assert_ne!(first.stdout, second.stdout);

    let again = copy.xtask(&["hint", "02", "1"]);
    assert_eq!(
        again.stdout, first.stdout,
        "asking for hint 1 shows hint 1 again"
    );
    let next = copy.xtask(&["hint", "02"]);
    assert!(
        next.stdout
            .starts_with(&format!("Hint {} of {count}", 3.min(count))),
        "going back to hint 1 does not forget hint 2 was seen: {}",
        next.stdout
    );

    let last = copy.xtask(&["hint", "02", &count.to_string()]);
    assert!(
        last.stdout.contains("That was the last hint"),
        "{}",
        last.stdout
    );
    let past = copy.xtask(&["hint", "02"]);
    assert!(
        past.stdout.starts_with(&format!("Hint {count} of {count}")),
        "{}",
        past.stdout
    );

    for (args, message) in [
        (
            &["hint", "02", "99"][..],
            format!("lab 02-binding has {count} hints: ask for one from 1 to {count}"),
        ),
        (
            &["hint", "02", "0"][..],
            format!("lab 02-binding has {count} hints: ask for one from 1 to {count}"),
        ),
        (
            &["hint", "nope"],
            "there is no lab named \"nope\"".to_string(),
        ),
    ] {
        let run = copy.xtask(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
        assert!(run.stderr.contains(&message), "{}", run.stderr);
    }
}

/// The blob ids of a lab's `src/` files, as git names them.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            (
                entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .display()
                    .to_string(),
                fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn reset_restores_the_starting_code_and_keeps_the_work() {
    let copy = fresh_clone();
    let src = copy.path().join("labs/01-ports/src");
    let starting = files_of(&src);
    let untouched = copy.xtask(&["reset", "01", "--yes"]);
    assert_eq!(untouched.code, 0, "{}", untouched.stderr);
    assert!(
        untouched.stdout.contains("already the starting code"),
        "{}",
        untouched.stdout
    );

    solve(&copy, "01-ports", "ranges.rs");
    fs::write(src.join("notes.rs"), "// my notes\n").unwrap();
    let work = files_of(&src);

    let unconfirmed = copy.xtask(&["reset", "01"]);
    assert_eq!(unconfirmed.code, 2);
    assert!(
        unconfirmed
            .stderr
            .contains("run `cargo xtask reset 01 --yes`"),
        "{}",
        unconfirmed.stderr
    );
    assert_eq!(files_of(&src), work, "an unconfirmed reset changes nothing");

    let reset = copy.xtask(&["reset", "01", "--yes"]);
    assert_eq!(reset.code, 0, "{}", reset.stderr);
    assert_eq!(
        files_of(&src),
        starting,
        "the starting code is back, and notes.rs is gone"
    );
    let backup = reset
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("Your work is in "))
        .and_then(|rest| rest.strip_suffix(": copy back what you need."))
        .unwrap_or_else(|| panic!("reset does not say where the work is:\n{}", reset.stdout));
    assert!(backup.starts_with("backups/01-ports-"), "{backup}");
    assert_eq!(
        files_of(&copy.path().join(backup).join("src")),
        work,
        "the backup is the work"
    );
    let list = copy.xtask(&["list"]);
    assert!(
        row(&list, "01-ports").ends_with("0/28  not started"),
        "{}",
        list.stdout
    );

    // A src/ deleted by mistake: list says how to get it back, and reset does.
    fs::remove_dir_all(&src).unwrap();
    let list = copy.xtask(&["list"]);
    assert!(
        row(&list, "01-ports")
            .ends_with("src/ is missing: `cargo xtask reset` puts the starting code back"),
        "{}",
        list.stdout
    );
    let reset = copy.xtask(&["reset", "01", "--yes"]);
    assert_eq!(reset.code, 0, "{}", reset.stderr);
    assert!(
        reset.stdout.contains("There was no src/ to back up."),
        "{}",
        reset.stdout
    );
    assert_eq!(files_of(&src), starting);
}

#[test]
fn reset_without_the_git_history_changes_nothing() {
    let copy = CourseCopy::with_labs(&["01-ports"]);
    solve(&copy, "01-ports", "ranges.rs");
    let src = copy.path().join("labs/01-ports/src");
    let work = files_of(&src);
    let run = copy.xtask(&["reset", "01", "--yes"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("cannot reset 01-ports; your files are untouched")
            && run.stderr.contains("not a git clone of the course"),
        "{}",
        run.stderr
    );
    assert_eq!(files_of(&src), work);
    assert!(!copy.path().join("backups").exists());
}
