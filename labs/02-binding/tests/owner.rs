//! Graded tests for `src/owner.rs`: the process behind a socket, and who holds a port.

mod support;

use std::net::{SocketAddr, TcpListener};

use insta::{assert_snapshot, with_settings};
use lab02_binding::owner::{
    Holder, Process, find_socket_owner, holds_socket, process_ids, process_name, sockets_using,
    who_holds,
};
use lab02_binding::socket_table::{SocketEntry, TcpState};
use support::{LOCALHOST, socket_inode, this_process_name};

#[test]
fn finds_the_process_that_owns_a_socket() {
    support::require_proc_net();
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
    let holds_own = holds_socket(pid, inode);
    assert!(
        holds_own,
        "this test process ({pid}) holds socket {inode} (/proc/{pid}/fd has a link to \
         socket:[{inode}]), but holds_socket({pid}, {inode}) is false"
    );
    let holds_other = holds_socket(pid, inode + 1_000_000_000);
    assert!(
        !holds_other,
        "holds_socket({pid}, {}) should be false: no link reads socket:[{}]; compare the whole link text",
        inode + 1_000_000_000,
        inode + 1_000_000_000
    );
    let holds_for_nobody = holds_socket(u32::MAX, inode);
    assert!(
        !holds_for_nobody,
        "holds_socket({}, {inode}) should be false: there is no such process (/proc/{} does not exist)",
        u32::MAX,
        u32::MAX
    );
    let own_name = process_name(pid);
    assert_eq!(
        own_name,
        Some(name.clone()),
        "process_name({pid}) should be the line in /proc/{pid}/comm, without its newline"
    );
    let nobodys_name = process_name(u32::MAX);
    assert_eq!(
        nobodys_name, None,
        "process_name of a process that does not exist should be None"
    );

    let expected = Process {
        pid,
        name: name.clone(),
    };
    let owner = find_socket_owner(inode);
    assert_eq!(
        owner,
        Some(expected),
        "find_socket_owner({inode}) should find this test process, {pid} ({name}), which holds that socket"
    );
    let owner_of_0 = find_socket_owner(0);
    assert_eq!(
        owner_of_0, None,
        "find_socket_owner(0) should be None: inode 0 means no process holds the socket"
    );
    drop(listener);
    let owner_after_close = find_socket_owner(inode);
    assert_eq!(
        owner_after_close, None,
        "after the test closed socket {inode}, find_socket_owner({inode}) should be None"
    );

    // The pid, the process name and the inode change from run to run: each is shown by its
    // label when the answer is this test's own.
    let show_pid = |value: u32| label(value, pid, "[pid]");
    let show_name = |value: &str| label(value, name.as_str(), "[name]");
    let show_process = |process: &Option<Process>| match process {
        Some(process) => format!(
            "Some(Process {{ pid: {}, name: {:?} }})",
            show_pid(process.pid),
            show_name(&process.name)
        ),
        None => "None".to_string(),
    };
    let mut table = format!("{:<44} {}\n", "call", "answer");
    let mut row = |call: &str, answer: String| table += &format!("{call:<44} {answer}\n");
    row("process_ids() holds [pid]", pids.contains(&pid).to_string());
    row("holds_socket([pid], [inode])", holds_own.to_string());
    row(
        "holds_socket([pid], [inode] + 1000000000)",
        holds_other.to_string(),
    );
    row(
        &format!("holds_socket({}, [inode])", u32::MAX),
        holds_for_nobody.to_string(),
    );
    row(
        "process_name([pid])",
        format!("{:?}", own_name.as_deref().map(show_name)),
    );
    row(
        &format!("process_name({})", u32::MAX),
        format!("{nobodys_name:?}"),
    );
    row("find_socket_owner([inode])", show_process(&owner));
    row("find_socket_owner(0)", show_process(&owner_of_0));
    row(
        "find_socket_owner([inode]), socket closed",
        show_process(&owner_after_close),
    );
    with_settings!({
        description => "holds_socket, process_name and find_socket_owner for this test process's own listening socket. [pid], [name] and [inode] stand for this process's id, its name in /proc/[pid]/comm and the socket's inode, which change from run to run.",
    }, {
        assert_snapshot!(table);
    });
}

/// `label` when `value` is `expected` (a value that changes from run to run), else `value` itself.
fn label<T: PartialEq + std::fmt::Display>(value: T, expected: T, label: &str) -> String {
    if value == expected {
        label.to_string()
    } else {
        value.to_string()
    }
}

#[test]
fn names_the_holder_of_a_port() {
    support::require_proc_net();
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
