//! Graded tests for `src/cli.rs`: the `lab02-binding` program, run as a real process.

mod support;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use insta::{assert_snapshot, with_settings};
use support::{LOCALHOST, recently_free_port, redact, this_process_name};

/// How long the program may take before the test stops it.
const PROGRAM_TIMEOUT: Duration = Duration::from_secs(5);

#[test]
fn reports_the_port_it_got() {
    let any_port = run_program(&["127.0.0.1:0"]);
    let stdout = expect_success(&any_port, "127.0.0.1:0");
    let port = chosen_port(&stdout);
    assert_ne!(
        port, 0,
        "the program was asked for port 0 and should print the real port the OS chose, from the \
         listener's local_addr(); it printed {stdout:?}"
    );

    let free = recently_free_port(LOCALHOST);
    let address = format!("127.0.0.1:{free}");
    let explicit = run_program(&[&address]);
    let explicit_stdout = expect_success(&explicit, &address);

    let transcript = format!(
        "$ lab02-binding 127.0.0.1:0\n{}$ lab02-binding 127.0.0.1:[free port]\n{}",
        redact(&stdout, &[(port.to_string(), "[port]")]),
        redact(&explicit_stdout, &[(free.to_string(), "[free port]")]),
    );
    with_settings!({
        description => "What the program prints on success: cli::run returns the listener and bound_message(requested, listener.local_addr()), which main prints. Ports are redacted.",
    }, {
        assert_snapshot!(transcript);
    });
}

#[test]
fn explains_who_holds_a_busy_port() {
    support::require_proc_net();
    let pid = std::process::id();
    let name = this_process_name();
    let held = TcpListener::bind((LOCALHOST, 0)).expect("the test binds 127.0.0.1:0");
    let address = held.local_addr().unwrap();

    let output = run_program(&[&address.to_string()]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(1),
        "`lab02-binding {address}` should fail with exit code 1, since this test holds {address}; \
         it ended with {} and printed:\n{stdout}{stderr}",
        output.status
    );
    assert!(
        stderr.contains(&format!("Process {pid} ({name})")),
        "the program should say that process {pid} ({name}), this test, holds {address}: return \
         the diagnosis (listen_or_explain's error, as text) from cli::run. It printed:\n{stderr}"
    );
    let transcript = format!(
        "$ lab02-binding 127.0.0.1:[port]\nexit code 1\nstdout: {stdout:?}\nstderr:\n{stderr}"
    );
    let transcript = redact(
        &transcript,
        &[
            (name, "[name]"),
            (pid.to_string(), "[pid]"),
            (address.port().to_string(), "[port]"),
        ],
    );
    with_settings!({
        description => "The program's answer when this test holds the port: the diagnosis names the test process (pid and name redacted).",
    }, {
        assert_snapshot!(transcript);
    });
}

/// The lab's program: the grader's copy when it sets CARGO_BIN_EXE_…, else cargo's.
fn program() -> PathBuf {
    harness::program_path!("lab02-binding")
}

/// Runs the program with `arguments`, stopping it if it runs too long.
fn run_program(arguments: &[&str]) -> Output {
    let mut child = Command::new(program())
        .args(arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("the test could not start {}: {error}", program().display())
        });
    let deadline = Instant::now() + PROGRAM_TIMEOUT;
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() >= deadline {
            let _ = child.kill();
            let output = child
                .wait_with_output()
                .expect("the stopped program can be waited for");
            panic!(
                "`lab02-binding {}` was still running after {PROGRAM_TIMEOUT:?} and was stopped; without \
                 --hold it should exit as soon as it has bound (or failed to). It printed:\n{}{}",
                arguments.join(" "),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        thread::sleep(Duration::from_millis(10));
    }
    let output = child
        .wait_with_output()
        .expect("the finished program can be waited for");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains(" panicked at ") {
        panic!(
            "`lab02-binding {}` crashed: the program panicked instead of answering.\n{}",
            arguments.join(" "),
            stderr.trim_end()
        );
    }
    output
}

/// The program's standard output, after checking that it succeeded.
fn expect_success(output: &Output, address: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`lab02-binding {address}` should succeed (exit code 0): the address is free. It ended with {} \
         and printed:\n{stdout}{stderr}",
        output.status
    );
    stdout
}

/// The port in `listening on 127.0.0.1:PORT…`.
fn chosen_port(stdout: &str) -> u16 {
    let address: Option<SocketAddr> = stdout
        .strip_prefix("listening on ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|text| text.trim_end_matches(':').parse().ok());
    match address {
        Some(address) => address.port(),
        None => {
            panic!("the program should print `listening on ADDRESS:PORT…`, it printed {stdout:?}")
        }
    }
}
