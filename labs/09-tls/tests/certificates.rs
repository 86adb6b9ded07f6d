//! Graded tests for `src/pki.rs`: the CA's certificate and the server's certificate, read
//! field by field the way `openssl x509 -noout -text` shows them, and checked by rustls's
//! own certificate verifier, before any network is involved.

mod support;

use std::sync::Arc;

use insta::{assert_snapshot, with_settings};
use lab09_tls::pki::{CA_NAME, CertificateAuthority, Validity, localhost_names};
use lab09_tls::tls::provider;
use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;

use support::certificate_facts::{check_validity, read};

fn yes_or_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

#[test]
fn the_ca_is_a_ca_that_signs_certificates() {
    let validity = Validity::days_from_now(30);
    let name = "lab 09 test CA";
    let ca = CertificateAuthority::generate(name, validity)
        .unwrap_or_else(|error| panic!("CertificateAuthority::generate failed: {error}"));
    let der = ca.certificate();
    let facts = read("the CA's certificate", der);
    let text = facts.lines.join("\n");
    assert!(
        text.contains("CA:TRUE"),
        "the CA's certificate must have the basic constraint CA:TRUE, or clients refuse \
         the certificates it signs; it says:\n{text}\n\nSet params.is_ca = \
         IsCa::Ca(BasicConstraints::Constrained(0))."
    );
    assert!(
        text.contains("Key Cert Sign"),
        "the CA's key usage must include keyCertSign (signing certificates); it says:\n{text}\n\n\
         Set params.key_usages to KeyCertSign and CrlSign."
    );

    let mut report = facts.lines.clone();
    report.push(format!(
        "self-signed (issuer = subject): {}",
        yes_or_no(text.contains(&format!("subject: CN={name}\nissuer: CN={name}")))
    ));
    report.push(format!(
        "subject key identifier: {}",
        if facts.subject_key_id.is_some() {
            "present"
        } else {
            "missing"
        }
    ));
    report.push(check_validity("the CA's certificate", der, &validity));

    let pem = ca.certificate_pem();
    let from_pem = CertificateDer::from_pem_slice(pem.as_bytes());
    report.push(format!(
        "certificate_pem(): {}",
        match from_pem {
            Ok(parsed) if &parsed == der => "one CERTIFICATE block, the same certificate",
            Ok(_) => "a CERTIFICATE block, but not the same certificate as certificate()",
            Err(_) => "not a PEM certificate",
        }
    ));
    with_settings!({
        description => "CertificateAuthority::generate(name, validity): a self-signed certificate named CN=<name>, with the basic constraint CA:TRUE (critical, path length 0) and the key usages keyCertSign and cRLSign (critical), valid exactly during `validity`.",
    }, {
        assert_snapshot!(report.join("\n"));
    });
}

#[test]
fn the_server_certificate_names_localhost_three_ways() {
    let ca = CertificateAuthority::generate(CA_NAME, Validity::days_from_now(30))
        .unwrap_or_else(|error| panic!("CertificateAuthority::generate failed: {error}"));
    let validity = Validity::days_from_now(7);
    let identity = ca
        .issue_server_certificate(localhost_names(), validity)
        .unwrap_or_else(|error| panic!("issue_server_certificate failed: {error}"));
    let leaf = identity
        .certificate_chain
        .first()
        .unwrap_or_else(|| panic!("the server's certificate chain is empty"))
        .clone();
    let facts = read("the server's certificate", &leaf);
    let ca_facts = read("the CA's certificate", ca.certificate());

    let mut report = facts.lines.clone();
    report.push(format!(
        "issued by the CA (issuer = the CA's subject): {}",
        yes_or_no(facts.lines[2] == format!("issuer: {}", ca_facts.subject))
    ));
    report.push(format!(
        "authority key identifier = the CA's subject key identifier: {}",
        yes_or_no(
            facts.authority_key_id.is_some() && facts.authority_key_id == ca_facts.subject_key_id
        )
    ));
    report.push(check_validity("the server's certificate", &leaf, &validity));

    let key_matches = CertifiedKey::from_der(
        identity.certificate_chain.clone(),
        identity.private_key.clone_key(),
        &provider(),
    );
    report.push(format!(
        "private key: {}",
        match key_matches {
            Ok(_) => "matches the certificate".to_string(),
            Err(error) => format!("does not match the certificate ({error})"),
        }
    ));

    // rustls's own verifier, with roots the test makes itself: only the certificates are
    // checked here, not your tls.rs.
    let mut roots = RootCertStore::empty();
    roots
        .add(ca.certificate().clone())
        .expect("the CA's certificate can be a trust anchor");
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .expect("a verifier with one root");
    report.push("rustls's verifier, trusting only the CA, accepts it for:".to_string());
    for name in ["localhost", "127.0.0.1", "::1", "example.test"] {
        let server_name = ServerName::try_from(name).expect("a valid name");
        let verdict = verifier.verify_server_cert(
            &leaf,
            &identity.certificate_chain[1..],
            &server_name,
            &[],
            UnixTime::now(),
        );
        report.push(format!(
            "  {name}: {}",
            match verdict {
                Ok(_) => "yes".to_string(),
                Err(rustls::Error::InvalidCertificate(
                    rustls::CertificateError::NotValidForName
                    | rustls::CertificateError::NotValidForNameContext { .. },
                )) => "no, not valid for this name".to_string(),
                Err(error) => format!("no: {error}"),
            }
        ));
    }
    with_settings!({
        description => "issue_server_certificate(localhost_names(), validity): CN=loopback-labs echo server, issued and signed by the CA, CA:FALSE, digitalSignature, serverAuth, and the SANs DNS:localhost, IP:127.0.0.1 and IP:::1, so that a client dialling any of the three accepts it, and nothing else.",
    }, {
        assert_snapshot!(report.join("\n"));
    });
}
