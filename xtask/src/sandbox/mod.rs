//! The walls around a submission's code: where its tests run, and what its build can read.
//!
//! A submission's code runs inside the test process, and the code under test is treated as
//! hostile: it may read anything it can see, write anything it can reach, kill anything it can
//! signal and print anything. So each test process starts behind every wall this machine
//! allows, strongest first:
//!
//! 1. **bubblewrap** (see `bubblewrap`): its own user, pid, network, ipc and mount namespaces,
//!    and a filesystem of only what the test needs. When the grader is root the test runs as
//!    an unprivileged uid outside its namespace ([`TEST_UID`]);
//! 2. where bubblewrap cannot run but the grader is root (a container that forbids user
//!    namespaces): the unprivileged uid alone, in a network namespace of its own;
//! 3. otherwise (a student's own laptop, macOS): no wall but the limits below.
//!
//! Whatever the wall, each test process also gets resource limits (`setrlimit`: memory, CPU
//! time, file size, no core dumps) and, where the pids controller is writable, a cgroup of its
//! own (see `cgroup`) that bounds a fork bomb and through which everything it left behind is
//! killed. A build runs in bubblewrap too, where it can, seeing only its own lab.
//!
//! What could be set up is probed once per grading run and named in the report; grading
//! someone else's code without a wall is refused unless `--unsandboxed` says otherwise.

mod bubblewrap;
mod cgroup;
pub mod process;

use std::ffi::{CString, OsString};
use std::io;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Result, bail};

use bubblewrap::Bubblewrap;
pub use bubblewrap::{BuildMounts, TestMounts, inside, stand_in_target};
pub use cgroup::ProcessBudget;
use cgroup::{join_cgroup, pids_cgroup_root};

use crate::pipeline::report::schema::IsolationReport;
use crate::sandbox::process::{ProcessEnd, process_group_command};

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

/// The uid and gid a test runs as, outside its user namespace, when the grader is root: no
/// account has it, so it owns nothing on the machine and can signal no other process.
pub const TEST_UID: u32 = 2_087_000_000;

/// How a test process is walled in.
enum Wall {
    Bubblewrap(Bubblewrap),
    /// No sandbox, but the grader is root: the test runs as [`TEST_UID`].
    UnprivilegedUser,
    /// Nothing but the limits (and, as root, a network namespace).
    Plain,
}

/// The walls this machine allows, and where the per-test cgroups go.
pub struct Isolation {
    pub report: IsolationReport,
    wall: Wall,
    build_wall: Option<Bubblewrap>,
    /// Without bubblewrap: whether the test can still get a network namespace of its own.
    own_network: bool,
    pids_root: Option<PathBuf>,
    unsandboxed: bool,
}

pub(crate) fn grader_is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

