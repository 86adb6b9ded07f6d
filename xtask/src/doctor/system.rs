//! What this machine is: its package manager and whether it is Linux.

use std::process::Command;

use super::tools::{Packages, Tool};
use crate::sandbox::grader_is_root;
use crate::sandbox::process::find_on_path;

/// The package managers `doctor` knows, in the order they are looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PackageManager {
    Apt,
    Dnf,
    Pacman,
    Brew,
}

impl PackageManager {
    /// The package manager this machine has, if any of those `doctor` knows.
    pub fn detect() -> Option<PackageManager> {
        [
            ("apt-get", PackageManager::Apt),
            ("dnf", PackageManager::Dnf),
            ("pacman", PackageManager::Pacman),
            ("brew", PackageManager::Brew),
        ]
        .into_iter()
        .find(|(command, _)| find_on_path(command).is_some())
        .map(|(_, manager)| manager)
    }

    pub fn package(self, packages: &Packages) -> Option<&'static str> {
        match self {
            PackageManager::Apt => packages.apt,
            PackageManager::Dnf => packages.dnf,
            PackageManager::Pacman => packages.pacman,
            PackageManager::Brew => packages.brew,
        }
    }

    /// The packages of `tools` for this manager, each once, in the table's order.
    pub fn packages_of<'a>(self, tools: impl IntoIterator<Item = &'a Tool>) -> Vec<&'static str> {
        let mut packages: Vec<&'static str> = Vec::new();
        for tool in tools {
            if let Some(package) = self.package(&tool.packages)
                && !packages.contains(&package)
            {
                packages.push(package);
            }
        }
        packages
    }

    /// The commands that install `packages`, as a person would type them (with `sudo` unless
    /// we are root; Homebrew refuses to run as root and needs none).
    pub fn install_commands(self, packages: &[&str]) -> Vec<Vec<String>> {
        let sudo: Vec<String> = if self != PackageManager::Brew && !grader_is_root() {
            vec!["sudo".into()]
        } else {
            Vec::new()
        };
        let with = |words: &[&str], packages: &[&str]| {
            let mut command = sudo.clone();
            command.extend(words.iter().map(|word| word.to_string()));
            command.extend(
                packages
                    .iter()
                    .flat_map(|package| package.split_whitespace())
                    .map(String::from),
            );
            command
        };
        match self {
            PackageManager::Apt => vec![
                with(&["apt-get", "update", "-qq"], &[]),
                with(&["apt-get", "install", "-y", "-qq"], packages),
            ],
            PackageManager::Dnf => vec![with(&["dnf", "install", "-y"], packages)],
            PackageManager::Pacman => {
                vec![with(&["pacman", "-S", "--needed", "--noconfirm"], packages)]
            }
            PackageManager::Brew => {
                // A cask is installed by a command of its own.
                let (casks, formulae): (Vec<&str>, Vec<&str>) = packages
                    .iter()
                    .partition(|package| package.starts_with("--cask"));
                let mut commands = Vec::new();
                if !formulae.is_empty() {
                    commands.push(with(&["brew", "install"], &formulae));
                }
                for cask in casks {
                    commands.push(with(&["brew", "install"], &[cask]));
                }
                commands
            }
        }
    }
}

pub fn is_linux() -> bool {
    cfg!(target_os = "linux")
}

/// Whether a program's `-h` output (on either stream) mentions `text`.
pub fn help_mentions(program: &std::path::Path, text: &str) -> bool {
    Command::new(program)
        .arg("-h")
        .stdin(std::process::Stdio::null())
        .output()
        .map(|output| {
            String::from_utf8_lossy(&output.stdout).contains(text)
                || String::from_utf8_lossy(&output.stderr).contains(text)
        })
        .unwrap_or(false)
}
