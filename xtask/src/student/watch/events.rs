//! How watch notices a save: notify's file system events, or polling where there are none.
//!
//! - **Events**: notify's watcher reports file system events; notify-debouncer-mini waits for
//!   300 ms of quiet, because one save is often several events (write, rename, chmod). The
//!   whole lab folder is watched, not only `src/`, so that a `src/` deleted and put back (by
//!   `cargo xtask reset`) is still watched. Events only wake the loop up: what changed is
//!   decided by `state`.
//! - **Changes only**: inotify also reports files being *opened*, which the grader does to
//!   every file it grades. Those events are dropped before debouncing (`ChangesOnly`), or each
//!   grade would wake the next.
//! - **Polling**: some file systems never send events for changes made elsewhere: network
//!   shares (NFS, SMB), and the folders a virtual machine or container shares with its host
//!   (9p as in WSL's `/mnt/c`, virtiofs and other FUSE, vboxsf). There `--poll` looks at the
//!   files every second instead; watch also switches to it on its own when `statfs` says the
//!   labs are on such a file system, and says so on screen (`ChangeSource`), since a silent
//!   watcher looks broken.

use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{
    Event, EventHandler, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher, WatcherKind,
};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer_opt};

/// How long the files must stay quiet before a burst of events counts as one change.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Where changes come from: file system events, or looking every second.
pub(super) enum ChangeSource {
    Events,
    /// Polling, with the reason when the student did not ask for it with `--poll`.
    Polling {
        instead_of_events: Option<String>,
    },
}

impl ChangeSource {
    pub(super) fn describe(&self) -> String {
        let every = POLL_INTERVAL.as_secs();
        match self {
            ChangeSource::Events => {
                "file system events (if a save goes unnoticed, try --poll)".to_string()
            }
            ChangeSource::Polling {
                instead_of_events: None,
            } => format!("polling every {every} s (--poll)"),
            ChangeSource::Polling {
                instead_of_events: Some(why),
            } => format!("polling every {every} s, as --poll does: {why}"),
        }
    }
}

/// Starts watching `folders`, with events where the file system sends them and polling
/// elsewhere. Each debounced batch of changes goes to `sender`. The watcher runs until the
/// returned value is dropped.
pub(super) fn start_watching(
    folders: &[PathBuf],
    poll: bool,
    sender: Sender<DebounceEventResult>,
) -> Result<(Box<dyn Any>, ChangeSource)> {
    let no_events = folders
        .iter()
        .find_map(|folder| file_system_without_events(folder).map(|kind| (folder, kind)));
    let instead_of_events = match no_events {
        _ if poll => None,
        Some((folder, kind)) => Some(format!(
            "{} is on {kind}, which may never send change events",
            folder.display()
        )),
        None => match debounced::<RecommendedWatcher>(folders, sender.clone()) {
            Ok(watcher) => return Ok((Box::new(watcher), ChangeSource::Events)),
            Err(error) => Some(format!("file system events are not available ({error})")),
        },
    };
    let watcher = debounced::<PollWatcher>(folders, sender).with_context(|| {
        format!(
            "cannot watch {} for changes; check that the folder exists and can be read",
            folders
                .first()
                .map_or("labs/".to_string(), |folder| folder.display().to_string())
        )
    })?;
    Ok((
        Box::new(watcher),
        ChangeSource::Polling { instead_of_events },
    ))
}

/// A watcher of kind `W` on `folders` (and everything below them), behind the debouncer.
fn debounced<W: Watcher + 'static>(
    folders: &[PathBuf],
    sender: Sender<DebounceEventResult>,
) -> notify::Result<Debouncer<ChangesOnly<W>>> {
    // Polling compares contents too: it reads file times to the second only, so a save in
    // the same second as the previous look would go unnoticed. A lab's files are small.
    let notify_config = notify::Config::default()
        .with_poll_interval(POLL_INTERVAL)
        .with_compare_contents(true);
    let config = notify_debouncer_mini::Config::default()
        .with_timeout(DEBOUNCE)
        .with_notify_config(notify_config);
    let mut debouncer = new_debouncer_opt::<_, ChangesOnly<W>>(config, sender)?;
    for folder in folders {
        debouncer
            .watcher()
            .watch(folder, RecursiveMode::Recursive)?;
    }
    Ok(debouncer)
}

/// A notify watcher that passes on changes only. inotify also reports a file being opened or
/// closed unchanged, and the grader opens every file it grades (as does checking `src/`
/// after an event): without this filter, each look at the files would wake the loop again.
struct ChangesOnly<W>(W);

impl<W: Watcher> Watcher for ChangesOnly<W> {
    fn new<F: EventHandler>(mut handler: F, config: notify::Config) -> notify::Result<Self> {
        let changes_only = move |event: notify::Result<Event>| {
            if !event.as_ref().is_ok_and(|event| event.kind.is_access()) {
                handler.handle_event(event);
            }
        };
        W::new(changes_only, config).map(ChangesOnly)
    }

    fn watch(&mut self, path: &Path, recursive_mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, recursive_mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> WatcherKind {
        W::kind()
    }
}

/// File systems (by `statfs`'s magic number) where a change made elsewhere — by another
/// machine, or by the host of a virtual machine or container — sends no inotify event here.
#[cfg(target_os = "linux")]
const FILE_SYSTEMS_WITHOUT_EVENTS: &[(u32, &str)] = &[
    (0x6969, "NFS"),
    (0x517B, "SMB"),
    (0xFF53_4D42, "CIFS/SMB"),
    (0xFE53_4D42, "SMB2"),
    (0x0102_1997, "9p (a shared folder, e.g. WSL's /mnt/c)"),
    (0x6573_5546, "FUSE (e.g. sshfs or a virtiofs shared folder)"),
    (0x786F_4256, "vboxsf (a VirtualBox shared folder)"),
    (0x7C7C_6673, "prl_fs (a Parallels shared folder)"),
    (0xBACB_ACBC, "vmhgfs (a VMware shared folder)"),
    (0x5346_414F, "AFS"),
    (0x6B41_4653, "AFS"),
    (0x00C3_6400, "CephFS"),
    (0x7375_7245, "Coda"),
];

/// The kind of file system `folder` is on, when it is one that may never send events.
#[cfg(target_os = "linux")]
fn file_system_without_events(folder: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;

    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    // SAFETY: statfs is a plain C struct, for which all zeroes is a valid value.
    let mut stats: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated and `stats` is a valid place for statfs(2) to write.
    if unsafe { libc::statfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    // Magic numbers are 32 bits; f_type is wider on some platforms.
    let magic = stats.f_type as u32;
    FILE_SYSTEMS_WITHOUT_EVENTS
        .iter()
        .find(|(known, _)| *known == magic)
        .map(|(_, kind)| *kind)
}

#[cfg(not(target_os = "linux"))]
fn file_system_without_events(_folder: &Path) -> Option<&'static str> {
    None
}
