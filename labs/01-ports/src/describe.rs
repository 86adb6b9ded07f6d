//! Describing an endpoint: every piece, put back together in plain English.
//!
//! Reading an endpoint is a small checklist:
//!
//! 1. **Which address?** Its [scope](crate::scope) says who can reach it.
//!    `127.0.0.1` is loopback: only this machine.
//! 2. **Which port range?** Its [range](crate::ranges) says who chose the port.
//!    62893 is a Dynamic Port: no service owns it, so the operating system
//!    or the program picked it.
//! 3. **Which service?** The [table of services](crate::services) may name
//!    the program that usually sits there: 5432 is registered to `postgresql`.
//!
//! [`describe`] runs that checklist and fills a [`Description`]: plain data
//! that tests can check. Turning the data into a paragraph is
//! [`Description`]'s `Display` implementation, which is given to you except
//! for one helper, `block_of`, that names the block an address is in: for
//! `127.0.0.1:62893` it reads
//!
//! > 127.0.0.1:62893 means port 62893 at address 127.0.0.1. 127.0.0.1 is a
//! > loopback address (127.0.0.0/8): traffic to it never leaves this machine,
//! > so only programs running on this machine can reach it. Port 62893 is one
//! > of the Dynamic Ports, the private/ephemeral range 49152-65535, which IANA
//! > never assigns to any service: the operating system hands these out as
//! > temporary (ephemeral) ports, or a program picked it for itself.
//!
//! Two special cases get their own sentences. The unspecified address
//! (`0.0.0.0` or `::`) is what a server *listens* on to accept connections on
//! every interface; it is not a destination. And port 0 is not a port at
//! all: a program that binds port 0 asks the operating system for any free
//! port.

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use crate::endpoint::EndpointError;
use crate::ranges::PortRange;
use crate::scope::AddressScope;
use crate::services::Service;

/// What an endpoint is made of, each part classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Description {
    /// The endpoint itself: address and port.
    pub endpoint: SocketAddr,
    /// The scope of the endpoint's address.
    pub scope: AddressScope,
    /// The range of the endpoint's port.
    pub range: PortRange,
    /// The well-known service on the endpoint's port, if the table has one.
    pub service: Option<&'static Service>,
}

/// Parses `endpoint` with [the endpoint parser](crate::endpoint::parse_endpoint) and
/// classifies its parts: the address's [scope](crate::scope::scope_of), the port's
/// [range](PortRange::of) and its [service](crate::services::service_for).
///
/// A parse error is returned unchanged.
pub fn describe(endpoint: &str) -> Result<Description, EndpointError> {
    // TODO: the checklist of the module comment, as the doc comment says: every field of
    // `Description` comes from a function you already wrote (its doc comment links them). Think
    // about: a parse error goes back to the caller unchanged; the scope of `[::ffff:127.0.0.1]`
    // is that of the IPv4 address inside. Read the chapter's "The exercises", step 5, and the
    // Rust book on the `?` operator. Stuck? `cargo xtask hint 01`.
    todo!()
}

/// One paragraph in plain English: the endpoint, then its address, then its port.
impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ip = self.endpoint.ip();
        let port = self.endpoint.port();
        write!(f, "{} means port {port} at address {ip}. ", self.endpoint)?;
        write!(f, "{} ", address_sentences(ip, self.scope))?;
        write!(f, "{}", port_sentence(port, self.range, self.service))
    }
}

/// What the address is and who can reach it. An IPv4-mapped IPv6 address is
/// first translated back to its IPv4 address.
fn address_sentences(ip: IpAddr, scope: AddressScope) -> String {
    match ip {
        IpAddr::V6(ipv6) => match ipv6.to_ipv4_mapped() {
            Some(ipv4) => format!(
                "{ip} is an IPv4-mapped IPv6 address: it is the IPv4 address {ipv4} written in IPv6 form. {}",
                scope_sentence(IpAddr::V4(ipv4), scope)
            ),
            None => scope_sentence(ip, scope),
        },
        IpAddr::V4(_) => scope_sentence(ip, scope),
    }
}

