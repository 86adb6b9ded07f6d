//! Services: which program usually sits on a well-known port.
//!
//! A client that wants a web page has to know *where* to knock before it can
//! ask anything. That is why standard services have fixed ports: a browser
//! connects to port 443 for `https://` without being told, and `ssh` connects
//! to port 22. IANA keeps the official list, the "Service Name and Transport
//! Protocol Port Number Registry" (RFC 6335); on Linux a copy of it lives in
//! `/etc/services`: try `grep -w 22/tcp /etc/services`.
//!
//! The registry gives every service a short lower-case *service name*: `ssh`,
//! `https`, `domain` (not "DNS"), `ms-wbt-server` (not "RDP"). People often
//! call the same service something else, so each entry of the table has both:
//! [`Service::name`], IANA's name exactly, and [`Service::known_as`], the
//! everyday name.
//!
//! A port number is only a *convention*: nothing stops you from running a web
//! server on port 2222 or SSH on port 443. But when you see port 5432 in your
//! terminal, "probably PostgreSQL" is a very good first guess. Custom even
//! overrides the registry: 8443 is registered to `pcsync-https`, a product few
//! people have heard of, yet by custom it is an alternative HTTPS port.
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
    /// Its service name in IANA's registry, exactly as IANA writes it: `"ssh"`, `"domain"`,
    /// `"postgresql"`. The same name as in `/etc/services`.
    pub name: &'static str,
    /// What people usually call it: `"SSH"`, `"DNS"`, `"PostgreSQL"`. Where the everyday use
    /// is a custom rather than IANA's registration, it says so: `"HTTPS-alt, by custom"`.
    pub known_as: &'static str,
    /// What it is for, in a few words.
    pub what: &'static str,
}

/// The ports this lab knows, sorted by port number. Each port and each name appears once.
///
/// Every `name` is the service name of IANA's Service Name and Transport Protocol Port Number
/// Registry (checked in 2026); Debian's `/etc/services` (netbase) has the same names, except
/// that it calls 143 `imap2` (with `imap` as an alias) and leaves out 8443 and 27017.
#[rustfmt::skip] // one service per line, like a table
pub static WELL_KNOWN_SERVICES: &[Service] = &[
    Service { port: 20,    name: "ftp-data",      known_as: "FTP data",             what: "file transfer, data channel" },
    Service { port: 21,    name: "ftp",           known_as: "FTP",                  what: "file transfer, control channel" },
    Service { port: 22,    name: "ssh",           known_as: "SSH",                  what: "secure remote shell" },
    Service { port: 23,    name: "telnet",        known_as: "Telnet",               what: "unencrypted remote terminal" },
    Service { port: 25,    name: "smtp",          known_as: "SMTP",                 what: "mail transfer between servers" },
    Service { port: 53,    name: "domain",        known_as: "DNS",                  what: "turning names into addresses" },
    Service { port: 67,    name: "bootps",        known_as: "DHCP server",          what: "handing out addresses, server side" },
    Service { port: 68,    name: "bootpc",        known_as: "DHCP client",          what: "receiving an address, client side" },
    Service { port: 80,    name: "http",          known_as: "HTTP",                 what: "the web, unencrypted" },
    Service { port: 110,   name: "pop3",          known_as: "POP3",                 what: "downloading mail" },
    Service { port: 123,   name: "ntp",           known_as: "NTP",                  what: "setting clocks" },
    Service { port: 143,   name: "imap",          known_as: "IMAP",                 what: "reading mail on the server" },
    Service { port: 161,   name: "snmp",          known_as: "SNMP",                 what: "monitoring network devices" },
    Service { port: 389,   name: "ldap",          known_as: "LDAP",                 what: "directory lookups" },
    Service { port: 443,   name: "https",         known_as: "HTTPS",                what: "the web over TLS" },
    Service { port: 465,   name: "submissions",   known_as: "SMTPS",                what: "sending mail over TLS, RFC 8314" },
    Service { port: 587,   name: "submission",    known_as: "SMTP submission",      what: "sending mail, upgraded to TLS with STARTTLS" },
    Service { port: 636,   name: "ldaps",         known_as: "LDAPS",                what: "directory lookups over TLS" },
    Service { port: 993,   name: "imaps",         known_as: "IMAPS",                what: "reading mail over TLS" },
    Service { port: 995,   name: "pop3s",         known_as: "POP3S",                what: "downloading mail over TLS" },
    Service { port: 3306,  name: "mysql",         known_as: "MySQL",                what: "MySQL and MariaDB databases" },
    Service { port: 3389,  name: "ms-wbt-server", known_as: "RDP",                  what: "Windows Remote Desktop" },
    Service { port: 5353,  name: "mdns",          known_as: "mDNS",                 what: "finding names on the local network" },
    Service { port: 5432,  name: "postgresql",    known_as: "PostgreSQL",           what: "PostgreSQL database" },
    Service { port: 6379,  name: "redis",         known_as: "Redis",                what: "Redis key-value store" },
    Service { port: 8080,  name: "http-alt",      known_as: "HTTP-alt",             what: "alternative web port, common for development servers" },
    Service { port: 8443,  name: "pcsync-https",  known_as: "HTTPS-alt, by custom", what: "alternative web port over TLS" },
    Service { port: 27017, name: "mongodb",       known_as: "MongoDB",              what: "MongoDB database" },
];

/// The service in [`WELL_KNOWN_SERVICES`] that uses `port`, or `None` when the
/// table has no entry for it.
///
/// `service_for(22)` is the `ssh` entry; `service_for(62893)` is `None`.
pub fn service_for(port: u16) -> Option<&'static Service> {
    // BEGIN SOLUTION
    WELL_KNOWN_SERVICES
        .iter()
        .find(|service| service.port == port)
    // END SOLUTION
    // STUB: // TODO: return the table's entry for `port`, as the doc comment says: the entry itself
    // STUB: // (a reference into the table, not a copy), or `None`. Think about: port 0 and the Dynamic
    // STUB: // Ports, which no entry has; every port of the table must find its own entry. Read the
    // STUB: // chapter's "The three port ranges" and the std docs of slices and `Iterator`.
    // STUB: // Stuck? `cargo xtask hint 01`.
    // STUB: todo!()
}

/// The port of the service called `name` in [`WELL_KNOWN_SERVICES`], ignoring
/// upper and lower case, or `None` when no service has that name.
///
/// Only [`Service::name`], IANA's name, is compared, as `getent services` does:
/// `port_of("https")`, `port_of("HTTPS")` and `port_of("Https")` are all
/// `Some(443)`; `port_of("dns")` is `None` (IANA's name for port 53 is `domain`), and so
/// is `port_of("gopher")`.
pub fn port_of(name: &str) -> Option<u16> {
    // BEGIN SOLUTION
    WELL_KNOWN_SERVICES
        .iter()
        .find(|service| service.name.eq_ignore_ascii_case(name))
        .map(|service| service.port)
    // END SOLUTION
    // STUB: // TODO: return the port of the entry called `name`, as the doc comment says. Think about:
    // STUB: // "SSH" and "Https" must match, but "http " (a trailing space), "" and "22" must not; an
    // STUB: // everyday name such as "DNS" is not IANA's name. Read the module comment above and the
    // STUB: // std docs of `str` (ASCII case). Stuck? `cargo xtask hint 01`.
    // STUB: todo!()
}
