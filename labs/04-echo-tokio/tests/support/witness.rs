//! Who can tell what the server side was doing when a client saw something go wrong.
//!
//! A client only sees its own connection: "nothing came back", "the connection was
//! closed". The reason is often on the other side (the server panicked on a `todo!()`,
//! or returned early), so every failure message asks the [`Witness`] for what it knows.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::{JoinError, JoinHandle};

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
            && let Ok(result) = tokio::time::timeout(Duration::from_millis(300), handle).await
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
        Ok(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_string());
            format!("{name} panicked: {message}")
        }
        Err(_) => format!("{name} was cancelled"),
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
    Task(Arc<ServerTask>),
    Program(ProgramOutput),
}

impl Witness {
    /// A paragraph for a failure message, or nothing when there is nothing to add.
    pub async fn testimony(&self) -> String {
        match self {
            Witness::Task(task) => match task.ending().await {
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
