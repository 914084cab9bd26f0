#!/usr/bin/env bash
# `npm run test:vscode`: the real-VS-Code tier. Expects `npm run build` to have produced dist/.
# Two runs of the driver: a trusted workspace (every suite but restricted*.test.ts), then Workspace
# Trust on with the folder untrusted (Restricted Mode: restricted*.test.ts). Arguments go to both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash test/e2e/setup.sh
node test/e2e/build.mjs

status=0
echo "[e2e] run 1 of 2: trusted workspace"
node test/e2e/driver.mjs "$@" || status=1
echo "[e2e] run 2 of 2: Restricted Mode (Workspace Trust on, folder not trusted)"
DOCPLAN_E2E_WORKSPACE_TRUST=1 node test/e2e/driver.mjs "$@" || status=1
exit "$status"
