//! A local certificate authority (CA) and the server's certificate, made with `rcgen`.
//!
//! TLS answers two questions: *is anyone listening in?* (encryption) and *am I
//! talking to the right server?* (authentication). Encryption alone is easy;
//! the second question is the hard one. A server proves who it is with a
//! **certificate**: a signed statement "the public key K belongs to the names
//! `localhost`, `127.0.0.1` and `::1`", valid from one date to another. The
//! server holds the matching private key, and proves it during the handshake
//! by signing the handshake with it.
//!
//! Anyone can write such a statement, so what matters is **who signed it**.
//! The client keeps a short list of signers it trusts, the *trust anchors* or
//! *root certificates*, and accepts a certificate only when it was signed by
//! one of them. On the internet those are the public CAs your system ships
//! with. On `127.0.0.1` we need no public CA, and must not want one: we are our
//! own CA, and the client trusts only us.
//!
//! ```text
//!   CA certificate  (subject = issuer = "loopback-labs test CA", CA:TRUE, keyCertSign)
//!        │  signs with the CA's private key
//!        ▼
//!   server certificate  (issuer = the CA, CA:FALSE, serverAuth,
//!                        SANs: DNS:localhost, IP:127.0.0.1, IP:::1)
//! ```
//!
//! Every field is checked by a careful client, and each one is a classic mistake:
//!
//! - **The names** are in the *Subject Alternative Name* extension (SAN; RFC
//!   5280, section 4.2.1.6), not in the subject's Common Name (CN), which
//!   clients ignore since RFC 6125. A DNS name and an IP address are different
//!   kinds of SAN: a certificate for `localhost` does **not** cover a client
//!   that dials `127.0.0.1`, nor `::1`. Put all three in.
//! - **The validity period**: a certificate is refused before its `not_before`
//!   and after its `not_after`. Start it a little in the past: clocks differ.
//! - **Basic constraints** (RFC 5280, section 4.2.1.9) say whether a
//!   certificate may sign other certificates: `CA:TRUE` for the CA, `CA:FALSE`
//!   for the server. A CA certificate without `CA:TRUE` is refused by OpenSSL,
//!   browsers and most clients (rustls happens to forgive it in a trust anchor:
//!   do not count on it). A *path length* of 0 means "may sign servers, but no
//!   intermediate CAs".
//! - **Key usage** (section 4.2.1.3) says what the key may do: `keyCertSign` (and
//!   `cRLSign`) for the CA, `digitalSignature` for the server; *extended key
//!   usage* `serverAuth` says "this is a TLS server".
//!
//! The private keys never leave this process: the server keeps its key in
//! memory, and only the CA's *certificate* (public) is given to clients.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use time::{Duration, OffsetDateTime};

/// The Common Name of the course's CA, as clients and `openssl x509` show it.
pub const CA_NAME: &str = "loopback-labs test CA";

/// The Common Name of the server certificates. Clients do not look at it (they
/// read the SANs); it is there for people reading the certificate.
pub const SERVER_NAME: &str = "loopback-labs echo server";

/// How far in the past a certificate's validity starts, for clocks that differ a little.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

/// When a certificate is valid: from `not_before` to `not_after`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

impl Validity {
    /// From [`CLOCK_SKEW`] ago until `days` days from now.
    pub fn days_from_now(days: i64) -> Validity {
        // BEGIN SOLUTION
        let now = OffsetDateTime::now_utc();
        Validity {
            not_before: now - CLOCK_SKEW,
            not_after: now + Duration::days(days),
        }
        // END SOLUTION
        // STUB: // TODO: the period of the doc comment, from the clock's time now, in UTC. Think
        // STUB: // about: a client whose clock is a little behind the server's (what `CLOCK_SKEW` is
        // STUB: // for); the tests compare your dates with the ones they asked for. Read chapter 9,
        // STUB: // "Certificates, from first principles" (the validity), and the docs of the `time`
        // STUB: // crate's `OffsetDateTime` and `Duration`. Stuck? `cargo xtask hint 09`.
        // STUB: todo!()
    }

    /// A period of 30 days that ended `days` days ago: an expired certificate.
    pub fn ended_days_ago(days: i64) -> Validity {
        // BEGIN SOLUTION
        let now = OffsetDateTime::now_utc();
        Validity {
            not_before: now - Duration::days(days + 30),
            not_after: now - Duration::days(days),
        }
        // END SOLUTION
        // STUB: // TODO: the period of the doc comment: both dates in the past, 30 days apart. The
        // STUB: // expired-certificate test asks for `ended_days_ago(1)`. Stuck? `cargo xtask hint 09`.
        // STUB: todo!()
    }
}

