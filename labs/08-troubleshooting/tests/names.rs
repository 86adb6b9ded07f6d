//! Graded tests for `src/resolve.rs` and `src/diagnose.rs`: names, without a single DNS query
//! leaving the machine. The names are the test's own (a hosts file it hands to your code, the
//! reserved `.test` and `.invalid` domains of RFC 6761); the system's resolver is tried only
//! inside a network namespace of the test that has nothing but `lo`.

mod support;

use std::future::Future;
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use lab08_troubleshooting::diagnose::diagnose;
use lab08_troubleshooting::resolve::{HostsFile, ResolveError, Resolver, SystemResolver};
use lab08_troubleshooting::verdict::Verdict;
use tokio::time::timeout;

use support::namespace::Namespace;
use support::{WAIT, local_server, own_process_name, redact, redact_times};

/// The hosts file the tests hand to `HostsFile::parse`.
const HOSTS: &str = "\
# The test's own names: .test is reserved for testing (RFC 6761).
127.0.0.1\tlocalhost
127.0.0.2   db.lab.test   db      # a canonical name, then an alias
127.0.0.1   DB.Lab.Test
::1         localhost ip6-localhost
not-an-ip   broken.test
198.51.100.7
   # an indented comment
127.0.0.3 web.lab.test#a comment right after a name
127.0.0.2   db.lab.test
";

#[tokio::test]
async fn reads_a_hosts_file() {
    let hosts = HostsFile::parse(HOSTS);
    let names = [
        "localhost",
        "db.lab.test",
        "DB.LAB.TEST",
        "db",
        "ip6-localhost",
        "web.lab.test",
        "broken.test",
        "not-an-ip",
        "nothing.invalid",
    ];
    let mut table =
        String::from("name            addresses_of                 resolve(name, 5432)\n");
    for name in names {
        let addresses: Vec<String> = hosts
            .addresses_of(name)
            .iter()
            .map(ToString::to_string)
            .collect();
        let resolved = match timeout(WAIT, hosts.resolve(name, 5432)).await {
            Ok(Ok(targets)) => targets
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            Ok(Err(error)) => format!("Err({error:?})"),
            Err(_) => panic!("HostsFile::resolve({name:?}) never finished: it only reads a list"),
        };
        table += &format!("{name:<15} {:<28} {resolved}\n", addresses.join(", "));
    }
    with_settings!({
        description => "HostsFile::parse of a hosts file (man 5 hosts): an IP address then names; '#' starts a comment; lines without a valid IP address or without a name are skipped; names are case-insensitive. addresses_of keeps the file's order, each address once; resolve adds the port, and a name the file does not list is Err(NoSuchName).",
    }, {
        assert_snapshot!(table);
    });
}

/// A resolver whose answer never comes, like a DNS server behind a firewall that drops.
struct NeverAnswers;

impl Resolver for NeverAnswers {
    fn resolve(
        &self,
        _host: &str,
        _port: u16,
    ) -> impl Future<Output = Result<Vec<SocketAddr>, ResolveError>> + Send {
        std::future::pending()
    }
}

/// A resolver that finds the name but no address in it (NODATA).
struct EmptyAnswer;

impl Resolver for EmptyAnswer {
    async fn resolve(&self, _host: &str, _port: u16) -> Result<Vec<SocketAddr>, ResolveError> {
        Ok(Vec::new())
    }
}

/// A resolver that must not be asked.
struct MustNotBeAsked;

impl Resolver for MustNotBeAsked {
    async fn resolve(&self, host: &str, _port: u16) -> Result<Vec<SocketAddr>, ResolveError> {
        panic!(
            "diagnose asked the resolver to look up {host:?}: an IP address is already an \
             address, it needs no lookup (try host.parse::<IpAddr>() first)"
        )
    }
}

