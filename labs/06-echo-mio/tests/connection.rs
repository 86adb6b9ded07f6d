//! Graded tests for `src/connection.rs`: one connection's state machine, driven by hand on a
//! pretend non-blocking stream. The test plays the event loop: it makes bytes arrive, makes
//! room in the socket's send buffer, calls `on_ready` as the loop would after an event, and
//! asks for the `interest` the connection would register.

mod support;

use insta::{assert_snapshot, with_settings};
use lab06_echo_mio::connection::Connection;
use lab06_echo_mio::outbox::OUTBOX_CAPACITY;
use mio::Interest;

use support::bytes::Payload;
use support::client::Transcript;
use support::scripted_stream::ScriptedStream;

/// The connection under test, the transcript of what the test did, and short descriptions.
struct Bench {
    connection: Connection<ScriptedStream>,
    transcript: Transcript,
}

impl Bench {
    fn new(payload: Payload, max_read: usize, max_write: usize) -> Bench {
        let transcript = Transcript::new();
        transcript.note(format!(
            "a pretend stream: reads hand out at most {max_read} bytes, writes take at most \
             {max_write} bytes, and both say WouldBlock when they cannot go on"
        ));
        let bench = Bench {
            connection: Connection::new(ScriptedStream::new(payload, max_read, max_write)),
            transcript,
        };
        bench.expect_interest(
            Some(Interest::READABLE),
            "of a new connection",
            "it waits for the client's first bytes, and has nothing to write.",
        );
        bench
    }

    fn stream(&mut self) -> &mut ScriptedStream {
        self.connection.stream_mut()
    }

    fn arrive(&mut self, count: u64) {
        self.stream().arrive(count);
        self.transcript
            .note(format!("{count} bytes arrive from the client"));
    }

    fn arrive_end(&mut self) {
        self.stream().arrive_end();
        self.transcript
            .note("the client shuts down its sending side (the end of the stream arrives)");
    }

    fn make_room(&mut self, count: u64) {
        self.stream().make_room(count);
        self.transcript.note(format!(
            "the client reads: the socket's send buffer has room for {count} more bytes"
        ));
    }

    /// Calls `on_ready` as the event loop does after an event, and notes what it did.
    fn on_ready(&mut self) {
        let read_before = self.connection.stream_mut().given;
        let written_before = self.connection.stream_mut().written.received;
        if let Err(error) = self.connection.on_ready() {
            panic!(
                "on_ready returned the error {error:?}, but the stream never failed: WouldBlock \
                 means 'wait for the next event' and the end of the stream is Ok(0); neither is \
                 an error.\n\nSo far:\n{}",
                self.transcript.recent()
            );
        }
        let stream = self.connection.stream_mut();
        let read = stream.given - read_before;
        let written = stream.written.received - written_before;
        let unread = stream.unread();
        self.transcript.note(format!(
            "on_ready: reads {read} bytes, writes back {written} bytes; {unread} bytes left \
             unread, {} waiting in the outbox",
            self.connection.pending()
        ));
    }

    fn note_interest(&self, when: &str) {
        self.transcript.note(format!(
            "  interest ({when}): {}",
            describe(self.connection.interest())
        ));
    }

    /// Checks the interest, explaining `why` it must be what it must be.
    fn expect_interest(&self, expected: Option<Interest>, when: &str, why: &str) {
        let interest = self.connection.interest();
        if interest != expected {
            panic!(
                "interest() is {} {when}, but it should be {}: {why}\n\nSo far:\n{}",
                describe(interest),
                describe(expected),
                self.transcript.recent()
            );
        }
        self.note_interest(when);
    }
}

fn describe(interest: Option<Interest>) -> String {
    match interest {
        None => "None (finished: close it)".to_string(),
        Some(interest) => match (interest.is_readable(), interest.is_writable()) {
            (true, true) => "READABLE | WRITABLE".to_string(),
            (true, false) => "READABLE".to_string(),
            (false, true) => "WRITABLE".to_string(),
            (false, false) => format!("{interest:?}"),
        },
    }
}

