//! Graded tests for `ruleset` and `allow_match` in `src/ruleset.rs`: the ruleset is loaded by
//! the real `nft` into a server of the test's own, and the client knocks on every service
//! from each of its addresses (the test's own knock, not the lab's probe).
//!
//! The policy of most tests: `web` for everyone, `ssh` from the admin block 198.51.100.0/25
//! (the client's 198.51.100.7 is in it, 198.51.100.200 is not) and 2001:db8::/120 (the same
//! for 2001:db8::7 and 2001:db8::1c8), `db` for nobody.

mod support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};

use lab11_firewall::policy::{Allow, Policy, Refusal};
use lab11_firewall::ruleset::ruleset;
use serde_json::Value;
use support::knock;
use support::lan::{ADMIN, ADMIN6, Lan, OTHER, OTHER6, SERVER, SERVER6};

/// The policy of most tests, with `refuse` for everything else.
fn office_policy(lan: &Lan, refuse: Refusal) -> Policy {
    Policy {
        allow: vec![
            Allow {
                port: lan.web.port,
                from: None,
            },
            Allow {
                port: lan.ssh.port,
                from: Some("198.51.100.0/25".parse().unwrap()),
            },
            Allow {
                port: lan.ssh.port,
                from: Some("2001:db8::/120".parse().unwrap()),
            },
        ],
        refuse,
    }
}

/// Loads the lab's ruleset for `policy` into the server, or fails saying what nft said.
fn load_policy(lan: &Lan, policy: &Policy) -> String {
    let rules = ruleset(policy);
    if let Err(said) = lan.load(&rules) {
        panic!(
            "nft refused the ruleset that ruleset() wrote for the policy {policy:?}.\n\
             nft said:\n{said}\n\nThe ruleset was:\n{rules}\n\
             Load it yourself as root in a namespace of your own: `nft -c -f FILE` checks a file \
             and names the line it cannot read (chapter 11, \"Chains, rules and the first match\")."
        );
    }
    rules
}

/// The rules of the server's ruleset as nft lists them, without their handles: what a
/// second load must leave unchanged.
fn rules_without_handles(json: &str) -> Vec<Value> {
    let json: Value = serde_json::from_str(json).expect("nft -j prints JSON");
    json["nftables"]
        .as_array()
        .expect("nft -j lists its objects under \"nftables\"")
        .iter()
        .filter_map(|object| object.get("rule").cloned())
        .map(|mut rule| {
            rule.as_object_mut().unwrap().remove("handle");
            rule
        })
        .collect()
}

#[test]
fn nft_loads_the_ruleset_of_every_policy() {
    let lan = Lan::build();
    let policies = [
        Policy {
            allow: vec![],
            refuse: Refusal::Drop,
        },
        office_policy(&lan, Refusal::Reset),
        office_policy(&lan, Refusal::Prohibit),
        Policy {
            allow: vec![Allow {
                port: lan.web.port,
                from: Some("198.51.100.7".parse().unwrap()),
            }],
            refuse: Refusal::Drop,
        },
    ];
    let mut lines = Vec::new();
    for policy in &policies {
        load_policy(&lan, policy);
        let json: Value = serde_json::from_str(&lan.ruleset_json()).unwrap();
        let objects = json["nftables"].as_array().unwrap();
        let has_table = objects.iter().any(|object| {
            object["table"]["family"] == "inet" && object["table"]["name"] == "lab11"
        });
        let input_chains = objects
            .iter()
            .filter(|object| {
                object["chain"]["table"] == "lab11" && object["chain"]["hook"] == "input"
            })
            .count();
        assert!(
            has_table && input_chains == 1,
            "after loading the ruleset of {policy:?}, the server should have the table `inet lab11` \
             with one base chain on the input hook; it has {} and {input_chains} such chain(s). \
             The ruleset was:\n{}",
            if has_table {
                "the table"
            } else {
                "no such table"
            },
            ruleset(policy)
        );
        lines.push(format!(
            "{policy:?}\n  nft loaded it: table inet lab11, one base chain on the input hook"
        ));
    }
    insta::assert_snapshot!(lan.named(&lines.join("\n")));
}

