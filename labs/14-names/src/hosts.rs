//! The system's own answer first: `/etc/hosts` and the `hosts:` line of `nsswitch.conf`.
//!
//! Before any DNS server is asked, the C library's `getaddrinfo` reads `/etc/nsswitch.conf`
//! (nsswitch.conf(5)) to learn **where** to look for a host name, and in which order:
//!
//! ```text
//! hosts:  files mdns4_minimal [NOTFOUND=return] dns
//! ```
//!
//! `files` is `/etc/hosts`, `dns` the servers of `/etc/resolv.conf`, `mdns4_minimal`
//! multicast DNS for `.local` names. Each source is tried in turn until one finds the name; an
//! action in brackets changes that: `[NOTFOUND=return]` after a source means "if this source
//! is working and says the name does not exist, stop here and say not found".
//!
//! `/etc/hosts` (hosts(5)) is the oldest name service there is: one address per line, then
//! the names it has, `#` to the end of a line is a comment.
//!
//! ```text
//! 127.0.0.1   localhost
//! ::1         localhost ip6-localhost ip6-loopback
//! 198.51.100.80  web.lab14.test web   # a host of the lab
//! ```
//!
//! `localhost` found here never reaches DNS at all. A name may have several lines, IPv4 and
//! IPv6: the lookup returns every address, in the file's order, and [`crate::order`] then
//! sorts them the way `getaddrinfo` does.

use std::net::IpAddr;

/// One line of a hosts file: an address and its names (the first is the canonical name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostsEntry {
    pub address: IpAddr,
    pub names: Vec<String>,
}

/// A line that is neither an entry, a comment nor blank, and was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    /// The line's number, counting from 1 as an editor does.
    pub number: usize,
    /// The line as it was, without its end-of-line.
    pub text: String,
}

/// A hosts file, read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hosts {
    /// The entries, in the file's order.
    pub entries: Vec<HostsEntry>,
    /// The lines that could not be read: an address that is not one, or no name after it.
    pub skipped: Vec<SkippedLine>,
}

/// Reads a hosts file as hosts(5) describes it: an address, then one or more names,
/// separated by spaces or tabs; `#` starts a comment that runs to the end of the line; blank
/// lines and comment lines are nothing. A line it cannot read is skipped and reported in
/// [`Hosts::skipped`], never a reason to give up on the rest of the file.
pub fn parse_hosts(text: &str) -> Hosts {
    // TODO: read every line into an entry, or skip and report it, as the doc comment says.
    // Think about: a comment after an entry, tabs, a name with no address or an address with
    // no name, IPv6 addresses (they contain `:`), and line numbers. Read chapter 14,
    // "Before DNS: /etc/hosts and nsswitch.conf", and hosts(5). Stuck? `cargo xtask hint 14`.
    todo!()
}

impl Hosts {
    /// Every address that has `name` among its names, in the file's order. Names compare
    /// without regard to ASCII case (`LocalHost` is `localhost`), and with or without a final
    /// dot. An address listed twice for the name is returned once.
    pub fn lookup(&self, name: &str) -> Vec<IpAddr> {
        // TODO: every address of `name`, as the doc comment says. Stuck? `cargo xtask hint 14`.
        todo!()
    }
}

/// What a source's answer was, for an action in brackets (nsswitch.conf(5)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `SUCCESS`: the name was found.
    Success,
    /// `NOTFOUND`: the source works, and the name is not in it.
    NotFound,
    /// `UNAVAIL`: the source does not work (e.g. no DNS server answers).
    Unavail,
    /// `TRYAGAIN`: the source is busy for now.
    TryAgain,
}

/// What to do on that status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `return`: stop here with this result.
    Return,
    /// `continue`: try the next source.
    Continue,
}

/// One source of the `hosts:` line, with the actions written after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `files`, `dns`, `mdns4_minimal`, `myhostname`, …
    pub name: String,
    /// The actions in brackets after it, in order: `[NOTFOUND=return]` is
    /// `(Status::NotFound, Action::Return)`.
    pub actions: Vec<(Status, Action)>,
}

/// The sources of the `hosts:` line of an nsswitch.conf, in order, or `None` when there is
/// no such line. Keywords compare without regard to case (`[notfound=RETURN]` is
/// `[NOTFOUND=return]`); `#` starts a comment; several `STATUS=ACTION` may share one pair of
/// brackets. An action this lab does not know (`merge`, a `!` before the status) is skipped.
pub fn parse_nsswitch_hosts(text: &str) -> Option<Vec<Source>> {
    // TODO: find the `hosts:` line and read its sources and their actions, as the doc
    // comment says. Think about: brackets written against a word (`dns[NOTFOUND=return]`),
    // several actions in one pair of brackets, case, and comments. Design your own helpers.
    // Read chapter 14, "Before DNS: /etc/hosts and nsswitch.conf", and nsswitch.conf(5).
    // Stuck? `cargo xtask hint 14`.
    todo!()
}
