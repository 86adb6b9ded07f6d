//! Progress on the terminal while grading: a first build compiles every dependency and can
//! take minutes, so the grader always shows what it is doing and that it is alive.
//!
//! Drawn on standard error, and only when a person is watching: it stays hidden when standard
//! output is not a terminal or when the report on standard output is JSON.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(visible: bool) -> Progress {
        if !visible {
            return Progress {
                bar: ProgressBar::hidden(),
            };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner:.cyan} {msg} [{elapsed}]")
                .expect("the progress template is valid")
                .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar }
    }

    pub fn assembling(&self) {
        self.bar.set_message("preparing a scratch copy of the labs");
    }

    pub fn waiting_for_build_lock(&self, lab: &str) {
        self.bar.set_message(format!(
            "{lab}: waiting for another grading run to finish building"
        ));
    }

    pub fn building(&self, lab: &str, crates_ready: usize, latest: &str) {
        self.bar.set_message(format!(
            "{lab}: building ({crates_ready} crates ready, latest: {latest})"
        ));
    }

    pub fn running(&self, lab: &str, finished: usize, total: usize) {
        self.bar
            .set_message(format!("{lab}: running tests {finished}/{total}"));
    }

    pub fn tick(&self) {
        self.bar.tick();
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
