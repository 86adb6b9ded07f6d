//! Graded tests for `src/owner.rs`: the process behind a socket, and who holds a port.

mod common;

use std::net::{SocketAddr, TcpListener};

use common::{LOCALHOST, socket_inode, this_process_name};
use insta::{assert_snapshot, with_settings};
use lab02_binding::owner::{
    Holder, Process, find_socket_owner, holds_socket, process_ids, process_name, sockets_using,
    who_holds,
};
use lab02_binding::socket_table::{SocketEntry, TcpState};

#[test]
fn finds_the_process_that_owns_a_socket() {
    common::require_proc_net();
    let pid = std::process::id();
    let name = this_process_name();
    let listener = TcpListener::bind((LOCALHOST, 0)).expect("the test binds 127.0.0.1:0");
    let inode = socket_inode(&listener);

    let pids = process_ids();
    assert!(
        pids.contains(&pid),
        "process_ids() should list every numbered folder of /proc, including this test's own \
         process {pid}; it returned {} ids",
        pids.len()
    );
    assert!(
        holds_socket(pid, inode),
        "this test process ({pid}) holds socket {inode} (/proc/{pid}/fd has a link to \
         socket:[{inode}]), but holds_socket({pid}, {inode}) is false"
    );
    assert!(
        !holds_socket(pid, inode + 1_000_000_000),
        "holds_socket({pid}, {}) should be false: no link reads socket:[{}]; compare the whole link text",
        inode + 1_000_000_000,
        inode + 1_000_000_000
    );
    assert!(
        !holds_socket(u32::MAX, inode),
        "holds_socket({}, {inode}) should be false: there is no such process (/proc/{} does not exist)",
        u32::MAX,
        u32::MAX
    );
    assert_eq!(
        process_name(pid),
        Some(name.clone()),
        "process_name({pid}) should be the line in /proc/{pid}/comm, without its newline"
    );
    assert_eq!(
        process_name(u32::MAX),
        None,
        "process_name of a process that does not exist should be None"
    );

    let expected = Process {
        pid,
        name: name.clone(),
    };
    assert_eq!(
        find_socket_owner(inode),
        Some(expected),
        "find_socket_owner({inode}) should find this test process, {pid} ({name}), which holds that socket"
    );
    assert_eq!(
        find_socket_owner(0),
        None,
        "find_socket_owner(0) should be None: inode 0 means no process holds the socket"
    );
    drop(listener);
    assert_eq!(
        find_socket_owner(inode),
        None,
        "after the test closed socket {inode}, find_socket_owner({inode}) should be None"
    );
}

#[test]
fn names_the_holder_of_a_port() {
    common::require_proc_net();
    let table = recorded_table();
    let mut report = String::new();
    for query in [
        "127.0.0.1:8080",
        "127.0.0.2:8080",
        "0.0.0.0:8080",
        "[::1]:8080",
        "127.0.0.1:8443",
        "[::1]:8443",
        "127.0.0.1:22",
        "[::1]:22",
        "127.0.0.1:9999",
    ] {
        let address: SocketAddr = query.parse().unwrap();
        report += &format!("sockets_using(table, {query})\n");
        let using = sockets_using(&table, address);
        if using.is_empty() {
            report += "  (none)\n";
        }
        for entry in using {
            report += &format!(
                "  {:<24} {:<26} {:<12} inode {}\n",
                entry.local.to_string(),
                entry.remote.to_string(),
                entry.state.to_string(),
                entry.inode
            );
        }
    }
    with_settings!({
        description => "sockets_using(entries, address): the entries that conflict with address (conflict::conflicts, each side as Binding::new), listening sockets first, then the rest, each in the table's order.",
    }, {
        assert_snapshot!(report);
    });

    let pid = std::process::id();
    let name = this_process_name();
    let listener = TcpListener::bind((LOCALHOST, 0)).expect("the test binds 127.0.0.1:0");
    let address = listener.local_addr().unwrap();
    let expected = Holder::Process {
        process: Process {
            pid,
            name: name.clone(),
        },
        state: TcpState::Listen,
    };
    assert_eq!(
        who_holds(address),
        Some(expected),
        "this test process, {pid} ({name}), listens on {address}, so who_holds({address}) should \
         name it, with the state LISTEN"
    );
    assert_eq!(
        who_holds(SocketAddr::new(LOCALHOST, 0)),
        None,
        "who_holds(127.0.0.1:0) should be None: port 0 is not a port anybody holds"
    );
    drop(listener);
    assert_eq!(
        who_holds(address),
        None,
        "after the test closed its listener on {address}, nothing holds it: who_holds should be None"
    );
}

/// Sockets as a machine might list them: a server on 127.0.0.1:8080 with a
/// client and a TIME_WAIT, SSH on 0.0.0.0:22, and a dual-stack server on
/// [::]:8443 with an IPv4 client and a TIME_WAIT.
fn recorded_table() -> Vec<SocketEntry> {
    let entry = |local: &str, remote: &str, state, inode| SocketEntry {
        local: local.parse().unwrap(),
        remote: remote.parse().unwrap(),
        state,
        uid: 1000,
        inode,
    };
    vec![
        entry(
            "127.0.0.1:51674",
            "127.0.0.1:8080",
            TcpState::Established,
            48889,
        ),
        entry(
            "127.0.0.1:8080",
            "127.0.0.1:51674",
            TcpState::Established,
            48890,
        ),
        entry("127.0.0.1:8080", "127.0.0.1:51652", TcpState::TimeWait, 0),
        entry("127.0.0.1:8080", "0.0.0.0:0", TcpState::Listen, 48213),
        entry("0.0.0.0:22", "0.0.0.0:0", TcpState::Listen, 20931),
        entry("[::]:8443", "[::]:0", TcpState::Listen, 61000),
        entry(
            "[::ffff:127.0.0.1]:8443",
            "[::ffff:127.0.0.1]:38354",
            TcpState::Established,
            61022,
        ),
        entry("[::1]:8443", "[::1]:50010", TcpState::TimeWait, 0),
    ]
}