/// The names a server on this machine is reached by: the DNS name `localhost`,
/// and the loopback addresses `127.0.0.1` (IPv4) and `::1` (IPv6), as three SANs.
pub fn localhost_names() -> Vec<SanType> {
    // BEGIN SOLUTION
    vec![
        dns_name("localhost"),
        SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)),
    ]
    // END SOLUTION
    // STUB: // TODO: the three names of the doc comment, each as the right kind of SAN. Think
    // STUB: // about: a DNS name and an IP address are different kinds (a client that dials
    // STUB: // `127.0.0.1` looks at the IP SANs only); the IPv4 and the IPv6 loopback are two
    // STUB: // addresses. Read chapter 9, "Certificates, from first principles", and the docs of
    // STUB: // `rcgen::SanType`. Stuck? `cargo xtask hint 09`.
    // STUB: todo!()
}

/// A DNS name as a SAN, such as `localhost` or `example.test`.
///
/// # Panics
///
/// When `name` is not ASCII (a DNS name in a certificate is plain ASCII; an
/// international name is written in its `xn--` form).
pub fn dns_name(name: &str) -> SanType {
    // BEGIN SOLUTION
    let ascii = name
        .try_into()
        .unwrap_or_else(|_| panic!("{name:?} is not an ASCII DNS name"));
    SanType::DnsName(ascii)
    // END SOLUTION
    // STUB: // TODO: as the doc comment says, with a panic message that names `name`. Think about:
    // STUB: // `localhost` and `example.test` (the tests use both); a name with a letter that is not
    // STUB: // ASCII. rcgen keeps a DNS name in an ASCII string type of its own: read the docs of
    // STUB: // `rcgen::SanType::DnsName`, and what converts into that type. Stuck? `cargo xtask hint 09`.
    // STUB: todo!()
}
// BEGIN SOLUTION

/// A distinguished name made of a single Common Name (`CN=…`).
fn common_name(name: &str) -> DistinguishedName {
    let mut distinguished_name = DistinguishedName::new();
    distinguished_name.push(DnType::CommonName, name);
    distinguished_name
}
// END SOLUTION

/// What a server needs to prove who it is: its certificate chain (its own
/// certificate first) and its private key.
pub struct ServerIdentity {
    pub certificate_chain: Vec<CertificateDer<'static>>,
    pub private_key: PrivateKeyDer<'static>,
}

/// Shows the certificates' sizes, never the private key.
impl fmt::Debug for ServerIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sizes: Vec<usize> = self.certificate_chain.iter().map(|der| der.len()).collect();
        f.debug_struct("ServerIdentity")
            .field("certificate_chain_sizes", &sizes)
            .field("private_key", &"[not shown]")
            .finish()
    }
}

impl ServerIdentity {
    /// The server's own certificate: the first of the chain.
    pub fn certificate(&self) -> &CertificateDer<'static> {
        &self.certificate_chain[0]
    }
}

/// A certificate authority: its certificate, which clients trust, and its
/// private key, which signs the certificates it issues.
pub struct CertificateAuthority {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl fmt::Debug for CertificateAuthority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateAuthority")
            .field("certificate_size", &self.certificate().len())
            .field("private_key", &"[not shown]")
            .finish()
    }
}

impl CertificateAuthority {
    /// A new CA named `CN=<common_name>`, with a fresh key pair, valid during
    /// `validity`: a self-signed certificate with the basic constraint `CA:TRUE`
    /// (path length 0: it signs servers, not other CAs) and the key usages
    /// `keyCertSign` and `cRLSign`.
    pub fn generate(
        common_name_text: &str,
        validity: Validity,
    ) -> Result<CertificateAuthority, rcgen::Error> {
        // BEGIN SOLUTION
        let mut params = CertificateParams::default();
        params.distinguished_name = common_name(common_name_text);
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.not_before = validity.not_before;
        params.not_after = validity.not_after;
        let key = KeyPair::generate()?;
        let issuer = CertifiedIssuer::self_signed(params, key)?;
        Ok(CertificateAuthority { issuer })
        // END SOLUTION
        // STUB: // TODO: make the CA of the doc comment. Think about: each field the certificates test
        // STUB: // reads (the subject, `CA:TRUE` with a path length of 0, the two key usages, exactly
        // STUB: // the validity asked for); a CA certificate is signed with its own key, and keeps that
        // STUB: // key to sign server certificates later. This function and `server_certificate_params`
        // STUB: // both need a subject made of one Common Name (`CN=…`): write a private helper for it,
        // STUB: // your own design (the stub has none). Read chapter 9, "Being your own CA on 127.0.0.1",
        // STUB: // RFC 5280 sections 4.2.1.3 and 4.2.1.9, and the docs of `rcgen::CertificateParams`,
        // STUB: // `rcgen::DistinguishedName` and `rcgen::CertifiedIssuer`. Stuck? `cargo xtask hint 09`.
        // STUB: todo!()
    }

