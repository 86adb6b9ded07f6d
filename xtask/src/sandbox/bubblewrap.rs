//! The wall itself: bubblewrap (`bwrap`), the sandbox Flatpak runs applications in.
//!
//! bubblewrap is a small, audited program that starts a command in new Linux namespaces with
//! a filesystem made of exactly the folders it is told to mount. The grader asks it for two
//! kinds of wall:
//!
//! - **a test's**: its own user namespace (uid 0 inside, so lab tests can build network
//!   namespaces, veth pairs and routes; an unprivileged uid outside), its own pid, network
//!   (only `lo`), ipc, uts and mount namespaces, and a read-only system (`/usr`, the parts of
//!   `/etc` that `nc`, `ip`, `curl`, chromium and openssl read) plus the lab as the test sees
//!   it, with a private writable `/tmp` and `HOME`. The instructor's repository, the
//!   snapshots, other labs, other students and the grader's records are simply not there;
//! - **a build's**: the compiler reads the submission's files, and with `include_str!`,
//!   `include_bytes!` or `#[path]` anything else it can see — so it sees only the build
//!   folder of the lab being built, its target folder, the toolchain and the dependencies'
//!   sources.
//!
//! Writing our own namespace code would be shorter to read but far easier to get wrong;
//! bubblewrap's arguments below are the whole description of each wall.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::sandbox::process::{find_on_path, process_group_command};

/// Where things are inside a test's sandbox.
pub mod inside {
    /// The lab's folder as the test sees it (its working directory).
    pub fn lab_dir(lab_id: &str) -> String {
        format!("/course/labs/{lab_id}")
    }
    /// The test executables (`tests/`) and the lab's programs (`programs/`).
    pub const BIN_DIR: &str = "/course/bin";
    /// Where the test writes what it produced: libtest's completion log, insta's snapshots.
    pub const OUT_DIR: &str = "/course/out";
    pub const HOME_DIR: &str = "/home/student";
    pub const TMP_DIR: &str = "/tmp";
}

/// The parts of `/etc` a test may need: name lookups (`localhost`), the dynamic loader's
/// cache, `nc` through the alternatives system, certificates, iproute2's tables, fonts and
/// chromium's policies. Nothing else of the machine's configuration is visible.
const ETC_ENTRIES: &[&str] = &[
    "passwd",
    "group",
    "hosts",
    "host.conf",
    "nsswitch.conf",
    "gai.conf",
    "services",
    "protocols",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "alternatives",
    "ssl",
    "ca-certificates",
    "ca-certificates.conf",
    "iproute2",
    "fonts",
    "chromium",
    "chromium.d",
    "localtime",
    "mime.types",
];

/// The folders of a test's sandbox, on the grader's side.
pub struct TestMounts<'a> {
    pub lab_id: &'a str,
    /// The lab as the test may see it (no snapshots, no hidden test sources).
    pub lab_dir: &'a Path,
    /// `tests/` and `programs/`: the executables.
    pub bin_dir: &'a Path,
    /// Private and writable, thrown away after the test.
    pub tmp_dir: &'a Path,
    pub home_dir: &'a Path,
    pub out_dir: &'a Path,
}

/// The folders of a build's sandbox, on the grader's side (mounted at the same paths).
pub struct BuildMounts<'a> {
    pub build_root: &'a Path,
    pub lab_relative_dir: &'a Path,
    /// The shared test harness in the build folder, visible read-only in both steps.
    pub harness_dir: &'a Path,
    pub target_dir: &'a Path,
    /// Hide the lab's `tests/` behind this one empty test file, mounted as
    /// `tests/<stand_in_target>.rs` (the first build step compiles only the submission's
    /// code; see `build`).
    pub tests_stand_in: Option<&'a Path>,
    pub stand_in_target: &'a str,
    /// Files of `tests/` the lab declares as test targets, which the first step does not build
    /// but cargo must find: `empty_file` stands in for each.
    pub declared_tests: &'a [&'a str],
    /// Files of the target folder to cover with `empty_file` (see `build::target_view`).
    pub covered: &'a [PathBuf],
    pub empty_file: &'a Path,
}

/// The Cargo target name of the empty test that stands in for a lab's tests during the first
/// build step (`tests/<name>.rs`): one name per lab, since its executable links the lab's
/// code and must be told apart from the other labs' in the shared target folder.
pub fn stand_in_target(package: &str) -> String {
    format!("stand_in_for_{}", package.replace('-', "_"))
}

#[derive(Clone, Debug)]
pub struct Bubblewrap {
    program: PathBuf,
}

