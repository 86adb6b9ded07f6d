//! A listening socket of the test itself, on a port the operating system picks.
//!
//! A test never binds a fixed port: another test, or anything else on the machine, may hold
//! it. Binding port 0 asks the kernel for any free port, and `local_addr()` says which one.

use std::net::SocketAddr;

use tokio::net::TcpListener;

/// A listener on a free port of 127.0.0.1, and its address.
pub async fn free_port_listener() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("the test can listen on a free port of 127.0.0.1 (not your code's fault)");
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    (listener, address)
}
