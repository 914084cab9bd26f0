#!/usr/bin/env bash
# `npm run test:nvim`: the language server under Neovim (Debian's neovim, headless). Expects `npm run build`
# to have produced dist/. See lsp.lua for what is checked.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
command -v nvim >/dev/null || { echo "[nvim] nvim not found: run scripts/system-deps.sh" >&2; exit 1; }
[ -f dist/server.js ] || { echo "[nvim] dist/server.js missing: run npm run build" >&2; exit 1; }
workspace="$(mktemp -d "${TMPDIR:-/tmp}/docplan-nvim-XXXXXX")"
trap 'rm -rf "$workspace"' EXIT
node --import tsx test/nvim/fixtures.ts "$workspace"
echo "[nvim] $(nvim --version | head -n1)"
DOCPLAN_NVIM_WORKSPACE="$workspace" DOCPLAN_SERVER="$PWD/bin/docplan-language-server.js" \
  timeout 300 nvim --headless -u NONE -i NONE -n -c "luafile test/nvim/lsp.lua"
