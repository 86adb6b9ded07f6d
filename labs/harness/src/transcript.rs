//! The story of a test, one line per step: it becomes the snapshot.
//!
//! A snapshot of "what happened" is easier to read than a pile of assertions: the test notes
//! each step ("alpha connects", "alpha sends 5 bytes"), and insta compares the whole story
//! with the blessed one. When a step fails, the failure message ends with the last steps, so
//! a student sees where things went wrong, not only that they did.

use std::sync::{Arc, Mutex};

#[cfg(feature = "program")]
use crate::witness::ServerTask;

/// How many of the last steps a failure message shows.
const RECENT_STEPS: usize = 25;

/// The story of a test, one line per step; it becomes the snapshot. Clones share the story.
#[derive(Clone, Default)]
pub struct Transcript {
    lines: Arc<Mutex<Vec<String>>>,
    /// The server task whose ending a failure message reports (see [`Transcript::watch`]).
    #[cfg(feature = "program")]
    server: Arc<Mutex<Option<Arc<ServerTask>>>>,
}

impl Transcript {
    pub fn new() -> Transcript {
        Transcript::default()
    }

    /// Adds one step.
    pub fn note(&self, line: impl Into<String>) {
        self.lines.lock().unwrap().push(line.into());
    }

    /// The whole story, one step a line, for the snapshot.
    pub fn text(&self) -> String {
        let mut text = self.lines.lock().unwrap().join("\n");
        text.push('\n');
        text
    }

    /// The last steps, indented, for a failure message.
    pub fn recent(&self) -> String {
        let lines = self.lines.lock().unwrap();
        let start = lines.len().saturating_sub(RECENT_STEPS);
        let mut recent = String::new();
        if start > 0 {
            recent += &format!("  … ({start} earlier steps)\n");
        }
        for line in &lines[start..] {
            recent += &format!("  {line}\n");
        }
        recent
    }
}

#[cfg(feature = "program")]
impl Transcript {
    /// The server task whose ending a failure message should report.
    pub fn watch(&self, server: Arc<ServerTask>) {
        *self.server.lock().unwrap() = Some(server);
    }

    /// Panics with `message`, what is known of the watched server, and the recent steps.
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
