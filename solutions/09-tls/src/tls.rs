//! The rustls configurations of both sides: TLS 1.3 only, and a client that trusts only our CA.
//!
//! A TLS library does the cryptography for you; what it cannot do is decide
//! your *policy*. Four decisions, each written down once, here:
//!
//! 1. **Which cryptography.** rustls leaves the algorithms to a *crypto
//!    provider*. This course uses `ring`'s ([`provider`]) and passes it
//!    explicitly to each builder (`builder_with_provider`), so nothing depends on
//!    a process-wide default that some other part of the program may or may not
//!    have installed.
//! 2. **Which protocol versions.** TLS 1.3 (RFC 8446) only ([`PROTOCOL_VERSIONS`]):
//!    a shorter handshake, encrypted certificates, no legacy cipher suites to get
//!    wrong. Both ends are ours, so nothing forces us to accept TLS 1.2; a client
//!    that offers only TLS 1.2 gets the alert `protocol_version`. (TLS 1.0 and
//!    1.1 are deprecated by RFC 8996; rustls never implemented them.)
//! 3. **Who the server is.** Its certificate chain and private key, from
//!    [`crate::pki`].
//! 4. **Whom the client trusts.** A [`RootCertStore`] holding exactly one
//!    certificate: our CA. *Not* the system's roots: with them, any of the
//!    ~150 public CAs could vouch for a server on your `127.0.0.1`, and a
//!    certificate they issued would be accepted. And *never* a "dangerous"
//!    custom verifier that accepts anything: that turns TLS into encryption
//!    with whoever answers, which a man in the middle is happy to be.
//!
//! What the client then checks during every handshake, with that one root:
//! the chain (signed by our CA, each signature valid), the dates (not expired,
//! not yet valid), the usage (`serverAuth`), and the name: the server's
//! certificate must hold a SAN equal to the name the client dialled.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore, ServerConfig, SupportedProtocolVersion};

use crate::pki::ServerIdentity;

/// The TLS versions both sides speak: TLS 1.3 only.
pub static PROTOCOL_VERSIONS: &[&SupportedProtocolVersion] = &[&rustls::version::TLS13];

/// The crypto provider of both sides: `ring`'s algorithms, with rustls's defaults.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The server's configuration: [`provider`], [`PROTOCOL_VERSIONS`], no client
/// certificates, and `identity` as its certificate chain and key.
///
/// Fails when the key does not match the certificate, or is not a key the
/// provider can use.
pub fn server_config(identity: ServerIdentity) -> Result<Arc<ServerConfig>, rustls::Error> {
    // BEGIN SOLUTION
    let config = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(PROTOCOL_VERSIONS)?
        .with_no_client_auth()
        .with_single_cert(identity.certificate_chain, identity.private_key)?;
    Ok(Arc::new(config))
    // END SOLUTION
    // STUB: // TODO: `ServerConfig::builder_with_provider(provider())`, then
    // STUB: // `.with_protocol_versions(PROTOCOL_VERSIONS)?` (not the defaults: they include TLS 1.2),
    // STUB: // `.with_no_client_auth()`, `.with_single_cert(identity.certificate_chain, identity.private_key)?`,
    // STUB: // and return it in an `Arc`.
    // STUB: todo!()
}

/// The client's trust anchors: a store holding `ca` and nothing else.
///
/// Fails when `ca` cannot be parsed as a certificate.
pub fn trusted_roots(ca: &CertificateDer<'_>) -> Result<RootCertStore, rustls::Error> {
    // BEGIN SOLUTION
    let mut roots = RootCertStore::empty();
    roots.add(ca.clone().into_owned())?;
    Ok(roots)
    // END SOLUTION
    // STUB: // TODO: `RootCertStore::empty()` (never `webpki-roots` or the system's roots), then
    // STUB: // `roots.add(ca.clone().into_owned())?`, and return it.
    // STUB: todo!()
}

/// The client's configuration: [`provider`], [`PROTOCOL_VERSIONS`], `roots` as
/// the only trust anchors (rustls's standard verifier checks every certificate
/// against them), and no client certificate.
pub fn client_config(roots: RootCertStore) -> Result<Arc<ClientConfig>, rustls::Error> {
    // BEGIN SOLUTION
    let config = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(PROTOCOL_VERSIONS)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
    // END SOLUTION
    // STUB: // TODO: `ClientConfig::builder_with_provider(provider())`, then
    // STUB: // `.with_protocol_versions(PROTOCOL_VERSIONS)?`, `.with_root_certificates(roots)`,
    // STUB: // `.with_no_client_auth()`, in an `Arc`. Never `.dangerous()`: a verifier that accepts
    // STUB: // every certificate makes TLS worthless.
    // STUB: todo!()
}
