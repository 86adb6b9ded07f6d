//! `cargo xtask doctor`: is everything the course starts installed here, and if not, the one
//! command that installs it.
//!
//! The labs' tests start real programs — `nc`, `curl`, Chromium, `openssl`, `ip` — and the
//! grader runs every test in bubblewrap's sandbox. A missing one does not break the build; it
//! turns tests into `not_run` far from the cause. `doctor` checks every tool of the course's
//! one list ([`tools::TOOLS`]), says what needs each, and prints the install command for this
//! system's package manager (apt, dnf, pacman or Homebrew); `--install` runs it.

mod system;
pub mod tools;

use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

use system::{PackageManager, help_mentions, is_linux};

use crate::sandbox::grader_is_root;
use crate::sandbox::process::find_on_path;
use tools::{TOOLS, Tool};

const DOCTOR_EXAMPLES: &str = "\
Examples:
  cargo xtask doctor                  what is here, what is missing, and how to install it
  cargo xtask doctor --install        install what is missing (with sudo unless you are root)
  cargo xtask doctor --packages apt   the Debian packages of every tool, for a Dockerfile";

/// The flags of `cargo xtask doctor`.
#[derive(clap::Args)]
#[command(after_help = DOCTOR_EXAMPLES)]
pub struct DoctorArgs {
    /// Install what is missing with this system's package manager, then check again.
    #[arg(long)]
    install: bool,

    /// Print the packages of every tool for this package manager on one line, and nothing
    /// else (for a Dockerfile or a CI script).
    #[arg(long, value_enum, value_name = "MANAGER", conflicts_with = "install")]
    packages: Option<PackageManager>,

    /// Print nothing when everything is here, and one line naming what is missing otherwise.
    #[arg(long, conflicts_with_all = ["install", "packages"])]
    quiet: bool,
}

/// What was found of one tool.
#[derive(Debug, PartialEq)]
enum Found {
    Here,
    Missing,
    /// Installed, but not the variant the tests need.
    WrongVariant(&'static str),
    /// A Linux tool, on another system.
    NotForThisSystem,
}

impl Found {
    fn is_needed(&self) -> bool {
        matches!(self, Found::Missing | Found::WrongVariant(_))
    }

