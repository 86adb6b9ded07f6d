//! Graded tests for the program (`src/cli.rs` and `src/main.rs`) with real clients:
//! `curl`, the developer's HTTP client, and Chromium, a real browser, headless, which
//! runs the home page's script. Both talk to 127.0.0.1 only.

mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use serde_json::Value;

use support::program::{Program, redact_port};
use support::site::{HELLO, SECRET, TestSite};
use support::tools::{ToolOutput, chromium, curl, find_chromium, require, run_limited};

/// How long curl may take, all its URLs together (each has --max-time 5).
const CURL_LIMIT: Duration = Duration::from_secs(20);

/// How long Chromium may take to start, load the page, run its script and print the DOM.
const CHROMIUM_LIMIT: Duration = Duration::from_secs(30);

/// Runs curl with `args`, and fails the test, explaining, unless it exits with status 0.
async fn run_curl(args: &[&str], program: &Program) -> ToolOutput {
    let mut command = curl();
    command.args(args);
    let output = run_limited(command, CURL_LIMIT).await;
    match output.status {
        Some(status) if status.success() => output,
        Some(status) => panic!(
            "curl {} failed ({status}): {}\ncurl printed: {}\n{}",
            args.join(" "),
            output.stderr.trim(),
            output.stdout_text().trim(),
            program.stderr_for_message()
        ),
        None => panic!(
            "curl {} did not finish within {} s, and was stopped. {}",
            args.join(" "),
            CURL_LIMIT.as_secs(),
            program.stderr_for_message()
        ),
    }
}

