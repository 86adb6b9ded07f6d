//! The two-host test network: two Linux network namespaces joined by a virtual cable.
//!
//! A network namespace is a complete, separate network stack: its own interfaces, its own
//! `lo` (with its own 127.0.0.1 and ::1), its own routes and its own ports. For the kernel,
//! two namespaces are two machines. This module builds
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
//! Code runs on a host from a thread that entered the host's namespace with `setns(2)`;
//! network namespaces are per thread, so the rest of the test process stays where it was.
//! The addresses are documentation ranges (RFC 5737, RFC 3849) that exist only inside these
//! namespaces; no packet ever leaves them. Everything is deleted when the network is dropped.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, TcpListener, TcpStream};
use std::time::Duration;

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
        match imp::build() {
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

use imp::Namespace;

#[cfg(target_os = "linux")]
mod imp {
    use std::fs::File;
    use std::io;
    use std::os::fd::AsRawFd;
    use std::path::PathBuf;
    use std::process::Command;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

    use super::{CLIENT_HOST, IPV4_PREFIX, IPV6_PREFIX, SERVER_HOST, TestNetwork};
    use lab03_loopback::reachability::HostAddresses;

    /// Tells apart the networks of one test process (`cargo test` runs tests as threads).
    static NETWORKS: AtomicUsize = AtomicUsize::new(0);

    /// A named network namespace: a file under /var/run/netns, deleted on drop.
    pub struct Namespace {
        name: String,
        file: File,
    }

    impl Namespace {
        /// Creates the namespace `name`, after deleting a stale one of that name (left by a
        /// test process that was killed and whose process id is now ours).
        fn add(name: &str) -> Result<Namespace, String> {
            let _ = ip(&["netns", "del", name]);
            ip(&["netns", "add", name])?;
            let path = namespace_path(name);
            match File::open(&path) {
                Ok(file) => Ok(Namespace {
                    name: name.to_string(),
                    file,
                }),
                Err(error) => {
                    let _ = ip(&["netns", "del", name]);
                    Err(format!(
                        "`ip netns add {name}` worked, but {} cannot be opened ({error})",
                        path.display()
                    ))
                }
            }
        }

        /// Runs `work` on a new thread inside this namespace.
        pub fn run<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
            thread::scope(|scope| {
                let thread = scope.spawn(|| {
                    if let Err(error) = self.enter() {
                        panic!(
                            "the test could not enter the network namespace {} ({error}); this is not your code's fault",
                            self.name
                        );
                    }
                    work()
                });
                match thread.join() {
                    Ok(value) => value,
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            })
        }

        /// Moves the calling thread into this namespace.
        fn enter(&self) -> io::Result<()> {
            // SAFETY: setns(2) with a valid descriptor of a network namespace; it only changes
            // the calling thread's network namespace.
            let result = unsafe { libc::setns(self.file.as_raw_fd(), libc::CLONE_NEWNET) };
            if result == 0 {
                Ok(())
            } else {
                Err(io::Error::last_os_error())
            }
        }

        /// `ip -n NAME ARGS…`
        fn ip(&self, args: &[&str]) -> Result<(), String> {
            let mut full = vec!["-n", &self.name];
            full.extend_from_slice(args);
            ip(&full)
        }
    }

    impl Drop for Namespace {
        fn drop(&mut self) {
            // Deleting a namespace also deletes its end of the veth cable, and so the cable.
            let _ = ip(&["netns", "del", &self.name]);
        }
    }

    /// Where `ip netns add` puts a namespace (/var/run is /run on current systems).
    fn namespace_path(name: &str) -> PathBuf {
        let var_run = PathBuf::from("/var/run/netns").join(name);
        if var_run.exists() {
            var_run
        } else {
            PathBuf::from("/run/netns").join(name)
        }
    }

    /// Runs `ip ARGS…` and says what went wrong, in words a student can act on.
    fn ip(args: &[&str]) -> Result<(), String> {
        let output = match Command::new("ip").args(args).output() {
            Ok(output) => output,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err("the `ip` command is not installed (it comes with iproute2)".into());
            }
            Err(error) => return Err(format!("the `ip` command could not be started ({error})")),
        };
        if output.status.success() {
            return Ok(());
        }
        let said = String::from_utf8_lossy(&output.stderr).trim().to_string();
        let denied = said.contains("Operation not permitted") || said.contains("Permission denied");
        Err(if denied {
            format!(
                "this user may not create network namespaces (`ip {}` said: {said})",
                args.join(" ")
            )
        } else {
            format!("`ip {}` failed: {said}", args.join(" "))
        })
    }

    pub fn build() -> Result<TestNetwork, String> {
        remove_networks_of_dead_test_processes();
        let id = format!(
            "lab03-{}-{}",
            std::process::id(),
            NETWORKS.fetch_add(1, Ordering::SeqCst)
        );
        let server = Namespace::add(&format!("{id}-server"))?;
        let client = Namespace::add(&format!("{id}-client"))?;
        // The cable is created inside the server host with its other end straight in the
        // client host: no interface ever appears in the namespace the tests run in.
        server.ip(&[
            "link",
            "add",
            "to-client",
            "type",
            "veth",
            "peer",
            "name",
            "to-server",
            "netns",
            &client.name,
        ])?;
        configure(&server, "to-client", SERVER_HOST)?;
        configure(&client, "to-server", CLIENT_HOST)?;
        Ok(TestNetwork { server, client })
    }

    /// A test process killed on timeout never runs its Drop guards: its namespaces stay behind.
    /// Their names carry the process id, so remove those whose process is gone.
    fn remove_networks_of_dead_test_processes() {
        let folder = namespace_path("x")
            .parent()
            .map(PathBuf::from)
            .unwrap_or_default();
        let Ok(entries) = std::fs::read_dir(folder) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let owner = name
                .strip_prefix("lab03-")
                .and_then(|rest| rest.split('-').next());
            let owner_is_gone = owner.is_some_and(|pid| {
                pid.parse::<u32>().is_ok() && !PathBuf::from("/proc").join(pid).exists()
            });
            if owner_is_gone {
                let _ = ip(&["netns", "del", &name]);
            }
        }
    }

    /// Gives `interface` the host's addresses and brings it and `lo` up.
    fn configure(
        host: &Namespace,
        interface: &str,
        addresses: HostAddresses,
    ) -> Result<(), String> {
        let ipv4 = format!("{}/{IPV4_PREFIX}", addresses.ipv4);
        let ipv6 = format!("{}/{IPV6_PREFIX}", addresses.ipv6);
        host.ip(&["addr", "add", &ipv4, "dev", interface])?;
        // nodad: usable at once, without waiting for duplicate address detection.
        host.ip(&["addr", "add", &ipv6, "dev", interface, "nodad"])?;
        host.ip(&["link", "set", "lo", "up"])?;
        host.ip(&["link", "set", interface, "up"])
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::TestNetwork;

    /// Network namespaces exist only on Linux.
    pub struct Namespace;

    impl Namespace {
        pub fn run<T: Send>(&self, _work: impl FnOnce() -> T + Send) -> T {
            unreachable!("no test network is ever built off Linux")
        }
    }

    pub fn build() -> Result<TestNetwork, String> {
        Err("network namespaces exist only on Linux".into())
    }
}
