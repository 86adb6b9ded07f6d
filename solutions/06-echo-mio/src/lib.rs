//! # Lab 06 — An echo server with mio
//!
//! Lab 04 wrote an echo server with tokio: one task per client, and every
//! `.await` hid a question: *is this socket ready yet?* This lab answers that
//! question yourself. It is the same server (the Echo Protocol of RFC 862, a
//! connection limit, half-close, a graceful shutdown on Ctrl-C), built on
//! [mio](https://docs.rs/mio), the thin layer over the operating system's
//! readiness API (`epoll` on Linux, `kqueue` on macOS) that tokio itself is
//! built on.
//!
//! There are no tasks and no `.await` here: one thread runs one loop, the
//! **event loop**, and keeps the state of every connection in plain structs.
//!
//! ```text
//!                 ┌──────────────────────────────────────────────┐
//!                 │ poll.poll(&mut events, None)                 │  sleep until some
//!                 │   wait until at least one socket is ready    │  socket is ready
//!                 └──────────────────────┬───────────────────────┘
//!                                        │ a batch of events
//!            ┌───────────────────────────┼────────────────────────────┐
//!            ▼                           ▼                            ▼
//!     Token LISTENER               Token(n): a client            Token STOP
//!     accept until WouldBlock      on_ready: read until          (the Waker)
//!     register each new socket     WouldBlock, write what        drop the listener,
//!     with Token(its slab key)     the socket takes; then        let the open
//!                                  reregister its interest,      connections finish
//!                                  or close it when done
//!            │                           │                            │
//!            └───────────────────────────┴──────────────┬─────────────┘
//!                                                       ▼
//!                             stopping and no connection left? → return the Summary
//!                             otherwise                         → poll again
//! ```
//!
//! One concept per module, in the order the book's chapter 6 walks through them:
//!
//! - [`outbox`]: the bytes read but not yet written back, and the partial writes that drain them.
//! - [`connection`]: one client's state machine: read until `WouldBlock`, echo, half-close,
//!   and the [`Interest`](mio::Interest) it waits for next.
//! - [`server`]: the event loop: `Poll`, `Events`, `Token`s, a `Slab` of connections, a `Waker`.
//! - [`signals`]: Ctrl-C and `SIGTERM` wake the event loop through its `Waker`.
//! - [`cli`]: the program, `cargo run -p lab06-echo-mio -- --listen 127.0.0.1:62893`.
//!
//! Grade your work with `cargo xtask grade 06`.

// STUB: // The exercises' parameters, imports, `mut`s and helpers stay unused until you write their
// STUB: // bodies; you may delete this line once every `todo!()` is gone.
// STUB: #![allow(unused_variables, unused_imports, unused_mut, dead_code)]
// STUB:
pub mod cli;
pub mod connection;
pub mod outbox;
pub mod server;
pub mod signals;
