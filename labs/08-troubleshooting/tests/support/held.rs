//! A port held by another process: a listening socket handed to a `sleep` child.
//!
//! A child process inherits its parent's open files, sockets included, unless they are marked
//! close-on-exec (Rust marks every socket so). The test opens a listener, clears that mark in
//! the child only, starts `sleep 60` and closes its own copy: from then on `sleep` is the only
//! process holding the listening socket, and the port is "held by pid N (sleep)". inetd and
//! systemd's socket activation hand sockets to programs the same way.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};

/// A port of 127.0.0.1 on which a `sleep` process listens (and never accepts).
pub struct HeldPort {
    /// The address the listener is bound to.
    pub address: SocketAddr,
    /// The process id of the `sleep` that holds it.
    pub pid: u32,
    child: Child,
}

/// Starts `sleep` holding a listener on 127.0.0.1 and a port the OS picks.
pub fn port_held_by_sleep() -> HeldPort {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap_or_else(|error| {
        panic!("the test could not listen on 127.0.0.1 ({error}); this is not your code's fault")
    });
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    let descriptor = listener.as_raw_fd();
    let mut command = Command::new("sleep");
    command
        .arg("60")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: between fork and exec, only fcntl(2) on a descriptor the child inherited: it
    // clears close-on-exec in the child's own table, the parent's is untouched.
    unsafe {
        command.pre_exec(move || {
            if libc::fcntl(descriptor, libc::F_SETFD, 0) == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = match command.spawn() {
        Ok(child) => child,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            panic!("not run: the `sleep` program is not installed (it comes with coreutils)")
        }
        Err(error) => panic!("not run: `sleep` cannot be started ({error})"),
    };
    drop(listener);
    HeldPort {
        address,
        pid: child.id(),
        child,
    }
}

impl Drop for HeldPort {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
