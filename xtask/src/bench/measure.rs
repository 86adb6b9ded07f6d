//! Running one command of the benchmark: how long it took, and the peak memory of its process.
//!
//! The peak memory is the kernel's high-water mark of the process's resident memory (`VmHWM`
//! in `/proc/<pid>/status`), read every 20 ms while it runs. It counts that process only, not
//! its children: the grader's own footprint, without the cargo builds and tests it starts.

use std::fs::{self, File};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::sandbox::process::Supervised;

/// How often a running command is checked on (and its memory read).
const POLL_INTERVAL: Duration = Duration::from_millis(20);
/// How long a command asked to stop may take before it is killed.
const GRACE_PERIOD: Duration = Duration::from_secs(10);

/// What one run of a command took.
pub struct Measurement {
    pub elapsed: Duration,
    /// The highest `VmHWM` read while it ran, in KiB (`None` when it was never readable).
    pub peak_memory_kib: Option<u64>,
    pub status: ExitStatus,
}

/// How a command is started, and stopped when it overruns its time limit.
#[derive(Clone, Copy)]
pub enum Leash {
    /// In a process group of its own, killed whole — on timeout and on Ctrl-C — so that
    /// nothing it started outlives it. For cargo, whose test processes would.
    OwnProcessGroup,
    /// In the benchmark's own process group, so Ctrl-C on the terminal reaches it, and asked
    /// to stop with SIGTERM on timeout. For the grader, which then stops its own builds and
    /// tests itself.
    StopsItsOwnChildren,
}

/// Sends a command's standard output and error to a log file, with nothing on its standard input.
pub fn log_to(command: &mut Command, log: &Path) -> Result<()> {
    if let Some(folder) = log.parent() {
        fs::create_dir_all(folder)?;
    }
    let file = File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
    command
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file);
    Ok(())
}

/// Runs `command` to its end; after `time_limit` it is stopped and this is an error.
pub fn run(
    mut command: Command,
    leash: Leash,
    what: &str,
    time_limit: Duration,
) -> Result<Measurement> {
    let started = Instant::now();
    let mut running =
        Running::start(&mut command, leash).with_context(|| format!("cannot start {what}"))?;
    let pid = running.child().id();
    let mut peak_memory_kib = None;
    loop {
        if let Some(kib) = read_peak_memory_kib(pid) {
            peak_memory_kib = Some(kib);
        }
        if let Some(status) = running.child().try_wait()? {
            return Ok(Measurement {
                elapsed: started.elapsed(),
                peak_memory_kib,
                status,
            });
        }
        if started.elapsed() >= time_limit {
            running.stop();
            bail!(
                "{what} did not finish within {} min and was stopped",
                time_limit.as_secs() / 60
            );
        }
        thread::sleep(POLL_INTERVAL);
    }
}

/// A started command, held as its leash says.
enum Running {
    Leashed(Supervised),
    StopsItsOwnChildren(Child),
}

impl Running {
    fn start(command: &mut Command, leash: Leash) -> std::io::Result<Running> {
        match leash {
            Leash::OwnProcessGroup => Ok(Running::Leashed(Supervised::spawn(
                command.process_group(0),
            )?)),
            Leash::StopsItsOwnChildren => Ok(Running::StopsItsOwnChildren(command.spawn()?)),
        }
    }

    fn child(&mut self) -> &mut Child {
        match self {
            Running::Leashed(supervised) => &mut supervised.child,
            Running::StopsItsOwnChildren(child) => child,
        }
    }

    /// Stops the command and waits for it (a bounded wait: it is killed after a grace period).
    fn stop(&mut self) {
        match self {
            Running::Leashed(supervised) => {
                supervised.kill();
                let _ = supervised.child.wait();
            }
            Running::StopsItsOwnChildren(child) => {
                if let Ok(pid) = i32::try_from(child.id()) {
                    // SAFETY: kill(2) has no memory-safety preconditions.
                    unsafe {
                        libc::kill(pid, libc::SIGTERM);
                    }
                }
                let deadline = Instant::now() + GRACE_PERIOD;
                while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
                    thread::sleep(POLL_INTERVAL);
                }
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// The `VmHWM` of a running process, in KiB; `None` once it has exited.
fn read_peak_memory_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    peak_memory_kib(&status)
}

/// Reads `VmHWM:    12345 kB` from the text of `/proc/<pid>/status`.
fn peak_memory_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(durations: &[Duration]) -> Duration {
    assert!(!durations.is_empty(), "the median of no durations");
    let mut sorted = durations.to_vec();
    sorted.sort();
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&s| Duration::from_secs(s)).collect()
    }

    #[test]
    fn the_median_is_the_middle_value_whatever_the_order() {
        assert_eq!(median(&seconds(&[9, 1, 5])), Duration::from_secs(5));
        assert_eq!(median(&seconds(&[7])), Duration::from_secs(7));
        assert_eq!(median(&seconds(&[4, 1, 2, 3])), Duration::from_millis(2500));
    }

    #[test]
    fn the_peak_memory_is_read_from_vmhwm() {
        let status =
            "Name:\txtask\nVmPeak:\t  200000 kB\nVmHWM:\t   12345 kB\nVmRSS:\t   12000 kB\n";
        assert_eq!(peak_memory_kib(status), Some(12345));
        assert_eq!(peak_memory_kib("Name:\tzombie\nState:\tZ (zombie)\n"), None);
    }

    #[test]
    fn the_memory_of_this_very_process_is_readable() {
        assert!(read_peak_memory_kib(std::process::id()).is_some_and(|kib| kib > 0));
    }
}
