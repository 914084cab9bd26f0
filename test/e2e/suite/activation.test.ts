// Activation in a real VS Code: the extension that runs is the installed package (when run.sh installed
// the .vsix), and it records how long activate() took, how long until its language client was ready, and
// when the server's own thread answered initialize. The time is
// written beside the results file; driver.mjs prints it and keeps it for `npm run bench`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActivationTiming } from '../../../client/src/extension';
import { EXTENSION_ID } from './util';

suite('DocPlan activation', () => {
  test('the packaged extension activates and reports how long activate() took and when its language client was ready', async () => {
    const extension = vscode.extensions.getExtension<ActivationTiming>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    if (process.env.DOCPLAN_E2E_VSIX) {
      // Installed by code-server from the .vsix into the run's extensions dir, not the repository.
      assert.match(extension.extensionPath, /[\\/]extensions[\\/]docplan\.docplan-[^\\/]+$/i, extension.extensionPath);
      assert.ok(!fs.existsSync(path.join(extension.extensionPath, 'server', 'src')), 'the package holds no sources');
    }
    const { activationMs, clientReady, serverAnswered } = await extension.activate();
    assert.ok(Number.isFinite(activationMs) && activationMs > 0, `activationMs: ${activationMs}`);
    const clientReadyMs = await clientReady;
    assert.ok(Number.isFinite(clientReadyMs) && clientReadyMs >= activationMs, `clientReadyMs: ${clientReadyMs}`);
    // The client answers its own handshake; the server's thread answers it too, later (workerTransport.ts).
    const serverAnsweredMs = await serverAnswered;
    assert.ok(Number.isFinite(serverAnsweredMs) && serverAnsweredMs >= activationMs, `serverAnsweredMs: ${serverAnsweredMs}`);
    const resultsFile = process.env.DOCPLAN_E2E_RESULTS_FILE;
    if (resultsFile) {
      fs.writeFileSync(`${resultsFile}.activation.json`, JSON.stringify({ activationMs, clientReadyMs, serverAnsweredMs, extensionPath: extension.extensionPath }));
    }
  });
});
