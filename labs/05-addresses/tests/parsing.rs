//! Graded tests for `src/parse.rs`: strict address parsing, with zones.

use std::net::{IpAddr, Ipv4Addr};

use insta::{assert_snapshot, with_settings};
use lab05_addresses::parse::{parse_address, parse_ipv4};

/// Text that is an address, in every form the parser must accept.
const VALID: [&str; 22] = [
    "0.0.0.0",
    "127.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "10.0.0.100",
    "::",
    "::1",
    "2001:db8::1",
    "2001:DB8:0:0:0:0:0:1",
    "2001:0db8:0000:0000:0000:0000:0000:0001",
    "1:2:3:4:5:6:7:8",
    "::ffff:1.2.3.4",
    "::FFFF:127.0.0.1",
    "::1.2.3.4",
    "64:ff9b::192.0.2.33",
    "fe80::1%eth0",
    "fe80::1%2",
    "fe80::1cc0:3e8c:119f:c2e1%wlp2s0",
    "fe80::1%eth0.100",
    "ff02::1%en0",
    "fe80::1%my_bridge~1",
    "2001:db8::1%eth0",
];

/// Text that is not an address, or that different programs read as different addresses.
const INVALID: [&str; 44] = [
    "",
    " 127.0.0.1",
    "127.0.0.1 ",
    "127.0.0.1\n",
    "127.0.0.1\t",
    "fe80::1%eth 0",
    "localhost",
    "2130706433",
    "127.1",
    "127.0.1",
    "1.2.3",
    "1.2.3.4.5",
    "1.2.3.4.",
    ".1.2.3",
    "1..2.3",
    "1.2.3.",
    "010.0.0.1",
    "127.0.0.01",
    "00.0.0.0",
    "0177.0.0.1",
    "0x7f.0.0.1",
    "+1.2.3.4",
    "1.2.3.-4",
    "1.2.3.4e0",
    "256.0.0.0",
    "1.2.3.1000",
    "99999999999.0.0.0",
    "١.٢.٣.٤",
    "[::1]",
    "[::1]:80",
    "10.0.0.0/8",
    "2001:db8::/32",
    "127.0.0.1%lo",
    "fe80::1%",
    "fe80::1%eth0%1",
    "fe80::1%eth:0",
    "fe80::1%éth0",
    "::1::",
    ":::1",
    "1:2:3:4:5:6:7:8:9",
    "12345::",
    "2001:db8::g",
    "::ffff:01.2.3.4",
    "::ffff:1.2.3",
];

