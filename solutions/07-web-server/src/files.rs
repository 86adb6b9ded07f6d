//! Static files from a folder, and nothing outside it.
//!
//! A static file server maps a request path to a file: with the *root* folder
//! `/home/ada/site`, `GET /css/style.css` is answered with `/home/ada/site/css/style.css`.
//! The danger is in the word "map". The path comes from the client, and a client can
//! ask for `/../../../etc/passwd`. A server that simply glues the path to its root
//! serves `/home/ada/site/../../../etc/passwd`, which *is* `/etc/passwd`. This is
//! **path traversal** (CWE-22), one of the oldest and still one of the most common
//! web vulnerabilities: a development server bound to `0.0.0.0` that does it hands
//! your SSH keys to anyone on the café's Wi-Fi.
//!
//! The path arrives in four disguises, and each one needs its own defence:
//!
//! 1. **Plain dots**: `/../secret.txt`. Browsers and `curl` remove `..` segments
//!    before sending (`curl --path-as-is` does not), but an attacker writes bytes on a
//!    socket and sends what they like.
//! 2. **Percent-encoded dots**: `/%2e%2e/secret.txt`. A request path is
//!    percent-encoded (RFC 3986, section 2.1): `%2e` is `.`, `%2f` is `/`, `%20` is a
//!    space. A check for `..` made *before* decoding sees `%2e%2e`, finds nothing wrong,
//!    and the decoding then produces the `..` it was looking for. So: decode first
//!    ([`percent_decode`]), then check ([`relative_path`]).
//! 3. **Absolute paths**: `//etc/passwd`, or `/%2Fetc/passwd`. In Rust,
//!    `Path::new("/home/ada/site").join("/etc/passwd")` is `/etc/passwd`: joining an
//!    absolute path *replaces* the base. [`relative_path`] builds the path from its
//!    normal segments only, so it can never be absolute.
//! 4. **Symbolic links**: `/photos` may be a link to `/home/ada`, made on purpose or
//!    not; `/photos/.ssh/id_ed25519` contains no `..` at all. Only the file system
//!    knows where a path really leads, so [`resolve`] asks it, with
//!    [`canonicalize`](std::fs::canonicalize) (every link followed, every `..` gone),
//!    and checks that the answer is still inside the root, **component by component**:
//!    [`Path::starts_with`], not `str::starts_with`, since the text
//!    `/home/ada/site-private` starts with the text `/home/ada/site`.
//!
//! Refusals: a path with a `..` segment, a broken `%` escape, or a NUL byte is a 400
//! Bad Request; a path that leads outside the root through a link is 403 Forbidden;
//! a path that leads to nothing, or to a folder, is 404 Not Found.
//!
//! And the type: a browser decides what to do with a file (show a page, run a script,
//! apply a style sheet) from its `Content-Type`, never from its name. [`content_type`]
//! maps the usual extensions to their media types.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::response::{HttpError, Response, Status};

/// Decodes the `%XX` escapes of a request path: `/hello%20world.txt` →
/// `/hello world.txt`, `/%2e%2e/` → `/../`. Hex digits may be upper or lower case.
///
/// 400 Bad Request when a `%` is not followed by two hex digits, when a decoded byte is
/// NUL (no file name holds one: C functions would cut the name there), or when the
/// decoded bytes are not UTF-8.
pub fn percent_decode(path: &str) -> Result<String, HttpError> {
    // BEGIN SOLUTION
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let escape = bytes.get(index + 1..index + 3);
            let value = escape
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .filter(|hex| hex.bytes().all(|byte| byte.is_ascii_hexdigit()))
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| {
                    HttpError::bad_request("a % in the path is not followed by two hex digits")
                })?;
            decoded.push(value);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    if decoded.contains(&0) {
        return Err(HttpError::bad_request("the path holds a NUL byte (%00)"));
    }
    String::from_utf8(decoded).map_err(|_| HttpError::bad_request("the decoded path is not UTF-8"))
    // END SOLUTION
    // STUB: // TODO: decode the path, as the doc comment says. Think about: `%2e` and `%2E`; `%zz`; `%2` and
    // STUB: // a `%` at the very end; `%00`; `%C3%A9` (two bytes that make one UTF-8 character) and `%FF`
    // STUB: // (not UTF-8); `%252e`, decoded once only, is `%2e`. Read chapter 7, "Static files, and path
    // STUB: // traversal" (the second disguise), and RFC 3986, section 2.1. Stuck? `cargo xtask hint 07`.
    // STUB: todo!()
}

