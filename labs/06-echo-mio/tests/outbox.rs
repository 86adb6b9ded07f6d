//! Graded test for `src/outbox.rs`: partial writes and `WouldBlock`, on a pretend socket
//! that takes only as many bytes as the test allows.

mod support;

use std::io;

use insta::{assert_snapshot, with_settings};
use lab06_echo_mio::outbox::Outbox;

use support::bytes::Payload;
use support::client::Transcript;
use support::scripted_stream::ScriptedStream;

/// The most bytes the pretend socket takes in one write.
const MAX_WRITE: usize = 3_000;

/// Lets the socket take `room` more bytes, calls `write_to`, and checks what it returned
/// against what the socket took and what is left in the outbox.
fn write_round(
    outbox: &mut Outbox,
    socket: &mut ScriptedStream,
    room: u64,
    transcript: &Transcript,
) {
    socket.make_room(room);
    let before = outbox.len();
    let taken_before = socket.written.received;
    let result = outbox.write_to(socket);
    let taken = (socket.written.received - taken_before) as usize;
    let returned = match result {
        Ok(count) => count,
        Err(error) if error.kind() == io::ErrorKind::WouldBlock => panic!(
            "write_to returned Err(WouldBlock) when the socket's buffer was full. WouldBlock is \
             not an error for the outbox: stop writing and return Ok(the bytes written so far); \
             the rest stays in the outbox until the socket is writable again.\n\nSo far:\n{}",
            transcript.recent()
        ),
        Err(error) => panic!(
            "write_to returned the error {error:?}, but the socket only said WouldBlock.\n\nSo far:\n{}",
            transcript.recent()
        ),
    };
    assert_eq!(
        returned,
        taken,
        "write_to returned Ok({returned}), but the socket took {taken} bytes in this call: \
         return the sum of the counts that `write` returned.\n\nSo far:\n{}",
        transcript.recent()
    );
    assert_eq!(
        outbox.len(),
        before - taken,
        "the outbox held {before} bytes and the socket took {taken} of them, so {} should be \
         left, but outbox.len() is {}. Each write may take fewer bytes than it was given: \
         remove exactly the count it returned (drain(..count)), no more, no less.\n\nSo far:\n{}",
        before - taken,
        outbox.len(),
        transcript.recent()
    );
    transcript.note(format!(
        "the socket has room for {room} bytes: write_to returns Ok({returned}), {} bytes left in \
         the outbox",
        outbox.len()
    ));
}

#[test]
fn keeps_what_a_short_write_did_not_take() {
    let payload = Payload::new(6, 25_000);
    let mut socket = ScriptedStream::new(payload, 0, MAX_WRITE);
    let mut outbox = Outbox::new();
    let transcript = Transcript::new();
    transcript.note(format!(
        "a pretend socket that takes at most {MAX_WRITE} bytes per write, and says WouldBlock \
         when its buffer is full"
    ));

    outbox.push(&payload.chunk(0, 10_000));
    transcript.note(format!(
        "push bytes 0 to 9999 of the payload: the outbox holds {}",
        outbox.len()
    ));
    write_round(&mut outbox, &mut socket, 7_000, &transcript);
    outbox.push(&payload.chunk(10_000, 15_000));
    transcript.note(format!(
        "push bytes 10000 to 24999: the outbox holds {}",
        outbox.len()
    ));
    write_round(&mut outbox, &mut socket, 0, &transcript);
    write_round(&mut outbox, &mut socket, 5_500, &transcript);
    write_round(&mut outbox, &mut socket, 100_000, &transcript);
    write_round(&mut outbox, &mut socket, 100_000, &transcript);

    assert!(
        socket.written.is_complete_and_identical(),
        "the socket received {}: the bytes must leave the outbox in the order they were pushed, \
         each exactly once.\n\nSo far:\n{}",
        socket.written.verdict(),
        transcript.recent()
    );
    transcript.note(format!(
        "the socket received {}; the outbox is empty: {}",
        socket.written.verdict(),
        outbox.is_empty()
    ));
    with_settings!({
        description => "Outbox::write_to on a socket that takes at most 3000 bytes per write and then says WouldBlock: it returns how many bytes went, keeps the others in order, and treats WouldBlock as 'stop for now', not as an error.",
    }, {
        assert_snapshot!(transcript.text());
    });
}