/// A file curl wrote, as text.
fn read_output(path: &Path) -> String {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_else(|_| "(curl wrote no file)".to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_reuses_one_connection_for_two_urls() {
    require("curl", "apt-get install curl").await;
    let site = TestSite::new();
    let mut program = Program::serve(&site.root);
    let address = program.listening_address().await;
    let first = site.base().join("first");
    let second = site.base().join("second");
    let write_out = "%{http_code} %{content_type} new connections: %{num_connects}\\n";
    let (status_url, hello_url) = (
        format!("http://{address}/api/status"),
        format!("http://{address}/hello.txt"),
    );
    let output = run_curl(
        &[
            "--write-out",
            write_out,
            "--output",
            &first.to_string_lossy(),
            &status_url,
            "--output",
            &second.to_string_lossy(),
            &hello_url,
        ],
        &program,
    )
    .await;
    let lines = output.stdout_text();
    let expected = "200 application/json new connections: 1\n\
                    200 text/plain; charset=utf-8 new connections: 0\n";
    if lines != expected {
        let reused = lines
            .lines()
            .nth(1)
            .is_some_and(|line| line.ends_with(": 0"));
        panic!(
            "curl fetched /api/status and /hello.txt in one call, and printed:\n{lines}\nbut it \
             should print:\n{expected}\n{}{}",
            if reused {
                ""
            } else {
                "curl opened a new connection for the second URL: the server closed the first \
                 one after its response (or said Connection: close). An HTTP/1.1 connection \
                 stays open for the next request. "
            },
            program.stderr_for_message()
        );
    }
    let status: Value = serde_json::from_str(&read_output(&first)).unwrap_or(Value::Null);
    assert_eq!(
        read_output(&second),
        HELLO,
        "curl saved the body of /hello.txt, and it is not the file's text"
    );

    let echo_url = format!("http://{address}/api/echo");
    let echo = run_curl(&["--data-binary", "hello from curl", &echo_url], &program).await;
    assert_eq!(
        echo.stdout_text(),
        "hello from curl",
        "curl --data-binary 'hello from curl' POSTs those 15 bytes to /api/echo, with \
         Content-Length: 15; the server should send them back. {}",
        program.stderr_for_message()
    );

    let transcript = format!(
        "$ lab07-web-server --listen 127.0.0.1:0 --root site\n\
         listening on http://{address}/\n\
         $ curl --http1.1 --write-out '{write_out}' --output first {status_url} --output second {hello_url}\n\
         {lines}\
         first:  {status}\n\
         second: {hello:?}\n\
         $ curl --http1.1 --data-binary 'hello from curl' {echo_url}\n\
         {}\n",
        echo.stdout_text(),
        hello = read_output(&second),
    );
    with_settings!({
        description => "curl fetches two URLs in one call and reuses the connection for the second (no new connection: HTTP/1.1 keep-alive); then it POSTs a body to /api/echo. The JSON is shown parsed, keys sorted.",
    }, {
        assert_snapshot!(redact_port(&transcript, address));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_with_path_as_is_cannot_leave_the_root() {
    require("curl", "apt-get install curl").await;
    let site = TestSite::new();
    let mut program = Program::serve(&site.root);
    let address = program.listening_address().await;
    let attempts = [
        ("/../secret.txt", 400),
        ("/%2e%2e/secret.txt", 400),
        ("/docs/..%2f..%2fsecret.txt", 400),
        ("/escape-link", 403),
        ("/private-link/secret.txt", 403),
        ("/hello.txt", 200),
    ];
    let mut args = vec![
        "--path-as-is".to_string(),
        "--write-out".to_string(),
        "%{http_code} %{url_effective}\\n".to_string(),
    ];
    for (number, (path, _)) in attempts.iter().enumerate() {
        args.push("--output".to_string());
        args.push(
            site.base()
                .join(format!("out-{number}"))
                .display()
                .to_string(),
        );
        args.push(format!("http://{address}{path}"));
    }
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run_curl(&arg_refs, &program).await;
    let lines = output.stdout_text();
    let expected: String = attempts
        .iter()
        .map(|(path, code)| format!("{code} http://{address}{path}\n"))
        .collect();
    for (number, (path, _)) in attempts.iter().enumerate() {
        let body = read_output(&site.base().join(format!("out-{number}")));
        assert!(
            !body.contains(SECRET.trim_end()),
            "LEAK: curl --path-as-is http://{address}{path} received the secret file from \
             outside the site folder. Decode the path first, refuse `..` segments, and check \
             the canonical path with Path::starts_with."
        );
    }
    assert!(
        lines == expected,
        "curl --path-as-is sends each path exactly as written (without it, curl would remove \
         the `..` itself). It printed:\n{lines}\nbut it should print:\n{expected}\n`..` \
         segments, plain or percent-encoded, are 400; links that lead out of the site folder \
         are 403. {}",
        program.stderr_for_message()
    );
    let transcript = format!(
        "$ curl --http1.1 --path-as-is --write-out '%{{http_code}} %{{url_effective}}\\n' URL…\n{lines}"
    );
    with_settings!({
        description => "curl --path-as-is sends paths that try to leave the site folder exactly as written: none gets a file from outside.",
    }, {
        assert_snapshot!(redact_port(&transcript, address));
    });
}

/// The text of the element `<p id="status">…</p>` of a page, if it has one.
fn status_paragraph(dom: &str) -> Option<&str> {
    let start = dom.find("id=\"status\">")? + "id=\"status\">".len();
    let length = dom[start..].find("</p>")?;
    Some(&dom[start..start + length])
}

/// `Live: 127.0.0.1:43917 has answered 2 requests.` → the address and the count.
fn parse_live(text: &str) -> Option<(SocketAddr, u64)> {
    let rest = text.strip_prefix("Live: ")?;
    let (address, rest) = rest.split_once(" has answered ")?;
    let count = rest.strip_suffix(" requests.")?;
    Some((address.parse().ok()?, count.parse().ok()?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_runs_the_pages_script() {
    let browser = find_chromium();
    require(&browser, "apt-get install chromium").await;
    let site = TestSite::new();
    let mut program = Program::serve(&site.root);
    let address = program.listening_address().await;
    let profile = tempfile::Builder::new()
        .prefix("lab07-chromium-")
        .tempdir()
        .expect("the test can make a temporary folder (not your code's fault)");
    // The grader's temporary folder may have a long path; /tmp has a short one.
    let short_tmp = tempfile::Builder::new()
        .prefix("lab07-")
        .tempdir_in("/tmp")
        .expect("the test can make a folder in /tmp (not your code's fault)");
    let url = format!("http://{address}/");
    let mut command = chromium(&browser, profile.path(), short_tmp.path());
    command
        .arg("--virtual-time-budget=5000")
        .arg("--dump-dom")
        .arg(&url);
    let output = run_limited(command, CHROMIUM_LIMIT).await;
    let noise = ["dbus", "unexpected operator", "Fontconfig"];
    let Some(status) = output.status else {
        panic!(
            "{browser} did not finish within {} s, and was stopped. Its standard error ends \
             with:\n{}\n\n{}",
            CHROMIUM_LIMIT.as_secs(),
            output.stderr_tail(&noise),
            program.stderr_for_message()
        );
    };
    let dom = output.stdout_text();
    if !status.success() || dom.trim().is_empty() {
        panic!(
            "{browser} --headless --dump-dom {url} failed ({status}) and printed no page. Its \
             standard error ends with:\n{}\n\n{}",
            output.stderr_tail(&noise),
            program.stderr_for_message()
        );
    }
    let Some(text) = status_paragraph(&dom) else {
        panic!(
            "the page chromium shows has no <p id=\"status\"> element: the server should send \
             src/index.html (INDEX_HTML) for GET /. Chromium shows:\n{}\n\n{}",
            dom.chars().take(1500).collect::<String>(),
            program.stderr_for_message()
        );
    };
    let Some((shown_address, count)) = parse_live(text) else {
        let advice = if text.starts_with("The page's script has not run") {
            "Chromium did not run the page's script. A browser only runs the scripts of an HTML \
             page: is GET / served with Content-Type: text/html; charset=utf-8, and a \
             Content-Length that is the whole page's length?"
        } else {
            "The script ran but could not show the status: GET /api/status must answer 200 \
             with Content-Type: application/json and a body like \
             {\"address\":\"127.0.0.1:62893\",\"requests\":2}."
        };
        panic!(
            "after the page's script ran, <p id=\"status\"> says {text:?}. {advice}\n\n{}",
            program.stderr_for_message()
        );
    };
    assert_eq!(
        shown_address, address,
        "the page shows the address {shown_address}, but the server listens on {address}: \
         /api/status reports the listener's local_addr()"
    );
    assert!(
        count >= 2,
        "the page says the server has answered {count} requests, but it answered at least two \
         (the page, then /api/status): count every request (Site::count_request)"
    );
    let shown = text
        .replace(&address.to_string(), "127.0.0.1:[port]")
        .replace(&format!("answered {count} "), "answered [2 or more] ");
    with_settings!({
        description => "Headless Chromium loads http://127.0.0.1:[port]/, runs the page's script, which fetches /api/status, and shows the paragraph the script filled in (as --dump-dom prints it).",
    }, {
        assert_snapshot!(format!("<p id=\"status\">{shown}</p>\n"));
    });
}
