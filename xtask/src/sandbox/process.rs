//! The grader's child processes — cargo builds and test runs — kept on a leash.
//!
//! Each child starts as the leader of a new process group, so that the child and everything
//! it spawns (a server, a forked helper) can be killed together: on timeout, when the child
//! is done (nothing it started outlives it), and when the person grading presses Ctrl-C.

use std::ffi::OsStr;
use std::io;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// The first file called `program` in a folder of `PATH` (`/usr/bin:/bin` when `PATH` is
/// unset, as `execvp` searches), as a path: a sandbox has no shell to look a program up.
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// The process groups alive right now, killed on Ctrl-C.
static LIVE_GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// How a child process ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProcessEnd {
    Exited(i32),
    KilledBySignal(i32),
    TimedOut,
}

/// A command that starts its program as the leader of a new process group.
pub fn process_group_command(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command.process_group(0);
    command
}

/// A running child whose whole process group is killed when this value is dropped.
pub struct Supervised {
    pub child: Child,
}

impl Supervised {
    pub fn spawn(command: &mut Command) -> io::Result<Supervised> {
        // Holding the lock while spawning: Ctrl-C cannot slip in between spawn and record.
        let mut live = LIVE_GROUPS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let child = command.spawn()?;
        live.push(child.id());
        Ok(Supervised { child })
    }

    /// Waits for the child; after `timeout` kills its group and reports `TimedOut`.
    pub fn wait_with_timeout(&mut self, timeout: Duration) -> io::Result<ProcessEnd> {
        let deadline = Instant::now() + timeout;
        let mut pause = Duration::from_millis(1);
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(process_end(status));
            }
            if Instant::now() >= deadline {
                self.kill();
                self.child.wait()?;
                return Ok(ProcessEnd::TimedOut);
            }
            thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(20));
        }
    }

    /// Kills the child and every process of its group.
    pub fn kill(&self) {
        kill_process_group(self.child.id());
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        self.kill();
        let _ = self.child.try_wait();
        let id = self.child.id();
        let mut live = LIVE_GROUPS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        live.retain(|group| *group != id);
    }
}

/// On Ctrl-C (or SIGTERM), kill every build and test still running, then exit with 130.
pub fn stop_children_on_interrupt() {
    let installed = ctrlc::set_handler(|| {
        let live = LIVE_GROUPS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for group in live.iter() {
            kill_process_group(*group);
        }
        if live.is_empty() {
            eprintln!("\nstopped");
        } else {
            eprintln!(
                "\ninterrupted: the running builds and tests were stopped; the grade in progress does not count"
            );
        }
        std::process::exit(130);
    });
    if let Err(error) = installed {
        eprintln!("warning: Ctrl-C will not stop running tests ({error})");
    }
}

/// Kills every process of the group led by `leader` (nothing happens if it is gone).
fn kill_process_group(leader: u32) {
    if let Ok(group) = i32::try_from(leader) {
        // SAFETY: kill(2) has no memory-safety preconditions; a negative pid names a group.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
}

fn process_end(status: ExitStatus) -> ProcessEnd {
    match (status.code(), status.signal()) {
        (Some(code), _) => ProcessEnd::Exited(code),
        (None, Some(signal)) => ProcessEnd::KilledBySignal(signal),
        (None, None) => ProcessEnd::Exited(-1),
    }
}

pub fn describe_end(end: ProcessEnd) -> String {
    match end {
        ProcessEnd::Exited(code) => format!("exit code {code}"),
        ProcessEnd::KilledBySignal(signal) => {
            format!("killed by signal {signal} ({})", signal_name(signal))
        }
        ProcessEnd::TimedOut => "timed out".to_string(),
    }
}

pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGABRT => "SIGABRT, the program aborted",
        libc::SIGSEGV => "SIGSEGV, an invalid memory access",
        libc::SIGBUS => "SIGBUS, an invalid memory access",
        libc::SIGFPE => "SIGFPE, an arithmetic fault",
        libc::SIGILL => "SIGILL, an illegal instruction",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGPIPE => "SIGPIPE, a write to a closed pipe or socket",
        libc::SIGXCPU => "SIGXCPU, the CPU time limit",
        libc::SIGXFSZ => "SIGXFSZ, the file size limit",
        _ => "a signal",
    }
}
