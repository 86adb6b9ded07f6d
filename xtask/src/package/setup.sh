#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image: it installs
# what grading needs and compiles the grader and every lab's dependencies, so that grading a
# submission only compiles the student's code.
# Made by `cargo xtask package gradescope`.
set -euo pipefail
cd "$(dirname "$0")" # /autograder/source: the contents of autograder.zip

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# A C toolchain for Rust's linker (and ring's assembly); nc, openssl s_client and ip, which
# lab tests use as real clients and to build network namespaces; bubblewrap, the sandbox every
# test of a submission runs in (where the container forbids it, tests run as an unprivileged
# uid instead, and the report says so).
apt-get install -y -qq --no-install-recommends \
  bubblewrap build-essential ca-certificates curl iproute2 netcat-openbsd openssl
# A real browser for lab 07. Ubuntu's chromium package is a snap, which does not run in a
# container, so Google Chrome's .deb; without it the browser test is not_run, never passed.
if curl -fsSL -o /tmp/chrome.deb https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb; then
  apt-get install -y -qq /tmp/chrome.deb || echo "setup.sh: no browser installed; lab 07's browser test will be not_run"
  rm -f /tmp/chrome.deb
fi

# The Rust version this autograder was made and tested with.
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
  sh -s -- -y --profile minimal --default-toolchain {{TOOLCHAIN}}
. "$HOME/.cargo/env"

cargo build --locked --package xtask
# Grading the untouched stubs (zero points) compiles every dependency of every lab once.
cargo xtask grade --format json > /dev/null
