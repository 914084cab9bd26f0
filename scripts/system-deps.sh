#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing (idempotent; needs root or sudo):
# the real test runners that validation discovery is cross-checked against (pytest, go, cargo), and what the
# real-VS-Code tier needs (chromium, ripgrep, libkrb5-dev for code-server), and Neovim for the second-editor tier.
set -euo pipefail

missing=()
have_python_pytest() { for p in /usr/bin/python3 python3; do "$p" -m pytest --version >/dev/null 2>&1 && return 0; done; return 1; }
have_python_pytest || missing+=(python3-pytest)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
command -v cargo >/dev/null 2>&1 || [ -x "$HOME/.cargo/bin/cargo" ] || missing+=(cargo)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)

if [ ${#missing[@]} -eq 0 ]; then
  echo "[system deps] all present"
  exit 0
fi
echo "[system deps] installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
