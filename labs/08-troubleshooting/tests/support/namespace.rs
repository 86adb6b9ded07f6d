//! The test's own network namespaces: a machine with only `lo`, or two machines on a cable.
//!
//! A network namespace is a separate network stack (interfaces, addresses, routes, ports); for
//! the kernel it is another machine. The tests build them with the `ip` command (iproute2),
//! the same commands you can type:
//!
//! ```text
//! ip netns add NEAR                                   a machine with only lo (down)
//! ip -n NEAR link set lo up
//! ip netns add FAR
//! ip -n NEAR link add to-far type veth peer name to-near netns FAR      the cable
//! ip -n NEAR addr add 198.51.100.1/24 dev to-far
//! ip -n FAR addr add 198.51.100.2/24 dev to-near
//! ip -n NEAR link set to-far up; ip -n FAR link set to-near up
//! ```
//!
//! Code runs "on" a namespace from a thread that entered it with `setns(2)`: namespaces are
//! per thread, so the rest of the test process stays where it was, and every socket that
//! thread creates (and every thread it starts, such as tokio's blocking threads for name
//! lookups) belongs to the namespace. Nothing the tests send can leave: the addresses are
//! documentation ranges (RFC 5737) that exist only inside these namespaces, and a namespace
//! with only `lo` has no way out at all. Everything is deleted when dropped.

use std::fs::File;
use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// The near machine's address on the cable.
pub const NEAR: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 1);
/// The far machine's address on the cable.
pub const FAR: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 2);

/// What it takes, for the `not run:` message.
const HOW_TO_RUN: &str = "this test builds its own network namespaces, which needs Linux, root \
    (or the CAP_NET_ADMIN and CAP_SYS_ADMIN capabilities) and the `ip` command from iproute2: \
    install iproute2 and grade as root (`sudo -E env PATH=\"$PATH\" cargo xtask grade 08`)";

/// Tells apart the namespaces of one test process.
static NAMESPACES: AtomicUsize = AtomicUsize::new(0);

/// A named network namespace, deleted on drop.
pub struct Namespace {
    name: String,
    file: File,
}

impl Namespace {
    /// A new namespace with only `lo`, up; or `not run: …` when this machine cannot make one.
    pub fn create_or_skip(role: &str) -> Namespace {
        Namespace::create(role).unwrap_or_else(|reason| panic!("not run: {reason}; {HOW_TO_RUN}"))
    }

    fn create(role: &str) -> Result<Namespace, String> {
        if !cfg!(target_os = "linux") {
            return Err("network namespaces exist only on Linux".into());
        }
        remove_namespaces_of_dead_tests();
        let name = format!(
            "lab08-{}-{}-{role}",
            std::process::id(),
            NAMESPACES.fetch_add(1, Ordering::SeqCst)
        );
        ip(&["netns", "add", &name])?;
        let path = namespace_path(&name);
        let file = File::open(&path).map_err(|error| {
            let _ = ip(&["netns", "del", &name]);
            format!(
                "`ip netns add {name}` worked, but {} cannot be opened ({error})",
                path.display()
            )
        })?;
        let namespace = Namespace { name, file };
        namespace.ip(&["link", "set", "lo", "up"])?;
        Ok(namespace)
    }

    /// The namespace's name, for `ip -n NAME`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `ip -n NAME ARGS…`
    pub fn ip(&self, args: &[&str]) -> Result<(), String> {
        let mut full = vec!["-n", &self.name];
        full.extend_from_slice(args);
        ip(&full)
    }

    /// `ip -n NAME ARGS…`, which the test needs: a failure is not the student's fault.
    pub fn must(&self, args: &[&str]) {
        if let Err(reason) = self.ip(args) {
            panic!("not run: {reason}; {HOW_TO_RUN}");
        }
    }

