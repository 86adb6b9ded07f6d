//! The program's command line: the lab's functions, for a real interface.
//!
//! ```console
//! $ sudo lab13-packets capture eth0 --count 10 --write out.pcap
//! 0.000000 IP 198.51.100.7.41234 > 198.51.100.10.7070: Flags [S], seq 1804289383, win 64240, options [20 bytes], length 0
//! …
//! $ lab13-packets read out.pcap
//! $ tcpdump -nn -S -r out.pcap
//! ```
//!
//! Capturing needs root (a packet socket sees every program's traffic). Try it in a network
//! namespace of your own first: chapter 13, "Try it", builds two machines and a cable.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::capture::{Capture, Frame};
use crate::line::line;
use crate::packet::decode_packet;
use crate::pcap::{read_pcap, write_pcap};

#[derive(clap::Parser, Debug)]
#[command(
    name = "lab13-packets",
    about = "Capture the frames of one interface, or read a capture back"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Commands,
}

#[derive(clap::Subcommand, Debug)]
pub enum Commands {
    /// Capture the frames of one interface and print a line for each (needs root).
    Capture {
        /// The interface (`ip link` lists them).
        interface: String,
        /// Stop after this many frames.
        #[arg(long, default_value_t = 10)]
        count: usize,
        /// Stop after this many seconds, even with fewer frames.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Also save the frames as a pcap file (tcpdump -r reads it).
        #[arg(long, value_name = "FILE")]
        write: Option<PathBuf>,
    },
    /// Print a line for each frame of a pcap file.
    Read {
        /// The pcap file.
        file: PathBuf,
    },
}

/// How long the capture waits for each frame before it looks at the clock again.
const READ_TIMEOUT: Duration = Duration::from_millis(100);

/// Runs one command, printing its lines to `out` as they come.
pub fn run(args: Args, out: &mut impl Write) -> Result<(), String> {
    match args.command {
        Commands::Capture {
            interface,
            count,
            seconds,
            write,
        } => {
            let capture = Capture::open(&interface, READ_TIMEOUT)
                .map_err(|error| format!("cannot capture on {interface}: {error}"))?;
            let deadline = Duration::try_from_secs_f64(seconds)
                .map_err(|_| format!("--seconds {seconds}: not a duration"))?;
            let started = Instant::now();
            let mut frames = Vec::new();
            while frames.len() < count && started.elapsed() < deadline {
                let frame = capture
                    .next_frame()
                    .map_err(|error| format!("capture on {interface} failed: {error}"))?;
                if let Some(frame) = frame {
                    print_line(out, frames.first().unwrap_or(&frame), &frame)?;
                    frames.push(frame);
                }
            }
            if let Some(path) = write {
                let file = std::fs::File::create(&path)
                    .map_err(|error| format!("cannot create {}: {error}", path.display()))?;
                write_pcap(std::io::BufWriter::new(file), &frames)
                    .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
            }
            Ok(())
        }
        Commands::Read { file } => {
            let opened = std::fs::File::open(&file)
                .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
            let frames = read_pcap(std::io::BufReader::new(opened))
                .map_err(|error| format!("{} is not a capture: {error}", file.display()))?;
            for frame in &frames {
                print_line(out, &frames[0], frame)?;
            }
            Ok(())
        }
    }
}

/// `SECONDS LINE`: the time since the first frame, and the frame's line (or why it cannot be
/// decoded).
fn print_line(out: &mut impl Write, first: &Frame, frame: &Frame) -> Result<(), String> {
    let since_first = frame.timestamp.saturating_sub(first.timestamp);
    let text = match decode_packet(&frame.bytes) {
        Ok(packet) => line(&packet),
        Err(error) => error.to_string(),
    };
    writeln!(out, "{:.6} {text}", since_first.as_secs_f64())
        .and_then(|()| out.flush())
        .map_err(|error| format!("cannot print: {error}"))
}
