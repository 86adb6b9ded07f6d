//! Services: which program usually sits on a well-known port.
//!
//! A client that wants a web page has to know *where* to knock before it can
//! ask anything. That is why standard services have fixed ports: a browser
//! connects to port 443 for `https://` without being told, and `ssh` connects
//! to port 22. IANA keeps the official list, the "Service Name and Transport
//! Protocol Port Number Registry" (RFC 6335); on Linux a copy of it lives in
//! `/etc/services`: try `grep -w 22/tcp /etc/services`.
//!
//! A port number is only a *convention*: nothing stops you from running a web
//! server on port 2222 or SSH on port 443. But when you see port 5432 in your
//! terminal, "probably PostgreSQL" is a very good first guess.
//!
//! The table [`WELL_KNOWN_SERVICES`] lists the ports you will meet most often,
//! System Ports (below 1024) and a few popular User Ports (databases,
//! alternative web ports). A Dynamic Port such as 62893 is never in it:
//! IANA never assigns those.

/// A service that is known to use a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// The port the service uses by default.
    pub port: u16,
    /// Its short name, as people write it: `"SSH"`, `"HTTPS"`, `"PostgreSQL"`.
    pub name: &'static str,
    /// What it is for, in a few words.
    pub what: &'static str,
}

/// The ports this lab knows, sorted by port number. Each port and each name appears once.
#[rustfmt::skip] // one service per line, like a table
pub static WELL_KNOWN_SERVICES: &[Service] = &[
    Service { port: 20,    name: "FTP data",    what: "file transfer, data channel" },
    Service { port: 21,    name: "FTP",         what: "file transfer, control channel" },
    Service { port: 22,    name: "SSH",         what: "secure remote shell" },
    Service { port: 23,    name: "Telnet",      what: "unencrypted remote terminal" },
    Service { port: 25,    name: "SMTP",        what: "mail transfer between servers" },
    Service { port: 53,    name: "DNS",         what: "turning names into addresses" },
    Service { port: 67,    name: "DHCP server", what: "handing out addresses, server side" },
    Service { port: 68,    name: "DHCP client", what: "receiving an address, client side" },
    Service { port: 80,    name: "HTTP",        what: "the web, unencrypted" },
    Service { port: 110,   name: "POP3",        what: "downloading mail" },
    Service { port: 123,   name: "NTP",         what: "setting clocks" },
    Service { port: 143,   name: "IMAP",        what: "reading mail on the server" },
    Service { port: 161,   name: "SNMP",        what: "monitoring network devices" },
    Service { port: 389,   name: "LDAP",        what: "directory lookups" },
    Service { port: 443,   name: "HTTPS",       what: "the web over TLS" },
    Service { port: 465,   name: "SMTPS",       what: "sending mail over TLS" },
    Service { port: 587,   name: "Submission",  what: "sending mail, upgraded to TLS with STARTTLS" },
    Service { port: 636,   name: "LDAPS",       what: "directory lookups over TLS" },
    Service { port: 993,   name: "IMAPS",       what: "reading mail over TLS" },
    Service { port: 995,   name: "POP3S",       what: "downloading mail over TLS" },
    Service { port: 3306,  name: "MySQL",       what: "MySQL and MariaDB databases" },
    Service { port: 3389,  name: "RDP",         what: "Windows Remote Desktop" },
    Service { port: 5353,  name: "mDNS",        what: "finding names on the local network" },
    Service { port: 5432,  name: "PostgreSQL",  what: "PostgreSQL database" },
    Service { port: 6379,  name: "Redis",       what: "Redis key-value store" },
    Service { port: 8080,  name: "HTTP-alt",    what: "alternative web port, common for development servers" },
    Service { port: 8443,  name: "HTTPS-alt",   what: "alternative web port over TLS" },
    Service { port: 27017, name: "MongoDB",     what: "MongoDB database" },
];

/// The service in [`WELL_KNOWN_SERVICES`] that uses `port`, or `None` when the
/// table has no entry for it.
///
/// `service_for(22)` is the SSH entry; `service_for(62893)` is `None`.
pub fn service_for(port: u16) -> Option<&'static Service> {
    // BEGIN SOLUTION
    WELL_KNOWN_SERVICES
        .iter()
        .find(|service| service.port == port)
    // END SOLUTION
    // STUB: // TODO: find the entry of `WELL_KNOWN_SERVICES` whose `port` field is `port`
    // STUB: // (`WELL_KNOWN_SERVICES.iter()` and `Iterator::find`).
    // STUB: todo!()
}

/// The port of the service called `name` in [`WELL_KNOWN_SERVICES`], ignoring
/// upper and lower case, or `None` when no service has that name.
///
/// `port_of("https")`, `port_of("HTTPS")` and `port_of("Https")` are all
/// `Some(443)`; `port_of("gopher")` is `None`.
pub fn port_of(name: &str) -> Option<u16> {
    // BEGIN SOLUTION
    WELL_KNOWN_SERVICES
        .iter()
        .find(|service| service.name.eq_ignore_ascii_case(name))
        .map(|service| service.port)
    // END SOLUTION
    // STUB: // TODO: find the entry whose `name` equals `name` ignoring case (`str::eq_ignore_ascii_case`),
    // STUB: // then return its `port` (`Option::map`).
    // STUB: todo!()
}
