//! Test clients: over TLS with your `client::connect`, or in plaintext. Each step they take
//! is written into the transcript, and each failure explains what was expected, what
//! happened, and what happened before.

use std::net::SocketAddr;
use std::sync::Arc;

use lab09_tls::failure::HandshakeError;
use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout, timeout_at};
use tokio_rustls::client::TlsStream;

use super::transcript::Transcript;
use super::{QUIET, TOKEN, WAIT, seconds};

/// One client's connection, plaintext or TLS.
pub struct Conversation<S> {
    pub name: String,
    pub stream: S,
    transcript: Transcript,
}

pub type TlsClient = Conversation<TlsStream<TcpStream>>;
pub type PlainClient = Conversation<TcpStream>;

/// Bytes as text when they are text (`"hello\n"`), in hexadecimal otherwise.
pub fn show(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text)
            if text
                .chars()
                .all(|c| !c.is_control() || c == '\n' || c == '\r') =>
        {
            if text.len() > 60 {
                format!("{:?}… ({} bytes)", &text[..40], text.len())
            } else {
                format!("{text:?}")
            }
        }
        _ => {
            let hex: Vec<String> = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
            format!("{} bytes: {}", bytes.len(), hex.join(" "))
        }
    }
}

/// `127.0.0.1` or `[::1]`: where a client dials, without the port that changes every run.
pub fn host(address: SocketAddr) -> String {
    match address {
        SocketAddr::V4(v4) => v4.ip().to_string(),
        SocketAddr::V6(v6) => format!("[{}]", v6.ip()),
    }
}

/// Runs your `client::connect` to `address`, expecting the name `server_name`.
pub async fn try_connect(
    address: SocketAddr,
    server_name: &str,
    config: &Arc<ClientConfig>,
) -> Result<TlsStream<TcpStream>, HandshakeError> {
    let name = ServerName::try_from(server_name.to_string())
        .expect("the tests dial valid names and addresses");
    lab09_tls::client::connect(address, name, Arc::clone(config), WAIT).await
}

/// Connects over TLS, or fails the test explaining why the handshake failed.
pub async fn expect_connect(
    name: &str,
    address: SocketAddr,
    server_name: &str,
    config: &Arc<ClientConfig>,
    transcript: &Transcript,
) -> TlsClient {
    match try_connect(address, server_name, config).await {
        Ok(stream) => {
            let (_, connection) = stream.get_ref();
            let version = connection
                .protocol_version()
                .map_or("no version?".to_string(), |version| format!("{version:?}"));
            let suite = connection
                .negotiated_cipher_suite()
                .map_or("no cipher suite?".to_string(), |suite| {
                    format!("{:?}", suite.suite())
                });
            transcript.note(format!(
                "{name} connects to {}, expecting {server_name}: handshake done, {version}, {suite}",
                host(address)
            ));
            Conversation {
                name: name.to_string(),
                stream,
                transcript: transcript.clone(),
            }
        }
        Err(error) => {
            transcript
                .fail(format!(
                    "{name} connected to {}, expecting {server_name}, and expected the TLS handshake to \
                     succeed, but it failed: {error}.\n\nThe server's certificate comes from \
                     issue_server_certificate(localhost_names(), …), and the client trusts \
                     only the CA (trusted_roots, client_config). Check the names (a DNS SAN \
                     for localhost, an IP SAN for each loopback address), the dates, and that \
                     both configurations use the same protocol versions.",
                    host(address)
                ))
                .await
        }
    }
}

/// Expects the handshake to fail, and returns why; fails the test if it succeeded.
pub async fn expect_refused(
    name: &str,
    address: SocketAddr,
    server_name: &str,
    config: &Arc<ClientConfig>,
    transcript: &Transcript,
    why: &str,
) -> HandshakeError {
    match try_connect(address, server_name, config).await {
        Ok(_) => {
            transcript
                .fail(format!(
                    "{name} connected to {}, expecting {server_name}, and completed the TLS handshake, but the \
                     client must refuse this server: {why}.\n\nThe client must verify every \
                     certificate with rustls's standard verifier against roots that hold only \
                     our CA: `.with_root_certificates(roots)`, never `.dangerous()` with a \
                     verifier that accepts anything.",
                    host(address)
                ))
                .await
        }
        Err(error) => {
            transcript.note(format!(
                "{name} connects to {}, expecting {server_name}: the client refuses: {error}",
                host(address)
            ));
            error
        }
    }
}