/// The relative path, below the root, of a *decoded* request path: `/css/style.css` →
/// `css/style.css`.
///
/// Splits at every `/` and keeps the normal segments: empty segments (`//`) and `.` are
/// skipped, so the result is never absolute; a `..` segment is refused with 400 Bad
/// Request (clients remove them before sending, so only an attack has one). `/` gives
/// the empty path: the root itself.
pub fn relative_path(decoded: &str) -> Result<PathBuf, HttpError> {
    // BEGIN SOLUTION
    let mut relative = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                return Err(HttpError::bad_request(
                    "a path with a .. segment would climb out of the site folder",
                ));
            }
            name => relative.push(name),
        }
    }
    debug_assert!(
        relative
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
    );
    Ok(relative)
    // END SOLUTION
    // STUB: // TODO: the relative path, as the doc comment says. Think about: `/` (the root itself);
    // STUB: // `//etc/passwd` (the result must never be absolute); `/./hello.txt`; `/docs/../hello.txt`
    // STUB: // (refused, even though it would stay inside); a path ending in `/`. Read chapter 7, "Static
    // STUB: // files, and path traversal" (the first and third disguises), and the std docs of `PathBuf` and
    // STUB: // `Path::join`. Stuck? `cargo xtask hint 07`.
    // STUB: todo!()
}

/// The file that the request path `target_path` (percent-encoded, without its query)
/// names below `root`, a canonical path (see [`std::fs::canonicalize`]).
///
/// [`percent_decode`] first, then [`relative_path`], joined to `root`; then the file
/// system's answer: [`tokio::fs::canonicalize`] follows the links. 404 Not Found when
/// nothing is there (403 Forbidden when the file system refuses access); 403 when the
/// canonical path is not inside `root` ([`Path::starts_with`]); 404 when it is a folder.
pub async fn resolve(root: &Path, target_path: &str) -> Result<PathBuf, HttpError> {
    // BEGIN SOLUTION
    let decoded = percent_decode(target_path)?;
    let relative = relative_path(&decoded)?;
    let canonical = tokio::fs::canonicalize(root.join(&relative))
        .await
        .map_err(|error| file_error(&decoded, &error))?;
    if !canonical.starts_with(root) {
        return Err(HttpError::new(
            Status::Forbidden,
            format!("{decoded} leads outside the site folder"),
        ));
    }
    let metadata = tokio::fs::metadata(&canonical)
        .await
        .map_err(|error| file_error(&decoded, &error))?;
    if !metadata.is_file() {
        return Err(HttpError::new(
            Status::NotFound,
            format!("{decoded} is a folder, not a file"),
        ));
    }
    Ok(canonical)
    // END SOLUTION
    // STUB: // TODO: the file the path names, as the doc comment says. Think about: when
    // STUB: // `/%2e%2e/secret.txt` becomes `..`, and when you look for `..`; a link that stays inside, and
    // STUB: // one that leads out; `private-link`, which leads to `site-private`, a folder whose name starts
    // STUB: // like the root's; a missing file, a folder, a path through a file (`/hello.txt/more`). Read
    // STUB: // chapter 7, "Static files, and path traversal" (all four disguises), and the docs of
    // STUB: // `tokio::fs::canonicalize` and `Path::starts_with`. Stuck? `cargo xtask hint 07`.
    // STUB: todo!()
}

/// The response for a request path: the file's bytes with their [`content_type`], or
/// the error of [`resolve`].
pub async fn serve_file(root: &Path, target_path: &str) -> Response {
    let file = match resolve(root, target_path).await {
        Ok(file) => file,
        Err(error) => return error.to_response(),
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => Response::new(Status::Ok, content_type(&file), bytes),
        Err(error) => file_error(target_path, &error).to_response(),
    }
}

/// The error response for a file that cannot be opened: 403 when access is denied, 404
/// otherwise (no such file, or a path through something that is not a folder).
fn file_error(path: &str, error: &io::Error) -> HttpError {
    match error.kind() {
        io::ErrorKind::PermissionDenied => {
            HttpError::new(Status::Forbidden, format!("{path}: permission denied"))
        }
        _ => HttpError::new(Status::NotFound, format!("no file {path}")),
    }
}

/// The media type of a file, from its extension (RFC 9110, section 8.3; the names are
/// IANA's). Text types say their character set, so that the browser need not guess.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}
