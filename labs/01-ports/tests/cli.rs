//! Graded tests for `src/cli.rs`: the command-line program, called in-process through `cli::run`.

use clap::Parser;
use insta::{assert_snapshot, with_settings};
use lab01_ports::cli::{Args, run};
use lab01_ports::ephemeral::LINUX_PORT_RANGE_FILE;

/// Runs the program as if started with `arguments`, and shows what it would print.
fn run_with(arguments: &[&str]) -> String {
    let argv = std::iter::once("lab01-ports").chain(arguments.iter().copied());
    let args = Args::try_parse_from(argv).expect("the test's arguments are valid for clap");
    let shown: Vec<String> = arguments
        .iter()
        .map(|argument| format!("{argument:?}"))
        .collect();
    match run(&args) {
        Ok(report) => format!("$ lab01-ports {}\nOk:\n{report}\n", shown.join(" ")),
        Err(message) => format!("$ lab01-ports {}\nErr:\n{message}\n", shown.join(" ")),
    }
}

#[test]
fn explains_an_endpoint_and_compares_ranges() {
    let runs = [
        ["127.0.0.1:62893", "--ephemeral-range", "32768\t60999"],
        ["127.0.0.1:62893", "--ephemeral-range", "49152 65535"],
        ["[::1]:40000", "--ephemeral-range", "32768 60999"],
        ["0.0.0.0:443", "--ephemeral-range", "32768 60999"],
    ];
    let transcript: Vec<String> = runs.iter().map(|arguments| run_with(arguments)).collect();
    let transcript = transcript.join("\n");
    with_settings!({
        description => "cli::run(args): the description paragraph, then a newline and compare(port, range) for the --ephemeral-range given. Both lines come from Display implementations you were given.",
    }, {
        assert_snapshot!(transcript);
    });
}

#[test]
fn reports_bad_input_as_an_error() {
    let runs: [&[&str]; 6] = [
        &["localhost:80"],
        &["127.0.0.1:65536"],
        &["::1:8080"],
        &["127.0.0.1:62893\n"],
        &["127.0.0.1:80", "--ephemeral-range", "60999 32768"],
        &["127.0.0.1:80", "--ephemeral-range", "32768"],
    ];
    let transcript: Vec<String> = runs.iter().map(|arguments| run_with(arguments)).collect();
    let transcript = transcript.join("\n");
    with_settings!({
        description => "cli::run(args) must return Err with endpoint_error_message(..) for a bad endpoint and range_error_message(..) for a bad --ephemeral-range: use map_err and the ? operator.",
    }, {
        assert_snapshot!(transcript);
    });
}

#[test]
fn uses_this_machines_range_by_default() {
    let args = Args::try_parse_from(["lab01-ports", "127.0.0.1:62893"]).expect("valid arguments");
    let report = match run(&args) {
        Ok(report) => report,
        Err(message) => {
            panic!("cli::run for 127.0.0.1:62893 should succeed, but returned Err({message:?})")
        }
    };
    let lines: Vec<&str> = report.lines().collect();
    assert!(
        lines
            .first()
            .is_some_and(|line| line.starts_with("127.0.0.1:62893 means port 62893")),
        "the first line should be the description paragraph of 127.0.0.1:62893, got {report:?}"
    );
    // The second line names this machine's range, which differs from machine to machine:
    // the transcript says only whether it is there.
    let mut transcript = format!(
        "$ lab01-ports \"127.0.0.1:62893\"\nOk, {} line(s):\n{}\n",
        lines.len(),
        lines[0]
    );
    match machine_range_text() {
        Some(range) => {
            assert_eq!(
                lines.len(),
                2,
                "without --ephemeral-range, cli::run should add a second line comparing the port with \
                 this machine's range ({range}, from {LINUX_PORT_RANGE_FILE}); got {report:?}"
            );
            assert!(
                lines[1].contains(&format!("ephemeral range {range}")),
                "the second line should compare with this machine's range {range} \
                 (read with read_this_machines_port_range); got {:?}",
                lines[1]
            );
            transcript += &format!(
                "[a line comparing port 62893 with this machine's range, from {LINUX_PORT_RANGE_FILE}: {}]\n",
                if lines[1].contains(&format!("ephemeral range {range}")) {
                    "yes"
                } else {
                    "no"
                }
            );
        }
        None => {
            assert_eq!(
                lines.len(),
                1,
                "this machine has no readable {LINUX_PORT_RANGE_FILE}, so cli::run should print the \
                 paragraph only; got {report:?}"
            );
            transcript +=
                &format!("[no second line: {LINUX_PORT_RANGE_FILE} cannot be read here]\n");
        }
    }
    with_settings!({
        description => "cli::run(args) without --ephemeral-range: the description paragraph, then compare(port, range) with this machine's range (read_this_machines_port_range().ok()). That range differs between machines, so the second line is only described.",
    }, {
        assert_snapshot!(transcript);
    });
}

/// This machine's range as `first-last`, read without the code under test, or `None` off Linux.
fn machine_range_text() -> Option<String> {
    let text = std::fs::read_to_string(LINUX_PORT_RANGE_FILE).ok()?;
    let numbers: Vec<&str> = text.split_whitespace().collect();
    match numbers[..] {
        [first, last] => Some(format!("{first}-{last}")),
        _ => None,
    }
}
