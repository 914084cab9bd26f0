#!/usr/bin/env bash
# `npm run test:vscode`: the real-VS-Code tier, against the packaged extension (docplan.vsix, built by
# `npm run package` when missing or stale) installed into code-server.
# Two runs of the driver: a trusted workspace (every suite but restricted*.test.ts), then Workspace
# Trust on with the folder untrusted (Restricted Mode: restricted*.test.ts). Arguments go to both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash test/e2e/setup.sh
node test/e2e/build.mjs

# The suite runs against the packaged extension: build the .vsix when it is missing or older than the
# build or the manifest, and keep its size in view (budget: under 2 MB).
vsix="$PWD/docplan.vsix"
if [ ! -f "$vsix" ] || [ -n "$(find dist package.json .vscodeignore -newer "$vsix" -print -quit)" ]; then
  npm run package
fi
size=$(stat -c %s "$vsix")
echo "[e2e] package docplan.vsix: $size bytes ($(awk "BEGIN { printf \"%.2f\", $size / 1048576 }") MB; budget under 2 MB)"
export DOCPLAN_E2E_VSIX="$vsix"

status=0
echo "[e2e] run 1 of 2: trusted workspace"
node test/e2e/driver.mjs "$@" || status=1
echo "[e2e] run 2 of 2: Restricted Mode (Workspace Trust on, folder not trusted)"
DOCPLAN_E2E_WORKSPACE_TRUST=1 node test/e2e/driver.mjs "$@" || status=1
exit "$status"