#[test]
fn reads_until_would_block_and_echoes_at_once() {
    let payload = Payload::new(1, 60_000);
    let mut bench = Bench::new(payload, 7_000, 1 << 20);
    bench.make_room(1_000_000);

    bench.arrive(50_000);
    bench.on_ready();
    let unread = bench.stream().unread();
    if unread > 0 {
        panic!(
            "after on_ready, {unread} of the 50000 bytes that had arrived were still unread. \
             mio's events are edge-triggered: the event said \"bytes arrived\" once, and no new \
             event will come for these. on_ready must read again and again until a read says \
             WouldBlock (Received::NothingYet).\n\nSo far:\n{}",
            bench.transcript.recent()
        );
    }
    if bench.stream().reads_that_would_block == 0 {
        panic!(
            "on_ready stopped reading before a read said WouldBlock: it cannot know that \
             nothing more arrived until a read says so.\n\nSo far:\n{}",
            bench.transcript.recent()
        );
    }
    bench.expect_interest(
        Some(Interest::READABLE),
        "after everything was echoed",
        "nothing waits to be written, so only new bytes from the client matter.",
    );

    bench.on_ready();
    bench.arrive(10_000);
    bench.on_ready();
    let stream = bench.stream();
    assert!(
        stream.written.is_complete_and_identical(),
        "the client sent 60000 bytes, and the stream received back {}: on_ready must write \
         back every byte it reads, in order.\n\nSo far:\n{}",
        stream.written.verdict(),
        bench.transcript.recent()
    );
    let verdict = stream.written.verdict();
    assert_eq!(
        bench.connection.echoed(),
        60_000,
        "echoed() must count the bytes written back"
    );
    bench
        .transcript
        .note(format!("the client got back {verdict}; echoed() = 60000"));
    with_settings!({
        description => "on_ready reads until a read says WouldBlock (an edge-triggered event comes once for all the bytes that arrived), and writes back what it read.",
    }, {
        assert_snapshot!(bench.transcript.text());
    });
}

#[test]
fn asks_for_writable_only_while_output_is_pending() {
    let payload = Payload::new(2, 200_010);
    let mut bench = Bench::new(payload, 16 * 1024, 8 * 1024);

    bench.arrive(10);
    bench.on_ready();
    bench.expect_interest(
        Some(Interest::READABLE | Interest::WRITABLE),
        "with 10 bytes that the socket could not take",
        "bytes wait in the outbox, so the connection waits for the socket to become \
         writable, and it still reads.",
    );
    bench.make_room(4);
    bench.on_ready();
    bench.expect_interest(
        Some(Interest::READABLE | Interest::WRITABLE),
        "with 6 bytes still waiting",
        "a partial write leaves bytes in the outbox: WRITABLE until the last one is written.",
    );
    bench.make_room(6);
    bench.on_ready();
    bench.expect_interest(
        Some(Interest::READABLE),
        "with an empty outbox",
        "with nothing to write, WRITABLE would only wake the event loop for nothing (a socket \
         is writable nearly all the time): ask for it only while bytes wait.",
    );

    bench.arrive(200_000);
    bench.on_ready();
    let pending = bench.connection.pending();
    if pending != OUTBOX_CAPACITY {
        panic!(
            "200000 bytes arrived while the socket took no bytes at all: on_ready should have \
             read until the outbox was full ({OUTBOX_CAPACITY} bytes) and stopped there, but \
             {pending} bytes wait in the outbox. Read at most outbox.room() bytes at a time, \
             and stop reading once the outbox is full.\n\nSo far:\n{}",
            bench.transcript.recent()
        );
    }
    bench.expect_interest(
        Some(Interest::WRITABLE),
        "with a full outbox",
        "a full outbox stops the reading (backpressure): no READABLE until there is room again.",
    );

    bench.make_room(1_000_000);
    bench.on_ready();
    let unread = bench.stream().unread();
    if unread > 0 || bench.connection.pending() > 0 {
        panic!(
            "the socket had room for everything, but after on_ready {unread} bytes were still \
             unread and {} waited in the outbox. When writing makes room in the outbox, \
             on_ready must go back to reading: the READABLE event for those bytes came long \
             ago, and nothing promises another one.\n\nSo far:\n{}",
            bench.connection.pending(),
            bench.transcript.recent()
        );
    }
    bench.expect_interest(
        Some(Interest::READABLE),
        "once everything was echoed",
        "nothing waits to be written any more.",
    );
    let stream = bench.stream();
    assert!(
        stream.written.is_complete_and_identical(),
        "the client received back {}, not the 200010 bytes it sent\n\nSo far:\n{}",
        stream.written.verdict(),
        bench.transcript.recent()
    );
    assert!(
        stream.most_held <= OUTBOX_CAPACITY as u64,
        "the connection held {} bytes read but not written back, more than the outbox's \
         {OUTBOX_CAPACITY}",
        stream.most_held
    );
    let verdict = stream.written.verdict();
    bench.transcript.note(format!(
        "the client got back {verdict}, and the connection never held more than \
         OUTBOX_CAPACITY bytes"
    ));
    with_settings!({
        description => "interest() is READABLE while the connection reads, plus WRITABLE only while bytes wait in the outbox; a full outbox drops READABLE (backpressure) until writing makes room.",
    }, {
        assert_snapshot!(bench.transcript.text());
    });
}