    /// The CA's certificate in DER (binary), as rustls takes it.
    pub fn certificate(&self) -> &CertificateDer<'static> {
        self.issuer.der()
    }

    /// The CA's certificate in PEM (`-----BEGIN CERTIFICATE-----`), as files and
    /// `openssl` take it.
    pub fn certificate_pem(&self) -> String {
        self.issuer.pem()
    }

    /// A server certificate for `names`, valid during `validity`, with a fresh
    /// key pair, signed by this CA.
    pub fn issue_server_certificate(
        &self,
        names: Vec<SanType>,
        validity: Validity,
    ) -> Result<ServerIdentity, rcgen::Error> {
        // BEGIN SOLUTION
        let params = server_certificate_params(names, validity);
        let key = KeyPair::generate()?;
        let certificate = params.signed_by(&key, &self.issuer)?;
        Ok(ServerIdentity {
            certificate_chain: vec![certificate.der().clone()],
            private_key: PrivateKeyDer::from(key),
        })
        // END SOLUTION
        // STUB: // TODO: as the doc comment says, with the fields of `server_certificate_params`.
        // STUB: // Think about: the server gets a key pair of its own, never the CA's; the chain holds
        // STUB: // the server's certificate first (and here, alone); rustls wants the private key as a
        // STUB: // `PrivateKeyDer`. Read chapter 9, "Being your own CA on 127.0.0.1", and the docs of
        // STUB: // `rcgen::CertificateParams` (how params are signed by an issuer) and of
        // STUB: // `rustls::pki_types::PrivateKeyDer`. Stuck? `cargo xtask hint 09`.
        // STUB: todo!()
    }
}

/// The fields of a server certificate: subject `CN=`[`SERVER_NAME`], the SANs
/// `names`, the validity, `CA:FALSE`, the key usage `digitalSignature`, the
/// extended key usage `serverAuth`, and the authority key identifier (which
/// names the key of the CA that signs it).
pub fn server_certificate_params(names: Vec<SanType>, validity: Validity) -> CertificateParams {
    // BEGIN SOLUTION
    let mut params = CertificateParams::default();
    params.distinguished_name = common_name(SERVER_NAME);
    params.subject_alt_names = names;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    params.not_before = validity.not_before;
    params.not_after = validity.not_after;
    params
    // END SOLUTION
    // STUB: // TODO: every field the doc comment lists, and nothing that makes it a CA. Think about:
    // STUB: // `CA:FALSE` written out, not just left out; the dates exactly as given; the sample
    // STUB: // certificate in chapter 9, whose fields yours should match. Read chapter 9,
    // STUB: // "Certificates, from first principles", RFC 5280 section 4.2.1 (4.2.1.1, 4.2.1.3,
    // STUB: // 4.2.1.9, 4.2.1.12), and the docs of `rcgen::CertificateParams` and `rcgen::IsCa`.
    // STUB: // Stuck? `cargo xtask hint 09`.
    // STUB: todo!()
}

/// A server certificate for `names` that signs itself, with no CA: what
/// `openssl req -x509` or a "quick self-signed cert" makes. A client that
/// trusts only our CA must refuse it.
pub fn self_signed_server_certificate(
    names: Vec<SanType>,
    validity: Validity,
) -> Result<ServerIdentity, rcgen::Error> {
    // BEGIN SOLUTION
    let params = server_certificate_params(names, validity);
    let key = KeyPair::generate()?;
    let certificate = params.self_signed(&key)?;
    Ok(ServerIdentity {
        certificate_chain: vec![certificate.der().clone()],
        private_key: PrivateKeyDer::from(key),
    })
    // END SOLUTION
    // STUB: // TODO: as the doc comment says: the fields of a real server certificate, signed with
    // STUB: // its own fresh key instead of by a CA. The tests expect a client that trusts our CA to
    // STUB: // refuse it with `UnknownIssuer`. Read chapter 9, "Being your own CA on 127.0.0.1" (the
    // STUB: // first of the two options). Stuck? `cargo xtask hint 09`.
    // STUB: todo!()
}
