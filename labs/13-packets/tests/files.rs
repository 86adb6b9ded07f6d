//! Graded tests for `src/pcap.rs`: the capture saved as a pcap file, read back by the
//! pcap-file crate and by tcpdump, independent readers of the format.

mod support;

use std::process::Command;
use std::time::Duration;

use lab13_packets::capture::Frame;
use lab13_packets::line::line;
use lab13_packets::pcap::{read_pcap, write_pcap};
use pcap_file::DataLink;
use pcap_file::pcap::PcapReader;
use support::HOW_TO_RUN;
use support::cable::{Cable, SERVER, SERVER6, decode_every};
use support::crafted::{Way, arp_request, segment};
use support::traffic::{
    attempt, closed_tcp_port, closed_udp_port, half_close_exchange, listen, send_datagram,
};

/// Three frames of the test's own, a second and a half apart, with microseconds.
fn three_frames() -> Vec<Frame> {
    let start = Duration::new(1_700_000_000, 123_456_000);
    [
        segment(Way::ToServer, "S", 1, 0, &[]),
        segment(Way::ToClient, "R.", 0, 2, &[]),
        arp_request(),
    ]
    .into_iter()
    .enumerate()
    .map(|(at, bytes)| Frame {
        timestamp: start + Duration::from_millis(1500) * at as u32,
        bytes,
    })
    .collect()
}

#[test]
fn writes_a_pcap_file_of_ethernet_frames() {
    let frames = three_frames();
    let mut file = Vec::new();
    write_pcap(&mut file, &frames).unwrap_or_else(|error| panic!("write_pcap failed: {error}"));
    let mut reader = PcapReader::new(file.as_slice()).unwrap_or_else(|error| {
        panic!(
            "what write_pcap wrote is not a pcap file ({error}): it must start with pcap's global \
             header (PcapWriter::with_header writes it)"
        )
    });
    assert_eq!(
        reader.header().datalink,
        DataLink::ETHERNET,
        "the pcap file's link type should be Ethernet (LINKTYPE_ETHERNET, 1), so readers know \
         each record is an Ethernet frame"
    );
    let mut records = Vec::new();
    while let Some(record) = reader.next_packet() {
        let record =
            record.unwrap_or_else(|error| panic!("a record of the file cannot be read: {error}"));
        records.push((record.timestamp, record.orig_len, record.data.into_owned()));
    }
    let expected: Vec<(Duration, u32, Vec<u8>)> = frames
        .iter()
        .map(|frame| {
            (
                frame.timestamp,
                frame.bytes.len() as u32,
                frame.bytes.clone(),
            )
        })
        .collect();
    assert_eq!(
        records, expected,
        "the file should hold one record per frame, in order, with its timestamp, its length and \
         its bytes (timestamp, original length, bytes)"
    );
    let back = read_pcap(file.as_slice())
        .unwrap_or_else(|error| panic!("read_pcap could not read what write_pcap wrote: {error}"));
    assert_eq!(
        back, frames,
        "read_pcap should give back the frames write_pcap wrote, timestamps included"
    );
    let not_pcap = read_pcap(&b"this is not a capture"[..])
        .map(|_| ())
        .map_err(|error| error.kind());
    assert_eq!(
        not_pcap,
        Err(std::io::ErrorKind::InvalidData),
        "read_pcap of something that is not a pcap file should be an error of kind InvalidData"
    );
    insta::assert_snapshot!(format!(
        "{} bytes: a 24-byte global header, then {} records of 16 bytes plus the frame\n\
         link type: {:?}\n\
         read back: the same {} frames\n\
         not a pcap file: {not_pcap:?}",
        file.len(),
        records.len(),
        DataLink::ETHERNET,
        back.len()
    ));
}

/// The bytes of each record of a pcap file, read by the pcap-file crate.
fn records_of(file: &[u8]) -> Vec<Vec<u8>> {
    let mut reader = PcapReader::new(file)
        .unwrap_or_else(|error| panic!("what write_pcap wrote is not a pcap file ({error})"));
    let mut records = Vec::new();
    while let Some(record) = reader.next_packet() {
        let record =
            record.unwrap_or_else(|error| panic!("a record of the file cannot be read: {error}"));
        records.push(record.data.into_owned());
    }
    records
}

