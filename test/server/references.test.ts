// Tier 3: reference diagnostics, links, hover and completion from the built server over stdio, against a
// temp git repository whose code moved after the plan was committed.
import * as assert from 'node:assert/strict';
import { git } from '../helpers/git';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, Diagnostic, DocumentLink, Hover } from 'vscode-languageserver-protocol';
import { LspTestClient, tempWorkspace, type TempWorkspace } from '../helpers/lspClient';


const SERVICE_PY = ['class Service:', '    def start(self):', '        return 1', '', '    def stop(self):', '        return 2', ''].join('\n');
const SERVICE_PY_MOVED = ['"""The service."""', 'import os', '', ...SERVICE_PY.split('\n')].join('\n');

const PLAN = [
  '# Plan: Restartable service', // 0
  '',
  '## Background',
  '',
  '**Goal**: The service restarts in under 2 s.', // 4
  '',
  '### Affected Code',
  '',
  '- `src/service.py:2 - Service.start()` - starts it', // 8
  '- `src/service.py:5` - stops it', // 9
  '- `src/gone.py` - the old module', // 10
  '- `src/se', // 11
  '',
  '## Stage 1: Restart',
  '',
  '### Objective',
  '',
  'Restart.',
  '',
  '### Changes',
  '',
  '- [ ] Create `src/restart.py`',
  '',
  '### Validation',
  '',
  '- [ ] `make check`',
  '',
].join('\n');

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics
    .filter((diagnostic) => ['missing-file', 'stale-line', 'line-drift', 'line-out-of-range'].includes(String(diagnostic.code)))
    .map((diagnostic) => `${diagnostic.range.start.line} ${String(diagnostic.code)}`);
}

/** A git repository where the plan was committed, then the code it references moved down and was committed. */
function repositoryWithMovedCode(): TempWorkspace {
  const workspace = tempWorkspace({ 'src/service.py': SERVICE_PY, 'docs/plan.md': PLAN });
  git(workspace.dir, 'init', '-q');
  git(workspace.dir, 'add', '-A');
  git(workspace.dir, 'commit', '-q', '-m', 'plan');
  workspace.write('src/service.py', SERVICE_PY_MOVED);
  git(workspace.dir, 'commit', '-q', '-am', 'move code');
  return workspace;
}

describe('file references over LSP', () => {
  let workspace: TempWorkspace;
  let client: LspTestClient;

  before(async () => {
    workspace = repositoryWithMovedCode();
    client = await LspTestClient.start({ folders: [workspace.uri] });
  });

  after(() => {
    const failures = client.failures();
    client.kill();
    workspace.remove();
    assert.deepEqual(failures, [], 'no handler failed');
  });

  test('stale-line, line-drift and missing-file; then links, hover, completion; then a file change re-checks', async () => {
    const uri = workspace.fileUri('docs/plan.md');
    await client.openDocument(uri, PLAN);
    const published = await client.waitForDiagnostics(uri, (params) => codes(params.diagnostics).length >= 3);
    assert.deepEqual(codes(published.diagnostics), ['8 stale-line', '9 line-drift', '10 missing-file']);
    const stale = published.diagnostics.find((diagnostic) => diagnostic.code === 'stale-line')!;
    assert.equal(String(stale.message), 'Line 2 of src/service.py no longer holds Service.start: it is now at line 5.');
    assert.deepEqual(stale.range, { start: { line: 8, character: 3 }, end: { line: 8, character: 19 } });
    const drift = published.diagnostics.find((diagnostic) => diagnostic.code === 'line-drift')!;
    assert.match(String(drift.message), /has moved from line 5 to 8 of src\/service.py since this doc was last committed/);

    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
    const serviceLinks = links.filter((link) => link.target?.includes('service.py'));
    assert.deepEqual(serviceLinks.map((link) => link.target), [`${workspace.fileUri('src/service.py')}#L2`, `${workspace.fileUri('src/service.py')}#L5`]);

    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 6 } });
    assert.ok(hover);
    assert.match((hover.contents as { value: string }).value, /^\*\*src\/service.py\*\*, from line 5\n\n```python\n {4}def start\(self\):\n/);

    const completion = await client.request<CompletionItem[] | { items: CompletionItem[] } | null>('textDocument/completion', { textDocument: { uri }, position: { line: 11, character: 8 } });
    const items = Array.isArray(completion) ? completion : (completion?.items ?? []);
    assert.deepEqual(items.map((item) => item.label), ['service.py']);

    // The referenced file changes on disk (the methods move back up): diagnostics follow after the event.
    workspace.write('src/service.py', SERVICE_PY);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: workspace.fileUri('src/service.py'), type: 2 }] });
    const after = await client.waitForDiagnostics(uri, (params) => !codes(params.diagnostics).includes('8 stale-line'));
    assert.deepEqual(codes(after.diagnostics).filter((code) => code !== '9 line-drift'), ['10 missing-file']);

    // The missing file appears: its diagnostic goes.
    workspace.write('src/gone.py', 'x = 1\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: workspace.fileUri('src/gone.py'), type: 1 }] });
    const created = await client.waitForDiagnostics(uri, (params) => !codes(params.diagnostics).includes('10 missing-file'));
    assert.deepEqual(codes(created.diagnostics), []);
  });
});

describe('file references over LSP in an untrusted workspace', () => {
  test('git is not run: no line-drift, while the checks that only read files still work', async () => {
    const workspace = repositoryWithMovedCode();
    const client = await LspTestClient.start({ folders: [workspace.uri], initializationOptions: { workspaceTrusted: false } });
    try {
      const uri = workspace.fileUri('docs/plan.md');
      await client.openDocument(uri, PLAN);
      const published = await client.waitForDiagnostics(uri, (params) => codes(params.diagnostics).length >= 2);
      // The same workspace as above, trusted, also reports '9 line-drift'.
      assert.deepEqual(codes(published.diagnostics), ['8 stale-line', '10 missing-file']);
      assert.deepEqual(client.failures(), [], 'no handler failed');
    } finally {
      client.kill();
      workspace.remove();
    }
  });
});
