// Tier 3: the built server stays responsive while it checks a large plan. Parsing runs on a worker thread,
// so requests on other documents are answered while the large plan is still being checked; a newer edit
// supersedes the check of an older version.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { largePlan } from '../helpers/largePlan';
import { LspTestClient, tempWorkspace, type TempWorkspace } from '../helpers/lspClient';
import { CONFIG, PLAN } from '../helpers/serverFixtures';

const LARGE = largePlan(512 * 1024);

describe('a busy server', () => {
  let workspace: TempWorkspace;
  let client: LspTestClient;

  before(async () => {
    workspace = tempWorkspace({ '.docplan.json': CONFIG, 'src/cache.ts': 'export class Cache {}\n' });
    // The background workspace check is off so that only the documents opened here are checked.
    client = await LspTestClient.start({ folders: [workspace.uri], settings: () => ({ checkWorkspace: false }) });
  });

  after(() => {
    const failures = client.failures();
    client.kill();
    workspace.remove();
    assert.deepEqual(failures, [], 'no handler failed');
  });

  test('requests on another document are answered while a 512 KB plan is checked', async () => {
    const small = workspace.fileUri('docs/small.md');
    const smallText = PLAN.replace('Widgets are slow to render.', 'Widgets are slow to render; see `src/cache.ts`.');
    await client.openDocument(small, smallText);
    await client.waitForVersion(small, 1);

    const large = workspace.fileUri('docs/large.md');
    let largeCheckedAt = 0;
    const largeChecked = client.waitForVersion(large, 1, 120_000).then((published) => {
      largeCheckedAt = performance.now();
      return published;
    });
    await client.openDocument(large, LARGE);

    // Ask about the small document repeatedly until the large plan's diagnostics arrive.
    const answeredBefore: number[] = [];
    let symbols: DocumentSymbol[] = [];
    let hover: Hover | null = null;
    while (largeCheckedAt === 0) {
      const asked = performance.now();
      [hover, symbols] = await Promise.all([
        client.request<Hover | null>('textDocument/hover', { textDocument: { uri: small }, position: { line: 4, character: 35 } }),
        client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: small } }),
      ]);
      if (largeCheckedAt === 0) answeredBefore.push(performance.now() - asked);
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    const published = await largeChecked;

    assert.ok(hover !== null && JSON.stringify(hover.contents).includes('cache.ts'), `a hover on the reference: ${JSON.stringify(hover)}`);
    assert.ok(JSON.stringify(symbols).includes('Stage 1'), `the outline of the small plan: ${JSON.stringify(symbols).slice(0, 300)}`);
    console.log(`answered while checking: ${answeredBefore.length}, longest ${Math.max(...answeredBefore).toFixed(0)} ms`);
    assert.ok(answeredBefore.length >= 2, `requests answered while the large plan was checked: ${answeredBefore.length}`);
    assert.ok(Array.isArray(published.diagnostics), 'the large plan was checked in the end');
  });

  test('an edit made while a large plan is checked supersedes the older version', async () => {
    const uri = workspace.fileUri('docs/large-edited.md');
    await client.openDocument(uri, LARGE);
    const version = await client.changeDocument(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]);
    const published = await client.waitForVersion(uri, version, 120_000);
    assert.equal(published.version, version);
    assert.deepEqual(
      (client.diagnostics.get(uri) ?? []).map((entry) => entry.version),
      [version],
      'nothing was published for the version that was edited away',
    );
  });
});
