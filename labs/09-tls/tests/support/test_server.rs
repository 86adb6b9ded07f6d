//! A server for one test: your `serve` on a free port of a loopback address, run as a task
//! of the test, and stopped when the test says so.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use lab09_tls::auth::Token;
use lab09_tls::server::{Outcome, ServerSettings, serve};
use rustls::ServerConfig;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::time::timeout;

use super::transcript::{ServerTask, Transcript};
use super::{TOKEN, WAIT, seconds};

/// The time limits of a test's server: long ones, unless a test is about them.
#[derive(Clone, Copy)]
pub struct Limits {
    pub handshake: Duration,
    pub auth: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            handshake: Duration::from_secs(20),
            auth: Duration::from_secs(20),
        }
    }
}

pub struct TestServer {
    pub address: SocketAddr,
    transcript: Transcript,
    stop: Option<oneshot::Sender<()>>,
    outcomes: oneshot::Receiver<Vec<Outcome>>,
}

/// Binds port 0 of `ip`, or says why the test cannot run.
pub async fn listen_on(ip: IpAddr) -> TcpListener {
    match TcpListener::bind(SocketAddr::new(ip, 0)).await {
        Ok(listener) => listener,
        Err(error) if ip.is_ipv6() => panic!(
            "not run: this machine has no IPv6 on its loopback interface (binding [::1]:0 \
             failed: {error})"
        ),
        Err(error) => {
            panic!("the test cannot listen on {ip} port 0 ({error}): not your code's fault")
        }
    }
}

impl TestServer {
    /// Starts `serve(listener, settings, shutdown)` on port 0 of `ip`, with the token
    /// [`TOKEN`] and the time limits `limits`.
    pub async fn start(
        config: Arc<ServerConfig>,
        ip: IpAddr,
        limits: Limits,
        transcript: &Transcript,
    ) -> TestServer {
        let listener = listen_on(ip).await;
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        let settings = ServerSettings {
            tls: config,
            token: Token::new(TOKEN),
            handshake_timeout: limits.handshake,
            auth_timeout: limits.auth,
        };
        let (stop, stop_requested) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stop_requested.await;
        };
        let (report, outcomes) = oneshot::channel();
        let task = ServerTask::spawn("serve", async move {
            let _ = report.send(serve(listener, settings, shutdown).await);
        });
        transcript.watch(task);
        let where_ = if ip.is_ipv6() { "[::1]" } else { "127.0.0.1" };
        transcript.note(format!(
            "the server listens on {where_} with that certificate (serve)"
        ));
        TestServer {
            address,
            transcript: transcript.clone(),
            stop: Some(stop),
            outcomes,
        }
    }

    /// Completes the shutdown future, waits for `serve` to return, and notes the outcome
    /// of each connection.
    pub async fn stop(mut self) -> Vec<Outcome> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let outcomes = match timeout(WAIT, &mut self.outcomes).await {
            Ok(Ok(outcomes)) => outcomes,
            Ok(Err(_)) => {
                self.transcript
                    .fail("serve never returned the connections' outcomes.")
                    .await
            }
            Err(_) => {
                self.transcript
                    .fail(format!(
                        "serve did not return within {} after the shutdown future completed, \
                         although every client had left. Break out of the accept loop when \
                         the shutdown future completes (tokio::select!), wait for the \
                         connections' tasks (JoinSet::join_next), and return their outcomes.",
                        seconds(WAIT)
                    ))
                    .await
            }
        };
        self.transcript.note(format!(
            "the server stops; serve returns {}",
            count(outcomes.len(), "outcome")
        ));
        for (number, outcome) in outcomes.iter().enumerate() {
            self.transcript
                .note(format!("  connection {}: {outcome}", number + 1));
        }
        outcomes
    }
}

/// `1 outcome`, `2 outcomes`.
pub fn count(number: usize, thing: &str) -> String {
    match number {
        1 => format!("1 {thing}"),
        _ => format!("{number} {thing}s"),
    }
}
