// Tier 3: the built server stays responsive while it checks a large plan. Checks run on worker threads, so
// requests on other documents (even one opened meanwhile, whose own check must not queue behind the large
// one) are answered before the large plan's diagnostics arrive; a newer edit supersedes the check of an
// older version. Only the order of events is asserted.
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
    assert.ok(answeredBefore.length >= 2, `requests answered before the large plan's diagnostics: ${answeredBefore.length}`);
    assert.ok(Array.isArray(published.diagnostics), 'the large plan was checked in the end');
  });

  test('a document opened while a 512 KB plan is checked gets its hover and outline before the large plan\'s diagnostics', async () => {
    const large = workspace.fileUri('docs/large-first.md');
    let largePublished = false;
    const largeChecked = client.waitForVersion(large, 1, 300_000).then((published) => {
      largePublished = true;
      return published;
    });
    await client.openDocument(large, LARGE);
    // Past the debounce: the large plan's check is under way.
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    const late = workspace.fileUri('docs/late.md');
    await client.openDocument(late, PLAN.replace('Widgets are slow to render.', 'Widgets are slow to render; see `src/cache.ts`.'));
    const [hover, symbols] = await Promise.all([
      client.request<Hover | null>('textDocument/hover', { textDocument: { uri: late }, position: { line: 4, character: 35 } }),
      client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: late } }),
    ]);
    assert.equal(largePublished, false, 'the late document was checked and answered before the large plan\'s diagnostics');
    assert.ok(hover !== null && JSON.stringify(hover.contents).includes('cache.ts'), `a hover on the reference: ${JSON.stringify(hover)}`);
    assert.ok(JSON.stringify(symbols).includes('Stage 1'), `the outline of the late plan: ${JSON.stringify(symbols).slice(0, 300)}`);
    const published = await largeChecked;
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
