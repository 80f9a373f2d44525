#!/usr/bin/env bash
# Sets up interleave on a fresh machine, unattended:
#   1. Jupyter (server, nbconvert, nbclient, kernelspec tools, nbclassic UI) and
#      chromium + a C compiler from apt when any is missing (as root, or with sudo);
#      without apt, it checks for a conda-provided Jupyter and explains the conda route;
#   2. npm install, whose `prepare` step builds the shared-memory addon, the
#      kernel-helpers package and the project-local tslab/jslab kernelspecs;
#   3. the course's JupyterLab (lab/: npm ci + webpack, a few minutes the first
#      time), cached in ${XDG_CACHE_HOME:-~/.cache}/interleave/lab and rebuilt only
#      when lab/'s lockfile or sources change (tools/lab-build.ts).
# Usage: bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || die "Node.js is not installed. Install Node 20 or newer (https://nodejs.org, or your package manager), then run this again."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node $(node -v) is too old: interleave needs Node 20 or newer. Upgrade Node, then run this again."

APT_PKGS=(jupyter-server jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook python3-nbclassic python3-jupyterlab-server chromium g++ make)

if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
  missing=()
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=()
    elif command -v sudo >/dev/null; then SUDO=(sudo)
    else die "these Debian packages are missing and I am not root and there is no sudo: ${missing[*]}. As root run: apt-get install -y --no-install-recommends ${missing[*]}"
    fi
    say "installing from apt: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
  else
    say "Jupyter and friends are installed (apt)"
  fi
elif ! command -v jupyter-server >/dev/null || ! command -v jupyter-nbconvert >/dev/null; then
  die "Jupyter is not installed and this machine has no apt. Use conda: conda env create -f environment.yml && conda activate interleave, then run this again."
else
  say "using the Jupyter on PATH: $(command -v jupyter-server)"
fi

say "npm install (builds the native addon, kernel-helpers and the kernelspecs)"
npm install --no-audit --no-fund
say "JupyterLab for npm run lab (built once per lockfile, then restored from the cache)"
node_modules/.bin/tsx tools/lab-build.ts
say "done. Build the notes with: npm run notes    Run the tests with: npm test"
