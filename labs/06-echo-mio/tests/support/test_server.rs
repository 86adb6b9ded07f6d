//! A server for one test: an `EchoServer` on a free port of 127.0.0.1, its event loop
//! (`run`) on a thread of its own, stopped through its `StopHandle` when the test says so.

use std::io;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::sync::Arc;

use lab06_echo_mio::server::{EchoServer, StopHandle, Summary};
use tokio::sync::oneshot;
use tokio::time::timeout;

use super::client::{Client, Transcript, expect_refused, fail};
use super::witness::{ServerThread, Witness};
use super::{QUIET, WAIT};

pub struct TestServer {
    pub address: SocketAddr,
    pub transcript: Transcript,
    witness: Witness,
    stop: StopHandle,
    outcome: oneshot::Receiver<io::Result<Summary>>,
}

/// A listening socket on a free port of 127.0.0.1 (the kernel's accept queue holds 128).
pub fn bind_listener() -> std::net::TcpListener {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("the test can listen on a free port of 127.0.0.1 (not your code's fault)")
}

impl TestServer {
    /// Starts a server with no limit, or with at most `max_connections` clients at once.
    pub async fn start(max_connections: Option<usize>) -> TestServer {
        TestServer::start_on(bind_listener(), max_connections).await
    }

    /// Makes an `EchoServer` on `listener` and runs its event loop on a thread of its own.
    pub async fn start_on(
        listener: std::net::TcpListener,
        max_connections: Option<usize>,
    ) -> TestServer {
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        let transcript = Transcript::new();
        let limit = max_connections
            .map(|max| NonZeroUsize::new(max).expect("the tests use limits above 0"));
        match max_connections {
            None => transcript
                .note("the server starts: EchoServer::new(listener, None), then run() on a thread"),
            Some(max) => transcript.note(format!(
                "the server starts with a limit of {max} clients at once: \
                 EchoServer::new(listener, Some({max})), then run() on a thread"
            )),
        }
        let server = EchoServer::new(listener, limit)
            .unwrap_or_else(|error| panic!("EchoServer::new failed: {error}"));
        let stop = server.stop_handle();
        let (report, outcome) = oneshot::channel();
        let thread = ServerThread::spawn("run", move || {
            let result = server.run();
            let how = match &result {
                Ok(summary) => format!("run had already returned Ok({summary:?})"),
                Err(error) => format!(
                    "run had already returned an error: {error}. Only a failing poll may end \
                     run; an error of one client must close that client's connection only"
                ),
            };
            let _ = report.send(result);
            how
        });
        TestServer {
            address,
            transcript,
            witness: Witness::Thread(Arc::clone(&thread)),
            stop,
            outcome,
        }
    }

    pub fn witness(&self) -> &Witness {
        &self.witness
    }

    pub async fn client(&self, name: &str) -> Client {
        Client::connect(name, self.address, &self.transcript, &self.witness).await
    }

    pub async fn fail(&self, message: String) -> ! {
        fail(message, &self.transcript, &self.witness).await
    }

    /// Asks the event loop to stop, through its `StopHandle` (its `Waker`).
    pub async fn ask_to_stop(&mut self) {
        self.transcript
            .note("the test asks the server to stop: StopHandle::stop()");
        if let Err(error) = self.stop.stop() {
            self.fail(format!("StopHandle::stop() failed: {error}"))
                .await;
        }
    }

    /// Checks that `run` has not returned yet; `why` says why it must not.
    pub async fn expect_still_running(&mut self, why: &str) {
        match timeout(QUIET, &mut self.outcome).await {
            Err(_) => self.transcript.note(format!(
                "run is still running after {} s ({why})",
                QUIET.as_secs_f64()
            )),
            Ok(Ok(result)) => {
                self.fail(format!(
                    "run returned {result:?}, but it should still be running ({why}). After the \
                     STOP event, keep polling until the last connection has ended: the loop ends \
                     only when the server is stopping and its slab of clients is empty."
                ))
                .await
            }
            Ok(Err(_)) => {
                self.fail(format!(
                    "run stopped, but it should still be running ({why})."
                ))
                .await
            }
        }
    }

    /// Waits for `run` to return, and notes its summary.
    pub async fn expect_stopped(&mut self, why: &str) -> Summary {
        match timeout(WAIT, &mut self.outcome).await {
            Ok(Ok(Ok(summary))) => {
                self.transcript.note(format!("run returns Ok({summary:?})"));
                summary
            }
            Ok(Ok(Err(error))) => {
                self.fail(format!(
                    "run returned an error: {error}. It should return Ok(Summary) once it is \
                     stopping and its last connection has ended."
                ))
                .await
            }
            Ok(Err(_)) => self.fail("run never returned a Summary.".to_string()).await,
            Err(_) => {
                self.fail(format!(
                    "run did not return within {} s after StopHandle::stop() ({why}). The STOP \
                     event must close the listener, and the loop must end once no client is \
                     left in the slab. If it still waits, some connection was never removed \
                     from the slab: a connection whose read or write failed (the client \
                     vanished) must be closed, and so must one that is finished.",
                    WAIT.as_secs_f64()
                ))
                .await
            }
        }
    }

    /// Checks that a new client is refused: the listening socket is closed.
    pub async fn expect_refused(&self, name: &str) {
        let still_open = "StopHandle::stop(). On the STOP event, deregister the listener and \
             drop it (self.listener = None): that closes the listening socket, so new clients \
             are refused.";
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
