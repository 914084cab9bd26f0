// Tier 3: the built language server over stdio, as a real LSP client sees it. Diagnostics follow opens,
// incremental edits and settings; ordinary Markdown stays silent.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, REPO_ROOT, tempWorkspace, type TempWorkspace } from '../helpers/lspClient';
import { CONFIG, PLAN, PLAN_TITLE_RANGE, README, STAGE_1_HEADING_TEXT_RANGE } from '../helpers/serverFixtures';

function byCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code));
}

describe('diagnostics', () => {
  let workspace: TempWorkspace;
  let client: LspTestClient;
  /** Per-document settings answered to workspace/configuration. */
  const settings = new Map<string, unknown>();

  before(async () => {
    workspace = tempWorkspace({ '.docplan.json': CONFIG, 'docs/plan.md': PLAN, 'README.md': README });
    client = await LspTestClient.start({ folders: [workspace.uri], settings: (scope) => (scope ? settings.get(scope) : undefined) ?? {} });
  });

  after(() => {
    const failures = client.failures();
    client.kill();
    workspace.remove();
    assert.deepEqual(failures, [], 'no handler failed');
  });

  test('opening a plan publishes its problems with codes, ranges, severities and documentation links', async () => {
    const uri = workspace.fileUri('docs/plan.md');
    await client.openDocument(uri, PLAN);
    const published = await client.waitForVersion(uri, 1);

    const [goals] = byCode(published.diagnostics, 'missing-goals');
    assert.ok(goals, `missing-goals expected; got ${codes(published.diagnostics).join(', ')}`);
    assert.deepEqual(goals.range, PLAN_TITLE_RANGE);
    assert.equal(goals.severity, DiagnosticSeverity.Warning);
    assert.equal(goals.source, 'docplan');
    assert.ok(goals.codeDescription, 'codeDescription expected');
    const href = new URL(goals.codeDescription.href);
    assert.equal(href.hash, '#missing-goals');
    assert.equal(fileURLToPath(new URL(href.pathname, 'file:///')), join(REPO_ROOT, 'README.md'));

    // stage-too-large only fires because the folder's .docplan.json lowers maxChanges to 3.
    const [large] = byCode(published.diagnostics, 'stage-too-large');
    assert.ok(large, `stage-too-large expected; got ${codes(published.diagnostics).join(', ')}`);
    assert.deepEqual(large.range, STAGE_1_HEADING_TEXT_RANGE);
    assert.match(String(large.message), /5 change items/);
    assert.ok(large.codeDescription?.href.endsWith('#stage-too-large'));

    const text = client.document(uri);
    for (const diagnostic of published.diagnostics) {
      assert.ok(diagnostic.range.end.line < text.lineCount, `range inside the document: ${JSON.stringify(diagnostic)}`);
    }
  });

  test('an incremental edit that adds a Goal line removes missing-goals and shifts the other ranges', async () => {
    const uri = workspace.fileUri('docs/plan-edit.md');
    await client.openDocument(uri, PLAN);
    await client.waitForVersion(uri, 1);

    const insertAt = { line: 1, character: 0 };
    const version = await client.changeDocument(uri, [{ range: { start: insertAt, end: insertAt }, text: '\n**Goal**: Widgets render in under 16 ms.\n' }]);
    const published = await client.waitForVersion(uri, version);

    assert.deepEqual(byCode(published.diagnostics, 'missing-goals'), []);
    const [large] = byCode(published.diagnostics, 'stage-too-large');
    assert.ok(large, 'stage-too-large still reported');
    assert.deepEqual(large.range, {
      start: { line: STAGE_1_HEADING_TEXT_RANGE.start.line + 2, character: STAGE_1_HEADING_TEXT_RANGE.start.character },
      end: { line: STAGE_1_HEADING_TEXT_RANGE.end.line + 2, character: STAGE_1_HEADING_TEXT_RANGE.end.character },
    });
  });

  test('rapid edits are debounced: publications never go back in version and the last one is for the last edit', async () => {
    const uri = workspace.fileUri('docs/plan-rapid.md');
    await client.openDocument(uri, PLAN);
    await client.waitForVersion(uri, 1);
    let version = 1;
    for (let i = 0; i < 5; i++) {
      const end = client.document(uri).positionAt(client.document(uri).getText().length);
      version = await client.changeDocument(uri, [{ range: { start: end, end }, text: `\nLine ${i}.\n` }]);
    }
    await client.waitForVersion(uri, version);
    const versions = (client.diagnostics.get(uri) ?? []).map((params) => params.version ?? -1);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `versions in order: ${versions.join(', ')}`);
    assert.ok(versions.length < 1 + 5, `edits were debounced, not checked one by one: ${versions.join(', ')}`);
  });

  test('ordinary Markdown (README.md) gets an empty diagnostics list', async () => {
    const uri = workspace.fileUri('README.md');
    await client.openDocument(uri, README);
    const published = await client.waitForVersion(uri, 1);
    assert.deepEqual(published.diagnostics, []);
  });

  test('settings are per resource and win over .docplan.json; a configuration change re-checks open docs', async () => {
    const uri = workspace.fileUri('docs/plan-settings.md');
    await client.openDocument(uri, PLAN);
    const first = await client.waitForVersion(uri, 1);
    assert.equal(byCode(first.diagnostics, 'missing-goals')[0]?.severity, DiagnosticSeverity.Warning);

    settings.set(uri, { rules: { 'missing-goals': 'error', 'stage-too-large': { maxChanges: 10 } } });
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const updated = await client.waitForDiagnostics(uri, (params) => byCode(params.diagnostics, 'missing-goals')[0]?.severity === DiagnosticSeverity.Error);
    assert.deepEqual(byCode(updated.diagnostics, 'stage-too-large'), [], 'the setting raised maxChanges over the file value');

    // Another document in the same folder keeps the folder configuration.
    const other = workspace.fileUri('docs/plan.md');
    const otherLatest = client.diagnostics.get(other)?.at(-1);
    assert.ok(otherLatest && byCode(otherLatest.diagnostics, 'stage-too-large').length === 1);

    settings.set(uri, { enable: false });
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const disabled = await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 0);
    assert.deepEqual(disabled.diagnostics, []);
    settings.delete(uri);
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = workspace.fileUri('docs/plan-close.md');
    await client.openDocument(uri, PLAN);
    const opened = await client.waitForVersion(uri, 1);
    assert.ok(opened.diagnostics.length > 0);
    await client.closeDocument(uri);
    const closed = await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 0);
    assert.deepEqual(closed.diagnostics, []);
  });
});

describe('documentation links', () => {
  test('the docsBaseUrl initialization option replaces the README link base', async () => {
    const workspace = tempWorkspace({ 'plan.md': PLAN });
    const client = await LspTestClient.start({ folders: [workspace.uri], initializationOptions: { docsBaseUrl: 'https://docplan.dev/rules' } });
    try {
      const uri = workspace.fileUri('plan.md');
      await client.openDocument(uri, PLAN);
      const published = await client.waitForVersion(uri, 1);
      const [goals] = byCode(published.diagnostics, 'missing-goals');
      assert.equal(goals?.codeDescription?.href, 'https://docplan.dev/rules#missing-goals');
      assert.deepEqual(client.failures(), [], 'no handler failed');
    } finally {
      client.kill();
      workspace.remove();
    }
  });
});
