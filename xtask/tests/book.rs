//! The book, built by `cargo xtask book` and read the way a student reads it: rendered by
//! mdBook, then opened in a headless browser. A copy of the course with faults shows that
//! each check can fail.

mod support;

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use support::{CourseCopy, rendered_in_chromium, repo, xtask};

/// The book tests share one mdbook install in target/tools: one at a time.
static ONE_BOOK_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Every lab chapter file named by a lab.toml, e.g. `01-ports.md`.
fn lab_chapters() -> Vec<String> {
    let mut chapters: Vec<String> = fs::read_dir(repo().join("labs"))
        .unwrap()
        .map(|entry| entry.unwrap().path().join("lab.toml"))
        .filter(|path| path.is_file())
        .map(|path| {
            let manifest: toml::Table = toml::from_str(&fs::read_to_string(path).unwrap()).unwrap();
            manifest["chapter"].as_str().unwrap().to_string()
        })
        .collect();
    chapters.sort();
    chapters
}

/// The `src` of every `<img>` of a page.
fn images(dom: &str) -> Vec<String> {
    dom.match_indices("<img ")
        .filter_map(|(start, _)| {
            let tag = &dom[start..start + dom[start..].find('>')?];
            let value = tag.split("src=\"").nth(1)?;
            Some(value[..value.find('"')?].to_string())
        })
        .collect()
}