#[test]
fn loading_it_twice_leaves_one_copy_of_each_rule() {
    let lan = Lan::build();
    let policy = office_policy(&lan, Refusal::Reset);
    load_policy(&lan, &policy);
    let once = rules_without_handles(&lan.ruleset_json());
    load_policy(&lan, &policy);
    let twice = rules_without_handles(&lan.ruleset_json());
    assert_eq!(
        once.len(),
        twice.len(),
        "after a second load of the same ruleset, the server has {} rules instead of {}: loading \
         it again must replace the table's rules, not add a second copy. A ruleset file can \
         empty its own table before it fills it (chapter 11, \"Loading a ruleset again\").",
        twice.len(),
        once.len()
    );
    assert_eq!(once, twice, "a second load changed the rules");
    insta::assert_snapshot!("loaded twice: the same rules, one copy of each");
}

#[test]
fn lets_in_the_allowed_services_and_refuses_the_rest() {
    let lan = Lan::build();
    load_policy(&lan, &office_policy(&lan, Refusal::Reset));
    insta::assert_snapshot!(lan.matrix(&[ADMIN, OTHER]));
}

#[test]
fn refuses_as_the_policy_says() {
    let lan = Lan::build();
    let mut lines = Vec::new();
    for refuse in [Refusal::Drop, Refusal::Reset, Refusal::Prohibit] {
        load_policy(&lan, &office_policy(&lan, refuse));
        let found = lan.knock(ADMIN, lan.db.port);
        lines.push(format!(
            "{refuse:?}: a client knocking on db finds it {found}"
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn works_over_ipv6_too() {
    let lan = Lan::build();
    load_policy(&lan, &office_policy(&lan, Refusal::Prohibit));
    lan.forget_neighbours();
    let matrix = lan.matrix(&[ADMIN6, OTHER6]);
    assert!(
        matrix
            .lines()
            .next()
            .is_some_and(|web| web.matches(" open").count() == 2),
        "with your ruleset loaded, IPv6 clients cannot reach web, which the policy allows for \
         everyone:\n{matrix}\nBefore an IPv6 client can send its SYN, it must find the server's \
         link-layer address with neighbour discovery, which is ICMPv6: a ruleset that drops \
         ICMPv6 breaks every IPv6 connection (chapter 11, \"What a drop policy also drops\")."
    );
    insta::assert_snapshot!(matrix);
}

#[test]
fn keeps_loopback_working_on_the_server() {
    let lan = Lan::build();
    load_policy(&lan, &office_policy(&lan, Refusal::Reset));
    let port = lan.db.port;
    let found: Vec<String> = lan.server.run(|| {
        [
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]
        .into_iter()
        .map(|loopback| {
            format!(
                "{loopback} -> {loopback}:db {}",
                knock(loopback, SocketAddr::new(loopback, port))
            )
        })
        .collect()
    });
    insta::assert_snapshot!(format!(
        "on the server itself, which the policy does not mention:\n{}",
        found.join("\n")
    ));
}

#[test]
fn lets_in_the_answers_to_the_servers_own_connections() {
    let lan = Lan::build();
    load_policy(&lan, &office_policy(&lan, Refusal::Drop));
    let mut lines = Vec::new();
    for (client, server) in [(ADMIN, SERVER), (ADMIN6, SERVER6)] {
        // A service on the client; the server connects out to it, and its answers must get
        // back in through the server's firewall.
        let listener = lan
            .client
            .run(|| TcpListener::bind(SocketAddr::new(client, 0)))
            .unwrap_or_else(|error| {
                panic!("not run: the client cannot listen on {client} ({error})")
            });
        let target = listener
            .local_addr()
            .expect("a bound listener has an address");
        let found = lan.server.run(|| knock(server, target));
        lines.push(format!("the server connects out to {client}: {found}"));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn a_block_admits_sources_of_its_own_family_only() {
    let lan = Lan::build();
    let ssh_from = |block: &str| Policy {
        allow: vec![Allow {
            port: lan.ssh.port,
            from: Some(block.parse().unwrap()),
        }],
        refuse: Refusal::Reset,
    };
    let mut lines = Vec::new();
    for block in ["198.51.100.0/25", "2001:db8::/120"] {
        load_policy(&lan, &ssh_from(block));
        for from in [ADMIN, ADMIN6] {
            lines.push(format!(
                "ssh only from {block}: {from} finds it {}",
                lan.knock(from, lan.ssh.port)
            ));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}
