//! The test's own traffic between the two machines, made with std's sockets (and socket2's,
//! to set what std cannot), never with the lab's code.

use std::io::{Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::time::Duration;

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use super::HOW_TO_RUN;
use super::cable::{Cable, PATIENCE};

/// The client's address of the same family as the server's `address`.
pub fn client_address_for(server: IpAddr) -> IpAddr {
    use super::cable::{CLIENT, CLIENT6};
    if server.is_ipv4() { CLIENT } else { CLIENT6 }
}

/// A TCP listener on the server's `address`, on a port the kernel picks.
pub fn listen(cable: &Cable, address: IpAddr) -> TcpListener {
    cable
        .server
        .run(|| TcpListener::bind(SocketAddr::new(address, 0)))
        .unwrap_or_else(|error| {
            panic!("not run: the server cannot listen on {address} ({error}); {HOW_TO_RUN}")
        })
}

/// A port of the server's `address` where nothing listens: bound, read, and closed again.
pub fn closed_tcp_port(cable: &Cable, address: IpAddr) -> SocketAddr {
    listen(cable, address)
        .local_addr()
        .expect("a bound listener has an address")
}

/// A UDP port of the server's `address` where nothing listens.
pub fn closed_udp_port(cable: &Cable, address: IpAddr) -> SocketAddr {
    cable
        .server
        .run(|| UdpSocket::bind(SocketAddr::new(address, 0)))
        .and_then(|socket| socket.local_addr())
        .unwrap_or_else(|error| {
            panic!("not run: the server cannot bind UDP on {address} ({error}); {HOW_TO_RUN}")
        })
}

/// The client connects to `listener`, sends `request` and half-closes (`shutdown(Write)`, its
/// FIN); the server reads to the end, answers `response` and closes (its FIN); the client reads
/// to the end. Returns the client's address and the server's.
pub fn half_close_exchange(
    cable: &Cable,
    listener: &TcpListener,
    request: &[u8],
    response: &[u8],
) -> (SocketAddr, SocketAddr) {
    let server = listener
        .local_addr()
        .expect("a bound listener has an address");
    std::thread::scope(|scope| {
        let serving = scope.spawn(|| {
            let (mut connection, _) = listener.accept().expect("the server accepts the client");
            connection
                .set_read_timeout(Some(PATIENCE))
                .expect("a timeout");
            let mut received = Vec::new();
            connection
                .read_to_end(&mut received)
                .expect("the server reads the request");
            connection.write_all(response).expect("the server answers");
        });
        let client = cable.client.run(|| {
            let mut stream =
                TcpStream::connect_timeout(&server, PATIENCE).expect("the client connects");
            stream.set_read_timeout(Some(PATIENCE)).expect("a timeout");
            stream
                .write_all(request)
                .expect("the client sends its request");
            stream
                .shutdown(Shutdown::Write)
                .expect("the client half-closes");
            let mut answer = Vec::new();
            stream
                .read_to_end(&mut answer)
                .expect("the client reads the answer");
            stream
                .local_addr()
                .expect("a connected stream has an address")
        });
        serving.join().expect("the server does not panic");
        (client, server)
    })
}

/// One TCP connection attempt from the client to `server`, giving up after `patience`: returns
/// the client's address and what `connect` said (`connected`, `ConnectionRefused`, `TimedOut`).
pub fn attempt(cable: &Cable, server: SocketAddr, patience: Duration) -> (SocketAddr, String) {
    cable.client.run(|| {
        let socket = Socket::new(
            Domain::for_address(server),
            Type::STREAM,
            Some(Protocol::TCP),
        )
        .expect("the client can open a TCP socket");
        socket
            .bind(&SockAddr::from(SocketAddr::new(
                client_address_for(server.ip()),
                0,
            )))
            .expect("the client can bind its address");
        let said = match socket.connect_timeout(&SockAddr::from(server), patience) {
            Ok(()) => "connected".to_string(),
            Err(error) => format!("{:?}", error.kind()),
        };
        let client = socket
            .local_addr()
            .ok()
            .and_then(|address| address.as_socket())
            .expect("a bound socket has an address");
        (client, said)
    })
}

/// A UDP datagram of `data` from the client to `server`, and a short wait for whatever comes
/// back: returns the client's address.
pub fn send_datagram(cable: &Cable, server: SocketAddr, data: &[u8]) -> SocketAddr {
    cable.client.run(|| {
        let socket = UdpSocket::bind(SocketAddr::new(client_address_for(server.ip()), 0))
            .expect("the client can bind UDP");
        socket
            .send_to(data, server)
            .expect("the client sends its datagram");
        socket
            .set_read_timeout(Some(Duration::from_millis(300)))
            .expect("a timeout");
        // An ICMP error comes back as an error on this socket (ECONNREFUSED) at the next read.
        let _ = socket.recv(&mut [0; 64]);
        socket.local_addr().expect("a bound socket has an address")
    })
}