#[test]
fn accepts_valid_addresses() {
    let mut table = format!(
        "{:<44} {:<4} {:<34} {}\n",
        "input", "ip", "address (Display)", "zone"
    );
    for input in VALID {
        let row = match parse_address(input) {
            Ok(address) => format!(
                "{:<4} {:<34} {}",
                if address.ip.is_ipv4() { "v4" } else { "v6" },
                address.to_string(),
                match &address.zone {
                    Some(zone) => format!("{zone:?}"),
                    None => "-".to_string(),
                }
            ),
            Err(error) => format!("unexpected error {error:?}: {error}"),
        };
        table += &format!("{:<44} {row}\n", format!("{input:?}"));
    }
    with_settings!({
        description => "parse_address(input) for valid addresses: IPv4 in strict dotted decimal, IPv6 read by the standard library (upper case and leading zeros are fine in IPv6), and a zone after % for IPv6 only. Display writes IPv6 the RFC 5952 way, then %zone.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn rejects_malformed_and_ambiguous_text() {
    let mut report = String::new();
    for input in INVALID {
        report += &format!("{input:?}\n");
        match parse_address(input) {
            Ok(address) => {
                report += &format!("  accepted as {address}, but it should be an error\n")
            }
            Err(error) => {
                report += &format!("  error:   {error:?}\n");
                report += &format!("  message: {error}\n");
            }
        }
    }
    with_settings!({
        description => "parse_address(input) for text that is not an address, or that some programs read differently (127.1, 010.0.0.1, 0x7f.0.0.1). The checks run in the order of parse_address's and parse_ipv4's doc comments; a variant's String holds the offending piece exactly as written.",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn ipv4_agrees_with_the_standard_library() {
    // Every way of writing one part with one to three digits, leading zeros included
    // ("7", "07", "007", …), and a few numbers too large for a byte, in each of the four places.
    let mut parts: Vec<String> = (0..=999)
        .flat_map(|n: u32| {
            [
                n.to_string(),
                format!("{n:02}"),
                format!("{n:03}"),
                format!("{n:04}"),
            ]
        })
        .collect();
    parts.extend(["1000", "65535", "4294967296", "-0", "+0", "1_0", "٣"].map(String::from));
    parts.sort();
    parts.dedup();
    let mut checked = 0;
    let mut tally = Tally::default();
    for part in &parts {
        for position in 0..4 {
            let mut pieces = ["192", "0", "2", "1"];
            pieces[position] = part;
            let text = pieces.join(".");
            tally.add(compare_with_std(&text));
            checked += 1;
        }
    }
    let mut from_the_tables = Tally::default();
    for text in INVALID.iter().chain(VALID.iter()) {
        if !text.contains(':') && !text.contains('%') {
            from_the_tables.add(compare_with_std(text));
        }
    }
    assert!(
        checked > 4000,
        "the test should have compared thousands of texts"
    );
    let mut report = String::from("parse_ipv4(text) next to text.parse::<Ipv4Addr>()\n");
    report += &format!(
        "{checked} texts: each of the {} ways to write a part put in each of the 4 places of 192.0.2.1\n",
        parts.len()
    );
    report += &tally.to_string();
    report += &format!(
        "{} texts: the ones of VALID and INVALID without : or %\n",
        from_the_tables.total()
    );
    report += &from_the_tables.to_string();
    with_settings!({
        description => "parse_ipv4(text) accepts exactly the texts Ipv4Addr's FromStr accepts, with the same address; parse_address gives that address with no zone.",
    }, {
        assert_snapshot!(report);
    });
}

/// How `parse_ipv4` and the standard library answered one text.
enum Agreement {
    /// Both accept it, with the same address, and parse_address gives that address with no zone.
    SameAddress,
    /// Both refuse it.
    BothRefuse,
    /// One accepts it and the other refuses it, or they read different addresses.
    Disagree,
}

/// How many texts ended each way.
#[derive(Default)]
struct Tally {
    same_address: usize,
    both_refuse: usize,
    disagree: usize,
}

impl Tally {
    fn add(&mut self, agreement: Agreement) {
        match agreement {
            Agreement::SameAddress => self.same_address += 1,
            Agreement::BothRefuse => self.both_refuse += 1,
            Agreement::Disagree => self.disagree += 1,
        }
    }

    fn total(&self) -> usize {
        self.same_address + self.both_refuse + self.disagree
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "  both accept, same address   {}", self.same_address)?;
        writeln!(f, "  both refuse                 {}", self.both_refuse)?;
        writeln!(f, "  disagree                    {}", self.disagree)
    }
}

/// `parse_ipv4(text)` must accept exactly what `text.parse::<Ipv4Addr>()` accepts, with the
/// same value; `parse_address` must then agree with both.
fn compare_with_std(text: &str) -> Agreement {
    let std = text.parse::<Ipv4Addr>();
    let ours = parse_ipv4(text);
    let agreement = match (&ours, &std) {
        (Ok(ours), Ok(std)) => {
            assert_eq!(
                ours, std,
                "parse_ipv4({text:?}) returned {ours}, but the standard library reads {std}"
            );
            if ours == std {
                Agreement::SameAddress
            } else {
                Agreement::Disagree
            }
        }
        (Err(_), Err(_)) => Agreement::BothRefuse,
        (Ok(ours), Err(_)) => panic!(
            "parse_ipv4({text:?}) accepted it as {ours}, but it is not strict dotted decimal \
             (the standard library refuses it too): check the rules in parse_ipv4's doc comment"
        ),
        (Err(error), Ok(std)) => {
            panic!("parse_ipv4({text:?}) returned {error:?}, but it is the valid address {std}")
        }
    };
    if let Ok(std) = std {
        let address = parse_address(text).unwrap_or_else(|error| {
            panic!("parse_address({text:?}) returned {error:?}, but it is the valid address {std}")
        });
        let parsed = (address.ip, address.zone);
        assert_eq!(
            parsed,
            (IpAddr::V4(std), None),
            "parse_address({text:?}) should give {std} and no zone"
        );
        if parsed != (IpAddr::V4(std), None) {
            return Agreement::Disagree;
        }
    }
    agreement
}
