//! What a grading run may use of the machine at once: one budget of tokens, shared by every
//! build and every test, however many students are graded side by side.
//!
//! The budget is a jobserver — the protocol of GNU make, which cargo and rustc speak (the
//! `jobserver` crate, the one cargo itself uses). It holds `--jobs` tokens. A token is taken:
//!
//! - for each cargo build, before it starts (the one job every jobserver client may run
//!   without asking); cargo gets the budget too, and takes a token from it for every rustc
//!   beyond its first, so two builds side by side share the cores instead of each taking all
//!   of them;
//! - for every [`TESTS_PER_TOKEN`] tests running at once. A test of these labs mostly waits —
//!   for a connection, a time-out, a child process — and keeps a fraction of a core busy
//!   (measured: a warm grade of the reference solutions keeps 2 cores 30–40 % busy with 2 to
//!   8 tests at a time: 8 tests keep about one core busy), so a token for each test would
//!   leave the machine idle.
//!
//! Whatever holds a token gives it back when it is done (or dropped), so the machine stays
//! busy without being oversubscribed, and a test's time limit measures the test, not the
//! queue in front of it.

use std::io;
use std::process::Command;
use std::sync::Mutex;

use anyhow::{Context, Result};
use jobserver::{Acquired, Client};

/// How many tests share one token of the budget.
pub const TESTS_PER_TOKEN: usize = 8;

/// The machine's budget for one grading run.
pub struct Budget {
    client: Client,
    jobs: usize,
    /// The tokens held for running tests, with how many tests each one carries.
    test_tokens: Mutex<Vec<Option<TestToken>>>,
}

struct TestToken {
    _token: Acquired,
    tests: usize,
}

/// A place for one test to run, given back when dropped.
pub struct TestPermit<'a> {
    budget: &'a Budget,
    slot: usize,
}

/// A token held while one cargo build runs, given back when dropped.
pub struct BuildPermit {
    _token: Acquired,
}

impl Budget {
    /// A budget of `jobs` tokens (at least one).
    pub fn new(jobs: usize) -> Result<Budget> {
        let jobs = jobs.max(1);
        let client = Client::new(jobs).context("cannot create the grader's jobserver")?;
        Ok(Budget {
            client,
            jobs,
            test_tokens: Mutex::new(Vec::new()),
        })
    }

    /// As many tokens as the machine has cores: what it can take.
    pub fn for_this_machine() -> Result<Budget> {
        Budget::new(machine_jobs())
    }

    /// How many tests may run at once when nothing else runs.
    pub fn test_capacity(&self) -> usize {
        self.jobs * TESTS_PER_TOKEN
    }

    /// Waits for a token for one cargo build, and lets `command` (cargo) take more from the
    /// same budget for its compilers.
    pub fn build(&self, command: &mut Command) -> Result<BuildPermit> {
        let token = self
            .client
            .acquire()
            .context("cannot take a token from the grader's jobserver")?;
        self.client.configure(command);
        Ok(BuildPermit { _token: token })
    }

    /// Waits for a place to run one test: beside other tests on a token already held, or on
    /// a new token.
    pub fn test(&self) -> io::Result<TestPermit<'_>> {
        {
            let mut tokens = self.lock_tokens();
            if let Some(slot) = tokens.iter().position(|token| {
                token
                    .as_ref()
                    .is_some_and(|token| token.tests < TESTS_PER_TOKEN)
            }) {
                tokens[slot].as_mut().expect("found above").tests += 1;
                return Ok(TestPermit { budget: self, slot });
            }
        }
        // No room on the tokens held: wait for another one (a build or a full group of tests
        // gives one back), without holding the list meanwhile.
        let token = self.client.acquire()?;
        let mut tokens = self.lock_tokens();
        let held = Some(TestToken {
            _token: token,
            tests: 1,
        });
        let slot = match tokens.iter().position(Option::is_none) {
            Some(free) => {
                tokens[free] = held;
                free
            }
            None => {
                tokens.push(held);
                tokens.len() - 1
            }
        };
        Ok(TestPermit { budget: self, slot })
    }

    fn lock_tokens(&self) -> std::sync::MutexGuard<'_, Vec<Option<TestToken>>> {
        self.test_tokens
            .lock()
            .expect("no thread panics while holding the token list")
    }
}

impl Drop for TestPermit<'_> {
    fn drop(&mut self) {
        let mut tokens = self.budget.lock_tokens();
        if let Some(token) = tokens[self.slot].as_mut() {
            token.tests -= 1;
            if token.tests == 0 {
                // The token goes back to the jobserver, for a build or another test.
                tokens[self.slot] = None;
            }
        }
    }
}

/// The default `--jobs`: the cores this process may use.
pub fn machine_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Whether the budget can give one more token within a moment.
    fn has_a_free_token(budget: &Budget) -> bool {
        let client = budget.client.clone();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            if let Ok(token) = client.acquire() {
                let _ = sender.send(());
                drop(token);
            }
        });
        receiver.recv_timeout(Duration::from_millis(200)).is_ok()
    }

    #[test]
    fn tests_share_a_token_until_it_is_full() {
        let budget = Budget::new(2).unwrap();
        let permits: Vec<TestPermit> = (0..TESTS_PER_TOKEN)
            .map(|_| budget.test().unwrap())
            .collect();
        assert_eq!(
            budget.lock_tokens().iter().flatten().count(),
            1,
            "{TESTS_PER_TOKEN} tests ride on one token"
        );
        let fifth = budget.test().unwrap();
        assert_eq!(budget.lock_tokens().iter().flatten().count(), 2);
        assert!(!has_a_free_token(&budget), "both tokens are held by tests");
        drop(fifth);
        assert!(
            has_a_free_token(&budget),
            "a token is given back when its last test ends"
        );
        drop(permits);
    }
}
