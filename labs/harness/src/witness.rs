//! Who can tell what the server side was doing when a client saw something go wrong.
//!
//! A client only sees its own connection: "nothing came back", "the connection was
//! closed". The reason is often on the other side (the server panicked on a `todo!()`,
//! or returned early), so every failure message asks the [`Witness`] for what it knows:
//! how the server's task or thread ended, or the last lines the program wrote.

use std::any::Any;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::{JoinError, JoinHandle};

/// How long a witness waits for a server that is ending: a panic takes a moment to unwind.
const ENDING_GRACE: Duration = Duration::from_millis(300);

/// The server side running as a task of the test: `serve`, or `echo` on one stream.
pub struct ServerTask {
    /// What the task runs, as a student knows it: "serve", "echo".
    name: &'static str,
    task: tokio::sync::Mutex<Option<JoinHandle<()>>>,
    /// How the task ended, once the harness has seen it end.
    ending: Mutex<Option<String>>,
}

impl ServerTask {
    pub fn spawn(
        name: &'static str,
        future: impl Future<Output = ()> + Send + 'static,
    ) -> Arc<ServerTask> {
        Arc::new(ServerTask {
            name,
            task: tokio::sync::Mutex::new(Some(tokio::spawn(future))),
            ending: Mutex::new(None),
        })
    }

    /// How the task ended, if it did (waiting a moment, as a panic takes a moment to unwind).
    pub async fn ending(&self) -> Option<String> {
        let mut task = self.task.lock().await;
        if let Some(handle) = task.as_mut()
            && let Ok(result) = tokio::time::timeout(ENDING_GRACE, handle).await
        {
            *task = None;
            let ending = match result {
                Ok(()) => format!("{} had already returned", self.name),
                Err(error) => describe_join_error(self.name, error),
            };
            *self.ending.lock().unwrap() = Some(ending);
        }
        self.ending.lock().unwrap().clone()
    }
}

fn describe_join_error(name: &str, error: JoinError) -> String {
    match error.try_into_panic() {
        Ok(payload) => format!("{name} panicked: {}", panic_message(&*payload)),
        Err(_) => format!("{name} was cancelled"),
    }
}

/// The text a panic carried (`panic!("…")` carries a `&str` or a `String`).
fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// The server side running on a thread of the test: an event loop such as `EchoServer::run`.
pub struct ServerThread {
    /// What the thread runs, as a student knows it: "run".
    name: &'static str,
    thread: Mutex<Option<std::thread::JoinHandle<String>>>,
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
        let deadline = Instant::now() + ENDING_GRACE;
        while !self.has_finished() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let mut thread = self.thread.lock().unwrap();
        if thread.as_ref().is_some_and(|thread| thread.is_finished()) {
            let ending = match thread.take().expect("checked above").join() {
                Ok(how) => how,
                Err(payload) => format!("{} panicked: {}", self.name, panic_message(&*payload)),
            };
            *self.ending.lock().unwrap() = Some(ending);
        }
        self.ending.lock().unwrap().clone()
    }

    fn has_finished(&self) -> bool {
        self.thread
            .lock()
            .unwrap()
            .as_ref()
            .is_some_and(|thread| thread.is_finished())
    }
}

/// The output of the lab's program, collected while it runs.
pub use crate::program::Output as ProgramOutput;

/// What a failure message can add about the server side.
#[derive(Clone)]
pub enum Witness {
    /// The server runs as a task of the test (lab 04).
    Task(Arc<ServerTask>),
    /// The server runs on a thread of the test (lab 06).
    Thread(Arc<ServerThread>),
    /// The server is the lab's program, running as a process.
    Program(ProgramOutput),
}

impl Witness {
    /// A paragraph for a failure message, or nothing when there is nothing to add.
    pub async fn testimony(&self) -> String {
        let ending = match self {
            Witness::Task(task) => task.ending().await,
            Witness::Thread(thread) => thread.ending().await,
            Witness::Program(output) => return program_testimony(output),
        };
        match ending {
            Some(ending) => format!("\n\nOn the server side, {ending}."),
            None => String::new(),
        }
    }
}

fn program_testimony(output: &ProgramOutput) -> String {
    format!("\n\n{}", output.stderr_ending())
}
