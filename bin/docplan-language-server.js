#!/usr/bin/env -S node --max-semi-space-size=2
// Standalone language server for any LSP client: `docplan-language-server --stdio`.
require('../dist/server.js');
