#!/usr/bin/env bash
# One-shot setup for a fresh Debian/Ubuntu machine: system packages, npm dependencies (from the lockfile),
# build, and the `hgym` command on PATH. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the project uses at run time and in its tests:
#   git         snapshots of git repositories, workspaces with a single commit
#   bubblewrap  the default sandbox (no network, workspace-only writes)
#   python3     Python tools inside the sandbox (exec verification of func-gen, agents' own scripts)
#   procps      ps/pkill used to check that episodes leave no process behind
#   chromium    the browser the `hgym view` tests drive (src/view/view.browser.test.ts, via playwright-core);
#               fonts-liberation is only recommended by it, and its screenshots are unreadable without a font
#   redis-server the queue of `--queue` / `hgym worker` (BullMQ); the tests start private ones (src/queue/)
#   golang-go, openjdk-17-jdk-headless, rustc + cargo: the Go, Java and Rust front ends and resolvers (small
#               helpers built from src/lang/native/ on first use) and `exec` verification in those languages;
#               librust-syn-dev (+ proc-macro2, quote) lets the Rust helper build offline from Debian's crates;
#               golang-src, openjdk-17-source and rust-src are the standard libraries' sources, real code the
#               tests and benchmarks index
NEEDED=(git bubblewrap python3 procps ca-certificates chromium fonts-liberation redis-server
  golang-go golang-src openjdk-17-jdk-headless openjdk-17-source rustc cargo rust-src
  librust-syn-dev librust-proc-macro2-dev librust-quote-dev)
missing=()
for pkg in "${NEEDED[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: missing system packages (${missing[*]}) and no apt-get here: install them with your package manager" >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "setup: installing npm dependencies (npm ci)"
npm ci --no-audit --no-fund --loglevel=error
# Put `hgym` on PATH (a symlink to this checkout, so a rebuild is picked up). `npm link` runs the build.
npm link --no-audit --no-fund --loglevel=error >/dev/null
# Prove the command works as a user will call it, so a broken install fails here and not at first use.
if ! version=$(hgym --version 2>&1); then
  echo "setup: hgym does not run after installation: $version" >&2
  exit 1
fi
# Build the Go/Java/Rust judges now rather than at first use (the Rust one compiles syn: a minute or two).
if ! hgym toolchains; then
  echo "setup: some language helpers could not be built (see above); those languages are refused until then" >&2
fi
echo "setup: done — hgym $version at $(command -v hgym)"
