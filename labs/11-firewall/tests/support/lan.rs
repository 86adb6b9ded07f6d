//! Two machines of the test's own on one cable: a client with two addresses per family and a
//! server whose firewall the test loads with the real `nft`.
//!
//! ```text
//! ip netns add CLIENT; ip netns add SERVER
//! ip -n CLIENT link add to-server type veth peer name to-client netns SERVER
//! ip -n CLIENT addr add 198.51.100.7/24 dev to-server      (and .200, 2001:db8::7, ::1c8)
//! ip -n SERVER addr add 198.51.100.10/24 dev to-client     (and 2001:db8::10)
//! ip netns exec SERVER nft -f ruleset.nft
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};

use harness::netns::{CableEnd, Namespace};
use lab11_firewall::decide::Chain;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use super::{HOW_TO_RUN, knock, name_ports, rule_text, run_nft};

/// The client's address inside the admin block 198.51.100.0/25.
pub const ADMIN: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7));
/// The client's address outside the admin block.
pub const OTHER: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 200));
/// The client's IPv6 address inside 2001:db8::/120.
pub const ADMIN6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7));
/// The client's IPv6 address outside 2001:db8::/120.
pub const OTHER6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x1c8));
/// The server's addresses.
pub const SERVER: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 10));
pub const SERVER6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10));
/// The interface the client's packets arrive on at the server.
pub const SERVER_SIDE: &str = "to-client";

/// Every source the client can knock from, in the order the reports list them.
pub const SOURCES: [IpAddr; 4] = [ADMIN, OTHER, ADMIN6, OTHER6];

/// The two machines, and the server's three services.
pub struct Lan {
    pub client: Namespace,
    pub server: Namespace,
    pub web: Service,
    pub ssh: Service,
    pub db: Service,
}

/// A service of the server: a dual-stack listener on a port the kernel picked. It never
/// accepts: the kernel completes each handshake into its queue, which is all a probe needs.
pub struct Service {
    pub name: &'static str,
    pub port: u16,
    _listener: TcpListener,
}

impl Lan {
    /// Builds the two machines and starts the server's services, or `not run: …`.
    pub fn build() -> Lan {
        let client = create("client");
        let server = create("server");
        let client_addresses = [
            "198.51.100.7/24",
            "198.51.100.200/24",
            "2001:db8::7/64",
            "2001:db8::1c8/64",
        ];
        let cabled = client.cable_to(
            CableEnd::new("to-server", &client_addresses),
            &server,
            CableEnd::new(SERVER_SIDE, &["198.51.100.10/24", "2001:db8::10/64"]),
        );
        if let Err(reason) = cabled {
            panic!("not run: {reason}; {HOW_TO_RUN}");
        }
        let service = |name| Service::start(&server, name);
        let (web, ssh, db) = (service("web"), service("ssh"), service("db"));
        let lan = Lan {
            client,
            server,
            web,
            ssh,
            db,
        };
        lan.check_it_carries_traffic();
        lan
    }

