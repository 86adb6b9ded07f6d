//! Graded test for `src/cli.rs`, through the real program (`src/main.rs`), started as a
//! process with `--listen 127.0.0.1:0`, the way a user or a script starts it: a real client
//! (OpenBSD netcat), then Ctrl-C.

mod support;

use insta::{assert_snapshot, with_settings};

use harness::netcat::{nc_input, require_openbsd_netcat, run_nc};
use harness::program::press_ctrl_c;
use support::WAIT;
use support::client::{Client, Transcript};
use support::program::{Program, redact_port};
use support::witness::Witness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_nc_then_stops_on_ctrl_c() {
    require_openbsd_netcat().await;
    let mut program = Program::spawn(&["--listen", "127.0.0.1:0"]);
    let address = program.listening_address().await;
    let port = address.port().to_string();
    let transcript = Transcript::new();
    transcript.note("$ lab06-echo-mio --listen 127.0.0.1:0");
    transcript.note(program.stdout_text().trim_end());

    let input = nc_input();
    run_nc(&port, &input, &program).await;
    let echoed = input.clone();
    let shown: Vec<&str> = echoed.lines().take(3).collect();
    transcript.note(format!(
        "$ nc -N 127.0.0.1 {port} < input   ({} lines, {} bytes)\n{}\n… ({} more lines)\n\
         nc exits, having received exactly what it sent",
        input.lines().count(),
        input.len(),
        shown.join("\n"),
        echoed.lines().count() - shown.len(),
    ));

    let witness = Witness::Program(program.output.clone());
    let mut client = Client::connect("client", address, &transcript, &witness).await;
    client.send("before Ctrl-C\n").await;
    client.expect_echo("before Ctrl-C\n").await;
    press_ctrl_c(program.id()).await;
    transcript.note("the test presses Ctrl-C (kill -INT, the signal SIGINT)");
    if !program.wait_for_stderr("stopping").await {
        client
            .fail(
                "the program did not report the Ctrl-C on its standard error: is it still \
                 running? cli::run must install the handler with \
                 stop_on_signal(server.stop_handle()) before it runs the server."
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
                "the program did not exit within {} s after Ctrl-C, although its last client \
                 had left. The signal interrupts poll (Interrupted): poll again; the STOP event \
                 then closes the listener, and run returns once no client is left.",
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
        description => "The program prints `listening on ADDRESS` with the port the OS gave, echoes for a real client (OpenBSD netcat, which half-closes with -N), and on Ctrl-C lets its open connection finish, then prints its summary and exits with status 0.",
    }, {
        assert_snapshot!(redact_port(&transcript.text(), address));
    });
}
