//! Graded tests for `src/describe.rs`: an endpoint's parts, classified and explained.

use insta::{assert_snapshot, with_settings};
use lab01_ports::describe::describe;

/// Endpoints a student meets in a terminal, each with a different story.
const ENDPOINTS: [&str; 24] = [
    "127.0.0.1:62893",
    "[::1]:8080",
    "0.0.0.0:80",
    "[::]:443",
    "192.168.1.10:443",
    "[::ffff:127.0.0.1]:62893",
    "10.0.0.1:0",
    "127.0.0.2:5432",
    "172.20.0.5:3306",
    "169.254.1.1:68",
    "[fe80::1]:22",
    "[fd12:3456::1]:6379",
    "224.0.0.251:5353",
    "192.0.2.7:4000",
    "198.51.100.1:8443",
    "203.0.113.9:53",
    "[2001:db8::1]:49152",
    "[3fff::1]:3389",
    "[::ffff:203.0.113.9]:587",
    "255.255.255.255:67",
    "[::ffff:255.255.255.255]:68",
    "8.8.8.8:53",
    "[2a00:1450::1]:465",
    "not-an-endpoint",
];

#[test]
fn classifies_each_part_of_an_endpoint() {
    let mut table = format!(
        "{:<28} {:<14} {:<8} {}\n",
        "endpoint", "scope", "range", "service"
    );
    for input in ENDPOINTS {
        let row = match describe(input) {
            Ok(description) => format!(
                "{:<14} {:<8} {}",
                format!("{:?}", description.scope),
                format!("{:?}", description.range),
                description.service.map_or("-", |service| service.name),
            ),
            Err(error) => format!("error {error:?}"),
        };
        table += &format!("{input:<28} {row}\n");
    }
    with_settings!({
        description => "describe(endpoint): the address's scope (scope_of), the port's range (PortRange::of) and its service (service_for). A parse error is returned as it is.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn explains_each_endpoint_in_one_paragraph() {
    let mut text = String::new();
    for input in ENDPOINTS {
        text += &format!("== {input}\n");
        match describe(input) {
            Ok(description) => {
                let paragraph = description.to_string();
                assert!(
                    !paragraph.contains('\n'),
                    "the description of {input} should be one paragraph, without line breaks"
                );
                text += &wrap(&paragraph, 100);
            }
            Err(error) => text += &format!("error: {error}\n"),
        }
    }
    with_settings!({
        description => "The paragraph written by Description's Display (given to you) from describe(endpoint). If this fails, first make `describe::classifies_each_part_of_an_endpoint` pass.",
    }, {
        assert_snapshot!(text);
    });
}

/// Breaks `text` into lines of at most `width` characters, at spaces, so that
/// a difference in a long paragraph shows up on a short line.
fn wrap(text: &str, width: usize) -> String {
    let mut wrapped = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            wrapped += &line;
            wrapped.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line += word;
    }
    wrapped += &line;
    wrapped.push('\n');
    wrapped
}