impl Bubblewrap {
    /// `bwrap` on `PATH`, if installed.
    pub fn find() -> Option<Bubblewrap> {
        find_on_path("bwrap").map(|program| Bubblewrap { program })
    }

    /// The command that runs `program` with `args` inside a test's wall. Its environment is
    /// passed on to the program as it is.
    pub fn test_command(&self, mounts: &TestMounts, program: &str, args: &[OsString]) -> Command {
        let mut bwrap = Args::default();
        bwrap.flags(TEST_NAMESPACES);
        // A new session: no ioctl on the grader's terminal.
        bwrap.flags(&["--hostname", "sandbox", "--new-session"]);
        bwrap.system();
        bwrap.flags(&["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/dev/shm"]);
        // `ip -n NAME` and `ip netns exec` mount a sysfs of the namespace over /sys, which the
        // kernel allows in a user namespace only while another sysfs stays visible: the second
        // read-only view below is that one. sysfs files belong to the machine's root, so
        // neither view is writable from inside.
        bwrap.flags(&["--ro-bind", "/sys", "/sys", "--tmpfs", "/run"]);
        bwrap.flags(&["--ro-bind", "/sys", "/run/host-sysfs"]);
        bwrap.flags(&["--dir", "/var", "--symlink", "../run", "/var/run"]);
        bwrap.flags(&["--symlink", "../tmp", "/var/tmp"]);
        bwrap.mount("--bind", mounts.tmp_dir, inside::TMP_DIR);
        bwrap.mount("--bind", mounts.home_dir, inside::HOME_DIR);
        bwrap.mount("--bind", mounts.out_dir, inside::OUT_DIR);
        let lab_inside = inside::lab_dir(mounts.lab_id);
        bwrap.mount("--ro-bind", mounts.lab_dir, &lab_inside);
        bwrap.mount("--ro-bind", mounts.bin_dir, inside::BIN_DIR);
        bwrap.flags(&["--chdir", &lab_inside, "--", program]);
        let mut command = process_group_command(&self.program);
        command.args(bwrap.0).args(args);
        command
    }

