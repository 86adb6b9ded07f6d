//! The test harness shared by the graded tests: a site folder with a secret next to it,
//! the server started on a free port of 127.0.0.1, a raw HTTP client that reads every
//! byte of a response itself, and the lab's program driven by real clients (`curl`
//! and a headless Chromium).

// Each test file uses only some of the harness.
#![allow(dead_code)]

pub mod cases;
pub mod program;
pub mod raw;
pub mod server;
pub mod site;
pub mod tools;

use std::time::Duration;

/// How long a test waits for something that should happen (a response, the end of a
/// connection) before it gives up and explains what is missing.
pub const WAIT: Duration = Duration::from_secs(5);

/// How long a test watches for something that should *not* happen (a connection
/// closed too early).
pub const QUIET: Duration = Duration::from_millis(300);

/// Bytes as a short, readable string: `"GET / HTTP/1.1\r\nHost: …"`, cut in the
/// middle when long.
pub fn show(bytes: &[u8]) -> String {
    const KEEP: usize = 48;
    if bytes.len() <= 2 * KEEP + 20 {
        return escape(bytes);
    }
    format!(
        "{}…({} bytes)…{}",
        escape(&bytes[..KEEP]).trim_end_matches('"'),
        bytes.len(),
        escape(&bytes[bytes.len() - KEEP..]).trim_start_matches('"')
    )
}

/// Bytes as a quoted string with `\r`, `\n`, `\t`, `\0` and `\xNN` escapes.
pub fn escape(bytes: &[u8]) -> String {
    let mut text = String::from("\"");
    for &byte in bytes {
        match byte {
            b'\r' => text += "\\r",
            b'\n' => text += "\\n",
            b'\t' => text += "\\t",
            b'"' => text += "\\\"",
            b'\\' => text += "\\\\",
            0x20..=0x7e => text.push(byte as char),
            _ => text += &format!("\\x{byte:02x}"),
        }
    }
    text.push('"');
    text
}
