//! Test clients: each step they take is written into a shared transcript, and each
//! failure explains what was expected, what happened, and what happened before.

use std::marker::PhantomData;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout, timeout_at};

use crate::bytes::{Checker, Payload, show};
pub use crate::transcript::Transcript;
use crate::witness::Witness;
use crate::{WAIT, seconds};

/// How long a test watches for something that should *not* happen (an echo to a client
/// that must wait for a free slot, a server that must keep running).
pub const QUIET: Duration = Duration::from_millis(500);

/// What differs between the labs that use this client: the names of the student's code
/// in the failure messages. A lab implements it on a type of its own and names the client
/// `Client<ThatType>`.
pub trait EchoLab: 'static {
    /// The package, for `cargo build -p …`: "lab04-echo-tokio".
    const PACKAGE: &'static str;
    /// What the server calls to shut down its writing side: "stream.shutdown().await".
    const SHUTDOWN_CALL: &'static str;
    /// What to do once a read returns 0 bytes, so that the client sees the end too.
    const HOW_TO_END: &'static str;
    /// What the program's announced address must come from: "listener.local_addr()".
    const BOUND_ADDRESS: &'static str;
    /// Why the client `name` may have received no echo: the lab's likely mistakes.
    fn why_no_echo(name: &str) -> String;
    /// Where the lab's program is: `harness::program_path!("lab04-echo-tokio")`.
    fn program_path() -> std::path::PathBuf;
}

/// One client connection of a test.
pub struct Client<L: EchoLab> {
    pub name: String,
    stream: TcpStream,
    transcript: Transcript,
    witness: Witness,
    lab: PhantomData<L>,
}

impl<L: EchoLab> Client<L> {
    /// Connects to `address`, or fails the test explaining why it could not.
    pub async fn connect(
        name: &str,
        address: SocketAddr,
        transcript: &Transcript,
        witness: &Witness,
    ) -> Client<L> {
        match timeout(WAIT, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => {
                transcript.note(format!("{name} connects"));
                Client {
                    name: name.to_string(),
                    stream,
                    transcript: transcript.clone(),
                    witness: witness.clone(),
                    lab: PhantomData,
                }
            }
            Ok(Err(error)) => {
                fail(
                    format!(
                        "{name} could not connect to the server at {address}: {error}. \
                     Is the server still listening?"
                    ),
                    transcript,
                    witness,
                )
                .await
            }
            Err(_) => {
                fail(
                    format!(
                        "{name} could not connect to the server at {address} within {}",
                        seconds(WAIT)
                    ),
                    transcript,
                    witness,
                )
                .await
            }
        }
    }

    /// A client on a stream the test connected itself.
    pub fn from_stream(
        name: &str,
        stream: TcpStream,
        transcript: &Transcript,
        witness: &Witness,
    ) -> Client<L> {
        Client {
            name: name.to_string(),
            stream,
            transcript: transcript.clone(),
            witness: witness.clone(),
            lab: PhantomData,
        }
    }

    /// Panics with `message`, what the server side knows, and the transcript so far.
    pub async fn fail(&self, message: String) -> ! {
        fail(message, &self.transcript, &self.witness).await
    }

    pub async fn send(&mut self, text: &str) {
        self.send_bytes(text.as_bytes()).await;
    }

    pub async fn send_bytes(&mut self, bytes: &[u8]) {
        if let Err(message) = self.try_send_bytes(bytes).await {
            self.fail(message).await;
        }
    }

    pub async fn try_send_bytes(&mut self, bytes: &[u8]) -> Result<(), String> {
        let name = &self.name;
        match timeout(WAIT, self.stream.write_all(bytes)).await {
            Ok(Ok(())) => {
                self.transcript
                    .note(format!("{name} sends {}", show(bytes)));
                Ok(())
            }
            Ok(Err(error)) => Err(format!(
                "{name} could not send {}: {error}. The server closed or reset the connection.",
                show(bytes)
            )),
            Err(_) => Err(format!(
                "{name} could not send {} within {}: the server stopped reading its data.",
                show(bytes),
                seconds(WAIT)
            )),
        }
    }

    pub async fn expect_echo(&mut self, text: &str) {
        self.expect_echo_bytes(text.as_bytes()).await;
    }

    pub async fn expect_echo_bytes(&mut self, expected: &[u8]) {
        if let Err(message) = self.try_expect_echo_bytes(expected).await {
            self.fail(message).await;
        }
    }

