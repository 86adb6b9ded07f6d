//! Routing: which request gets which response.
//!
//! A web server is mostly a table from a method and a path to a response:
//!
//! | method | path | response |
//! | --- | --- | --- |
//! | `GET`, `HEAD` | `/` | the home page, [`INDEX_HTML`] (`src/index.html`) |
//! | `GET`, `HEAD` | `/api/status` | JSON: the server's address and how many requests it has read |
//! | `POST` | `/api/echo` | the request's body, sent back as it came |
//! | `GET`, `HEAD` | anything else | a file of the site folder ([`crate::files`]) |
//!
//! A path the table knows, with a method it does not allow there, gets **405 Method
//! Not Allowed**, and the response *must* carry an `Allow` field listing the methods
//! that would work (RFC 9110, section 15.5.6): `Allow: GET, HEAD`. A path it does not
//! know gets 404 Not Found (from [`crate::files`]). (RFC 9110 would answer a method the
//! server has never heard of, like `BREW`, with 501 Not Implemented; this server keeps
//! one rule: 405 for every method a path does not take.)
//!
//! The home page is where a *browser* comes in: it holds a small script that fetches
//! `/api/status` and writes the answer into the page. `curl` shows the page as it
//! left the server, with "The page's script has not run (yet)."; a browser runs the
//! script, and shows "Live: 127.0.0.1:62893 has answered 2 requests." For that the
//! page must be served as `text/html` (a browser never runs the script of a
//! `text/plain` page) and the status as `application/json`.
//!
//! JSON is written with [`serde_json`]: never glue JSON together with `format!`, since
//! a value with a quote or a backslash in it would break the document.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::json;

use crate::files;
use crate::request::Request;
use crate::response::{HttpError, Response, Status};

/// The home page: `src/index.html`, built into the program.
pub const INDEX_HTML: &str = include_str!("index.html");

/// What every connection of one server shares: the site folder, the server's address,
/// and the count of requests.
#[derive(Debug)]
pub struct Site {
    root: PathBuf,
    address: SocketAddr,
    requests: AtomicU64,
}

impl Site {
    /// A site serving the files of `root` from a server listening on `address`.
    /// Fails when `root` does not exist: it is made canonical once, here, since
    /// [`files::resolve`] compares every file's canonical path with it.
    pub fn new(root: &Path, address: SocketAddr) -> io::Result<Site> {
        Ok(Site {
            root: std::fs::canonicalize(root)?,
            address,
            requests: AtomicU64::new(0),
        })
    }

    /// The site folder, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Counts one more request, and returns the new count.
    pub fn count_request(&self) -> u64 {
        self.requests.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// How many requests were counted so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }
}

/// The answer to `request`, following the table of the module's documentation.
///
/// The path is [`Request::path`] (the target without its query). For a `HEAD`, return
/// the same response as for a `GET`: the caller leaves out the body.
pub async fn route(request: &Request, site: &Site) -> Response {
    // TODO: the table of the module's documentation. Think about: HEAD gets the same response as
    // GET; a method a path does not take (405, with the `Allow` of that path: `BREW`, `get`,
    // `DELETE`, `POST /hello.txt`); `/api/echo` with and without a `Content-Type`; a query
    // (`/hello.txt?lang=en`) is not part of the path. Read chapter 7, "A page only a browser can
    // finish", and RFC 9110, section 15.5.6. Stuck? `cargo xtask hint 07`.
    todo!()
}

/// The body of `/api/status`: `{"address":"127.0.0.1:62893","requests":7}`.
pub fn status_json(site: &Site) -> String {
    // TODO: the JSON of the doc comment, as a string. Think about: the address is the listener's
    // real one (port 0 is never shown); a value with a quote in it must not break the document, so
    // do not glue the JSON together by hand. Read chapter 7, "A page only a browser can finish",
    // and serde_json's `json!` macro. Stuck? `cargo xtask hint 07`.
    todo!()
}

/// A 405 Method Not Allowed, with the `Allow` field the RFC requires, e.g. `GET, HEAD`.
pub fn method_not_allowed(method: &str, allow: &str) -> Response {
    HttpError::new(
        Status::MethodNotAllowed,
        format!("{method} is not allowed here; use {allow}"),
    )
    .to_response()
    .with_field("Allow", allow)
}
