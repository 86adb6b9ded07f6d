//! Graded tests for `src/auth.rs` and the server's use of it: `AUTH <token>` first, compared
//! exactly (and in constant time), a clear `ERR` and a closed connection for anything else.

mod support;

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use lab09_tls::auth::{AuthFailure, MAX_AUTH_LINE, Token, check_auth_line, tokens_match};
use lab09_tls::pki::{Validity, localhost_names};

use support::clients::{expect_connect, show};
use support::setup::{DAYS, Setup};
use support::test_server::{Limits, TestServer};
use support::{TOKEN, seconds};

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

#[test]
fn compares_tokens_exactly() {
    let expected = b"s3cret";
    let mut report = vec!["tokens_match(b\"s3cret\", presented):".to_string()];
    for presented in [
        &b"s3cret"[..],
        b"s3cre",
        b"s",
        b"",
        b"s3cret!",
        b"s3cret s3cret",
        b"S3CRET",
        b"s3cres",
        b"x3cret",
    ] {
        report.push(format!(
            "  {:<18} {}",
            show(presented),
            tokens_match(expected, presented)
        ));
    }
    let token = Token::new("s3cret");
    report.push("check_auth_line(line, s3cret):".to_string());
    for line in [
        &b"AUTH s3cret\n"[..],
        b"AUTH s3cret\r\n",
        b"AUTH s3cre\n",
        b"AUTH s3cret2\n",
        b"AUTH \n",
        b"AUTH  s3cret\n",
        b"AUTHs3cret\n",
        b"auth s3cret\n",
        b"hello\n",
        b"\n",
    ] {
        let verdict = match check_auth_line(line, &token) {
            Ok(()) => "Ok".to_string(),
            Err(failure) => format!("Err({failure:?})"),
        };
        report.push(format!("  {:<18} {verdict}", show(line)));
    }
    report.push(format!("Debug of the token: {token:?}"));
    with_settings!({
        description => "tokens_match accepts exactly the token: not a prefix of it, not more, not another case. check_auth_line wants `AUTH `, one space, then exactly the token (\\r\\n is tolerated). A token's Debug never shows the secret.",
    }, {
        assert_snapshot!(report.join("\n"));
    });
}

/// The auth limit of the wrong-token test, for the client that never sends its line.
const AUTH_LIMIT: Duration = Duration::from_secs(1);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_wrong_or_missing_token_and_closes() {
    let setup = Setup::new();
    let transcript = &setup.transcript;
    let identity = setup.issue(
        "for localhost_names()",
        localhost_names(),
        Validity::days_from_now(DAYS),
    );
    let limits = Limits {
        auth: AUTH_LIMIT,
        ..Limits::default()
    };
    transcript.note(format!(
        "the server's token is {TOKEN:?}, and its AUTH time limit {}",
        seconds(AUTH_LIMIT)
    ));
    let server =
        TestServer::start(setup.server_config(identity), LOOPBACK, limits, transcript).await;
    let too_long = format!("AUTH {}", "A".repeat(MAX_AUTH_LINE + 44));
    let prefix = format!("AUTH {}\n", &TOKEN[..TOKEN.len() - 1]);
    let cases: [(&str, &str, AuthFailure); 5] = [
        ("eve", "AUTH guess\n", AuthFailure::WrongToken),
        ("frank", &prefix, AuthFailure::WrongToken),
        ("grace", "hello, echo?\n", AuthFailure::NotAnAuthLine),
        ("heidi", &too_long, AuthFailure::LineTooLong),
        ("ivan", "", AuthFailure::TimedOut),
    ];
    for (name, first, failure) in cases {
        let mut client =
            expect_connect(name, server.address, "localhost", &setup.client, transcript).await;
        if first.is_empty() {
            transcript.note(format!("{name} sends nothing"));
        } else {
            client.send(first).await;
        }
        client.expect_reply(&failure.reply()).await;
        client
            .expect_end("the server closed the connection after its ERR line")
            .await;
    }
    server.stop().await;
    with_settings!({
        description => "After the handshake, the first line must be `AUTH <token>` with exactly the token, within the time limit and MAX_AUTH_LINE bytes. Anything else gets `ERR <why>` and the connection is shut down (close_notify, FIN): the client reads the end of the stream.",
    }, {
        assert_snapshot!(transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_after_the_right_token() {
    let setup = Setup::new();
    let transcript = &setup.transcript;
    let identity = setup.issue(
        "for localhost_names()",
        localhost_names(),
        Validity::days_from_now(DAYS),
    );
    let server = TestServer::start(
        setup.server_config(identity),
        LOOPBACK,
        Limits::default(),
        transcript,
    )
    .await;
    let mut alice = expect_connect(
        "alice",
        server.address,
        "localhost",
        &setup.client,
        transcript,
    )
    .await;
    alice.send(&format!("AUTH {TOKEN}\n")).await;
    alice.expect_reply("OK\n").await;
    alice.send("first line\n").await;
    alice.expect_reply("first line\n").await;
    alice.send("second line\n").await;
    alice.expect_reply("second line\n").await;
    alice.half_close().await;
    alice.expect_end("after the echo").await;

    let mut bob = expect_connect(
        "bob",
        server.address,
        "localhost",
        &setup.client,
        transcript,
    )
    .await;
    bob.send(&format!(
        "AUTH {TOKEN}\r\nbob's line, in the same write as AUTH\n"
    ))
    .await;
    bob.expect_reply("OK\nbob's line, in the same write as AUTH\n")
        .await;
    bob.half_close().await;
    bob.expect_end("after the echo").await;
    server.stop().await;
    with_settings!({
        description => "With the right token the server answers OK, then echoes as in lab 04. Bytes that arrive together with the AUTH line (bob) are already in the BufReader's buffer: the echo must go on through that same BufReader, or they are lost.",
    }, {
        assert_snapshot!(transcript.text());
    });
}
