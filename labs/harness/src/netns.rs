//! The test's own Linux network namespaces: machines that exist only for one test.
//!
//! A network namespace is a complete, separate network stack: its own interfaces, its own
//! `lo` (with its own 127.0.0.1 and ::1), its own routes and its own ports. For the kernel,
//! two namespaces are two machines. The tests build them with the `ip` command (iproute2),
//! the same commands you can type yourself:
//!
//! ```text
//! ip netns add NEAR                      a machine with only lo (down)
//! ip -n NEAR link set lo up
//! ip -n NEAR link add to-far type veth peer name to-near netns FAR      a cable to FAR (cable_to)
//! ```
//!
//! Code runs "on" a namespace from a thread that entered it with `setns(2)`: namespaces are
//! per thread, so the rest of the test process stays where it was, and every socket that
//! thread creates belongs to the namespace. The tests give these machines documentation
//! addresses (RFC 5737, RFC 3849) that exist only inside them, so no packet ever leaves.
//! A namespace is deleted when dropped; one left behind by a test process that was killed
//! is deleted by the next test that creates one.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// Tells apart the namespaces of one test process (`cargo test` runs tests as threads).
static NAMESPACES: AtomicUsize = AtomicUsize::new(0);

/// A named network namespace (a file under /run/netns), deleted on drop.
pub struct Namespace {
    name: String,
    file: File,
}

impl Namespace {
    /// A new namespace named `<lab>-<pid>-<n>-<role>` with only `lo`, up. The error says in
    /// words why this machine cannot make one (not Linux, not root, no `ip`); the lab turns
    /// it into a `not run: …` message.
    pub fn create(lab: &str, role: &str) -> Result<Namespace, String> {
        if !cfg!(target_os = "linux") {
            return Err("network namespaces exist only on Linux".into());
        }
        remove_namespaces_of_dead_tests(lab);
        let name = format!(
            "{lab}-{}-{}-{role}",
            std::process::id(),
            NAMESPACES.fetch_add(1, Ordering::SeqCst)
        );
        let namespace = Namespace::add(&name)?;
        namespace.ip(&["link", "set", "lo", "up"])?;
        Ok(namespace)
    }

