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
    // STUB: // TODO: the configuration of the doc comment and of the module comment's decisions.
    // STUB: // Think about: rustls's default protocol versions include TLS 1.2, and a test checks
    // STUB: // that a TLS 1.2 client is refused; the provider is passed in, not taken from a
    // STUB: // process-wide default; a key that does not match its certificate is rustls's error,
    // STUB: // returned. Read chapter 9, "Trusting only your CA" (its last paragraph), and the docs
    // STUB: // of `rustls::ServerConfig` (its builders). Stuck? `cargo xtask hint 09`.
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
    // STUB: // TODO: as the doc comment says. Think about: why not the system's roots, nor
    // STUB: // `webpki-roots`; the store keeps its certificates, while `ca` is only borrowed. Read
    // STUB: // chapter 9, "Trusting only your CA", and the docs of `rustls::RootCertStore`.
    // STUB: // Stuck? `cargo xtask hint 09`.
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
    // STUB: // TODO: as the doc comment says. Think about: TLS 1.3 only, as on the server (a test
    // STUB: // points your client at a server that speaks only TLS 1.2); rustls's standard verifier,
    // STUB: // never a "dangerous" one that accepts every certificate (one of the grader's checks is
    // STUB: // exactly that). Read chapter 9, "Trusting only your CA", and the docs of
    // STUB: // `rustls::ClientConfig` (its builders). Stuck? `cargo xtask hint 09`.
    // STUB: todo!()
}