#[tokio::test]
async fn diagnoses_names_with_an_injected_resolver() {
    let server = local_server().await;
    let port = server
        .local_addr()
        .expect("a bound listener has an address")
        .port();
    let hosts = HostsFile::parse("127.0.0.2 db.lab.test\n127.0.0.1 db.lab.test\n");
    let limit = Duration::from_millis(400);
    let within_wait = |what: &str| {
        format!(
            "diagnose({what}) was still running after {} s: every step has the time limit \
             ({} ms), the lookup included (tokio::time::timeout around resolver.resolve)",
            WAIT.as_secs(),
            limit.as_millis()
        )
    };

    let two_addresses = timeout(WAIT, diagnose("db.lab.test", port, &hosts, limit))
        .await
        .unwrap_or_else(|_| panic!("{}", within_wait("db.lab.test")));
    assert_eq!(
        two_addresses.verdict,
        Verdict::Open,
        "db.lab.test is 127.0.0.2 (nothing listens) then 127.0.0.1 (the test's server): \
         diagnose should try both, in order, and conclude Open.\n{two_addresses}"
    );
    let no_such_name = timeout(WAIT, diagnose("nothing.invalid", 80, &hosts, limit))
        .await
        .unwrap_or_else(|_| panic!("{}", within_wait("nothing.invalid")));
    assert!(
        no_such_name.probes.is_empty(),
        "nothing.invalid has no address, so no connection can be tried: probes should be empty"
    );
    let silent_dns = timeout(WAIT, diagnose("slow.lab.test", 80, &NeverAnswers, limit))
        .await
        .unwrap_or_else(|_| panic!("{}", within_wait("slow.lab.test")));
    assert_eq!(
        silent_dns.verdict,
        Verdict::NameNotResolved(ResolveError::NoAnswer),
        "the resolver never answered: after the time limit, the lookup is Err(NoAnswer)"
    );
    let no_address = timeout(WAIT, diagnose("empty.lab.test", 80, &EmptyAnswer, limit))
        .await
        .unwrap_or_else(|_| panic!("{}", within_wait("empty.lab.test")));
    let by_address = timeout(WAIT, diagnose("127.0.0.1", port, &MustNotBeAsked, limit))
        .await
        .unwrap_or_else(|_| panic!("{}", within_wait("127.0.0.1")));

    let reports = [
        (
            "a hosts file with two addresses for db.lab.test; the server is on 127.0.0.1",
            two_addresses,
        ),
        ("the same hosts file, a name it does not list", no_such_name),
        ("a resolver that never answers", silent_dns),
        ("a resolver that finds the name but no address", no_address),
        ("an IP address: no lookup at all", by_address),
    ];
    let mut text = String::new();
    for (what, report) in reports {
        text += &format!("# {what}\n{report}\n\n");
    }
    let text = redact_times(&text);
    let text = redact(&text, port, "[port]");
    let text = redact(&text, std::process::id(), "[pid]");
    let text = text.replace(&format!("({})", own_process_name()), "([this test])");
    with_settings!({
        description => "diagnose(host, port, resolver, 400 ms) with resolvers the test injects. A name is looked up (with the time limit: a lookup that never ends is NoAnswer; an empty list is NoAddress), then each address is probed in order until one is open; an IP address needs no lookup. For an open loopback address, `listening there` names the holder (here, the test itself).",
    }, {
        assert_snapshot!(text);
    });
}

#[test]
fn the_system_resolver_stays_inside_the_namespace() {
    let machine = Namespace::create_or_skip("resolver");
    let (expected, localhost, invalid, diagnosis) = machine.block_on(|| async {
        // What getaddrinfo itself says, from the same namespace: the reference.
        let expected: Result<Vec<SocketAddr>, String> = ("localhost", 80)
            .to_socket_addrs()
            .map(Iterator::collect)
            .map_err(|error| error.to_string());
        let localhost = timeout(WAIT, SystemResolver.resolve("localhost", 80)).await;
        let invalid = timeout(WAIT, SystemResolver.resolve("nothing.invalid", 80)).await;
        let diagnosis = timeout(
            WAIT,
            diagnose(
                "nothing.invalid",
                80,
                &SystemResolver,
                Duration::from_secs(2),
            ),
        )
        .await;
        (expected, localhost, invalid, diagnosis)
    });
    let too_slow = |name: &str| {
        format!(
            "SystemResolver.resolve({name:?}) did not finish within {} s inside a network \
             namespace with only lo (where no DNS server can be reached): use \
             tokio::net::lookup_host((host, port)).await",
            WAIT.as_secs()
        )
    };
    let localhost = localhost.unwrap_or_else(|_| panic!("{}", too_slow("localhost")));
    let invalid = invalid.unwrap_or_else(|_| panic!("{}", too_slow("nothing.invalid")));
    let diagnosis = diagnosis.unwrap_or_else(|_| {
        panic!("diagnose(\"nothing.invalid\", 80, &SystemResolver, 2 s) did not finish")
    });

    match (&expected, &localhost) {
        (Ok(addresses), Ok(found)) => assert_eq!(
            found, addresses,
            "getaddrinfo gives {addresses:?} for localhost (from /etc/hosts); \
             SystemResolver.resolve(\"localhost\", 80) should give the same, in the same order"
        ),
        (Err(_), Err(_)) => {}
        (expected, found) => panic!(
            "getaddrinfo says {expected:?} for localhost, but SystemResolver.resolve says {found:?}"
        ),
    }
    assert!(
        invalid.is_err(),
        ".invalid names never exist (RFC 6761) and no DNS server can be reached from here, yet \
         SystemResolver.resolve(\"nothing.invalid\", 80) gave {invalid:?}"
    );
    assert!(
        matches!(diagnosis.verdict, Verdict::NameNotResolved(_)) && diagnosis.probes.is_empty(),
        "diagnose(\"nothing.invalid\", …) with the system's resolver should conclude \
         NameNotResolved without trying any connection, but it said:\n{diagnosis}"
    );
    let text = format!(
        "inside a network namespace with only lo:\n\
         localhost       {}\n\
         nothing.invalid {} (NoSuchName or NoAnswer, depending on the machine's resolver)\n\
         diagnose        {}, connections tried: {}\n",
        match &localhost {
            Ok(_) => "the same addresses as getaddrinfo, in the same order",
            Err(_) => "an error, like getaddrinfo",
        },
        if invalid.is_err() {
            "an error"
        } else {
            "addresses!"
        },
        diagnosis.verdict,
        diagnosis.probes.len()
    );
    with_settings!({
        description => "SystemResolver (tokio::net::lookup_host, which runs getaddrinfo) inside a network namespace of the test with only lo: localhost comes from /etc/hosts, nothing.invalid cannot resolve, and no query can leave the machine.",
    }, {
        assert_snapshot!(text);
    });
}
