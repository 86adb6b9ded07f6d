//! A graded class on its way to the course's gradebook: a roster joins the submissions to the
//! LMS's students, `gradebook export` writes Canvas's and Moodle's import files (checked here
//! against each format's documented rules, column by column), and a regrade after a hidden test
//! is added says exactly whose points changed.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use support::{StudentCopy, repo, xtask};

/// alice: lab 01 solved, in a folder; bob: the stubs, zipped; carol: a solution with a bug in
/// its port ranges, in a tarball; dave: an empty folder the roster does not name; and a stray
/// `notes.txt` that is no submission at all.
fn class_folder() -> tempfile::TempDir {
    let class = tempfile::tempdir().unwrap();
    StudentCopy::new()
        .with_solution("01-ports")
        .hand_in(class.path(), "alice");
    StudentCopy::new().zip_labs(&class.path().join("bob.zip"));
    StudentCopy::new()
        .with_solution("01-ports")
        .edit(
            "labs/01-ports/src/ranges.rs",
            "0..=1023 => PortRange::System,",
            "0..=1024 => PortRange::System,",
        )
        .tar_repository(&class.path().join("carol.tar.gz"));
    fs::create_dir(class.path().join("dave")).unwrap();
    fs::write(class.path().join("notes.txt"), "grade bob last\n").unwrap();
    class
}

/// Names that CSV must quote (a comma, double quotes) or that are not ASCII, and erin, who
/// handed in nothing and has no ID number.
const ROSTER: &str = "\
submission,name,id,sis_user_id,sis_login_id,section,email,username,idnumber
alice,\"Liddell, Alice\",1041,S1041,aliddell,Section A,alice@example.edu,aliddell,A1041
bob,\"Bob \"\"Bobby\"\" Tables\",1042,S1042,btables,Section B,bob@example.edu,btables,A1042
carol,Carol Núñez-Øst,1043,S1043,cnunez,Section A,carol@example.edu,cnunez,A1043
erin,Erin Example,1045,S1045,eexample,Section B,erin@example.edu,eexample,
";

struct GradedClass {
    _dir: tempfile::TempDir,
    class: tempfile::TempDir,
    out: PathBuf,
    roster: PathBuf,
}

impl GradedClass {
    fn new() -> GradedClass {
        let dir = tempfile::tempdir().unwrap();
        let roster = dir.path().join("roster.csv");
        fs::write(&roster, ROSTER).unwrap();
        GradedClass {
            out: dir.path().join("out"),
            _dir: dir,
            class: class_folder(),
            roster,
        }
    }

    /// `grade 01 --submissions CLASS --out-dir OUT --roster ROSTER` and `extra`; stdout and
    /// stderr with the temporary paths replaced.
    fn grade(&self, extra: &[&str]) -> (String, String) {
        let mut args = vec![
            "grade",
            "01",
            "--submissions",
            self.class.path().to_str().unwrap(),
            "--out-dir",
            self.out.to_str().unwrap(),
            "--roster",
            self.roster.to_str().unwrap(),
        ];
        args.extend(extra);
        let run = xtask(&args);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        let clean = |text: &str| {
            text.replace(self.out.to_str().unwrap(), "[out]")
                .replace(self.class.path().to_str().unwrap(), "[class]")
        };
        (clean(&run.stdout), clean(&run.stderr))
    }

    fn export(&self, args: &[&str]) -> (String, String) {
        let mut all = vec!["gradebook", "export", self.out.to_str().unwrap()];
        all.extend(args);
        let run = xtask(&all);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        let lms = args[args.iter().position(|arg| *arg == "--lms").unwrap() + 1];
        let file = self.out.join(format!("export-{lms}.csv"));
        let text = fs::read_to_string(&file).unwrap_or_else(|_| panic!("{file:?} is UTF-8"));
        (
            text,
            run.stdout.replace(self.out.to_str().unwrap(), "[out]"),
        )
    }
}

