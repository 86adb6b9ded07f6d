//! Names: turning `db.lab.test` into addresses, and the ways it fails.
//!
//! Before any SYN is sent, a name must become addresses. On Linux programs
//! ask the C library's `getaddrinfo`, which follows `/etc/nsswitch.conf`
//! (`hosts: files dns`): first the **hosts file**, `/etc/hosts`, then **DNS**,
//! the servers listed in `/etc/resolv.conf`. Rust's
//! [`ToSocketAddrs`](std::net::ToSocketAddrs) and tokio's
//! [`lookup_host`](tokio::net::lookup_host) both call it. It can fail in ways
//! that need different fixes:
//!
//! | failure                      | DNS says             | `getaddrinfo`  | [`ResolveError`]               |
//! |------------------------------|----------------------|----------------|--------------------------------|
//! | the name does not exist      | NXDOMAIN             | `EAI_NONAME`   | [`NoSuchName`](ResolveError::NoSuchName) |
//! | nobody answered              | SERVFAIL, or silence | `EAI_AGAIN`    | [`NoAnswer`](ResolveError::NoAnswer)     |
//! | the name has no address      | NODATA (no A/AAAA)   | `EAI_NODATA`   | [`NoAddress`](ResolveError::NoAddress)   |
//!
//! A typo is `NoSuchName`; a laptop off the network or a broken
//! `/etc/resolv.conf` is `NoAnswer` ("Temporary failure in name resolution").
//! `NoAnswer` can take a while: the C library waits 5 seconds per server and
//! tries twice (`man 5 resolv.conf`, `options timeout:` and `attempts:`).
//!
//! **Why a trait?** A diagnosis must be testable without sending a single
//! DNS query: the answer would depend on the network and on the day. So the
//! code that needs a name resolved takes any [`Resolver`]: the real one,
//! [`SystemResolver`], in the program; a [`HostsFile`] with names the test
//! chose, or a resolver that never answers, in tests. Names the tests use
//! cannot leak either: `localhost` never leaves the machine (RFC 6761,
//! section 6.3), `.test` is reserved for testing and `.invalid` is
//! guaranteed not to exist (RFC 6761, sections 6.2 and 6.4).

use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};

/// Why a name could not be turned into addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// The name does not exist (NXDOMAIN, `EAI_NONAME`).
    NoSuchName,
    /// No answer: no server could be reached, or none answered in time
    /// (SERVFAIL or a timeout, `EAI_AGAIN`).
    NoAnswer,
    /// The name exists but has no address this program can use (NODATA), or
    /// the resolver returned an empty list.
    NoAddress,
    /// Any other failure, with the resolver's message.
    Failed(String),
}

/// `no such name`, `no answer`, `no address`, or the message of a failure.
impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // BEGIN SOLUTION
        match self {
            ResolveError::NoSuchName => f.write_str("no such name"),
            ResolveError::NoAnswer => f.write_str("no answer"),
            ResolveError::NoAddress => f.write_str("no address"),
            ResolveError::Failed(message) => f.write_str(message),
        }
        // END SOLUTION
        // STUB: // TODO: the words of the doc comment above, one case per failure; a `Failed` shows its
        // STUB: // message and nothing else. The diagnosis report prints them, and the tests compare it
        // STUB: // letter by letter. Stuck? `cargo xtask hint 08`.
        // STUB: todo!()
    }
}

/// Something that turns a name into addresses.
///
/// Implement it with `async fn resolve(&self, host: &str, port: u16) -> Result<…>`
/// in the `impl` block; the signature here spells out that the future is
/// `Send`, so a resolver can be used from any tokio task.
pub trait Resolver {
    /// Every address of `host`, each with `port`, in the resolver's order.
    fn resolve(
        &self,
        host: &str,
        port: u16,
    ) -> impl Future<Output = Result<Vec<SocketAddr>, ResolveError>> + Send;
}

/// A resolver made from the text of a hosts file (the format of `/etc/hosts`,
/// `man 5 hosts`): no network involved.
///
/// ```text
/// # comments start with '#', to the end of the line
/// 127.0.0.1   localhost
/// 127.0.0.2   db.lab.test   db      # a canonical name, then aliases
/// ::1         localhost ip6-localhost
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostsFile {
    /// Every (name, address) pair, in the order of the file; names in lowercase.
    entries: Vec<(String, IpAddr)>,
}

impl HostsFile {
    /// Reads the text of a hosts file.
    ///
    /// Each line is an IP address followed by one or more names, separated by
    /// spaces or tabs; everything from a `#` to the end of the line is a
    /// comment. Empty lines, lines with no name, and lines whose first field is
    /// not an IP address are skipped. Names are kept in lowercase: names are
    /// case-insensitive.
    pub fn parse(text: &str) -> HostsFile {
        // BEGIN SOLUTION
        let mut entries = Vec::new();
        for line in text.lines() {
            let content = line.split('#').next().unwrap_or_default();
            let mut fields = content.split_whitespace();
            let Some(Ok(ip)) = fields.next().map(str::parse::<IpAddr>) else {
                continue;
            };
            entries.extend(fields.map(|name| (name.to_lowercase(), ip)));
        }
        HostsFile { entries }
        // END SOLUTION
        // STUB: // TODO: every (name, address) pair of the text, as the doc comment says. Think about: a
        // STUB: // comment after the names, even one glued to a name (`web.lab.test#note`); an indented
        // STUB: // comment line; tabs as well as spaces; an address with no name; a first field that is
        // STUB: // not an address (`not-an-ip broken.test`); an IPv6 address; `DB.Lab.Test` in capitals;
        // STUB: // several names on one line. Read `man 5 hosts`, this struct's doc comment, and the std
        // STUB: // docs of `str` (splitting) and `IpAddr`. Stuck? `cargo xtask hint 08`.
        // STUB: todo!()
    }

