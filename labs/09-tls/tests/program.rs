//! Graded test of the program (`src/main.rs` and `src/cli.rs`, built on all of your code),
//! checked the way a security tester checks a TLS service on 127.0.0.1: with
//! `openssl s_client`.

mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use insta::{assert_snapshot, with_settings};

use support::WAIT;
use support::program::{Program, brief_summary, require_openssl, s_client};
use support::seconds;

/// The program's log lines, with each client's port (different every run) taken out.
fn redact_clients(stderr: &str) -> String {
    let mut lines = Vec::new();
    for line in stderr.lines() {
        let line = match line.strip_prefix("127.0.0.1:") {
            Some(rest) => match rest.split_once(": ") {
                Some((port, what)) if port.bytes().all(|byte| byte.is_ascii_digit()) => {
                    format!("127.0.0.1:[client port]: {what}")
                }
                _ => line.to_string(),
            },
            None => line.to_string(),
        };
        lines.push(format!("  {line}"));
    }
    lines.join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_openssl_s_client_on_tls_1_3_only() {
    require_openssl().await;
    let dir = std::env::temp_dir().join(format!("lab09-program-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let dir_text = dir.to_string_lossy().into_owned();
    let mut program = Program::spawn(&["--listen", "127.0.0.1:0", "--dir", &dir_text]);
    let address = program.listening_address().await;
    let ca_file = dir.join("ca.pem");
    let token_file = dir.join("token");
    let token = fs::read_to_string(&token_file).unwrap_or_else(|error| {
        panic!(
            "the program listens, but {} cannot be read ({error}). {}",
            token_file.display(),
            program.output.stderr_for_message()
        )
    });
    let mode = fs::metadata(&token_file)
        .map(|metadata| metadata.permissions().mode() & 0o777)
        .unwrap_or(0);

    let mut report = vec![
        "$ lab09-tls --listen 127.0.0.1:0 --dir DIR".to_string(),
        "listening on 127.0.0.1:[port]".to_string(),
        format!("DIR/token: {} characters, mode {mode:o}", token.len()),
    ];

    let line = "hello from openssl\n";
    let input = format!("AUTH {token}\n{line}");
    for verify in [
        ["-verify_hostname", "localhost"],
        ["-verify_ip", "127.0.0.1"],
    ] {
        let run = s_client(address, &ca_file, &verify, &input, line).await;
        report.push(format!(
            "$ openssl s_client -connect 127.0.0.1:[port] -CAfile DIR/ca.pem -verify_return_error -brief {}",
            verify.join(" ")
        ));
        report.extend(brief_summary(&run.output.stderr()));
        let stdout = run.output.stdout();
        if stdout != format!("OK\n{line}") {
            panic!(
                "openssl s_client {} sent `AUTH <token>` and {line:?}, and expected \"OK\\n\" \
                 and the echo back, but got {stdout:?} (exit status {:?}).\n\nopenssl's \
                 standard error:\n{}\n\nThe program's standard error:\n{}",
                verify.join(" "),
                run.status,
                run.output.stderr(),
                program.output.stderr()
            );
        }
        report.push("  it receives \"OK\\n\", then its line back".to_string());
    }

    let old = s_client(address, &ca_file, &["-tls1_2"], &input, "").await;
    report.push(
        "$ openssl s_client -connect 127.0.0.1:[port] -CAfile DIR/ca.pem -verify_return_error -brief -tls1_2"
            .to_string(),
    );
    let established = old.output.stderr().contains("CONNECTION ESTABLISHED");
    if established || old.output.stdout().contains("OK") {
        panic!(
            "openssl s_client -tls1_2 completed a TLS 1.2 handshake with the program, which \
             must speak TLS 1.3 only.\n\nopenssl's standard error:\n{}",
            old.output.stderr()
        );
    }
    report.push(format!(
        "  the handshake fails, and openssl exits with a failure status: {}",
        if old.status.is_some_and(|status| status != 0) {
            "yes"
        } else {
            "no"
        }
    ));

    program.interrupt().await;
    let status = program.wait_for_exit().await;
    let Some(status) = status else {
        panic!(
            "the program did not exit within {} after Ctrl-C (SIGINT). {}",
            seconds(WAIT),
            program.output.stderr_for_message()
        );
    };
    report.push("(Ctrl-C)".to_string());
    report.push(format!(
        "the program exits with status {}, having printed on standard output:",
        status
            .code()
            .map_or("?".to_string(), |code| code.to_string())
    ));
    for line in program.output.stdout().lines().skip(1) {
        report.push(format!("  {line}"));
    }
    report.push("and on standard error:".to_string());
    report.push(redact_clients(
        &program.output.stderr().replace(&dir_text, "DIR"),
    ));
    let _ = fs::remove_dir_all(&dir);
    with_settings!({
        description => "The whole program, checked with OpenSSL's test client: it verifies the chain against DIR/ca.pem only (-CAfile), the name localhost and the address 127.0.0.1 (SANs), speaks TLS 1.3 and refuses TLS 1.2; the token file is readable by its owner only (mode 600).",
    }, {
        assert_snapshot!(report.join("\n"));
    });
}
