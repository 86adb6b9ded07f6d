//! The two-host test network: two Linux network namespaces joined by a virtual cable.
//!
//! Each host is a network namespace of the course harness (`harness::netns`, where what a
//! namespace is and how code runs on one is explained). This module builds
//!
//! ```text
//!   server host                                    client host
//!   lo: 127.0.0.1, ::1                             lo: 127.0.0.1, ::1
//!   to-client: 198.51.100.1/24  <== veth ==>  to-server: 198.51.100.2/24
//!              2001:db8::1/64                            2001:db8::2/64
//! ```
//!
//! with the `ip` command (iproute2), the same commands you can type yourself:
//!
//! ```text
//! ip netns add SERVER
//! ip netns add CLIENT
//! ip -n SERVER link add to-client type veth peer name to-server netns CLIENT
//! ip -n SERVER addr add 198.51.100.1/24 dev to-client
//! ip -n SERVER addr add 2001:db8::1/64 dev to-client nodad
//! …
//! ip -n SERVER link set lo up
//! ip -n SERVER link set to-client up
//! ```
//!
//! The addresses are documentation ranges (RFC 5737, RFC 3849) that exist only inside these
//! namespaces; no packet ever leaves them. Everything is deleted when the network is dropped.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, TcpListener, TcpStream};
use std::time::Duration;

use harness::netns::{CableEnd, Namespace};
use lab03_loopback::matrix::TwoHosts;
use lab03_loopback::reachability::{Host, HostAddresses};

/// The server host's external addresses.
pub const SERVER_HOST: HostAddresses = HostAddresses {
    ipv4: Ipv4Addr::new(198, 51, 100, 1),
    ipv6: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
};

/// The client host's external addresses.
pub const CLIENT_HOST: HostAddresses = HostAddresses {
    ipv4: Ipv4Addr::new(198, 51, 100, 2),
    ipv6: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2),
};

/// The prefix lengths of the cable's network: 198.51.100.0/24 and 2001:db8::/64.
const IPV4_PREFIX: u8 = 24;
const IPV6_PREFIX: u8 = 64;

/// What to do when the network cannot be built here, for the `not run:` message.
const HOW_TO_RUN: &str = "these tests build a second machine out of Linux network namespaces, \
    which needs Linux, root (or the CAP_NET_ADMIN and CAP_SYS_ADMIN capabilities) and the `ip` \
    command from iproute2: install iproute2 and grade as root (`sudo -E env PATH=\"$PATH\" cargo xtask grade 03`, \
    or in a container started with --privileged)";

/// The two hosts, ready for code to run on them.
pub struct TestNetwork {
    server: Namespace,
    client: Namespace,
}

impl TestNetwork {
    /// Builds the network, or panics with `not run: …` when this machine cannot (not
    /// Linux, not root, no `ip`), so the test is reported as not run instead of failed.
    pub fn build_or_skip() -> TestNetwork {
        match build() {
            Ok(network) => {
                network.check_it_carries_traffic();
                network
            }
            Err(reason) => panic!("not run: {reason}; {HOW_TO_RUN}"),
        }
    }

    /// Connects from the client host to the server host over IPv4 and IPv6 with the
    /// standard library alone, so that a broken network is never blamed on the lab's code.
    fn check_it_carries_traffic(&self) {
        for server_ip in [IpAddr::V4(SERVER_HOST.ipv4), IpAddr::V6(SERVER_HOST.ipv6)] {
            let listener = self
                .run_on(Host::Server, || TcpListener::bind((server_ip, 0)))
                .unwrap_or_else(|error| {
                    panic!("not run: the test network was built, but the server host cannot listen on {server_ip} ({error}); {HOW_TO_RUN}")
                });
            let target = listener
                .local_addr()
                .expect("a bound listener has an address");
            let connected = self.run_on(Host::Client, || {
                TcpStream::connect_timeout(&target, Duration::from_secs(2))
            });
            if let Err(error) = connected {
                panic!(
                    "not run: the test network was built, but the client host cannot connect to {target} \
                     ({error}): this machine does not pass traffic between network namespaces; {HOW_TO_RUN}"
                );
            }
        }
    }
}

impl TwoHosts for TestNetwork {
    fn server_addresses(&self) -> HostAddresses {
        SERVER_HOST
    }

    fn run_on<T: Send>(&self, host: Host, work: impl FnOnce() -> T + Send) -> T {
        let namespace = match host {
            Host::Server => &self.server,
            Host::Client => &self.client,
        };
        namespace.run(work)
    }
}

/// Builds the two hosts and the cable between them.
fn build() -> Result<TestNetwork, String> {
    let server = Namespace::create("lab03", "server")?;
    let client = Namespace::create("lab03", "client")?;
    let (server_addresses, client_addresses) =
        (with_prefixes(SERVER_HOST), with_prefixes(CLIENT_HOST));
    let [server_v4, server_v6] = server_addresses.each_ref().map(String::as_str);
    let [client_v4, client_v6] = client_addresses.each_ref().map(String::as_str);
    server.cable_to(
        CableEnd::new("to-client", &[server_v4, server_v6]),
        &client,
        CableEnd::new("to-server", &[client_v4, client_v6]),
    )?;
    Ok(TestNetwork { server, client })
}

/// The host's two addresses with their prefix lengths, as `ip addr add` takes them.
fn with_prefixes(addresses: HostAddresses) -> [String; 2] {
    [
        format!("{}/{IPV4_PREFIX}", addresses.ipv4),
        format!("{}/{IPV6_PREFIX}", addresses.ipv6),
    ]
}