    /// Runs `work` on a new thread inside this namespace.
    pub fn run<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        thread::scope(|scope| {
            let thread = scope.spawn(|| {
                // SAFETY: setns(2) with an open descriptor of a network namespace; it changes
                // the network namespace of the calling thread only.
                if unsafe { libc::setns(self.file.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
                    panic!(
                        "the test could not enter its network namespace {} ({}); this is not \
                         your code's fault",
                        self.name,
                        io::Error::last_os_error()
                    );
                }
                work()
            });
            match thread.join() {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }

    /// Runs the future `make` returns on a tokio runtime of its own, inside this namespace.
    pub fn block_on<T: Send, F: Future<Output = T>>(&self, make: impl FnOnce() -> F + Send) -> T {
        self.run(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("the test can start a tokio runtime")
                .block_on(make())
        })
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        // Deleting a namespace deletes its interfaces, its end of a cable and so the cable.
        let _ = ip(&["netns", "del", &self.name]);
    }
}

/// Two machines joined by a cable: near (198.51.100.1/24) and far (198.51.100.2/24).
pub struct Cable {
    pub near: Namespace,
    pub far: Namespace,
}

/// Builds the two machines, checks that the cable carries a connection, or `not run: …`.
pub fn cable_or_skip() -> Cable {
    let near = Namespace::create_or_skip("near");
    let far = Namespace::create_or_skip("far");
    near.must(&[
        "link",
        "add",
        "to-far",
        "type",
        "veth",
        "peer",
        "name",
        "to-near",
        "netns",
        far.name(),
    ]);
    near.must(&["addr", "add", &format!("{NEAR}/24"), "dev", "to-far"]);
    far.must(&["addr", "add", &format!("{FAR}/24"), "dev", "to-near"]);
    near.must(&["link", "set", "to-far", "up"]);
    far.must(&["link", "set", "to-near", "up"]);
    let cable = Cable { near, far };
    cable.check_it_carries_traffic();
    cable
}

impl Cable {
    /// Connects across the cable with the standard library alone, so that a broken test
    /// network is never blamed on the lab's code.
    fn check_it_carries_traffic(&self) {
        let listener = self
            .far
            .run(|| TcpListener::bind((FAR, 0)))
            .unwrap_or_else(|error| {
                panic!("not run: the far machine cannot listen on {FAR} ({error}); {HOW_TO_RUN}")
            });
        let target = listener
            .local_addr()
            .expect("a bound listener has an address");
        if let Err(error) = self
            .near
            .run(|| TcpStream::connect_timeout(&target, Duration::from_secs(2)))
        {
            panic!(
                "not run: the test network was built, but the near machine cannot connect to \
                 {target} ({error}): this machine does not pass traffic between network \
                 namespaces; {HOW_TO_RUN}"
            );
        }
    }
}

/// Where `ip netns add` puts a namespace (/var/run is /run on current systems).
fn namespace_path(name: &str) -> PathBuf {
    let var_run = PathBuf::from("/var/run/netns").join(name);
    if var_run.exists() {
        var_run
    } else {
        PathBuf::from("/run/netns").join(name)
    }
}

/// Runs `ip ARGS…` and says what went wrong in words a student can act on.
fn ip(args: &[&str]) -> Result<(), String> {
    let output = match Command::new("ip").args(args).output() {
        Ok(output) => output,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Err("the `ip` command is not installed (it comes with iproute2)".into());
        }
        Err(error) => return Err(format!("the `ip` command could not be started ({error})")),
    };
    if output.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&output.stderr).trim().to_string();
    if said.contains("Operation not permitted") || said.contains("Permission denied") {
        Err(format!(
            "this user may not create network namespaces (`ip {}` said: {said})",
            args.join(" ")
        ))
    } else {
        Err(format!("`ip {}` failed: {said}", args.join(" ")))
    }
}

/// A test process killed on timeout never runs its Drop: its namespaces stay behind. Their
/// names carry the process id, so remove those whose process is gone.
fn remove_namespaces_of_dead_tests() {
    let folder = namespace_path("x")
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let owner = name
            .strip_prefix("lab08-")
            .and_then(|rest| rest.split('-').next());
        let gone = owner.is_some_and(|pid| {
            pid.parse::<u32>().is_ok() && !PathBuf::from("/proc").join(pid).exists()
        });
        if gone {
            let _ = ip(&["netns", "del", &name]);
        }
    }
}
