//! Why a handshake failed, in the words a security tester uses.
//!
//! A TLS handshake that fails is good news when it fails for the right reason:
//! a client *should* refuse a certificate for the wrong name. So the tests do
//! not stop at "it failed": they check *why*, and a tester reads the reason
//! the same way. This module turns the error a handshake returns into a
//! [`HandshakeError`] that says it.
//!
//! **Where the reason hides.** tokio-rustls returns a [`std::io::Error`], like
//! any I/O in tokio. When TLS itself failed, the real error is a
//! [`rustls::Error`] *inside* it: [`io::Error::get_ref`] gives the inner error
//! as a `&dyn Error`, and [`downcast_ref`](std::error::Error::downcast_ref)
//! asks "is it a `rustls::Error`?". Otherwise it is a plain I/O error
//! (connection reset, end of stream).
//!
//! **Which side sees what.** The side that detects a problem sends a fatal
//! *alert* naming it, and closes. The other side only learns the alert:
//!
//! | mistake | the client's error | the server's error |
//! | --- | --- | --- |
//! | certificate for another name | `InvalidCertificate(NotValidForName…)` | `AlertReceived(BadCertificate)` |
//! | expired certificate | `InvalidCertificate(Expired…)` | `AlertReceived(CertificateExpired)` |
//! | a self-signed certificate | `InvalidCertificate(UnknownIssuer)` | `AlertReceived(UnknownCA)` |
//! | a certificate from another CA with our CA's name | `InvalidCertificate(BadSignature)` | `AlertReceived(DecryptError)` |
//! | a client that offers only TLS 1.2 | `AlertReceived(ProtocolVersion)` | `PeerIncompatible(Tls12NotOfferedOrEnabled)` |
//! | plaintext sent to the TLS port | (the client sees 7 bytes: an alert record) | `InvalidMessage(InvalidContentType)` |
//!
//! One trap: rustls 0.23 reports some errors in two forms, a plain one and one
//! with context (`NotValidForName` and `NotValidForNameContext { expected,
//! presented }`, `Expired` and `ExpiredContext { time, not_after }`). Recent
//! versions use the `…Context` forms; match both.

use std::fmt;
use std::time::Duration;

use rustls::{AlertDescription, CertificateError, InvalidMessage, PeerIncompatible};
use tokio::io;

/// Why a TLS handshake did not complete.
#[derive(Debug, Clone, PartialEq)]
pub enum HandshakeError {
    /// The certificate does not name the host the client dialled. `presented`
    /// lists the names it does hold, as rustls shows them (empty when unknown).
    NotValidForName { presented: Vec<String> },
    /// The certificate's `not_after` is in the past.
    Expired,
    /// The certificate's `not_before` is in the future.
    NotValidYet,
    /// The certificate was not signed by a trusted CA (or is self-signed).
    UnknownIssuer,
    /// The certificate names a trusted CA as its issuer, but its signature does not
    /// verify with that CA's key: another CA that took the same name signed it.
    BadSignature,
    /// Another problem with the certificate (bad signature, wrong usage, …).
    OtherCertificateProblem(CertificateError),
    /// The other side refused the handshake with this fatal alert.
    AlertReceived(AlertDescription),
    /// No protocol version (or cipher suite, or key exchange) in common.
    Incompatible(PeerIncompatible),
    /// What arrived was not TLS at all: a plaintext client, or garbage.
    NotTls(InvalidMessage),
    /// Another TLS error, in rustls's words.
    OtherTls(rustls::Error),
    /// The handshake did not finish within this time.
    TimedOut(Duration),
    /// The connection itself failed (reset, closed early, refused), in the system's words.
    Io {
        kind: io::ErrorKind,
        message: String,
    },
}

/// One sentence for a log or a test transcript, with rustls's name for the error in brackets.
impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandshakeError::NotValidForName { presented } if presented.is_empty() => write!(
                f,
                "the certificate is not valid for the name the client dialled (NotValidForName)"
            ),
            HandshakeError::NotValidForName { presented } => write!(
                f,
                "the certificate is not valid for the name the client dialled, only for {} \
                 (NotValidForName)",
                presented.join(", ")
            ),
            HandshakeError::Expired => write!(f, "the certificate has expired (Expired)"),
            HandshakeError::NotValidYet => {
                write!(f, "the certificate is not valid yet (NotValidYet)")
            }
            HandshakeError::UnknownIssuer => write!(
                f,
                "the certificate was not issued by a trusted CA (UnknownIssuer)"
            ),
            HandshakeError::BadSignature => write!(
                f,
                "the certificate's signature does not verify with the trusted CA's key \
                 (BadSignature)"
            ),
            HandshakeError::OtherCertificateProblem(problem) => {
                write!(f, "the certificate was refused ({problem:?})")
            }
            HandshakeError::AlertReceived(alert) => write!(
                f,
                "the other side refused the handshake with the alert {alert:?} (AlertReceived)"
            ),
            HandshakeError::Incompatible(why) => write!(
                f,
                "the two sides have no TLS version or algorithm in common ({why:?})"
            ),
            HandshakeError::NotTls(why) => {
                write!(f, "what arrived is not TLS ({why:?})")
            }
            HandshakeError::OtherTls(error) => write!(f, "TLS error: {error}"),
            HandshakeError::TimedOut(limit) => write!(
                f,
                "the handshake did not finish within {} s (timed out)",
                limit.as_secs_f64()
            ),
            HandshakeError::Io { message, .. } => {
                write!(f, "the connection failed: {message}")
            }
        }
    }
}

