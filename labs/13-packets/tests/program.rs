//! Graded test for the program, `lab13-packets`, run as a process the way you run it: a
//! capture on the server's end of the cable saved to a file, then the file read back.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::cable::{Cable, SERVER, SERVER_SIDE};
use support::redact;
use support::traffic::{client_address_for, closed_udp_port};

/// How long the program may take: it captures for a few seconds at most.
const PROGRAM_LIMIT: Duration = Duration::from_secs(30);

/// The program the grader built from src/main.rs (the grader says where at run time).
fn program_path() -> PathBuf {
    harness::program_path!("lab13-packets")
}

/// Waits for `child`, killing it if it runs longer than [`PROGRAM_LIMIT`], while `meanwhile`
/// runs once every 100 ms.
fn wait(mut child: std::process::Child, what: &str, mut meanwhile: impl FnMut()) -> Output {
    let started = Instant::now();
    while child
        .try_wait()
        .expect("the test can wait for the program")
        .is_none()
    {
        if started.elapsed() > PROGRAM_LIMIT {
            let _ = child.kill();
            panic!(
                "`{what}` was still running after {} s: it should stop after --count frames or \
                 --seconds seconds",
                PROGRAM_LIMIT.as_secs()
            );
        }
        meanwhile();
        std::thread::sleep(Duration::from_millis(100));
    }
    child
        .wait_with_output()
        .expect("the test can read the program's output")
}

/// The lines a run printed, without their first column (the time since the first frame), and
/// only those between the two machines' IPv4 addresses.
fn lines_between_the_machines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            line.split_once(' ')
                .map(|(_, rest)| rest)
                .unwrap_or(line)
                .to_string()
        })
        .filter(|line| line.contains("198.51.100."))
        .collect()
}

#[test]
fn captures_to_a_file_and_reads_it_back() {
    let cable = Cable::build();
    let closed = closed_udp_port(&cable, SERVER);
    let file = std::env::temp_dir().join(format!("lab13-program-{}.pcap", std::process::id()));
    let capture_args = format!(
        "capture {SERVER_SIDE} --count 8 --seconds 20 --write {}",
        file.display()
    );
    let child = cable
        .server
        .command(program_path().to_str().expect("a path in UTF-8"))
        .args(capture_args.split(' '))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("the test could not start lab13-packets ({error})"));
    // One datagram every 100 ms to a closed port (each answered by an ICMP error), from one
    // socket, until the capture has its 8 frames.
    let sender = cable
        .client
        .run(|| std::net::UdpSocket::bind((client_address_for(SERVER), 0)))
        .expect("the client can bind UDP");
    let client = sender.local_addr().expect("a bound socket has an address");
    let captured = wait(child, "lab13-packets capture …", || {
        let _ = sender.send_to(b"knock", closed);
    });
    assert!(
        captured.status.success(),
        "`lab13-packets {capture_args}` failed ({}): {}",
        captured.status,
        String::from_utf8_lossy(&captured.stderr).trim()
    );
    let read = wait(
        Command::new(program_path())
            .arg("read")
            .arg(&file)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("the test could not start lab13-packets ({error})")),
        "lab13-packets read FILE",
        || {},
    );
    let _ = std::fs::remove_file(&file);
    assert!(
        read.status.success(),
        "`lab13-packets read FILE` failed ({}) on the file its capture wrote: {}",
        read.status,
        String::from_utf8_lossy(&read.stderr).trim()
    );
    let printed_while_capturing = String::from_utf8_lossy(&captured.stdout).lines().count();
    let printed_when_reading = String::from_utf8_lossy(&read.stdout).lines().count();
    assert_eq!(
        (printed_while_capturing, printed_when_reading),
        (8, 8),
        "`capture … --count 8` should print one line per frame, and `read` one line per frame of \
         the file it wrote (lines while capturing, lines when reading)"
    );
    let ours = lines_between_the_machines(&captured);
    assert_eq!(
        lines_between_the_machines(&read),
        ours,
        "`read FILE` should print the same lines as the capture that wrote FILE"
    );
    let ports = [(client.port(), "CLIENT"), (closed.port(), "CLOSED")];
    // The first datagram may cross before the capture starts: show the first of each kind.
    let first_two: Vec<String> = [": UDP, ", ": ICMP "]
        .iter()
        .filter_map(|kind| ours.iter().find(|line| line.contains(kind)))
        .map(|line| redact(line, &ports))
        .collect();
    insta::assert_snapshot!(format!(
        "$ lab13-packets capture {SERVER_SIDE} --count 8 --seconds 20 --write FILE\n\
         8 lines, the same as `lab13-packets read FILE` prints; the first datagram and the first ICMP error:\n{}",
        first_two.join("\n")
    ));
}
