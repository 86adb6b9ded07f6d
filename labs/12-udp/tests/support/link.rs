//! A bad link of the test's own: two machines (network namespaces) on a veth cable, and
//! impairments in each direction at fixed patterns, so that every run meets the same trouble.
//!
//! ```text
//! ip netns add CLIENT; ip netns add SERVER
//! ip -n CLIENT link add to-server type veth peer name to-client netns SERVER
//! ip -n CLIENT addr add 198.51.100.1/24 dev to-server     (and 2001:db8::1/64)
//! ip -n SERVER addr add 198.51.100.2/24 dev to-client     (and 2001:db8::2/64)
//! ```
//!
//! On a usual Linux one would make the link bad with netem (`tc qdisc add dev to-server root
//! netem loss 30% delay 100ms reorder 25% duplicate 5%`, man tc-netem). Its choices are
//! random, and some kernels (this course's test machines among them) have no netem. So each
//! direction is impaired with nftables and htb instead, by counting the
//! datagrams (`numgen inc`: 0, 1, 2, … for every datagram the rule sees):
//!
//! - loss: `udp dport P numgen inc mod 3 == 0 drop` in a `prerouting` chain of the receiver
//!   drops the 1st, 4th, 7th, … datagram that arrives;
//! - duplication: `udp dport P numgen inc mod 4 == 1 dup to "to-server"` in a `netdev` table's
//!   `egress` chain sends the 2nd, 6th, … datagram twice;
//! - delay, and so reordering: an htb qdisc with a slow class (8 kbit/s) and a fast one, and
//!   `udp dport P numgen inc mod 2 == 0 meta priority set 1:10` in a `postrouting` chain puts
//!   every second datagram in the slow class: it arrives about 100 ms late, after the ones
//!   sent after it.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::process::{Command, Stdio};
use std::time::Duration;

use harness::netns::{CableEnd, Namespace};

use super::HOW_TO_RUN;

pub const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1));
pub const SERVER: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 2));
pub const CLIENT6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));
pub const SERVER6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2));
/// The client's end of the cable, and the server's.
pub const CLIENT_SIDE: &str = "to-server";
pub const SERVER_SIDE: &str = "to-client";

/// What happens to the datagrams of one direction: each impairment picks datagrams by
/// counting them, independently of the others.
#[derive(Debug, Clone, Copy, Default)]
pub struct Impairments {
    /// Drop every n-th datagram (the 1st, the (n+1)-th, …).
    pub lose_every: Option<u32>,
    /// Send every n-th datagram twice (the 2nd, the (n+2)-th, …).
    pub duplicate_every: Option<u32>,
    /// Delay every n-th datagram (the 1st, the (n+1)-th, …) by about 100 ms each.
    pub delay_every: Option<u32>,
}

impl Impairments {
    /// A perfect direction.
    pub fn none() -> Impairments {
        Impairments::default()
    }

    pub fn lose_every(self, n: u32) -> Impairments {
        Impairments {
            lose_every: Some(n),
            ..self
        }
    }

    pub fn duplicate_every(self, n: u32) -> Impairments {
        Impairments {
            duplicate_every: Some(n),
            ..self
        }
    }

    pub fn delay_every(self, n: u32) -> Impairments {
        Impairments {
            delay_every: Some(n),
            ..self
        }
    }

    /// `every 3rd lost, every 4th twice`, or `perfect`, for the reports.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.lose_every {
            parts.push(format!("every {} lost", nth(n)));
        }
        if let Some(n) = self.duplicate_every {
            parts.push(format!("every {} twice", nth(n)));
        }
        if let Some(n) = self.delay_every {
            parts.push(format!("every {} late", nth(n)));
        }
        if parts.is_empty() {
            "perfect".into()
        } else {
            parts.join(", ")
        }
    }
}

fn nth(n: u32) -> String {
    match n {
        1 => "one".into(),
        2 => "2nd".into(),
        3 => "3rd".into(),
        n => format!("{n}th"),
    }
}

/// The two machines and their cable.
pub struct Link {
    pub client: Namespace,
    pub server: Namespace,
}

impl Link {
    /// Builds the two machines and their cable, and checks that it carries datagrams both
    /// ways before anything impairs it; or `not run: …`.
    pub fn build() -> Link {
        let client = create("client");
        let server = create("server");
        let cabled = client.cable_to(
            CableEnd::new(CLIENT_SIDE, &["198.51.100.1/24", "2001:db8::1/64"]),
            &server,
            CableEnd::new(SERVER_SIDE, &["198.51.100.2/24", "2001:db8::2/64"]),
        );
        if let Err(reason) = cabled {
            panic!("not run: {reason}; {HOW_TO_RUN}");
        }
        let link = Link { client, server };
        link.check_it_carries_datagrams();
        link
    }

    /// Sets the MTU of both ends of the cable.
    pub fn set_mtu(&self, mtu: u32) {
        let mtu = mtu.to_string();
        must(&self.client, &["link", "set", CLIENT_SIDE, "mtu", &mtu]);
        must(&self.server, &["link", "set", SERVER_SIDE, "mtu", &mtu]);
    }

    /// The server's address of the family of `ip`.
    pub fn server_ip(ipv6: bool) -> IpAddr {
        if ipv6 { SERVER6 } else { SERVER }
    }

