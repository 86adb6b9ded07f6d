//! The test's own network namespaces: a machine with only `lo`, or two machines on a cable.
//!
//! A network namespace is a separate network stack (interfaces, addresses, routes, ports); for
//! the kernel it is another machine. The tests build them with the `ip` command (iproute2),
//! the same commands you can type:
//!
//! ```text
//! ip netns add NEAR                                   a machine with only lo (down)
//! ip -n NEAR link set lo up
//! ip netns add FAR
//! ip -n NEAR link add to-far type veth peer name to-near netns FAR      the cable
//! ip -n NEAR addr add 198.51.100.1/24 dev to-far
//! ip -n FAR addr add 198.51.100.2/24 dev to-near
//! ip -n NEAR link set to-far up; ip -n FAR link set to-near up
//! ```
//!
//! The namespaces are the course harness's (`harness::netns` explains how code runs "on"
//! one). Nothing the tests send can leave: the addresses are
//! documentation ranges (RFC 5737) that exist only inside these namespaces, and a namespace
//! with only `lo` has no way out at all. Everything is deleted when dropped.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::ops::Deref;
use std::time::Duration;

use harness::netns::CableEnd;

/// The near machine's address on the cable.
pub const NEAR: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 1);
/// The far machine's address on the cable.
pub const FAR: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 2);

/// What it takes, for the `not run:` message.
const HOW_TO_RUN: &str = "this test builds its own network namespaces, which needs Linux, root \
    (or the CAP_NET_ADMIN and CAP_SYS_ADMIN capabilities) and the `ip` command from iproute2: \
    install iproute2 and grade as root (`sudo -E env PATH=\"$PATH\" cargo xtask grade 08`)";

/// A network namespace of the course harness, which says what to do when this machine
/// cannot build one (the harness's `Namespace` does the work; see `harness::netns`).
pub struct Namespace(harness::netns::Namespace);

impl Namespace {
    /// A new namespace with only `lo`, up; or `not run: …` when this machine cannot make one.
    pub fn create_or_skip(role: &str) -> Namespace {
        match harness::netns::Namespace::create("lab08", role) {
            Ok(namespace) => Namespace(namespace),
            Err(reason) => panic!("not run: {reason}; {HOW_TO_RUN}"),
        }
    }

    /// `ip -n NAME ARGS…`, which the test needs: a failure is not the student's fault.
    pub fn must(&self, args: &[&str]) {
        if let Err(reason) = self.ip(args) {
            panic!("not run: {reason}; {HOW_TO_RUN}");
        }
    }
}

impl Deref for Namespace {
    type Target = harness::netns::Namespace;

    fn deref(&self) -> &harness::netns::Namespace {
        &self.0
    }
}

/// Two machines joined by a cable: near (198.51.100.1/24) and far (198.51.100.2/24).
pub struct Cable {
    pub near: Namespace,
    pub far: Namespace,
}

/// Builds the two machines, checks that the cable carries a connection, or `not run: …`.
pub fn cable_or_skip() -> Cable {
    let near = Namespace::create_or_skip("near");
    let far = Namespace::create_or_skip("far");
    let (near_address, far_address) = (format!("{NEAR}/24"), format!("{FAR}/24"));
    let cabled = near.cable_to(
        CableEnd::new("to-far", &[&near_address]),
        &far,
        CableEnd::new("to-near", &[&far_address]),
    );
    if let Err(reason) = cabled {
        panic!("not run: {reason}; {HOW_TO_RUN}");
    }
    let cable = Cable { near, far };
    cable.check_it_carries_traffic();
    cable
}

impl Cable {
    /// Connects across the cable with the standard library alone, so that a broken test
    /// network is never blamed on the lab's code.
    fn check_it_carries_traffic(&self) {
        let listener = self
            .far
            .run(|| TcpListener::bind((FAR, 0)))
            .unwrap_or_else(|error| {
                panic!("not run: the far machine cannot listen on {FAR} ({error}); {HOW_TO_RUN}")
            });
        let target = listener
            .local_addr()
            .expect("a bound listener has an address");
        if let Err(error) = self
            .near
            .run(|| TcpStream::connect_timeout(&target, Duration::from_secs(2)))
        {
            panic!(
                "not run: the test network was built, but the near machine cannot connect to \
                 {target} ({error}): this machine does not pass traffic between network \
                 namespaces; {HOW_TO_RUN}"
            );
        }
    }
}