    /// Reads exactly as many bytes as `expected` and checks they are the same.
    pub async fn try_expect_echo_bytes(&mut self, expected: &[u8]) -> Result<(), String> {
        let name = self.name.clone();
        let deadline = Instant::now() + WAIT;
        let mut received = Vec::with_capacity(expected.len());
        while received.len() < expected.len() {
            let mut buffer = vec![0; expected.len() - received.len()];
            match timeout_at(deadline, self.stream.read(&mut buffer)).await {
                Err(_) => {
                    let got = if received.is_empty() {
                        "nothing".to_string()
                    } else {
                        format!(
                            "only {} ({} of the {} bytes)",
                            show(&received),
                            received.len(),
                            expected.len()
                        )
                    };
                    return Err(format!(
                        "{name} waited {} for the echo of {}, but received {got}. {}",
                        seconds(WAIT),
                        show(expected),
                        L::why_no_echo(&name)
                    ));
                }
                Ok(Ok(0)) => {
                    return Err(format!(
                        "Looks like the server closed {name}'s connection after echoing {} of the \
                         {} bytes {name} was waiting for ({}). Every byte read must be written \
                         back before the connection ends.",
                        received.len(),
                        expected.len(),
                        show(expected)
                    ));
                }
                Ok(Ok(count)) => received.extend_from_slice(&buffer[..count]),
                Ok(Err(error)) => {
                    return Err(format!(
                        "{name}'s connection failed while it waited for the echo of {}: {error}",
                        show(expected)
                    ));
                }
            }
            if received[..] != expected[..received.len()] {
                return Err(format!(
                    "{name} expected the echo {}, but received {}: an echo must be the same \
                     bytes, in the same order.",
                    show(expected),
                    show(&received)
                ));
            }
        }
        self.transcript
            .note(format!("{name} receives {}", show(expected)));
        Ok(())
    }

    /// Checks that nothing arrives for a while; `why` says why nothing should.
    pub async fn expect_silence(&mut self, why: &str) {
        let name = self.name.clone();
        let mut buffer = [0; 1024];
        match timeout(QUIET, self.stream.read(&mut buffer)).await {
            Err(_) => self.transcript.note(format!(
                "{name} receives nothing for {} ({why})",
                seconds(QUIET)
            )),
            Ok(Ok(0)) => {
                self.fail(format!(
                    "the server closed {name}'s connection, but it should have kept it open \
                     without answering yet ({why})."
                ))
                .await
            }
            Ok(Ok(count)) => {
                self.fail(format!(
                    "{name} received {}, but should have received nothing yet ({why}).",
                    show(&buffer[..count])
                ))
                .await
            }
            Ok(Err(error)) => {
                self.fail(format!(
                    "{name}'s connection failed ({error}), but it should have been kept open \
                     without an answer yet ({why})."
                ))
                .await
            }
        }
    }

    /// Shuts down the writing side: "I have nothing more to send" (a TCP FIN).
    pub async fn half_close(&mut self) {
        let name = self.name.clone();
        match timeout(WAIT, self.stream.shutdown()).await {
            Ok(Ok(())) => self
                .transcript
                .note(format!("{name} shuts down its sending side (half-close)")),
            Ok(Err(error)) => {
                self.fail(format!(
                    "{name} could not shut down its sending side: {error}"
                ))
                .await
            }
            Err(_) => {
                self.fail(format!(
                    "{name} could not shut down its sending side within {}",
                    seconds(WAIT)
                ))
                .await
            }
        }
    }

    /// Expects the end of the stream: the server shut down its side after the echo.
    pub async fn expect_end(&mut self) {
        let name = self.name.clone();
        let mut buffer = [0; 1024];
        match timeout(WAIT, self.stream.read(&mut buffer)).await {
            Ok(Ok(0)) => self
                .transcript
                .note(format!("{name} reads the end of the stream")),
            Ok(Ok(count)) => {
                self.fail(format!(
                    "{name} expected the end of the stream, but received {} more: the server \
                     sent bytes that were never sent to it.",
                    show(&buffer[..count])
                ))
                .await
            }
            Ok(Err(error)) => {
                self.fail(format!(
                    "{name} expected the end of the stream, but its connection failed: {error}. \
                     After the last echo the server should shut down its writing side \
                     ({}), not reset the connection.",
                    L::SHUTDOWN_CALL
                ))
                .await
            }
            Err(_) => {
                self.fail(format!(
                    "{name} shut down its sending side and got all of its echo, but the server \
                     did not close its side within {}. {}",
                    seconds(WAIT),
                    L::HOW_TO_END
                ))
                .await
            }
        }
    }

    /// Closes at once, without reading what is waiting: the kernel resets the connection.
    pub fn vanish(self) {
        let _ = self.stream.set_zero_linger();
        self.transcript.note(format!(
            "{} vanishes: it closes at once with the rest of its echo unread, \
             so the kernel resets the connection (RST)",
            self.name
        ));
    }

