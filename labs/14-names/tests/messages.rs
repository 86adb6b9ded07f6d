//! Graded tests for `src/message.rs`: queries byte for byte, responses of the test's own
//! (with and without compression), and hostile bytes that must be refused, never a panic.

mod support;

use std::panic::{AssertUnwindSafe, catch_unwind};

use lab14_names::message::{
    MessageError, Record, RecordData, RecordType, Response, build_query, parse_response,
};
use support::{Rr, hex, response};

/// `parse_response`, with a panic turned into a failure that says what to fix.
fn parse(bytes: &[u8]) -> Result<Response, MessageError> {
    match catch_unwind(AssertUnwindSafe(|| parse_response(bytes))) {
        Ok(result) => result,
        Err(_) => panic!(
            "parse_response panicked on these {} bytes instead of returning an error:\n{}\n\
             Bytes from the network may be anything: check every length and offset before you \
             index (`bytes.get(..)` returns None instead of panicking)",
            bytes.len(),
            hex(bytes)
        ),
    }
}

/// One record as a line: `web.lab14.test  ttl 300  A 198.51.100.80`.
fn record_line(record: &Record) -> String {
    let data = match &record.data {
        RecordData::A(address) => format!("A {address}"),
        RecordData::Aaaa(address) => format!("AAAA {address}"),
        RecordData::Cname(target) => format!("CNAME {target}"),
        RecordData::Other(kind) => format!("{kind} (skipped)"),
    };
    format!(
        "{}  ttl {}  {data}",
        record.name.to_ascii_lowercase(),
        record.ttl
    )
}

fn describe(response: &Response) -> String {
    let question = match &response.question {
        Some(question) => format!(
            "{} {}",
            question.name.to_ascii_lowercase(),
            question.record_type
        ),
        None => "(none)".into(),
    };
    let mut lines = vec![format!(
        "id {:#06x}  response {}  truncated {}  rcode {:?}  question {question}",
        response.id, response.is_response, response.truncated, response.rcode
    )];
    lines.extend(
        response
            .answers
            .iter()
            .map(|record| format!("  {}", record_line(record))),
    );
    lines.join("\n")
}

