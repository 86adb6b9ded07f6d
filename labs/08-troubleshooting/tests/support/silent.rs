//! A listener that never answers: a real "filtered" port on loopback, without a firewall.
//!
//! A listening socket has an *accept queue* for connections whose handshake is complete but
//! that the server has not `accept`ed yet; `listen(backlog)` sets its size (Linux keeps up to
//! backlog + 1). When the queue is full, Linux does not answer a new SYN at all: it drops it
//! (and counts it in `nstat ListenOverflows`), hoping the client will retry once the server
//! has caught up. So a listener with backlog 0, one queued connection and a server that never
//! calls `accept` is silent: every new `connect` hangs until its time limit, exactly like a
//! firewall that drops.
//!
//! (`net.ipv4.tcp_abort_on_overflow = 1` makes Linux send a reset instead in some cases; the
//! default is 0, and the tests check it.)

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

use socket2::{Domain, Socket, Type};

/// How long the test waits for a connection that should be dropped, to know the queue is full.
const CHECK: Duration = Duration::from_millis(150);
/// Queued connections tried before the test gives up on filling the queue.
const MOST_QUEUED: usize = 8;

/// A listener whose full accept queue makes it drop every new connection attempt.
pub struct SilentListener {
    /// Where it listens.
    pub address: SocketAddr,
    _listener: Socket,
    _queued: Vec<TcpStream>,
}

/// A silent listener on 127.0.0.1 and a port the OS picks.
pub fn silent_listener() -> SilentListener {
    silent_listener_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).unwrap_or_else(|error| {
        panic!("the test could not listen on 127.0.0.1 ({error}); this is not your code's fault")
    })
}

/// A silent listener on `address` (whose port may be 0), or the error of `bind`.
pub fn silent_listener_on(address: SocketAddr) -> std::io::Result<SilentListener> {
    require_no_abort_on_overflow();
    let listener = Socket::new(Domain::for_address(address), Type::STREAM, None)?;
    listener.bind(&address.into())?;
    listener.listen(0)?;
    let address = listener
        .local_addr()?
        .as_socket()
        .expect("a TCP listener has an IP address");
    let mut queued = Vec::new();
    for _ in 0..MOST_QUEUED {
        match TcpStream::connect_timeout(&address, CHECK) {
            Ok(stream) => queued.push(stream),
            Err(error) if error.kind() == std::io::ErrorKind::TimedOut => {
                return Ok(SilentListener {
                    address,
                    _listener: listener,
                    _queued: queued,
                });
            }
            Err(error) => panic!(
                "the test tried to fill the accept queue of its listener on {address} and got \
                 {error}; this is not your code's fault"
            ),
        }
    }
    panic!(
        "not run: the test queued {MOST_QUEUED} connections on a listener with backlog 0 that \
         never accepts, and this machine still answered new ones: its kernel does not drop SYNs \
         when the accept queue is full, so the test cannot make a silent port here"
    )
}

/// Panics `not run: …` when this machine resets connections to a full queue instead of
/// dropping them, or is not Linux.
fn require_no_abort_on_overflow() {
    const SETTING: &str = "/proc/sys/net/ipv4/tcp_abort_on_overflow";
    match std::fs::read_to_string(SETTING) {
        Ok(value) if value.trim() == "0" => {}
        Ok(value) => panic!(
            "not run: {SETTING} is {} on this machine, so a full accept queue may answer with a \
             reset instead of silence; the test needs the default, 0 \
             (`sudo sysctl net.ipv4.tcp_abort_on_overflow=0`)",
            value.trim()
        ),
        Err(error) => panic!(
            "not run: cannot read {SETTING} ({error}): the test makes a silent port the Linux way"
        ),
    }
}
