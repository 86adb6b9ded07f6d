//! A connection limit: at most N clients served at once, the others wait their turn.
//!
//! Every client costs the server something: a file descriptor (a process may
//! only open so many; `ulimit -n` shows how many, often 1024), a task, a
//! buffer. A server that accepts every client that knocks can be pushed over
//! by a crowd. So servers put a limit on the clients they serve at once:
//! PostgreSQL's `max_connections`, nginx's `worker_connections`.
//!
//! The tool for "at most N at once" is a **semaphore**: a counter of *permits*.
//! Taking a permit decrements the counter; when it is zero, whoever wants a
//! permit waits until someone gives one back. tokio's
//! [`Semaphore`] does this asynchronously (a waiting task costs nothing) and
//! fairly: permits go to the waiters in the order they asked.
//!
//! Here a permit is a [`Slot`]: the server waits for a slot *before* it accepts
//! a connection, and the slot travels with the connection into its task. When
//! the task ends, the slot is dropped and its permit goes back to the
//! semaphore: Rust's ownership does the bookkeeping, and no code path can
//! forget to give a slot back.
//!
//! **What happens to a client past the limit?** It waits. Its `connect`
//! succeeds anyway: the kernel completes the TCP handshake by itself and puts
//! the new connection in the listening socket's *accept queue* (its backlog;
//! tokio asks for 128), where it stays until the server calls `accept`. The
//! client may even send its data, which waits in the kernel's buffers. It just
//! gets no echo until a slot frees and the server accepts it. (When the accept
//! queue itself is full, Linux stops answering new handshakes and clients
//! retry, so their `connect` takes longer and eventually times out.)
//!
//! A limit of 0 would serve nobody, ever: [`ConnectionLimit::at_most`] takes a
//! [`NonZeroUsize`], so such a limit cannot even be written.

use std::num::NonZeroUsize;
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How many clients a server may serve at once: no limit, or at most some number.
///
/// Cloning a `ConnectionLimit` gives another handle to the *same* limit: the
/// clones share their slots.
#[derive(Debug, Clone)]
pub struct ConnectionLimit {
    /// One permit per slot, or `None` for no limit.
    semaphore: Option<Arc<Semaphore>>,
}

/// A place among the connections served at once. Hold it as long as the
/// connection lasts: dropping it frees the place for the next client.
#[derive(Debug)]
pub struct Slot {
    /// The semaphore's permit, or `None` when there is no limit. It is never
    /// read: it only has to be kept, and dropped when the connection ends.
    _permit: Option<OwnedSemaphorePermit>,
}

impl ConnectionLimit {
    /// No limit: [`wait_for_slot`](ConnectionLimit::wait_for_slot) never waits.
    pub fn unlimited() -> ConnectionLimit {
        // BEGIN SOLUTION
        ConnectionLimit { semaphore: None }
        // END SOLUTION
        // STUB: // TODO: a limit that never makes anyone wait (the `semaphore` field's comment says how
        // STUB: // that is written). Think about: its clones are unlimited too, and `free_slots` says `None`.
        // STUB: todo!()
    }

    /// At most `max` slots held at once.
    pub fn at_most(max: NonZeroUsize) -> ConnectionLimit {
        // BEGIN SOLUTION
        let semaphore = Semaphore::new(max.get());
        ConnectionLimit {
            semaphore: Some(Arc::new(semaphore)),
        }
        // END SOLUTION
        // STUB: // TODO: a limit of `max` slots. Think about: a clone of the limit must count the very same
        // STUB: // slots, and a slot travels into a task of its own, so it cannot borrow the limit: who owns
        // STUB: // the counter? Read this file's opening comment, chapter 4's "Too many clients: a
        // STUB: // semaphore", and the docs of tokio's `Semaphore` and std's `Arc`.
        // STUB: todo!()
    }

    /// `at_most(max)` when there is a maximum, `unlimited()` otherwise.
    pub fn new(max: Option<NonZeroUsize>) -> ConnectionLimit {
        // BEGIN SOLUTION
        match max {
            Some(max) => ConnectionLimit::at_most(max),
            None => ConnectionLimit::unlimited(),
        }
        // END SOLUTION
        // STUB: // TODO: as the doc comment says (`--max-connections` given or not).
        // STUB: todo!()
    }

    /// Waits until a slot is free, and takes it.
    ///
    /// With no limit, returns a slot at once. With a limit, returns at once
    /// while fewer than the maximum slots are held, and otherwise waits until
    /// one of them is dropped. Waiters get their slots in the order they asked.
    pub async fn wait_for_slot(&self) -> Slot {
        // BEGIN SOLUTION
        let permit = match &self.semaphore {
            None => None,
            Some(semaphore) => {
                let permit = Arc::clone(semaphore)
                    .acquire_owned()
                    .await
                    .expect("the semaphore is never closed");
                Some(permit)
            }
        };
        Slot { _permit: permit }
        // END SOLUTION
        // STUB: // TODO: take a slot, as the doc comment says. Think about: no limit (1000 slots at once,
        // STUB: // none waits); a limit of 3 with a fourth and a fifth asking (they wait, and get their slots
        // STUB: // in the order they asked); a `Slot` gives its place back when it is dropped, with no code
        // STUB: // to call: what must it keep, and may that borrow `self`? And the one error tokio's
        // STUB: // semaphore can report: why can it not happen here? Read the docs of tokio's
        // STUB: // `Semaphore`: which way of taking a permit gives one that owns its semaphore?
        // STUB: // Stuck? `cargo xtask hint 04`.
        // STUB: todo!()
    }

    /// How many more slots could be taken right now without waiting, or `None`
    /// when there is no limit.
    pub fn free_slots(&self) -> Option<usize> {
        // BEGIN SOLUTION
        self.semaphore
            .as_ref()
            .map(|semaphore| semaphore.available_permits())
        // END SOLUTION
        // STUB: // TODO: as the doc comment says; the semaphore knows how many permits it has left.
        // STUB: todo!()
    }
}
