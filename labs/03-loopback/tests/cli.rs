//! Graded test for the program, `src/main.rs`: run for real, against servers on loopback.

mod support;

use std::net::{IpAddr, Ipv4Addr};
use std::process::{Command, Output, Stdio};

use insta::{assert_snapshot, with_settings};
use support::{closed_port, listen, redact_port};

/// The lab's program: where the grader put its copy, or the one `cargo test` built.
fn program() -> std::path::PathBuf {
    harness::program_path!("lab03-loopback")
}

/// Runs the program with `arguments` and shows what it printed and how it exited, with
/// `port` written PORT.
fn run(arguments: &[&str], port: u16) -> String {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(program())
        .args(arguments)
        .stdin(Stdio::null())
        .output()
        .expect("the test can start the lab's program");
    let stdout = String::from_utf8_lossy(&stdout);
    let stderr = String::from_utf8_lossy(&stderr);
    let port_text = port.to_string();
    let command_line: Vec<&str> = arguments
        .iter()
        .map(|&argument| {
            if argument == port_text {
                "PORT"
            } else {
                argument
            }
        })
        .collect();
    let command_line = command_line.join(" ");
    if stderr.contains("panicked at") {
        panic!("the program `lab03-loopback {command_line}` panicked:\n{stderr}");
    }
    let code = status
        .code()
        .map_or("killed by a signal".to_string(), |code| code.to_string());
    let shown = format!(
        "$ lab03-loopback {command_line}\nexit status: {code}\nstdout:\n{stdout}stderr:\n{stderr}"
    );
    redact_port(&shown, port)
}

#[test]
fn prints_each_attempt_and_exits_with_the_result() {
    let localhost = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let listener = listen(localhost);
    let open = listener
        .local_addr()
        .expect("a bound listener has an address")
        .port();
    let nothing = closed_port(localhost, 0).expect("the test can hold a port on 127.0.0.1");
    let closed = nothing.addr.port();

    let transcript = [
        run(&["127.0.0.1", &open.to_string()], open),
        run(&["127.0.0.1", &closed.to_string()], closed),
        run(&["127.0.0.1", "http"], 0),
    ]
    .join("\n");
    with_settings!({
        description => "The program resolves HOST, runs connect_in_order on its addresses and prints the transcript: exit status 0 when connected, 1 when not, 2 for bad arguments (given code). If this fails, make the fallback tests pass first.",
    }, {
        assert_snapshot!(transcript);
    });
}
