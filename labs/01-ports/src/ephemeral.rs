//! Ephemeral ports: the temporary ports your operating system hands out.
//!
//! Every TCP connection has *two* endpoints. When your browser connects to
//! `203.0.113.5:443`, the server's side is port 443, but the browser's side
//! needs a port too. Nobody chooses it: the operating system picks a free one
//! for the life of the connection, a *temporary* or *ephemeral* port. The same
//! happens when a server asks to listen on port 0.
//!
//! RFC 6335 calls IANA's third range, 49152–65535, "the Dynamic Ports, also
//! known as the Private or Ephemeral Ports", and Windows and macOS take their
//! ephemeral ports from it. Linux does not: its default range is
//! **32768–60999**, and you can read (and, as root, change) it in one file:
//!
//! ```text
//! $ cat /proc/sys/net/ipv4/ip_local_port_range
//! 32768   60999
//! ```
//!
//! Two numbers, the first and the last port, separated by a tab (shown as
//! spaces above), then a newline. Despite the `ipv4` in its path, the same range is used for IPv6.
//!
//! The lesson: **ranges are policy**. IANA's three ranges are an agreement
//! about *who may register* a port; an operating system's ephemeral range is
//! a local setting about *which ports it hands out*. They need not agree:
//!
//! - 62893 is in IANA's dynamic range but *outside* Linux's default ephemeral
//!   range, so on Linux the kernel would not have handed it out: a program
//!   chose it itself (many tools pick a random high port).
//! - 40000 is a *registered* User Port for IANA, yet Linux may give it to
//!   your browser for an outgoing connection.

use std::error::Error;
use std::fmt;
use std::io;
use std::path::Path;

use crate::ranges::PortRange;

/// Where Linux keeps its ephemeral port range.
pub const LINUX_PORT_RANGE_FILE: &str = "/proc/sys/net/ipv4/ip_local_port_range";

/// A range of ports an operating system hands out as ephemeral ports,
/// from `first` to `last`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EphemeralRange {
    /// The lowest port of the range.
    pub first: u16,
    /// The highest port of the range, included.
    pub last: u16,
}

impl EphemeralRange {
    /// Linux's default range, 32768–60999.
    pub const LINUX_DEFAULT: EphemeralRange = EphemeralRange {
        first: 32768,
        last: 60999,
    };

    /// Whether `port` lies between `first` and `last`, both included.
    pub fn contains(self, port: u16) -> bool {
        // TODO: as the doc comment says: both ends are in the range, and a range of one port
        // (`5000-5000`) contains that port. Stuck? `cargo xtask hint 01`.
        todo!()
    }
}

/// Shows the range as `first-last`, e.g. `32768-60999`.
impl fmt::Display for EphemeralRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

/// What can be wrong with the text of a port range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeParseError {
    /// The text does not hold exactly two numbers. Holds how many
    /// whitespace-separated fields it has (0 for an empty text).
    WrongNumberOfFields(usize),
    /// A field is not a port number from 0 to 65535. Holds that field.
    NotAPort(String),
    /// The first port is greater than the last one.
    Reversed {
        /// The first number of the text.
        first: u16,
        /// The second number of the text.
        last: u16,
    },
}

/// A message for a beginner: what is wrong and what the text should look like.
impl fmt::Display for RangeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeParseError::WrongNumberOfFields(count) => write!(
                f,
                "expected two port numbers separated by whitespace, like \"32768 60999\", but found {count} field(s)"
            ),
            RangeParseError::NotAPort(field) => write!(
                f,
                "{field:?} is not a port number: a port is a whole number from 0 to 65535"
            ),
            RangeParseError::Reversed { first, last } => write!(
                f,
                "the first port ({first}) is greater than the last one ({last}): write the lower port first"
            ),
        }
    }
}

impl Error for RangeParseError {}

/// Why the range of a file could not be read.
#[derive(Debug)]
pub enum ReadRangeError {
    /// The file could not be read: it does not exist (not Linux?) or may not be read.
    Io(io::Error),
    /// The file was read but its text is not a port range.
    Parse(RangeParseError),
}

/// Says which of the two steps failed, then why.
impl fmt::Display for ReadRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadRangeError::Io(error) => write!(f, "cannot read the port range file: {error}"),
            ReadRangeError::Parse(error) => write!(f, "the port range file is malformed: {error}"),
        }
    }
}

impl Error for ReadRangeError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ReadRangeError::Io(error) => Some(error),
            ReadRangeError::Parse(error) => Some(error),
        }
    }
}

impl From<io::Error> for ReadRangeError {
    fn from(error: io::Error) -> Self {
        ReadRangeError::Io(error)
    }
}