impl Isolation {
    /// Finds out what this machine allows, by trying it. With `unsandboxed`, tests run as
    /// the grader's own user with the limits, the cgroup and a network namespace only.
    pub fn probe(unsandboxed: bool) -> Isolation {
        let mut notes = Vec::new();
        let root = grader_is_root();
        let wall = if unsandboxed {
            notes.push(
                "--unsandboxed: the tests ran without the sandbox, as the grader's own user, and could read and change this machine's files"
                    .to_string(),
            );
            Wall::Plain
        } else {
            match probe_bubblewrap() {
                Ok(bwrap) => Wall::Bubblewrap(bwrap),
                Err(why) => {
                    notes.push(format!("no sandbox: {why}"));
                    if root {
                        Wall::UnprivilegedUser
                    } else {
                        Wall::Plain
                    }
                }
            }
        };
        let build_wall = if unsandboxed {
            None
        } else {
            match &wall {
                Wall::Bubblewrap(bwrap) => probe_build_wall(bwrap, &mut notes),
                _ => Bubblewrap::find().and_then(|bwrap| probe_build_wall(&bwrap, &mut notes)),
            }
        };
        if !unsandboxed && build_wall.is_none() {
            notes.push(
                "the compiler could read this machine's files while building a submission (include_str! of any path)"
                    .to_string(),
            );
        }
        let own_network = matches!(wall, Wall::Bubblewrap(_))
            || match try_in_child(|| unsafe { enter_new_network() }) {
                Ok(()) => true,
                Err(error) => {
                    notes.push(format!(
                        "tests share this machine's network: a network namespace could not be made ({error}); run as root on Linux for one per test"
                    ));
                    false
                }
            };
        let pids_root = pids_cgroup_root();
        if pids_root.is_none() {
            notes.push(
                "the number of processes a test starts is not bounded: no writable pids cgroup was found (run as root on Linux)"
                    .to_string(),
            );
        }
        let unprivileged = root && !unsandboxed;
        let sandbox_name = match wall {
            Wall::Bubblewrap(_) => "bubblewrap",
            Wall::UnprivilegedUser => "unprivileged_user",
            Wall::Plain => "none",
        };
        let walled_in = |present: bool, wall: &str, without: &str| -> String {
            if present { wall } else { without }.to_string()
        };
        let report = IsolationReport {
            sandbox: sandbox_name.to_string(),
            user: walled_in(unprivileged, "unprivileged", "grader"),
            filesystem: walled_in(matches!(wall, Wall::Bubblewrap(_)), "private", "shared"),
            network: walled_in(own_network, "namespace", "none"),
            processes: walled_in(pids_root.is_some(), "cgroup", "none"),
            build: walled_in(build_wall.is_some(), "bubblewrap", "none"),
            notes,
        };
        Isolation {
            report,
            wall,
            build_wall,
            own_network,
            pids_root,
            unsandboxed,
        }
    }

    /// Grading someone else's code (`--submission`, `--submissions`, Gradescope) needs a
    /// wall: refuses, saying what is missing, when not even an unprivileged user stands
    /// between the submission and the grader's files, unless `--unsandboxed` was given.
    pub fn require_wall(&self) -> Result<()> {
        if self.unsandboxed || !matches!(self.wall, Wall::Plain) {
            return Ok(());
        }
        bail!(
            "refusing to run a submission's code without a sandbox ({}): install bubblewrap \
             (`apt-get install bubblewrap`) and grade as root, or pass --unsandboxed to grade \
             anyway on a machine you can throw away",
            self.report
                .notes
                .first()
                .map_or("no wall could be built", String::as_str)
        )
    }

    /// Whether a test sees the grader's own paths (no mount namespace): then its folders
    /// are given to it as they are on the machine, not as [`inside`] names them.
    pub fn test_sees_host_paths(&self) -> bool {
        !matches!(self.wall, Wall::Bubblewrap(_))
    }

    /// The owner of a test's writable folders: the uid it runs as.
    pub fn test_owner(&self) -> Option<u32> {
        (grader_is_root() && !self.unsandboxed).then_some(TEST_UID)
    }

    /// The command that runs a test executable with `args`, inside the wall. In bubblewrap
    /// the program is named by its path inside (`program_inside`); otherwise by its own.
    pub fn test_command(
        &self,
        mounts: &TestMounts,
        program: &Path,
        program_inside: &str,
        args: &[OsString],
    ) -> Command {
        match &self.wall {
            Wall::Bubblewrap(bwrap) => bwrap.test_command(mounts, program_inside, args),
            Wall::UnprivilegedUser | Wall::Plain => {
                let mut command = process_group_command(program);
                command.args(args).current_dir(mounts.lab_dir);
                command
            }
        }
    }

    /// Whether builds run behind their wall (then in two steps, see `build`).
    pub fn builds_are_walled(&self) -> bool {
        self.build_wall.is_some()
    }

