//! Connecting over TLS, with a time limit on every step.
//!
//! A TLS client does two things before it can send a byte of data: it opens
//! a TCP connection, then it runs the TLS handshake over it. Either can hang
//! (a server that accepts and never answers, a packet filter that drops
//! everything), so both run under one time limit.
//!
//! The client must say **which name it expects** the server to have: that is
//! the [`ServerName`] given to the connector, and it is checked against the
//! certificate's SANs. It is *not* derived from the address you connect to:
//! you may connect to `127.0.0.1` and expect `localhost`, and the check is
//! then "does the certificate hold the DNS name `localhost`?". A DNS name also
//! travels in the ClientHello as *SNI* (Server Name Indication, RFC 6066), so
//! that a server with several names can pick the right certificate; an IP
//! address is never sent as SNI, and is checked against the IP SANs.
//!
//! `ServerName::try_from("localhost")` gives a DNS name,
//! `ServerName::try_from("127.0.0.1")` an IP address.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::failure::{HandshakeError, classify};

/// How long a client waits for the TCP connection and the TLS handshake together.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects to `address` over TCP, then runs the TLS handshake with `config`,
/// expecting the server to prove it is `server_name`; all of it within `limit`.
///
/// Returns the TLS stream, ready for data, or why it failed: the
/// [`classify`]ed error of the connection or the handshake, or
/// [`HandshakeError::TimedOut`] when `limit` passed first.
pub async fn connect(
    address: SocketAddr,
    server_name: ServerName<'static>,
    config: Arc<ClientConfig>,
    limit: Duration,
) -> Result<TlsStream<TcpStream>, HandshakeError> {
    // BEGIN SOLUTION
    let connector = TlsConnector::from(config);
    let attempt = async {
        let tcp = TcpStream::connect(address).await?;
        connector.connect(server_name, tcp).await
    };
    match timeout(limit, attempt).await {
        Err(_) => Err(HandshakeError::TimedOut(limit)),
        Ok(Err(error)) => Err(classify(&error)),
        Ok(Ok(stream)) => Ok(stream),
    }
    // END SOLUTION
    // STUB: // TODO: as the doc comment says. Think about: one time limit for both steps together,
    // STUB: // not one each; a server that accepts the TCP connection and never answers the
    // STUB: // ClientHello; a TCP connection that is refused (classified too); the name checked is
    // STUB: // `server_name`, whatever the address. Read the module comment, chapter 9, "The TLS 1.3
    // STUB: // handshake" and "Time limits: the silent client", and the docs of
    // STUB: // `tokio_rustls::TlsConnector` and `tokio::time::timeout`. Stuck? `cargo xtask hint 09`.
    // STUB: todo!()
}
