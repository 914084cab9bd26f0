// Runs the same real-VS-Code suite (out/e2e/suite/index.js) in desktop VS Code through
// @vscode/test-electron, on machines that can download VS Code (this one cannot: CI uses code-server
// through run.sh). Build first: `npm run build && node test/e2e/build.mjs`, or `npm run test:vscode:electron`.
//
//   DOCPLAN_VSCODE_VERSION        VS Code version to download (default 1.100.3, as code-server 4.100.3)
//   DOCPLAN_E2E_WORKSPACE_TRUST=1 keep Workspace Trust on: runs the Restricted Mode suite instead
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const restricted = process.env.DOCPLAN_E2E_WORKSPACE_TRUST === '1';
// Tests edit and run files in the workspace: give them a fresh copy.
const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'docplan-electron-'));
const workspace = path.join(parent, 'workspace');
fs.cpSync(path.join(repoRoot, 'test', 'e2e', 'workspace'), workspace, { recursive: true });

let exitCode = 0;
try {
  await runTests({
    version: process.env.DOCPLAN_VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'e2e', 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', ...(restricted ? [] : ['--disable-workspace-trust'])],
  });
} catch (error) {
  console.error(`[e2e electron] ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  fs.rmSync(parent, { recursive: true, force: true });
}
process.exit(exitCode);