    /// The addresses of `host`, compared without regard to case, in the
    /// order of the file, each address once.
    pub fn addresses_of(&self, host: &str) -> Vec<IpAddr> {
        // BEGIN SOLUTION
        let host = host.to_lowercase();
        let mut addresses: Vec<IpAddr> = Vec::new();
        for (name, ip) in &self.entries {
            if *name == host && !addresses.contains(ip) {
                addresses.push(*ip);
            }
        }
        addresses
        // END SOLUTION
        // STUB: // TODO: the addresses the doc comment describes. Think about: a name asked in another
        // STUB: // case than the file's; a name on two lines with the same address (once only); a name
        // STUB: // on two lines with two addresses (both, in the file's order); a name the file lacks.
        // STUB: // Stuck? `cargo xtask hint 08`.
        // STUB: todo!()
    }
}

impl Resolver for HostsFile {
    /// [`HostsFile::addresses_of`] with `port`; a name the file does not list
    /// is [`ResolveError::NoSuchName`].
    async fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, ResolveError> {
        // BEGIN SOLUTION
        let addresses = self.addresses_of(host);
        if addresses.is_empty() {
            return Err(ResolveError::NoSuchName);
        }
        Ok(addresses
            .into_iter()
            .map(|ip| SocketAddr::new(ip, port))
            .collect())
        // END SOLUTION
        // STUB: // TODO: what the doc comment says, built on `addresses_of`. Think about: a name the
        // STUB: // file does not list (never an empty `Ok`); every address gets the same port. Stuck?
        // STUB: // `cargo xtask hint 08`.
        // STUB: todo!()
    }
}

/// The system's resolver: `getaddrinfo`, through [`tokio::net::lookup_host`],
/// which runs it on a thread where blocking is allowed.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemResolver;

impl Resolver for SystemResolver {
    /// [`tokio::net::lookup_host`] of `(host, port)`: every address it gives,
    /// in its order. An error is turned into a [`ResolveError`] by
    /// [`lookup_error`]; an empty list is [`ResolveError::NoAddress`].
    async fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, ResolveError> {
        // BEGIN SOLUTION
        let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
            .await
            .map_err(|error| lookup_error(&error))?
            .collect();
        if addresses.is_empty() {
            return Err(ResolveError::NoAddress);
        }
        Ok(addresses)
        // END SOLUTION
        // STUB: // TODO: the system's answer, as the doc comment says. Think about: `localhost`, which may
        // STUB: // have two addresses (keep the system's order: `getent hosts localhost`); a name that
        // STUB: // does not exist (`nothing.invalid`); a machine with no DNS server at all (the test runs
        // STUB: // in a namespace with only `lo`); an empty answer. Read this module's comment and the
        // STUB: // tokio docs of `net::lookup_host`. Stuck? `cargo xtask hint 08`.
        // STUB: todo!()
    }
}
// BEGIN SOLUTION

/// What `getaddrinfo`'s messages (`gai_strerror`, in the C libraries Rust
/// runs on) say, and the failure each one stands for.
const LOOKUP_MESSAGES: [(&str, ResolveError); 6] = [
    // EAI_NONAME, in glibc, musl and macOS.
    ("name or service not known", ResolveError::NoSuchName),
    ("name does not resolve", ResolveError::NoSuchName),
    ("nodename nor servname provided", ResolveError::NoSuchName),
    // EAI_AGAIN, in glibc and macOS, and musl.
    (
        "temporary failure in name resolution",
        ResolveError::NoAnswer,
    ),
    ("try again", ResolveError::NoAnswer),
    // EAI_NODATA, in glibc.
    (
        "no address associated with hostname",
        ResolveError::NoAddress,
    ),
];
// END SOLUTION

/// The failure that an error from the system's resolver stands for.
///
/// The standard library keeps only `getaddrinfo`'s *message* (the error's
/// kind is "uncategorized"), so this looks for the C library's words in it;
/// anything else is [`ResolveError::Failed`] with the whole message.
pub fn lookup_error(error: &io::Error) -> ResolveError {
    // BEGIN SOLUTION
    let message = error.to_string();
    let lowercase = message.to_lowercase();
    LOOKUP_MESSAGES
        .iter()
        .find(|(words, _)| lowercase.contains(words))
        .map(|(_, failure)| failure.clone())
        .unwrap_or(ResolveError::Failed(message))
    // END SOLUTION
    // STUB: // TODO: recognise the C library's words, as the doc comment says. This one you design on
    // STUB: // your own: keep what words stand for which failure in a private item of your choice (a
    // STUB: // table, a helper function) next to this function. Think about: the message's case
    // STUB: // ("Name or service not known"); the words of EAI_NONAME, EAI_AGAIN and EAI_NODATA, which
    // STUB: // differ between C libraries (glibc, musl, macOS); a message you do not know (keep it
    // STUB: // whole). Read the table in chapter 8, "Names: the step before the first packet", and
    // STUB: // `man 3 getaddrinfo`; print a real error to see its words. Stuck? `cargo xtask hint 08`.
    // STUB: todo!()
}