    /// Makes the link bad for the datagrams of the service on the server's `port`: the
    /// client's requests meet `requests`, the server's answers `answers`.
    pub fn impair(&self, port: u16, requests: Impairments, answers: Impairments) {
        let (to_server, to_client) = (format!("udp dport {port}"), format!("udp sport {port}"));
        impair(
            &self.client,
            CLIENT_SIDE,
            &self.server,
            &to_server,
            requests,
        );
        impair(&self.server, SERVER_SIDE, &self.client, &to_client, answers);
    }

    /// A datagram from the client reaches the server, over IPv4 and IPv6. A cable that was
    /// just plugged in may take a moment (the link comes up, IPv6 finds its neighbour): try a
    /// few times, for at most about five seconds.
    fn check_it_carries_datagrams(&self) {
        for server_ip in [SERVER, SERVER6] {
            let receiver = self
                .server
                .run(|| UdpSocket::bind(SocketAddr::new(server_ip, 0)))
                .unwrap_or_else(|error| {
                    panic!("not run: the server cannot bind {server_ip} ({error}); {HOW_TO_RUN}")
                });
            receiver
                .set_read_timeout(Some(Duration::from_millis(250)))
                .expect("a socket takes a read timeout");
            let target = receiver
                .local_addr()
                .expect("a bound socket has an address");
            let sender = self
                .client
                .run(|| {
                    UdpSocket::bind(SocketAddr::new(
                        if server_ip.is_ipv4() { CLIENT } else { CLIENT6 },
                        0,
                    ))
                })
                .unwrap_or_else(|error| {
                    panic!("not run: the client cannot bind ({error}); {HOW_TO_RUN}")
                });
            let arrived = (0..20).any(|_| {
                let _ = sender.send_to(b"ping", target);
                receiver.recv_from(&mut [0; 16]).is_ok()
            });
            if !arrived {
                panic!(
                    "not run: the test network was built, but no datagram from the client \
                     reaches {target} before anything impairs it; {HOW_TO_RUN}"
                );
            }
        }
    }
}

/// The impairments of one direction: loss on the receiver's side (a datagram the sender's
/// own firewall drops makes its `send` fail with EPERM, which no real loss does), duplication
/// and delay on the sender's side, as the datagram leaves.
fn impair(
    sender: &Namespace,
    device: &str,
    receiver: &Namespace,
    matches: &str,
    impairments: Impairments,
) {
    if let Some(n) = impairments.lose_every {
        load(
            receiver,
            &format!(
                "table inet lossy {{\n    chain lose {{\n        type filter hook prerouting priority 0;\n        {matches} numgen inc mod {n} == 0 drop\n    }}\n}}\n"
            ),
        );
    }
    if let Some(n) = impairments.delay_every {
        slow_lane(sender, device);
        load(
            sender,
            &format!(
                "table inet slow {{\n    chain delay {{\n        type filter hook postrouting priority 0;\n        {matches} numgen inc mod {n} == 0 meta priority set 1:10\n    }}\n}}\n"
            ),
        );
    }
    if let Some(n) = impairments.duplicate_every {
        load(
            sender,
            &format!(
                "table netdev twice {{\n    chain copy {{\n        type filter hook egress device \"{device}\" priority 0;\n        {matches} numgen inc mod {n} == 1 dup to \"{device}\"\n    }}\n}}\n"
            ),
        );
    }
}

/// Loads a ruleset of the test's own into `namespace` with `nft -f -`.
fn load(namespace: &Namespace, ruleset: &str) {
    run_with_input(namespace.command("nft"), &["-f", "-"], ruleset);
}

/// An htb qdisc on `device` with a slow class 1:10 (8 kbit/s) and a fast default 1:20.
fn slow_lane(namespace: &Namespace, device: &str) {
    let tc = |args: &str| {
        let args: Vec<&str> = args.split_whitespace().collect();
        run_with_input(namespace.command("tc"), &args, "");
    };
    tc(&format!(
        "qdisc add dev {device} root handle 1: htb default 20"
    ));
    tc(&format!(
        "class add dev {device} parent 1: classid 1:10 htb rate 8kbit ceil 8kbit burst 100b cburst 100b"
    ));
    tc(&format!(
        "class add dev {device} parent 1: classid 1:20 htb rate 100mbit"
    ));
}

/// Runs a command of the test's own (`nft`, `tc`) with `input` on its standard input: a
/// failure is not the student's fault.
fn run_with_input(mut command: Command, args: &[&str], input: &str) {
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let program = format!("{:?}", command.get_program());
    let mut child = command.spawn().unwrap_or_else(|error| {
        panic!("not run: {program} could not be started ({error}); {HOW_TO_RUN}")
    });
    let mut stdin = child.stdin.take().expect("the standard input is piped");
    stdin
        .write_all(input.as_bytes())
        .expect("the test can write to the command's standard input");
    drop(stdin);
    let output = child
        .wait_with_output()
        .expect("the test can wait for its command");
    if !output.status.success() {
        panic!(
            "not run: `{program} {}` failed: {}; {HOW_TO_RUN}\n{input}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
}

/// A new namespace of this lab with only `lo`, up; or `not run: …`.
fn create(role: &str) -> Namespace {
    Namespace::create("lab12", role)
        .unwrap_or_else(|reason| panic!("not run: {reason}; {HOW_TO_RUN}"))
}

/// `ip -n NAME ARGS…`, which the test needs: a failure is not the student's fault.
fn must(namespace: &Namespace, args: &[&str]) {
    if let Err(reason) = namespace.ip(args) {
        panic!("not run: {reason}; {HOW_TO_RUN}");
    }
}
