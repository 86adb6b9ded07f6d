//! Graded tests for the program, `lab11-firewall`, run as a process the way an admin runs it:
//! its ruleset loaded by the real `nft`, and its diagnosis of a saved ruleset.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::lan::{ADMIN, Lan, OTHER};

/// How long the program may take: it does no network I/O, so a second is plenty.
const PROGRAM_LIMIT: Duration = Duration::from_secs(10);

/// The program the grader built from src/main.rs (the grader says where at run time).
fn program_path() -> PathBuf {
    harness::program_path!("lab11-firewall")
}

/// Runs `lab11-firewall ARGS…`, killing it if it runs longer than [`PROGRAM_LIMIT`].
fn run(args: &[String]) -> Output {
    let mut child = Command::new(program_path())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("the test could not start lab11-firewall ({error})"));
    let started = Instant::now();
    while child
        .try_wait()
        .expect("the test can wait for the program")
        .is_none()
    {
        if started.elapsed() > PROGRAM_LIMIT {
            let _ = child.kill();
            panic!(
                "`lab11-firewall {}` was still running after {} s: it reads no network, so \
                 something in it waits or loops",
                args.join(" "),
                PROGRAM_LIMIT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child
        .wait_with_output()
        .expect("the test can read the program's output")
}

#[test]
fn prints_a_ruleset_that_nft_loads() {
    let lan = Lan::build();
    let args = vec![
        "ruleset".to_string(),
        "--allow".into(),
        lan.web.port.to_string(),
        "--allow".into(),
        format!("{}@198.51.100.0/25", lan.ssh.port),
        "--refuse".into(),
        "reset".into(),
    ];
    let output = run(&args);
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "`lab11-firewall {}` failed ({}):\n{}",
        lan.named(&args.join(" ")),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    if let Err(said) = lan.load(&printed) {
        panic!("nft refused what `lab11-firewall ruleset` printed:\n{said}\n\n{printed}");
    }
    insta::assert_snapshot!(format!(
        "$ lab11-firewall {} | nft -f -\n{}",
        lan.named(&args.join(" ")),
        lan.matrix(&[ADMIN, OTHER])
    ));
}

#[test]
fn diagnoses_a_saved_ruleset() {
    let lan = Lan::build();
    let blocked = format!(
        "table inet filter {{
    chain input {{
        type filter hook input priority filter; policy accept;
        ip saddr 198.51.100.128/25 tcp dport {web} reject with icmpx admin-prohibited
    }}
}}
",
        web = lan.web.port
    );
    lan.load_test_rules(&blocked);
    let saved = std::env::temp_dir().join(format!("lab11-ruleset-{}.json", std::process::id()));
    std::fs::write(&saved, lan.ruleset_json()).expect("the test can write its temporary folder");
    let args = vec![
        "diagnose".to_string(),
        "--port".into(),
        lan.web.port.to_string(),
        "--from".into(),
        OTHER.to_string(),
        "--interface".into(),
        "to-client".into(),
        "--ruleset".into(),
        saved.display().to_string(),
    ];
    let output = run(&args);
    let _ = std::fs::remove_file(&saved);
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "`lab11-firewall diagnose …` failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let mut lines = printed.lines();
    let (decision, reach) = (
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or_default(),
    );
    let fix = lines.next().unwrap_or_default();
    assert!(
        fix.starts_with("the smallest fix: nft "),
        "the third line of `lab11-firewall diagnose` should be the smallest fix, but it is {fix:?}"
    );
    insta::assert_snapshot!(lan.named(&format!(
        "$ lab11-firewall diagnose --port web --from {OTHER} --interface to-client --ruleset saved.json\n\
         {decision}\n{reach}\n(then the smallest fix)"
    )));
}
