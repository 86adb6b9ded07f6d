//! The walls around a test process: resource limits, a network of its own, a budget of
//! processes.
//!
//! A submission's code runs inside the test process, so everything a buggy or hostile
//! submission can do, it does there: loop, allocate without end, fork without end, print
//! without end, hold ports. Each test process therefore starts (between `fork` and `exec`):
//!
//! - with resource limits (`setrlimit`): memory, CPU time, size of files it writes, no core
//!   dumps;
//! - on Linux as root, in a fresh network namespace with only `lo` up, so parallel tests never
//!   fight over ports and nothing can reach the outside network;
//! - where the pids cgroup controller is available, in a cgroup of its own whose `pids.max`
//!   bounds a fork bomb, and through which every process it left behind is killed. (The
//!   process-count rlimit is no substitute: root ignores it, and for anyone else it counts all
//!   of the user's processes, not the test's.)
//!
//! What could be set up is probed once per grading run and named in the report.

use std::ffi::CString;
use std::fs;
use std::io;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

/// The resource limits of one test process.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Heap and other private writable memory (RLIMIT_DATA).
    pub memory_bytes: u64,
    /// Processes and threads, counted by the test's pids cgroup.
    pub processes: u64,
    /// The largest file the test may write (RLIMIT_FSIZE).
    pub file_bytes: u64,
    /// CPU time (RLIMIT_CPU): a busy loop is stopped even if the wall clock were not watched.
    pub cpu_seconds: u64,
}

pub const MEMORY_LIMIT_BYTES: u64 = 1 << 30;

impl Limits {
    /// The defaults for a test with the given wall-clock limit.
    pub fn for_test(timeout: Duration) -> Limits {
        Limits {
            memory_bytes: MEMORY_LIMIT_BYTES,
            processes: 256,
            file_bytes: 256 << 20,
            // Two cores' worth of the wall-clock limit, plus a margin for start-up.
            cpu_seconds: 2 * timeout.as_secs() + 5,
        }
    }
}

/// Which walls this machine lets the grader build, as the report names them.
#[derive(Debug, Clone, Serialize)]
pub struct IsolationReport {
    /// `"namespace"`: each test has its own network with only `lo`; `"none"`: the machine's.
    pub network: &'static str,
    /// `"cgroup"`: a pids cgroup per test bounds its processes; `"none"`: nothing does.
    pub processes: &'static str,
    /// Why a wall is missing, when one is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The walls this machine allows, and where the per-test cgroups go.
pub struct Isolation {
    pub report: IsolationReport,
    pids_root: Option<PathBuf>,
}

impl Isolation {
    /// Finds out what this machine allows, by trying it.
    pub fn probe() -> Isolation {
        let mut notes = Vec::new();
        let network = match try_in_child(|| unsafe { enter_new_network() }) {
            Ok(()) => "namespace",
            Err(error) => {
                notes.push(format!(
                    "tests share this machine's network: a network namespace could not be made ({error}); run as root on Linux for one per test"
                ));
                "none"
            }
        };
        let pids_root = pids_cgroup_root();
        let processes = if pids_root.is_some() {
            "cgroup"
        } else {
            notes.push(
                "the number of processes a test starts is not bounded: no writable pids cgroup was found (run as root on Linux)"
                    .to_string(),
            );
            "none"
        };
        Isolation {
            report: IsolationReport {
                network,
                processes,
                notes,
            },
            pids_root,
        }
    }