    /// Creates the namespace `name`, after deleting a stale one of that name (left by a test
    /// process that was killed and whose process id is now ours).
    fn add(name: &str) -> Result<Namespace, String> {
        let _ = ip(&["netns", "del", name]);
        ip(&["netns", "add", name])?;
        let path = namespace_path(name);
        match File::open(&path) {
            Ok(file) => Ok(Namespace {
                name: name.to_string(),
                file,
            }),
            Err(error) => {
                let _ = ip(&["netns", "del", name]);
                Err(format!(
                    "`ip netns add {name}` worked, but {} cannot be opened ({error})",
                    path.display()
                ))
            }
        }
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

    /// `PROGRAM` as a child process that runs inside this namespace, e.g. `nft` to load a
    /// firewall ruleset into this machine: the child enters the namespace between `fork` and
    /// `exec`, so the test process itself stays where it was.
    #[cfg(target_os = "linux")]
    pub fn command(&self, program: &str) -> Command {
        use std::os::unix::process::CommandExt;

        let namespace = self.file.as_raw_fd();
        let mut command = Command::new(program);
        // SAFETY: between fork and exec the child only calls setns(2), which is
        // async-signal-safe, on a descriptor the parent keeps open until the child has exec'd.
        unsafe {
            command.pre_exec(move || enter_network_namespace(namespace));
        }
        command
    }

    /// Runs `work` on a new thread inside this namespace, and returns what it returned.
    pub fn run<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        thread::scope(|scope| {
            let thread = scope.spawn(|| {
                if let Err(error) = self.enter() {
                    panic!(
                        "the test could not enter its network namespace {} ({error}); this is \
                         not your code's fault",
                        self.name
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

    /// Runs the future `make` returns on a tokio runtime of its own, inside this namespace
    /// (every thread the runtime starts is inside it too).
    #[cfg(feature = "program")]
    pub fn block_on<T: Send, F: std::future::Future<Output = T>>(
        &self,
        make: impl FnOnce() -> F + Send,
    ) -> T {
        self.run(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("the test can start a tokio runtime")
                .block_on(make())
        })
    }

    /// Moves the calling thread into this namespace.
    #[cfg(target_os = "linux")]
    fn enter(&self) -> io::Result<()> {
        enter_network_namespace(self.file.as_raw_fd())
    }

    /// Network namespaces exist only on Linux (and `create` never makes one elsewhere).
    #[cfg(not(target_os = "linux"))]
    fn enter(&self) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }
}

/// One end of a cable between two namespaces: the interface's name in its namespace, the
/// addresses it gets (`ADDRESS/PREFIX`; IPv6 ones usable at once, without duplicate address
/// detection), and the hardware (MAC) address it gets, when the test needs a fixed one.
#[derive(Debug, Clone, Copy)]
pub struct CableEnd<'a> {
    pub interface: &'a str,
    pub addresses: &'a [&'a str],
    pub mac: Option<&'a str>,
    /// Whether the interface makes itself an IPv6 link-local address (fe80::…) when it comes
    /// up, and with it sends router solicitations: a test that captures every frame turns
    /// that off.
    pub link_local: bool,
}

impl<'a> CableEnd<'a> {
    /// An end named `interface` with `addresses`, a MAC the kernel picks, and a link-local
    /// address as every interface has.
    pub fn new(interface: &'a str, addresses: &'a [&'a str]) -> CableEnd<'a> {
        CableEnd {
            interface,
            addresses,
            mac: None,
            link_local: true,
        }
    }
}

impl Namespace {
    /// Joins this namespace (`near`'s end) to `far` with a veth cable, gives each end its
    /// addresses, and brings both up:
    ///
    /// ```text
    /// ip -n NEAR link add NEAR-END [address MAC] type veth peer name FAR-END [address MAC] netns FAR
    /// ip -n NEAR addr add ADDRESS dev NEAR-END [nodad]      (and the same on FAR)
    /// ip -n NEAR link set NEAR-END up                       (and the same on FAR)
    /// ```
    ///
    /// The cable is made inside this namespace with its other end straight in `far`: no
    /// interface ever appears in the namespace the test runs in.
    pub fn cable_to(
        &self,
        near: CableEnd,
        far: &Namespace,
        far_end: CableEnd,
    ) -> Result<(), String> {
        let mut link = vec!["link", "add", near.interface];
        if let Some(mac) = near.mac {
            link.extend(["address", mac]);
        }
        link.extend(["type", "veth", "peer", "name", far_end.interface]);
        if let Some(mac) = far_end.mac {
            link.extend(["address", mac]);
        }
        link.extend(["netns", far.name()]);
        self.ip(&link)?;
        for (namespace, end) in [(self, near), (far, far_end)] {
            if !end.link_local {
                namespace.ip(&["link", "set", end.interface, "addrgenmode", "none"])?;
            }
            for address in end.addresses {
                let mut add = vec!["addr", "add", address, "dev", end.interface];
                if address.contains(':') {
                    add.push("nodad");
                }
                namespace.ip(&add)?;
            }
            namespace.ip(&["link", "set", end.interface, "up"])?;
        }
        Ok(())
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        // Deleting a namespace deletes its interfaces, its end of a cable and so the cable.
        let _ = ip(&["netns", "del", &self.name]);
    }
}

/// Moves the calling thread (or, between fork and exec, the child) into the network
/// namespace open as `namespace`.
#[cfg(target_os = "linux")]
fn enter_network_namespace(namespace: std::os::fd::RawFd) -> io::Result<()> {
    // SAFETY: setns(2) with an open descriptor of a network namespace; it changes the
    // network namespace of the calling thread only.
    if unsafe { libc::setns(namespace, libc::CLONE_NEWNET) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
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
/// names carry the process id, so remove those of `lab` whose process is gone.
fn remove_namespaces_of_dead_tests(lab: &str) {
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
            .strip_prefix(lab)
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.split('-').next());
        let gone = owner.is_some_and(|pid| {
            pid.parse::<u32>().is_ok() && !PathBuf::from("/proc").join(pid).exists()
        });
        if gone {
            let _ = ip(&["netns", "del", &name]);
        }
    }
}
