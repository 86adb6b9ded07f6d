//! Graded tests for `src/ephemeral.rs`: the OS's ephemeral range next to IANA's.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use insta::{assert_snapshot, with_settings};
use lab01_ports::ephemeral::{
    EphemeralRange, LINUX_PORT_RANGE_FILE, ReadRangeError, compare, parse_port_range,
    read_port_range, read_this_machines_port_range,
};

/// Texts in the format of /proc/sys/net/ipv4/ip_local_port_range, good and bad.
const RANGE_TEXTS: [&str; 17] = [
    "32768\t60999\n",
    "32768\t60999",
    "32768 60999",
    "  1024   65535  \n",
    "49152\t65535\n",
    "5000 5000",
    "",
    "\n",
    "32768",
    "32768 60999 61000",
    "32768,60999",
    "32768-60999",
    "abc 60999",
    "32768 65536",
    "-1 100",
    "+1 5",
    "60999\t32768\n",
];

/// Ports around the edges of IANA's dynamic range and of Linux's default ephemeral range.
const PORTS: [u16; 13] = [
    0, 80, 1024, 32767, 32768, 40000, 49151, 49152, 50000, 60999, 61000, 62893, 65535,
];

#[test]
fn parses_the_proc_file_format() {
    let mut report = String::new();
    for text in RANGE_TEXTS {
        report += &format!("{text:?}\n");
        match parse_port_range(text) {
            Ok(range) => report += &format!("  ok:      {range:?}\n"),
            Err(error) => {
                report += &format!("  error:   {error:?}\n");
                report += &format!("  message: {error}\n");
            }
        }
    }
    with_settings!({
        description => "parse_port_range(text): two whitespace-separated ports (digits only, as parse_port reads them), the first not greater than the last. str::split_whitespace ignores tabs and the trailing newline for you.",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn compares_iana_and_os_ranges() {
    let linux = EphemeralRange::LINUX_DEFAULT;
    let iana_like = EphemeralRange {
        first: 49152,
        last: 65535,
    };
    let mut table = String::from("port   OS range      in IANA dynamic  in OS ephemeral\n");
    for os_range in [linux, iana_like] {
        for port in PORTS {
            let comparison = compare(port, os_range);
            table += &format!(
                "{port:<6} {:<13} {:<16} {}\n",
                comparison.os_range.to_string(),
                comparison.in_iana_dynamic_range,
                comparison.in_os_ephemeral_range
            );
        }
    }
    table += "\n";
    for port in [62893, 40000, 50000, 80] {
        table += &format!("{}\n", compare(port, linux));
    }
    with_settings!({
        description => "compare(port, os_range): is the port in IANA's dynamic range 49152-65535 (PortRange::Dynamic), and is it in the OS's range (both ends included)? The two need not agree: ranges are policy.",
    }, {
        assert_snapshot!(table);
    });
}

#[test]
fn reads_a_range_file() {
    let mut report = String::new();
    let missing = Path::new("/this/file/does/not/exist/ip_local_port_range");
    match read_port_range(missing) {
        Err(ReadRangeError::Io(error)) => {
            assert_eq!(
                error.kind(),
                ErrorKind::NotFound,
                "reading a file that does not exist should give the io::Error from fs::read_to_string"
            );
            report += &format!(
                "a file that does not exist\n  Err(Io(an io::Error of kind {:?}))\n",
                error.kind()
            );
        }
        other => panic!(
            "read_port_range of a missing file should be Err(ReadRangeError::Io(..)), got {other:?}"
        ),
    }

    let path = write_temporary_file("1024\t2047\n");
    let result = read_port_range(&path);
    let _ = fs::remove_file(&path);
    match result {
        Ok(range) => {
            assert_eq!(
                range,
                EphemeralRange {
                    first: 1024,
                    last: 2047
                },
                "a file holding \"1024\\t2047\\n\" should be read as the range 1024-2047"
            );
            report += &format!("a file holding \"1024\\t2047\\n\"\n  Ok({range:?})\n");
        }
        Err(error) => panic!(
            "read_port_range of a file holding \"1024\\t2047\\n\" failed with {error:?}: \
             read the file to a string, then call parse_port_range on it"
        ),
    }
    with_settings!({
        description => "read_port_range(path): the file's io::Error when it cannot be read (ReadRangeError::Io, by the From impl and ?), else parse_port_range of its text.",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn reads_this_machines_range() {
    let result = read_this_machines_port_range();
    // The numbers differ from machine to machine: the report says only how they relate to the file.
    let report = match fs::read_to_string(LINUX_PORT_RANGE_FILE) {
        Ok(text) => {
            let expected = parse_independently(&text);
            match result {
                Ok(range) => {
                    assert_eq!(
                        (range.first, range.last),
                        expected,
                        "{LINUX_PORT_RANGE_FILE} holds {text:?}, so this machine's range is {}-{}",
                        expected.0,
                        expected.1
                    );
                    format!(
                        "read_this_machines_port_range()\n  Ok(range)\n  \
                         the two numbers of {LINUX_PORT_RANGE_FILE}, in order: {}\n  \
                         first <= last: {}\n",
                        yes_or_no((range.first, range.last) == expected),
                        yes_or_no(range.first <= range.last)
                    )
                }
                Err(error) => panic!(
                    "{LINUX_PORT_RANGE_FILE} holds {text:?}, but read_this_machines_port_range() \
                     failed with {error:?}: read that file and parse its text"
                ),
            }
        }
        Err(_) => {
            assert!(
                matches!(result, Err(ReadRangeError::Io(_))),
                "{LINUX_PORT_RANGE_FILE} cannot be read on this machine (not Linux?), so \
                 read_this_machines_port_range() should be Err(ReadRangeError::Io(..)), got {result:?}"
            );
            format!(
                "read_this_machines_port_range()\n  Err(Io(..)): {LINUX_PORT_RANGE_FILE} cannot be read here\n"
            )
        }
    };
    with_settings!({
        description => "read_this_machines_port_range() reads /proc/sys/net/ipv4/ip_local_port_range. The numbers depend on the machine, so only how they relate to the file is shown.",
    }, {
        assert_snapshot!(report);
    });
}

/// `yes` or `no`, for a report.
fn yes_or_no(answer: bool) -> &'static str {
    if answer { "yes" } else { "no" }
}

/// The two numbers of the file, read without the code under test.
fn parse_independently(text: &str) -> (u16, u16) {
    let numbers: Vec<u16> = text
        .split(['\t', ' ', '\n'])
        .filter(|field| !field.is_empty())
        .map(|field| field.parse().expect("the kernel writes numbers"))
        .collect();
    assert_eq!(
        numbers.len(),
        2,
        "the kernel writes two numbers, found {text:?}"
    );
    (numbers[0], numbers[1])
}

/// Writes `contents` to a new file in the temporary directory, or `None` if it cannot.
fn write_temporary_file(contents: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("lab01-ports-range-{}.txt", std::process::id()));
    fs::write(&path, contents).unwrap_or_else(|error| {
        panic!(
            "the test could not write {} ({error}); this is not your code's fault",
            path.display()
        )
    });
    path
}
