//! Graded tests for `src/hosts.rs`: reading /etc/hosts and nsswitch.conf the way the C
//! library does, from texts of the test's own (no file of this machine is read).

use std::net::IpAddr;

use lab14_names::hosts::{Source, parse_hosts, parse_nsswitch_hosts};

/// A hosts file with what real ones have: tabs, comments, several names, both families, a
/// name on two lines, and lines that are not entries.
const HOSTS: &str = "# /etc/hosts of a lab machine
127.0.0.1\tlocalhost
::1\t\tlocalhost ip6-localhost ip6-loopback

198.51.100.80   web.lab14.test web     # the web server
2001:db8::80    web.lab14.test web
198.51.100.81   WWW.Lab14.Test
   # an indented comment
this-is-not-an-address  name
198.51.100.82
198.51.100.300  bad.lab14.test
198.51.100.80   web.lab14.test
";

fn addresses(found: &[IpAddr]) -> String {
    if found.is_empty() {
        return "(none)".into();
    }
    found
        .iter()
        .map(IpAddr::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn reads_names_and_addresses_of_each_line() {
    let hosts = parse_hosts(HOSTS);
    let lines: Vec<String> = hosts
        .entries
        .iter()
        .map(|entry| format!("{:15} {}", entry.address.to_string(), entry.names.join(" ")))
        .collect();
    assert_eq!(
        hosts.entries.len(),
        6,
        "the hosts file below has 6 entries (an address then names), but parse_hosts found {}:\n{}\n\nthe file:\n{HOSTS}",
        hosts.entries.len(),
        lines.join("\n")
    );
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn skips_and_reports_lines_it_cannot_read() {
    let hosts = parse_hosts(HOSTS);
    let lines: Vec<String> = hosts
        .skipped
        .iter()
        .map(|line| format!("line {}: {:?}", line.number, line.text))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn looks_names_up_case_insensitively_in_file_order() {
    let hosts = parse_hosts(HOSTS);
    let lines: Vec<String> = [
        "localhost",
        "web",
        "web.lab14.test",
        "WEB.lab14.TEST.",
        "www.lab14.test",
        "ip6-loopback",
        "name",
        "nothere.lab14.test",
    ]
    .iter()
    .map(|name| format!("{name:20} {}", addresses(&hosts.lookup(name))))
    .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

/// `files, mdns4_minimal [NotFound=Return], dns`
fn describe(sources: Option<Vec<Source>>) -> String {
    let Some(sources) = sources else {
        return "no hosts line".into();
    };
    sources
        .iter()
        .map(|source| {
            if source.actions.is_empty() {
                return source.name.clone();
            }
            let actions: Vec<String> = source
                .actions
                .iter()
                .map(|(status, action)| format!("{status:?}={action:?}"))
                .collect();
            format!("{} [{}]", source.name, actions.join(" "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn reads_the_sources_of_the_hosts_line_in_nsswitch() {
    let files = [
        "passwd:         files\ngroup:          files\nhosts:          files mdns4_minimal [NOTFOUND=return] dns\nnetworks:       files\n",
        "hosts: files dns[NOTFOUND=return] myhostname\n",
        "hosts:\tfiles [notfound=RETURN success=Continue] dns   # then DNS\n",
        "# hosts: dns\nhosts: dns files\n",
        "passwd: files\n",
    ];
    let lines: Vec<String> = files
        .iter()
        .map(|text| {
            let hosts_line = text
                .lines()
                .find(|line| line.starts_with("hosts:"))
                .unwrap_or("(no hosts: line)");
            format!(
                "{hosts_line}\n  -> {}",
                describe(parse_nsswitch_hosts(text))
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}
