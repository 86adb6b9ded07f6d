//! A cgroup per test process: a bound on how many processes it may have, and the way to find
//! and kill every one of them afterwards.
//!
//! The grader (root) makes the cgroup and moves the test's first process into it before that
//! process drops its privileges, so the test never has the right to move itself out: the
//! cgroup files belong to root, and inside the sandbox they are not even its own uid's.

use std::ffi::CString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Where per-test pids cgroups can be made: cgroup v2 with the pids controller enabled for
/// children, or the cgroup v1 pids hierarchy. None if neither is writable.
pub fn pids_cgroup_root() -> Option<PathBuf> {
    let v2 = PathBuf::from("/sys/fs/cgroup");
    let v2_ready = fs::read_to_string(v2.join("cgroup.subtree_control"))
        .is_ok_and(|controllers| controllers.split_whitespace().any(|c| c == "pids"));
    let v1 = PathBuf::from("/sys/fs/cgroup/pids");
    let root = if v2_ready {
        v2
    } else if v1.join("cgroup.procs").is_file() {
        v1
    } else {
        return None;
    };
    remove_cgroups_of_dead_graders(&root);
    let ours = root.join(format!("loopback-labs-{}", std::process::id()));
    fs::create_dir_all(&ours).ok()?;
    let probe = ours.join("probe");
    let writable = fs::create_dir(&probe).is_ok() && probe.join("pids.max").is_file();
    let _ = fs::remove_dir(&probe);
    if writable {
        Some(ours)
    } else {
        let _ = fs::remove_dir(&ours);
        None
    }
}

/// A grader that was killed (`kill -9`, a crash) leaves its cgroups behind, and perhaps
/// processes in them: kill those and remove the cgroups, for every grader no longer running.
fn remove_cgroups_of_dead_graders(root: &Path) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("loopback-labs-") else {
            continue;
        };
        if pid.parse::<u32>().is_err() || PathBuf::from("/proc").join(pid).exists() {
            continue;
        }
        for test in fs::read_dir(entry.path()).into_iter().flatten().flatten() {
            if test.file_type().is_ok_and(|kind| kind.is_dir()) {
                ProcessBudget {
                    dir: test.path(),
                    procs_file: CString::default(),
                }
                .kill_all();
            }
        }
        let _ = fs::remove_dir(entry.path());
    }
}

/// The cgroup of one test process.
pub struct ProcessBudget {
    dir: PathBuf,
    procs_file: CString,
}

static BUDGETS: AtomicUsize = AtomicUsize::new(0);

impl ProcessBudget {
    pub fn create(root: &Path, max_processes: u64) -> Option<ProcessBudget> {
        let dir = root.join(format!("test-{}", BUDGETS.fetch_add(1, Ordering::SeqCst)));
        fs::create_dir(&dir).ok()?;
        fs::write(dir.join("pids.max"), max_processes.to_string()).ok()?;
        let procs_file =
            CString::new(dir.join("cgroup.procs").to_string_lossy().into_owned()).ok()?;
        Some(ProcessBudget { dir, procs_file })
    }

    /// The `cgroup.procs` file the test's first process writes itself into.
    pub fn procs_file(&self) -> CString {
        self.procs_file.clone()
    }

    /// Kills every process still in the cgroup (a server left running, a fork bomb's
    /// children, a process that left the test's process group) and removes the cgroup.
    pub fn kill_all(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let pids = fs::read_to_string(self.dir.join("cgroup.procs")).unwrap_or_default();
            let pids: Vec<i32> = pids
                .lines()
                .filter_map(|line| line.trim().parse().ok())
                .collect();
            if pids.is_empty() || Instant::now() > deadline {
                break;
            }
            for pid in pids {
                // SAFETY: kill(2) has no memory-safety preconditions.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = fs::remove_dir(&self.dir);
    }
}

impl Drop for ProcessBudget {
    fn drop(&mut self) {
        self.kill_all();
    }
}

/// Writes "0" (the calling process) into a cgroup's `cgroup.procs`. Meant for `pre_exec`.
pub fn join_cgroup(procs_file: &CString) -> io::Result<()> {
    // SAFETY: open/write/close on a NUL-terminated path and a static buffer.
    unsafe {
        let file = libc::open(procs_file.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if file < 0 {
            return Err(io::Error::last_os_error());
        }
        let written = libc::write(file, b"0".as_ptr().cast(), 1);
        let error = io::Error::last_os_error();
        libc::close(file);
        if written == 1 { Ok(()) } else { Err(error) }
    }
}
