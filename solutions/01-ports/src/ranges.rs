//! Port ranges: the three blocks that the 65,536 ports are cut into.
//!
//! An IP address picks a *machine*; a port picks a *program* on that machine.
//! A port is a 16-bit unsigned number, a `u16` in Rust, so there are exactly
//! 65,536 of them: 0 to 65535. TCP and UDP each have their own set.
//!
//! Who may use which port is written down by IANA, the Internet Assigned
//! Numbers Authority, following RFC 6335, section 6. It cuts the ports into
//! three ranges:
//!
//! | range (IANA's name) | also known as        | ports       | how a port gets used                          |
//! |---------------------|----------------------|-------------|-----------------------------------------------|
//! | System Ports        | well-known ports     | 0–1023      | IANA assigns them to standard services        |
//! | User Ports          | registered ports     | 1024–49151  | IANA assigns them on request, after review    |
//! | Dynamic Ports       | private or ephemeral | 49152–65535 | never assigned: free for temporary use        |
//!
//! Why it matters: when you see a port, its range already tells you a story.
//! Port 443 is a System Port, so some standard service (HTTPS) owns it.
//! Port 62893 is a Dynamic Port: *no* service owns it, so the operating system
//! handed it out as a temporary port, or a program picked it for itself.
//!
//! Port 0 belongs to the System Ports, but IANA keeps it reserved: nothing
//! listens on it. In the sockets API, asking to listen on port 0 means
//! "give me any free port" (see the [`describe`](crate::describe) module).
//!
//! Rust helps here: a `match` on a `u16` must cover every value from 0 to
//! 65535, so the compiler checks that your three ranges leave no gap.

use std::fmt;

/// One of the three port ranges of RFC 6335, section 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortRange {
    /// System Ports, also called well-known ports: 0 to 1023.
    System,
    /// User Ports, also called registered ports: 1024 to 49151.
    User,
    /// Dynamic Ports, also called private or ephemeral ports: 49152 to 65535.
    Dynamic,
}

impl PortRange {
    /// The three ranges, from the lowest ports to the highest.
    pub const ALL: [PortRange; 3] = [PortRange::System, PortRange::User, PortRange::Dynamic];

    /// The range that `port` belongs to.
    ///
    /// Every `u16` belongs to exactly one range: `PortRange::of(22)` is
    /// [`PortRange::System`], `PortRange::of(62893)` is [`PortRange::Dynamic`].
    pub fn of(port: u16) -> PortRange {
        // BEGIN SOLUTION
        // A `match` on a u16 must cover 0..=65535: the compiler checks for gaps.
        match port {
            0..=1023 => PortRange::System,
            1024..=49151 => PortRange::User,
            49152..=65535 => PortRange::Dynamic,
        }
        // END SOLUTION
        // STUB: // TODO: return the range `port` is in, as the doc comment says. Think about the ports on
        // STUB: // both sides of each boundary (1023/1024, 49151/49152) and the two ends, 0 and 65535: every
        // STUB: // `u16` is in exactly one range. Read the chapter's "The three port ranges" (or RFC 6335,
        // STUB: // section 6). Let the compiler prove there is no gap. Stuck? `cargo xtask hint 01`.
        // STUB: todo!()
    }

    /// The lowest port in this range (0 for [`PortRange::System`]).
    pub fn first(self) -> u16 {
        // BEGIN SOLUTION
        match self {
            PortRange::System => 0,
            PortRange::User => 1024,
            PortRange::Dynamic => 49152,
        }
        // END SOLUTION
        // STUB: // TODO: the lowest port of each range, both ends of a range being in it (RFC 6335,
        // STUB: // section 6). Stuck? `cargo xtask hint 01`.
        // STUB: todo!()
    }

    /// The highest port in this range, included (65535 for [`PortRange::Dynamic`]).
    pub fn last(self) -> u16 {
        // BEGIN SOLUTION
        match self {
            PortRange::System => 1023,
            PortRange::User => 49151,
            PortRange::Dynamic => 65535,
        }
        // END SOLUTION
        // STUB: // TODO: the highest port of each range, included; it must agree with `of`. Stuck?
        // STUB: // `cargo xtask hint 01`.
        // STUB: todo!()
    }

    /// Whether `port` lies between [`first`](PortRange::first) and
    /// [`last`](PortRange::last), both included.
    pub fn contains(self, port: u16) -> bool {
        // BEGIN SOLUTION
        (self.first()..=self.last()).contains(&port)
        // END SOLUTION
        // STUB: // TODO: as the doc comment says, with both ends included: `System.contains(1023)` is
        // STUB: // true and `User.contains(1023)` is false. Reuse what you wrote above. Stuck?
        // STUB: // `cargo xtask hint 01`.
        // STUB: todo!()
    }

    /// IANA's name for the range, as RFC 6335 writes it: `"System Ports"`,
    /// `"User Ports"` or `"Dynamic Ports"`.
    pub fn name(self) -> &'static str {
        // BEGIN SOLUTION
        match self {
            PortRange::System => "System Ports",
            PortRange::User => "User Ports",
            PortRange::Dynamic => "Dynamic Ports",
        }
        // END SOLUTION
        // STUB: // TODO: the names of the doc comment, spelled exactly so: the paragraphs of `describe`
        // STUB: // print them. Stuck? `cargo xtask hint 01`.
        // STUB: todo!()
    }

    /// The range's everyday nickname: `"well-known"`, `"registered"` or
    /// `"private/ephemeral"`.
    pub fn nickname(self) -> &'static str {
        // BEGIN SOLUTION
        match self {
            PortRange::System => "well-known",
            PortRange::User => "registered",
            PortRange::Dynamic => "private/ephemeral",
        }
        // END SOLUTION
        // STUB: // TODO: the nicknames of the doc comment, spelled exactly so (the chapter's table of
        // STUB: // "The three port ranges" has them too). Stuck? `cargo xtask hint 01`.
        // STUB: todo!()
    }
}

/// Shows the name and the bounds, e.g. `System Ports (0-1023)`.
impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // BEGIN SOLUTION
        write!(f, "{} ({}-{})", self.name(), self.first(), self.last())
        // END SOLUTION
        // STUB: // TODO: write the text of the doc comment above, built from the methods you wrote. Read
        // STUB: // the std docs of `std::fmt` (the `write!` macro). Stuck? `cargo xtask hint 01`.
        // STUB: todo!()
    }
}
