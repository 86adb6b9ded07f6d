//! `cargo xtask grade --submissions DIR --out-dir OUT`: a class of mixed submissions — folders,
//! zips, tarballs, an empty one, a corrupt one, one that tries to escape its folder — graded
//! into a gradebook, resumed after `kill -9`, and regraded with `--force`.

mod support;

use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::StudentCopy;

/// A .tar.gz whose only entry tries to land outside the folder it is unpacked into.
fn tar_escaping(archive: &Path) {
    let gz =
        flate2::write::GzEncoder::new(File::create(archive).unwrap(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let mut header = tar::Header::new_gnu();
    let payload = b"pwned";
    header.set_size(payload.len() as u64);
    header.set_mode(0o644);
    // Header::set_path refuses "..", so the name is written into the raw header.
    header.as_old_mut().name[..11].copy_from_slice(b"../evil.txt");
    header.set_cksum();
    tar.append(&header, &payload[..]).unwrap();
    tar.into_inner().unwrap().finish().unwrap();
}

/// alice: a folder with lab 01 solved; bob: a zip of the stubs; carol: a tarball of a buggy
/// solution under a top folder; dave: empty; eve: a corrupt zip; frank: a path-escaping tarball.
fn class_folder() -> tempfile::TempDir {
    let class = tempfile::tempdir().unwrap();
    let alice = StudentCopy::new().with_solution("01-ports");
    alice.hand_in(class.path(), "alice");
    StudentCopy::new().zip_labs(&class.path().join("bob.zip"));
    let carol = StudentCopy::new().with_solution("01-ports").edit(
        "labs/01-ports/src/ranges.rs",
        "0..=1023 => PortRange::System,",
        "0..=1024 => PortRange::System,",
    );
    carol.tar_repository(&class.path().join("carol.tar.gz"));
    fs::create_dir(class.path().join("dave")).unwrap();
    fs::write(class.path().join("eve.zip"), b"this is not a zip archive").unwrap();
    tar_escaping(&class.path().join("frank.tar.gz"));
    class
}

fn grade_class(class: &Path, out: &Path, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["grade", "01", "--submissions"])
        .arg(class)
        .arg("--out-dir")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout.replace(out.to_str().unwrap(), "[out]")
}

#[test]
fn a_class_gets_a_gradebook_with_a_row_per_entry_and_a_report_per_student() {
    let class = class_folder();
    let out = tempfile::tempdir().unwrap();
    let summary = grade_class(class.path(), out.path(), &[]);
    insta::assert_snapshot!(summary);
    insta::assert_snapshot!(fs::read_to_string(out.path().join("gradebook.csv")).unwrap());
    for student in ["alice", "bob", "carol"] {
        let report = fs::read_to_string(out.path().join(student).join("report.json")).unwrap();
        assert!(
            report.contains("\"labs\""),
            "{student}'s report.json is a report"
        );
        let feedback = fs::read_to_string(out.path().join(student).join("report.md")).unwrap();
        assert!(
            feedback.starts_with(&format!("# Feedback for {student}")),
            "{feedback}"
        );
    }
    assert!(
        !class.path().parent().unwrap().join("evil.txt").exists(),
        "frank's archive escaped"
    );
    assert!(!out.path().join(".unpacked").join("evil.txt").exists());

    let again = grade_class(class.path(), out.path(), &[]);
    assert!(
        again.starts_with(
            "6 students: 0 graded, 3 unchanged since the last run, 3 not a submission"
        ),
        "{again}"
    );
    let forced = grade_class(class.path(), out.path(), &["--force"]);
    assert!(
        forced.starts_with("6 students: 3 graded, 0 unchanged"),
        "{forced}"
    );
}

#[test]
fn killed_mid_class_and_run_again_grades_everyone_exactly_once() {
    let class = class_folder();
    let out = tempfile::tempdir().unwrap();
    let mut grader = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["grade", "01", "--submissions"])
        .arg(class.path())
        .arg("--out-dir")
        .arg(out.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill -9 as soon as the first student is done, in the middle of the class.
    let first_done = out.path().join("alice").join("key");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !first_done.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    grader.kill().unwrap();
    grader.wait().unwrap();
    assert!(first_done.exists(), "the first student was never finished");

    let resumed = grade_class(class.path(), out.path(), &[]);
    let graded_now: usize = resumed
        .split(": ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let kept: usize = resumed
        .split(", ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        graded_now + kept,
        3,
        "every valid student is in exactly one of the runs: {resumed}"
    );
    assert!(
        kept >= 1,
        "alice, finished before the kill, is not graded again: {resumed}"
    );

    let fresh = tempfile::tempdir().unwrap();
    grade_class(class.path(), fresh.path(), &[]);
    assert_eq!(
        fs::read_to_string(out.path().join("gradebook.csv")).unwrap(),
        fs::read_to_string(fresh.path().join("gradebook.csv")).unwrap(),
        "the resumed gradebook is the one an uninterrupted run writes"
    );
}
