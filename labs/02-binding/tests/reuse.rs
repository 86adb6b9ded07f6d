//! Graded tests for `src/reuse.rs`: restarting a server while its old connection is in TIME_WAIT.
//!
//! Each test runs a small server on 127.0.0.1 (a standard-library listener,
//! so with `SO_REUSEADDR`, like any Rust server), lets one client connect,
//! closes the connection from the server's side first, and stops the server.
//! The server's end of that connection stays in TIME_WAIT for 60 seconds.
//! Then it "restarts" the server on the same address and port.

mod support;

use std::io::ErrorKind;

use insta::{assert_snapshot, with_settings};
use lab02_binding::diagnosis::{BindError, diagnose};
use lab02_binding::owner::Holder;
use lab02_binding::reuse::listen_with_reuse_address;
use lab02_binding::socket_table::TcpState;
use socket2::SockRef;
use support::{assert_accepts_a_client, leave_a_connection_in_time_wait, redact};

#[test]
fn restart_after_time_wait_needs_so_reuseaddr() {
    support::require_proc_net();
    let address = leave_a_connection_in_time_wait();
    let mut report =
        format!("the server on {address} closed a connection first, which is now in TIME_WAIT\n");

    match listen_with_reuse_address(address, false) {
        Ok(listener) => panic!(
            "listen_with_reuse_address({address}, false) succeeded, but a connection on {address} is \
             in TIME_WAIT: without SO_REUSEADDR the kernel refuses the port. SO_REUSEADDR is {:?} on \
             your socket: make it with socket2 and call set_reuse_address(false) (TcpListener::bind \
             always sets it)",
            SockRef::from(&listener).reuse_address()
        ),
        Err(error) => {
            assert_eq!(
                error.kind(),
                ErrorKind::AddrInUse,
                "without SO_REUSEADDR, binding {address} while its old connection is in TIME_WAIT \
                 should fail with AddrInUse; got {error:?}"
            );
            report += &format!(
                "listen_with_reuse_address({address}, false)\n  Err: {:?}\n",
                error.kind()
            );
        }
    }

    let listener = listen_with_reuse_address(address, true).unwrap_or_else(|error| {
        panic!(
            "listen_with_reuse_address({address}, true) failed with {error:?}: with SO_REUSEADDR on, \
             Linux lets a new socket bind a port that only TIME_WAIT connections use. Call \
             set_reuse_address(true) on the socket before bind"
        )
    });
    let bound = listener.local_addr().ok();
    assert_eq!(
        bound,
        Some(address),
        "the restarted server should listen on {address}"
    );
    let reuse_address = SockRef::from(&listener).reuse_address().ok();
    assert_eq!(
        reuse_address,
        Some(true),
        "listen_with_reuse_address({address}, true) should return a listener with SO_REUSEADDR on"
    );
    assert_accepts_a_client(&listener, address, "the restarted server");
    report += &format!(
        "listen_with_reuse_address({address}, true)\n  Ok: listening on {}, SO_REUSEADDR {}, \
         accepts a client\n",
        bound.map_or("-".to_string(), |bound| bound.to_string()),
        match reuse_address {
            Some(true) => "on",
            Some(false) => "off",
            None => "unknown",
        }
    );
    let report = redact(&report, &[(address.port().to_string(), "[port]")]);
    with_settings!({
        description => "Restarting a server on an address whose old connection is in TIME_WAIT: refused (AddrInUse) without SO_REUSEADDR, accepted with it. The port is redacted.",
    }, {
        assert_snapshot!(report);
    });
}

#[test]
fn explains_that_time_wait_holds_the_port() {
    support::require_proc_net();
    let address = leave_a_connection_in_time_wait();
    let error = match listen_with_reuse_address(address, false) {
        Ok(_) => panic!(
            "listen_with_reuse_address({address}, false) succeeded while a connection on {address} \
             is in TIME_WAIT; make `reuse::restart_after_time_wait_needs_so_reuseaddr` pass first"
        ),
        Err(error) => error,
    };
    let diagnosis = diagnose(address, error);
    assert!(
        matches!(
            &diagnosis,
            BindError::AddressInUse {
                holder: Some(Holder::ClosedConnection {
                    state: TcpState::TimeWait
                }),
                ..
            }
        ),
        "no process holds {address}: only a closed connection in TIME_WAIT (inode 0 in \
         /proc/net/tcp). who_holds should return Holder::ClosedConnection {{ state: TimeWait }} when \
         every socket using the port has inode 0; got {diagnosis:?}"
    );
    let message = redact(
        &diagnosis.to_string(),
        &[(address.port().to_string(), "[port]")],
    );
    with_settings!({
        description => "The diagnosis when only a TIME_WAIT connection holds the port (the port is redacted).",
    }, {
        assert_snapshot!(message);
    });
}