/// A CSV file as its header and rows; every row has the header's number of fields (the csv
/// crate refuses a ragged file unless told it is flexible).
fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(
        !text.starts_with('\u{feff}'),
        "UTF-8 without a byte-order mark: an importer would read \\u{{feff}} into the first header"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|record| {
            record
                .expect("every row has the header's fields")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect();
    (header, rows)
}

/// A score cell as an LMS reads it: blank (no score, the LMS keeps what it has) or a number.
fn score(cell: &str) -> Option<f64> {
    if cell.is_empty() {
        return None;
    }
    Some(
        cell.parse()
            .unwrap_or_else(|_| panic!("{cell:?} is a number or blank")),
    )
}

/// The columns Canvas computes itself; an imported column with one of these names is ignored
/// (Canvas's guide, "How do I import grades in the Gradebook?": read-only columns).
const CANVAS_COMPUTED: &[&str] = &[
    "Current Score",
    "Unposted Current Score",
    "Final Score",
    "Unposted Final Score",
    "Current Points",
    "Final Points",
    "Current Grade",
    "Unposted Current Grade",
    "Final Grade",
    "Unposted Final Grade",
    "Override Score",
    "Override Grade",
];

/// A student as Canvas's import reads them: name, ID, and a score (or none) per assignment id.
type CanvasRow = (String, String, Vec<(String, Option<f64>)>);

/// Checks a file against Canvas's gradebook import rules and returns its students.
fn canvas_import(text: &str) -> Vec<CanvasRow> {
    let (header, rows) = read_csv(text);
    assert_eq!(
        header[..5],
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
        "Canvas's identity columns first, in its order"
    );
    let mut assignments = Vec::new();
    for column in &header[5..] {
        assert!(
            !CANVAS_COMPUTED
                .iter()
                .any(|computed| column.starts_with(computed)),
            "{column:?} would be taken for a column Canvas computes, and dropped"
        );
        let (title, id) = column
            .strip_suffix(')')
            .and_then(|inner| inner.rsplit_once(" ("))
            .unwrap_or_else(|| panic!("{column:?} is `Title (assignment id)`"));
        assert!(
            !title.trim().is_empty() && !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
            "{column:?}"
        );
        assignments.push(id.to_string());
    }
    let unique: BTreeSet<_> = assignments.iter().collect();
    assert_eq!(unique.len(), assignments.len(), "one column per assignment");

    let mut students = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if row[0] == "Points Possible" {
            assert_eq!(index, 0, "Points Possible is the row after the header");
            assert!(row[1..5].iter().all(String::is_empty), "{row:?}");
            for cell in &row[5..] {
                assert!(score(cell).is_some_and(|points| points > 0.0), "{row:?}");
            }
            continue;
        }
        assert!(
            row[1..4].iter().any(|id| !id.is_empty()),
            "Canvas finds a student by ID, SIS User ID or SIS Login ID: {row:?}"
        );
        let scores = assignments
            .iter()
            .cloned()
            .zip(row[5..].iter().map(|cell| score(cell)))
            .collect();
        students.push((row[0].clone(), row[1].clone(), scores));
    }
    students
}

/// Checks a file against Moodle's CSV grade import (Grades → Import → CSV file): a header row
/// whose names are distinct (each is mapped to a user field or a grade item), one column that
/// identifies the user, every grade a number or blank. Returns (key, name, grades) per row.
fn moodle_import(text: &str, key_header: &str) -> Vec<(String, String, Vec<Option<f64>>)> {
    let (header, rows) = read_csv(text);
    assert_eq!(header[..2], [key_header, "Full name"], "{header:?}");
    let distinct: BTreeSet<_> = header.iter().collect();
    assert_eq!(distinct.len(), header.len(), "distinct headers: {header:?}");
    let keys: BTreeSet<_> = rows.iter().map(|row| row[0].clone()).collect();
    assert_eq!(keys.len(), rows.len(), "one row per user");
    rows.into_iter()
        .map(|row| {
            assert!(!row[0].is_empty(), "every row names its user: {row:?}");
            let grades = row[2..].iter().map(|cell| score(cell)).collect();
            (row[0].clone(), row[1].clone(), grades)
        })
        .collect()
}

