//! The site folder of a test: a few files of different types, links that stay inside
//! and links that lead out, and secrets next to it that no request may ever reach.
//!
//! ```text
//! TMP/
//!   secret.txt                  SECRET, outside the site folder
//!   site-private/secret.txt     SECRET, in a folder whose name starts like "site"
//!   site/                       the root the server is given
//!     hello.txt, hello world.txt, style.css, app.js, data.json, logo.png, notes.xyz
//!     docs/guide.html
//!     inside-link  -> hello.txt          a link that stays inside: served
//!     escape-link  -> ../secret.txt      a link that leads out: refused
//!     private-link -> ../site-private    a folder link that leads out: refused
//! ```

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// What the secret files hold. No response may contain it.
pub const SECRET: &str =
    "SECRET: a private file next to the site folder; a server must never send it\n";

/// The text of `hello.txt`.
pub const HELLO: &str = "hello from the site folder\n";

/// The bytes of `logo.png`: a PNG signature, then every byte value once.
pub fn logo_png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(0..=255u8);
    bytes
}

/// A site folder in a temporary folder, removed when dropped.
pub struct TestSite {
    dir: TempDir,
    /// The site folder the server serves.
    pub root: PathBuf,
}

impl TestSite {
    pub fn new() -> TestSite {
        let dir = tempfile::Builder::new()
            .prefix("lab07-site-")
            .tempdir()
            .expect("the test can make a temporary folder (not your code's fault)");
        let base = dir.path();
        let root = base.join("site");
        let files: [(&str, &[u8]); 9] = [
            ("site/hello.txt", HELLO.as_bytes()),
            ("site/hello world.txt", b"a file name with a space\n"),
            ("site/style.css", b"body { font-family: sans-serif; }\n"),
            ("site/app.js", b"console.log(\"hello from app.js\");\n"),
            ("site/data.json", b"{\"answer\": 42}\n"),
            ("site/notes.xyz", b"a file of an unknown type\n"),
            (
                "site/docs/guide.html",
                b"<!doctype html>\n<title>Guide</title>\n<p>The guide.</p>\n",
            ),
            ("secret.txt", SECRET.as_bytes()),
            ("site-private/secret.txt", SECRET.as_bytes()),
        ];
        for (name, contents) in files {
            write(&base.join(name), contents);
        }
        write(&root.join("logo.png"), &logo_png());
        let links = [
            ("inside-link", "hello.txt"),
            ("escape-link", "../secret.txt"),
            ("private-link", "../site-private"),
        ];
        for (name, target) in links {
            symlink(target, root.join(name))
                .expect("the test can make a symbolic link (not your code's fault)");
        }
        TestSite { dir, root }
    }

    /// The folder holding the site folder and the secrets.
    pub fn base(&self) -> &Path {
        self.dir.path()
    }

    /// Replaces the temporary folder's path in `text` with `[tmp]` (and its percent-encoded
    /// form, `/` as `%2F`, with a note saying so).
    pub fn redact(&self, text: &str) -> String {
        let base = self.base().to_string_lossy().into_owned();
        let canonical = fs::canonicalize(self.base())
            .map(|path| path.to_string_lossy().into_owned())
            .unwrap_or_else(|_| base.clone());
        let mut text = text.to_string();
        for path in [canonical, base] {
            text = text
                .replace(&path.replace('/', "%2F"), "[tmp, with / as %2F]")
                .replace(&path, "[tmp]");
        }
        text
    }
}

fn write(path: &Path, contents: &[u8]) {
    let folder = path.parent().expect("a file has a folder");
    fs::create_dir_all(folder).expect("the test can make a folder (not your code's fault)");
    fs::write(path, contents).expect("the test can write a file (not your code's fault)");
}
