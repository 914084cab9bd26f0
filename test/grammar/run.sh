#!/usr/bin/env bash
# Grammar tests of the DocPlan injection, against the Markdown grammar of the real VS Code that the e2e
# tier installs (code-server's copy of VS Code's markdown-basics extension), so no grammar is vendored here.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/e2e/setup.sh >/dev/null
host=.vscode-test/code-server-4.100.3/package/lib/vscode/extensions/markdown-basics/syntaxes/markdown.tmLanguage.json
[ -f "$host" ] || { echo "grammar tests: VS Code's Markdown grammar not found at $host" >&2; exit 1; }
injection=syntaxes/docplan.injection.tmLanguage.json
# The host grammar embeds dozens of languages we do not load; their "grammar not found" lines are noise.
quiet() { grep -v '^grammar not found for' || true; }
npx vscode-tmgrammar-test -c -g "$injection" -g "$host" "test/grammar/*.test.md" 2>&1 | quiet
npx vscode-tmgrammar-snap -s text.html.markdown -g "$injection" -g "$host" "test/grammar/snap/*.md" 2>&1 | quiet
