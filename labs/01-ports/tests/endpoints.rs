//! Graded tests for `src/endpoint.rs`: reading endpoint text into a `SocketAddr`.

use std::net::SocketAddr;

use insta::{assert_snapshot, with_settings};
use lab01_ports::endpoint::parse_endpoint;

/// Endpoints that must be accepted.
const VALID: [&str; 18] = [
    "127.0.0.1:62893",
    "127.0.0.1:0",
    "127.0.0.1:65535",
    "127.0.0.2:5432",
    "0.0.0.0:80",
    "192.168.1.10:443",
    "10.0.0.1:0",
    "255.255.255.255:9",
    "127.0.0.1:080",
    "[::1]:8080",
    "[::]:80",
    "[::ffff:127.0.0.1]:62893",
    "[fe80::1]:22",
    "[fe80::1%2]:22",
    "[fe80::1%0]:22",
    "[2001:db8::1]:443",
    "[fd00::1]:53",
    "[0:0:0:0:0:0:0:1]:8080",
];

/// Text that is not an endpoint, one or more examples of each mistake.
const INVALID: [&str; 34] = [
    "",
    " 127.0.0.1:80",
    "127.0.0.1:80\n",
    "http://127.0.0.1:80",
    "127.0.0.1",
    "127.0.0.1:",
    ":80",
    "127.0.0.1:http",
    "127.0.0.1:-1",
    "127.0.0.1:+80",
    "127.0.0.1: 80",
    "127.0.0.1:65536",
    "127.0.0.1:99999999999",
    "localhost:80",
    "example.com:443",
    "256.1.1.1:80",
    "127.1:80",
    "127.0.0.01:80",
    "::1:8080",
    "::1",
    "[::1:8080",
    "[::1]",
    "[::1]:",
    "[::1]8080",
    "[]:80",
    "[::g]:80",
    "[127.0.0.1]:80",
    "::1]:80",
    "127.0.0.1:[80]",
    "[::1]:65536",
    "[::1]:http",
    "[fe80::1%eth0]:22",
    "[fe80::1%]:22",
    "[fe80::1%+2]:22",
];

#[test]
fn parses_valid_endpoints() {
    let mut table = format!(
        "{:<26} {:<4} {:<16} {:<6} {}\n",
        "input", "ip", "address", "port", "Display"
    );
    for input in VALID {
        let row = match parse_endpoint(input) {
            Ok(endpoint) => format!(
                "{:<4} {:<16} {:<6} {endpoint}",
                if endpoint.is_ipv4() { "v4" } else { "v6" },
                endpoint.ip().to_string(),
                endpoint.port(),
            ),
            Err(error) => format!("unexpected error {error:?}"),
        };
        table += &format!("{:<26} {row}\n", format!("{input:?}"));
    }
    with_settings!({
        description => "parse_endpoint(input) for valid endpoints. IPv4 is address:port, IPv6 is [address]:port; the address parts are parsed with Ipv4Addr/Ipv6Addr's FromStr.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn rejects_invalid_endpoints_with_the_right_error() {
    let mut report = String::new();
    for input in INVALID {
        report += &format!("{input:?}\n");
        match parse_endpoint(input) {
            Ok(endpoint) => {
                report += &format!("  accepted as {endpoint}, but it should be an error\n")
            }
            Err(error) => {
                report += &format!("  error:   {error:?}\n");
                report += &format!("  message: {error}\n");
            }
        }
    }
    with_settings!({
        description => "parse_endpoint(input) for text that is not an endpoint: each mistake has its own EndpointError variant. The checks must run in the order listed in parse_endpoint's doc comment; a variant's String holds the offending piece exactly as written.",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn agrees_with_the_standard_library() {
    let (mut same_ipv4, mut same_ipv6, mut both_reject) = (0, 0, 0);
    for input in VALID.into_iter().chain(INVALID) {
        let ours = parse_endpoint(input);
        let std = input.parse::<SocketAddr>();
        match (&ours, &std) {
            (Ok(ours), Ok(std)) => {
                assert_eq!(
                    ours, std,
                    "parse_endpoint({input:?}) returned {ours}, but the standard library reads {std}: \
                     check which part you took as the address and which as the port"
                );
                match ours {
                    SocketAddr::V4(_) if ours == std => same_ipv4 += 1,
                    SocketAddr::V6(_) if ours == std => same_ipv6 += 1,
                    _ => {}
                }
            }
            (Err(_), Err(_)) => both_reject += 1,
            (Ok(ours), Err(_)) => panic!(
                "parse_endpoint({input:?}) accepted it as {ours}, but it is not a valid endpoint \
                 (the standard library rejects it too)"
            ),
            (Err(error), Ok(std)) => panic!(
                "parse_endpoint({input:?}) returned {error:?}, but it is the valid endpoint {std}"
            ),
        }
    }
    let mut summary = format!(
        "parse_endpoint(text) next to text.parse::<SocketAddr>(), for {} texts\n",
        VALID.len() + INVALID.len()
    );
    summary += &format!(
        "  both accept, same endpoint   {} ({same_ipv4} IPv4, {same_ipv6} IPv6)\n",
        same_ipv4 + same_ipv6
    );
    summary += &format!("  both reject                  {both_reject}\n");
    with_settings!({
        description => "parse_endpoint(text) accepts exactly the endpoints the standard library's SocketAddr parser accepts, with the same address and port.",
    }, {
        assert_snapshot!(summary);
    });
}
