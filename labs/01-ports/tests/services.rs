//! Graded tests for `src/services.rs`: looking up the table of well-known services.

use insta::{assert_snapshot, with_settings};
use lab01_ports::services::{WELL_KNOWN_SERVICES, port_of, service_for};

/// Famous ports, and a few that the table does not list (0, 1023, 2222, 49152, 62893, 65535).
const PORTS: [u16; 34] = [
    0, 20, 21, 22, 23, 25, 53, 67, 68, 80, 110, 123, 143, 161, 389, 443, 465, 587, 636, 993, 995,
    1023, 2222, 3306, 3389, 5353, 5432, 6379, 8080, 8443, 27017, 49152, 62893, 65535,
];

/// Service names written the way people type them, and a few that are not IANA's names.
const NAMES: [&str; 20] = [
    "ssh",
    "SSH",
    "Https",
    "http",
    "domain",
    "DNS",
    "postgresql",
    "REDIS",
    "http-alt",
    "pcsync-https",
    "https-alt",
    "bootps",
    "dhcp server",
    "ftp-data",
    "ms-wbt-server",
    "Submissions",
    "gopher",
    "",
    "http ",
    "22",
];

#[test]
fn names_common_ports() {
    let mut table = String::from("port   service_for(port): name, known_as\n");
    for port in PORTS {
        let row = service_for(port).map_or("-".to_string(), |service| {
            format!("{:<14} {}", service.name, service.known_as)
        });
        table += &format!("{port:<6} {row}\n");
    }
    with_settings!({
        description => "service_for(port) for common ports: the name (IANA's) and known_as of the entry found; `-` means None. The entry is the one of WELL_KNOWN_SERVICES whose `port` field equals the port.",
    }, {
        assert_snapshot!(table);
    });

    for service in WELL_KNOWN_SERVICES {
        assert_eq!(
            service_for(service.port),
            Some(service),
            "service_for({}) should return the {} entry of WELL_KNOWN_SERVICES",
            service.port,
            service.name
        );
    }
}

#[test]
fn finds_the_port_of_a_service_by_name() {
    let mut table = String::from("name             port_of(name)\n");
    for name in NAMES {
        let port = port_of(name).map_or("-".to_string(), |port| port.to_string());
        table += &format!("{:<16} {port}\n", format!("{name:?}"));
    }
    with_settings!({
        description => "port_of(name) compares IANA's service name only (\"domain\", not \"DNS\") and ignores upper and lower case but nothing else (no trimming); `-` means None.",
    }, {
        assert_snapshot!(table);
    });

    for service in WELL_KNOWN_SERVICES {
        for name in [
            service.name.to_string(),
            service.name.to_uppercase(),
            service.name.to_lowercase(),
        ] {
            assert_eq!(
                port_of(&name),
                Some(service.port),
                "port_of({name:?}) should be Some({}): upper and lower case must not matter",
                service.port
            );
        }
    }
}
