//! The test harness shared by the graded tests: two machines of the test's own on a cable,
//! a real `nft` on the server, listeners for its services, and a probe of the test's own.
//!
//! ```text
//!   client ("laptop")                                  server
//!   198.51.100.7     (in the admin block /25)          198.51.100.10
//!   198.51.100.200   (outside it)                      2001:db8::10
//!   2001:db8::7, 2001:db8::1c8
//!        to-server ────────────── veth cable ────────────── to-client
//! ```
//!
//! The addresses are documentation blocks (RFC 5737, RFC 3849) that exist only inside these
//! namespaces, so nothing the tests send can leave them. The services listen on ports the
//! kernel picks (port 0), and the reports name them `web`, `ssh` and `db`, never by number.

// Each test file uses only some of the harness.
#![allow(dead_code)]

pub mod lan;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::process::{Command, Stdio};
use std::time::Duration;

use lab11_firewall::decide::Chain;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};

/// How long a probe waits for an answer before it calls the port filtered. Answers on a
/// cable between two namespaces come back in well under a millisecond, with one exception:
/// an ICMPv6 refusal reaches the client only when it sends its SYN again, a second later.
pub const PATIENCE: Duration = Duration::from_millis(500);
pub const PATIENCE_IPV6: Duration = Duration::from_millis(1600);

/// The patience a probe of `target` needs (see [`PATIENCE`]).
pub fn patience_for(target: SocketAddr) -> Duration {
    if target.is_ipv6() {
        PATIENCE_IPV6
    } else {
        PATIENCE
    }
}

/// What it takes, for the `not run:` message.
pub const HOW_TO_RUN: &str = "this test builds its own network namespaces and loads firewall \
    rules into them, which needs Linux, root (or CAP_NET_ADMIN and CAP_SYS_ADMIN), `ip` from \
    iproute2 and `nft` from nftables: install both (`cargo xtask doctor --install`) and grade as \
    root (`sudo -E env PATH=\"$PATH\" cargo xtask grade 11`)";

/// The test's own knock on a port, independent of the lab's `probe`: `open`, `refused`,
/// `filtered`, `prohibited` or the error, so a ruleset test never depends on the student's probe.
pub fn knock(from: IpAddr, target: SocketAddr) -> String {
    let attempt = || -> std::io::Result<()> {
        let socket = Socket::new(
            Domain::for_address(target),
            Type::STREAM,
            Some(Protocol::TCP),
        )?;
        socket.bind(&SockAddr::from(SocketAddr::new(from, 0)))?;
        socket.connect_timeout(&SockAddr::from(target), patience_for(target))
    };
    match attempt() {
        Ok(()) => "open".into(),
        Err(error) => match error.kind() {
            std::io::ErrorKind::ConnectionRefused => "refused".into(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => "filtered".into(),
            std::io::ErrorKind::HostUnreachable | std::io::ErrorKind::PermissionDenied => {
                "prohibited".into()
            }
            _ => format!("error ({error})"),
        },
    }
}

/// Runs `nft ARGS…` through `command` (a `Command` already placed in a namespace), with
/// `input` on its standard input; `Err` carries what nft said.
pub fn run_nft(mut command: Command, args: &[&str], input: &str) -> Result<String, String> {
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            panic!(
                "not run: the `nft` command is not installed (it comes with nftables); {HOW_TO_RUN}"
            )
        }
        Err(error) => panic!("not run: `nft` could not be started ({error}); {HOW_TO_RUN}"),
    };
    let mut stdin = child.stdin.take().expect("nft's standard input is piped");
    stdin
        .write_all(input.as_bytes())
        .expect("the test can write to nft's standard input");
    drop(stdin);
    let output = child.wait_with_output().expect("the test can wait for nft");
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// A ruleset of the test's own, loaded by the real `nft` into a namespace with no network,
/// and what nft lists back: the JSON the lab reads, and the text with handles.
pub struct Loaded {
    pub json: String,
    pub listing: String,
}

impl Loaded {
    pub fn load(ruleset: &str) -> Loaded {
        let namespace = harness::netns::Namespace::create("lab11", "rules")
            .unwrap_or_else(|reason| panic!("not run: {reason}; {HOW_TO_RUN}"));
        if let Err(said) = run_nft(namespace.command("nft"), &["-f", "-"], ruleset) {
            panic!("not run: nft refused the test's own ruleset ({said}); {HOW_TO_RUN}\n{ruleset}");
        }
        let list = |args: &[&str]| {
            run_nft(namespace.command("nft"), args, "").unwrap_or_else(|said| {
                panic!(
                    "not run: `nft {}` failed ({said}); {HOW_TO_RUN}",
                    args.join(" ")
                )
            })
        };
        Loaded {
            json: list(&["-j", "list", "ruleset"]),
            listing: list(&["-a", "list", "ruleset"]),
        }
    }

    /// The rule with `handle` in `chain` as `nft -a list ruleset` prints it.
    pub fn rule_text(&self, chain: &Chain, handle: u64) -> String {
        rule_text(&self.listing, chain, handle)
    }
}

/// The text of the rule with `handle` in `chain` (handles count per table), in a listing of
/// `nft -a list ruleset`, without its `# handle` comment; or `(no rule N)`.
pub fn rule_text(listing: &str, chain: &Chain, handle: u64) -> String {
    let table_line = format!("table {} {} {{", chain.family, chain.table);
    let chain_line = format!("chain {} {{", chain.name);
    let marker = format!("# handle {handle}");
    let (mut in_table, mut in_chain) = (false, false);
    for line in listing.lines().map(str::trim) {
        if line.starts_with("table ") {
            in_table = line.starts_with(&table_line);
        } else if line.starts_with("chain ") {
            in_chain = in_table && line.starts_with(&chain_line);
        } else if in_chain && line.ends_with(&marker) {
            return line.trim_end_matches(&marker).trim().to_string();
        }
    }
    format!("(no rule {handle})")
}

/// `text` with each `(number, name)` written as the name: ports the kernel picked become
/// `web`, `ssh`, … so that reports compare from run to run.
pub fn name_ports(text: &str, ports: &[(u16, &str)]) -> String {
    let mut named = text.to_string();
    // The longest numbers first, so that 4000 is not replaced inside 40000.
    let mut ports = ports.to_vec();
    ports.sort_by_key(|(port, _)| std::cmp::Reverse(port.to_string().len()));
    for (port, name) in ports {
        named = replace_number(&named, &port.to_string(), name);
    }
    named
}

/// Replaces `number` where it stands alone (not inside a longer number).
fn replace_number(text: &str, number: &str, name: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(number) {
        let before = rest[..at].chars().last();
        let after = rest[at + number.len()..].chars().next();
        let alone = !before.is_some_and(|c| c.is_ascii_digit())
            && !after.is_some_and(|c| c.is_ascii_digit());
        out.push_str(&rest[..at]);
        out.push_str(if alone { name } else { number });
        rest = &rest[at + number.len()..];
    }
    out.push_str(rest);
    out
}