#[test]
fn builds_a_query_byte_for_byte() {
    // RFC 1035 §4.1: header (id, flags with RD only, QDCOUNT 1, three counts 0), then the
    // question: labels, QTYPE, QCLASS IN.
    let expected: &[u8] = &[
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // header
        3, b'w', b'w', b'w', 7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm',
        0, // the root
        0x00, 0x01, 0x00, 0x01, // QTYPE A, QCLASS IN
    ];
    let built = build_query(0x1234, "www.example.com", RecordType::A).unwrap_or_else(|error| {
        panic!("build_query(0x1234, \"www.example.com\", A) failed: {error}")
    });
    assert_eq!(
        hex(&built),
        hex(expected),
        "the query for www.example.com, type A, id 0x1234 should be exactly (left) the bytes of \
         RFC 1035 §4.1: 12 header bytes, then 3 www 7 example 3 com 0, then QTYPE 1 and QCLASS \
         1, every number big-endian"
    );
    let mut lines = vec![format!("www.example.com A, id 0x1234:\n{}", hex(&built))];
    for (id, name, record_type) in [
        (0xbeef, "localhost.", RecordType::Aaaa),
        (0x0001, "www.lab14.test", RecordType::Cname),
        (0xffff, ".", RecordType::A),
    ] {
        let built = build_query(id, name, record_type)
            .map(|bytes| hex(&bytes))
            .unwrap_or_else(|error| format!("error: {error}"));
        lines.push(format!("{name} {record_type}, id {id:#06x}:\n{built}"));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn refuses_names_dns_cannot_carry() {
    let long_label = "a".repeat(64);
    let longest_label = "a".repeat(63);
    let long_name = vec!["abcdefghi"; 26].join("."); // 26 × 10 + 1 = 261 bytes on the wire
    let names = [
        ("an empty label", "www..lab14.test".to_string()),
        ("a label of 64 bytes", format!("{long_label}.lab14.test")),
        ("a label of 63 bytes", format!("{longest_label}.lab14.test")),
        ("261 bytes on the wire", long_name),
    ];
    let lines: Vec<String> = names
        .iter()
        .map(|(what, name)| match build_query(7, name, RecordType::A) {
            Ok(bytes) => format!("{what}: a query of {} bytes", bytes.len()),
            Err(_) => format!("{what}: refused"),
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn reads_a_response_header_and_records() {
    let mut mx = 10u16.to_be_bytes().to_vec();
    mx.extend_from_slice(&support::wire_name("mail.lab14.test"));
    let answer = response(
        0xab12,
        0x8580, // QR, AA, RD, RA; NOERROR
        "www.lab14.test",
        1,
        &[
            Rr {
                name: "www.lab14.test",
                rtype: 5,
                ttl: 77,
                data: support::wire_name("web.lab14.test"),
            },
            Rr {
                name: "web.lab14.test",
                rtype: 1,
                ttl: 300,
                data: support::a([198, 51, 100, 80]),
            },
            Rr {
                name: "web.lab14.test",
                rtype: 28,
                ttl: 86400,
                data: "2001:db8::80"
                    .parse::<std::net::Ipv6Addr>()
                    .unwrap()
                    .octets()
                    .to_vec(),
            },
            Rr {
                name: "lab14.test",
                rtype: 15,
                ttl: 3600,
                data: mx,
            },
        ],
    );
    let nxdomain = response(0x0102, 0x8183, "nope.lab14.test", 28, &[]);
    let truncated = response(0x0103, 0x8380, "many.lab14.test", 1, &[]);
    let query = support::query(0x0104, "web.lab14.test", 1);
    let mut lines = Vec::new();
    for bytes in [&answer, &nxdomain, &truncated, &query] {
        match parse(bytes) {
            Ok(parsed) => lines.push(describe(&parsed)),
            Err(error) => panic!(
                "parse_response refused a well-formed message ({error}):\n{}",
                hex(bytes)
            ),
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

/// A response that uses compression the way RFC 1035 §4.1.4 shows: names that are a pointer,
/// labels then a pointer, a pointer to a name that itself ends in a pointer, and a CNAME
/// whose data is a pointer.
pub fn compressed_response() -> Vec<u8> {
    let mut message = vec![
        0x77, 0x01, 0x81, 0x80, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
    ];
    // Offset 12: the question, www.lab14.test A IN.
    message.extend_from_slice(&support::wire_name("www.lab14.test"));
    message.extend_from_slice(&[0x00, 0x01, 0x00, 0x01]);
    // Answer 1 at offset 32: www.lab14.test (pointer to 12) CNAME web + pointer to
    // "lab14.test" at offset 16.
    message.extend_from_slice(&[0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x4d]);
    message.extend_from_slice(&[0x00, 0x06, 3, b'w', b'e', b'b', 0xc0, 0x10]);
    // Answer 2 at offset 50: web.lab14.test as a pointer to the CNAME's data (offset 44),
    // which itself ends in a pointer.
    message.extend_from_slice(&[0xc0, 0x2c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c]);
    message.extend_from_slice(&[0x00, 0x04, 198, 51, 100, 80]);
    // Answer 3: "old" then a pointer to web.lab14.test (offset 44).
    message.extend_from_slice(&[3, b'o', b'l', b'd', 0xc0, 0x2c]);
    message.extend_from_slice(&[0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c]);
    message.extend_from_slice(&[0x00, 0x04, 198, 51, 100, 81]);
    // Answer 4: the root name (a single zero byte), an unknown type 99, 3 bytes of data.
    message.extend_from_slice(&[0x00, 0x00, 0x63, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05]);
    message.extend_from_slice(&[0x00, 0x03, 1, 2, 3]);
    message
}

#[test]
fn follows_compression_pointers() {
    let bytes = compressed_response();
    let parsed = parse(&bytes).unwrap_or_else(|error| {
        panic!(
            "parse_response refused a response that uses compression pointers ({error}). Two \
             bytes whose top bits are 11 are a pointer: the other 14 bits are the offset, from \
             the start of the message, where the rest of the name is (RFC 1035 §4.1.4):\n{}",
            hex(&bytes)
        )
    });
    insta::assert_snapshot!(describe(&parsed));
}

#[test]
fn rejects_hostile_messages_without_panicking() {
    let header = |answers: u8| vec![0, 1, 0x81, 0x80, 0, 1, 0, answers, 0, 0, 0, 0];
    let question = [1, b'x', 0, 0, 1, 0, 1];
    let with = |answers: u8, rest: &[u8]| {
        let mut message = header(answers);
        message.extend_from_slice(&question);
        message.extend_from_slice(rest);
        message
    };
    let record_head = [0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60];
    let hostile: Vec<(&str, Vec<u8>)> = vec![
        ("nothing at all", vec![]),
        ("a header cut short", vec![0, 1, 0x81, 0x80, 0, 1]),
        ("a question count with no question", header(0)),
        ("a name that points at itself", {
            let mut message = header(0);
            message.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1]);
            message
        }),
        ("two pointers that point at each other", {
            let mut message = header(1);
            message.extend_from_slice(&question);
            // The answer's name at offset 19 points to 21, and 21 back to 19.
            message.extend_from_slice(&[0xc0, 21, 0xc0, 19]);
            message.extend_from_slice(&record_head);
            message.extend_from_slice(&[0, 4, 1, 2, 3, 4]);
            message
        }),
        (
            "a pointer past the end",
            with(1, &[0xc0, 0xff, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]),
        ),
        ("a pointer cut in half", with(1, &[0xc0])),
        (
            "a label longer than the message",
            with(1, &[40, b'a', b'b']),
        ),
        ("a label of the reserved type 01", with(1, &[0x41, b'a', 0])),
        ("more answers counted than there are", {
            let mut message = with(3, &[0xc0, 12]);
            message.extend_from_slice(&record_head);
            message.extend_from_slice(&[0, 4, 1, 2, 3, 4]);
            message
        }),
        ("a data length past the end", {
            let mut message = with(1, &[0xc0, 12]);
            message.extend_from_slice(&record_head);
            message.extend_from_slice(&[0, 200, 1, 2]);
            message
        }),
        ("an A record of 3 bytes", {
            let mut message = with(1, &[0xc0, 12]);
            message.extend_from_slice(&record_head);
            message.extend_from_slice(&[0, 3, 1, 2, 3]);
            message
        }),
        ("a name of 300 bytes", {
            let mut message = header(0);
            for _ in 0..30 {
                message
                    .extend_from_slice(&[9, b'a', b'b', b'c', b'd', b'e', b'f', b'g', b'h', b'i']);
            }
            message.extend_from_slice(&[0, 0, 1, 0, 1]);
            message
        }),
    ];
    let lines: Vec<String> = hostile
        .iter()
        .map(|(what, bytes)| match parse(bytes) {
            Ok(parsed) => format!("{what}: ACCEPTED as {parsed:?}"),
            Err(_) => format!("{what}: refused"),
        })
        .collect();
    let accepted: Vec<&String> = lines
        .iter()
        .filter(|line| line.contains("ACCEPTED"))
        .collect();
    assert!(
        accepted.is_empty(),
        "parse_response must return an error for these broken messages, but it accepted:\n{}",
        accepted
            .iter()
            .map(|line| line.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn never_panics_on_a_cut_short_or_damaged_response() {
    let whole = compressed_response();
    let mut accepted_cuts = Vec::new();
    for length in 0..whole.len() {
        if parse(&whole[..length]).is_ok() {
            accepted_cuts.push(length);
        }
    }
    assert!(
        accepted_cuts.is_empty(),
        "a response cut short (its counts promise records that are not there) must be an \
         error, but parse_response accepted the first {accepted_cuts:?} bytes of:\n{}",
        hex(&whole)
    );
    // Every byte damaged in turn, to each of a few values: Ok or Err, but never a panic.
    let mut damaged_tried = 0;
    for at in 0..whole.len() {
        for value in [0x00, 0x01, 0x3f, 0x40, 0xc0, 0xff] {
            let mut damaged = whole.clone();
            damaged[at] = value;
            let _ = parse(&damaged);
            damaged_tried += 1;
        }
    }
    insta::assert_snapshot!(format!(
        "every cut of a {}-byte response refused; {damaged_tried} damaged copies read without a panic",
        whole.len()
    ));
}