    /// How the test process ended. bubblewrap reports a child killed by signal N as exit
    /// status 128 + N: read back as the signal, so a crash is still a crash.
    pub fn test_end(&self, end: ProcessEnd) -> ProcessEnd {
        match (end, &self.wall) {
            (ProcessEnd::Exited(code @ 129..=192), Wall::Bubblewrap(_)) => {
                ProcessEnd::KilledBySignal(code - 128)
            }
            _ => end,
        }
    }

    /// The command that runs `cargo` with `args` for a build, inside the build's wall where
    /// there is one.
    pub fn build_command(&self, mounts: &BuildMounts, cargo: &Path, args: &[OsString]) -> Command {
        match &self.build_wall {
            Some(bwrap) => bwrap.build_command(mounts, cargo, args),
            None => {
                let mut command = process_group_command(cargo);
                command.args(args).current_dir(mounts.build_root);
                command
            }
        }
    }

    /// Sets up everything for one test process: its budget of processes (returned, to be
    /// cleaned up after the test), then, between fork and exec, the limits, the network
    /// namespace (without bubblewrap) and the drop to the unprivileged uid.
    pub fn prepare(&self, command: &mut Command, limits: Limits) -> Option<ProcessBudget> {
        let budget = self
            .pids_root
            .as_ref()
            .and_then(|root| ProcessBudget::create(root, limits.processes));
        let join_budget: Option<CString> = budget.as_ref().map(ProcessBudget::procs_file);
        let own_network = self.own_network && self.test_sees_host_paths();
        let run_as = self.test_owner();
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
                if let Some(uid) = run_as {
                    become_unprivileged(uid)?;
                }
                Ok(())
            });
        }
        budget
    }
}

/// Checks that bubblewrap can build a test's wall here (as the unprivileged uid when the
/// grader is root); the reason, in words, when it cannot.
fn probe_bubblewrap() -> std::result::Result<Bubblewrap, String> {
    let Some(bwrap) = Bubblewrap::find() else {
        return Err(
            "bubblewrap is not installed (`apt-get install bubblewrap`, `dnf install bubblewrap`)"
                .to_string(),
        );
    };
    let mut probe = bwrap.probe_command();
    probe.stdin(Stdio::null()).stdout(Stdio::null());
    if grader_is_root() {
        // SAFETY: only system calls, as pre_exec requires.
        unsafe {
            probe.pre_exec(|| become_unprivileged(TEST_UID));
        }
    }
    match probe.output() {
        Ok(output) if output.status.success() => Ok(bwrap),
        Ok(output) => Err(format!(
            "bubblewrap could not build a sandbox here ({}): user namespaces may be disabled \
             (sysctl kernel.unprivileged_userns_clone=1 or user.max_user_namespaces, or a \
             container that allows them)",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Err(error) => Err(format!("bubblewrap could not be started ({error})")),
    }
}

fn probe_build_wall(bwrap: &Bubblewrap, notes: &mut Vec<String>) -> Option<Bubblewrap> {
    let mut probe = bwrap.build_probe_command();
    probe.stdin(Stdio::null()).stdout(Stdio::null());
    match probe.output() {
        Ok(output) if output.status.success() => Some(bwrap.clone()),
        Ok(output) => {
            notes.push(format!(
                "builds are not walled: bubblewrap failed ({})",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
            None
        }
        Err(_) => None,
    }
}

/// Drops every privilege of the grader (root): no supplementary groups, the unprivileged gid
/// and uid, and no way to gain privileges back through a setuid program.
fn become_unprivileged(uid: u32) -> io::Result<()> {
    // SAFETY: plain system calls with valid arguments.
    unsafe {
        if libc::setgroups(0, std::ptr::null()) != 0
            || libc::setgid(uid) != 0
            || libc::setuid(uid) != 0
            || libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
        {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
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

impl Drop for Isolation {
    fn drop(&mut self) {
        if let Some(root) = &self.pids_root {
            let _ = std::fs::remove_dir(root);
        }
    }
}
