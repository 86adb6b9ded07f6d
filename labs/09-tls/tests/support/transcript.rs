//! The story of a test, one line per step, and the witness of the server side.
//!
//! A client only sees its own connection: "the handshake failed", "nothing came back".
//! The reason is often on the other side (the server panicked on a `todo!()`, or
//! returned early), so every failure message also tells what is known of the server.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::{JoinError, JoinHandle};

/// The story of a test, one line per step; it becomes the snapshot.
#[derive(Clone, Default)]
pub struct Transcript {
    lines: Arc<Mutex<Vec<String>>>,
    server: Arc<Mutex<Option<Arc<ServerTask>>>>,
}

impl Transcript {
    pub fn new() -> Transcript {
        Transcript::default()
    }

    pub fn note(&self, line: impl Into<String>) {
        self.lines.lock().unwrap().push(line.into());
    }

    pub fn text(&self) -> String {
        let mut text = self.lines.lock().unwrap().join("\n");
        text.push('\n');
        text
    }

    /// The server task whose ending a failure message should report.
    pub fn watch(&self, server: Arc<ServerTask>) {
        *self.server.lock().unwrap() = Some(server);
    }

    /// The last steps, for a failure message.
    pub fn recent(&self) -> String {
        let lines = self.lines.lock().unwrap();
        let start = lines.len().saturating_sub(25);
        let mut recent = String::new();
        if start > 0 {
            recent += &format!("  … ({start} earlier steps)\n");
        }
        for line in &lines[start..] {
            recent += &format!("  {line}\n");
        }
        recent
    }

    /// Panics with `message`, what is known of the server, and the recent steps.
    pub async fn fail(&self, message: impl Into<String>) -> ! {
        let server = self.server.lock().unwrap().clone();
        let testimony = match server {
            Some(server) => match server.ending().await {
                Some(ending) => format!("\n\nOn the server side, {ending}."),
                None => String::new(),
            },
            None => String::new(),
        };
        panic!(
            "{}{testimony}\n\nWhat happened so far:\n{}",
            message.into(),
            self.recent()
        );
    }
}

/// The server side running as a task of the test.
pub struct ServerTask {
    /// What the task runs, as a student knows it: "serve".
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