/// What tcpdump and the lab agree on in a line: for TCP and UDP, everything but the options
/// (tcpdump lists them one by one, the lab gives their size); for the rest, who sent it to whom.
fn comparable(line: &str) -> String {
    let is_transport = line.contains(": Flags [") || line.contains(": UDP, ");
    if !is_transport {
        return line.split(": ").next().unwrap_or_default().to_string();
    }
    line.split(", ")
        .filter(|part| !part.starts_with("options ["))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The options list of a tcpdump line, which holds ", " itself: `options [mss 1460,sackOK,…]`.
fn without_tcpdump_options(line: &str) -> String {
    match (line.find(", options ["), line.find("], length")) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &line[..start], &line[end + 1..])
        }
        _ => line.to_string(),
    }
}

/// `tcpdump -nn -S -r FILE`. Run as root, tcpdump gives up its rights after opening the file,
/// by becoming the user `tcpdump`, which a sandbox's user namespace does not allow: so it runs
/// in a user namespace of its own without a user map, as `nobody`, with nothing to give up (and
/// as it is, if that namespace cannot be made).
fn tcpdump_read(path: &std::path::Path) -> std::io::Result<std::process::Output> {
    use std::os::unix::process::CommandExt;

    let mut as_nobody = Command::new("tcpdump");
    as_nobody.args(["-nn", "-S", "-r"]).arg(path);
    // SAFETY: between fork and exec the child only calls unshare(2), async-signal-safe.
    unsafe {
        as_nobody.pre_exec(|| {
            if libc::unshare(libc::CLONE_NEWUSER) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    match as_nobody.output() {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Command::new("tcpdump")
            .args(["-nn", "-S", "-r"])
            .arg(path)
            .output(),
        result => result,
    }
}

#[test]
fn tcpdump_reads_every_packet_of_the_file() {
    let cable = Cable::build();
    let listener = listen(&cable, SERVER);
    let refused = closed_tcp_port(&cable, SERVER6);
    let closed = closed_udp_port(&cable, SERVER);
    let (frames, _) = cable.capture_while(|| {
        half_close_exchange(&cable, &listener, b"a request", b"an answer");
        attempt(&cable, refused, support::cable::PATIENCE);
        send_datagram(&cable, closed, b"anyone?");
    });
    let packets = decode_every(&frames);
    let path = std::env::temp_dir().join(format!("lab13-capture-{}.pcap", std::process::id()));
    let file = std::fs::File::create(&path).expect("the test can write its temporary folder");
    write_pcap(std::io::BufWriter::new(file), &frames)
        .unwrap_or_else(|error| panic!("write_pcap failed: {error}"));
    let written = std::fs::read(&path).expect("the test can read its temporary folder");
    assert_eq!(
        records_of(&written),
        frames
            .iter()
            .map(|frame| frame.bytes.clone())
            .collect::<Vec<_>>(),
        "the pcap-file crate should read back every captured frame from the file write_pcap \
         wrote, in order"
    );
    let output = match tcpdump_read(&path) {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let _ = std::fs::remove_file(&path);
            panic!(
                "not run: this test reads your file with tcpdump, which is not installed: install \
                 tcpdump (`cargo xtask doctor --install`)"
            )
        }
        Err(error) => panic!("not run: tcpdump could not be started ({error}); {HOW_TO_RUN}"),
    };
    let _ = std::fs::remove_file(&path);
    assert!(
        output.status.success(),
        "tcpdump could not read the file write_pcap wrote: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    // tcpdump starts each line with the time of day: HH:MM:SS.micro
    let tcpdump_lines: Vec<String> = printed
        .lines()
        .map(|line| {
            line.split_once(' ')
                .map(|(_, rest)| rest)
                .unwrap_or(line)
                .to_string()
        })
        .collect();
    assert_eq!(
        tcpdump_lines.len(),
        frames.len(),
        "tcpdump read {} packets in a file of {} frames:\n{printed}",
        tcpdump_lines.len(),
        frames.len()
    );
    let mut kinds = std::collections::BTreeSet::new();
    for (packet, tcpdump) in packets.iter().zip(&tcpdump_lines) {
        let ours = line(packet);
        assert_eq!(
            comparable(&ours),
            comparable(&without_tcpdump_options(tcpdump)),
            "your line and tcpdump's disagree on the same frame (options left out):\n  yours:   \
             {ours}\n  tcpdump: {tcpdump}"
        );
        if support::cable::between_the_machines(packet) {
            let words: Vec<&str> = ours.split(' ').collect();
            let transport = match words.get(4).copied() {
                Some("Flags") => "TCP",
                Some(other) => other.trim_end_matches(','),
                None => "?",
            };
            kinds.insert(format!("{} {transport}", words[0]));
        }
    }
    insta::assert_snapshot!(format!(
        "tcpdump -nn -S -r read every frame of the file, and each line agrees with yours\n\
         the kinds of lines between the machines:\n{}",
        kinds.into_iter().collect::<Vec<_>>().join("\n")
    ));
}
