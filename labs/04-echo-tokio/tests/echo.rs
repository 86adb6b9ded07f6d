//! Graded tests for `src/echo.rs`: echoing one connection, first over a real TCP
//! connection on 127.0.0.1, then on a pretend stream that counts every byte.

mod support;

use std::io;
use std::sync::Arc;

use insta::{assert_snapshot, with_settings};
use lab04_echo_tokio::echo::echo;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::time::timeout;

use harness::listener::free_port_listener;
use support::WAIT;
use support::bytes::Payload;
use support::client::{Client, Transcript};
use support::scripted_stream::ScriptedStream;
use support::witness::{ServerTask, Witness};

/// `echo` running in a task on the server's end of a fresh TCP connection.
struct EchoCall {
    returned: oneshot::Receiver<io::Result<u64>>,
    release: Option<oneshot::Sender<()>>,
    witness: Witness,
}

/// Connects a client to a listener of the test, and runs `echo` on the accepted stream.
/// The task keeps the server's stream open after `echo` returns, until `release`.
async fn start_echo(transcript: &Transcript) -> (Client, EchoCall) {
    let (listener, address) = free_port_listener().await;
    let connecting = tokio::spawn(TcpStream::connect(address));
    let (mut server_end, _) = timeout(WAIT, listener.accept())
        .await
        .expect("the test's own connection is accepted at once")
        .expect("the test's own connection is accepted");
    let client_end = connecting
        .await
        .expect("the connecting task ends")
        .expect("the test's client connects to its own listener");
    let (report, returned) = oneshot::channel();
    let (release, released) = oneshot::channel::<()>();
    let task = ServerTask::spawn("echo", async move {
        let result = echo(&mut server_end).await;
        let _ = report.send(result);
        let _ = released.await;
        drop(server_end);
    });
    let witness = Witness::Task(Arc::clone(&task));
    transcript.note("the server's end of the connection is given to echo(&mut stream)");
    let client = Client::from_stream("client", client_end, transcript, &witness);
    let call = EchoCall {
        returned,
        release: Some(release),
        witness,
    };
    (client, call)
}

impl EchoCall {
    /// Waits for `echo` to return and notes what it returned.
    async fn expect_return(&mut self, transcript: &Transcript, expected_bytes: u64) {
        let result =
            match timeout(WAIT, &mut self.returned).await {
                Ok(Ok(result)) => result,
                Ok(Err(_)) => {
                    support::client::fail(
                        "echo never returned: its task ended without a result.".to_string(),
                        transcript,
                        &self.witness,
                    )
                    .await
                }
                Err(_) => support::client::fail(
                    format!(
                        "echo did not return within {} s after the client shut down its sending \
                         side. When read returns 0 bytes, the client has nothing more to send: \
                         leave the loop, shut down the writing side and return the byte count.",
                        WAIT.as_secs_f64()
                    ),
                    transcript,
                    &self.witness,
                )
                .await,
            };
        match &result {
            Ok(count) if *count == expected_bytes => {}
            Ok(count) => {
                support::client::fail(
                    format!(
                        "echo returned Ok({count}), but it echoed {expected_bytes} bytes: return \
                         the total of the bytes written back."
                    ),
                    transcript,
                    &self.witness,
                )
                .await
            }
            Err(error) => {
                support::client::fail(
                    format!(
                        "echo returned the error {error:?}, but the client did nothing wrong: it \
                         sent its data, shut down its sending side and kept reading."
                    ),
                    transcript,
                    &self.witness,
                )
                .await
            }
        }
        transcript.note(format!("echo returns {result:?}"));
    }