/// Opens a plaintext TCP connection, or fails the test.
pub async fn plain_connect(
    name: &str,
    address: SocketAddr,
    transcript: &Transcript,
) -> PlainClient {
    match timeout(WAIT, TcpStream::connect(address)).await {
        Ok(Ok(stream)) => {
            transcript.note(format!(
                "{name} connects to {} over plain TCP, without TLS",
                host(address)
            ));
            Conversation {
                name: name.to_string(),
                stream,
                transcript: transcript.clone(),
            }
        }
        Ok(Err(error)) => {
            transcript
                .fail(format!(
                    "{name} could not connect to {address}: {error}. Is the server still \
                     listening?"
                ))
                .await
        }
        Err(_) => {
            transcript
                .fail(format!(
                    "{name} could not connect to {address} within {}",
                    seconds(WAIT)
                ))
                .await
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conversation<S> {
    pub async fn fail(&self, message: impl Into<String>) -> ! {
        self.transcript.fail(message).await
    }

    pub async fn send(&mut self, text: &str) {
        self.send_bytes(text.as_bytes()).await;
    }

    pub async fn send_bytes(&mut self, bytes: &[u8]) {
        let name = self.name.clone();
        let sending = async {
            self.stream.write_all(bytes).await?;
            self.stream.flush().await
        };
        match timeout(WAIT, sending).await {
            Ok(Ok(())) => self
                .transcript
                .note(format!("{name} sends {}", show(bytes))),
            Ok(Err(error)) => {
                self.fail(format!(
                    "{name} could not send {}: {error}. The server closed or reset the \
                     connection.",
                    show(bytes)
                ))
                .await
            }
            Err(_) => {
                self.fail(format!(
                    "{name} could not send {} within {}: the server stopped reading.",
                    show(bytes),
                    seconds(WAIT)
                ))
                .await
            }
        }
    }

    /// `AUTH <the right token>`, and the reply `OK`.
    pub async fn log_in(&mut self) {
        self.send(&format!("AUTH {TOKEN}\n")).await;
        self.expect_reply("OK\n").await;
    }

    /// Reads exactly as many bytes as `expected` and checks they are the same.
    pub async fn expect_reply(&mut self, expected: &str) {
        let name = self.name.clone();
        let expected = expected.as_bytes();
        let deadline = Instant::now() + WAIT;
        let mut received = Vec::new();
        while received.len() < expected.len() {
            let mut buffer = vec![0; expected.len() - received.len()];
            let problem = match timeout_at(deadline, self.stream.read(&mut buffer)).await {
                Ok(Ok(0)) => format!(
                    "the connection ended after {} of them",
                    if received.is_empty() {
                        "nothing".to_string()
                    } else {
                        show(&received)
                    }
                ),
                Ok(Ok(count)) => {
                    received.extend_from_slice(&buffer[..count]);
                    if received[..] == expected[..received.len()] {
                        continue;
                    }
                    format!("it received {}", show(&received))
                }
                Ok(Err(error)) => format!("the connection failed: {error}"),
                Err(_) => format!(
                    "it received only {} within {}",
                    if received.is_empty() {
                        "nothing".to_string()
                    } else {
                        show(&received)
                    },
                    seconds(WAIT)
                ),
            };
            self.fail(format!(
                "{name} expected to receive {}, but {problem}.",
                show(expected)
            ))
            .await;
        }
        self.transcript
            .note(format!("{name} receives {}", show(expected)));
    }

    /// Expects the end of the stream: the server closed its side.
    pub async fn expect_end(&mut self, why: &str) {
        let name = self.name.clone();
        let mut buffer = [0; 1024];
        match timeout(WAIT, self.stream.read(&mut buffer)).await {
            Ok(Ok(0)) => self
                .transcript
                .note(format!("{name} reads the end of the stream ({why})")),
            Ok(Ok(count)) => {
                self.fail(format!(
                    "{name} expected the end of the stream ({why}), but received {}.",
                    show(&buffer[..count])
                ))
                .await
            }
            Ok(Err(error)) => {
                self.fail(format!(
                    "{name} expected the end of the stream ({why}), but the connection failed: \
                     {error}. The server should shut the connection down (stream.shutdown(), \
                     which sends TLS's close_notify and the TCP FIN), not just drop it."
                ))
                .await
            }
            Err(_) => {
                self.fail(format!(
                    "{name} expected the end of the stream ({why}), but the connection was \
                     still open {} later.",
                    seconds(WAIT)
                ))
                .await
            }
        }
    }

    /// "I have nothing more to send": TLS's close_notify and the TCP FIN.
    pub async fn half_close(&mut self) {
        let name = self.name.clone();
        match timeout(WAIT, self.stream.shutdown()).await {
            Ok(Ok(())) => self
                .transcript
                .note(format!("{name} shuts down its sending side")),
            Ok(Err(error)) => {
                self.fail(format!(
                    "{name} could not shut down its sending side: {error}"
                ))
                .await
            }
            Err(_) => {
                self.fail(format!(
                    "{name} could not shut down its sending side within {}",
                    seconds(WAIT)
                ))
                .await
            }
        }
    }

    /// Checks that the connection is still open and quiet; `why` says why it should be.
    pub async fn expect_still_open(&mut self, why: &str) {
        let name = self.name.clone();
        let mut buffer = [0; 1024];
        match timeout(QUIET, self.stream.read(&mut buffer)).await {
            Err(_) => self.transcript.note(format!(
                "{name} is still connected, and has received nothing ({why})"
            )),
            Ok(Ok(0)) => {
                self.fail(format!(
                    "the server had already closed {name}'s connection, but it should still be \
                     open ({why})."
                ))
                .await
            }
            Ok(Ok(count)) => {
                self.fail(format!(
                    "{name} received {}, but should have received nothing yet ({why}).",
                    show(&buffer[..count])
                ))
                .await
            }
            Ok(Err(error)) => {
                self.fail(format!(
                    "{name}'s connection failed ({error}), but it should still be open ({why})."
                ))
                .await
            }
        }
    }

    /// Reads everything until the server closes the connection, within `limit`; returns
    /// what arrived and how it ended.
    pub async fn read_until_closed(&mut self, limit: std::time::Duration) -> (Vec<u8>, String) {
        let deadline = Instant::now() + limit;
        let mut received = Vec::new();
        let mut buffer = [0; 1024];
        loop {
            match timeout_at(deadline, self.stream.read(&mut buffer)).await {
                Ok(Ok(0)) => return (received, "the end of the stream".to_string()),
                Ok(Ok(count)) => received.extend_from_slice(&buffer[..count]),
                Ok(Err(error)) => return (received, format!("an error: {error}")),
                Err(_) => {
                    return (
                        received,
                        format!(
                            "nothing more, the connection still open after {}",
                            seconds(limit)
                        ),
                    );
                }
            }
        }
    }
}
