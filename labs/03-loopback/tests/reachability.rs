//! Graded tests for `src/reachability.rs` and `predict_matrix` in `src/matrix.rs`:
//! reachability worked out on paper, without sending a packet.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use insta::{assert_snapshot, with_settings};
use lab03_loopback::matrix::predict_matrix;
use lab03_loopback::outcome::Outcome;
use lab03_loopback::reachability::{
    Host, HostAddresses, Vantage, accepts, dial_address, loopback_same_family_as, predict,
};

/// The server host of the two-host network.
const SERVER_HOST: HostAddresses = HostAddresses {
    ipv4: Ipv4Addr::new(198, 51, 100, 1),
    ipv6: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
};

/// Another server host, to check that the functions use the addresses they are given.
const ANOTHER_HOST: HostAddresses = HostAddresses {
    ipv4: Ipv4Addr::new(198, 51, 100, 77),
    ipv6: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x77),
};

/// The addresses a server on the server host may listen on, as in the matrix.
fn binds() -> Vec<IpAddr> {
    [
        "127.0.0.1",
        "127.0.0.2",
        "0.0.0.0",
        "198.51.100.1",
        "::1",
        "::",
    ]
    .into_iter()
    .map(|text| text.parse().expect("the test's addresses are valid"))
    .collect()
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("the test's addresses are valid")
}

#[test]
fn knows_each_vantage_host_and_address_family() {
    let mut table = String::from("vantage.host()\n");
    for (vantage, host) in [
        (Vantage::SameHostViaLoopback, Host::Server),
        (Vantage::SameHostViaExternalAddress, Host::Server),
        (Vantage::OtherHost, Host::Client),
    ] {
        let answer = vantage.host();
        assert_eq!(
            answer,
            host,
            "a client at {vantage:?} ({}) runs on {host}",
            vantage.label()
        );
        table += &format!("  {:<46} {answer}\n", format!("{vantage:?}"));
    }
    table += "loopback_same_family_as(ip)\n";
    for (given, loopback) in [
        ("127.0.0.2", "127.0.0.1"),
        ("198.51.100.1", "127.0.0.1"),
        ("0.0.0.0", "127.0.0.1"),
        ("::", "::1"),
        ("2001:db8::1", "::1"),
    ] {
        let answer = loopback_same_family_as(ip(given));
        assert_eq!(
            answer,
            ip(loopback),
            "loopback_same_family_as({given}) should be {loopback}: the standard loopback address of its family"
        );
        table += &format!("  {given:<46} {answer}\n");
    }
    table += "host.same_family_as(ip), for a host with two addresses\n";
    for (host, given, external) in [
        (SERVER_HOST, "127.0.0.1", "198.51.100.1"),
        (SERVER_HOST, "::1", "2001:db8::1"),
        (ANOTHER_HOST, "0.0.0.0", "198.51.100.77"),
        (ANOTHER_HOST, "::", "2001:db8::77"),
    ] {
        let answer = host.same_family_as(ip(given));
        assert_eq!(
            answer,
            ip(external),
            "for a host with the addresses {} and {}, same_family_as({given}) should be {external}",
            host.ipv4,
            host.ipv6
        );
        table += &format!(
            "  {:<46} {answer}\n",
            format!("host {} and {}, {given}", host.ipv4, host.ipv6)
        );
    }
    with_settings!({
        description => "Vantage::host (the machine a client at that vantage runs on), loopback_same_family_as (127.0.0.1 or ::1) and HostAddresses::same_family_as (the host's external address of the same family as the address given).",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn picks_the_address_each_client_dials() {
    let mut table = String::new();
    for (name, server) in [
        ("198.51.100.1", SERVER_HOST),
        ("198.51.100.77", ANOTHER_HOST),
    ] {
        table += &format!("server host {name}\n");
        table += &format!("  {:<14}", "listening on");
        for vantage in Vantage::ALL {
            table += &format!(" {:<36}", vantage.label());
        }
        table = table.trim_end().to_string() + "\n";
        let mut rows = binds();
        for extra in [
            ip("127.0.0.3"),
            IpAddr::V4(server.ipv4),
            IpAddr::V6(server.ipv6),
        ] {
            if !rows.contains(&extra) {
                rows.push(extra);
            }
        }
        for bind in rows {
            table += &format!("  {:<14}", bind.to_string());
            for vantage in Vantage::ALL {
                let dialed = dial_address(bind, vantage, server);
                table += &format!(" {:<36}", dialed.to_string());
            }
            table = table.trim_end().to_string() + "\n";
        }
    }
    with_settings!({
        description => "dial_address(bind, vantage, server): via loopback, the bind address if it is loopback, else 127.0.0.1 or ::1; via the external address, the server's address of the same family; from the other host, the bind address itself, or the server's external address when it is 0.0.0.0 or ::.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn knows_which_listening_address_accepts_which_destination() {
    let destinations = [
        "127.0.0.1",
        "127.0.0.2",
        "198.51.100.1",
        "::1",
        "2001:db8::1",
        "::ffff:127.0.0.1",
    ];
    let mut table = format!("{:<14}", "bind \\ dest");
    for destination in destinations {
        table += &format!(" {destination:<16}");
    }
    table = table.trim_end().to_string() + "\n";
    for bind in binds() {
        table += &format!("{:<14}", bind.to_string());
        for destination in destinations {
            let answer = if accepts(bind, ip(destination)) {
                "yes"
            } else {
                "no"
            };
            table += &format!(" {answer:<16}");
        }
        table = table.trim_end().to_string() + "\n";
    }
    with_settings!({
        description => "accepts(bind, destination): 0.0.0.0 accepts any IPv4 destination, :: accepts any destination (dual-stack), other binds only their own address; ::ffff:127.0.0.1 is 127.0.0.1 (compare to_canonical() forms).",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn predicts_the_matrix() {
    let loopback = ip("127.0.0.1");
    let outcome = predict(loopback, Vantage::OtherHost, SERVER_HOST);
    assert_eq!(
        outcome,
        Outcome::Refused,
        "predict(127.0.0.1, OtherHost, …) should be Refused: the other host dials 127.0.0.1, its \
         OWN loopback, where nothing listens; the packet never reaches the server host"
    );
    let matrix = predict_matrix(&binds(), SERVER_HOST);
    assert_eq!(
        matrix.rows.len(),
        binds().len(),
        "predict_matrix should make one row per bind address"
    );
    with_settings!({
        description => "predict_matrix(binds, server): one row per bind address, one cell per Vantage::ALL, each the dial_address and the predict outcome. Display (given) draws the table.",
    }, {
        assert_snapshot!(matrix.to_string());
    });
}
