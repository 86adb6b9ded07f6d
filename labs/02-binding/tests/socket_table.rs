//! Graded tests for `src/socket_table.rs`: reading `/proc/net/tcp` and `/proc/net/tcp6`.
//!
//! The recorded lines come from a little-endian machine (x86, ARM), as almost
//! every machine is; on a big-endian one these tests report "not run".

mod support;

use std::net::Ipv6Addr;

use insta::{assert_snapshot, with_settings};
use lab02_binding::socket_table::{
    SocketEntry, TcpState, parse_ipv4_address, parse_ipv6_address, parse_line,
    parse_socket_address, parse_table, read_socket_tables,
};
use support::{LOCALHOST, socket_inode, this_user_id};

/// A `/proc/net/tcp` as Linux writes it: a server on 127.0.0.1:8080 with one
/// client connected and one earlier connection in TIME_WAIT, a DNS resolver,
/// an SSH server and a browser's connection out.
const TCP_TABLE: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 48213 1 0000000000000000 100 0 0 10 0
   1: 3500007F:0035 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 17523 1 0000000000000000 100 0 0 10 5
   2: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 20931 1 0000000000000000 100 0 0 10 0
   3: 0100007F:1F90 0100007F:C9DA 01 00000000:00000000 00:00000000 00000000  1000        0 48890 1 0000000000000000 20 4 30 10 -1
   4: 0100007F:C9DA 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 48889 1 0000000000000000 20 4 29 10 -1
   5: 0100007F:1F90 0100007F:C9C4 06 00000000:00000000 03:00001735 00000000     0        0 0 3 0000000000000000
   6: 0F02000A:D2C4 057100CB:01BB 01 00000000:00000000 02:00000A6B 00000000  1000        0 51234 2 0000000000000000 22 4 1 10 -1
this line is not a socket
   7: 0100007F:1F90 00000000:0000 0A
";

/// A `/proc/net/tcp6`: an SSH server and a print server, a dual-stack server on
/// [::]:8080 with an IPv4 client, a connection out and a TIME_WAIT.
const TCP6_TABLE: &str = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 20933 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 19002 1 0000000000000000 100 0 0 10 0
   2: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 61000 1 0000000000000000 100 0 0 10 0
   3: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:95D2 01 00000000:00000000 00:00000000 00000000  1000        0 61022 1 0000000000000000 20 4 30 10 -1
   4: B80D0120000000000000000001000000:C350 B80D0120000000000000000002000000:01BB 01 00000000:00000000 00:00000000 00000000  1000        0 63001 1 0000000000000000 20 4 30 10 -1
   5: 00000000000000000000000001000000:20FB 00000000000000000000000001000000:C35A 06 00000000:00000000 03:00000F2A 00000000     0        0 0 3 0000000000000000
";

/// IPv4 addresses as the kernel writes them, good and bad.
const IPV4_HEX: [&str; 10] = [
    "0100007F",
    "00000000",
    "3500007F",
    "0F02000A",
    "057100CB",
    "FFFFFFFF",
    "0100007f",
    "100007F",
    "0100007F0",
    "0100007G",
];

/// IPv6 addresses as the kernel writes them, good and bad.
const IPV6_HEX: [&str; 8] = [
    "00000000000000000000000001000000",
    "00000000000000000000000000000000",
    "0000000000000000FFFF00000100007F",
    "000080FE000000000000000001000000",
    "B80D0120000000000000000001000000",
    "0000000000000000000000000100000",
    "0000000000000000000000000100000G",
    "0100007F",
];

/// Addresses and ports as the kernel writes them, good and bad.
const ENDPOINT_HEX: [&str; 9] = [
    "0100007F:1F90",
    "00000000:0000",
    "0100007F:FFFF",
    "00000000000000000000000001000000:1F90",
    "0100007F",
    "0100007F:1F9",
    "0100007F:1F900",
    "0100007F:GGGG",
    "0100007:1F90",
];

#[test]
fn parses_ipv4_lines() {
    support::require_little_endian();
    let mut report = String::from("parse_ipv4_address(hex)\n");
    for hex in IPV4_HEX {
        report += &format!(
            "  {:<12} {}\n",
            format!("{hex:?}"),
            show(parse_ipv4_address(hex))
        );
    }
    report += "\nparse_socket_address(hex)\n";
    for hex in ENDPOINT_HEX {
        report += &format!(
            "  {:<40} {}\n",
            format!("{hex:?}"),
            show(parse_socket_address(hex))
        );
    }
    report += "\nparse_table(/proc/net/tcp)\n";
    report += &entries_table(&parse_table(TCP_TABLE));
    with_settings!({
        description => "The kernel writes an IPv4 address as one 32-bit hexadecimal number in the machine's byte order: parse it with u32::from_str_radix(hex, 16), then Ipv4Addr::from(number.to_ne_bytes()). Ports are plain hexadecimal. - means None.",
    }, {
        assert_snapshot!(report);
    });

    for (number, line) in TCP_TABLE.lines().enumerate() {
        let from_table = parse_table(line);
        let from_line: Vec<SocketEntry> = parse_line(line).into_iter().collect();
        assert_eq!(
            from_table, from_line,
            "parse_table of line {number} alone ({line:?}) should give what parse_line gives for it"
        );
    }
}

