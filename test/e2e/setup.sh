#!/usr/bin/env bash
# Prepares the real-VS-Code test tier: Debian packages (chromium, ripgrep, libkrb5-dev) and
# code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) in .vscode-test/.
# @vscode/test-electron cannot be used here because it downloads VS Code from a host this machine
# cannot reach; code-server comes from the npm registry. Idempotent: a completed install is skipped.
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE_DIR="$REPO_ROOT/.vscode-test/code-server-$CODE_SERVER_VERSION"
DONE_MARKER="$CACHE_DIR/.install-complete"
DEBIAN_PACKAGES=(chromium ripgrep libkrb5-dev)

log() { printf '[e2e setup] %s\n' "$*"; }
on_error() { log "FAILED at line $1 (exit $2): $3"; }
trap 'on_error "$LINENO" "$?" "$BASH_COMMAND"' ERR

# --- 1. Debian packages -------------------------------------------------------------------------
is_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]; }

missing_packages=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  is_installed "$package" || missing_packages+=("$package")
done

if [ "${#missing_packages[@]}" -eq 0 ]; then
  log "Debian packages already installed: ${DEBIAN_PACKAGES[*]}"
else
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages ${missing_packages[*]}, and not root: install them and rerun"
    exit 1
  fi
  log "installing Debian packages: ${missing_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing_packages[@]}"
fi
for binary in /usr/bin/chromium /usr/bin/rg; do
  [ -x "$binary" ] || { log "expected $binary after installing Debian packages"; exit 1; }
done

# --- 2. code-server ------------------------------------------------------------------------------
if [ -f "$DONE_MARKER" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in ${CACHE_DIR#"$REPO_ROOT"/}"
  exit 0
fi

started_at=$SECONDS
# A folder without the marker is a broken earlier attempt: start again from nothing.
rm -rf "$CACHE_DIR"
mkdir -p "$CACHE_DIR"
cd "$CACHE_DIR"

log "fetching code-server@$CODE_SERVER_VERSION from the npm registry"
npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null
tar xzf "code-server-$CODE_SERVER_VERSION.tgz"   # -> package/
rm "code-server-$CODE_SERVER_VERSION.tgz"

# --ignore-scripts skips the install steps that download prebuilt binaries (they fail here);
# the native modules are then compiled from source with node-gyp.
log "installing code-server's dependencies (no install scripts)"
cd "$CACHE_DIR/package"
npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error

log "building argon2 from source"
npm rebuild argon2 --build-from-source --loglevel=error
compgen -G "node_modules/argon2/lib/binding/*/argon2.node" >/dev/null || { log "argon2 was not built"; exit 1; }

log "installing VS Code's dependencies (no install scripts)"
cd "$CACHE_DIR/package/lib/vscode"
npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error

log "building native modules: @vscode/spdlog kerberos native-watchdog"
npm rebuild @vscode/spdlog kerberos native-watchdog --loglevel=error

log "building native module: node-pty"
# node-pty's post-install step runs `npx node-gyp ... compile_commands_json`, which fails without a
# prompt answer; it only writes editor metadata, so we check the built binary instead of the status.
node_pty_log="$CACHE_DIR/node-pty-rebuild.log"
npm rebuild node-pty --loglevel=error >"$node_pty_log" 2>&1 || \
  log "node-pty's post-install step failed (harmless if pty.node was built; see ${node_pty_log#"$REPO_ROOT"/})"

for module in node-pty @vscode/spdlog kerberos native-watchdog; do
  if ! compgen -G "node_modules/$module/build/Release/*.node" >/dev/null; then
    log "native module $module was not built"
    [ "$module" = node-pty ] && tail -n 30 "$node_pty_log"
    exit 1
  fi
done

# Debian's ripgrep replaces the binary that @vscode/ripgrep would download from GitHub.
mkdir -p node_modules/@vscode/ripgrep/bin
cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
# VS Code looks for node_modules.asar in built products.
ln -sfn node_modules node_modules.asar

# Keep code-server's default config and logs out of the home folder.
export XDG_CONFIG_HOME="$CACHE_DIR/xdg/config" XDG_DATA_HOME="$CACHE_DIR/xdg/data"
reported_version="$(node "$CACHE_DIR/package/out/node/entry.js" --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true)"
if [ "$reported_version" != "$CODE_SERVER_VERSION" ]; then
  log "code-server reports version '$reported_version', expected $CODE_SERVER_VERSION"
  exit 1
fi
log "code-server reports version $reported_version"

touch "$DONE_MARKER"
log "code-server $CODE_SERVER_VERSION installed in $((SECONDS - started_at)) s"