#[test]
fn the_book_builds_and_a_student_can_read_it_in_a_browser() {
    let _one = ONE_BOOK_AT_A_TIME
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    let run = xtask(&["book", "--check"]);
    assert_eq!(
        run.code, 0,
        "`cargo xtask book --check` failed:\n{}{}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.contains("book:"), "{}", run.stderr);
    let book = repo().join("target/book");

    let mut pages: Vec<PathBuf> = [
        "index.html",
        "introduction.html",
        "concepts/addresses-and-ports.html",
    ]
    .iter()
    .map(|page| book.join(page))
    .collect();
    pages.extend(
        lab_chapters()
            .iter()
            .map(|chapter| book.join(chapter.replace(".md", ".html"))),
    );
    let mut diagrams_seen = Vec::new();
    for page in &pages {
        let dom = rendered_in_chromium(page);
        let name = page.strip_prefix(&book).unwrap().display().to_string();
        // The table of contents is drawn by the book's script: a reader sees every lab.
        for chapter in lab_chapters() {
            let link = chapter.replace(".md", ".html");
            assert!(
                dom.contains(&format!("{link}\"")),
                "{name}: the sidebar as the browser shows it has no link to {link}"
            );
        }
        assert!(dom.contains("<h1"), "{name}: the page has no title heading");
        // Code is highlighted by highlight.js when the page's scripts ran.
        if dom.contains("class=\"language-") {
            assert!(
                dom.contains("hljs"),
                "{name}: its code blocks were not highlighted"
            );
        }
        for image in images(&dom) {
            let file = page.parent().unwrap().join(&image);
            let picture = rendered_in_chromium(&file);
            assert!(
                picture.contains("<svg") && !picture.contains("parsererror"),
                "{name}: the browser cannot draw {image}:\n{}",
                &picture[..picture.len().min(600)]
            );
            diagrams_seen.push(image);
        }
    }
    let introduction = rendered_in_chromium(&book.join("introduction.html"));
    for idea in [
        "127.0.0.1:62893",
        "127.0.0.0/8",
        "::1",
        "49152",
        "cargo xtask hint",
    ] {
        assert!(
            introduction.contains(idea),
            "the introduction never mentions {idea}"
        );
    }
    for diagram in [
        "lab03-topology.svg",
        "echo-event-loop.svg",
        "tls-handshake.svg",
    ] {
        assert!(
            diagrams_seen.iter().any(|seen| seen.ends_with(diagram)),
            "no chapter shows the diagram {diagram}; shown: {diagrams_seen:?}"
        );
    }
}

#[test]
fn a_broken_book_is_reported_problem_by_problem() {
    let _one = ONE_BOOK_AT_A_TIME
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    // Only labs 01 and 02 in the copy: the chapters of labs 03 to 10 now have no lab.
    let copy = CourseCopy::with_labs(&["01-ports", "02-binding"]);
    let chapter = copy.path().join("book/src/01-ports.md");
    let mut text = fs::read_to_string(&chapter).unwrap();
    text.push_str(
        "\n\nSee [the rules](02-binding.md#no-such-heading) and [a page](no-such-page.md).\n\n\
         ![a lost picture](diagrams/no-such-picture.svg)\n\n\
         ```rust\nfn main() { let port: u16 = 70000; }\n```\n",
    );
    fs::write(&chapter, text).unwrap();
    let manifest = copy.path().join("labs/02-binding/lab.toml");
    let lab_toml = fs::read_to_string(&manifest)
        .unwrap()
        .replace("chapter = \"02-binding.md\"", "chapter = \"02-bind.md\"");
    fs::write(&manifest, lab_toml).unwrap();

    let run = copy.xtask(&["book", "--check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let problems: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("book: "))
        .collect();
    let expected = [
        "book: labs/02-binding/lab.toml names the chapter book/src/02-bind.md, which does not exist",
        "book: book/src/02-binding.md looks like a lab chapter, but no labs/*/lab.toml names it",
        "book: book/src/03-loopback.md looks like a lab chapter, but no labs/*/lab.toml names it",
        "book: book/src/10-performance.md looks like a lab chapter, but no labs/*/lab.toml names it",
        "book: 01-ports.html: the link \"02-binding.html#no-such-heading\" is broken: 02-binding.html has no heading or element with the id \"no-such-heading\"",
        "book: 01-ports.html: the link \"no-such-page.html\" is broken: no-such-page.html does not exist",
        "book: 01-ports.html: the link \"diagrams/no-such-picture.svg\" is broken: diagrams/no-such-picture.svg does not exist",
        "book: a Rust code block does not compile",
    ];
    for problem in expected {
        assert!(
            problems.iter().any(|line| line.starts_with(problem)),
            "expected a line starting {problem:?}; the problems were:\n{}",
            problems.join("\n")
        );
    }
    assert!(
        run.stderr.contains("01-ports.md"),
        "the compile error should name the chapter:\n{}",
        run.stderr
    );
}

/// `GET path` from 127.0.0.1:port, the whole response as text, or `None` if nothing answers.
fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

#[test]
fn the_book_is_served_on_loopback_and_reloads_itself() {
    let _one = ONE_BOOK_AT_A_TIME
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    // A port the operating system just handed out, so it is free.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["book", "--serve", "--port", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let page = loop {
        match http_get(port, "/introduction.html") {
            Some(response) if response.starts_with("HTTP/1.1 200") => break Some(response),
            _ if Instant::now() > deadline => break None,
            _ => std::thread::sleep(Duration::from_millis(250)),
        }
    };
    // Stop the whole group: the grader and the mdbook it started.
    unsafe { libc::kill(-(server.id() as i32), libc::SIGINT) };
    let stopped_by = Instant::now() + Duration::from_secs(10);
    while server.try_wait().unwrap().is_none() {
        if Instant::now() > stopped_by {
            unsafe { libc::kill(-(server.id() as i32), libc::SIGKILL) };
            panic!("`cargo xtask book --serve` did not stop within 10 s of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut said = String::new();
    server
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut said)
        .unwrap();
    assert!(
        said.contains(&format!("Serving the book on http://127.0.0.1:{port}/")),
        "{said}"
    );
    let page = page.expect("the book was not served on 127.0.0.1 within 120 s");
    assert!(
        page.contains("127.0.0.1:62893"),
        "{}",
        &page[..page.len().min(800)]
    );
    assert!(
        page.contains("__livereload"),
        "the served page has no live-reload script"
    );
}

/// Marks what a page cuts off at a window `width` pixels wide: every element of the chapter
/// whose right edge passes the content area's, unless it or one of its ancestors scrolls
/// sideways (`overflow-x: auto | scroll` with more to show), as mdBook's code blocks and
/// tables do. The script runs once the page is laid out and writes its findings into the DOM,
/// where `--dump-dom` shows them.
const CUT_OFF_SCRIPT: &str = r##"<script>
(() => {
  const main = document.querySelector("#content main") || document.querySelector("main");
  const limit = main.getBoundingClientRect().right + 1;
  const scrollable = (element) => {
    for (let e = element; e && e !== main.parentElement; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && e.scrollWidth > e.clientWidth) {
        return true;
      }
    }
    return false;
  };
  const cut = [];
  for (const element of main.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > limit && !scrollable(element)) {
      const text = (element.textContent || "").trim().replace(/\s+/g, " ").slice(0, 70);
      cut.push(`<${element.tagName.toLowerCase()}> ${Math.round(box.right - limit)} px past: ${text}`);
    }
  }
  const report = document.createElement("pre");
  report.id = "cut-off-report";
  report.textContent = JSON.stringify(cut);
  document.body.appendChild(report);
})();
</script>"##;

/// What a page cuts off in a window `width` pixels wide, read in headless Chromium.
fn cut_off_at(page: &std::path::Path, width: u32) -> Vec<String> {
    let html = fs::read_to_string(page).unwrap();
    let probe = page.with_file_name(format!(
        "{}.width-{width}.html",
        page.file_stem().unwrap().to_string_lossy()
    ));
    fs::write(
        &probe,
        html.replacen("</body>", &format!("{CUT_OFF_SCRIPT}</body>"), 1),
    )
    .unwrap();
    let dom = support::rendered_in_chromium_at(&probe, width);
    let _ = fs::remove_file(&probe);
    let report = dom
        .split("<pre id=\"cut-off-report\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("the check ran in {}", page.display()));
    let json = report
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|error| panic!("{error}: {json}"))
}

#[test]
fn no_page_cuts_a_table_or_an_output_block_at_1280_or_800_pixels() {
    let _one = ONE_BOOK_AT_A_TIME
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    let run = xtask(&["book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let book = repo().join("target/book");
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(&book)
        .into_iter()
        .flatten()
        .map(|entry| entry.into_path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "html")
                && !path.starts_with(book.join("fonts"))
                && !["print.html", "404.html", "toc.html"]
                    .contains(&path.file_name().unwrap().to_str().unwrap())
        })
        .collect();
    pages.sort();
    assert!(pages.len() >= 11, "{pages:?}");
    let mut cut = Vec::new();
    for page in &pages {
        for width in [1280, 800] {
            for element in cut_off_at(page, width) {
                cut.push(format!(
                    "{} at {width} px: {element}",
                    page.strip_prefix(&book).unwrap().display()
                ));
            }
        }
    }
    assert!(
        cut.is_empty(),
        "cut off, with no way to scroll to the rest:\n{}",
        cut.join("\n")
    );

    // The check sees a cut when there is one: a chapter with a line too wide for its page and
    // nothing to scroll it, and the same line in a block that scrolls.
    let chapter = fs::read_to_string(book.join("01-ports.html")).unwrap();
    let too_wide = book.join("too-wide-check.html");
    fs::write(
        &too_wide,
        chapter.replacen(
            "<main>",
            "<main><div style=\"width: 2000px\">a line too wide</div>\
             <div style=\"overflow-x: auto\"><div style=\"width: 2000px\">a wide line that scrolls</div></div>",
            1,
        ),
    )
    .unwrap();
    let found = cut_off_at(&too_wide, 800);
    let _ = fs::remove_file(&too_wide);
    assert!(
        found.iter().any(|cut| cut.contains("a line too wide"))
            && !found
                .iter()
                .any(|cut| cut.contains("a wide line that scrolls")),
        "{found:?}"
    );
}
