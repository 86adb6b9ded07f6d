//! The program: `cargo run -p lab09-tls -- --listen 127.0.0.1:0 --dir /tmp/lab09`.
//!
//! It puts the pieces together, the way a real deployment does:
//!
//! 1. make a CA and a server certificate for `localhost`, `127.0.0.1` and `::1`;
//! 2. write what clients need into `--dir`: the CA's certificate (`ca.pem`,
//!    public) and the token (`token`, secret: readable by its owner only);
//! 3. listen, say where, and serve until Ctrl-C.
//!
//! The private keys are never written anywhere: they live in this process and
//! die with it. The next run makes a new CA, so a `ca.pem` from an earlier run
//! is useless, which is what you want from a test CA.
//!
//! The token comes from the environment variable [`TOKEN_VARIABLE`] when it is
//! set, and is made up from 16 random bytes otherwise. Not from a command-line
//! option: every user of the machine can read every process's command line
//! (`ps aux`), while a process's environment is readable by its owner only.
//!
//! Try it with OpenSSL's test client, the security tester's first tool:
//!
//! ```text
//! $ cargo run -p lab09-tls -- --listen 127.0.0.1:0 --dir /tmp/lab09
//! listening on 127.0.0.1:43917
//! $ openssl s_client -connect 127.0.0.1:43917 -CAfile /tmp/lab09/ca.pem \
//!       -verify_hostname localhost -verify_return_error -brief
//! ```
//!
//! and type `AUTH `, the token from `/tmp/lab09/token`, Enter, then anything.

use std::fs;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use clap::Parser;
use tokio::net::TcpListener;

use crate::auth::Token;
use crate::pki::{CA_NAME, CertificateAuthority, Validity, localhost_names};
use crate::server::{Outcome, ServerSettings, serve};
use crate::tls::{provider, server_config};

/// The environment variable that holds the token, if you choose it yourself.
pub const TOKEN_VARIABLE: &str = "LAB09_TOKEN";

/// How long the CA and the server certificate are valid, in days.
pub const VALIDITY_DAYS: i64 = 7;

/// An echo server over TLS 1.3 that serves only clients that send `AUTH <token>` first.
/// Stop it with Ctrl-C.
#[derive(Debug, Clone, Parser)]
#[command(name = "lab09-tls", version)]
pub struct Args {
    /// Where to listen: an IP address and a port. Port 0 asks for any free port.
    #[arg(long, value_name = "ADDRESS:PORT", default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,

    /// The folder where the program writes ca.pem (the CA's certificate, for clients to
    /// trust) and token (the secret clients must send). It is created if needed.
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
}

/// Makes the CA and the server's certificate, writes `ca.pem` and `token` into
/// `args.dir`, binds `args.listen`, prints `listening on ADDRESS`, and serves
/// until `shutdown` completes. Returns the connections' outcomes, or what went
/// wrong before the server could start.
pub async fn run(args: &Args, shutdown: impl Future<Output = ()>) -> Result<Vec<Outcome>, String> {
    let ca = CertificateAuthority::generate(CA_NAME, Validity::days_from_now(VALIDITY_DAYS))
        .map_err(|error| format!("cannot make the CA: {error}"))?;
    let identity = ca
        .issue_server_certificate(localhost_names(), Validity::days_from_now(VALIDITY_DAYS))
        .map_err(|error| format!("cannot make the server's certificate: {error}"))?;
    let tls = server_config(identity)
        .map_err(|error| format!("cannot configure TLS with that certificate: {error}"))?;
    let token = choose_token()?;

    fs::create_dir_all(&args.dir)
        .map_err(|error| format!("cannot create {}: {error}", args.dir.display()))?;
    let ca_file = args.dir.join("ca.pem");
    fs::write(&ca_file, ca.certificate_pem())
        .map_err(|error| format!("cannot write {}: {error}", ca_file.display()))?;
    let token_file = args.dir.join("token");
    write_secret(&token_file, token.as_bytes())
        .map_err(|error| format!("cannot write {}: {error}", token_file.display()))?;

    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", args.listen))?;
    let address = listener
        .local_addr()
        .map_err(|error| format!("cannot read the address it listens on: {error}"))?;
    println!("listening on {address}");
    eprintln!(
        "clients trust {} and send `AUTH <the token in {}>` first",
        ca_file.display(),
        token_file.display()
    );
    let settings = ServerSettings::new(tls, Token::new(token));
    Ok(serve(listener, settings, shutdown).await)
}

/// The token: [`TOKEN_VARIABLE`] when it is set (and not empty), otherwise 16
/// random bytes from the crypto provider, in hexadecimal (32 characters).
pub fn choose_token() -> Result<String, String> {
    // BEGIN SOLUTION
    if let Some(token) = std::env::var_os(TOKEN_VARIABLE) {
        let token = token
            .into_string()
            .map_err(|_| format!("{TOKEN_VARIABLE} is not valid UTF-8"))?;
        if !token.is_empty() {
            return Ok(token);
        }
    }
    let mut bytes = [0u8; 16];
    provider()
        .secure_random
        .fill(&mut bytes)
        .map_err(|_| "the system's random number generator failed".to_string())?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
    // END SOLUTION
    // STUB: // TODO: as the doc comment says. Think about: the variable unset, set but empty, and
    // STUB: // set to something that is not UTF-8; randomness that can be guessed is no secret (use
    // STUB: // the crypto provider's random source, `provider()`); exactly 32 characters, two per
    // STUB: // byte, `0` to `9` and `a` to `f`. Read the module comment (why not a command-line
    // STUB: // option), and the docs of `std::env::var_os` and of rustls's `CryptoProvider`
    // STUB: // (`secure_random`). Stuck? `cargo xtask hint 09`.
    // STUB: todo!()
}

/// Writes `contents` to a new file at `path` that only its owner may read and
/// write (mode 0600), replacing any file there.
fn write_secret(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    // BEGIN SOLUTION
    match fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)
    // END SOLUTION
    // STUB: // TODO: as the doc comment says. Think about: a `token` file left by an earlier run,
    // STUB: // maybe readable by everyone (the mode you ask for applies only to a file that is
    // STUB: // created, never to one that exists); no file yet (not an error); a moment, however
    // STUB: // short, when the file exists with a wider mode. The program test checks mode 600.
    // STUB: // Read chapter 9, "What a security tester checks on 127.0.0.1 before going live"
    // STUB: // (point 8), and the docs of `std::fs::OpenOptions` and
    // STUB: // `std::os::unix::fs::OpenOptionsExt`. Stuck? `cargo xtask hint 09`.
    // STUB: todo!()
}
