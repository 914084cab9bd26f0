// Tier 3: test-file-missing / test-not-found from the built server over stdio, in a copy of the pytest fixture
// project: diagnostics with the stage's severity, quick fixes (replace, and the stub's create + insert
// WorkspaceEdit), completion after `::`, hover on a test id and its document link; re-checked when a test
// file changes on disk.
import * as assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CompletionItem, CreateFile, Diagnostic, DocumentLink, Hover, MarkupContent, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { LspTestClient, tempWorkspace, type TempWorkspace } from '../helpers/lspClient';

const FIXTURES = resolve(__dirname, '..', 'fixtures');
const PLAN = readFileSync(join(FIXTURES, 'testRules', 'python.md'), 'utf8');

function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return line;
}

function mine(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.code === 'test-file-missing' || d.code === 'test-not-found');
}

const SEVERITY: Record<string, number> = { error: 1, warning: 2, info: 3, hint: 4 };

describe('test rules in the language server', () => {
  let workspace: TempWorkspace;
  let client: LspTestClient;

  before(async () => {
    workspace = tempWorkspace({});
    cpSync(join(FIXTURES, 'validation', 'python'), workspace.dir, { recursive: true });
    client = await LspTestClient.start({ folders: [workspace.uri], initializationOptions: { documentCheckedNotifications: true } });
  });

  after(() => {
    const failures = client.failures();
    client.kill();
    workspace.remove();
    assert.deepEqual(failures, [], 'no handler failed');
  });

  test('diagnostics on the unknown names, with the stage-dependent severity', async () => {
    const uri = workspace.fileUri('docs/plan.md');
    await client.openDocument(uri, PLAN);
    const published = await client.waitForVersion(uri, 1);
    const expected: string[] = [];
    PLAN.split('\n').forEach((line, index) => {
      for (const match of line.matchAll(/expect:\s*([a-z-]+)\s*\((\w+)\)/g)) expected.push(`${index} ${match[1]} ${SEVERITY[match[2]]}`);
    });
    assert.deepEqual(mine(published.diagnostics).map((d) => `${d.range.start.line} ${d.code} ${d.severity}`).sort(), expected.sort());
    const subtract = mine(published.diagnostics).find((d) => d.range.start.line === lineOf(PLAN, 'TestCalc::test_subtract'))!;
    assert.equal(PLAN.split('\n')[subtract.range.start.line].slice(subtract.range.start.character, subtract.range.end.character), 'test_subtract');
    assert.ok(subtract.codeDescription?.href.includes('test-not-found'));
  });

  test('quick fixes: replace with the nearest name; create a failing stub in a new file (create + insert)', async () => {
    const uri = workspace.fileUri('docs/fixes.md');
    await client.openDocument(uri, PLAN);
    const published = await client.waitForVersion(uri, 1);
    const subtract = mine(published.diagnostics).find((d) => d.range.start.line === lineOf(PLAN, 'TestCalc::test_subtract'))!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: subtract.range, context: { diagnostics: [subtract], only: ['quickfix'] } });
    const replace = actions.find((action) => action.title === 'Replace `test_subtract` with `test_sub`');
    assert.ok(replace, actions.map((a) => a.title).join(' | '));
    assert.equal(replace.isPreferred, true);
    const stubInClass = actions.find((action) => action.title === 'Create failing test test_subtract in tests/test_calc.py');
    assert.ok(stubInClass);
    const insert = stubInClass.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(URI.parse(insert.textDocument.uri).fsPath, join(workspace.dir, 'tests', 'test_calc.py'));
    assert.equal(insert.textDocument.version, null);
    assert.match((insert.edits[0] as { newText: string }).newText, /def test_subtract\(self\):\n {8}raise NotImplementedError\("not written yet"\)/);

    const version = await client.applyWorkspaceEdit(replace.edit!);
    const after = await client.waitForVersion(uri, version);
    assert.deepEqual(mine(after.diagnostics).filter((d) => d.range.start.line === subtract.range.start.line), []);

    const missing = mine(after.diagnostics).find((d) => d.code === 'test-file-missing' && d.range.start.line === lineOf(PLAN, 'tests/test_calc2.py'))!;
    assert.ok(missing);
    const fileActions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: missing.range, context: { diagnostics: [missing], only: ['quickfix'] } });
    const create = fileActions.find((action) => action.title === 'Create failing test test_add in tests/test_calc2.py');
    assert.ok(create, fileActions.map((a) => a.title).join(' | '));
    const [createFile, fill] = create.edit!.documentChanges! as [CreateFile, TextDocumentEdit];
    assert.equal(createFile.kind, 'create');
    assert.equal(URI.parse(createFile.uri).fsPath, join(workspace.dir, 'tests', 'test_calc2.py'));
    assert.deepEqual(fill.edits[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match((fill.edits[0] as { newText: string }).newText, /^def test_add\(\):\n {4}raise NotImplementedError/);

    // The editor applies it (the file appears on disk) and tells the server: the finding goes.
    workspace.write('tests/test_calc2.py', (fill.edits[0] as { newText: string }).newText);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: createFile.uri, type: 1 }] });
    const settled = await client.waitForDiagnostics(uri, (params) => !mine(params.diagnostics).some((d) => d.range.start.line === missing.range.start.line));
    assert.ok(mine(settled.diagnostics).length > 0, 'the other findings stay');
  });

  test('completion after ::, hover on a test id, and its document link', async () => {
    const uri = workspace.fileUri('docs/nav.md');
    const text = PLAN.replace('- [ ] `make test`', '- [ ] `pytest tests/test_calc.py::TestCalc::`');
    await client.openDocument(uri, text);
    await client.waitForVersion(uri, 1);
    const typedLine = lineOf(text, 'pytest tests/test_calc.py::TestCalc::`');
    const character = text.split('\n')[typedLine].indexOf('::`') + 2;
    const completion = await client.request<CompletionItem[] | { items: CompletionItem[] } | null>('textDocument/completion', { textDocument: { uri }, position: { line: typedLine, character } });
    const items = Array.isArray(completion) ? completion : (completion?.items ?? []);
    assert.deepEqual(items.map((item) => item.label).sort(), ['TestNested', 'test_sub']);

    const nestedLine = lineOf(text, 'TestNested::test_deep`');
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: nestedLine, character: text.split('\n')[nestedLine].indexOf('test_deep') + 1 } });
    assert.match((hover?.contents as MarkupContent).value, /tests\/test_calc\.py:57/);

    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
    const link = links.find((l) => l.range.start.line === nestedLine);
    assert.ok(link?.target, JSON.stringify(links.map((l) => l.range.start.line)));
    assert.equal(URI.parse(link.target).fsPath, join(workspace.dir, 'tests', 'test_calc.py'));
    assert.match(link.target, /#L57,13$/);
  });
});
