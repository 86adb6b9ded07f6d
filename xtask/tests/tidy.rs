//! The course's conventions, checked as plain tests that say how to fix what they find.

mod support;

use std::fs;

use support::{files_below, repo};

/// The one folder of `labs/` that is not a lab: the test harness the labs share.
const HARNESS: &str = "harness";

/// Every entry of `labs/`, in order: the labs and the harness.
fn labs_entries() -> Vec<String> {
    let mut entries: Vec<String> = fs::read_dir(repo().join("labs"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    entries
}

/// Every lab folder (`labs/NN-name`), in order.
fn lab_ids() -> Vec<String> {
    let ids: Vec<String> = labs_entries()
        .into_iter()
        .filter(|entry| entry != HARNESS)
        .collect();
    assert!(!ids.is_empty(), "labs/ holds no lab");
    ids
}

#[test]
fn every_lab_is_named_nn_topic_and_has_a_lab_toml() {
    for id in labs_entries() {
        if id == HARNESS {
            let harness = repo().join("labs").join(HARNESS);
            assert!(
                harness.join("Cargo.toml").is_file() && !harness.join("lab.toml").exists(),
                "labs/{HARNESS} is the labs' shared test harness: a package with a Cargo.toml \
                 and no lab.toml (a lab.toml would make the grader take it for a lab)"
            );
            continue;
        }
        let (number, topic) = id.split_once('-').unwrap_or((&id, ""));
        assert!(
            number.len() == 2 && number.bytes().all(|b| b.is_ascii_digit()) && !topic.is_empty(),
            "labs/{id}: every entry of labs/ is a lab named NN-topic, like 01-ports, or \
             {HARNESS}, the one shared test harness"
        );
        assert!(
            repo().join("labs").join(&id).join("lab.toml").is_file(),
            "labs/{id} has no lab.toml: copy one from another lab and adapt it"
        );
    }
}

#[test]
fn every_labs_test_helpers_are_in_tests_support() {
    for id in lab_ids() {
        let tests = repo().join("labs").join(&id).join("tests");
        for entry in fs::read_dir(&tests).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(
                !entry.file_type().unwrap().is_dir() || name == "support" || name == "snapshots",
                "labs/{id}/tests/{name}/: a lab's test helpers live in tests/support/ (mod support;), \
                 and what several labs share in labs/{HARNESS}: move it there"
            );
        }
    }
}

#[test]
fn every_lab_has_a_solution_with_the_same_files() {
    for id in lab_ids() {
        let stubs = files_below(&repo().join("labs").join(&id).join("src"));
        let solution = files_below(&repo().join("solutions").join(&id).join("src"));
        assert_eq!(
            stubs, solution,
            "labs/{id}/src and solutions/{id}/src must hold the same files: the grader puts one in place of the other"
        );
    }
}

#[test]
fn every_lab_has_a_book_chapter_in_the_summary_and_a_line_in_the_readme() {
    let summary = fs::read_to_string(repo().join("book/src/SUMMARY.md")).unwrap();
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    for id in lab_ids() {
        let manifest: toml::Table = toml::from_str(
            &fs::read_to_string(repo().join("labs").join(&id).join("lab.toml")).unwrap(),
        )
        .unwrap();
        let chapter = manifest
            .get("chapter")
            .and_then(|value| value.as_str())
            .unwrap_or_else(|| {
                panic!("labs/{id}/lab.toml has no `chapter = \"…\"` (a file under book/src/)")
            });
        assert!(
            repo().join("book/src").join(chapter).is_file(),
            "labs/{id}/lab.toml names the chapter book/src/{chapter}, which does not exist"
        );
        assert!(
            summary.contains(&format!("({chapter})")),
            "book/src/SUMMARY.md does not link to {chapter}: add it under # Labs"
        );
        assert!(
            readme.contains(&format!("| `{id}` |")),
            "README.md's lab table has no row for `{id}`"
        );
    }
}

#[test]
fn lab_tests_find_programs_at_run_time_and_bind_no_fixed_port() {
    // The labs' tests, and the harness they share.
    let mut folders: Vec<String> = lab_ids().iter().map(|id| format!("{id}/tests")).collect();
    folders.push(format!("{HARNESS}/src"));
    for folder in folders {
        let tests = repo().join("labs").join(&folder);
        for file in files_below(&tests)
            .into_iter()
            .filter(|file| file.extension().is_some_and(|ext| ext == "rs"))
        {
            let text = fs::read_to_string(tests.join(&file)).unwrap();
            assert!(
                !text.contains("env!(\"CARGO_BIN_EXE_") || text.contains("var_os(\"CARGO_BIN_EXE_"),
                "labs/{folder}/{}: the grader runs a copy of the lab's program and says where in \
                 CARGO_BIN_EXE_<name> at run time: read std::env::var_os(\"CARGO_BIN_EXE_<name>\") \
                 first, and use env!(\"CARGO_BIN_EXE_<name>\") only as the fallback for plain cargo test",
                file.display()
            );
            for (number, line) in text.lines().enumerate() {
                if let Some(port) = fixed_port_bound(line) {
                    panic!(
                        "labs/{folder}/{}:{}: binds the fixed port {port}: bind port 0 (\"127.0.0.1:0\") \
                         and ask local_addr() for the port, since a fixed port collides with whatever \
                         else runs on the machine",
                        file.display(),
                        number + 1
                    );
                }
            }
        }
    }
}

/// The port of a `bind("address:port")` or `bind((address, port))` with a literal port other
/// than 0, if the line has one.
fn fixed_port_bound(line: &str) -> Option<String> {
    let literal_ports = line.match_indices("bind(").filter_map(|(start, _)| {
        let call = &line[start + "bind(".len()..];
        if let Some(text) = call.strip_prefix('"') {
            let address = &text[..text.find('"')?];
            Some(address.rsplit_once(':')?.1.to_string())
        } else {
            let tuple = call.strip_prefix('(')?;
            let port = tuple[..tuple.find(')')?].rsplit_once(',')?.1.trim();
            port.parse::<u16>().is_ok().then(|| port.to_string())
        }
    });
    literal_ports.into_iter().find(|port| port != "0")
}

#[test]
fn the_fixed_port_check_tells_port_zero_from_a_fixed_port() {
    assert_eq!(
        fixed_port_bound(r#"TcpListener::bind("127.0.0.1:8080")"#),
        Some("8080".into())
    );
    assert_eq!(
        fixed_port_bound(r#"TcpListener::bind(("127.0.0.1", 80))"#),
        Some("80".into())
    );
    assert_eq!(
        fixed_port_bound(r#"TcpListener::bind("127.0.0.1:0")"#),
        None
    );
    assert_eq!(fixed_port_bound(r#"TcpListener::bind("[::1]:0")"#), None);
    assert_eq!(fixed_port_bound(r#"TcpListener::bind((ip, 0))"#), None);
    assert_eq!(fixed_port_bound(r#"TcpListener::bind(address)"#), None);
    assert_eq!(
        fixed_port_bound(r#""with TcpListener::bind(address)""#),
        None
    );
}

#[test]
fn every_grader_source_file_opens_with_a_comment_saying_why_it_exists() {
    let src = repo().join("xtask/src");
    let lacking: Vec<String> = files_below(&src)
        .into_iter()
        .filter(|file| file.extension().is_some_and(|ext| ext == "rs"))
        .filter(|file| !opens_with_module_comment(&fs::read_to_string(src.join(file)).unwrap()))
        .map(|file| format!("  xtask/src/{}", file.display()))
        .collect();
    assert!(
        lacking.is_empty(),
        "these files do not open with a `//!` comment saying why they exist:\n{}\n\
         start each with `//!` lines that tell a newcomer what the file is for and what it \
         holds, e.g. `//! Unpacking a student's .zip or .tar.gz — carefully.`",
        lacking.join("\n")
    );
}

/// Whether the first line with text is a `//!` comment with something to say.
fn opens_with_module_comment(text: &str) -> bool {
    text.lines()
        .find(|line| !line.trim().is_empty())
        .and_then(|line| line.trim_start().strip_prefix("//!"))
        .is_some_and(|comment| !comment.trim().is_empty())
}

#[test]
fn the_module_comment_check_wants_a_first_line_that_says_something() {
    assert!(opens_with_module_comment(
        "//! Why this file exists.\n\nuse std::fs;\n"
    ));
    assert!(opens_with_module_comment("\n\n//! After blank lines.\n"));
    assert!(!opens_with_module_comment("use std::fs;\n//! Too late.\n"));
    assert!(!opens_with_module_comment(
        "/// An item's comment.\nfn f() {}\n"
    ));
    assert!(!opens_with_module_comment(
        "//!\n//! The text comes too late.\n"
    ));
    assert!(!opens_with_module_comment(""));
}

#[test]
fn every_stub_is_what_its_solution_generates_and_a_hand_edit_is_named() {
    let check = support::xtask(&["bless", "--stubs", "--check"]);
    assert_eq!(
        check.code, 0,
        "labs/*/src is generated from solutions/*/src:\n{}{}",
        check.stdout, check.stderr
    );

    // A hand edit of a generated stub: the check names the file and the command; bless
    // writes the stub back from the solution.
    let copy = support::CourseCopy::with_labs(&["01-ports"]);
    let stub = copy.path().join("labs/01-ports/src/ranges.rs");
    let original = fs::read_to_string(&stub).unwrap();
    fs::write(&stub, original.replace("todo!()", "0")).unwrap();
    let edited = copy.xtask(&["bless", "--stubs", "--check"]);
    assert_eq!(edited.code, 1, "{}", edited.stdout);
    assert!(
        edited
            .stdout
            .contains("labs/01-ports/src/ranges.rs is not what its solution generates")
            && edited.stdout.contains("cargo xtask bless 01 --stubs"),
        "{}",
        edited.stdout
    );
    let written = copy.xtask(&["bless", "01", "--stubs"]);
    assert_eq!(written.code, 0, "{}{}", written.stdout, written.stderr);
    assert_eq!(fs::read_to_string(&stub).unwrap(), original);

    // A marker left open is an error that names the solution file and its line.
    let solution = copy.path().join("solutions/01-ports/src/ranges.rs");
    let text = fs::read_to_string(&solution).unwrap();
    fs::write(&solution, text.replacen("// END SOLUTION", "", 1)).unwrap();
    let broken = copy.xtask(&["bless", "01", "--stubs"]);
    assert_eq!(broken.code, 2, "{}", broken.stdout);
    assert!(
        broken
            .stderr
            .contains("solutions/01-ports/src/ranges.rs: line ")
            && broken.stderr.contains("END SOLUTION"),
        "{}",
        broken.stderr
    );
}
