//! Graded tests for `src/tls.rs`, `src/client.rs` and `src/failure.rs`: a secure setup
//! completes the TLS handshake, and each classic mistake of the server's certificate is
//! refused by the client with the right error, while the server learns why from the
//! client's alert.

mod support;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use insta::{assert_snapshot, with_settings};
use lab09_tls::failure::{HandshakeError, classify};
use lab09_tls::pki::{
    CA_NAME, CertificateAuthority, Validity, dns_name, localhost_names,
    self_signed_server_certificate,
};
use lab09_tls::tls::provider;
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::{TlsAcceptor, TlsConnector};

use support::WAIT;
use support::clients::{expect_connect, expect_refused};
use support::setup::{DAYS, Setup};
use support::test_server::{Limits, TestServer, listen_on};
use support::transcript::Transcript;

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Fails the test unless `error` is what `expected` says.
async fn expect_error(
    transcript: &Transcript,
    error: &HandshakeError,
    expected: fn(&HandshakeError) -> bool,
    advice: &str,
) {
    if !expected(error) {
        transcript
            .fail(format!(
                "the client refused the server, which is right, but for the wrong reason: \
                 {error} ({error:?}). {advice}"
            ))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_over_tls_by_name_and_by_address() {
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

    for (name, dialled) in [("alice", "localhost"), ("bob", "127.0.0.1")] {
        let mut client =
            expect_connect(name, server.address, dialled, &setup.client, transcript).await;
        client.log_in().await;
        let line = format!("hello from {name}, over TLS\n");
        client.send(&line).await;
        client.expect_reply(&line).await;
        client.half_close().await;
        client
            .expect_end("the server shut down its side after the echo")
            .await;
    }
    server.stop().await;
    with_settings!({
        description => "A secure setup: a certificate from our CA for localhost, 127.0.0.1 and ::1, a server on TLS 1.3 (server_config), and a client that trusts only our CA (trusted_roots, client_config) and connects within a time limit (client::connect). Dialling the name or the address both work.",
    }, {
        assert_snapshot!(transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_certificate_for_another_name() {
    let setup = Setup::new();
    let transcript = &setup.transcript;
    let wrong_name = setup.issue(
        "for example.test only",
        vec![dns_name("example.test")],
        Validity::days_from_now(DAYS),
    );
    let server = TestServer::start(
        setup.server_config(wrong_name),
        LOOPBACK,
        Limits::default(),
        transcript,
    )
    .await;
    let error = expect_refused(
        "alice",
        server.address,
        "localhost",
        &setup.client,
        transcript,
        "its certificate is for example.test, and the client dialled localhost",
    )
    .await;
    expect_error(
        transcript,
        &error,
        |error| matches!(error, HandshakeError::NotValidForName { .. }),
        "A certificate for another name is NotValidForName: rustls reports it as \
         InvalidCertificate(NotValidForNameContext { presented, .. }) (or NotValidForName); \
         classify must match both.",
    )
    .await;
    server.stop().await;

    let dns_only = setup.issue(
        "for the DNS name localhost only, without the IP SANs",
        vec![dns_name("localhost")],
        Validity::days_from_now(DAYS),
    );
    let server = TestServer::start(
        setup.server_config(dns_only),
        LOOPBACK,
        Limits::default(),
        transcript,
    )
    .await;
    let mut bob = expect_connect(
        "bob",
        server.address,
        "localhost",
        &setup.client,
        transcript,
    )
    .await;
    bob.log_in().await;
    bob.half_close().await;
    bob.expect_end("nothing to echo").await;
    let error = expect_refused(
        "carol",
        server.address,
        "127.0.0.1",
        &setup.client,
        transcript,
        "its certificate names only the DNS name localhost, and the client dialled the \
         address 127.0.0.1, which needs an IP SAN",
    )
    .await;
    expect_error(
        transcript,
        &error,
        |error| matches!(error, HandshakeError::NotValidForName { .. }),
        "A certificate without the address dialled is NotValidForName.",
    )
    .await;
    server.stop().await;
    with_settings!({
        description => "The client checks that the certificate names what it dialled: a certificate for example.test is refused for localhost, and one for the DNS name localhost is refused for the address 127.0.0.1 (an IP SAN is a different kind of name). The server only learns the client's alert, BadCertificate.",
    }, {
        assert_snapshot!(transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_an_expired_certificate() {
    let setup = Setup::new();
    let transcript = &setup.transcript;
    let expired = setup.issue(
        "for localhost_names() that expired yesterday",
        localhost_names(),
        Validity::ended_days_ago(1),
    );
    let server = TestServer::start(
        setup.server_config(expired),
        LOOPBACK,
        Limits::default(),
        transcript,
    )
    .await;
    let error = expect_refused(
        "alice",
        server.address,
        "localhost",
        &setup.client,
        transcript,
        "its certificate expired yesterday",
    )
    .await;
    expect_error(
        transcript,
        &error,
        |error| matches!(error, HandshakeError::Expired),
        "An expired certificate is Expired: rustls reports it as \
         InvalidCertificate(ExpiredContext { .. }) (or Expired); classify must match both. \
         If the client says something else, check that issue_server_certificate copies the \
         validity it is given into the certificate.",
    )
    .await;
    server.stop().await;
    with_settings!({
        description => "A certificate whose not_after is in the past is refused by the client (Expired); the server learns it from the alert CertificateExpired.",
    }, {
        assert_snapshot!(transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_certificate_from_an_unknown_issuer() {
    let setup = Setup::new();
    let transcript = &setup.transcript;
    let self_signed =
        self_signed_server_certificate(localhost_names(), Validity::days_from_now(DAYS))
            .unwrap_or_else(|error| panic!("self_signed_server_certificate failed: {error}"));
    transcript.note("the test makes a self-signed server certificate for localhost_names()");
    let server = TestServer::start(
        setup.server_config(self_signed),
        LOOPBACK,
        Limits::default(),
        transcript,
    )
    .await;
    let error = expect_refused(
        "alice",
        server.address,
        "localhost",
        &setup.client,
        transcript,
        "its certificate is self-signed, not signed by our CA",
    )
    .await;
    expect_error(
        transcript,
        &error,
        |error| matches!(error, HandshakeError::UnknownIssuer),
        "A certificate not signed by a trusted CA is InvalidCertificate(UnknownIssuer).",
    )
    .await;
    server.stop().await;

    let impostor = CertificateAuthority::generate(CA_NAME, Validity::days_from_now(DAYS))
        .unwrap_or_else(|error| panic!("CertificateAuthority::generate failed: {error}"));
    let from_impostor = impostor
        .issue_server_certificate(localhost_names(), Validity::days_from_now(DAYS))
        .unwrap_or_else(|error| panic!("issue_server_certificate failed: {error}"));
    transcript.note(format!(
        "the test makes another CA with the same name, CN={CA_NAME}, but its own key, and a \
         certificate for localhost_names() from it"
    ));
    let server = TestServer::start(
        setup.server_config(from_impostor),
        LOOPBACK,
        Limits::default(),
        transcript,
    )
    .await;
    let error = expect_refused(
        "bob",
        server.address,
        "localhost",
        &setup.client,
        transcript,
        "its certificate comes from another CA that only has the same name as ours",
    )
    .await;
    expect_error(
        transcript,
        &error,
        |error| matches!(error, HandshakeError::BadSignature),
        "This certificate names our CA as its issuer, but another key signed it: rustls finds \
         our CA by its name, then the signature check fails, InvalidCertificate(BadSignature).",
    )
    .await;
    server.stop().await;
    with_settings!({
        description => "The client trusts only our CA's key: a self-signed certificate is UnknownIssuer (the server learns it from the alert UnknownCA), and a certificate from another CA that merely has the same name fails its signature check, BadSignature.",
    }, {
        assert_snapshot!(transcript.text());
    });
}

/// A client or server configuration that speaks TLS 1.2 only, made by the test.
fn tls12_client(roots: RootCertStore) -> Arc<ClientConfig> {
    let config = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS12])
        .expect("ring supports TLS 1.2")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn speaks_only_tls_1_3() {
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
    let mut roots = RootCertStore::empty();
    roots
        .add(setup.ca.certificate().clone())
        .expect("the CA's certificate can be a trust anchor");
    let old_client = TlsConnector::from(tls12_client(roots));
    let name = ServerName::try_from("localhost").expect("a valid name");
    let attempt = async {
        let tcp = TcpStream::connect(server.address).await?;
        old_client.connect(name, tcp).await
    };
    match timeout(WAIT, attempt).await {
        Ok(Ok(stream)) => {
            let version = stream.get_ref().1.protocol_version();
            transcript
                .fail(format!(
                    "a client that offers only TLS 1.2 completed the handshake ({version:?}), \
                     but the server must speak TLS 1.3 only: build the ServerConfig with \
                     .with_protocol_versions(PROTOCOL_VERSIONS), not the defaults, which \
                     include TLS 1.2."
                ))
                .await
        }
        Ok(Err(error)) => transcript.note(format!(
            "a client that offers only TLS 1.2 dials localhost: refused: {}",
            classify(&error)
        )),
        Err(_) => {
            transcript
                .fail("the TLS 1.2 client's handshake neither completed nor failed in time.")
                .await
        }
    }
    server.stop().await;

    // And the other way round: your client facing a server that offers only TLS 1.2.
    let old_identity = setup.issue(
        "for localhost_names(), for a server that speaks only TLS 1.2",
        localhost_names(),
        Validity::days_from_now(DAYS),
    );
    let old_server = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS12])
        .expect("ring supports TLS 1.2")
        .with_no_client_auth()
        .with_single_cert(old_identity.certificate_chain, old_identity.private_key)
        .expect("a certificate and its key");
    let listener = listen_on(LOOPBACK).await;
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    let acceptor = TlsAcceptor::from(Arc::new(old_server));
    let old_server = tokio::spawn(async move {
        let (stream, _) = timeout(WAIT, listener.accept()).await.ok()?.ok()?;
        let result = timeout(WAIT, acceptor.accept(stream)).await.ok()?;
        Some(result.err().map(|error| classify(&error)))
    });
    transcript.note("the test starts a server of its own that speaks only TLS 1.2");
    expect_refused(
        "alice",
        address,
        "localhost",
        &setup.client,
        transcript,
        "that server speaks only TLS 1.2, and the client must insist on TLS 1.3",
    )
    .await;
    match old_server.await {
        Ok(Some(Some(error))) => {
            transcript.note(format!("the TLS 1.2 server's handshake fails: {error}"))
        }
        Ok(Some(None)) => transcript.note("the TLS 1.2 server's handshake succeeds"),
        _ => transcript.note("the TLS 1.2 server saw no handshake"),
    }
    with_settings!({
        description => "Both sides speak TLS 1.3 only (PROTOCOL_VERSIONS in server_config and client_config): a client that offers only TLS 1.2 gets the alert ProtocolVersion, and our client refuses a server that speaks only TLS 1.2.",
    }, {
        assert_snapshot!(transcript.text());
    });
}
