//! The program's command line: the lab's functions, for a real host.
//!
//! ```console
//! $ lab14-names lookup www.lab14.test --server 127.0.0.1:5353 --type AAAA
//! ;; www.lab14.test AAAA, asked 127.0.0.1:5353
//! www.lab14.test is an alias of web.lab14.test
//! web.lab14.test has IPv6 address 2001:db8::80
//! ttl 77
//! $ lab14-names hosts localhost
//! 127.0.0.1
//! ::1
//! $ lab14-names order localhost
//! getaddrinfo:  ::1 127.0.0.1
//! RFC 6724:     ::1 127.0.0.1
//! ```
//!
//! Start a DNS server of your own to ask, on loopback (chapter 14, "A DNS server of your
//! own"): `dnsmasq --no-daemon --conf-file=/dev/null --no-resolv --no-hosts --port=5353
//! --listen-address=127.0.0.1 --bind-interfaces --host-record=web.lab14.test,198.51.100.80`.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use crate::hosts::parse_hosts;
use crate::message::RecordType;
use crate::order::sort_destinations;
use crate::resolver::resolve;

#[derive(clap::Parser, Debug)]
#[command(
    name = "lab14-names",
    about = "Turn a name into addresses: with DNS, /etc/hosts, or the system"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Commands,
}

/// The record types `lookup` asks for.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Type {
    A,
    Aaaa,
}

#[derive(clap::Subcommand, Debug)]
pub enum Commands {
    /// Ask a DNS server for a name's A or AAAA records, with the lab's stub resolver.
    Lookup {
        /// The name to look up.
        name: String,
        /// The DNS server: ADDRESS:PORT.
        #[arg(long)]
        server: SocketAddr,
        /// The record type: A or AAAA.
        #[arg(long = "type", value_enum, ignore_case = true, default_value = "a")]
        record_type: Type,
        /// How long to wait for each answer, in milliseconds.
        #[arg(long, default_value_t = 2000)]
        timeout_ms: u64,
    },
    /// Look a name up in a hosts file, with the lab's reader.
    Hosts {
        /// The name to look up.
        name: String,
        /// The hosts file.
        #[arg(long, default_value = "/etc/hosts")]
        file: PathBuf,
    },
    /// Compare the system's getaddrinfo order for a name with the lab's RFC 6724 sort.
    Order {
        /// The name to look up.
        name: String,
    },
}

/// Runs one command and returns what it prints.
pub fn run(args: Args) -> Result<String, String> {
    match args.command {
        Commands::Lookup {
            name,
            server,
            record_type,
            timeout_ms,
        } => {
            let record_type = match record_type {
                Type::A => RecordType::A,
                Type::Aaaa => RecordType::Aaaa,
            };
            let outcome = resolve(
                server,
                &name,
                record_type,
                Duration::from_millis(timeout_ms),
            )
            .map_err(|error| error.to_string())?;
            Ok(format!(
                ";; {name} {record_type}, asked {server}\n{outcome}\n"
            ))
        }
        Commands::Hosts { name, file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
            let hosts = parse_hosts(&text);
            for skipped in &hosts.skipped {
                eprintln!(
                    "{}:{}: skipped, not an address and names: {}",
                    file.display(),
                    skipped.number,
                    skipped.text
                );
            }
            let found = hosts.lookup(&name);
            if found.is_empty() {
                return Err(format!("{name} is not in {}", file.display()));
            }
            Ok(found.iter().map(|address| format!("{address}\n")).collect())
        }
        Commands::Order { name } => {
            let system = system_order(&name)?;
            let ours = sort_destinations(&system);
            let line = |addresses: &[IpAddr]| {
                addresses
                    .iter()
                    .map(IpAddr::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            Ok(format!(
                "getaddrinfo:  {}\nRFC 6724:     {}\n",
                line(&system),
                line(&ours)
            ))
        }
    }
}

/// The addresses the system's `getaddrinfo` gives for `name`, in its order, each once.
pub fn system_order(name: &str) -> Result<Vec<IpAddr>, String> {
    let found = (name, 0)
        .to_socket_addrs()
        .map_err(|error| format!("getaddrinfo({name}) failed: {error}"))?;
    let mut addresses: Vec<IpAddr> = Vec::new();
    for address in found {
        if !addresses.contains(&address.ip()) {
            addresses.push(address.ip());
        }
    }
    Ok(addresses)
}
