//! What a host's firewall should let in, written the way a service owner says it.
//!
//! "Port 8080 is the web app, for everyone. Port 22 is SSH, only from the admin network
//! 198.51.100.0/24. Everything else: refuse it, and tell the client at once." That is a
//! *policy*: a list of allowed services and what happens to everything else. A firewall
//! ruleset is the same policy written for the kernel ([`crate::ruleset`]).
//!
//! What happens to the rest is a real choice, and the client sees the difference:
//!
//! | refusal    | the firewall…                                  | the client sees           |
//! |------------|------------------------------------------------|---------------------------|
//! | `drop`     | throws the packet away, says nothing           | silence, then a timeout   |
//! | `reset`    | answers the SYN with a TCP reset (RST)         | "connection refused"      |
//! | `prohibit` | answers with ICMP "administratively prohibited" | "no route to host" (IPv4) or "permission denied" (IPv6) |
//!
//! A reset looks exactly like a port where nothing listens: it hides that a firewall is
//! there. An ICMP error says so. Silence makes every client wait for its whole timeout, and
//! makes a scanner's job slow, which is why many hosts drop.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// A block of addresses, `198.51.100.0/24` or `2001:db8::/32`; a single address is a block
/// of one (`/32` for IPv4, `/128` for IPv6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    pub address: IpAddr,
    /// How many leading bits of an address must equal `address`'s: 0 to 32, or 0 to 128.
    pub prefix: u8,
}

impl Network {
    /// The block of one address.
    pub fn single(address: IpAddr) -> Network {
        let prefix = if address.is_ipv4() { 32 } else { 128 };
        Network { address, prefix }
    }

    /// Whether `address` is in this block: the same family, and the same first `prefix`
    /// bits. An IPv4 address is never in an IPv6 block, nor the other way round.
    pub fn contains(&self, address: IpAddr) -> bool {
        // TODO: decide whether `address` is in this block, as the doc comment says. Think
        // about: /0 (every address of the family), /32 or /128 (one address), a prefix that
        // ends inside a byte (/20, /25), and an address of the other family. Read chapter 11,
        // "Rules per source address". Stuck? `cargo xtask hint 11`.
        todo!()
    }
}

/// `198.51.100.0/24`, or the address alone for a block of one.
impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Network::single(self.address) {
            write!(f, "{}", self.address)
        } else {
            write!(f, "{}/{}", self.address, self.prefix)
        }
    }
}

/// Reads `198.51.100.0/24`, `2001:db8::/32` or a single address.
impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Network, String> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address
            .parse()
            .map_err(|_| format!("`{address}` is not an IPv4 or IPv6 address"))?;
        let most = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => most,
            Some(prefix) => match prefix.parse::<u8>() {
                Ok(prefix) if prefix <= most => prefix,
                _ => return Err(format!("`/{prefix}`: a prefix length is 0 to {most}")),
            },
        };
        Ok(Network { address, prefix })
    }
}

/// One service the firewall lets in: a TCP port, for everyone or for one block of sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allow {
    pub port: u16,
    /// `None`: every source, IPv4 and IPv6. `Some(block)`: only sources in that block (and
    /// so only that block's family).
    pub from: Option<Network>,
}

/// `8080`, or `22 from 198.51.100.0/24`.
impl fmt::Display for Allow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.from {
            None => write!(f, "{}", self.port),
            Some(from) => write!(f, "{} from {from}", self.port),
        }
    }
}

/// Reads `8080` or `22@198.51.100.0/24` (the form the program's `--allow` takes).
impl FromStr for Allow {
    type Err = String;

    fn from_str(text: &str) -> Result<Allow, String> {
        let (port, from) = match text.split_once('@') {
            Some((port, from)) => (port, Some(from.parse()?)),
            None => (text, None),
        };
        let port = port
            .parse::<u16>()
            .ok()
            .filter(|port| *port != 0)
            .ok_or_else(|| format!("`{port}` is not a port: write a number from 1 to 65535"))?;
        Ok(Allow { port, from })
    }
}

/// What the firewall does with a packet that no service lets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Throw it away without an answer: the client waits for its timeout.
    Drop,
    /// Answer a TCP SYN with a reset: the client sees "connection refused".
    Reset,
    /// Answer with ICMP "administratively prohibited" (ICMPv6 "communication with destination
    /// administratively prohibited"): the client sees that a firewall said no.
    Prohibit,
}

impl FromStr for Refusal {
    type Err = String;

    fn from_str(text: &str) -> Result<Refusal, String> {
        match text {
            "drop" => Ok(Refusal::Drop),
            "reset" => Ok(Refusal::Reset),
            "prohibit" => Ok(Refusal::Prohibit),
            _ => Err(format!("`{text}`: write drop, reset or prohibit")),
        }
    }
}

/// A host's firewall policy: the services it lets in, and what happens to everything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub allow: Vec<Allow>,
    pub refuse: Refusal,
}