#[test]
fn a_class_with_a_roster_goes_to_canvas_and_moodle_as_they_import_it() {
    let graded = GradedClass::new();
    let (summary, log) = graded.grade(&[]);
    assert!(
        log.contains("skipped [class]/notes.txt: not a submission"),
        "the stray file is named and skipped: {log}"
    );
    insta::assert_snapshot!("summary", summary);
    let gradebook = fs::read_to_string(graded.out.join("gradebook.csv")).unwrap();
    insta::assert_snapshot!("gradebook", gradebook);

    let (canvas, told) = graded.export(&["--lms", "canvas", "--assignment", "01=5501"]);
    assert!(
        told.contains("4 students exported") && told.contains("dave: not on the roster"),
        "{told}"
    );
    assert_eq!(
        canvas_import(&canvas),
        [
            ("Liddell, Alice", "1041", Some(28.0)),
            ("Bob \"Bobby\" Tables", "1042", Some(0.0)),
            ("Carol Núñez-Øst", "1043", Some(24.0)),
            ("Erin Example", "1045", Some(0.0)),
        ]
        .map(|(name, id, points)| (
            name.to_string(),
            id.to_string(),
            vec![("5501".to_string(), points)]
        )),
        "{canvas}"
    );
    assert!(
        canvas.lines().nth(1) == Some("Points Possible,,,,,28"),
        "{canvas}"
    );

    let (moodle, told) = graded.export(&["--lms", "moodle", "--moodle-key", "idnumber"]);
    assert!(
        told.contains("erin: the roster gives Erin Example no ID number"),
        "a student Moodle could not find is named, not written with a blank key: {told}"
    );
    assert_eq!(
        moodle_import(&moodle, "ID number"),
        [
            ("A1041", "Liddell, Alice", 28.0),
            ("A1042", "Bob \"Bobby\" Tables", 0.0),
            ("A1043", "Carol Núñez-Øst", 24.0),
        ]
        .map(|(key, name, points)| (key.to_string(), name.to_string(), vec![Some(points)])),
        "{moodle}"
    );
    let (moodle_by_email, _) = graded.export(&["--lms", "moodle"]);
    assert_eq!(
        moodle_import(&moodle_by_email, "Email address").len(),
        4,
        "everyone on the roster has an email: {moodle_by_email}"
    );

    let (plain, _) = graded.export(&["--lms", "csv"]);
    insta::assert_snapshot!("plain_csv", plain);
}

