//! Graded test for the program, `lab14-names`, run as a process the way you would run it:
//! a lookup against dnsmasq, printed like `dig +short` with a few words more.

mod support;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::Dns;

/// The program the grader built from src/main.rs (the grader says where at run time).
fn program_path() -> PathBuf {
    harness::program_path!("lab14-names")
}

#[test]
fn looks_a_name_up_like_dig() {
    let dns = Dns::start();
    let server = dns.address.to_string();
    let program = program_path();
    let mut child = dns
        .command(program.to_str().expect("the program's path is text"))
        .args([
            "lookup",
            "www.lab14.test",
            "--server",
            &server,
            "--type",
            "aaaa",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("the test could not start lab14-names ({error})"));
    let started = Instant::now();
    while child
        .try_wait()
        .expect("the test can wait for the program")
        .is_none()
    {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("`lab14-names lookup www.lab14.test …` was still running after 20 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let output = child
        .wait_with_output()
        .expect("the test can read the program's output");
    assert!(
        output.status.success(),
        "`lab14-names lookup www.lab14.test --server {server} --type aaaa` failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout).replace(&server, "127.0.0.1:PORT");
    insta::assert_snapshot!(format!(
        "$ lab14-names lookup www.lab14.test --server 127.0.0.1:PORT --type aaaa\n{printed}"
    ));
}