#[test]
fn parses_ipv6_lines() {
    support::require_little_endian();
    let mut report = String::from("parse_ipv6_address(hex)\n");
    for hex in IPV6_HEX {
        report += &format!(
            "  {:<36} {}\n",
            format!("{hex:?}"),
            show(parse_ipv6_address(hex))
        );
    }
    report += "\nparse_table(/proc/net/tcp6)\n";
    report += &entries_table(&parse_table(TCP6_TABLE));
    with_settings!({
        description => "An IPv6 address is 32 hexadecimal digits: four 32-bit numbers of 8 digits, each written like an IPv4 address (machine byte order). Parse each with u32::from_str_radix and put their to_ne_bytes() one after the other. - means None.",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn finds_this_processs_listener() {
    support::require_proc_net();
    let listener = std::net::TcpListener::bind((LOCALHOST, 0)).expect("the test binds 127.0.0.1:0");
    let mut expected = vec![(listener.local_addr().unwrap(), socket_inode(&listener))];
    let ipv6_listener = std::net::TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).ok();
    if let Some(ipv6) = &ipv6_listener {
        expected.push((ipv6.local_addr().unwrap(), socket_inode(ipv6)));
    }

    let entries = read_socket_tables().unwrap_or_else(|error| {
        panic!("read_socket_tables() failed with {error:?}, but this machine has /proc/net/tcp")
    });
    let uid = this_user_id();
    let (mut found_entries, mut states, mut own_inodes, mut own_uids) = (0, Vec::new(), 0, 0);
    let listeners = expected.len();
    for (address, inode) in expected {
        let table = if address.is_ipv4() {
            "/proc/net/tcp"
        } else {
            "/proc/net/tcp6"
        };
        let found = entries.iter().find(|entry| entry.local == address);
        let Some(entry) = found else {
            panic!(
                "this test listens on {address}, so {table} has a line for it, but \
                 read_socket_tables() returned no entry with local == {address} \
                 ({} entries in all): read both /proc/net/tcp and /proc/net/tcp6, and read their \
                 addresses as the socket_table::parses_* tests expect",
                entries.len()
            );
        };
        assert_eq!(
            (entry.state, entry.inode, entry.uid),
            (TcpState::Listen, inode, uid),
            "the entry for {address} should be (Listen, inode {inode}, uid {uid}), the test's own \
             listening socket; got {entry:?}"
        );
        found_entries += 1;
        let state = entry.state.to_string();
        if !states.contains(&state) {
            states.push(state);
        }
        own_inodes += usize::from(entry.inode == inode);
        own_uids += usize::from(entry.uid == uid);
    }

    // Whether IPv6 is there, and the ports, inodes and uid, depend on the machine: the report
    // says what every listener's entry holds, without them.
    let every = |count: usize| {
        if count == listeners {
            "every one"
        } else {
            "not all"
        }
    };
    let mut report = String::from(
        "read_socket_tables(), the entries of this test's listeners on 127.0.0.1:0 (and on [::1]:0 \
         when this machine has IPv6)\n",
    );
    report += &format!(
        "  an entry with the listener's local address   {}\n",
        every(found_entries)
    );
    report += &format!(
        "  state                                        {}\n",
        states.join(", ")
    );
    report += &format!(
        "  inode of the listening socket                {}\n",
        every(own_inodes)
    );
    report += &format!(
        "  uid of this process                          {}\n",
        every(own_uids)
    );
    with_settings!({
        description => "read_socket_tables() reads /proc/net/tcp and /proc/net/tcp6: the test's own listeners are there, LISTEN, with the socket's inode and the process's uid (neither shown: they change from run to run).",
    }, {
        assert_snapshot!(report);
    });
}

/// Shows `Some(x)` as `x` and `None` as `-`.
fn show<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or("-".to_string(), |value| value.to_string())
}

/// The entries one per line, as a table.
fn entries_table(entries: &[SocketEntry]) -> String {
    let mut table = format!(
        "  {:<26} {:<30} {:<12} {:<5} {}\n",
        "local", "remote", "state", "uid", "inode"
    );
    for entry in entries {
        table += &format!(
            "  {:<26} {:<30} {:<12} {:<5} {}\n",
            entry.local.to_string(),
            entry.remote.to_string(),
            entry.state.to_string(),
            entry.uid,
            entry.inode
        );
    }
    table
}