impl From<RangeParseError> for ReadRangeError {
    fn from(error: RangeParseError) -> Self {
        ReadRangeError::Parse(error)
    }
}

/// Reads a port range written the way Linux writes
/// `/proc/sys/net/ipv4/ip_local_port_range`: two numbers separated by
/// whitespace (a tab, in the real file), usually followed by a newline.
///
/// `"32768\t60999\n"` is the range 32768–60999. Any whitespace, before, between
/// or after, is accepted. The checks, in order:
///
/// 1. not exactly two fields: [`RangeParseError::WrongNumberOfFields`];
/// 2. a field that is not a port, digits only as in `parse_port` (no `+`): [`RangeParseError::NotAPort`];
/// 3. first greater than last: [`RangeParseError::Reversed`]. A range of one port (`"5000 5000"`) is fine.
pub fn parse_port_range(text: &str) -> Result<EphemeralRange, RangeParseError> {
    // TODO: read the range, running the doc comment's checks in its order. Think about: the
    // real file's tab and trailing newline; `""` and `"\n"` (0 fields); `"32768,60999"` and
    // `"32768-60999"` (one field); `"+1 5"` and `"-1 100"` (a port has no sign); `"32768 65536"`;
    // `"5000 5000"` (fine). Reading one field is a job for a helper of your own. Read the
    // module comment and the chapter's "Ranges are policy". Stuck? `cargo xtask hint 01`.
    todo!()
}

/// Reads the file at `path` and parses its text with [`parse_port_range`].
pub fn read_port_range(path: &Path) -> Result<EphemeralRange, ReadRangeError> {
    // TODO: the file's text, read as a range, as the doc comment says. Think about: a file that
    // does not exist (an `Io` error, not a panic) and one that holds no range (a `Parse` error).
    // Both kinds of error must become a `ReadRangeError`: read the `From` impls above and the
    // Rust book's "Propagating errors" (chapter 9.2). Stuck? `cargo xtask hint 01`.
    todo!()
}

/// This machine's ephemeral range, read from [`LINUX_PORT_RANGE_FILE`].
///
/// On a system without that file (macOS, Windows) this is a
/// [`ReadRangeError::Io`] error.
pub fn read_this_machines_port_range() -> Result<EphemeralRange, ReadRangeError> {
    // TODO: this machine's range, as the doc comment says; reuse what you just wrote. Think
    // about a machine that has no such file. Compare with `cat /proc/sys/net/ipv4/ip_local_port_range`.
    // Stuck? `cargo xtask hint 01`.
    todo!()
}

/// A port seen through both policies: IANA's Dynamic Ports and an OS's ephemeral range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortComparison {
    /// The port being compared.
    pub port: u16,
    /// Whether IANA counts the port as a Dynamic Port (49152–65535).
    pub in_iana_dynamic_range: bool,
    /// The OS's ephemeral range the port was compared with.
    pub os_range: EphemeralRange,
    /// Whether the port is inside `os_range`.
    pub in_os_ephemeral_range: bool,
}

/// Compares `port` with IANA's Dynamic Ports and with the OS's `os_range`.
///
/// With Linux's default range, 62893 is in IANA's dynamic range but not in
/// the OS's; 40000 is the other way round.
pub fn compare(port: u16, os_range: EphemeralRange) -> PortComparison {
    // TODO: the port seen through both policies, as the doc comment and the fields' doc
    // comments say. Think about the edges: 49151/49152 for IANA, 32767/32768 and 60999/61000 for
    // Linux's default, both ends included. Read the chapter's "Ranges are policy". Stuck?
    // `cargo xtask hint 01`.
    todo!()
}

/// One sentence for each of the four cases.
impl fmt::Display for PortComparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let port = self.port;
        let iana = PortRange::Dynamic;
        let iana = format!("IANA's dynamic range {}-{}", iana.first(), iana.last());
        let os = format!("the OS's ephemeral range {}", self.os_range);
        match (self.in_iana_dynamic_range, self.in_os_ephemeral_range) {
            (true, true) => write!(
                f,
                "Port {port} is in {iana} and in {os}: it may well be a temporary port the OS handed out."
            ),
            (true, false) => write!(
                f,
                "Port {port} is in {iana} but not in {os}: this OS would not hand it out as a temporary port, so a program probably chose it itself. Ranges are policy."
            ),
            (false, true) => write!(
                f,
                "Port {port} is not in {iana} but is in {os}: this OS may hand it out as a temporary port, even though IANA lets services register it. Ranges are policy."
            ),
            (false, false) => write!(
                f,
                "Port {port} is neither in {iana} nor in {os}: this OS never hands it out as a temporary port."
            ),
        }
    }
}
