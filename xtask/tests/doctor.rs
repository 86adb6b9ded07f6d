//! `cargo xtask doctor`: on this machine, which has every tool, and on a `PATH` that lacks
//! some, or has the wrong `nc`.

mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use support::{xtask, xtask_with_env};

/// Tools the machine has, each linked into a folder of its own, to be the whole `PATH`.
fn path_with(dir: &Path, tools: &[&str]) {
    for tool in tools {
        let real = which(tool).unwrap_or_else(|| panic!("this machine has {tool}"));
        std::os::unix::fs::symlink(real, dir.join(tool)).unwrap();
    }
}

fn which(tool: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(tool))
        .find(|candidate| candidate.is_file())
}

const EVERY_TOOL_BUT_CURL_AND_JQ: &[&str] = &[
    "bwrap", "nc", "ip", "nft", "tc", "tcpdump", "dnsmasq", "chromium", "openssl", "git", "node",
    "npm", "g++", "make", "python3",
];

#[test]
fn on_this_machine_everything_is_here() {
    let run = xtask(&["doctor"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .trim_end()
            .ends_with("Everything the course uses is here."),
        "{}",
        run.stdout
    );
    for tool in [
        "bwrap", "nc", "curl", "chromium", "openssl", "ip", "nft", "tc", "tcpdump", "dnsmasq",
        "jq", "node",
    ] {
        assert!(
            run.stdout
                .lines()
                .any(|line| line.starts_with(tool) && line.contains(" ok ")),
            "a row for {tool}: {}",
            run.stdout
        );
    }
    let quiet = xtask(&["doctor", "--quiet"]);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""));
    let install = xtask(&["doctor", "--install"]);
    assert_eq!(install.code, 0, "nothing to install: {}", install.stdout);
    assert!(!install.stdout.contains("$ "), "{}", install.stdout);
}

#[test]
fn a_missing_tool_is_named_with_what_needs_it_and_the_command_that_installs_it() {
    let bin = tempfile::tempdir().unwrap();
    path_with(bin.path(), EVERY_TOOL_BUT_CURL_AND_JQ);
    path_with(bin.path(), &["apt-get"]);
    let path = bin.path().to_str().unwrap();
    let run = xtask_with_env(&["doctor"], &[("PATH", path)]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let row = |tool: &str| {
        run.stdout
            .lines()
            .find(|line| line.starts_with(&format!("{tool} ")))
            .unwrap_or_else(|| panic!("a row for {tool}: {}", run.stdout))
            .to_string()
    };
    assert!(row("curl").contains("MISSING") && row("curl").contains("lab 07"));
    assert!(row("nc").contains(" ok "), "{}", row("nc"));
    assert!(
        run.stdout.contains("missing (2): curl, jq"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .lines()
            .any(|line| line.trim().ends_with("apt-get install -y -qq curl jq")),
        "the one command to type: {}",
        run.stdout
    );

    let quiet = xtask_with_env(&["doctor", "--quiet"], &[("PATH", path)]);
    assert_eq!(quiet.code, 1);
    assert_eq!(
        quiet.stdout.lines().count(),
        1,
        "one line, for a test run to stop on: {}",
        quiet.stdout
    );
    assert!(
        quiet
            .stdout
            .starts_with("missing: curl, jq — run `cargo xtask doctor`")
    );
}

#[test]
fn a_netcat_that_is_not_openbsd_s_is_the_wrong_one() {
    let bin = tempfile::tempdir().unwrap();
    let tools: Vec<&str> = EVERY_TOOL_BUT_CURL_AND_JQ
        .iter()
        .copied()
        .filter(|tool| *tool != "nc")
        .chain(["curl", "jq"])
        .collect();
    path_with(bin.path(), &tools);
    // Another netcat, as its help would read: no -N, which the echo labs' tests need.
    let other_nc = bin.path().join("nc");
    fs::write(
        &other_nc,
        "#!/bin/sh\necho 'GNU netcat 0.7.1, a rewrite of the famous networking tool.' >&2\nexit 1\n",
    )
    .unwrap();
    fs::set_permissions(&other_nc, fs::Permissions::from_mode(0o755)).unwrap();
    let path = bin.path().to_str().unwrap();
    let run = xtask_with_env(&["doctor"], &[("PATH", path)]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .lines()
            .any(|line| line.starts_with("nc ") && line.contains("not OpenBSD's")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("missing (1): nc"), "{}", run.stdout);
}

#[test]
fn packages_for_a_dockerfile_are_one_line() {
    let apt = xtask(&["doctor", "--packages", "apt"]);
    assert_eq!(apt.code, 0);
    assert_eq!(apt.stdout.lines().count(), 1);
    assert!(apt.stdout.contains("bubblewrap netcat-openbsd iproute2"));
    let dnf = xtask(&["doctor", "--packages", "dnf"]);
    assert!(dnf.stdout.contains("iproute ") && dnf.stdout.contains("gcc-c++"));
}

#[test]
fn a_test_run_without_a_tool_stops_at_once_with_one_line() {
    if std::env::var_os("LOOPBACK_LABS_DOCTOR_CHILD").is_some() {
        // In the child: the first helper a test calls checks the tools.
        let _ = support::repo();
        return;
    }
    let bin = tempfile::tempdir().unwrap();
    path_with(bin.path(), EVERY_TOOL_BUT_CURL_AND_JQ);
    let this_test = std::env::current_exe().unwrap();
    let child = std::process::Command::new(this_test)
        .args([
            "--exact",
            "a_test_run_without_a_tool_stops_at_once_with_one_line",
        ])
        .env("LOOPBACK_LABS_DOCTOR_CHILD", "1")
        .env("PATH", bin.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&child.stderr);
    assert_eq!(child.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "cargo test cannot run here: missing: curl, jq — run `cargo xtask doctor` to see what needs them and how to install them"
    );
}