    /// Every client-to-server connection works before any firewall is loaded: otherwise
    /// the machine, not the lab's code, is at fault.
    fn check_it_carries_traffic(&self) {
        for from in SOURCES {
            // A cable that was just plugged in takes a moment to carry packets (the link comes
            // up, IPv6 finds its neighbour): try a few times, for at most about five seconds.
            let mut found = self.knock(from, self.web.port);
            for _ in 0..10 {
                if found == "open" {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
                found = self.knock(from, self.web.port);
            }
            if found != "open" {
                panic!(
                    "not run: the test network was built, but {from} cannot connect to the \
                     server's web port before any firewall is loaded ({found}); {HOW_TO_RUN}"
                );
            }
        }
    }

    /// Empties both machines' neighbour caches (`ip neigh flush all`), so that the next IPv6
    /// packet must find its neighbour again through the firewall: the link-layer addresses
    /// learned while the network was being checked would otherwise hide a ruleset that drops
    /// neighbour discovery.
    pub fn forget_neighbours(&self) {
        must(&self.client, &["neigh", "flush", "all"]);
        must(&self.server, &["neigh", "flush", "all"]);
    }

    /// The ports and their names, for [`name_ports`].
    pub fn port_names(&self) -> Vec<(u16, &'static str)> {
        [&self.web, &self.ssh, &self.db]
            .iter()
            .map(|service| (service.port, service.name))
            .collect()
    }

    /// `text` with the services' port numbers written as their names.
    pub fn named(&self, text: &str) -> String {
        name_ports(text, &self.port_names())
    }

    /// Loads a ruleset (or one `nft` command, such as a fix) into the server with
    /// `nft -f -`; `Err` is what nft said.
    pub fn load(&self, ruleset: &str) -> Result<(), String> {
        run_nft(self.server.command("nft"), &["-f", "-"], ruleset).map(|_| ())
    }

    /// Loads one of the test's own rulesets: a failure is not the student's fault.
    pub fn load_test_rules(&self, ruleset: &str) {
        if let Err(said) = self.load(ruleset) {
            panic!("not run: nft refused the test's own ruleset ({said}); {HOW_TO_RUN}\n{ruleset}");
        }
    }

    /// The server's whole ruleset as JSON: `nft -j list ruleset`.
    pub fn ruleset_json(&self) -> String {
        run_nft(self.server.command("nft"), &["-j", "list", "ruleset"], "").unwrap_or_else(|said| {
            panic!("not run: `nft -j list ruleset` failed ({said}); {HOW_TO_RUN}")
        })
    }

    /// The text of the server's rule with `handle` in `chain`, as `nft -a list ruleset`
    /// prints it.
    pub fn rule_text(&self, chain: &Chain, handle: u64) -> String {
        let listing = run_nft(self.server.command("nft"), &["-a", "list", "ruleset"], "")
            .unwrap_or_else(|said| {
                panic!("not run: `nft -a list ruleset` failed ({said}); {HOW_TO_RUN}")
            });
        rule_text(&listing, chain, handle)
    }

    /// The test's own knock from the client, from `from`, on the server's `port` (the
    /// server's address of `from`'s family).
    pub fn knock(&self, from: IpAddr, port: u16) -> String {
        let target = SocketAddr::new(server_address_for(from), port);
        self.client.run(|| knock(from, target))
    }

    /// What each of `sources` finds on each service, one line per service:
    /// `web   198.51.100.7 open   198.51.100.200 refused`.
    pub fn matrix(&self, sources: &[IpAddr]) -> String {
        // Every knock at once, each on a thread of its own: a dropped SYN costs the whole
        // patience, and a table of them one after the other would take many seconds.
        let services = [&self.web, &self.ssh, &self.db];
        let cells: Vec<Vec<String>> = std::thread::scope(|scope| {
            let rows: Vec<Vec<_>> = services
                .iter()
                .map(|service| {
                    sources
                        .iter()
                        .map(|from| {
                            scope.spawn(move || {
                                format!("{from} {}", self.knock(*from, service.port))
                            })
                        })
                        .collect()
                })
                .collect();
            rows.into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|cell| cell.join().expect("a knock does not panic"))
                        .collect()
                })
                .collect()
        });
        services
            .iter()
            .zip(cells)
            .map(|(service, row)| format!("{:4}  {}", service.name, row.join("   ")))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The server's address of the same family as `from`.
pub fn server_address_for(from: IpAddr) -> IpAddr {
    if from.is_ipv4() { SERVER } else { SERVER6 }
}

impl Service {
    /// A dual-stack listener (`[::]`, IPv4 too) on a port the kernel picks, on the server.
    fn start(server: &Namespace, name: &'static str) -> Service {
        let listener = server
            .run(|| -> std::io::Result<TcpListener> {
                let socket = Socket::new(Domain::IPV6, Type::STREAM, Some(Protocol::TCP))?;
                socket.set_only_v6(false)?;
                socket.bind(&SockAddr::from(SocketAddr::new(
                    IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                    0,
                )))?;
                socket.listen(128)?;
                Ok(socket.into())
            })
            .unwrap_or_else(|error| {
                panic!("not run: the server cannot listen for {name} ({error}); {HOW_TO_RUN}")
            });
        let port = listener
            .local_addr()
            .expect("a bound listener has an address")
            .port();
        Service {
            name,
            port,
            _listener: listener,
        }
    }
}

/// A new namespace of this lab with only `lo`, up; or `not run: …`.
fn create(role: &str) -> Namespace {
    Namespace::create("lab11", role)
        .unwrap_or_else(|reason| panic!("not run: {reason}; {HOW_TO_RUN}"))
}

/// `ip -n NAME ARGS…`, which the test needs: a failure is not the student's fault.
fn must(namespace: &Namespace, args: &[&str]) {
    if let Err(reason) = namespace.ip(args) {
        panic!("not run: {reason}; {HOW_TO_RUN}");
    }
}
