//! Graded test for the program, `lab12-udp`, run as processes the way a user runs it: one
//! server, and clients that call it.

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::{LOCALHOST, PATIENCE, closed_port, without_port};

/// The program the grader built from src/main.rs (the grader says where at run time).
fn program_path() -> PathBuf {
    harness::program_path!("lab12-udp")
}

/// Kills the server when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `lab12-udp ARGS…` to its end, killing it after [`PATIENCE`] and more.
fn run(args: &[String]) -> Output {
    let mut child = Command::new(program_path())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("the test could not start lab12-udp ({error})"));
    let started = Instant::now();
    while child
        .try_wait()
        .expect("the test can wait for the program")
        .is_none()
    {
        if started.elapsed() > PATIENCE * 3 {
            let _ = child.kill();
            panic!(
                "`lab12-udp {}` was still running after {} s",
                args.join(" "),
                (PATIENCE * 3).as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child
        .wait_with_output()
        .expect("the test can read the program's output")
}

#[test]
fn serves_and_counts_as_two_programs() {
    let mut server = Command::new(program_path())
        .args(["serve", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("the test could not start `lab12-udp serve` ({error})"));
    let stdout = server.stdout.take().expect("the server's output is piped");
    let _server = Running(server);
    let (lines, first_line) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = lines.send(line);
    });
    let line = first_line.recv_timeout(PATIENCE).unwrap_or_else(|_| {
        panic!(
            "`lab12-udp serve 127.0.0.1:0` printed no line within {} s",
            PATIENCE.as_secs()
        )
    });
    let address = line
        .trim()
        .strip_prefix("listening on ")
        .and_then(|address| address.parse::<std::net::SocketAddr>().ok())
        .unwrap_or_else(|| {
            panic!("the server's first line should be `listening on ADDR`, it is {line:?}")
        });
    let mut report = vec![
        "$ lab12-udp serve 127.0.0.1:0".to_string(),
        without_port(line.trim(), address),
    ];
    for amount in ["5", "7", "-2"] {
        let args = vec![
            "call".to_string(),
            address.to_string(),
            "add".into(),
            amount.into(),
        ];
        let output = run(&args);
        report.push(format!("$ lab12-udp call 127.0.0.1:PORT add {amount}"));
        report.push(String::from_utf8_lossy(&output.stdout).trim().to_string());
        assert!(
            output.status.success(),
            "`lab12-udp call {address} add {amount}` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let closed = closed_port(LOCALHOST);
    let output = run(&[
        "call".to_string(),
        closed.to_string(),
        "add".into(),
        "1".into(),
    ]);
    report.push("$ lab12-udp call 127.0.0.1:CLOSED add 1".into());
    report.push(format!(
        "{} (exit status {})",
        without_port(String::from_utf8_lossy(&output.stderr).trim(), closed),
        output.status.code().unwrap_or(-1)
    ));
    insta::assert_snapshot!(report.join("\n"));
}
