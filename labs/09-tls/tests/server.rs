//! Graded tests for `src/server.rs`: what the server does with clients that do not speak
//! TLS at all, the plaintext client and the silent one, without hanging, crashing, or
//! keeping anybody else waiting.

mod support;

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use lab09_tls::pki::{Validity, localhost_names};

use support::clients::{expect_connect, plain_connect, show};
use support::setup::{DAYS, Setup};
use support::test_server::{Limits, TestServer};
use support::{TOKEN, WAIT, seconds};

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// What a TLS record of a few bytes says, when it is an alert: `fatal alert 50 (decode_error)`.
fn describe_alert_record(bytes: &[u8]) -> String {
    match bytes {
        [0x15, 0x03, _, 0x00, 0x02, level, description] => {
            let level = match level {
                1 => "warning",
                2 => "fatal",
                _ => "unknown-level",
            };
            let name = match description {
                10 => " (unexpected_message)",
                50 => " (decode_error)",
                70 => " (protocol_version)",
                80 => " (internal_error)",
                _ => "",
            };
            format!("a TLS alert record: {level} alert {description}{name}")
        }
        [] => "nothing".to_string(),
        _ => "not a TLS alert record".to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejects_a_plaintext_client_and_keeps_serving() {
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

    let mut plain = plain_connect("plain", server.address, transcript).await;
    plain.send(&format!("AUTH {TOKEN}\n")).await;
    let (received, ending) = plain.read_until_closed(WAIT).await;
    transcript.note(format!(
        "plain receives {}: {}; then {ending}",
        show(&received),
        describe_alert_record(&received)
    ));
    if received
        .windows(TOKEN.len())
        .any(|window| window == TOKEN.as_bytes())
        || received.starts_with(b"OK")
    {
        transcript
            .fail(
                "the server answered the plaintext client in plaintext: a TLS server must \
                 never fall back to plaintext. Do the TLS handshake (acceptor.accept) before \
                 reading anything from the client.",
            )
            .await;
    }
    if ending != "the end of the stream" {
        transcript
            .fail(format!(
                "after its alert, the server should close the plaintext client's connection, \
                 but plain got {ending}. When acceptor.accept fails, return \
                 Outcome::HandshakeFailed at once: that drops the connection."
            ))
            .await;
    }

    let mut alice = expect_connect(
        "alice",
        server.address,
        "localhost",
        &setup.client,
        transcript,
    )
    .await;
    alice.log_in().await;
    alice.send("still serving?\n").await;
    alice.expect_reply("still serving?\n").await;
    alice.half_close().await;
    alice.expect_end("after the echo").await;
    server.stop().await;
    with_settings!({
        description => "A client that writes plaintext to the TLS port: the server's handshake fails (what arrived is not TLS, InvalidContentType), rustls answers with a 7-byte TLS alert record, the connection is closed, and the next TLS client is served as usual. The token the plaintext client sent went over the wire in clear: that is the client's mistake, and why a client must never fall back to plaintext either.",
    }, {
        assert_snapshot!(transcript.text());
    });
}

/// The handshake limit of the silent-client test: long enough for a TLS client to be
/// served several times over, short enough to wait for.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(2);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drops_a_silent_client_without_making_others_wait() {
    let setup = Setup::new();
    let transcript = &setup.transcript;
    let identity = setup.issue(
        "for localhost_names()",
        localhost_names(),
        Validity::days_from_now(DAYS),
    );
    let limits = Limits {
        handshake: HANDSHAKE_LIMIT,
        ..Limits::default()
    };
    transcript.note(format!(
        "the server's handshake time limit is {}",
        seconds(HANDSHAKE_LIMIT)
    ));
    let server =
        TestServer::start(setup.server_config(identity), LOOPBACK, limits, transcript).await;

    let mut silent = plain_connect("silent", server.address, transcript).await;
    transcript.note("silent says nothing, not even a TLS ClientHello");
    let mut alice = expect_connect(
        "alice",
        server.address,
        "localhost",
        &setup.client,
        transcript,
    )
    .await;
    alice.log_in().await;
    alice.send("am I served while silent waits?\n").await;
    alice
        .expect_reply("am I served while silent waits?\n")
        .await;
    silent
        .expect_still_open(
            "alice did not have to wait for silent's handshake, which has not timed out yet",
        )
        .await;
    alice.half_close().await;
    alice.expect_end("after the echo").await;

    let (received, ending) = silent.read_until_closed(HANDSHAKE_LIMIT + WAIT).await;
    if ending != "the end of the stream" {
        transcript
            .fail(format!(
                "silent said nothing for {} and the server should have closed its connection \
                 after the handshake limit ({}), but silent got {ending}. Put the handshake \
                 under tokio::time::timeout(settings.handshake_timeout, acceptor.accept(stream)).",
                seconds(HANDSHAKE_LIMIT + WAIT),
                seconds(HANDSHAKE_LIMIT)
            ))
            .await;
    }
    transcript.note(format!(
        "silent receives {}, then the end of the stream: the server gave up on it",
        if received.is_empty() {
            "nothing".to_string()
        } else {
            show(&received)
        }
    ));
    server.stop().await;
    with_settings!({
        description => "A client that connects and never starts the handshake holds a connection only until the handshake time limit (a timeout around acceptor.accept), and never keeps another client waiting (the handshake runs in the connection's task, not in the accept loop).",
    }, {
        assert_snapshot!(transcript.text());
    });
}