impl std::error::Error for HandshakeError {}

/// The [`HandshakeError`] for an error returned by a tokio-rustls handshake
/// (`TlsConnector::connect` or `TlsAcceptor::accept`).
///
/// When `error` wraps a [`rustls::Error`], that error decides
/// ([`classify_tls`]); otherwise it is [`HandshakeError::Io`], with the error's
/// kind and text.
pub fn classify(error: &io::Error) -> HandshakeError {
    // BEGIN SOLUTION
    let inner = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    match inner {
        Some(tls_error) => classify_tls(tls_error),
        None => HandshakeError::Io {
            kind: error.kind(),
            message: error.to_string(),
        },
    }
    // END SOLUTION
    // STUB: // TODO: as the doc comment says. Think about: an error of tokio-rustls that carries a
    // STUB: // `rustls::Error` (a refused certificate, an alert, not TLS at all) and one that carries
    // STUB: // none (a reset, an early end of the stream, a refused connection). Read the module
    // STUB: // comment ("Where the reason hides"), chapter 9, "Every mistake, and how it shows", and
    // STUB: // the docs of `std::io::Error` (how to reach the error inside) and of `dyn Error`'s
    // STUB: // `downcast_ref`. Stuck? `cargo xtask hint 09`.
    // STUB: todo!()
}

/// The [`HandshakeError`] for a [`rustls::Error`].
///
/// - `InvalidCertificate(…)`: `NotValidForName` and `NotValidForNameContext`
///   are [`HandshakeError::NotValidForName`] (with the context's `presented`
///   names), `Expired` and `ExpiredContext` are [`HandshakeError::Expired`],
///   `NotValidYet` and `NotValidYetContext` are [`HandshakeError::NotValidYet`],
///   `UnknownIssuer` and `BadSignature` are [`HandshakeError::UnknownIssuer`] and
///   [`HandshakeError::BadSignature`], and any other is
///   [`HandshakeError::OtherCertificateProblem`];
/// - `AlertReceived(alert)`, `PeerIncompatible(why)` and `InvalidMessage(why)`
///   are [`HandshakeError::AlertReceived`], [`HandshakeError::Incompatible`] and
///   [`HandshakeError::NotTls`];
/// - anything else is [`HandshakeError::OtherTls`].
pub fn classify_tls(error: &rustls::Error) -> HandshakeError {
    // BEGIN SOLUTION
    match error {
        rustls::Error::InvalidCertificate(problem) => classify_certificate_problem(problem),
        rustls::Error::AlertReceived(alert) => HandshakeError::AlertReceived(*alert),
        rustls::Error::PeerIncompatible(why) => HandshakeError::Incompatible(why.clone()),
        rustls::Error::InvalidMessage(why) => HandshakeError::NotTls(*why),
        other => HandshakeError::OtherTls(other.clone()),
    }
    // END SOLUTION
    // STUB: // TODO: the mapping of the doc comment. Think about: the `…Context` forms that recent
    // STUB: // rustls reports (the module comment's "One trap"); the names a `NotValidForName`
    // STUB: // context presents; every error you do not name must still map to something. The
    // STUB: // certificate problems are a mapping of their own: write a private helper for them,
    // STUB: // your own design (the stub has none). Read the module comment's table, and the docs
    // STUB: // of `rustls::Error` and `rustls::CertificateError`. Stuck? `cargo xtask hint 09`.
    // STUB: todo!()
}
// BEGIN SOLUTION

/// The [`HandshakeError`] for a certificate the client refused.
fn classify_certificate_problem(problem: &CertificateError) -> HandshakeError {
    match problem {
        CertificateError::NotValidForName => HandshakeError::NotValidForName {
            presented: Vec::new(),
        },
        CertificateError::NotValidForNameContext { presented, .. } => {
            HandshakeError::NotValidForName {
                presented: presented.clone(),
            }
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            HandshakeError::Expired
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            HandshakeError::NotValidYet
        }
        CertificateError::UnknownIssuer => HandshakeError::UnknownIssuer,
        CertificateError::BadSignature => HandshakeError::BadSignature,
        other => HandshakeError::OtherCertificateProblem(other.clone()),
    }
}
// END SOLUTION