#[test]
fn canvas_s_own_export_is_a_roster_that_names_the_assignment() {
    let graded = GradedClass::new();
    graded.grade(&[]);
    // What Canvas's Grades → Export writes (a byte-order mark, its computed columns, a Points
    // Possible row), with the column `Submission` added by the instructor.
    let canvas_roster = graded.roster.with_file_name("canvas-export.csv");
    fs::write(
        &canvas_roster,
        "\u{feff}Student,ID,SIS User ID,SIS Login ID,Section,Submission,Lab 01 Port ranges (7301),Current Score,Final Score\n\
         Points Possible,,,,,,28,(read only),(read only)\n\
         \"Liddell, Alice\",1041,S1041,aliddell,Section A,alice,,0,0\n\
         Carol Núñez-Øst,1043,S1043,cnunez,Section A,carol,,0,0\n",
    )
    .unwrap();
    let (canvas, told) = graded.export(&[
        "--lms",
        "canvas",
        "--roster",
        canvas_roster.to_str().unwrap(),
    ]);
    assert_eq!(
        canvas_import(&canvas),
        [
            ("Liddell, Alice", "1041", 28.0),
            ("Carol Núñez-Øst", "1043", 24.0)
        ]
        .map(|(name, id, points)| (
            name.to_string(),
            id.to_string(),
            vec![("7301".to_string(), Some(points))]
        )),
        "the assignment id comes from the roster's header: {canvas}"
    );
    assert!(
        told.contains("bob: not on the roster") && told.contains("dave: not on the roster"),
        "{told}"
    );

    let without_roster = tempfile::tempdir().unwrap();
    let run = xtask(&[
        "grade",
        "01",
        "--submissions",
        graded.class.path().to_str().unwrap(),
        "--out-dir",
        without_roster.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let refused = xtask(&[
        "gradebook",
        "export",
        without_roster.path().to_str().unwrap(),
        "--lms",
        "moodle",
    ]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("needs a roster") && refused.stderr.contains("--roster FILE"),
        "{}",
        refused.stderr
    );
}

fn hidden_tests() -> PathBuf {
    repo().join("xtask/tests/fixtures/hidden-tests")
}

/// The students changes.csv lists, and each one's `why`.
fn changed_students(out: &Path) -> Vec<(String, String)> {
    let (header, rows) = read_csv(&fs::read_to_string(out.join("changes.csv")).unwrap());
    assert_eq!(header, ["student", "lab", "test", "old", "new", "why"]);
    let students: BTreeSet<(String, String)> = rows
        .into_iter()
        .map(|row| (row[0].clone(), row[5].clone()))
        .collect();
    students.into_iter().collect()
}

#[test]
fn a_regrade_with_a_hidden_test_lists_exactly_the_students_whose_points_changed() {
    let graded = GradedClass::new();
    graded.grade(&[]);
    assert!(
        changed_students(&graded.out).is_empty(),
        "a first grade changes nothing"
    );

    // The hidden tests are worth 3 points: alice's and carol's service tables are right, bob's
    // stub scores 0 before and after, dave is still empty, erin still has nothing.
    let (summary, _) = graded.grade(&["--tests-from", hidden_tests().to_str().unwrap()]);
    assert!(summary.contains("2 students' points changed"), "{summary}");
    let hidden_added = "the tests, the labs or the grader changed";
    assert_eq!(
        changed_students(&graded.out),
        [("alice", hidden_added), ("carol", hidden_added)]
            .map(|(student, why)| (student.to_string(), why.to_string()))
    );
    let changes = fs::read_to_string(graded.out.join("changes.csv")).unwrap();
    assert!(
        changes.contains("alice,01-ports,hidden_services::alternate_ports_are_not_guessed,,2,"),
        "old is blank for a test added since, new is its points: {changes}"
    );
    for student in ["alice", "bob", "carol"] {
        let previous = graded.out.join(student).join("previous");
        let before = fs::read_to_string(previous.join("report.json")).unwrap();
        assert!(
            !before.contains("hidden_services") && previous.join("key").is_file(),
            "{student}'s grade before the hidden tests is kept with its key"
        );
    }

    // bob hands in a solution; the others are unchanged and not graded again.
    fs::remove_file(graded.class.path().join("bob.zip")).unwrap();
    StudentCopy::new()
        .with_solution("01-ports")
        .hand_in(graded.class.path(), "bob");
    let (summary, _) = graded.grade(&["--tests-from", hidden_tests().to_str().unwrap()]);
    assert!(
        summary.starts_with("4 students: 1 graded, 2 unchanged"),
        "{summary}"
    );
    assert_eq!(
        changed_students(&graded.out),
        [
            ("alice", hidden_added),
            ("bob", "the submission changed"),
            ("carol", hidden_added)
        ]
        .map(|(student, why)| (student.to_string(), why.to_string())),
        "each student's changes at their last regrade, and why"
    );
    let bob_before = fs::read_to_string(graded.out.join("bob/previous/report.json")).unwrap();
    assert!(
        bob_before.contains("hidden_services"),
        "bob's previous grade is the one just before his new submission"
    );
}
