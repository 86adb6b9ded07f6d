//! A real client for the echo labs: `nc` (OpenBSD netcat), the tool a person would reach for.
//!
//! `nc -N 127.0.0.1 PORT < input` sends its input, shuts down its sending side once the input
//! ends (`-N`), and prints everything the server sends back until the server closes its side
//! too. So an echo server that gets the end of a stream right lets `nc` exit on its own with
//! exactly its input printed; one that never closes keeps `nc` waiting.

use std::process::Stdio;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;
use tokio::time::timeout;

use crate::WAIT;
use crate::echo_client::EchoLab;
use crate::echo_program::Program;

/// Checks that `nc` is OpenBSD netcat, the one with `-N`, or says why the test cannot run.
pub async fn require_openbsd_netcat() {
    let output = match Command::new("nc").arg("-h").output().await {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            panic!("not run: nc is not installed: apt-get install netcat-openbsd")
        }
        Err(error) => panic!("not run: nc cannot be started ({error})"),
    };
    let help = String::from_utf8_lossy(&output.stderr) + String::from_utf8_lossy(&output.stdout);
    if !help.contains("OpenBSD") {
        panic!(
            "not run: this nc is not OpenBSD netcat, which the test needs for -N: apt-get install netcat-openbsd"
        );
    }
}

/// The lines the test feeds to `nc`: a few to show, and many more to check.
pub fn nc_input() -> String {
    let mut input = String::from("hello from nc\n127.0.0.1:62893 is the course's echo server\n");
    for number in 1..=2000 {
        input +=
            &format!("line {number:04} of 2000: the quick brown fox jumps over the lazy dog\n");
    }
    input
}

/// Runs `nc -N 127.0.0.1 PORT` with `input`, checks that it printed exactly `input` back
/// (failing the test, with the program's standard error, when not), and says how it exited.
pub async fn run_nc<L: EchoLab>(port: &str, input: &str, program: &Program<L>) -> Option<i32> {
    let mut nc = Command::new("nc")
        .args(["-N", "127.0.0.1", port])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("nc was found a moment ago");
    let mut stdin = nc.stdin.take().expect("nc's stdin is piped");
    let feeding = {
        let input = input.to_string();
        tokio::spawn(async move {
            let _ = stdin.write_all(input.as_bytes()).await;
            // Dropping stdin closes it: nc -N then shuts down its sending side.
        })
    };
    let output = match timeout(WAIT, nc.wait_with_output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(error)) => panic!("nc failed to run: {error}"),
        Err(_) => panic!(
            "nc did not finish within {} s. nc -N shuts down its sending side once it has sent \
             all its input, then waits for the server to close its side: does the server shut \
             down its writing side after the end of the stream? {}",
            WAIT.as_secs_f64(),
            program.stderr_for_message()
        ),
    };
    let _ = feeding.await;
    let echoed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        echoed == input,
        "nc sent {} bytes ({} lines) and received {} bytes back, which {}. nc's stderr: {:?}. {}",
        input.len(),
        input.lines().count(),
        echoed.len(),
        if input.starts_with(&echoed) {
            "is only the beginning of what it sent"
        } else {
            "is not what it sent"
        },
        String::from_utf8_lossy(&output.stderr),
        program.stderr_for_message()
    );
    output.status.code()
}
