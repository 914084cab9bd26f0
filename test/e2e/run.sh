#!/usr/bin/env bash
# `npm run test:vscode`: the real-VS-Code tier. Expects `npm run build` to have produced dist/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash test/e2e/setup.sh
node test/e2e/build.mjs
node test/e2e/driver.mjs "$@"
