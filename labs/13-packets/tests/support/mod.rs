//! The test harness shared by the graded tests: two machines of the test's own on a cable, an
//! independent decoder (etherparse) to check the lab's decoding against, and the redaction
//! that keeps snapshots the same from run to run.
//!
//! ```text
//!   client                                               server
//!   198.51.100.7, 2001:db8::7                            198.51.100.10, 2001:db8::10
//!   02:00:00:00:00:07                                    02:00:00:00:00:10
//!        to-server ──────────────── veth cable ──────────────── to-client
//!                                                        (the lab's capture listens here)
//! ```
//!
//! The addresses are documentation blocks (RFC 5737, RFC 3849) that exist only inside these
//! namespaces, and the link-layer addresses are fixed, with permanent neighbour entries on both
//! sides: no ARP and no neighbour discovery runs, so a capture holds only the test's traffic
//! (and the odd IPv6 multicast report, which the tests leave out of their snapshots).

// Each test file uses only some of the harness.
#![allow(dead_code)]

pub mod cable;
pub mod crafted;
pub mod oracle;
pub mod traffic;

/// What it takes, for the `not run:` message.
pub const HOW_TO_RUN: &str = "this test builds its own network namespaces and captures on \
    them with a packet socket, which needs Linux, root (or CAP_NET_ADMIN, CAP_NET_RAW and \
    CAP_SYS_ADMIN), `ip` from iproute2 and `nft` from nftables: install them (`cargo xtask \
    doctor --install`) and grade as root (`sudo -E env PATH=\"$PATH\" cargo xtask grade 13`)";

/// `line` with what changes from run to run written as names: each port of `ports` as its name,
/// the sequence numbers as `S` (a data segment's range as `S:S+5`, so its size stays), the
/// acknowledgment numbers as `A` and the windows as `W`.
pub fn redact(line: &str, ports: &[(u16, &str)]) -> String {
    let parts: Vec<String> = line
        .split(", ")
        .map(|part| {
            if let Some(numbers) = part.strip_prefix("seq ") {
                match numbers.split_once(':') {
                    Some((first, end)) => {
                        let first: u32 = first.parse().unwrap_or(0);
                        let end: u32 = end.parse().unwrap_or(0);
                        format!("seq S:S+{}", end.wrapping_sub(first))
                    }
                    None => "seq S".to_string(),
                }
            } else if part.starts_with("ack ") {
                "ack A".to_string()
            } else if part.starts_with("win ") {
                "win W".to_string()
            } else {
                part.to_string()
            }
        })
        .collect();
    name_ports(&parts.join(", "), ports)
}

/// `text` with each `(number, name)` written as the name where the number is a port: after the
/// address, as in `198.51.100.7.41234` or `2001:db8::7.41234`, or after `port `.
pub fn name_ports(text: &str, ports: &[(u16, &str)]) -> String {
    let mut named = text.to_string();
    for (port, name) in ports {
        for (before, after) in [('.', ':'), ('.', ' '), ('.', ','), ('.', '\n')] {
            named = named.replace(
                &format!("{before}{port}{after}"),
                &format!("{before}{name}{after}"),
            );
        }
        named = named.replace(&format!("port {port}"), &format!("port {name}"));
        if named.ends_with(&format!(".{port}")) {
            let cut = named.len() - port.to_string().len();
            named = format!("{}{name}", &named[..cut]);
        }
    }
    named
}