/// One sentence per scope, naming the block the address belongs to ([`block_of`]).
fn scope_sentence(ip: IpAddr, scope: AddressScope) -> String {
    let block = block_of(ip, scope).unwrap_or("no special block");
    match scope {
        AddressScope::Loopback => format!(
            "{ip} is a loopback address ({}): traffic to it never leaves this machine, so only programs running on this machine can reach it.",
            block
        ),
        AddressScope::Unspecified => format!(
            "{ip} is the unspecified address ({}): a server listening on it accepts connections on every network interface of this machine, so it is a listening address, not a destination to connect to.",
            block
        ),
        AddressScope::Private => format!(
            "{ip} is a private address ({}): it is used inside a local network, such as a home or an office, and cannot be reached directly from the internet.",
            block
        ),
        AddressScope::LinkLocal => format!(
            "{ip} is a link-local address ({}): it only works between machines on the same network link (the same cable, switch or Wi-Fi), and routers never forward it.",
            block
        ),
        AddressScope::Multicast => format!(
            "{ip} is a multicast address ({}): a packet sent to it goes to every machine that joined that group, not to one machine.",
            block
        ),
        AddressScope::Documentation => format!(
            "{ip} is a documentation address ({}): the block is set aside for examples in books, manuals and RFCs, so no real machine should have it and it should never appear on the internet.",
            block
        ),
        AddressScope::Broadcast => format!(
            "{ip} is the limited broadcast address ({}): a packet sent to it goes to every machine on this network link, and routers do not forward it.",
            block
        ),
        AddressScope::Other => format!(
            "{ip} is in none of the special blocks this lab knows, so it is most likely a public address of another machine, reached over the network (lab 05 reads IANA's whole registry)."
        ),
    }
}

/// The block that `ip`, an address of `scope`, belongs to, written the way the paragraph
/// shows it, or `None` for [`AddressScope::Other`], which has no block. An IPv4-mapped
/// address has been turned back into IPv4 before it gets here.
///
/// | scope         | an IPv4 address in …                          | an IPv6 address                                |
/// |---------------|-----------------------------------------------|------------------------------------------------|
/// | Loopback      | `"127.0.0.0/8"`                               | `"::1/128, the only IPv6 loopback address"`    |
/// | Unspecified   | `"0.0.0.0/32"`                                | `"::/128"`                                     |
/// | Private       | 10/8: `"10.0.0.0/8, RFC 1918"`, 172.16/12: `"172.16.0.0/12, RFC 1918"`, 192.168/16: `"192.168.0.0/16, RFC 1918"` | `"fc00::/7, unique local, RFC 4193"` |
/// | LinkLocal     | `"169.254.0.0/16"`                            | `"fe80::/10"`                                  |
/// | Multicast     | `"224.0.0.0/4"`                               | `"ff00::/8"`                                   |
/// | Documentation | 192.0.2/24: `"192.0.2.0/24, TEST-NET-1, RFC 5737"`, 198.51.100/24: `"198.51.100.0/24, TEST-NET-2, RFC 5737"`, 203.0.113/24: `"203.0.113.0/24, TEST-NET-3, RFC 5737"` | 2001:db8::/32: `"2001:db8::/32, RFC 3849"`, 3fff::/20: `"3fff::/20, RFC 9637"` |
/// | Broadcast     | `"255.255.255.255/32, RFC 919 and RFC 8190"`   | (none: IPv6 has no broadcast; `None`)           |
/// | Other         | `None`                                        | `None`                                         |
fn block_of(ip: IpAddr, scope: AddressScope) -> Option<&'static str> {
    // TODO: the doc comment's table, text for text. Think about: which of the three private
    // or documentation IPv4 blocks an address is in (the caller already knows it is in one
    // of them); the IPv6 column; the cases that have no block. You may write helpers of your
    // own. Read the chapter's table in "`127.0.0.1`: the loopback address" and the module
    // comment of `src/scope.rs`. Stuck? `cargo xtask hint 01`.
    todo!()
}

/// What the port's range says about who chose it, and the service if one is known.
fn port_sentence(port: u16, range: PortRange, service: Option<&Service>) -> String {
    if port == 0 {
        return "Port 0 is not a port you can connect to: a program that binds port 0 asks the operating system to pick any free port for it (an ephemeral port).".to_string();
    }
    let place = format!(
        "Port {port} is one of the {}, the {} range {}-{}",
        range.name(),
        range.nickname(),
        range.first(),
        range.last()
    );
    let service = match service {
        Some(service) => format!(
            "this one is registered to {}, known as {} ({})",
            service.name, service.known_as, service.what
        ),
        None => "this lab's table of services does not list it".to_string(),
    };
    match range {
        PortRange::System => format!(
            "{place}, which IANA assigns to standard services: {service}. On Linux, listening on a System Port normally needs root (or the CAP_NET_BIND_SERVICE capability)."
        ),
        PortRange::User => format!("{place}, where IANA records services on request: {service}."),
        PortRange::Dynamic => format!(
            "{place}, which IANA never assigns to any service: the operating system hands these out as temporary (ephemeral) ports, or a program picked it for itself."
        ),
    }
}
