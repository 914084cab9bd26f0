// Tier 3: workspace-wide diagnostics. With docplan.checkWorkspace (default on) the server checks the docs of
// the folder that are not open, in the background with progress; a client that pulls diagnostics gets them
// from workspace/diagnostic and textDocument/diagnostic instead of publications.
import * as assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { ClientCapabilities, Diagnostic, DocumentDiagnosticReport, WorkspaceDiagnosticReport } from 'vscode-languageserver-protocol';
import { FULL_CAPABILITIES, LspTestClient, tempWorkspace, WAIT_MS, type TempWorkspace } from '../helpers/lspClient';
import { CONFIG, PLAN, README } from '../helpers/serverFixtures';

const FILES = {
  '.docplan.json': CONFIG,
  'docs/cache.md': PLAN,
  'docs/render.md': PLAN.replace('# Plan: Faster widgets', '# Plan: Faster rendering'),
  'README.md': README,
  'node_modules/dep/plan.md': PLAN,
};

const WITH_PROGRESS: ClientCapabilities = { ...FULL_CAPABILITIES, window: { workDoneProgress: true } };
const PULL: ClientCapabilities = {
  ...FULL_CAPABILITIES,
  textDocument: { ...FULL_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
  workspace: { ...FULL_CAPABILITIES.workspace, diagnostics: { refreshSupport: true } },
};

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code)).sort();
}

async function poll<T>(ask: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await ask();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

describe('workspace diagnostics', () => {
  let workspace: TempWorkspace | undefined;
  let client: LspTestClient | undefined;

  afterEach(() => {
    const failures = client?.failures() ?? [];
    client?.kill();
    workspace?.remove();
    assert.deepEqual(failures, [], 'no handler failed');
  });

  test('docs that are not open get their diagnostics published, with progress; ordinary Markdown and node_modules stay silent', async () => {
    workspace = tempWorkspace(FILES);
    client = await LspTestClient.start({ folders: [workspace.uri], capabilities: WITH_PROGRESS });
    const cache = await client.waitForDiagnostics(workspace.fileUri('docs/cache.md'));
    const render = await client.waitForDiagnostics(workspace.fileUri('docs/render.md'));
    assert.deepEqual(codes(cache.diagnostics), ['missing-goals', 'missing-section', 'stage-too-large']);
    assert.deepEqual(codes(render.diagnostics), ['missing-goals', 'missing-section', 'stage-too-large']);
    assert.equal(cache.version, undefined, 'a file on disk has no document version');

    const end = (await client.waitForNotification('$/progress', (params) => (params as { value: { kind: string } }).value.kind === 'end')) as { token: unknown };
    const begin = client.notifications.find((entry) => entry.method === '$/progress' && (entry.params as { value: { kind: string } }).value.kind === 'begin');
    assert.ok(begin, 'progress began');
    assert.equal((begin.params as { token: unknown }).token, end.token, 'the same progress ended');
    assert.match((begin.params as { value: { message: string } }).value.message, /Checking 3 Markdown files/);
    assert.equal(client.diagnostics.get(workspace.fileUri('README.md')), undefined, 'nothing published for ordinary Markdown');
    assert.equal(client.diagnostics.get(workspace.fileUri('node_modules/dep/plan.md')), undefined, 'node_modules is not checked');
  });

  test('closing a fixed document reports the file on disk again', async () => {
    workspace = tempWorkspace(FILES);
    client = await LspTestClient.start({ folders: [workspace.uri] });
    const uri = workspace.fileUri('docs/cache.md');
    await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 3);
    await client.openDocument(uri, `**Goal**: Widgets render in under 16 ms.\n\n${PLAN}`);
    const open = await client.waitForVersion(uri, 1);
    assert.deepEqual(codes(open.diagnostics), ['missing-section', 'stage-too-large']);
    await client.closeDocument(uri);
    // The edit was not saved: the file on disk still lacks goals.
    const closed = await client.waitForDiagnostics(uri, (params) => params.version === undefined && params.diagnostics.length === 3);
    assert.deepEqual(codes(closed.diagnostics), ['missing-goals', 'missing-section', 'stage-too-large']);
  });

  test('docplan.checkWorkspace off: only open documents are checked', async () => {
    workspace = tempWorkspace(FILES);
    client = await LspTestClient.start({ folders: [workspace.uri], capabilities: WITH_PROGRESS, settings: () => ({ checkWorkspace: false }) });
    const uri = workspace.fileUri('docs/open.md');
    await client.openDocument(uri, PLAN);
    await client.waitForVersion(uri, 1);
    await new Promise((resolveWait) => setTimeout(resolveWait, 1000));
    assert.deepEqual([...client.diagnostics.keys()], [uri]);
    assert.equal(client.notifications.filter((entry) => entry.method === '$/progress').length, 0, 'no progress');
  });

  test('a pull client gets workspace/diagnostic and textDocument/diagnostic reports, and no publications', async () => {
    workspace = tempWorkspace(FILES);
    client = await LspTestClient.start({ folders: [workspace.uri], capabilities: PULL });
    const cache = workspace.fileUri('docs/cache.md');
    const render = workspace.fileUri('docs/render.md');
    const report = await poll(
      () => client!.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: [] }),
      (value) => value.items.length >= 2,
    );
    const byUri = new Map(report.items.map((item) => [item.uri, item]));
    assert.deepEqual([...byUri.keys()].sort(), [cache, render]);
    const cacheReport = byUri.get(cache)!;
    assert.equal(cacheReport.kind, 'full');
    assert.deepEqual(codes(cacheReport.kind === 'full' ? cacheReport.items : []), ['missing-goals', 'missing-section', 'stage-too-large']);

    // Asked again with the result ids it holds, the client gets nothing new.
    const again = await client.request<WorkspaceDiagnosticReport>('workspace/diagnostic', {
      previousResultIds: report.items.map((item) => ({ uri: item.uri, value: item.resultId! })),
    });
    assert.deepEqual(again.items, []);

    const open = workspace.fileUri('docs/open.md');
    await client.openDocument(open, PLAN);
    const first = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: open } });
    assert.equal(first.kind, 'full');
    assert.deepEqual(codes(first.kind === 'full' ? first.items : []), ['missing-goals', 'missing-section', 'stage-too-large']);
    const unchanged = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: open }, previousResultId: first.resultId });
    assert.equal(unchanged.kind, 'unchanged');
    await client.changeDocument(open, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n**Goal**: Widgets render in under 16 ms.\n' }]);
    const edited = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: open }, previousResultId: first.resultId });
    assert.equal(edited.kind, 'full');
    assert.deepEqual(codes(edited.kind === 'full' ? edited.items : []), ['missing-section', 'stage-too-large']);
    assert.equal(client.diagnostics.size, 0, 'nothing published to a pull client');
  });
});
