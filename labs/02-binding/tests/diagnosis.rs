//! Graded tests for `src/diagnosis.rs`: from a bind error to a diagnosis a person can act on.

mod support;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};

use insta::{assert_snapshot, with_settings};
use lab02_binding::diagnosis::{BindError, diagnose, listen_or_explain};
use lab02_binding::owner::{Holder, Process};
use lab02_binding::socket_table::TcpState;
use support::{LOCALHOST, recently_free_port, redact, this_process_name};

/// errno values, as Linux numbers them.
const EACCES: i32 = 13;
const EINVAL: i32 = 22;
const EADDRINUSE: i32 = 98;
const EADDRNOTAVAIL: i32 = 99;

#[test]
fn recognizes_each_kind_of_bind_error() {
    support::require_proc_net();
    // A port nobody holds: "in use" there has no holder to find.
    let free = SocketAddr::new(LOCALHOST, recently_free_port(LOCALHOST));
    let cases: [(SocketAddr, i32); 8] = [
        (free, EADDRINUSE),
        ("127.0.0.1:0".parse().unwrap(), EADDRINUSE),
        ("0.0.0.0:80".parse().unwrap(), EACCES),
        ("[::]:443".parse().unwrap(), EACCES),
        ("127.0.0.1:8080".parse().unwrap(), EACCES),
        ("198.51.100.7:8080".parse().unwrap(), EADDRNOTAVAIL),
        ("[2001:db8::7]:8080".parse().unwrap(), EADDRNOTAVAIL),
        ("127.0.0.1:8080".parse().unwrap(), EINVAL),
    ];
    let mut report = String::new();
    for (address, errno) in cases {
        let error = io::Error::from_raw_os_error(errno);
        report += &format!(
            "diagnose({address}, {:?} = os error {errno})\n",
            error.kind()
        );
        let diagnosis = diagnose(address, error);
        assert_eq!(
            diagnosis.address(),
            address,
            "diagnose({address}, ..) should keep the address it was given"
        );
        report += &format!("  {diagnosis:?}\n");
        report += &format!("  {diagnosis}\n");
    }
    let report = redact(&report, &[(free.port().to_string(), "[port]")]);
    with_settings!({
        description => "diagnose(address, error) picks the variant from error.kind(): AddrInUse, PermissionDenied, AddrNotAvailable, anything else is Other. For AddrInUse the holder comes from who_holds (None here: nobody holds these ports). The messages come from BindError's Display, given to you.",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn names_the_process_holding_a_port() {
    support::require_proc_net();
    let pid = std::process::id();
    let name = this_process_name();
    let held = TcpListener::bind((LOCALHOST, 0)).expect("the test binds 127.0.0.1:0");
    let address = held.local_addr().unwrap();
    let port = address.port();

    let diagnosis = expect_in_use(listen_or_explain(address), address);
    let expected = Holder::Process {
        process: Process {
            pid,
            name: name.clone(),
        },
        state: TcpState::Listen,
    };
    assert_eq!(
        holder_of(&diagnosis),
        Some(&expected),
        "this test process, {pid} ({name}), holds {address}: the diagnosis should name it as the \
         holder (who_holds(address)), listening; got {diagnosis:?}"
    );
    let message = diagnosis.to_string();

    let wildcard = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port);
    let wildcard_diagnosis = expect_in_use(listen_or_explain(wildcard), wildcard);
    assert_eq!(
        holder_of(&wildcard_diagnosis),
        Some(&expected),
        "0.0.0.0:{port} claims every IPv4 address, 127.0.0.1 included, so the holder of \
         127.0.0.1:{port} (this test, {pid}) is the one in the way; got {wildcard_diagnosis:?}"
    );

    let neighbour = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)), port);
    if let Err(error) = listen_or_explain(neighbour) {
        panic!(
            "listen_or_explain({neighbour}) failed while only 127.0.0.1:{port} is taken: {error:?}. \
             A port is taken on one address: 127.0.0.2 may use it too"
        );
    }

    let report = format!("{message}\n{wildcard_diagnosis}\n");
    let report = redact(
        &report,
        &[
            (name, "[name]"),
            (pid.to_string(), "[pid]"),
            (port.to_string(), "[port]"),
        ],
    );
    with_settings!({
        description => "The message for a port this test process holds (its pid, name and port redacted), asked for on 127.0.0.1 and on 0.0.0.0.",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn diagnoses_an_address_this_host_does_not_have() {
    support::require_no_nonlocal_bind();
    let address: SocketAddr = "198.51.100.7:0".parse().unwrap();
    let diagnosis = match listen_or_explain(address) {
        Ok(listener) => panic!(
            "listen_or_explain({address}) succeeded (on {:?}), but 198.51.100.7 is not an address of \
             this machine: the OS refuses with AddrNotAvailable",
            listener.local_addr()
        ),
        Err(diagnosis) => diagnosis,
    };
    assert!(
        matches!(diagnosis, BindError::AddressNotAvailable { address: got } if got == address),
        "binding {address} fails with AddrNotAvailable (EADDRNOTAVAIL), so the diagnosis should be \
         BindError::AddressNotAvailable {{ address: {address} }}; got {diagnosis:?}"
    );
    with_settings!({
        description => "listen_or_explain(198.51.100.7:0): the address belongs to no interface of this machine (it is a documentation address, RFC 5737). Binding sends nothing; the kernel refuses at once.",
    }, {
        assert_snapshot!(diagnosis.to_string());
    });
}

/// The diagnosis of a bind that must fail because the address is in use.
fn expect_in_use(result: Result<TcpListener, BindError>, address: SocketAddr) -> BindError {
    match result {
        Ok(listener) => panic!(
            "listen_or_explain({address}) succeeded (on {:?}) although this test holds 127.0.0.1:{}: \
             bind with listen_on, which the OS refuses here",
            listener.local_addr(),
            address.port()
        ),
        Err(diagnosis @ BindError::AddressInUse { .. }) => diagnosis,
        Err(other) => panic!(
            "listen_or_explain({address}) failed, as it should, but the diagnosis is {other:?}: \
             the OS said AddrInUse, so it should be BindError::AddressInUse"
        ),
    }
}

fn holder_of(diagnosis: &BindError) -> Option<&Holder> {
    match diagnosis {
        BindError::AddressInUse { holder, .. } => holder.as_ref(),
        _ => None,
    }
}