    /// Lets the task drop the server's end of the connection.
    fn release(&mut self, transcript: &Transcript) {
        if let Some(release) = self.release.take() {
            let _ = release.send(());
        }
        transcript.note("the test drops the server's end of the connection");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_a_short_message() {
    let transcript = Transcript::new();
    let (mut client, mut call) = start_echo(&transcript).await;
    let lines = ["hello, 127.0.0.1!\n", "and goodbye\n"];
    for line in lines {
        client.send(line).await;
        client.expect_echo(line).await;
    }
    client.half_close().await;
    let total = lines.iter().map(|line| line.len() as u64).sum();
    call.expect_return(&transcript, total).await;
    call.release(&transcript);
    client.expect_end().await;
    with_settings!({
        description => "echo(&mut stream) on a real TCP connection: each line comes back as it is, and when the client shuts down its sending side, echo returns Ok(number of bytes echoed).",
    }, {
        assert_snapshot!(transcript.text());
    });
}

/// `size` bytes of text for the `number`th piece: letters, starting at a different one each time.
fn text_piece(number: usize, size: usize) -> Vec<u8> {
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    (0..size)
        .map(|index| letters[(number + index) % letters.len()])
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_each_piece_as_soon_as_it_arrives() {
    let transcript = Transcript::new();
    let (mut client, mut call) = start_echo(&transcript).await;
    transcript.note("the client waits for the echo of each piece before it sends the next one");
    let mut total = 0;
    for (number, size) in [1, 2, 5, 100, 1500, 16 * 1024, 40_000, 3]
        .into_iter()
        .enumerate()
    {
        let piece = text_piece(number, size);
        client.send_bytes(&piece).await;
        client.expect_echo_bytes(&piece).await;
        total += size as u64;
    }
    client.half_close().await;
    call.expect_return(&transcript, total).await;
    call.release(&transcript);
    client.expect_end().await;
    with_settings!({
        description => "echo must write back each piece as soon as it has read it: the client waits for the echo of each piece before it sends the next, so an echo that waits for more data (read_to_end, read_exact) never answers.",
    }, {
        assert_snapshot!(transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closes_its_side_after_the_client_half_closes() {
    let transcript = Transcript::new();
    let (mut client, mut call) = start_echo(&transcript).await;
    let first = "first words\n";
    let last = "last words, sent just before the half-close\n";
    client.send(first).await;
    client.expect_echo(first).await;
    client.send(last).await;
    client.half_close().await;
    client.expect_echo(last).await;
    transcript.note("the test keeps the server's end of the connection open");
    client.expect_end().await;
    call.expect_return(&transcript, (first.len() + last.len()) as u64)
        .await;
    call.release(&transcript);
    with_settings!({
        description => "After the client's half-close (shutdown of its sending side), echo writes back everything it read, then shuts down its own writing side: the client sees the end of the stream although the server's stream is still open.",
    }, {
        assert_snapshot!(transcript.text());
    });
}

/// Runs `echo` on a scripted stream and describes, in deterministic terms, what it did.
async fn echo_scripted(stream: &mut ScriptedStream) -> String {
    let returned = match timeout(WAIT, echo(stream)).await {
        Ok(result) => format!("{result:?}"),
        Err(_) => format!(
            "nothing: echo did not return within {} s",
            WAIT.as_secs_f64()
        ),
    };
    [
        ("echo returned:", returned),
        ("echo wrote back:", stream.written.verdict()),
    ]
    .iter()
    .map(|(label, value)| format!("{label:<17}{value}\n"))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_every_byte_even_when_a_write_takes_only_some() {
    let payload = Payload::new(4, 100_000);
    let mut stream = ScriptedStream::new(payload, 7_001, 1_000);
    let mut report = String::from(
        "a pretend stream of 100000 bytes, handed out in reads of at most 7001 bytes;\n\
         each write takes at most 1000 bytes and says how many it took\n",
    );
    report += &echo_scripted(&mut stream).await;
    with_settings!({
        description => "write(buf) may take only part of buf and returns how many bytes it took; write_all(buf) loops until every byte is written. An echo that ignores a short write loses bytes.",
    }, {
        assert_snapshot!(report);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_8_mib_through_a_small_buffer() {
    let size = 8 * 1024 * 1024;
    let payload = Payload::new(8, size);
    let mut stream = ScriptedStream::new(payload, 64 * 1024, usize::MAX);
    let mut report = format!(
        "a pretend stream of {size} bytes (8 MiB), handed out in reads of at most 65536 bytes\n"
    );
    report += &echo_scripted(&mut stream).await;
    assert!(
        stream.most_held <= 64 * 1024,
        "at one point echo had read {} bytes that it had not written back yet: it gathers data \
         before writing it. Write back each read before the next one, through one buffer of \
         BUFFER_SIZE bytes, so that a connection needs the same small memory whatever a \
         client sends.",
        stream.most_held
    );
    report += "bytes read and not yet written back: never more than 65536\n";
    with_settings!({
        description => "echo streams through one small buffer: 8 MiB go through, and at no moment does it hold more than one read's worth of bytes.",
    }, {
        assert_snapshot!(report);
    });
}
