//! # Lab 07 — A local web server
//!
//! `npm run dev`, `cargo leptos watch`, `python3 -m http.server`: the first thing a
//! web developer sees every morning is a line like
//!
//! ```text
//! Listening on http://127.0.0.1:62893/
//! ```
//!
//! In this lab you write the program that prints it: a small HTTP/1.1 server on
//! tokio. It serves a page whose script calls a JSON endpoint, the files of a folder,
//! and nothing outside that folder, however the path is disguised. No HTTP library:
//! reading the bytes of a request yourself is the lesson. Everything follows the two
//! RFCs that define HTTP/1.1 today: RFC 9110 (the meaning of methods, status codes
//! and fields) and RFC 9112 (the bytes on the wire).
//!
//! One concept per module, in the order of the exchange, and of the book's chapter 7:
//!
//! - [`request`]: reading a request head: the request line and the header fields, with limits.
//! - [`body`]: the body, framed by `Content-Length`.
//! - [`response`]: the status line, the header fields and the body of the answer.
//! - [`files`]: static files from a folder, and why `..` must never get out of it.
//! - [`routes`]: which request gets which response: the page, the JSON endpoint, the files.
//! - [`connection`]: one connection, many requests: keep-alive.
//! - [`server`]: the accept loop.
//! - [`cli`]: the program, `cargo run -p lab07-web-server -- --listen 127.0.0.1:62893 --root site`.
//!
//! Grade your work with `cargo xtask grade 07`.

// STUB: // The exercises' parameters, imports and `mut`s stay unused until you write their bodies; you may
// STUB: // delete this line once every `todo!()` is gone.
// STUB: #![allow(unused_variables, unused_imports, unused_mut)]
// STUB:
pub mod body;
pub mod cli;
pub mod connection;
pub mod files;
pub mod request;
pub mod response;
pub mod routes;
pub mod server;
