//! Signals: how a program learns it should stop.
//!
//! Pressing Ctrl-C in a terminal does not type a character into your program:
//! the terminal asks the kernel to send the program a **signal** called
//! `SIGINT` (interrupt, number 2). `kill 1234` sends `SIGTERM` (terminate,
//! number 15) to process 1234; that is also what `systemctl stop` and
//! `docker stop` send first.
//!
//! A program that does nothing about signals gets the default action for
//! both: it ends at once, in the middle of whatever it was doing. For a
//! server, that means every open connection is cut mid-transfer.
//!
//! A program may instead *handle* a signal: the kernel then just tells it that
//! the signal came, and the program decides what to do. Here the first Ctrl-C
//! or `SIGTERM` starts a graceful shutdown (stop accepting, let the open
//! connections finish), and a second one quits at once, for when a client
//! never leaves. The exit code is then 128 plus the signal's number (130 for
//! `SIGINT`), the shell's convention for "stopped by a signal".
//!
//! One signal cannot be handled: `SIGKILL` (`kill -9`) always ends a process at once.
//!
//! A handler only catches signals from the moment it is installed, which is
//! why [`stop_on_signal`] installs both before it returns (before the program
//! prints its address), rather than when its future is first awaited.
//!
//! This module is given to you: read it, and use [`stop_on_signal`] in `main.rs`.

use std::future::Future;
use std::io;

use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::oneshot;

/// Starts watching for Ctrl-C (`SIGINT`) and `SIGTERM`, and returns a future
/// that completes at the first of them. A second signal ends the program at
/// once, with exit code 128 + the signal's number.
///
/// Must be called inside a tokio runtime. Fails when the signal handlers
/// cannot be installed.
pub fn stop_on_signal() -> io::Result<impl Future<Output = ()>> {
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let first = next_signal(&mut interrupt, &mut terminate).await;
        eprintln!(
            "{}: stopping; the open connections may finish ({} to quit at once)",
            first.name, first.again
        );
        let _ = stop.send(());
        let second = next_signal(&mut interrupt, &mut terminate).await;
        eprintln!("{} again: quitting at once", second.name);
        std::process::exit(128 + second.number);
    });
    Ok(async move {
        // An error means the watching task is gone, and with it any way to stop: stop now.
        let _ = stopped.await;
    })
}

/// A signal that asks the program to stop.
struct StopSignal {
    name: &'static str,
    number: i32,
    /// How to send it again.
    again: &'static str,
}

const SIGINT: StopSignal = StopSignal {
    name: "Ctrl-C (SIGINT)",
    number: 2,
    again: "press Ctrl-C again",
};

const SIGTERM: StopSignal = StopSignal {
    name: "SIGTERM",
    number: 15,
    again: "send SIGTERM again",
};

/// Waits for the next `SIGINT` or `SIGTERM`.
async fn next_signal(interrupt: &mut Signal, terminate: &mut Signal) -> StopSignal {
    tokio::select! {
        _ = interrupt.recv() => SIGINT,
        _ = terminate.recv() => SIGTERM,
    }
}
