//! The program's command line: the counter server, and a client that calls it.
//!
//! ```console
//! $ lab12-udp serve 127.0.0.1:0
//! listening on 127.0.0.1:40423
//! ```
//!
//! and in another terminal:
//!
//! ```console
//! $ lab12-udp call 127.0.0.1:40423 add 5
//! 5
//! $ lab12-udp call 127.0.0.1:40423 add 7
//! 12
//! ```
//!
//! Try them over a bad link of your own: chapter 12, "A bad link of your own", builds one in
//! two network namespaces.

use std::io::Write;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::client::{Client, RetryPolicy};
use crate::server::{Counter, serve};

#[derive(clap::Parser, Debug)]
#[command(
    name = "lab12-udp",
    about = "A counter over UDP that counts each add once, and a client that retries"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Commands,
}

#[derive(clap::Subcommand, Debug)]
pub enum Commands {
    /// Serve the counter on ADDR (port 0: any free port) until interrupted.
    Serve {
        #[arg(default_value = "127.0.0.1:0")]
        address: SocketAddr,
        /// How many recent answers the server remembers, to answer copies without applying
        /// them twice.
        #[arg(long, default_value_t = 1024)]
        memory: usize,
    },
    /// Send one request (e.g. `add 5`) to the server at ADDR and print its answer.
    Call {
        address: SocketAddr,
        /// The request, e.g. `add 5`.
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        request: Vec<String>,
        /// How long the first attempt waits for the answer, in milliseconds.
        #[arg(long, default_value_t = 200)]
        timeout_ms: u64,
        /// How many times the request is sent at most.
        #[arg(long, default_value_t = 5)]
        attempts: u32,
    },
}

/// Runs one command; what it prints goes to standard output.
pub fn run(args: Args) -> Result<(), String> {
    match args.command {
        Commands::Serve { address, memory } => {
            let socket = UdpSocket::bind(address)
                .map_err(|error| format!("cannot bind {address}: {error}"))?;
            let bound = socket.local_addr().map_err(|error| error.to_string())?;
            println!("listening on {bound}");
            // Whoever started the program reads that line to learn the port: send it now.
            let _ = std::io::stdout().flush();
            let mut counter = Counter::new(memory);
            let never = AtomicBool::new(false);
            serve(&socket, &mut counter, &never).map_err(|error| error.to_string())
        }
        Commands::Call {
            address,
            request,
            timeout_ms,
            attempts,
        } => {
            let policy = RetryPolicy {
                first_timeout: Duration::from_millis(timeout_ms),
                factor: 2,
                attempts,
            };
            let mut client = Client::new(address, policy).map_err(|error| error.to_string())?;
            let answer = client
                .call(request.join(" ").as_bytes())
                .map_err(|error| error.to_string())?;
            println!("{}", String::from_utf8_lossy(&answer));
            Ok(())
        }
    }
}
