//! One client's connection: a small state machine driven by readiness events.
//!
//! With tokio, the state of a connection lived in the local variables of its
//! task (`buffer`, `echoed`, where the loop was). Here the event loop serves
//! every client on one thread, so each connection keeps its state in a struct,
//! [`Connection`], and the loop calls [`Connection::on_ready`] whenever the poll
//! says its socket *may* be ready.
//!
//! **Readiness is a hint: do everything you can, until `WouldBlock`.** mio's
//! events are *edge-triggered*: the poll reports a socket when it *becomes*
//! readable (new bytes arrived), not for as long as it *is* readable. If
//! `on_ready` read only once, and 48 KiB of the 64 KiB that arrived were still
//! in the kernel's buffer, no new event would ever come for them, and the
//! client would wait for its echo forever. So `on_ready` reads until a read says
//! `WouldBlock`, writes each piece back as soon as it has it, and only then
//! returns to the loop.
//!
//! **A read of 0 bytes is the end of the stream,** never "nothing yet" (that is
//! `WouldBlock`). After it, the connection reads no more, writes back what is
//! still in its outbox, then shuts down its writing side (the FIN of a
//! half-close, as in lab 04), and it is finished: the server closes it.
//!
//! **The interest says what the connection waits for next.** After `on_ready`,
//! the loop asks [`Connection::interest`] and registers the socket with it:
//!
//! | state of the connection                      | interest                  |
//! |----------------------------------------------|---------------------------|
//! | reading, nothing waiting to be written       | `READABLE`                |
//! | reading, some bytes waiting in the outbox    | `READABLE` and `WRITABLE` |
//! | outbox full (backpressure), or end of stream | `WRITABLE`                |
//! | finished: end of stream, outbox written, FIN | none: close it            |
//!
//! `WRITABLE` only while bytes wait, because a socket is writable almost all
//! the time: with a level-triggered poll (`poll(2)`, or `epoll` without
//! `EPOLLET`), a socket registered for `WRITABLE` with nothing to write wakes
//! the loop again and again for nothing, a busy loop. mio's edge-triggered
//! poll is kinder (it costs only needless wake-ups), but the rule keeps the
//! loop right under both, and makes the interest say exactly what the
//! connection waits for. And no `READABLE` while the outbox is full: the
//! server stops reading, its receive buffer fills, and TCP's flow control
//! slows the client down (backpressure).
//!
//! [`Connection`] works on any stream that can be read, written and half-closed
//! ([`HalfClose`]): on a [`mio::net::TcpStream`] in the server, and on a pretend
//! stream in the tests, which hands out bytes and `WouldBlock`s exactly when
//! the test says.

use std::io::{self, Read, Write};
use std::net::Shutdown;

use mio::Interest;

use crate::outbox::Outbox;

/// The most bytes one `read` asks for: 16 KiB, as in lab 04.
pub const READ_CHUNK: usize = 16 * 1024;

/// A stream whose writing side can be shut down on its own: the half-close.
pub trait HalfClose {
    /// Shuts down the writing side (`shutdown(Write)`): the peer reads the end of
    /// the stream once it has read everything written before.
    fn shutdown_write(&mut self) -> io::Result<()>;
}

impl HalfClose for mio::net::TcpStream {
    fn shutdown_write(&mut self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

/// What one read brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Some bytes, now at the back of the outbox.
    Bytes(usize),
    /// The end of the stream: the client shut down its sending side, or closed.
    End,
    /// Nothing has arrived since the last read (`WouldBlock`): wait for the next event.
    NothingYet,
}

/// One client's connection: its stream, what waits to be written back, and how far it got.
#[derive(Debug)]
pub struct Connection<S> {
    stream: S,
    outbox: Outbox,
    /// A read returned 0: the client sends nothing more.
    end_of_stream: bool,
    /// The writing side was shut down after the last byte was written back.
    finished: bool,
    /// How many bytes were written back.
    echoed: u64,
}

impl<S: Read + Write + HalfClose> Connection<S> {
    /// A new connection on `stream`, with nothing read yet.
    pub fn new(stream: S) -> Connection<S> {
        Connection {
            stream,
            outbox: Outbox::new(),
            end_of_stream: false,
            finished: false,
            echoed: 0,
        }
    }

    /// The stream, to register it with the poll (or, in the tests, to script it).
    pub fn stream_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    /// How many bytes were written back so far.
    pub fn echoed(&self) -> u64 {
        self.echoed
    }

    /// How many bytes were read and wait to be written back.
    pub fn pending(&self) -> usize {
        self.outbox.len()
    }

    /// The end of the stream was read, every byte was written back, and the
    /// writing side was shut down: nothing is left to do but close.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Does everything that can be done now without waiting: writes back what
    /// waits in the outbox, reads until `WouldBlock` (or the end of the stream,
    /// or a full outbox) writing each piece back at once, and, once the end of
    /// the stream was read and the outbox is empty, shuts down the writing side.
    ///
    /// Call it whenever the poll reports the stream, readable or writable: it
    /// does not matter which, since a read or a write that cannot go on just
    /// says `WouldBlock`. An error (the client vanished: connection reset, broken
    /// pipe) is returned as it is, and ends the connection.
    pub fn on_ready(&mut self) -> io::Result<()> {
        // TODO: do everything that can be done now, as the doc comment says. Think about:
        // 50 000 bytes handed out 7000 per read (one call must take them all, up to
        // `WouldBlock`); an outbox that fills up (stop reading) and then drains while you
        // write (read again in the same call: no new event comes for bytes already waiting);
        // a read of 0 bytes while bytes still wait to go back; a call once it is finished.
        // You need a private helper of your own design (the stub has none) that does one
        // read: at most `READ_CHUNK` bytes and never more than the outbox has room for, what
        // it brings at the back of the outbox, and one of the three `Received` as its answer
        // (`Interrupted` is read again, any other error returned). Read the module comment,
        // and chapter 6, "Edge-triggered: do everything you can, until `WouldBlock`" and "The
        // end of the stream, and the half-close". Stuck? `cargo xtask hint 06`.
        todo!()
    }

    /// What the connection waits for next, or `None` when it is finished.
    ///
    /// `READABLE` while it still reads: not after the end of the stream, and not
    /// while the outbox is full. `WRITABLE` while bytes wait in the outbox, and
    /// only then.
    pub fn interest(&self) -> Option<Interest> {
        // TODO: the table of the module comment, as a value (see the doc comment). Think
        // about: reading with bytes waiting (both at once), a full outbox, the end of the
        // stream with bytes still waiting, a finished connection. mio has no "empty"
        // `Interest`: see its docs for how two of them combine. Read chapter 6, "Interest:
        // what the connection waits for next". Stuck? `cargo xtask hint 06`.
        todo!()
    }

    /// Still reading: the end of the stream has not come, and the outbox has room.
    fn wants_to_read(&self) -> bool {
        !self.end_of_stream && !self.outbox.is_full()
    }

    /// Writes back what waits in the outbox, as far as the stream takes it.
    fn write_back(&mut self) -> io::Result<()> {
        let written = self.outbox.write_to(&mut self.stream)?;
        self.echoed += written as u64;
        Ok(())
    }
}
