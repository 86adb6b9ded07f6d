//! Graded tests for static files (`src/files.rs`, through `src/routes.rs`): the files
//! of the site folder with their types, and nothing outside it, however the path is
//! disguised. A secret file sits next to the site folder; no response may contain it.

mod support;

use insta::{assert_snapshot, with_settings};

use support::cases::{Case, Expected, run_table};
use support::server::{TestServer, get, request};
use support::site::{HELLO, logo_png};

/// A file request and what it must get.
struct FileCase {
    request: Vec<u8>,
    shown: &'static str,
    code: u16,
    content_type: Option<&'static str>,
    body: Option<Vec<u8>>,
    allow: Option<&'static str>,
    why: &'static str,
}

fn file(
    target: &'static str,
    content_type: &'static str,
    body: &[u8],
    why: &'static str,
) -> FileCase {
    FileCase {
        request: get(target, &[]),
        shown: target,
        code: 200,
        content_type: Some(content_type),
        body: Some(body.to_vec()),
        allow: None,
        why,
    }
}

fn refused(request: Vec<u8>, shown: &'static str, code: u16, why: &'static str) -> FileCase {
    FileCase {
        request,
        shown,
        code,
        content_type: None,
        body: None,
        allow: None,
        why,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_files_from_the_root_folder() {
    let server = TestServer::start().await;
    let text = "text/plain; charset=utf-8";
    let cases = [
        file("/hello.txt", text, HELLO.as_bytes(), "a text file"),
        file(
            "/hello%20world.txt",
            text,
            b"a file name with a space\n",
            "%20 is a space: percent_decode the path before looking for the file",
        ),
        file(
            "/hello.txt?lang=en&v=2",
            text,
            HELLO.as_bytes(),
            "the query (after ?) is not part of the file's path: use Request::path",
        ),
        file(
            "/style.css",
            "text/css; charset=utf-8",
            b"body { font-family: sans-serif; }\n",
            "a style sheet (content_type gives the type from the extension)",
        ),
        file(
            "/app.js",
            "text/javascript; charset=utf-8",
            b"console.log(\"hello from app.js\");\n",
            "a script: browsers refuse to run a script served with the wrong type",
        ),
        file(
            "/data.json",
            "application/json",
            b"{\"answer\": 42}\n",
            "a JSON file",
        ),
        file(
            "/docs/guide.html",
            "text/html; charset=utf-8",
            b"<!doctype html>\n<title>Guide</title>\n<p>The guide.</p>\n",
            "a page in a subfolder",
        ),
        file(
            "/logo.png",
            "image/png",
            &logo_png(),
            "an image: every byte value must come through unchanged (read the file as bytes)",
        ),
        file(
            "/notes.xyz",
            "application/octet-stream",
            b"a file of an unknown type\n",
            "an unknown extension is application/octet-stream: just bytes",
        ),
        file(
            "/inside-link",
            text,
            HELLO.as_bytes(),
            "a symbolic link to a file inside the site folder is fine to follow",
        ),
        FileCase {
            request: request("HEAD", "/style.css", &[], b""),
            shown: "HEAD /style.css",
            code: 200,
            content_type: Some("text/css; charset=utf-8"),
            body: None,
            allow: None,
            why: "HEAD is GET without the body (the fields, Content-Length included, are the same)",
        },
        refused(
            get("/missing.txt", &[]),
            "/missing.txt",
            404,
            "no such file: 404 Not Found",
        ),
        refused(
            get("/docs", &[]),
            "/docs",
            404,
            "a folder is not a file: 404",
        ),
        refused(
            get("/hello.txt/more", &[]),
            "/hello.txt/more",
            404,
            "a path through a file, as if it were a folder, leads nowhere: 404",
        ),
        FileCase {
            request: request("DELETE", "/hello.txt", &[], b""),
            shown: "DELETE /hello.txt",
            code: 405,
            content_type: None,
            body: None,
            allow: Some("GET, HEAD"),
            why: "files take GET and HEAD only: 405 Method Not Allowed, with the Allow field \
                  RFC 9110 requires (method_not_allowed)",
        },
        FileCase {
            request: request("POST", "/hello.txt", &[], b"overwrite?"),
            shown: "POST /hello.txt with a body",
            code: 405,
            content_type: None,
            body: None,
            allow: Some("GET, HEAD"),
            why: "files take GET and HEAD only: 405, with an Allow field",
        },
    ];
    let mut report = String::new();
    let mut wrong = Vec::new();
    for case in &cases {
        let response = server.exchange(&case.request).await;
        let mut problems = Vec::new();
        if response.code != case.code {
            problems.push(format!("the status is {}", response.status()));
        }
        if let Some(content_type) = case.content_type
            && response.field("Content-Type") != Some(content_type)
        {
            problems.push(format!(
                "the Content-Type is {:?}, not {content_type:?}",
                response.field("Content-Type")
            ));
        }
        if let Some(body) = &case.body
            && &response.body != body
        {
            problems.push(format!(
                "the body is {}, not the file's {} bytes",
                support::show(&response.body),
                body.len()
            ));
        }
        if let Some(allow) = case.allow
            && response.field("Allow") != Some(allow)
        {
            problems.push(format!(
                "the Allow field is {:?}, not {allow:?}",
                response.field("Allow")
            ));
        }
        if !problems.is_empty() {
            wrong.push(format!(
                "- {}: expected {} {}; but {}.\n  why: {}",
                case.shown,
                case.code,
                support::cases::reason(case.code),
                problems.join(", and "),
                case.why
            ));
        }
        let mut line = format!("{}\n  → {}", case.shown, response.status());
        if let Some(content_type) = response.field("Content-Type").filter(|_| case.code == 200) {
            line += &format!(", {content_type}");
        }
        if let Some(length) = response
            .field("Content-Length")
            .filter(|_| case.code == 200)
        {
            line += &format!(", {length} bytes");
        }
        if let Some(allow) = response.field("Allow") {
            line += &format!(", Allow: {allow}");
        }
        report += &line;
        report += "\n";
    }
    if !wrong.is_empty() {
        server
            .fail(
                &format!(
                    "{} of the {} file requests got the wrong answer:\n\n{}",
                    wrong.len(),
                    cases.len(),
                    wrong.join("\n\n")
                ),
                &[],
            )
            .await;
    }
    with_settings!({
        description => "Files of the site folder, each request on a new connection: the status, the Content-Type from the file's extension, and the Content-Length. Missing files and folders are 404; other methods than GET and HEAD are 405 with an Allow field.",
    }, {
        assert_snapshot!(report);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_to_leave_the_root_folder() {
    let server = TestServer::start().await;
    let secret = server.site.base().join("secret.txt");
    let absolute = format!("/{}", secret.display());
    let encoded_absolute = format!("/{}", secret.display().to_string().replace('/', "%2F"));
    let dots = "a `..` segment is refused with 400 once the path is decoded: %2e is `.` and %2f \
                is `/`, so check for `..` after percent_decode, not before";
    let cases = [
        Case::new(
            "climbing out with ..",
            get("/../secret.txt", &[]),
            Expected::status(400),
            "a path with a `..` segment is refused with 400 (relative_path)",
        ),
        Case::new(
            "climbing out from a subfolder",
            get("/docs/../../secret.txt", &[]),
            Expected::status(400),
            "a path with a `..` segment is refused with 400 (relative_path)",
        ),
        Case::new(
            "a .. that would stay inside",
            get("/docs/../hello.txt", &[]),
            Expected::status(400),
            "clients remove `..` segments before they send a path, so any `..` is refused with \
             400, even one that would stay inside",
        ),
        Case::new(
            "encoded dots",
            get("/%2e%2e/secret.txt", &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "encoded dots in upper case",
            get("/%2E%2E/secret.txt", &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "one dot encoded, one not",
            get("/.%2e/secret.txt", &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "an encoded slash after the dots",
            get("/..%2fsecret.txt", &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "everything encoded",
            get("/%2e%2e%2fsecret.txt", &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "encoded slashes from a subfolder",
            get("/docs/..%2F..%2Fsecret.txt", &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "an absolute path: / then the full path of the secret",
            get(&absolute, &[]),
            Expected::status(404),
            "empty segments are skipped, so //tmp/x is tmp/x below the root, where nothing \
             is: 404. (root.join(\"/tmp/x\") would be /tmp/x itself: never join a path that \
             starts with /)",
        ),
        Case::new(
            "an absolute path, encoded: / then the full path of the secret, each / as %2F",
            get(&encoded_absolute, &[]),
            Expected::status(404),
            "decoded, this is //tmp/…/secret.txt: empty segments are skipped, so it is looked \
             for below the root, where nothing is: 404",
        ),
        Case::new(
            "a link that leads out",
            get("/escape-link", &[]),
            Expected::status(403),
            "escape-link -> ../secret.txt: only canonicalize shows where it leads; outside the \
             root is 403 Forbidden",
        ),
        Case::new(
            "a folder link that leads to a folder named like the root",
            get("/private-link/secret.txt", &[]),
            Expected::status(403),
            "private-link -> ../site-private, and the text \"…/site-private/secret.txt\" starts \
             with the text \"…/site\": compare with Path::starts_with (whole components), \
             not str::starts_with",
        ),
        Case::new(
            "a link that stays inside",
            get("/inside-link", &[]),
            Expected::status(200),
            "inside-link -> hello.txt stays in the site folder: served",
        ),
        Case::new(
            "a broken escape",
            get("/%zz", &[]),
            Expected::status(400),
            "a % must be followed by two hex digits (percent_decode)",
        ),
        Case::new(
            "an escape cut short",
            get("/hello.txt%2", &[]),
            Expected::status(400),
            "a % must be followed by two hex digits (percent_decode)",
        ),
        Case::new(
            "an encoded NUL byte",
            get("/hello.txt%00.png", &[]),
            Expected::status(400),
            "a NUL byte in a path is refused with 400 (percent_decode)",
        ),
    ];
    let table = run_table(&server, &cases, |text| server.site.redact(text)).await;
    with_settings!({
        description => "Attempts to read files outside the site folder, each on a new connection. None may get the secret: `..` segments (plain or percent-encoded) are 400, absolute paths stay below the root (404), links that lead out are 403.",
    }, {
        assert_snapshot!(table);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absolute_form_targets_cannot_leave_the_root() {
    let server = TestServer::start().await;
    let secret = server.site.base().join("secret.txt");
    let authority = "http://127.0.0.1:62893";
    let absolute = format!("{authority}/{}", secret.display());
    let encoded_absolute = format!(
        "{authority}/{}",
        secret.display().to_string().replace('/', "%2F")
    );
    let dots = "the path of an absolute-form target goes through the same checks as any other: \
                decoded, then any `..` segment is refused with 400";
    let cases = [
        Case::new(
            "a file, for comparison",
            get(&format!("{authority}/hello.txt"), &[]),
            Expected::status(200),
            "the absolute-form of /hello.txt (RFC 9112, section 3.2.2) is served like it",
        ),
        Case::new(
            "climbing out with ..",
            get(&format!("{authority}/../secret.txt"), &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "climbing out from a subfolder",
            get(&format!("{authority}/docs/../../secret.txt"), &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "encoded dots",
            get(&format!("{authority}/%2e%2e/secret.txt"), &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "everything encoded, in upper case, with an upper-case scheme",
            get("HTTP://127.0.0.1:62893/%2E%2E%2Fsecret.txt", &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "encoded slashes from a subfolder, with https",
            get("https://localhost:62893/docs/..%2F..%2Fsecret.txt", &[]),
            Expected::status(400),
            dots,
        ),
        Case::new(
            "dots as the host",
            get("http://../secret.txt", &[]),
            Expected::status(404),
            "the authority is not part of the path: `..` is a strange but valid host name, \
             and /secret.txt is looked for below the root, where there is none: 404",
        ),
        Case::new(
            "dots and an encoded slash in the authority",
            get("http://..%2f..%2fsecret.txt", &[]),
            Expected::status(400),
            "everything up to the first / or ? is the authority, and % is not allowed in a \
             host: 400",
        ),
        Case::new(
            "decoded once, not twice",
            get(&format!("{authority}/%252e%252e/secret.txt"), &[]),
            Expected::status(404),
            "%25 is %, so this path is /%2e%2e/secret.txt once decoded: a folder named \
             `%2e%2e`, which does not exist (404). A server that decodes the target, and then \
             again in percent_decode, sees `..` (400), or worse",
        ),
        Case::new(
            "an absolute path after the authority",
            get(&absolute, &[]),
            Expected::status(404),
            "the origin form is //tmp/…/secret.txt: empty segments are skipped, so it is \
             looked for below the root, where nothing is: 404",
        ),
        Case::new(
            "an absolute path after the authority, each / as %2F",
            get(&encoded_absolute, &[]),
            Expected::status(404),
            "decoded, this is //tmp/…/secret.txt: empty segments are skipped, so it is looked \
             for below the root: 404",
        ),
        Case::new(
            "a link that leads out",
            get(&format!("{authority}/escape-link"), &[]),
            Expected::status(403),
            "escape-link -> ../secret.txt: canonicalize shows it leads out, 403",
        ),
        Case::new(
            "a folder link that leads to a folder named like the root",
            get(&format!("{authority}/private-link/secret.txt"), &[]),
            Expected::status(403),
            "private-link -> ../site-private: compare with Path::starts_with, 403",
        ),
        Case::new(
            "the file scheme",
            get(&format!("file://{}", secret.display()), &[]),
            Expected::closed(400),
            "file:// is not a scheme of an origin server: only http and https are (parse_target)",
        ),
    ];
    let table = run_table(&server, &cases, |text| server.site.redact(text)).await;
    with_settings!({
        description => "Attempts to read files outside the site folder with absolute-form targets (http://host/path, RFC 9112, section 3.2.2), each on a new connection. Their paths get the same checks as origin-form paths: `..` segments (plain or percent-encoded) are 400, absolute paths stay below the root (404), links that lead out are 403; the authority is never part of the path.",
    }, {
        assert_snapshot!(table);
    });
}
