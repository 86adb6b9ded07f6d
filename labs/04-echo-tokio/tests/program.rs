//! Graded tests for `src/cli.rs`, through the real program (`src/main.rs`), started as a
//! process with `--listen 127.0.0.1:0`, the way a user or a script starts it.

mod support;

use std::net::TcpListener;

use insta::{assert_snapshot, with_settings};

use harness::netcat::{nc_input, require_openbsd_netcat, run_nc};
use harness::program::press_ctrl_c;
use support::WAIT;
use support::client::{Client, Transcript};
use support::program::{Program, redact_port};
use support::witness::Witness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_for_nc_on_the_address_it_prints() {
    require_openbsd_netcat().await;
    let mut program = Program::spawn(&["--listen", "127.0.0.1:0"]);
    let address = program.listening_address().await;
    let port = address.port().to_string();

    let input = nc_input();
    let exit_code = run_nc(&port, &input, &program).await;
    let echoed = input.clone();
    let stdout_so_far = program.stdout_text();
    program.kill().await;
    let shown: Vec<&str> = echoed.lines().take(3).collect();
    let transcript = format!(
        "$ lab04-echo-tokio --listen 127.0.0.1:0\n\
         {}\
         $ nc -N 127.0.0.1 {port} < input   ({} lines, {} bytes)\n\
         {}\n\
         … ({} more lines)\n\
         nc exits with status {}, having received exactly what it sent\n",
        stdout_so_far,
        input.lines().count(),
        input.len(),
        shown.join("\n"),
        echoed.lines().count() - shown.len(),
        exit_code.map_or("?".to_string(), |code| code.to_string())
    );
    with_settings!({
        description => "The program prints `listening on ADDRESS` with the port the OS gave (listener.local_addr()), and a real client, OpenBSD netcat, gets back exactly what it sent.",
    }, {
        assert_snapshot!(redact_port(&transcript, address));
    });
}

/// The text, or `(nothing)` when it is empty.
fn or_nothing(text: String) -> String {
    if text.is_empty() {
        "(nothing)\n".to_string()
    } else {
        text
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explains_a_port_already_in_use() {
    let taken = TcpListener::bind("127.0.0.1:0")
        .expect("the test can listen on a free port of 127.0.0.1 (not your code's fault)");
    let address = taken.local_addr().expect("a bound listener has an address");
    let address_text = address.to_string();
    let mut program = Program::spawn(&["--listen", &address_text]);
    let Some(status) = program.wait_for_exit().await else {
        let stdout = program.stdout_text();
        program.kill().await;
        panic!(
            "the program was asked to listen on {address}, where a socket of the test already \
             listens, and it was still running {} s later (its output: {stdout:?}). Binding must \
             fail with \"Address already in use\": return Err(listen_error_message(..)) from \
             cli::run.",
            WAIT.as_secs_f64()
        );
    };
    assert_eq!(
        status.code(),
        Some(1),
        "the program should end with exit code 1 when it cannot listen (main.rs does that when \
         cli::run returns Err), but it ended with {status}. {}",
        program.stderr_for_message()
    );
    drop(taken);
    let transcript = format!(
        "(a socket of the test already listens on {address})\n\
         $ lab04-echo-tokio --listen {address}\n\
         exit status: {}\n\
         standard output:\n{}\
         standard error:\n{}",
        status.code().expect("the program exited"),
        or_nothing(program.stdout_text()),
        or_nothing(program.stderr_text())
    );
    with_settings!({
        description => "cli::run returns Err(listen_error_message(address, &error)) when the address cannot be bound; main.rs prints it after `error: ` and exits with code 1.",
    }, {
        assert_snapshot!(redact_port(&transcript, address));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_gracefully_on_ctrl_c() {
    let mut program = Program::spawn(&["--listen", "127.0.0.1:0"]);
    let address = program.listening_address().await;
    let transcript = Transcript::new();
    transcript.note("$ lab04-echo-tokio --listen 127.0.0.1:0");
    let witness = Witness::Program(program.output.clone());
    let mut client = Client::connect("client", address, &transcript, &witness).await;
    client.send("before Ctrl-C\n").await;
    client.expect_echo("before Ctrl-C\n").await;

    press_ctrl_c(program.id()).await;
    transcript.note("the test presses Ctrl-C (kill -INT, the signal SIGINT)");
    if !program.wait_for_stderr("SIGINT").await {
        client
            .fail(
                "the program did not report the Ctrl-C on its standard error: is it still \
                 running?"
                    .to_string(),
            )
            .await;
    }
    transcript.note("the program says it is stopping");

    client.send("after Ctrl-C\n").await;
    client.expect_echo("after Ctrl-C\n").await;
    client.half_close().await;
    client.expect_end().await;
    let Some(status) = program.wait_for_exit().await else {
        client
            .fail(format!(
                "the program did not exit within {} s after Ctrl-C, although its only client had \
                 left. Pass the shutdown future main.rs gives cli::run on to serve_with_limit.",
                WAIT.as_secs_f64()
            ))
            .await;
    };
    transcript.note(match status.code() {
        Some(code) => format!("the program exits with status {code}"),
        None => format!("the program ends: {status}"),
    });
    transcript.note(format!(
        "its standard output:\n{}",
        program.stdout_text().trim_end()
    ));
    with_settings!({
        description => "Ctrl-C (SIGINT) completes the shutdown future that main.rs gives cli::run: the open connection is still served, then the program prints its summary and exits with status 0.",
    }, {
        assert_snapshot!(redact_port(&transcript.text(), address));
    });
}
