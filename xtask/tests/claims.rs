//! What the book teaches agrees with the code that grades it. The concepts page and the
//! chapters restate facts that the reference solutions hold in code (lab 05's copy of IANA's
//! special-purpose registries, lab 01's services); when one side is updated and the other is
//! not, a student is taught one thing and graded on another. Each test reads both sides.

mod support;

use std::fs;

use support::repo;

/// Every `entry("PREFIX", …, Kind::KIND)` line of lab 05's registry, as (prefix, kind).
fn registry_entries() -> Vec<(String, String)> {
    let source = fs::read_to_string(repo().join("solutions/05-addresses/src/registry.rs")).unwrap();
    source
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("entry(\"")?;
            let prefix = &rest[..rest.find('"')?];
            let kind = rest
                .rsplit("Kind::")
                .next()?
                .trim_end_matches([')', ',', ' ']);
            Some((prefix.to_string(), kind.to_string()))
        })
        .collect()
}

/// The row of the concepts page's table of special blocks whose first cell is `scope`.
fn concepts_row(scope: &str) -> String {
    let page = fs::read_to_string(repo().join("book/src/concepts/addresses-and-ports.md")).unwrap();
    let start = format!("| {scope} |");
    page.lines()
        .find(|line| line.starts_with(&start))
        .unwrap_or_else(|| panic!("the concepts page has no table row `{start}`"))
        .to_string()
}

#[test]
fn the_concepts_page_lists_every_block_lab_05s_registry_gives_its_scopes() {
    let entries = registry_entries();
    assert!(
        entries.len() > 40,
        "read only {} entries from lab 05's registry: has its layout changed?",
        entries.len()
    );
    let scopes = [
        ("Loopback", "loopback"),
        ("Unspecified", "unspecified"),
        ("Private", "private"),
        ("UniqueLocal", "private"),
        ("LinkLocal", "link-local"),
        ("Documentation", "documentation"),
    ];
    let mut missing = Vec::new();
    for (kind, scope) in scopes {
        let row = concepts_row(scope);
        for (prefix, _) in entries.iter().filter(|(_, entry_kind)| entry_kind == kind) {
            // A single address is written without its /32 or /128 on the page.
            let written = prefix.trim_end_matches("/128").trim_end_matches("/32");
            let address_only =
                prefix.ends_with("/128") || prefix.ends_with("/32") && !prefix.contains(':');
            let shown = if address_only {
                written
            } else {
                prefix.as_str()
            };
            if !row.contains(&format!("`{shown}`")) {
                missing.push(format!("{scope}: {prefix}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "the concepts page's table of special blocks lacks blocks that lab 05's registry has: {missing:?}"
    );
}

/// Every `Service { port: N, name: "NAME", … }` row of lab 01's table, as (port, name).
fn lab_01_services() -> Vec<(u16, String)> {
    let source = fs::read_to_string(repo().join("solutions/01-ports/src/services.rs")).unwrap();
    source
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("Service { port:")?;
            let (port, rest) = rest.split_once(',')?;
            let name = rest.split_once("name: \"")?.1.split_once('"')?.0;
            Some((port.trim().parse().ok()?, name.to_string()))
        })
        .collect()
}

#[test]
fn lab_01_names_each_service_as_the_systems_copy_of_iana_s_registry_does() {
    // Debian's netbase keeps /etc/services from IANA's Service Name and Transport Protocol
    // Port Number Registry: a service's name there (or one of its aliases, as 143's imap is
    // to imap2) must be the name lab 01 teaches. Ports netbase leaves out are not checked.
    let services = fs::read_to_string("/etc/services").unwrap_or_else(|error| {
        panic!(
            "this test reads /etc/services ({error}): install netbase (Debian) or its equivalent"
        )
    });
    let table = lab_01_services();
    assert!(
        table.len() > 20,
        "read only {} services from lab 01's table",
        table.len()
    );
    let mut wrong = Vec::new();
    for (port, name) in &table {
        let listed: Vec<Vec<&str>> = services
            .lines()
            .map(|line| line.split('#').next().unwrap_or_default())
            .map(|line| line.split_whitespace().collect::<Vec<_>>())
            .filter(|fields| {
                fields.len() >= 2
                    && (fields[1] == format!("{port}/tcp") || fields[1] == format!("{port}/udp"))
            })
            .collect();
        if listed.is_empty() {
            continue;
        }
        let known = listed
            .iter()
            .any(|fields| fields[0] == name || fields[2..].contains(&name.as_str()));
        if !known {
            wrong.push(format!(
                "{port}: lab 01 says {name}, /etc/services says {:?}",
                listed[0]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "lab 01's service names differ from IANA's: {wrong:#?}"
    );
}