    /// The command that runs `cargo` with `args` inside a build's wall, as the grader's own
    /// user. No code of the submission runs in a build (the build script and `Cargo.toml`
    /// are the instructor's), so this wall is about what the compiler can read.
    pub fn build_command(&self, mounts: &BuildMounts, cargo: &Path, args: &[OsString]) -> Command {
        let mut bwrap = Args::default();
        bwrap.build_namespaces();
        bwrap.flags(&["--new-session"]);
        bwrap.system();
        bwrap.flags(&["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        let toolchain = Toolchain::locate(cargo);
        for dir in &toolchain.read_only {
            bwrap.mount("--ro-bind", dir, dir);
        }
        if let Some(cargo_home) = &toolchain.cargo_home {
            // Cargo keeps its locks, caches and downloaded sources here.
            bwrap.mount("--bind", cargo_home, cargo_home);
            for secret in ["credentials.toml", "credentials"] {
                let file = cargo_home.join(secret);
                if file.exists() {
                    bwrap.mount("--ro-bind", Path::new("/dev/null"), &file);
                }
            }
        }
        let manifest = mounts.build_root.join("Cargo.toml");
        let lock = mounts.build_root.join("Cargo.lock");
        let lab = mounts.build_root.join(mounts.lab_relative_dir);
        bwrap.mount("--ro-bind", &manifest, &manifest);
        bwrap.mount("--bind", &lock, &lock);
        bwrap.mount("--ro-bind", &lab, &lab);
        if mounts.harness_dir.is_dir() {
            bwrap.mount("--ro-bind", mounts.harness_dir, mounts.harness_dir);
        }
        if let Some(stand_in) = mounts.tests_stand_in {
            let tests = lab.join("tests");
            bwrap.mount("--tmpfs", &tests, "");
            let file = tests.join(format!("{}.rs", mounts.stand_in_target));
            bwrap.mount("--ro-bind", stand_in, file);
            for declared in mounts.declared_tests {
                bwrap.mount("--ro-bind", mounts.empty_file, tests.join(declared));
            }
        }
        bwrap.mount("--bind", mounts.target_dir, mounts.target_dir);
        for file in mounts.covered {
            bwrap.mount("--ro-bind", mounts.empty_file, file);
        }
        bwrap.flags(&["--chdir"]);
        bwrap.path(mounts.build_root);
        bwrap.flags(&["--"]);
        bwrap.path(cargo);
        let mut command = process_group_command(&self.program);
        command.args(bwrap.0).args(args);
        command
    }

    /// A command that only checks a test's wall can be built here.
    pub fn probe_command(&self) -> Command {
        self.probe(|bwrap| bwrap.flags(TEST_NAMESPACES))
    }

    /// A command that only checks a build's wall can be built here.
    pub fn build_probe_command(&self) -> Command {
        self.probe(Args::build_namespaces)
    }

    /// `true`, inside the namespaces `namespaces` adds and the system.
    fn probe(&self, namespaces: impl FnOnce(&mut Args)) -> Command {
        let mut bwrap = Args::default();
        namespaces(&mut bwrap);
        bwrap.system();
        bwrap.flags(&["--proc", "/proc", "--dev", "/dev", "--", "true"]);
        let mut command = Command::new(&self.program);
        command.args(bwrap.0);
        command
    }
}

/// The namespaces of a test: all of them, with uid 0 inside its own user namespace and
/// every capability *there only*: enough for `ip netns add`, veth pairs, routes and firewall
/// rules inside the test's own network namespaces, and nothing outside.
const TEST_NAMESPACES: &[&str] = &[
    "--unshare-user",
    "--unshare-pid",
    "--unshare-net",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--uid",
    "0",
    "--gid",
    "0",
    "--cap-add",
    "ALL",
    "--die-with-parent",
];

/// bubblewrap's command line, built up wall by wall.
#[derive(Default)]
struct Args(Vec<OsString>);

impl Args {
    /// The namespaces of a build: its own pids, ipc and uts (and, without root, the user
    /// namespace bubblewrap then needs to make them); the machine's network, which cargo may
    /// need to fetch a dependency.
    fn build_namespaces(&mut self) {
        self.flags(&[
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--die-with-parent",
        ]);
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            self.flags(&["--unshare-user"]);
        }
    }

    fn flags(&mut self, flags: &[&str]) {
        self.0.extend(flags.iter().map(OsString::from));
    }

    fn path(&mut self, path: &Path) {
        self.0.push(path.as_os_str().to_owned());
    }

    /// `--bind SRC DEST`, `--ro-bind SRC DEST`, or `--tmpfs DEST` (when `dest` is empty, the
    /// destination is `source`).
    fn mount(&mut self, how: &str, source: &Path, dest: impl AsRef<std::ffi::OsStr>) {
        self.0.push(how.into());
        self.path(source);
        if !dest.as_ref().is_empty() {
            self.0.push(dest.as_ref().to_owned());
        }
    }

    /// The system, read-only: `/usr`, the top-level links into it (or the folders, on a
    /// system whose `/bin` and `/lib` are not merged into `/usr`), and part of `/etc`.
    fn system(&mut self) {
        self.flags(&["--ro-bind", "/usr", "/usr"]);
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            let path = Path::new(top);
            match std::fs::read_link(path) {
                Ok(target) => {
                    self.0.push("--symlink".into());
                    self.path(&target);
                    self.0.push(top.into());
                }
                Err(_) if path.is_dir() => self.flags(&["--ro-bind", top, top]),
                Err(_) => {}
            }
        }
        for entry in ETC_ENTRIES {
            let path = format!("/etc/{entry}");
            self.flags(&["--ro-bind-try", &path, &path]);
        }
    }
}

/// The Rust toolchain a build needs: rustup's toolchains and cargo's home (read-write: its
/// locks and downloaded sources), wherever they are.
struct Toolchain {
    read_only: Vec<PathBuf>,
    cargo_home: Option<PathBuf>,
}

impl Toolchain {
    fn locate(cargo: &Path) -> Toolchain {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let from_env_or_home = |variable: &str, default: &str| {
            std::env::var_os(variable)
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|home| home.join(default)))
                .filter(|dir| dir.is_dir())
        };
        let cargo_home = from_env_or_home("CARGO_HOME", ".cargo");
        let mut read_only: Vec<PathBuf> = from_env_or_home("RUSTUP_HOME", ".rustup")
            .into_iter()
            .collect();
        let known = |dir: &PathBuf| cargo.starts_with(dir);
        // A cargo outside rustup's folders and /usr (a standalone install): its whole prefix.
        if let Some(prefix) = cargo.parent().and_then(Path::parent)
            && !cargo.starts_with("/usr")
            && !read_only.iter().any(known)
            && !cargo_home.iter().any(known)
        {
            read_only.push(prefix.to_path_buf());
        }
        Toolchain {
            read_only,
            cargo_home,
        }
    }
}
