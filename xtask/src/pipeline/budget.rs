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
//! - for every [`TESTS_PER_TOKEN`] tests running at once beyond the first
//!   [`TESTS_PER_TOKEN`], which run on the grader's own job (the one every jobserver client
//!   has without a token, as cargo does for its first rustc). A test of these labs mostly
//!   waits — for a connection, a time-out, a child process — and keeps a fraction of a core
//!   busy (measured: a warm grade of the reference solutions keeps 2 cores 30–40 % busy with
//!   2 to 8 tests at a time: 8 tests keep about one core busy), so a token for each test would
//!   leave the machine idle, and tests that waited for the builds to give a token back would
//!   leave it idle too.
//!
//! The default is one token more than the machine has cores, as with `make -j`: a build
//! spends part of its time starting processes, reading and linking, not computing. Measured
//! on 2 cores, a class of 5 (`cargo xtask bench grade`'s): 2 tokens 86 s with a quarter of
//! the cores idle, 3 tokens 67 s with 15 % idle, 4 tokens 81 s.
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
    /// The tests running on the grader's own job, and the tokens held for running more.
    tests: Mutex<TestSlots>,
}

#[derive(Default)]
struct TestSlots {
    /// How many tests run on the job the grader has without a token.
    own: usize,
    /// The tokens held for running tests, with how many tests each one carries.
    tokens: Vec<Option<TestToken>>,
}

struct TestToken {
    _token: Acquired,
    tests: usize,
}

/// A place for one test to run, given back when dropped.
pub struct TestPermit<'a> {
    budget: &'a Budget,
    /// The token it rides on; `None` for the grader's own job.
    slot: Option<usize>,
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
            tests: Mutex::new(TestSlots::default()),
        })
    }

    /// What the machine can take (see [`machine_jobs`]).
    pub fn for_this_machine() -> Result<Budget> {
        Budget::new(machine_jobs())
    }

    /// How many tests may run at once when nothing else runs: those on the grader's own job
    /// and those on every token.
    pub fn test_capacity(&self) -> usize {
        (self.jobs + 1) * TESTS_PER_TOKEN
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

    /// Waits for a place to run one test: on the grader's own job, beside other tests on a
    /// token already held, or on a new token.
    pub fn test(&self) -> io::Result<TestPermit<'_>> {
        {
            let mut slots = self.lock_tests();
            if slots.own < TESTS_PER_TOKEN {
                slots.own += 1;
                return Ok(TestPermit {
                    budget: self,
                    slot: None,
                });
            }
            if let Some(slot) = slots.tokens.iter().position(|token| {
                token
                    .as_ref()
                    .is_some_and(|token| token.tests < TESTS_PER_TOKEN)
            }) {
                slots.tokens[slot].as_mut().expect("found above").tests += 1;
                return Ok(TestPermit {
                    budget: self,
                    slot: Some(slot),
                });
            }
        }
        // No room on the tokens held: wait for another one (a build or a full group of tests
        // gives one back), without holding the list meanwhile.
        let token = self.client.acquire()?;
        let mut slots = self.lock_tests();
        let tokens = &mut slots.tokens;
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
        Ok(TestPermit {
            budget: self,
            slot: Some(slot),
        })
    }

    fn lock_tests(&self) -> std::sync::MutexGuard<'_, TestSlots> {
        self.tests
            .lock()
            .expect("no thread panics while holding the token list")
    }
}

impl Drop for TestPermit<'_> {
    fn drop(&mut self) {
        let mut slots = self.budget.lock_tests();
        let Some(slot) = self.slot else {
            slots.own -= 1;
            return;
        };
        if let Some(token) = slots.tokens[slot].as_mut() {
            token.tests -= 1;
            if token.tests == 0 {
                // The token goes back to the jobserver, for a build or another test.
                slots.tokens[slot] = None;
            }
        }
    }
}

/// The default `--jobs`: one more than the cores this process may use (see the module's
/// comment for why and what was measured).
pub fn machine_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) + 1
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

    fn tokens_held_for_tests(budget: &Budget) -> usize {
        budget.lock_tests().tokens.iter().flatten().count()
    }

    #[test]
    fn tests_run_on_the_graders_own_job_then_share_a_token_until_it_is_full() {
        let budget = Budget::new(2).unwrap();
        let own: Vec<TestPermit> = (0..TESTS_PER_TOKEN)
            .map(|_| budget.test().unwrap())
            .collect();
        assert_eq!(
            tokens_held_for_tests(&budget),
            0,
            "the first tests need no token"
        );
        let on_a_token: Vec<TestPermit> = (0..TESTS_PER_TOKEN)
            .map(|_| budget.test().unwrap())
            .collect();
        assert_eq!(
            tokens_held_for_tests(&budget),
            1,
            "{TESTS_PER_TOKEN} more tests ride on one token"
        );
        let one_more = budget.test().unwrap();
        assert_eq!(tokens_held_for_tests(&budget), 2);
        assert!(!has_a_free_token(&budget), "both tokens are held by tests");
        drop(one_more);
        assert!(
            has_a_free_token(&budget),
            "a token is given back when its last test ends"
        );
        drop(on_a_token);
        drop(own);
        assert_eq!(budget.lock_tests().own, 0);
    }
}
