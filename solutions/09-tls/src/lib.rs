//! # Lab 09 — TLS and authentication on localhost
//!
//! Lab 04's echo server speaks in the clear: anyone who can read the traffic
//! reads the data, and anyone who can reach the port is served. On
//! `127.0.0.1` that sounds harmless, and it often is, until the same server
//! goes live on a real network, or until another program on the same machine
//! turns out to be less friendly than you thought. This lab puts the echo
//! server behind **TLS** (the "S" of HTTPS) and a **token**, and then does what
//! a security tester does on `127.0.0.1` before anything goes live: it tries
//! every classic mistake and checks that each one is caught, with the right error.
//!
//! Everything happens on this machine, with no outside service: you are your
//! own certificate authority.
//!
//! One concept per module, in the order chapter 9 walks through them:
//!
//! - [`pki`]: a local certificate authority (CA) and the server's certificate, made with `rcgen`.
//! - [`tls`]: the rustls configurations: TLS 1.3 only, and a client that trusts only our CA.
//! - [`failure`]: why a handshake failed, in the words a security tester uses.
//! - [`client`]: connecting over TLS, with a time limit on every step.
//! - [`auth`]: `AUTH <token>` and comparing secrets in constant time.
//! - [`server`]: the echo server over TLS: handshake, then authentication, then echo.
//! - [`echo`]: the echo loop of lab 04, given.
//! - [`cli`]: the program, `cargo run -p lab09-tls -- --listen 127.0.0.1:0 --dir /tmp/lab09`.
//!
//! Grade your work with `cargo xtask grade 09`.

// STUB: // The exercises' parameters, imports and helpers stay unused until you write their bodies; you
// STUB: // may delete this line once every `todo!()` is gone.
// STUB: #![allow(unused_variables, unused_imports, unused_mut, dead_code)]
// STUB:
pub mod auth;
pub mod cli;
pub mod client;
pub mod echo;
pub mod failure;
pub mod pki;
pub mod server;
pub mod tls;
