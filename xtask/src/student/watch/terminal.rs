//! What the student sees while watch runs: one screen per grade, failing checks on top.
//!
//! On a terminal the screen is cleared before each grade, so the report starts at the top,
//! where the eyes land. Elsewhere (CI, a pipe, a test) each round is plain lines after a
//! separator, flushed as soon as they are written so that a reader sees them at once. Every
//! report says when it was graded (the local time of day, from libc's `localtime_r`) and how
//! saves are noticed, and each round ends with `watch: waiting for changes in …`, the line a
//! student (or a test) waits on.

use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use console::{Style, Term};

use super::Round;
use super::events::ChangeSource;

/// What the student sees. On a terminal the screen is cleared before each grade; elsewhere
/// (CI, a pipe) every round is plain text after a separator line.
pub(super) struct Screen {
    pub(super) terminal: bool,
    pub(super) source: ChangeSource,
    /// Where to save, e.g. `labs/01-ports/src`.
    pub(super) folder: String,
}

const SEPARATOR: &str = "────────────────────────────────────────────────────────────────────────";

impl Screen {
    /// Before a grade: which labs, and why.
    pub(super) fn grading(&self, round: &Round) -> io::Result<()> {
        self.start_round()?;
        let why = if round.reason.is_empty() {
            String::new()
        } else {
            format!(" ({})", round.reason)
        };
        self.say(&format!("grading {}{why}…", round.lab_ids()))
    }

    /// After a grade: a header, then the report with the failing checks first.
    pub(super) fn report(&self, round: &Round, report: &str) -> io::Result<()> {
        if self.terminal {
            // The report starts at the top, in place of the "grading…" line.
            Term::stdout().clear_screen()?;
        }
        let header = Style::new().bold();
        let mut text = format!(
            "watch: {} graded at {} · {}\n",
            header.apply_to(round.lab_ids()),
            time_of_day(SystemTime::now()),
            self.source.describe()
        );
        text.push_str(&format!(
            "watch: save a file in {} to grade again · Ctrl-C to stop\n",
            self.folder
        ));
        text.push_str(report);
        print_now(&text)
    }

    /// The line a student (or a test) waits on between grades.
    pub(super) fn waiting(&self) -> io::Result<()> {
        self.say(&format!("waiting for changes in {}", self.folder))
    }

    pub(super) fn say(&self, line: &str) -> io::Result<()> {
        print_now(&format!("watch: {line}\n"))
    }

    /// A clean screen on a terminal, a separator line elsewhere.
    fn start_round(&self) -> io::Result<()> {
        if self.terminal {
            Term::stdout().clear_screen()
        } else {
            print_now(&format!("{SEPARATOR}\n"))
        }
    }
}

/// Prints and flushes at once, so that a reader on a pipe sees each line when it is written.
fn print_now(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// The local time of day, "14:03:27" ("… UTC" when the local time cannot be worked out).
fn time_of_day(now: SystemTime) -> String {
    let seconds = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let utc = format!(
        "{:02}:{:02}:{:02} UTC",
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60
    );
    let Ok(time) = libc::time_t::try_from(seconds) else {
        return utc;
    };
    // SAFETY: tm is a plain C struct, for which all zeroes is a valid value.
    let mut local: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid; localtime_r writes only into `local`.
    if unsafe { libc::localtime_r(&time, &mut local) }.is_null() {
        return utc;
    }
    format!(
        "{:02}:{:02}:{:02}",
        local.tm_hour, local.tm_min, local.tm_sec
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_of_day_reads_like_a_clock() {
        let time = time_of_day(SystemTime::now());
        let clock = time.trim_end_matches(" UTC");
        assert_eq!(clock.len(), 8, "HH:MM:SS, got {time:?}");
        assert_eq!(clock.matches(':').count(), 2, "HH:MM:SS, got {time:?}");
    }
}
