//! Lab 09 (TLS) graded with realistic mistakes: each one must cost some points, not all, and
//! the snapshot records which tests caught it.

mod support;

const LAB: &str = "09-tls";

#[test]
fn lab_09_catches_a_certificate_without_the_ip_sans() {
    // "localhost" is in the certificate, so a browser at https://localhost works; a client
    // that dials 127.0.0.1 looks for an IP SAN, and finds none.
    let failed = support::grade_wrong_solution(
        LAB,
        "pki.rs",
        "    vec![
        dns_name(\"localhost\"),
        SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)),
    ]\n",
        "    vec![dns_name(\"localhost\")]\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_09_catches_a_client_that_skips_certificate_verification() {
    // The classic "make the certificate error go away": a verifier that accepts anything.
    // The connection is still encrypted, but with whoever answers.
    let failed = support::grade_wrong_solution(
        LAB,
        "tls.rs",
        "        .with_root_certificates(roots)\n",
        r#"        .dangerous()
        .with_custom_certificate_verifier({
            use rustls::client::danger::{
                HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier,
            };
            use rustls::pki_types::{ServerName, UnixTime};
            use rustls::{DigitallySignedStruct, SignatureScheme};

            #[derive(Debug)]
            struct AcceptAnything;

            impl ServerCertVerifier for AcceptAnything {
                fn verify_server_cert(
                    &self,
                    _: &CertificateDer<'_>,
                    _: &[CertificateDer<'_>],
                    _: &ServerName<'_>,
                    _: &[u8],
                    _: UnixTime,
                ) -> Result<ServerCertVerified, rustls::Error> {
                    Ok(ServerCertVerified::assertion())
                }
                fn verify_tls12_signature(
                    &self,
                    _: &[u8],
                    _: &CertificateDer<'_>,
                    _: &DigitallySignedStruct,
                ) -> Result<HandshakeSignatureValid, rustls::Error> {
                    Ok(HandshakeSignatureValid::assertion())
                }
                fn verify_tls13_signature(
                    &self,
                    _: &[u8],
                    _: &CertificateDer<'_>,
                    _: &DigitallySignedStruct,
                ) -> Result<HandshakeSignatureValid, rustls::Error> {
                    Ok(HandshakeSignatureValid::assertion())
                }
                fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
                    provider()
                        .signature_verification_algorithms
                        .supported_schemes()
                }
            }
            Arc::new(AcceptAnything)
        })
"#,
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_09_catches_a_hand_written_compare_that_accepts_a_prefix() {
    // Constant time, by hand: every byte is looked at, but zip stops at the shorter slice,
    // so a prefix of the token (even an empty one) matches.
    let failed = support::grade_wrong_solution(
        LAB,
        "auth.rs",
        "    expected.ct_eq(presented).into()\n",
        "    let mut difference = 0u8;
    for (a, b) in expected.iter().zip(presented) {
        difference |= a ^ b;
    }
    difference == 0\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_09_catches_a_ca_without_the_ca_basic_constraint() {
    // rustls forgives a trust anchor without CA:TRUE; the certificate test does not, and
    // neither do most other clients.
    let failed = support::grade_wrong_solution(
        LAB,
        "pki.rs",
        "        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));\n",
        "",
    );
    insta::assert_snapshot!(failed);
}
