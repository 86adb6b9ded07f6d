//! Checking the rendered book: every internal link leads to a page that exists, and every
//! `#anchor` to an element with that id.
//!
//! The check reads the HTML mdBook wrote, not the Markdown: heading ids are whatever mdBook
//! made of the heading text, and a link is broken exactly when a reader's click goes
//! nowhere. Links to other sites (`https:`, `mailto:`) are not followed: the check must work
//! offline and must not send traffic anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

/// One link that goes nowhere.
#[derive(Debug, PartialEq)]
pub struct BrokenLink {
    /// The page holding the link, relative to the book, e.g. `03-loopback.html`.
    pub page: String,
    /// The link as written, e.g. `02-binding.html#port-0`.
    pub link: String,
    pub problem: String,
}

/// Every broken internal link and image of the rendered book in `book_dir`.
pub fn broken_links(book_dir: &Path) -> Result<Vec<BrokenLink>> {
    let pages = read_pages(book_dir)?;
    let ids: BTreeMap<&PathBuf, BTreeSet<String>> = pages
        .iter()
        .map(|(path, html)| (path, attribute_values(html, "id").into_iter().collect()))
        .collect();

    let mut broken = Vec::new();
    for (page, html) in &pages {
        let mut links = attribute_values(html, "href");
        links.extend(attribute_values(html, "src"));
        for link in links {
            if is_external(&link) {
                continue;
            }
            if let Some(problem) = check_link(book_dir, page, &link, &ids) {
                broken.push(BrokenLink {
                    page: display(page),
                    link,
                    problem,
                });
            }
        }
    }
    Ok(broken)
}

/// Why a link from `page` goes nowhere, or `None` when it resolves.
fn check_link(
    book_dir: &Path,
    page: &Path,
    link: &str,
    ids: &BTreeMap<&PathBuf, BTreeSet<String>>,
) -> Option<String> {
    let (path_part, anchor) = match link.split_once('#') {
        Some((path, anchor)) => (path, Some(percent_decode(anchor))),
        None => (link, None),
    };
    let path_part = path_part.split('?').next().unwrap_or_default();
    let target = if path_part.is_empty() {
        page.to_path_buf()
    } else if let Some(from_root) = path_part.strip_prefix('/') {
        // Site-absolute, as on the 404 page: the book is served from the site's root.
        PathBuf::from(percent_decode(from_root))
    } else {
        let joined = page
            .parent()
            .unwrap_or(Path::new(""))
            .join(percent_decode(path_part));
        match normalise(&joined) {
            Some(target) => target,
            None => return Some("it points above the book's folder".to_string()),
        }
    };
    let on_disk = book_dir.join(&target);
    let target = if on_disk.is_dir() {
        target.join("index.html")
    } else {
        target
    };
    if !book_dir.join(&target).is_file() {
        return Some(format!("{} does not exist", display(&target)));
    }
    let anchor = anchor.filter(|anchor| !anchor.is_empty())?;
    match ids.get(&target) {
        Some(known) if known.contains(&anchor) => None,
        Some(_) => Some(format!(
            "{} has no heading or element with the id \"{anchor}\"",
            display(&target)
        )),
        None => None, // not a page (an image, a stylesheet): anchors mean nothing there
    }
}

/// The book's HTML pages, by path relative to the book folder.
fn read_pages(book_dir: &Path) -> Result<BTreeMap<PathBuf, String>> {
    let mut pages = BTreeMap::new();
    for entry in WalkDir::new(book_dir) {
        let entry = entry.with_context(|| format!("cannot read {}", book_dir.display()))?;
        let path = entry.path();
        if entry.file_type().is_file() && path.extension().is_some_and(|ext| ext == "html") {
            let html = fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let relative = path
                .strip_prefix(book_dir)
                .expect("below the book")
                .to_path_buf();
            pages.insert(relative, html);
        }
    }
    Ok(pages)
}

/// The values of every `name="…"` attribute in the page, as mdBook writes them (double
/// quotes, `&amp;`-escaped).
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(start, _)| {
            let value_start = start + needle.len();
            let length = html[value_start..].find('"')?;
            Some(html_unescape(&html[value_start..value_start + length]))
        })
        .collect()
}

fn is_external(link: &str) -> bool {
    let scheme = link
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|scheme| {
            scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    scheme.is_some() || link.starts_with("//")
}

/// `a/b/../c` → `a/c`; `None` when the path climbs out of the book.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `%20` → ` `, as a browser reads a link.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escape = bytes.get(index + 1..index + 3).and_then(|hex| {
            std::str::from_utf8(hex)
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        });
        match (bytes[index], escape) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(pages: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, html) in pages {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, html).unwrap();
        }
        dir
    }

    #[test]
    fn links_and_anchors_that_resolve_pass() {
        let dir = book(&[
            (
                "index.html",
                r##"<h2 id="ports">Ports</h2><a href="#ports">x</a> <a href="concepts/a.html#block">y</a>
                   <a href="https://www.rfc-editor.org/rfc/rfc6335#section-6">z</a> <img src="diagrams/d.svg">"##,
            ),
            (
                "concepts/a.html",
                r#"<h2 id="block">B</h2><a href="../index.html">back</a> <a href="../index.html?x=1&amp;y=2#ports">q</a>"#,
            ),
            ("diagrams/d.svg", "<svg/>"),
        ]);
        assert_eq!(broken_links(dir.path()).unwrap(), vec![]);
    }

    #[test]
    fn a_missing_page_a_missing_anchor_and_a_missing_image_are_reported() {
        let dir = book(&[(
            "index.html",
            r##"<h2 id="ports">P</h2><a href="02-binding.html">a</a> <a href="#port">b</a> <img src="diagrams/none.svg"> <a href="../../etc/passwd">c</a>"##,
        )]);
        let problems: Vec<(String, String)> = broken_links(dir.path())
            .unwrap()
            .into_iter()
            .map(|broken| (broken.link, broken.problem))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    "02-binding.html".to_string(),
                    "02-binding.html does not exist".to_string()
                ),
                (
                    "#port".to_string(),
                    "index.html has no heading or element with the id \"port\"".to_string()
                ),
                (
                    "../../etc/passwd".to_string(),
                    "it points above the book's folder".to_string()
                ),
                (
                    "diagrams/none.svg".to_string(),
                    "diagrams/none.svg does not exist".to_string()
                ),
            ]
        );
    }

    #[test]
    fn percent_escapes_are_decoded_like_a_browser_does() {
        assert_eq!(percent_decode("a%20b%2Fc%zz"), "a b/c%zz");
        assert!(is_external("mailto:someone@example.org"));
        assert!(is_external("//cdn.example.org/x.js"));
        assert!(!is_external("02-binding.html#port-0-any-port-please"));
    }
}
