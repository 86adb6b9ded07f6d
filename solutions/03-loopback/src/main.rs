//! `lab03-loopback HOST PORT`: connect to a host the careful way, and show every attempt.
//!
//! ```text
//! $ python3 -m http.server 8000 --bind 127.0.0.1 &
//! $ cargo run -p lab03-loopback -- localhost 8000
//! localhost resolves to: [::1]:8000, 127.0.0.1:8000
//! attempt 1: [::1]:8000 -> refused: a host answered, but nothing listens on that address and port there
//! attempt 2: 127.0.0.1:8000 -> connected
//! connected to 127.0.0.1:8000 after 1 failed attempt
//! ```
//!
//! HOST is a name (`localhost`) or an address (`127.0.0.1`, `::1`). The
//! program resolves it, tries every address in order with
//! [`connect_in_order`](lab03_loopback::fallback::connect_in_order), and
//! exits with status 0 when a connection was made, 1 when none was, and 2
//! when it could not even try (bad arguments, a name that does not resolve).

use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;

use lab03_loopback::fallback::connect_in_order;
use lab03_loopback::probe::CONNECT_TIMEOUT;

const USAGE: &str =
    "usage: lab03-loopback HOST PORT   (for example: lab03-loopback localhost 8000)";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let (host, port) = match read_arguments(&arguments) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let targets = match resolve(host, port) {
        Ok(targets) => targets,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    println!("{host} resolves to: {}", list(&targets));
    let transcript = connect_in_order(&targets, CONNECT_TIMEOUT);
    println!("{transcript}");
    if transcript.outcome().is_connected() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// HOST and PORT from the command line.
fn read_arguments(arguments: &[String]) -> Result<(&str, u16), String> {
    match arguments {
        [host, port] => match port.parse::<u16>() {
            Ok(port) => Ok((host.as_str(), port)),
            Err(_) => Err(format!(
                "{port:?} is not a port: a port is a whole number from 0 to 65535"
            )),
        },
        _ => Err(format!(
            "expected two arguments, HOST and PORT, got {}",
            arguments.len()
        )),
    }
}

/// Every address of `host`, in the order the resolver gives them. An IPv6
/// address may be written with or without brackets (`::1` or `[::1]`).
fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    let bare = host
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(host);
    let targets: Vec<SocketAddr> = (bare, port)
        .to_socket_addrs()
        .map_err(|error| format!("cannot resolve {host:?}: {error}"))?
        .collect();
    Ok(targets)
}

fn list(targets: &[SocketAddr]) -> String {
    let shown: Vec<String> = targets.iter().map(SocketAddr::to_string).collect();
    shown.join(", ")
}
