//! The program's command line: the lab's functions, for a real host.
//!
//! ```console
//! $ lab11-firewall ruleset --allow 8080 --allow 22@198.51.100.0/24 --refuse reset > rules.nft
//! $ sudo nft -c -f rules.nft && sudo nft -f rules.nft
//! $ sudo lab11-firewall diagnose --port 8080 --from 198.51.100.1 --interface eth0
//! rule 7 of chain inet hardening input: drop
//! a client's connection attempt finds: filtered
//! the smallest fix: nft insert rule inet hardening input handle 7 tcp dport 8080 accept
//! ```
//!
//! `diagnose` reads the live ruleset with `nft -j list ruleset` (which needs root), or a file
//! saved from it with `--ruleset FILE`. Try it in a network namespace of your own first
//! (`sudo ip netns add lab; sudo ip netns exec lab bash`): its firewall is empty and yours to
//! break.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::Command;

use crate::decide::{Packet, State, decide};
use crate::fix::smallest_fix;
use crate::policy::{Allow, Network, Policy, Refusal};
use crate::ruleset::ruleset;

#[derive(clap::Parser, Debug)]
#[command(
    name = "lab11-firewall",
    about = "Write a firewall ruleset, or find the rule that blocks a port"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Commands,
}

#[derive(clap::Subcommand, Debug)]
pub enum Commands {
    /// Print the nftables ruleset for a policy (load it with `nft -f`).
    Ruleset {
        /// A service to let in: PORT, or PORT@BLOCK for some sources only (22@198.51.100.0/24).
        #[arg(long, value_name = "PORT[@BLOCK]")]
        allow: Vec<Allow>,
        /// What happens to every other connection attempt: drop, reset or prohibit.
        #[arg(long, default_value = "drop")]
        refuse: Refusal,
    },
    /// Say which rule decides a TCP connection attempt to this host, and the smallest fix.
    Diagnose {
        /// The port the client connects to.
        #[arg(long)]
        port: u16,
        /// The client's address.
        #[arg(long)]
        from: IpAddr,
        /// The interface the client's packets arrive on (`ip addr` lists them).
        #[arg(long, default_value = "eth0")]
        interface: String,
        /// The service to let in, if the fix should admit only some sources (default: everyone).
        #[arg(long, value_name = "BLOCK")]
        only_from: Option<Network>,
        /// Read this file (saved from `nft -j list ruleset`) instead of the live ruleset.
        #[arg(long, value_name = "FILE")]
        ruleset: Option<PathBuf>,
    },
}

/// Runs one command and returns what it prints.
pub fn run(args: Args) -> Result<String, String> {
    match args.command {
        Commands::Ruleset { allow, refuse } => Ok(ruleset(&Policy { allow, refuse })),
        Commands::Diagnose {
            port,
            from,
            interface,
            only_from,
            ruleset,
        } => {
            let json = match ruleset {
                Some(path) => std::fs::read_to_string(&path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?,
                None => live_ruleset()?,
            };
            let packet = Packet {
                source: from,
                port,
                interface,
                state: State::New,
            };
            let decision = decide(&json, &packet).map_err(|error| error.to_string())?;
            let service = Allow {
                port,
                from: only_from,
            };
            let fix = match smallest_fix(&decision, &service) {
                Some(command) => format!("the smallest fix: nft {command}\n"),
                None => "nothing to fix: the firewall lets it in\n".to_string(),
            };
            Ok(format!(
                "{decision}\na client's connection attempt finds: {}\n{fix}",
                decision.verdict.reach()
            ))
        }
    }
}

/// `nft -j list ruleset`: this host's ruleset as JSON.
fn live_ruleset() -> Result<String, String> {
    let output = Command::new("nft")
        .args(["-j", "list", "ruleset"])
        .output()
        .map_err(|error| format!("cannot run `nft` ({error}): install nftables"))?;
    if !output.status.success() {
        return Err(format!(
            "`nft -j list ruleset` failed: {} (reading the ruleset needs root: try sudo, or --ruleset FILE)",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| "`nft -j` printed something that is not text".into())
}
