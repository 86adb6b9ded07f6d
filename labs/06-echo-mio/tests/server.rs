//! Graded tests for `src/server.rs`: the event loop, with real clients on 127.0.0.1. The
//! server runs `EchoServer::run` on a thread of its own; the clients are the same as lab 04's.

mod support;

use std::time::Duration;

use insta::{assert_snapshot, with_settings};
use lab06_echo_mio::outbox::OUTBOX_CAPACITY;
use lab06_echo_mio::server::Summary;
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio::time::{sleep, timeout};

use support::WAIT;
use support::bytes::{Checker, Payload};
use support::client::{Client, count, exchange, exchange_reading_late};
use support::cpu::process_cpu_time;
use support::test_server::{TestServer, bind_listener};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_one_client() {
    let mut server = TestServer::start(None).await;
    let mut alice = server.client("alice").await;
    alice.send("hello, event loop\n").await;
    alice.expect_echo("hello, event loop\n").await;
    alice.send("bye\n").await;
    alice.expect_echo("bye\n").await;
    alice.half_close().await;
    alice.expect_end().await;
    server.ask_to_stop().await;
    server.expect_stopped("its only client had left").await;
    server.expect_refused("late").await;
    with_settings!({
        description => "EchoServer::new, then run on a thread: accept a client, echo it, close it after its half-close; StopHandle::stop() wakes the loop, which closes the listener and returns the Summary.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}

/// How many clients wait in the accept queue before the event loop starts (the queue holds 128).
const BURST: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepts_every_client_of_a_burst() {
    let listener = bind_listener();
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    // The kernel completes each handshake by itself: the clients wait in the accept queue,
    // and the event loop will see them all in its very first event.
    let mut streams = Vec::new();
    for number in 0..BURST {
        match timeout(WAIT, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => streams.push((number, stream)),
            _ => panic!(
                "client {number} could not connect to the test's own listener (not your code's fault)"
            ),
        }
    }
    let mut server = TestServer::start_on(listener, None).await;
    let mut clients: Vec<Client> = streams
        .into_iter()
        .map(|(number, stream)| {
            Client::from_stream(
                &format!("client {number:02}"),
                stream,
                &server.transcript,
                server.witness(),
            )
        })
        .collect();
    // The last client to connect speaks first: a server that accepted only the first client
    // of the event has not even accepted it.
    for client in clients.iter_mut().rev() {
        let line = format!("{} speaks\n", client.name);
        client.send(&line).await;
        if let Err(message) = client.try_expect_echo_bytes(line.as_bytes()).await {
            client
                .fail(format!(
                    "{message}\n\nAll {BURST} clients were waiting in the accept queue when the \
                     event loop started, so its first poll returned ONE event for the listener, \
                     standing for all of them: no other event will come for these clients. On a \
                     LISTENER event, call accept in a loop until it says WouldBlock."
                ))
                .await;
        }
    }
    for client in &mut clients {
        client.half_close().await;
        client.expect_end().await;
    }
    server.ask_to_stop().await;
    let summary = server.expect_stopped("all of its clients had left").await;
    let report = format!(
        "{BURST} clients wait in the accept queue before the event loop starts\n\
         from the last one to connect to the first, each sends a line and receives its echo\n\
         each shuts down its sending side and reads the end of the stream\n\
         run returns Ok({summary:?})\n"
    );
    with_settings!({
        description => "One event of the listener may stand for many waiting clients: accept until WouldBlock, or the others wait for ever.",
    }, {
        assert_snapshot!(report);
    });
}

/// How many clients talk to the server at the same time.
const CROWD: usize = 300;

/// The size of client `number`'s message: empty, one byte, then up to 3000 bytes.
fn message_size(number: usize) -> u64 {
    match number {
        0 => 0,
        1 => 1,
        _ => (number as u64 * 7919) % 3_000 + 1,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_300_clients_at_once() {
    let mut server = TestServer::start(None).await;
    let mut exchanges = JoinSet::new();
    for number in 0..CROWD {
        let address = server.address;
        exchanges.spawn(async move {
            let payload = Payload::new(number as u64, message_size(number));
            let Ok(Ok(stream)) = timeout(2 * WAIT, TcpStream::connect(address)).await else {
                return (number, None);
            };
            let write_size = move |write: usize| 1 + (number * 31 + write * 977) % 700;
            let exchange = exchange(stream, payload, write_size, 2 * WAIT).await;
            (number, Some(exchange))
        });
    }
    let mut perfect = 0;
    let mut problems = Vec::new();
    while let Some(joined) = exchanges.join_next().await {
        let (number, exchange) = joined.expect("a client task of the test does not panic");
        match exchange {
            Some(exchange) if exchange.is_perfect() => perfect += 1,
            Some(exchange) => problems.push((
                number,
                format!("client {number:03}: {}", exchange.describe()),
            )),
            None => problems.push((number, format!("client {number:03}: could not connect"))),
        }
    }
    problems.sort();
    let mut report = format!(
        "{CROWD} clients at once, each sending its own bytes in small writes while reading its \
         echo, then shutting down its sending side\n\
         {perfect} of them got back exactly their own bytes, then the end of the stream\n"
    );
    for (_, line) in &problems {
        report += line;
        report.push('\n');
    }
    if !problems.is_empty() {
        server
            .fail(format!(
                "{report}\nEvery client must get back exactly its own bytes. Check that the \
                 LISTENER event accepts until WouldBlock, that a client's token is its slab \
                 key, and that on_ready reads until WouldBlock."
            ))
            .await;
    }
    server.ask_to_stop().await;
    let summary = server.expect_stopped("all of its clients had left").await;
    report += &format!("run returns Ok({summary:?})\n");
    with_settings!({
        description => "300 clients connect and talk at the same time, on one thread: the listener's events stand for several clients, and the slab's keys are reused as clients leave.",
    }, {
        assert_snapshot!(report);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_8_mib_to_a_slow_reader() {
    let mut server = TestServer::start(None).await;
    let client = server.client("slow").await;
    let payload = Payload::new(88, 8 * 1024 * 1024);
    let read_delay = Duration::from_millis(500);
    let exchange = exchange_reading_late(
        client.into_stream(),
        payload,
        |_| 64 * 1024,
        read_delay,
        4 * WAIT,
    )
    .await;
    if !exchange.is_perfect() {
        server
            .fail(format!(
                "slow sent 8 MiB in writes of 64 KiB, and started reading its echo only after \
                 half a second: it {}. While slow does not read, the server's writes take only \
                 part of what they are given, then say WouldBlock: keep exactly what a write did \
                 not take in the outbox (write returns how many bytes it took), stop reading \
                 while the outbox is full, and go on when the socket is writable again.",
                exchange.describe()
            ))
            .await;
    }
    server
        .transcript
        .note("slow sends 8 MiB in writes of 64 KiB, but reads nothing for half a second");
    server
        .transcript
        .note(format!("slow {}", exchange.describe()));
    server.ask_to_stop().await;
    server.expect_stopped("its only client had left").await;
    with_settings!({
        description => "8 MiB through one connection whose client reads late: partial writes, WouldBlock, a full outbox that pauses the reading, then everything flows again.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keeps_each_client_on_its_own_token() {
    let mut server = TestServer::start(None).await;
    let mut alice = server.client("alice").await;
    alice.send("alice 1\n").await;
    alice.expect_echo("alice 1\n").await;
    let mut bob = server.client("bob").await;
    bob.send("bob 1\n").await;
    bob.expect_echo("bob 1\n").await;
    let mut carol = server.client("carol").await;
    carol.send("carol 1\n").await;
    carol.expect_echo("carol 1\n").await;

    alice.half_close().await;
    alice.expect_end().await;
    server
        .transcript
        .note("(alice's place in the slab is free: the next client gets her key)");
    let mut dave = server.client("dave").await;
    dave.send("dave 1\n").await;
    dave.expect_echo("dave 1\n").await;
    carol.send("carol 2\n").await;
    carol.expect_echo("carol 2\n").await;

    bob.half_close().await;
    bob.expect_end().await;
    server
        .transcript
        .note("(bob's place in the slab is free: the next client gets his key)");
    let mut erin = server.client("erin").await;
    erin.send("erin 1\n").await;
    erin.expect_echo("erin 1\n").await;
    dave.send("dave 2\n").await;
    dave.expect_echo("dave 2\n").await;
    carol.send("carol 3\n").await;
    carol.expect_echo("carol 3\n").await;

    for client in [&mut carol, &mut dave, &mut erin] {
        client.half_close().await;
        client.expect_end().await;
    }
    server.ask_to_stop().await;
    server.expect_stopped("all of its clients had left").await;
    with_settings!({
        description => "Clients come and go, so slab keys are reused: each new client's token must be the key of the place it gets (vacant_key before insert), never a count like len(), which may name a client still connected.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}

/// Sends `payload` without reading, until the writes block for a while: the buffers between
/// the client and the server are full, and the server's outbox too. Returns how many bytes
/// went.
async fn send_until_blocked(client: &mut Client, payload: Payload) -> u64 {
    let stream = client.stream();
    let mut sent = 0u64;
    let mut blocked_in_a_row = 0;
    let mut attempts = 0;
    while blocked_in_a_row < 5 && sent < payload.len() && attempts < 10_000 {
        attempts += 1;
        let chunk = payload.chunk(sent, 64 * 1024);
        match stream.try_write(&chunk) {
            Ok(written) => {
                sent += written as u64;
                blocked_in_a_row = 0;
            }
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                blocked_in_a_row += 1;
                sleep(Duration::from_millis(40)).await;
            }
            Err(error) => panic!(
                "{} could not send: {error}. Did the server close the connection?",
                client.name
            ),
        }
    }
    assert!(
        sent > OUTBOX_CAPACITY as u64 && sent < payload.len(),
        "{} sent {sent} bytes before its writes blocked, which does not fill the buffers: \
         does the server stop reading when its outbox is full?",
        client.name
    );
    sent
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgets_clients_that_vanish() {
    let mut server = TestServer::start(None).await;
    let mut bob = server.client("bob").await;
    bob.send("bob is here first\n").await;
    bob.expect_echo("bob is here first\n").await;

    let mut erin = server.client("erin").await;
    let payload = Payload::new(7, 32 * 1024).chunk(0, 32 * 1024);
    erin.send_bytes(&payload).await;
    erin.expect_echo_bytes(&payload[..1024]).await;
    erin.vanish();

    let mut gus = server.client("gus").await;
    send_until_blocked(&mut gus, Payload::new(9, 64 * 1024 * 1024)).await;
    server.transcript.note(
        "gus sends without reading until his writes block: the server's outbox for gus is \
         full, and it waits for gus's socket to be writable",
    );
    gus.vanish();

    bob.send("bob is still here\n").await;
    bob.expect_echo("bob is still here\n").await;
    let mut carol = server.client("carol").await;
    carol.send("carol arrives after\n").await;
    carol.expect_echo("carol arrives after\n").await;
    carol.half_close().await;
    carol.expect_end().await;
    bob.half_close().await;
    bob.expect_end().await;

    server.ask_to_stop().await;
    let summary = server
        .expect_stopped("all clients had left: the ones that vanished too")
        .await;
    assert_eq!(
        summary,
        Summary { connections: 4 },
        "run accepted bob, erin, gus and carol"
    );
    with_settings!({
        description => "A client that vanishes (its kernel resets the connection) makes a read or a write fail: close that connection and remove it from the slab. The others go on, and the graceful shutdown does not wait for a connection that is gone.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}

/// How long the test watches the CPU time, and the most the process may use meanwhile.
const WATCH: Duration = Duration::from_secs(1);
const CPU_ALLOWED: Duration = Duration::from_millis(250);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sleeps_while_nothing_happens() {
    let mut server = TestServer::start(None).await;
    let mut ivy = server.client("ivy").await;
    ivy.send("ivy says one thing, then waits\n").await;
    ivy.expect_echo("ivy says one thing, then waits\n").await;
    let mut stan = server.client("stan").await;
    let payload = Payload::new(11, 64 * 1024 * 1024);
    let sent = send_until_blocked(&mut stan, payload).await;
    server.transcript.note(
        "stan sends without reading until his writes block: the server's outbox for stan is \
         full, and it waits for stan's socket to be writable",
    );

    sleep(Duration::from_millis(200)).await;
    let before = process_cpu_time();
    sleep(WATCH).await;
    let used = process_cpu_time().saturating_sub(before);
    if used > CPU_ALLOWED {
        server
            .fail(format!(
                "while ivy and stan waited, the test process used {} ms of CPU time in {} ms: \
                 the event loop is spinning instead of sleeping. poll must block until an event \
                 comes (a timeout of None, not Some(Duration::ZERO)), and a WouldBlock means \
                 \"return to the loop and wait for the next event\", never \"try again at once\".",
                used.as_millis(),
                WATCH.as_millis()
            ))
            .await;
    }
    server.transcript.note(format!(
        "for {} s, nothing happens: the process uses less than {} ms of CPU time",
        WATCH.as_secs(),
        CPU_ALLOWED.as_millis()
    ));

    // stan reads everything back: the server must resume reading as its outbox drains.
    let mut checker = Checker::new(Payload::new(11, sent));
    let mut buffer = vec![0; 64 * 1024];
    let stream = stan.stream();
    while checker.received < sent {
        match timeout(WAIT, tokio::io::AsyncReadExt::read(stream, &mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(read)) => checker.feed(&buffer[..read]),
        }
    }
    if !checker.is_complete_and_identical() {
        stan.fail(format!(
            "stan sent {} and read back {}: once stan reads, the outbox drains, and the \
             server must read the rest of what stan sent.",
            count(sent, "byte"),
            checker.verdict()
        ))
        .await;
    }
    server
        .transcript
        .note("stan reads: he gets back every byte he sent");
    stan.half_close().await;
    stan.expect_end().await;
    ivy.half_close().await;
    ivy.expect_end().await;
    server.ask_to_stop().await;
    server.expect_stopped("all of its clients had left").await;
    with_settings!({
        description => "An idle client and a client that does not read: the event loop must sleep in poll, not spin. With nothing to do, a server uses no CPU.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lets_open_connections_finish_after_stop() {
    let mut server = TestServer::start(None).await;
    let mut alice = server.client("alice").await;
    alice.send("one\n").await;
    alice.expect_echo("one\n").await;
    let mut bob = server.client("bob").await;
    bob.send("two\n").await;
    bob.expect_echo("two\n").await;

    server.ask_to_stop().await;
    server
        .expect_still_running("alice and bob are still connected")
        .await;
    server.expect_refused("late").await;
    alice.send("three, after the stop\n").await;
    alice.expect_echo("three, after the stop\n").await;
    alice.half_close().await;
    alice.expect_end().await;
    server.expect_still_running("bob is still connected").await;
    bob.send("four\n").await;
    bob.expect_echo("four\n").await;
    bob.half_close().await;
    bob.expect_end().await;
    let summary = server.expect_stopped("its last client had left").await;
    assert_eq!(
        summary,
        Summary { connections: 2 },
        "run accepted alice and bob"
    );
    with_settings!({
        description => "A graceful stop: the STOP event closes the listener (new clients are refused), the open connections are served until their clients leave, and only then does run return.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn makes_extra_clients_wait_for_a_free_slot() {
    let mut server = TestServer::start(Some(2)).await;
    let mut alice = server.client("alice").await;
    alice.send("a1\n").await;
    alice.expect_echo("a1\n").await;
    let mut bob = server.client("bob").await;
    bob.send("b1\n").await;
    bob.expect_echo("b1\n").await;

    let mut carol = server.client("carol").await;
    carol.send("c1\n").await;
    carol
        .expect_silence("alice and bob hold both slots: carol waits in the accept queue")
        .await;
    alice.half_close().await;
    alice.expect_end().await;
    if let Err(message) = carol.try_expect_echo_bytes(b"c1\n").await {
        carol
            .fail(format!(
                "{message}\n\nalice left, so a slot is free, and carol has been waiting in the \
                 accept queue all along. Her LISTENER event came while both slots were taken, \
                 and no new one will come for her: after closing a connection, accept again."
            ))
            .await;
    }

    let mut dave = server.client("dave").await;
    dave.send("d1\n").await;
    dave.expect_silence("bob and carol hold both slots").await;
    bob.half_close().await;
    bob.expect_end().await;
    dave.expect_echo("d1\n").await;

    for client in [&mut carol, &mut dave] {
        client.half_close().await;
        client.expect_end().await;
    }
    server.ask_to_stop().await;
    server.expect_stopped("all of its clients had left").await;
    with_settings!({
        description => "At most 2 clients at once: a third one can connect (the kernel queues it) but is not accepted until a connection closes; then the server must accept again by itself, since the listener's event for that client came and went.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}
