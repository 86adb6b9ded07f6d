//! The CPU time the test process used, to catch an event loop that spins instead of sleeping.
//!
//! An event loop that waits properly costs nothing while nothing happens: `poll` sleeps in
//! the kernel. One that spins (a poll with a zero timeout, a `WouldBlock` retried at once)
//! burns a whole core doing nothing. Wall-clock time cannot tell them apart; CPU time can.

use std::time::Duration;

/// The CPU time (user and system, every thread) this process has used so far, from
/// `/proc/self/stat`.
pub fn process_cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_else(|error| {
        panic!("not run: the test reads the CPU time from /proc/self/stat (Linux), which failed: {error}")
    });
    // The command name, field 2, is in parentheses and may hold spaces: count from after it.
    let after_name = &stat[stat
        .rfind(')')
        .expect("/proc/self/stat has the name in parentheses")
        + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of the file (utime, stime) are the 12th and 13th after the name.
    let ticks: u64 = fields[11].parse::<u64>().expect("utime is a number")
        + fields[12].parse::<u64>().expect("stime is a number");
    // Linux counts them in clock ticks of 1/100 s (USER_HZ, the same on every architecture).
    Duration::from_millis(ticks * 10)
}