    fn label(&self) -> String {
        match self {
            Found::Here => "ok".into(),
            Found::Missing => "MISSING".into(),
            Found::WrongVariant(variant) => format!("not {variant}'s"),
            Found::NotForThisSystem => "Linux only".into(),
        }
    }
}

fn check(tool: &Tool) -> Found {
    if tool.linux_only && !is_linux() {
        return Found::NotForThisSystem;
    }
    let Some(program) = tool.commands.iter().find_map(|name| find_on_path(name)) else {
        return Found::Missing;
    };
    match tool.help_mentions {
        Some(variant) if !help_mentions(&program, variant) => Found::WrongVariant(variant),
        _ => Found::Here,
    }
}

impl DoctorArgs {
    pub fn run(self) -> Result<ExitCode> {
        if let Some(manager) = self.packages {
            println!("{}", manager.packages_of(TOOLS).join(" "));
            return Ok(ExitCode::SUCCESS);
        }
        let found: Vec<(&Tool, Found)> = TOOLS.iter().map(|tool| (tool, check(tool))).collect();
        let missing: Vec<&Tool> = found
            .iter()
            .filter(|(_, found)| found.is_needed())
            .map(|(tool, _)| *tool)
            .collect();
        if self.quiet {
            if missing.is_empty() {
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "missing: {} — run `cargo xtask doctor` to see what needs them and how to install them",
                names(&missing)
            );
            return Ok(ExitCode::from(1));
        }
        if self.install && !missing.is_empty() {
            install(&missing)?;
            return DoctorArgs {
                install: false,
                packages: None,
                quiet: false,
            }
            .run();
        }
        print_table(&found);
        print_system();
        Ok(print_verdict(&missing))
    }
}

fn names(tools: &[&Tool]) -> String {
    tools
        .iter()
        .map(|tool| tool.name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_table(found: &[(&Tool, Found)]) {
    println!("{:<10}{:<12}needed for", "tool", "here");
    for (tool, found) in found {
        println!(
            "{:<10}{:<12}{}",
            tool.name(),
            found.label(),
            tool.needed_for
        );
    }
}

fn print_system() {
    println!();
    if !is_linux() {
        println!(
            "system: not Linux. The labs' tests of two hosts (labs 03 and 08) need Linux's network \
             namespaces and are not run here; grading someone else's code needs Linux's sandbox. \
             On Windows, use WSL 2."
        );
    } else if grader_is_root() {
        println!("network namespaces (labs 03 and 08's two hosts): yes, running as root");
    } else {
        println!(
            "network namespaces (labs 03 and 08's two hosts): need root; grade them with \
             `sudo -E env \"PATH=$PATH\" cargo xtask grade 03`, or those tests are not run"
        );
    }
}

/// The last lines: all there, or what to install and how. Exit status 1 when something is
/// missing.
fn print_verdict(missing: &[&Tool]) -> ExitCode {
    if missing.is_empty() {
        println!("Everything the course uses is here.");
        return ExitCode::SUCCESS;
    }
    println!("missing ({}): {}", missing.len(), names(missing));
    match PackageManager::detect() {
        Some(manager) => {
            let packages = manager.packages_of(missing.iter().copied());
            for command in manager.install_commands(&packages) {
                println!("  {}", command.join(" "));
            }
            let by_hand = by_hand(manager, missing);
            if !by_hand.is_empty() {
                println!("  and by hand: {by_hand}");
            }
            println!("or run `cargo xtask doctor --install`, which runs that for you.");
        }
        None => println!(
            "install them with your system's package manager (doctor knows apt, dnf, pacman and \
             Homebrew, and found none of them)."
        ),
    }
    ExitCode::from(1)
}

/// The missing tools this package manager has no package for.
fn by_hand(manager: PackageManager, missing: &[&Tool]) -> String {
    names(
        &missing
            .iter()
            .copied()
            .filter(|tool| manager.package(&tool.packages).is_none())
            .collect::<Vec<_>>(),
    )
}

fn install(missing: &[&Tool]) -> Result<()> {
    let Some(manager) = PackageManager::detect() else {
        bail!(
            "no package manager doctor knows (apt, dnf, pacman, Homebrew) is here: install {} by hand",
            names(missing)
        );
    };
    let packages = manager.packages_of(missing.iter().copied());
    for command in manager.install_commands(&packages) {
        println!("$ {}", command.join(" "));
        let status = Command::new(&command[0])
            .args(&command[1..])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .with_context(|| format!("cannot start {}", command[0]))?;
        if !status.success() {
            bail!(
                "`{}` failed ({status}): read its output above, fix what it says, and run `cargo xtask doctor --install` again",
                command.join(" ")
            );
        }
    }
    println!();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_has_a_debian_package_and_a_purpose() {
        for tool in TOOLS {
            assert!(tool.packages.apt.is_some(), "{}", tool.name());
            assert!(!tool.needed_for.is_empty(), "{}", tool.name());
        }
    }

    #[test]
    fn packages_are_listed_once_in_the_table_s_order() {
        let apt = PackageManager::Apt.packages_of(TOOLS);
        assert_eq!(apt[..3], ["bubblewrap", "netcat-openbsd", "iproute2"]);
        let brew = PackageManager::Brew.packages_of(TOOLS);
        assert_eq!(
            brew.iter().filter(|package| **package == "node").count(),
            1,
            "node and npm are one formula: {brew:?}"
        );
        assert!(!brew.contains(&"bubblewrap"), "Linux only");
    }

    #[test]
    fn homebrew_installs_a_cask_with_a_command_of_its_own() {
        let commands = PackageManager::Brew.install_commands(&["curl", "--cask chromium"]);
        assert_eq!(
            commands,
            [
                vec!["brew", "install", "curl"],
                vec!["brew", "install", "--cask", "chromium"]
            ]
        );
    }
}
