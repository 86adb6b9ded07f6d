//! Graded tests for `src/ranges.rs`: the three port ranges of RFC 6335.

use insta::{assert_snapshot, with_settings};
use lab01_ports::ranges::PortRange;

/// The ports on either side of every boundary, plus a few famous ones.
const PORTS: [u16; 15] = [
    0, 1, 21, 22, 80, 443, 1023, 1024, 1025, 3306, 8080, 49151, 49152, 62893, 65535,
];

#[test]
fn classifies_the_boundaries() {
    let mut table = String::from("port   PortRange::of(port)\n");
    for port in PORTS {
        table += &format!("{port:<6} {:?}\n", PortRange::of(port));
    }
    with_settings!({
        description => "PortRange::of(port) for ports on both sides of each boundary. System is 0-1023, User is 1024-49151, Dynamic is 49152-65535: look at 1023/1024 and 49151/49152 first.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn every_port_is_in_exactly_one_range() {
    let expected_bounds = [
        (PortRange::System, 0, 1023),
        (PortRange::User, 1024, 49151),
        (PortRange::Dynamic, 49152, 65535),
    ];
    for (range, first, last) in expected_bounds {
        assert_eq!(
            (range.first(), range.last()),
            (first, last),
            "{range:?}.first() and {range:?}.last() should be {first} and {last} (RFC 6335, section 6)"
        );
    }

    let mut ports_of = [0u32; 3];
    let mut ports_contained = [0u32; 3];
    let mut in_exactly_one = 0u32;
    let mut of_agrees = 0u32;
    for port in 0..=u16::MAX {
        let containing: Vec<PortRange> = PortRange::ALL
            .into_iter()
            .filter(|range| range.contains(port))
            .collect();
        assert_eq!(
            containing.len(),
            1,
            "port {port} should be in exactly one range, but contains() says it is in {containing:?}: \
             check that contains() includes both first() and last()"
        );
        let range = PortRange::of(port);
        assert!(
            range.contains(port),
            "PortRange::of({port}) is {range:?}, but {range:?}.contains({port}) is false: \
             of() and contains() disagree"
        );
        in_exactly_one += u32::from(containing.len() == 1);
        of_agrees += u32::from(range.contains(port));
        for (index, each) in PortRange::ALL.into_iter().enumerate() {
            ports_of[index] += u32::from(range == each);
            ports_contained[index] += u32::from(containing.contains(&each));
        }
    }

    let mut table = format!(
        "{:<8} {:<8} {:<7} {:<22} {}\n",
        "range", "first()", "last()", "ports with of(port)", "ports with contains(port)"
    );
    for (index, range) in PortRange::ALL.into_iter().enumerate() {
        table += &format!(
            "{:<8} {:<8} {:<7} {:<22} {}\n",
            format!("{range:?}"),
            range.first(),
            range.last(),
            ports_of[index],
            ports_contained[index]
        );
    }
    table += &format!(
        "\n{:<8} {:<14} {:<18} {}\n",
        "range", "name()", "nickname()", "Display"
    );
    for range in PortRange::ALL {
        table += &format!(
            "{:<8} {:<14} {:<18} {range}\n",
            format!("{range:?}"),
            range.name(),
            range.nickname()
        );
    }
    table += &format!(
        "\n{} ports: contains() puts {in_exactly_one} in exactly one range; \
         PortRange::of(port).contains(port) holds for {of_agrees}\n",
        u32::from(u16::MAX) + 1
    );
    with_settings!({
        description => "first() and last() of each range, and how many of the 65536 ports PortRange::of puts in it and its contains() accepts: 1024 System, 48128 User, 16384 Dynamic. Then each range's name(), nickname() and Display, spelled as their doc comments say.",
    }, {
        assert_snapshot!(table);
    });
}
