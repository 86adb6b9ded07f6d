//! A server for one test: `serve` (or `serve_with_limit`) on a free port of 127.0.0.1,
//! run as a task of the test, and stopped when the test says so.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::sync::Arc;

use lab04_echo_tokio::limit::ConnectionLimit;
use lab04_echo_tokio::server::{Summary, serve, serve_with_limit};
use tokio::sync::oneshot;
use tokio::time::timeout;

use super::client::{Client, Transcript, expect_refused, fail};
use super::witness::{ServerTask, Witness};
use super::{QUIET, WAIT};
use harness::listener::free_port_listener;

pub struct TestServer {
    pub address: SocketAddr,
    pub transcript: Transcript,
    witness: Witness,
    stop: Option<oneshot::Sender<()>>,
    summary: oneshot::Receiver<Summary>,
}

impl TestServer {
    /// Starts `serve`, or `serve_with_limit` with at most `max_connections` clients at once.
    pub async fn start(max_connections: Option<usize>) -> TestServer {
        let (listener, address) = free_port_listener().await;
        let (stop, stop_requested) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stop_requested.await;
        };
        let (report, summary) = oneshot::channel();
        let transcript = Transcript::new();
        let task = match max_connections {
            None => {
                transcript.note("the server starts: serve(listener, shutdown)");
                ServerTask::spawn("serve", async move {
                    let _ = report.send(serve(listener, shutdown).await);
                })
            }
            Some(max) => {
                transcript.note(format!(
                    "the server starts with a limit of {max} clients at once: \
                     serve_with_limit(listener, ConnectionLimit::at_most({max}), shutdown)"
                ));
                let max = NonZeroUsize::new(max).expect("the tests use limits above 0");
                ServerTask::spawn("serve_with_limit", async move {
                    let limit = ConnectionLimit::at_most(max);
                    let _ = report.send(serve_with_limit(listener, limit, shutdown).await);
                })
            }
        };
        TestServer {
            address,
            transcript,
            witness: Witness::Task(Arc::clone(&task)),
            stop: Some(stop),
            summary,
        }
    }

    pub async fn client(&self, name: &str) -> Client {
        Client::connect(name, self.address, &self.transcript, &self.witness).await
    }

    pub async fn fail(&self, message: String) -> ! {
        fail(message, &self.transcript, &self.witness).await
    }

    /// Completes the shutdown future given to `serve`.
    pub fn ask_to_stop(&mut self) {
        self.transcript
            .note("the test completes the shutdown future");
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Checks that `serve` has not returned yet; `why` says why it must not.
    pub async fn expect_still_running(&mut self, why: &str) {
        match timeout(QUIET, &mut self.summary).await {
            Err(_) => self.transcript.note(format!(
                "serve is still running after {} s ({why})",
                QUIET.as_secs_f64()
            )),
            Ok(Ok(summary)) => {
                self.fail(format!(
                    "serve returned {summary:?}, but it should still be running ({why}). \
                     After the shutdown future completes, wait for the open connections \
                     (JoinSet::join_next) before returning: returning drops the JoinSet, \
                     which aborts their tasks."
                ))
                .await
            }
            Ok(Err(_)) => {
                self.fail(format!(
                    "serve stopped, but it should still be running ({why})."
                ))
                .await
            }
        }
    }

    /// Waits for `serve` to return, and notes its summary.
    pub async fn expect_stopped(&mut self, why: &str) -> Summary {
        match timeout(WAIT, &mut self.summary).await {
            Ok(Ok(summary)) => {
                self.transcript.note(format!("serve returns {summary:?}"));
                summary
            }
            Ok(Err(_)) => {
                self.fail("serve never returned a Summary.".to_string())
                    .await
            }
            Err(_) => {
                self.fail(format!(
                    "serve did not return within {} s after the shutdown future completed ({why}). \
                     Break out of the accept loop when the shutdown future completes \
                     (tokio::select!), then wait for the connections still open and return. \
                     If a client's task never ends, serve waits for it forever: does echo stop \
                     when a read or a write fails?",
                    WAIT.as_secs_f64()
                ))
                .await
            }
        }
    }

    /// Checks that a new client is refused: the listening socket is closed.
    pub async fn expect_refused(&self, name: &str) {
        let still_open = "the shutdown future completed. Once it is time to stop, drop the \
             listener (that closes the listening socket, so new clients are refused) before \
             waiting for the open connections.";
        expect_refused(
            name,
            self.address,
            &self.transcript,
            &self.witness,
            still_open,
        )
        .await
    }
}
