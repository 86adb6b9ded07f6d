//! Graded test for the program, `loadgen`: the three models compared in one run.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use insta::{assert_snapshot, with_settings};

/// The longest the program may take for three models of 200 ms each.
const PROGRAM_LIMIT: Duration = Duration::from_secs(20);

/// The program the grader built (read at run time), or cargo's under plain `cargo test`.
fn loadgen() -> PathBuf {
    harness::program_path!("loadgen")
}

/// Runs the program with `args`; returns its exit code, standard output and standard error.
fn run_program(args: &[&str]) -> (Option<i32>, String, String) {
    let mut child = Command::new(loadgen())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the loadgen program starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the test can wait for the program") {
            break Some(status);
        }
        if started.elapsed() > PROGRAM_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(20));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    let _ = child
        .stdout
        .take()
        .expect("piped")
        .read_to_string(&mut stdout);
    let _ = child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr);
    let Some(status) = status else {
        panic!(
            "loadgen {} did not finish within {} s: each of the three models runs for 200 ms, \
             so the whole program should take a second or two. Its standard error:\n{stderr}",
            args.join(" "),
            PROGRAM_LIMIT.as_secs()
        );
    };
    (status.code(), stdout, stderr)
}

/// The cells of a table line: they are separated by at least two spaces.
fn cells(line: &str) -> Vec<String> {
    line.split("  ")
        .map(str::trim)
        .filter(|cell| !cell.is_empty())
        .map(String::from)
        .collect()
}

fn is_count(cell: &str) -> bool {
    !cell.is_empty() && cell.bytes().all(|byte| byte.is_ascii_digit()) && cell != "0"
}

fn is_latency(cell: &str) -> bool {
    let number = |text: &str| {
        !text.is_empty()
            && text
                .bytes()
                .all(|byte| byte.is_ascii_digit() || byte == b'.')
    };
    ["µs", "ms", "s"].iter().any(|unit| {
        cell.strip_suffix(unit)
            .and_then(|rest| rest.strip_suffix(' '))
            .is_some_and(number)
    })
}

fn is_ratio(cell: &str) -> bool {
    cell.strip_suffix('×').is_some_and(|number| {
        number.split_once('.').is_some_and(|(whole, decimals)| {
            (is_count(whole) || whole == "0")
                && decimals.len() == 2
                && decimals.bytes().all(|byte| byte.is_ascii_digit())
        })
    })
}

/// The table with what changes from run to run replaced: counts and rates by
/// `[count]`, latencies by `[latency]`, ratios other than the first row's by
/// `[ratio]`. A cell that is not what it should be stays as it is, so that the
/// snapshot's diff shows it.
fn redact_row(row: &[String], first_row: bool) -> String {
    let redacted: Vec<String> = row
        .iter()
        .enumerate()
        .map(|(column, cell)| match column {
            2 | 3 if is_count(cell) => "[count]".to_string(),
            4..=7 if is_latency(cell) => "[latency]".to_string(),
            9 if !first_row && is_ratio(cell) => "[ratio]".to_string(),
            _ => cell.clone(),
        })
        .collect();
    redacted.join(" | ")
}

#[test]
fn compares_the_three_models() {
    let args = [
        "--model",
        "all",
        "--connections",
        "4",
        "--size",
        "32",
        "--duration",
        "200ms",
    ];
    let (code, stdout, stderr) = run_program(&args);
    let ending = code.map_or("was killed by a signal".to_string(), |code| {
        format!("exited with status {code}")
    });
    assert!(
        code == Some(0),
        "loadgen {} {ending} (expected status 0). Its output:\n{stdout}\nIts standard \
         error:\n{stderr}",
        args.join(" ")
    );
    let mut lines = stdout.lines();
    let mut text = format!("$ loadgen {}\n", args.join(" "));
    text += lines.next().unwrap_or("(no output)");
    text.push('\n');
    let header = lines.next().map(cells).unwrap_or_default();
    text += &header.join(" | ");
    text.push('\n');
    for (number, line) in lines.enumerate() {
        if line.starts_with("warning:") {
            text += line;
        } else {
            text += &redact_row(&cells(line), number == 0);
        }
        text.push('\n');
    }
    with_settings!({
        description => "The program measures the three models one after the other and prints the comparison table (counts, rates and latencies redacted, as they change from run to run): 4 connections each, no errors, the first row is the baseline (1.00×), and no warning that the load generator's counts and a server's disagree.",
    }, {
        assert_snapshot!(text);
    });
}