    /// The client's socket, for a test that reads or writes by hand.
    pub fn stream(&mut self) -> &mut TcpStream {
        &mut self.stream
    }

    pub fn into_stream(self) -> TcpStream {
        self.stream
    }
}

/// `1 byte`, `2 bytes`.
pub fn count(number: u64, thing: &str) -> String {
    match number {
        1 => format!("1 {thing}"),
        _ => format!("{number} {thing}s"),
    }
}

/// Panics with `message`, what the witness knows, and the recent transcript.
pub async fn fail(message: String, transcript: &Transcript, witness: &Witness) -> ! {
    let testimony = witness.testimony().await;
    panic!(
        "{message}{testimony}\n\nWhat happened so far:\n{}",
        transcript.recent()
    );
}

/// Checks that a new client `name` is refused at `address`: the server closed its listening
/// socket. `still_open` says what the server should have done, for when `name` could still
/// connect: "{name} could still connect after {still_open}".
pub async fn expect_refused(
    name: &str,
    address: SocketAddr,
    transcript: &Transcript,
    witness: &Witness,
    still_open: &str,
) {
    let message = match timeout(WAIT, TcpStream::connect(address)).await {
        Ok(Err(error)) if error.kind() == std::io::ErrorKind::ConnectionRefused => {
            transcript.note(format!("{name} tries to connect: connection refused"));
            return;
        }
        Ok(Err(error)) => {
            format!("{name} tried to connect and expected \"connection refused\", but got: {error}")
        }
        Ok(Ok(_)) => format!("{name} could still connect after {still_open}"),
        Err(_) => format!(
            "{name} tried to connect and expected \"connection refused\" at once, \
             but nothing happened within {} s",
            WAIT.as_secs_f64()
        ),
    };
    fail(message, transcript, witness).await
}

/// What one client saw when it sent a whole payload while reading the echo.
pub struct Exchange {
    pub sent: u64,
    pub writes: usize,
    pub checker: Checker,
    /// How the reading ended: "the end of the stream", or what went wrong.
    pub ending: String,
}

impl Exchange {
    pub fn is_perfect(&self) -> bool {
        self.checker.is_complete_and_identical() && self.ending == "the end of the stream"
    }

    pub fn describe(&self) -> String {
        format!(
            "sent {} in {}; got back {}; then {}",
            count(self.sent, "byte"),
            count(self.writes as u64, "write"),
            self.checker.verdict(),
            self.ending
        )
    }
}

/// Sends `payload` in writes of `write_size(k)` bytes and shuts down the sending side,
/// while reading the echo at the same time (a client that only reads once it has sent
/// everything can get stuck: see backpressure in the chapter). Everything within
/// `limit`.
pub async fn exchange(
    stream: TcpStream,
    payload: Payload,
    write_size: impl Fn(usize) -> usize,
    limit: Duration,
) -> Exchange {
    exchange_reading_late(stream, payload, write_size, Duration::ZERO, limit).await
}

/// Like [`exchange`], but the client starts to read only after `read_delay`: a slow reader,
/// whose unread echo fills the buffers and makes the server wait (backpressure).
pub async fn exchange_reading_late(
    stream: TcpStream,
    payload: Payload,
    write_size: impl Fn(usize) -> usize,
    read_delay: Duration,
    limit: Duration,
) -> Exchange {
    let deadline = Instant::now() + limit;
    let (mut reader, mut writer) = stream.into_split();
    let sending = async {
        let mut sent = 0u64;
        let mut writes = 0;
        while sent < payload.len() {
            let chunk = payload.chunk(sent, write_size(writes).max(1));
            match timeout_at(deadline, writer.write_all(&chunk)).await {
                Ok(Ok(())) => {}
                _ => break,
            }
            sent += chunk.len() as u64;
            writes += 1;
        }
        let _ = timeout_at(deadline, writer.shutdown()).await;
        (sent, writes)
    };
    let receiving = async {
        tokio::time::sleep(read_delay).await;
        let mut checker = Checker::new(payload);
        let mut buffer = vec![0; 64 * 1024];
        let ending = loop {
            match timeout_at(deadline, reader.read(&mut buffer)).await {
                Ok(Ok(0)) => break "the end of the stream".to_string(),
                Ok(Ok(count)) => checker.feed(&buffer[..count]),
                Ok(Err(error)) => break format!("the connection failed: {error}"),
                Err(_) => {
                    break format!(
                        "nothing more, and no end of the stream, within {}",
                        seconds(limit)
                    );
                }
            }
        };
        (checker, ending)
    };
    let ((sent, writes), (checker, ending)) = tokio::join!(sending, receiving);
    Exchange {
        sent,
        writes,
        checker,
        ending,
    }
}
