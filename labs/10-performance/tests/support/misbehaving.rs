//! Echo servers that go wrong on purpose, each in a way that a load generator
//! must notice and count. They know the message size, so they can misbehave
//! on one message exactly: every run gives the same counts.
//!
//! Plain threads and blocking sockets; every read has a time limit, so no
//! thread outlives the test by much.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

/// How a [`MisbehavingServer`] treats each connection.
#[derive(Debug, Clone, Copy)]
pub enum Behaviour {
    /// Reads every message and never answers.
    Silent,
    /// Echoes the first `count` messages, then closes the connection when the next one arrives.
    CloseAfter(u64),
    /// Echoes every message, but changes one byte in the middle of message number `index` (from 0).
    CorruptMessage(u64),
    /// Echoes the first half of each message at once, and the rest after `delay`.
    SlowSecondHalf(Duration),
}

pub struct MisbehavingServer {
    pub address: SocketAddr,
    accepted: Arc<AtomicU64>,
}

impl MisbehavingServer {
    /// Starts the server on a free port of 127.0.0.1, for messages of `message_size` bytes.
    pub fn start(behaviour: Behaviour, message_size: usize) -> MisbehavingServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .expect("the test can listen on a free port of 127.0.0.1 (not your code's fault)");
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        let accepted = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&accepted);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                counter.fetch_add(1, Ordering::SeqCst);
                thread::spawn(move || serve(stream, behaviour, message_size));
            }
        });
        MisbehavingServer { address, accepted }
    }

    /// How many connections it accepted so far.
    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::SeqCst)
    }
}

fn serve(mut stream: TcpStream, behaviour: Behaviour, size: usize) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
    let mut message = vec![0; size];
    for index in 0.. {
        if stream.read_exact(&mut message).is_err() {
            return; // the client left
        }
        let sent = match behaviour {
            Behaviour::Silent => Ok(()),
            Behaviour::CloseAfter(count) if index == count => return,
            Behaviour::CloseAfter(_) => stream.write_all(&message),
            Behaviour::CorruptMessage(corrupt) => {
                if index == corrupt {
                    message[size / 2] ^= 0x01;
                }
                stream.write_all(&message)
            }
            Behaviour::SlowSecondHalf(delay) => {
                let (first, second) = message.split_at(size / 2);
                stream.write_all(first).and_then(|()| {
                    thread::sleep(delay);
                    stream.write_all(second)
                })
            }
        };
        if sent.is_err() {
            return;
        }
    }
}
