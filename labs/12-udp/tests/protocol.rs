//! Graded tests for `src/protocol.rs`: the wire format, byte by byte, and a decoder that
//! never trusts a datagram.

mod support;

use lab12_udp::protocol::{DecodeError, Kind, Message};
use support::wire;

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn encodes_the_wire_format() {
    let long_body = vec![b'z'; 300];
    let messages = [
        (
            "request id 1, body \"add 5\"",
            Message::request(1, b"add 5"),
        ),
        (
            "response id 0xdeadbeef, body \"12\"",
            Message::response(0xdead_beef, b"12"),
        ),
        ("request id 258, empty body", Message::request(258, b"")),
    ];
    let mut lines = Vec::new();
    for (what, message) in &messages {
        let bytes = message.encode();
        let expected = wire::encode(
            if message.kind == Kind::Request {
                wire::REQUEST
            } else {
                wire::RESPONSE
            },
            message.id,
            &message.body,
        );
        assert_eq!(
            hex(&bytes),
            hex(&expected),
            "encode() of the {what}: expected the bytes on the right (kind, id big-endian, body \
             length big-endian, body). Check each field's size and byte order"
        );
        lines.push(format!("{what}:\n  {}", hex(&bytes)));
    }
    let bytes = Message::request(7, &long_body).encode();
    lines.push(format!(
        "request id 7, a body of 300 bytes: {} bytes, the header {}",
        bytes.len(),
        hex(&bytes[..7.min(bytes.len())])
    ));
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn decodes_what_it_encodes() {
    let mut lines = Vec::new();
    for bytes in [
        wire::request(1, "add 5"),
        wire::response(u32::MAX, "-3"),
        wire::request(0, ""),
    ] {
        let decoded = Message::decode(&bytes).unwrap_or_else(|error| {
            panic!(
                "decode() should read {} as a message, but said: {error}",
                hex(&bytes)
            )
        });
        let expected = wire::decode(&bytes).unwrap();
        assert_eq!(
            (
                decoded.kind == Kind::Request,
                decoded.id,
                decoded.body.clone()
            ),
            (expected.0 == wire::REQUEST, expected.1, expected.2),
            "decode() of {} read the wrong kind, id or body",
            hex(&bytes)
        );
        lines.push(format!("{}  →  {decoded:?}", hex(&bytes)));
        let again = Message::decode(&decoded.encode());
        assert_eq!(
            again.as_ref(),
            Ok(&decoded),
            "decode(encode(m)) should give m back"
        );
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn rejects_malformed_datagrams_without_panicking() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("an empty datagram", vec![]),
        ("a lone kind byte", vec![1]),
        ("6 bytes, one short of a header", vec![1, 0, 0, 0, 1, 0]),
        ("kind 3", wire::encode(3, 1, b"add 5")),
        ("kind 0", wire::encode(0, 1, b"")),
        ("a length of 5 and 2 bytes of body", {
            let mut bytes = wire::request(1, "add 5");
            bytes.truncate(9);
            bytes
        }),
        ("a length of 65535 and 5 bytes of body", {
            let mut bytes = wire::request(1, "add 5");
            bytes[5] = 0xff;
            bytes[6] = 0xff;
            bytes
        }),
        ("a length of 2 and 5 bytes of body", {
            let mut bytes = wire::request(1, "add 5");
            bytes[6] = 2;
            bytes
        }),
    ];
    // A well-formed request first, outside the net below: a decoder that cannot decode
    // anything yet fails here with its own message.
    let well_formed = wire::request(1, "add 5");
    assert!(
        Message::decode(&well_formed).is_ok(),
        "decode() rejects a well-formed request ({}): write it before the malformed cases",
        harness::bytes::show(&well_formed)
    );
    // The decoder's panics are caught here and reported, one line each.
    std::panic::set_hook(Box::new(|_| {}));
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (what, bytes) in &cases {
        let outcome = std::panic::catch_unwind(|| Message::decode(bytes));
        let line = match outcome {
            Ok(Err(error)) => format!("{what}: rejected ({})", kind_of(&error)),
            Ok(Ok(message)) => {
                problems.push(format!("{what} was accepted as {message:?}"));
                format!("{what}: ACCEPTED")
            }
            Err(_) => {
                problems.push(format!("{what} made decode() panic"));
                format!("{what}: PANICKED")
            }
        };
        lines.push(line);
    }
    let _ = std::panic::take_hook();
    assert!(
        problems.is_empty(),
        "decode() must reject every malformed datagram with an error, and never panic: a \
         datagram comes from anyone. The length field is a claim: compare it with the bytes \
         that follow before you slice. Problems:\n  {}\nAll cases:\n{}",
        problems.join("\n  "),
        lines.join("\n")
    );
    insta::assert_snapshot!(lines.join("\n"));
}

/// The error's variant, without its numbers' exact wording.
fn kind_of(error: &DecodeError) -> String {
    match error {
        DecodeError::TooShort { size } => format!("TooShort, size {size}"),
        DecodeError::UnknownKind(kind) => format!("UnknownKind {kind}"),
        DecodeError::WrongLength { said, carried } => {
            format!("WrongLength, said {said}, carried {carried}")
        }
    }
}