    /// Sets up everything for one test process: its budget of processes (returned, to be
    /// cleaned up after the test) and the limits and namespace it enters before `exec`.
    pub fn prepare(&self, command: &mut Command, limits: Limits) -> Option<ProcessBudget> {
        let budget = self
            .pids_root
            .as_ref()
            .and_then(|root| ProcessBudget::create(root, limits.processes));
        let join_budget = budget.as_ref().map(|budget| budget.procs_file.clone());
        let own_network = self.report.network == "namespace";
        // SAFETY: the closure runs in the child between fork and exec; it only makes system
        // calls (no allocation, no locks), which is what pre_exec requires.
        unsafe {
            command.pre_exec(move || {
                if let Some(procs_file) = &join_budget {
                    join_cgroup(procs_file)?;
                }
                set_limits(limits)?;
                if own_network {
                    enter_new_network()?;
                }
                Ok(())
            });
        }
        budget
    }
}

/// Runs `setup` in a short-lived child process, to see whether it is permitted.
fn try_in_child(setup: fn() -> io::Result<()>) -> io::Result<()> {
    let mut probe = Command::new("/bin/sh");
    probe.args(["-c", "exit 0"]);
    // SAFETY: `setup` only makes system calls, as pre_exec requires.
    unsafe {
        probe.pre_exec(setup);
    }
    let status = probe.status()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other("the probe failed"))
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Resource = libc::c_int;

fn set_limit(resource: Resource, value: u64) -> io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: setrlimit reads a valid rlimit struct.
    if unsafe { libc::setrlimit(resource, &limit) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn set_limits(limits: Limits) -> io::Result<()> {
    set_limit(libc::RLIMIT_DATA, limits.memory_bytes)?;
    set_limit(libc::RLIMIT_FSIZE, limits.file_bytes)?;
    set_limit(libc::RLIMIT_CPU, limits.cpu_seconds)?;
    set_limit(libc::RLIMIT_CORE, 0)
}

/// Network namespaces are Linux's.
#[cfg(not(target_os = "linux"))]
unsafe fn enter_new_network() -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Moves the calling process into a new network namespace and brings its `lo` up.
///
/// # Safety
/// Only makes system calls; meant for `pre_exec`.
#[cfg(target_os = "linux")]
unsafe fn enter_new_network() -> io::Result<()> {
    unsafe {
        if libc::unshare(libc::CLONE_NEWNET) != 0 {
            return Err(io::Error::last_os_error());
        }
        let socket = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if socket < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut request: libc::ifreq = std::mem::zeroed();
        for (slot, byte) in request.ifr_name.iter_mut().zip(b"lo\0") {
            *slot = *byte as libc::c_char;
        }
        let mut result = libc::ioctl(socket, libc::SIOCGIFFLAGS, &mut request);
        if result == 0 {
            request.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            result = libc::ioctl(socket, libc::SIOCSIFFLAGS, &request);
        }
        let error = io::Error::last_os_error();
        libc::close(socket);
        if result == 0 { Ok(()) } else { Err(error) }
    }
}

/// Writes "0" (the calling process) into a cgroup's `cgroup.procs`.
fn join_cgroup(procs_file: &CString) -> io::Result<()> {
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

/// Where per-test pids cgroups can be made: cgroup v2 with the pids controller enabled for
/// children, or the cgroup v1 pids hierarchy. None if neither is writable.
fn pids_cgroup_root() -> Option<PathBuf> {
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
fn remove_cgroups_of_dead_graders(root: &std::path::Path) {
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

/// The cgroup of one test process: a bound on how many processes it may have, and the way
/// to find and kill every one of them afterwards.
pub struct ProcessBudget {
    dir: PathBuf,
    procs_file: CString,
}

static BUDGETS: AtomicUsize = AtomicUsize::new(0);

impl ProcessBudget {
    fn create(root: &std::path::Path, max_processes: u64) -> Option<ProcessBudget> {
        let dir = root.join(format!("test-{}", BUDGETS.fetch_add(1, Ordering::SeqCst)));
        fs::create_dir(&dir).ok()?;
        fs::write(dir.join("pids.max"), max_processes.to_string()).ok()?;
        let procs_file =
            CString::new(dir.join("cgroup.procs").to_string_lossy().into_owned()).ok()?;
        Some(ProcessBudget { dir, procs_file })
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

impl Drop for Isolation {
    fn drop(&mut self) {
        if let Some(root) = &self.pids_root {
            let _ = fs::remove_dir(root);
        }
    }
}
