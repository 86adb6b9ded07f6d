//! A list of checks about one run. Each check is a line of the snapshot; when
//! one fails, the test fails with every line, the failed ones explained.

pub struct Checks {
    lines: Vec<String>,
    failed: bool,
}

impl Checks {
    /// Starts with lines that say what the test did.
    pub fn new(setup: &[String]) -> Checks {
        Checks {
            lines: setup.to_vec(),
            failed: false,
        }
    }

    /// Adds a line that is not a check (deterministic facts only: it goes in the snapshot).
    pub fn note(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }

    /// Checks `ok`; `explain` says what went wrong and what to try, for a failure.
    pub fn expect(&mut self, ok: bool, what: &str, explain: impl FnOnce() -> String) {
        if ok {
            self.lines.push(format!("✓ {what}"));
        } else {
            self.failed = true;
            self.lines.push(format!("✗ {what}\n    {}", explain()));
        }
    }

    /// Checks that two counts are equal.
    pub fn equal(&mut self, what: &str, actual: u64, expected: u64, advice: &str) {
        self.expect(actual == expected, what, || {
            format!("got {actual}, expected {expected}. {advice}")
        });
    }

    /// The text to snapshot; panics with every line when a check failed.
    pub fn verdict(self) -> String {
        let text = self.lines.join("\n") + "\n";
        if self.failed {
            panic!("some checks about the load generator's figures failed:\n\n{text}");
        }
        text
    }
}
