//! Who can tell what the server side was doing when a client saw something go wrong.
//!
//! A client only sees its own connection: "nothing came back", "the connection was
//! closed". The reason is often on the other side (the event loop panicked on a `todo!()`,
//! or returned early), so every failure message asks the [`Witness`] for what it knows.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The server side running on a thread of the test: the event loop, `EchoServer::run`.
pub struct ServerThread {
    /// What the thread runs, as a student knows it: "run".
    name: &'static str,
    thread: Mutex<Option<JoinHandle<String>>>,
    /// How the thread ended, once the harness has seen it end.
    ending: Mutex<Option<String>>,
}

impl ServerThread {
    /// Runs `body` on a new thread; `body` returns how it ended, in words (`run returned …`).
    pub fn spawn(
        name: &'static str,
        body: impl FnOnce() -> String + Send + 'static,
    ) -> Arc<ServerThread> {
        Arc::new(ServerThread {
            name,
            thread: Mutex::new(Some(std::thread::spawn(body))),
            ending: Mutex::new(None),
        })
    }

    /// How the thread ended, if it did (waiting a moment, as a panic takes a moment to unwind).
    pub async fn ending(&self) -> Option<String> {
        let deadline = Instant::now() + Duration::from_millis(300);
        loop {
            let finished = self
                .thread
                .lock()
                .unwrap()
                .as_ref()
                .is_some_and(|thread| thread.is_finished());
            if finished || Instant::now() >= deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let mut thread = self.thread.lock().unwrap();
        if thread.as_ref().is_some_and(|thread| thread.is_finished()) {
            let ending = match thread.take().expect("checked above").join() {
                Ok(how) => how,
                Err(payload) => {
                    let message = payload
                        .downcast_ref::<&str>()
                        .map(|text| text.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "a panic without a message".to_string());
                    format!("{} panicked: {message}", self.name)
                }
            };
            *self.ending.lock().unwrap() = Some(ending);
        }
        self.ending.lock().unwrap().clone()
    }
}

/// The standard error of the lab's program, collected while it runs.
#[derive(Clone, Default)]
pub struct ProgramOutput {
    pub stderr: Arc<Mutex<String>>,
}

impl ProgramOutput {
    /// The last lines the program wrote on standard error.
    pub fn stderr_tail(&self) -> String {
        let stderr = self.stderr.lock().unwrap();
        let lines: Vec<&str> = stderr.lines().collect();
        let start = lines.len().saturating_sub(15);
        lines[start..].join("\n")
    }
}

/// What a failure message can add about the server side.
#[derive(Clone)]
pub enum Witness {
    Thread(Arc<ServerThread>),
    Program(ProgramOutput),
}

impl Witness {
    /// A paragraph for a failure message, or nothing when there is nothing to add.
    pub async fn testimony(&self) -> String {
        match self {
            Witness::Thread(thread) => match thread.ending().await {
                Some(ending) => format!("\n\nOn the server side, {ending}."),
                None => String::new(),
            },
            Witness::Program(output) => {
                let tail = output.stderr_tail();
                if tail.is_empty() {
                    "\n\nThe program wrote nothing on its standard error.".to_string()
                } else {
                    format!("\n\nThe program's standard error ends with:\n{tail}")
                }
            }
        }
    }
}
