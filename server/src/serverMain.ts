/**
 * Entry of the DocPlan language server (`dist/server.js`). Inside VS Code it runs as a worker thread of
 * the extension host; standalone, `docplan-language-server --stdio` (see lsp/connection.ts).
 *
 * It answers `initialize` from the client's capabilities alone (lsp/capabilities.ts); the checking core (the
 * parser, the rules, the workspace: `dist/serverCore.js`, server.ts) is a second bundle. Under VS Code it is
 * loaded when the client's `initialized` notification comes, which VS Code's client sends before anything
 * else: the client is ready in the time a bare connection takes to start. Any other client gets the core
 * loaded before its first message, as before, so that nothing it sends can meet a server without handlers.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as languageServer from 'vscode-languageserver/node';
import type { InitializeParams } from 'vscode-languageserver/node';
import { initializeResult } from './lsp/capabilities';
import { openConnection, runsAsWorker } from './lsp/connection';
import type { StartedServer, startServer } from './server';

/**
 * The language server library of this bundle: the core bundle reads it from here (scripts/build.mjs), so
 * that both speak through one copy (its error classes are checked with `instanceof`).
 */
export { languageServer };

/** Under VS Code, if `initialized` never came, the core would still start this long after the answer. */
const START_WITHOUT_INITIALIZED_MS = 1000;

type Core = { startServer: typeof startServer };

const connection = openConnection();
const lazy = runsAsWorker();
let core: Core | null = null;
let server: StartedServer | null = null;
let initializeParams: InitializeParams | null = null;

/** Loads the core bundle (once); on failure, says why and ends, so that the client reports it. */
function loadCore(): Core | null {
  if (core) return core;
  try {
    core = createRequire(__filename)(join(__dirname, 'serverCore.js')) as Core;
  } catch (error) {
    connection.console.error(`DocPlan's language server could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    setTimeout(() => process.exit(1), 100).unref();
  }
  return core;
}

function start(params: InitializeParams): StartedServer | null {
  server ??= loadCore()?.startServer(connection, params) ?? null;
  return server;
}

let initialized = false;
function startInitialized(): void {
  if (initialized || !initializeParams) return;
  const started = start(initializeParams);
  if (!started) return;
  initialized = true;
  started.initialized();
}

connection.onInitialize((params) => {
  initializeParams = params;
  if (lazy) setTimeout(startInitialized, START_WITHOUT_INITIALIZED_MS).unref();
  else start(params);
  return initializeResult(params.capabilities ?? {});
});

connection.onInitialized(startInitialized);

connection.listen();
