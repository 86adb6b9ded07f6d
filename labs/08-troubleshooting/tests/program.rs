//! Graded test for the program, `probe` (src/main.rs and src/cli.rs are given), started as a
//! process the way you run it in a terminal: a refused port, an open one, and a port a server
//! cannot listen on because another process holds it.

mod support;

use insta::{assert_snapshot, with_settings};

use support::held::port_held_by_sleep;
use support::program::run_probe;
use support::{redact, redact_times, refused_address};

#[tokio::test]
async fn prints_verdicts_timings_and_advice() {
    let refused = refused_address().to_string();
    let held = port_held_by_sleep();
    let held_address = held.address.to_string();

    let commands: [&[&str]; 3] = [
        &[&refused, "--timeout-ms", "2000"],
        &[&held_address, "--timeout-ms", "2000"],
        &["--listen", &held_address],
    ];
    let mut transcript = String::new();
    let mut runs = Vec::new();
    for args in commands {
        let run = run_probe(args).await;
        transcript += &run.transcript(args);
        transcript.push('\n');
        runs.push(run);
    }
    let sleep_holds = format!("pid {} (sleep)", held.pid);
    assert_eq!(
        runs[0].status,
        Some(1),
        "`probe {refused}` (nothing listens) should print the diagnosis and exit with 1:\n{}",
        runs[0].transcript(commands[0])
    );
    assert!(
        runs[1].status == Some(0) && runs[1].stdout.contains(&sleep_holds),
        "`probe {held_address}`: a `sleep` process ({sleep_holds}) holds a listener there, so \
         the port is open (exit status 0) and the report should say `listening there: \
         {sleep_holds}` (diagnose sets `listener` with who_holds for an open loopback address):\n{}",
        runs[1].transcript(commands[1])
    );
    assert!(
        runs[2].status == Some(1) && runs[2].stdout.contains(&sleep_holds),
        "`probe --listen {held_address}`: the port is in use, and the report should name \
         {sleep_holds}:\n{}",
        runs[2].transcript(commands[2])
    );

    let refused_port = refused
        .rsplit_once(':')
        .map(|(_, port)| port)
        .unwrap_or_default();
    let text = redact_times(&transcript);
    let text = redact(&text, refused_port, "[port]");
    let text = redact(&text, held.address.port(), "[held port]");
    let text = redact(&text, held.pid, "[pid]");
    with_settings!({
        description => "The program on 127.0.0.1: a refused port (exit 1), a port where a `sleep` process listens (open, exit 0, and who listens), and --listen on that port (in use, exit 1, and who holds it). Times are written [time].",
    }, {
        assert_snapshot!(text);
    });
}
