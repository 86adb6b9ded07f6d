//! Graded tests for `src/server.rs`: the accept loop, one task per client, the
//! graceful shutdown and the connection limit, with real clients on 127.0.0.1.

mod support;

use insta::{assert_snapshot, with_settings};
use lab04_echo_tokio::server::Summary;
use tokio::task::JoinSet;

use support::WAIT;
use support::bytes::Payload;
use support::client::exchange;
use support::test_server::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_one_client() {
    let mut server = TestServer::start(None).await;
    let mut alice = server.client("alice").await;
    alice.send("hello, echo server\n").await;
    alice.expect_echo("hello, echo server\n").await;
    alice.send("bye\n").await;
    alice.expect_echo("bye\n").await;
    alice.half_close().await;
    alice.expect_end().await;
    server.ask_to_stop();
    server.expect_stopped("its only client had left").await;
    with_settings!({
        description => "serve(listener, shutdown): accept a client, echo it (echo in a task of its own), and return a Summary counting the connections once the shutdown future completes.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}

/// How many clients the tests connect at once.
const CLIENTS: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_many_clients_at_once() {
    let mut server = TestServer::start(None).await;
    let mut clients = Vec::new();
    for number in 0..CLIENTS {
        clients.push(server.client(&format!("client {number:02}")).await);
    }
    // The last client to connect speaks first: a server that serves one client at a time
    // is still busy with client 00, which has not said anything yet.
    for client in clients.iter_mut().rev() {
        let line = format!("{} speaks\n", client.name);
        client.send(&line).await;
        if let Err(message) = client.try_expect_echo_bytes(line.as_bytes()).await {
            client
                .fail(format!(
                    "{message}\n\nAll {CLIENTS} clients are connected, and the last ones to \
                     connect speak first. A server that echoes one client at a time (echo(..).await \
                     inside the accept loop) is still waiting for client 00. Spawn a task for each \
                     connection (JoinSet::spawn), so that the loop can accept the next client at once."
                ))
                .await;
        }
    }
    for client in &mut clients {
        client.half_close().await;
        client.expect_end().await;
    }
    server.ask_to_stop();
    let summary = server.expect_stopped("all of its clients had left").await;
    let report = format!(
        "{CLIENTS} clients connect, and none of them says anything yet\n\
         from the last one to connect to the first, each sends a line and receives its echo\n\
         each shuts down its sending side and reads the end of the stream\n\
         serve returns {summary:?}\n"
    );
    with_settings!({
        description => "All clients are connected before any speaks, and the last one to connect speaks first: only a server that gives each connection its own task answers them all.",
    }, {
        assert_snapshot!(report);
    });
}

/// The size of client `number`'s payload: a few edge cases, then sizes up to 150 kB.
fn payload_size(number: usize) -> u64 {
    match number {
        0 => 0,
        1 => 1,
        2 => 16 * 1024,
        3 => 16 * 1024 + 1,
        _ => (number as u64 * 7919 * 13) % 150_000 + 1,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_50_concurrent_clients_with_their_own_data() {
    let mut server = TestServer::start(None).await;
    let mut exchanges = JoinSet::new();
    for number in 0..CLIENTS {
        let client = server.client(&format!("client {number:02}")).await;
        exchanges.spawn(async move {
            let payload = Payload::new(number as u64, payload_size(number));
            let write_size = move |write: usize| 1 + (number * 31 + write * 977) % 20_000;
            let exchange = exchange(client.into_stream(), payload, write_size, 2 * WAIT).await;
            (number, exchange)
        });
    }
    let mut lines = Vec::new();
    while let Some(joined) = exchanges.join_next().await {
        let (number, exchange) = joined.expect("a client task of the test does not panic");
        lines.push((
            number,
            format!("client {number:02}: {}", exchange.describe()),
        ));
    }
    lines.sort();
    let mut report = format!(
        "{CLIENTS} clients at once, each sending its own pseudo-random bytes in writes of \
         different sizes while reading its echo, then shutting down its sending side\n"
    );
    for (_, line) in lines {
        report += &line;
        report.push('\n');
    }
    server.ask_to_stop();
    let summary = server.expect_stopped("all of its clients had left").await;
    report += &format!("serve returns {summary:?}\n");
    with_settings!({
        description => "Each client must get back exactly its own bytes, in order, then the end of the stream. A line that differs shows which client lost, mixed up or kept bytes.",
    }, {
        assert_snapshot!(report);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoes_8_mib_over_tcp() {
    let mut server = TestServer::start(None).await;
    let client = server.client("bulk").await;
    let payload = Payload::new(88, 8 * 1024 * 1024);
    let exchange = exchange(client.into_stream(), payload, |_| 64 * 1024, 2 * WAIT).await;
    if !exchange.is_perfect() {
        server
            .fail(format!(
                "bulk sent 8 MiB while reading its echo: it {}. Write back every byte read \
                 (write_all), and shut down the writing side only after the end of the stream.",
                exchange.describe()
            ))
            .await;
    }
    server
        .transcript
        .note(format!("bulk {}", exchange.describe()));
    server.ask_to_stop();
    server.expect_stopped("its only client had left").await;
    with_settings!({
        description => "8 MiB through one connection, sent in writes of 64 KiB while the client reads the echo at the same time.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stays_up_when_a_client_vanishes_mid_stream() {
    let mut server = TestServer::start(None).await;
    let mut bob = server.client("bob").await;
    bob.send("bob is here first\n").await;
    bob.expect_echo("bob is here first\n").await;

    let mut erin = server.client("erin").await;
    let payload = Payload::new(7, 32 * 1024).chunk(0, 32 * 1024);
    erin.send_bytes(&payload).await;
    erin.expect_echo_bytes(&payload[..1024]).await;
    erin.vanish();

    bob.send("bob is still here\n").await;
    bob.expect_echo("bob is still here\n").await;
    let mut carol = server.client("carol").await;
    carol.send("carol arrives after\n").await;
    carol.expect_echo("carol arrives after\n").await;
    carol.half_close().await;
    carol.expect_end().await;
    bob.half_close().await;
    bob.expect_end().await;

    server.ask_to_stop();
    server
        .expect_stopped("all clients had left, including the one that vanished")
        .await;
    with_settings!({
        description => "A client that vanishes mid-stream ends its own connection with an error (connection reset, broken pipe), and only that one: the other clients and new ones are still served, and the vanished client's task ends.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_when_told_to_with_no_clients() {
    let mut server = TestServer::start(None).await;
    server.ask_to_stop();
    let summary = server.expect_stopped("it had no client").await;
    assert_eq!(
        summary,
        Summary { connections: 0 },
        "serve accepted no connection, so its Summary counts 0"
    );
    server.expect_refused("late").await;
    with_settings!({
        description => "When the shutdown future completes, serve stops accepting, drops the listener (new clients are refused) and returns its Summary.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lets_open_connections_finish_after_shutdown() {
    let mut server = TestServer::start(None).await;
    let mut alice = server.client("alice").await;
    alice.send("one\n").await;
    alice.expect_echo("one\n").await;
    let mut bob = server.client("bob").await;
    bob.send("two\n").await;
    bob.expect_echo("two\n").await;

    server.ask_to_stop();
    server
        .expect_still_running("alice and bob are still connected")
        .await;
    server.expect_refused("late").await;
    alice.send("three, after the shutdown\n").await;
    alice.expect_echo("three, after the shutdown\n").await;
    alice.half_close().await;
    alice.expect_end().await;
    server.expect_still_running("bob is still connected").await;
    bob.send("four\n").await;
    bob.expect_echo("four\n").await;
    bob.half_close().await;
    bob.expect_end().await;
    server.expect_stopped("its last client had left").await;
    with_settings!({
        description => "A graceful shutdown: no new connections (the listener is dropped at once), but the open ones are served until their clients leave (join_next on the JoinSet), and only then does serve return.",
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
    carol.expect_echo("c1\n").await;

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
    server.ask_to_stop();
    server.expect_stopped("all of its clients had left").await;
    with_settings!({
        description => "serve_with_limit with at most 2 clients at once: a third client can connect (the kernel queues it) but gets no echo until a client leaves and its slot is free.",
    }, {
        assert_snapshot!(server.transcript.text());
    });
}