#[test]
fn finishes_after_the_end_of_the_stream() {
    let payload = Payload::new(3, 5_000);
    let mut bench = Bench::new(payload, 16 * 1024, 1_000);
    bench.make_room(1_000);
    bench.arrive(5_000);
    bench.arrive_end();
    bench.on_ready();
    if bench.stream().unread() > 0 {
        panic!(
            "on_ready left bytes unread before the end of the stream\n\nSo far:\n{}",
            bench.transcript.recent()
        );
    }
    if let Some(after) = bench.stream().shut_down_after {
        panic!(
            "the connection shut down its writing side after writing back only {after} of the \
             5000 bytes it read: the client would never get the rest. After the end of the \
             stream, write back everything in the outbox first, and shut down only once it is \
             empty.\n\nSo far:\n{}",
            bench.transcript.recent()
        );
    }
    bench.expect_interest(
        Some(Interest::WRITABLE),
        "after the end of the stream, with 4000 bytes waiting",
        "the client sends nothing more, so there is nothing to read, but bytes wait to be \
         written back.",
    );

    bench.make_room(10_000);
    bench.on_ready();
    match bench.stream().shut_down_after {
        Some(5_000) => bench
            .transcript
            .note("the connection shuts down its writing side after the last of the 5000 bytes"),
        Some(after) => panic!(
            "the connection shut down its writing side after {after} bytes instead of after \
             all 5000\n\nSo far:\n{}",
            bench.transcript.recent()
        ),
        None => panic!(
            "the end of the stream was read and every byte was written back, but the connection \
             did not shut down its writing side: the client waits for the end of the stream \
             for ever. Once the end of the stream was read and the outbox is empty, call \
             shutdown_write() and mark the connection finished. (A read of 0 bytes is the end \
             of the stream, Received::End, not NothingYet.)\n\nSo far:\n{}",
            bench.transcript.recent()
        ),
    }
    assert!(
        bench.connection.is_finished(),
        "is_finished() should be true once the writing side is shut down"
    );
    bench.expect_interest(
        None,
        "once finished",
        "a finished connection waits for nothing: the event loop closes it.",
    );
    let stream = bench.stream();
    assert!(
        stream.written.is_complete_and_identical(),
        "the client received back {}, not the 5000 bytes it sent",
        stream.written.verdict()
    );

    let mut quiet = Bench::new(Payload::new(4, 0), 16 * 1024, 1_000);
    quiet.arrive_end();
    quiet.on_ready();
    if quiet.stream().shut_down_after != Some(0) {
        panic!(
            "a client that sent nothing and shut down its sending side should see the end of \
             the stream at once: on_ready reads 0 bytes, has nothing to write back, and shuts \
             down the writing side.\n\nSo far:\n{}",
            quiet.transcript.recent()
        );
    }
    quiet.expect_interest(
        None,
        "of a client that sent nothing",
        "it is finished: end of stream read, nothing to write, writing side shut down.",
    );
    let text =
        bench.transcript.text() + "\nanother client sends nothing:\n" + &quiet.transcript.text();
    with_settings!({
        description => "A read of 0 bytes is the end of the stream: the connection reads no more, writes back what waits in the outbox, then shuts down its writing side (the half-close) and asks for nothing: it is finished.",
    }, {
        assert_snapshot!(text);
    });
}
