#!/usr/bin/env node
// Standalone language server for any LSP client: `docplan-language-server --stdio`.
require('../dist/server.js');
