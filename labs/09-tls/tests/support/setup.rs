//! What every test starts with, made by your code: a CA, and a client that trusts only it.

use std::sync::Arc;

use lab09_tls::pki::{CA_NAME, CertificateAuthority, ServerIdentity, Validity};
use lab09_tls::tls::{client_config, server_config, trusted_roots};
use rcgen::SanType;
use rustls::{ClientConfig, ServerConfig};

use super::transcript::Transcript;

/// How long the tests' CA and good certificates are valid, in days.
pub const DAYS: i64 = 30;

pub struct Setup {
    pub ca: CertificateAuthority,
    pub client: Arc<ClientConfig>,
    pub transcript: Transcript,
}

impl Setup {
    /// A CA from `CertificateAuthority::generate`, and a client configuration from
    /// `client_config(trusted_roots(ca))`.
    pub fn new() -> Setup {
        let ca = CertificateAuthority::generate(CA_NAME, Validity::days_from_now(DAYS))
            .unwrap_or_else(|error| {
                panic!("CertificateAuthority::generate({CA_NAME:?}, …) failed: {error}")
            });
        let roots = trusted_roots(ca.certificate())
            .unwrap_or_else(|error| panic!("trusted_roots(the CA's certificate) failed: {error}"));
        let client = client_config(roots)
            .unwrap_or_else(|error| panic!("client_config(roots) failed: {error}"));
        let transcript = Transcript::new();
        transcript.note(format!(
            "the test makes a CA, CN={CA_NAME}, and a client that trusts only it"
        ));
        Setup {
            ca,
            client,
            transcript,
        }
    }

    /// A server certificate from our CA (`issue_server_certificate`), described in the
    /// transcript as `what`.
    pub fn issue(&self, what: &str, names: Vec<SanType>, validity: Validity) -> ServerIdentity {
        let identity = self
            .ca
            .issue_server_certificate(names, validity)
            .unwrap_or_else(|error| panic!("issue_server_certificate failed: {error}"));
        self.transcript
            .note(format!("the CA issues a server certificate {what}"));
        identity
    }

    /// The server configuration for `identity` (`server_config`).
    pub fn server_config(&self, identity: ServerIdentity) -> Arc<ServerConfig> {
        server_config(identity).unwrap_or_else(|error| {
            panic!("server_config(a certificate and key from your CA) failed: {error}")
        })
    }
}

impl Default for Setup {
    fn default() -> Setup {
        Setup::new()
    }
}
