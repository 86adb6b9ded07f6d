//! Every program outside Rust that the labs, the grader and the course's own tests start, who
//! needs it, and the package that provides it on each system.
//!
//! This table is the one list: `cargo xtask doctor` checks it, `doctor --install` installs
//! from it, `.ci/run` installs with it, and the grader image (`deploy/Dockerfile`) is checked
//! against `doctor --packages apt`.

/// The package that provides a tool, per package manager; `None` where the system has no
/// such package (the tool is Linux's own, or comes with the system's compiler tools).
#[derive(Clone, Copy, Debug)]
pub struct Packages {
    pub apt: Option<&'static str>,
    pub dnf: Option<&'static str>,
    pub pacman: Option<&'static str>,
    pub brew: Option<&'static str>,
}

impl Packages {
    const fn everywhere(name: &'static str) -> Packages {
        Packages {
            apt: Some(name),
            dnf: Some(name),
            pacman: Some(name),
            brew: Some(name),
        }
    }
}

/// A program the course starts.
#[derive(Clone, Copy, Debug)]
pub struct Tool {
    /// The names it may have on the `PATH`; the first one found is used.
    pub commands: &'static [&'static str],
    /// What needs it, for a person deciding whether to install it.
    pub needed_for: &'static str,
    pub packages: Packages,
    /// A tool that exists only on Linux (namespaces, the sandbox).
    pub linux_only: bool,
    /// Text its `-h` output must contain: the variant the tests need (OpenBSD's `nc`).
    pub help_mentions: Option<&'static str>,
}

impl Tool {
    pub fn name(&self) -> &'static str {
        self.commands[0]
    }
}

pub const TOOLS: &[Tool] = &[
    Tool {
        commands: &["bwrap"],
        needed_for: "grading: the sandbox every test and build runs in",
        packages: Packages {
            brew: None,
            ..Packages::everywhere("bubblewrap")
        },
        linux_only: true,
        help_mentions: None,
    },
    Tool {
        commands: &["nc"],
        needed_for: "labs 04 and 06: a real client for your echo servers",
        packages: Packages {
            apt: Some("netcat-openbsd"),
            dnf: Some("netcat"),
            pacman: Some("openbsd-netcat"),
            brew: Some("netcat"),
        },
        linux_only: false,
        help_mentions: Some("OpenBSD"),
    },
    Tool {
        commands: &["ip"],
        needed_for: "labs 03, 08, 11, 12, 13 and 14: hosts of your own (network namespaces)",
        packages: Packages {
            apt: Some("iproute2"),
            dnf: Some("iproute"),
            pacman: Some("iproute2"),
            brew: None,
        },
        linux_only: true,
        help_mentions: None,
    },
    Tool {
        commands: &["nft"],
        needed_for: "labs 11, 12 and 13: the firewall your rulesets load into, a lossy link, a dropped port (nftables)",
        packages: Packages {
            brew: None,
            ..Packages::everywhere("nftables")
        },
        linux_only: true,
        help_mentions: None,
    },
    Tool {
        commands: &["tc"],
        needed_for: "lab 12: a slow, reordering link between your hosts (traffic control)",
        packages: Packages {
            apt: Some("iproute2"),
            dnf: Some("iproute-tc"),
            pacman: Some("iproute2"),
            brew: None,
        },
        linux_only: true,
        help_mentions: None,
    },
    Tool {
        commands: &["tcpdump"],
        needed_for: "lab 13: reads the capture files you write (tcpdump -r)",
        packages: Packages::everywhere("tcpdump"),
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &["dnsmasq"],
        needed_for: "lab 14: the DNS server your resolver asks",
        packages: Packages {
            apt: Some("dnsmasq-base"),
            ..Packages::everywhere("dnsmasq")
        },
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &["curl"],
        needed_for: "lab 07: a real client for your web server",
        packages: Packages::everywhere("curl"),
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &[
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ],
        needed_for: "lab 07: a browser loads your page; the book's tests",
        packages: Packages {
            brew: Some("--cask chromium"),
            ..Packages::everywhere("chromium")
        },
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &["openssl"],
        needed_for: "lab 09: openssl s_client talks TLS to your server",
        packages: Packages::everywhere("openssl"),
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &["git"],
        needed_for: "`cargo xtask reset`: a lab's starting code from the history",
        packages: Packages::everywhere("git"),
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &["node"],
        needed_for: "`cargo xtask similarity` runs Dolos",
        packages: Packages {
            brew: Some("node"),
            ..Packages::everywhere("nodejs")
        },
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &["npm"],
        needed_for: "`cargo xtask similarity` installs Dolos",
        packages: Packages {
            brew: Some("node"),
            ..Packages::everywhere("npm")
        },
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &["g++"],
        needed_for: "`cargo xtask similarity`: Dolos compiles its Rust parser",
        packages: Packages {
            apt: Some("g++"),
            dnf: Some("gcc-c++"),
            pacman: Some("gcc"),
            brew: None,
        },
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &["make"],
        needed_for: "`cargo xtask similarity`: Dolos compiles its Rust parser",
        packages: Packages {
            brew: None,
            ..Packages::everywhere("make")
        },
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &["python3"],
        needed_for: "`cargo xtask similarity`: Dolos compiles its Rust parser",
        packages: Packages {
            apt: Some("python3"),
            dnf: Some("python3"),
            pacman: Some("python"),
            brew: Some("python"),
        },
        linux_only: false,
        help_mentions: None,
    },
    Tool {
        commands: &["jq"],
        needed_for: "`cargo test`: the GitHub Classroom workflow's test",
        packages: Packages::everywhere("jq"),
        linux_only: false,
        help_mentions: None,
    },
];
