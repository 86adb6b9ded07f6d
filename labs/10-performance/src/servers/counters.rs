//! What a server counts while it serves: connections and bytes.
//!
//! The counters are atomics, shared by every thread of the server: an
//! [`AtomicU64`] can be incremented from many threads at once without a lock,
//! and without losing an increment. `Relaxed` ordering is enough, since each
//! counter is a number on its own and no other memory depends on it; the
//! final figures are read after the server's threads have been joined, and
//! joining a thread makes everything it did visible.

use std::sync::atomic::{AtomicU64, Ordering};

/// The live counters of a running server.
#[derive(Debug, Default)]
pub struct Counters {
    accepted: AtomicU64,
    open: AtomicU64,
    peak_open: AtomicU64,
    bytes_read: AtomicU64,
    bytes_written: AtomicU64,
}

/// What a server did, at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerStats {
    /// How many connections it accepted.
    pub connections: u64,
    /// The most connections it had open at the same time.
    pub peak_connections: u64,
    /// How many connections are open right now (0 after a clean stop).
    pub open_connections: u64,
    /// How many bytes it read from its clients.
    pub bytes_read: u64,
    /// How many bytes it wrote back (written in full: counted after the write returned).
    pub bytes_written: u64,
}

impl Counters {
    /// A connection was accepted: it is open from now on.
    pub fn connection_opened(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
        let open = self.open.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak_open.fetch_max(open, Ordering::Relaxed);
    }

    /// A connection ended (the client closed it, or it failed).
    pub fn connection_closed(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    pub fn read(&self, bytes: usize) {
        self.bytes_read.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn wrote(&self, bytes: usize) {
        self.bytes_written
            .fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> ServerStats {
        ServerStats {
            connections: self.accepted.load(Ordering::Relaxed),
            peak_connections: self.peak_open.load(Ordering::Relaxed),
            open_connections: self.open.load(Ordering::Relaxed),
            bytes_read: self.bytes_read.load(Ordering::Relaxed),
            bytes_written: self.bytes_written.load(Ordering::Relaxed),
        }
    }
}
