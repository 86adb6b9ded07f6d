//! The lab's program, started as a real process, as a developer starts it.

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use harness::program::{Output, first_stdout_line, start};
use tokio::process::Child;

/// The program the grader built from your src/main.rs. The grader says where it is at
/// run time; under plain `cargo test`, cargo said where at build time.
pub fn program_path() -> PathBuf {
    harness::program_path!("lab07-web-server")
}

/// The program running, its output collected as it comes. Killed when dropped.
pub struct Program {
    child: Child,
    output: Output,
}

impl Program {
    /// Starts `lab07-web-server --listen 127.0.0.1:0 --root <root>`, standard input closed.
    pub fn serve(root: &Path) -> Program {
        let arguments = [OsStr::new("--listen"), OsStr::new("127.0.0.1:0")];
        let arguments = arguments
            .into_iter()
            .chain([OsStr::new("--root"), root.as_os_str()]);
        let (child, output) = start(&program_path(), arguments, "lab07-web-server");
        Program { child, output }
    }

    /// The last lines of the program's standard error, for a failure message.
    pub fn stderr_for_message(&self) -> String {
        self.output.stderr_ending()
    }

    /// Waits for the first line of standard output, `listening on http://ADDRESS/`, and
    /// returns the address; fails the test, explaining, if it does not come.
    pub async fn listening_address(&mut self) -> SocketAddr {
        let output = self.output.clone();
        let announce = "listening on http://ADDRESS/";
        let line = first_stdout_line(&mut self.child, &output, announce, || {
            output.stderr_ending()
        })
        .await;
        let address = line
            .strip_prefix("listening on http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|text| text.parse::<SocketAddr>().ok())
            .unwrap_or_else(|| {
                panic!(
                    "the program's first line should be `listening on http://127.0.0.1:PORT/`, \
                     but it is {line:?}"
                )
            });
        assert!(
            address.port() != 0,
            "the program printed {line:?}: port 0 is what was asked for (\"any free port\"), not \
             the port the operating system gave. Announce listener.local_addr()."
        );
        address
    }
}

/// Replaces the port of `address` in `text` by `[port]`.
pub fn redact_port(text: &str, address: SocketAddr) -> String {
    text.replace(&format!(":{}", address.port()), ":[port]")
}
