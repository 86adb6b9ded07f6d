//! Reading a certificate the way `openssl x509 -noout -text` does, with x509-parser, and
//! keeping only what does not change from run to run (no keys, serial numbers or dates).

use std::net::IpAddr;

use lab09_tls::pki::Validity;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};

/// What a certificate says, as parsed once.
pub struct CertificateFacts {
    /// One `field: value` line per fact, for the snapshot.
    pub lines: Vec<String>,
    pub subject: String,
    pub subject_key_id: Option<Vec<u8>>,
    pub authority_key_id: Option<Vec<u8>>,
}

/// `DNS:localhost`, `IP:127.0.0.1`, as OpenSSL writes SANs.
fn show_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(dns) => format!("DNS:{dns}"),
        GeneralName::IPAddress(bytes) => {
            let ip = match bytes.len() {
                4 => <[u8; 4]>::try_from(*bytes).map(IpAddr::from).ok(),
                16 => <[u8; 16]>::try_from(*bytes).map(IpAddr::from).ok(),
                _ => None,
            };
            ip.map_or(format!("IP:? ({} bytes)", bytes.len()), |ip| {
                format!("IP:{ip}")
            })
        }
        other => format!("{other}"),
    }
}

fn critical(is_critical: bool) -> &'static str {
    if is_critical { "critical, " } else { "" }
}

/// Parses `der`, or fails the test saying it is not a certificate.
pub fn read(what: &str, der: &[u8]) -> CertificateFacts {
    let certificate = match X509Certificate::from_der(der) {
        Ok((_, certificate)) => certificate,
        Err(error) => panic!("{what} is not a valid X.509 certificate in DER: {error}"),
    };
    let mut lines = Vec::new();
    lines.push(format!("version: {}", certificate.version().0 + 1));
    let subject = certificate.subject().to_string();
    let issuer = certificate.issuer().to_string();
    lines.push(format!("subject: {subject}"));
    lines.push(format!("issuer: {issuer}"));

    match certificate.basic_constraints() {
        Ok(Some(constraints)) => {
            let value = constraints.value;
            let path = value
                .path_len_constraint
                .map_or(String::new(), |length| format!(", pathlen:{length}"));
            lines.push(format!(
                "basic constraints: {}CA:{}{path}",
                critical(constraints.critical),
                if value.ca { "TRUE" } else { "FALSE" }
            ));
        }
        Ok(None) => lines.push("basic constraints: (none)".to_string()),
        Err(error) => lines.push(format!("basic constraints: unreadable ({error})")),
    }
    match certificate.key_usage() {
        Ok(Some(usage)) => lines.push(format!(
            "key usage: {}{}",
            critical(usage.critical),
            usage.value
        )),
        Ok(None) => lines.push("key usage: (none)".to_string()),
        Err(error) => lines.push(format!("key usage: unreadable ({error})")),
    }
    match certificate.extended_key_usage() {
        Ok(Some(usage)) => {
            let value = usage.value;
            let mut purposes = Vec::new();
            for (present, purpose) in [
                (value.any, "any"),
                (value.server_auth, "serverAuth"),
                (value.client_auth, "clientAuth"),
                (value.code_signing, "codeSigning"),
                (value.email_protection, "emailProtection"),
                (value.time_stamping, "timeStamping"),
                (value.ocsp_signing, "OCSPSigning"),
            ] {
                if present {
                    purposes.push(purpose.to_string());
                }
            }
            purposes.extend(value.other.iter().map(|oid| oid.to_id_string()));
            lines.push(format!(
                "extended key usage: {}{}",
                critical(usage.critical),
                purposes.join(", ")
            ));
        }
        Ok(None) => lines.push("extended key usage: (none)".to_string()),
        Err(error) => lines.push(format!("extended key usage: unreadable ({error})")),
    }
    match certificate.subject_alternative_name() {
        Ok(Some(names)) => {
            let shown: Vec<String> = names.value.general_names.iter().map(show_name).collect();
            lines.push(format!(
                "subject alternative names: {}{}",
                critical(names.critical),
                shown.join(", ")
            ));
        }
        Ok(None) => lines.push("subject alternative names: (none)".to_string()),
        Err(error) => lines.push(format!("subject alternative names: unreadable ({error})")),
    }

    let mut subject_key_id = None;
    let mut authority_key_id = None;
    for extension in certificate.extensions() {
        match extension.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => subject_key_id = Some(id.0.to_vec()),
            ParsedExtension::AuthorityKeyIdentifier(id) => {
                authority_key_id = id.key_identifier.as_ref().map(|id| id.0.to_vec());
            }
            _ => {}
        }
    }
    CertificateFacts {
        lines,
        subject,
        subject_key_id,
        authority_key_id,
    }
}

/// Checks that the certificate's validity is `asked` (to the second, as X.509 stores it).
pub fn check_validity(what: &str, der: &[u8], asked: &Validity) -> String {
    let (_, certificate) = X509Certificate::from_der(der).expect("parsed once already");
    let validity = certificate.validity();
    let not_before = validity.not_before.timestamp();
    let not_after = validity.not_after.timestamp();
    let asked_before = asked.not_before.unix_timestamp();
    let asked_after = asked.not_after.unix_timestamp();
    assert!(
        (not_before - asked_before).abs() <= 1 && (not_after - asked_after).abs() <= 1,
        "{what}: the certificate is valid from {} to {}, but the validity given was {} to {}. \
         Copy validity.not_before and validity.not_after into the CertificateParams.",
        validity.not_before,
        validity.not_after,
        asked.not_before,
        asked.not_after
    );
    "validity: not_before and not_after as asked".to_string()
}
