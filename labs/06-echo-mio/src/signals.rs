//! Signals: how Ctrl-C reaches an event loop that is asleep in `poll`.
//!
//! Pressing Ctrl-C sends the program the signal `SIGINT`; `kill 1234`,
//! `systemctl stop` and `docker stop` send `SIGTERM` (lab 04 tells the story).
//! A signal handler runs at any moment, in the middle of whatever the program
//! was doing, so it may do almost nothing safely: no locks, no allocation, no
//! `println!`. The classic way out is the **self-pipe trick**: the handler only
//! writes a byte into a pipe, and some thread that waits on the other end of
//! the pipe does the real work, at a time of its choosing.
//!
//! The [`ctrlc`] crate does exactly that: its handler writes into a pipe, and a
//! thread of its own reads it and calls our closure. Our closure then has to
//! wake the event loop, which is asleep in `poll` and watches only its
//! registered sockets. That is the job of the server's [`Waker`](mio::Waker)
//! (an `eventfd` on Linux, itself a tiny pipe registered with the poll):
//! [`StopHandle::stop`] writes to it, `poll` returns the event `STOP`, and the
//! loop starts its graceful shutdown.
//!
//! (The signal also interrupts the `poll` system call itself, which then fails
//! with `Interrupted`, `EINTR`: the event loop must poll again, not give up.)
//!
//! The first Ctrl-C or `SIGTERM` starts a graceful shutdown; a second one quits
//! at once, for when a client never leaves, with exit code 130 (128 + 2, the
//! shell's convention for "stopped by SIGINT").
//!
//! This module is given to you: read it, and see how `cli.rs` uses it.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::server::StopHandle;

/// Exit code of a program that quits at once on a second signal.
pub const QUIT_AT_ONCE_EXIT_CODE: i32 = 130;

/// Watches for Ctrl-C (`SIGINT`), `SIGTERM` and `SIGHUP`: the first one stops the
/// server through `stop`, a second one ends the program at once. Fails when the
/// handler cannot be installed (there can be only one per program).
pub fn stop_on_signal(stop: StopHandle) -> Result<(), ctrlc::Error> {
    let asked_already = AtomicBool::new(false);
    ctrlc::set_handler(move || {
        if asked_already.swap(true, Ordering::SeqCst) {
            eprintln!("stop signal again: quitting at once");
            std::process::exit(QUIT_AT_ONCE_EXIT_CODE);
        }
        eprintln!(
            "stop signal (Ctrl-C or SIGTERM): stopping; the open connections may finish \
             (press Ctrl-C again to quit at once)"
        );
        if let Err(error) = stop.stop() {
            eprintln!("cannot wake the event loop ({error}): quitting at once");
            std::process::exit(QUIT_AT_ONCE_EXIT_CODE);
        }
    })
}
