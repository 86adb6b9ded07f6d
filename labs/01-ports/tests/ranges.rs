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
    }
}
