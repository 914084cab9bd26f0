// Tier 3: code actions, outline, folding and DocPlan's custom requests from the built server over stdio.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SymbolKind, type CodeAction, type Diagnostic, type DocumentSymbol, type FoldingRange, type TextDocumentEdit } from 'vscode-languageserver-protocol';
import { LspTestClient, tempWorkspace, type TempWorkspace } from '../helpers/lspClient';
import { CONFIG, PHASED, PLAN, PLAN_TITLE_RANGE } from '../helpers/serverFixtures';
import type { DocumentInfo, StagesResult } from '../../server/src/protocol';

/** A plan whose Stage 1 heading says done (✅) while its checklist is unchecked: status-mismatch, fixable. */
const MISMARKED = PLAN.replace('## Stage 1: Cache the widgets', '## Stage 1: Cache the widgets ✅');

function byCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

function names(symbols: DocumentSymbol[] | undefined): string[] {
  return (symbols ?? []).map((symbol) => symbol.name);
}

describe('editor features', () => {
  let workspace: TempWorkspace;
  let client: LspTestClient;

  before(async () => {
    workspace = tempWorkspace({ '.docplan.json': CONFIG });
    client = await LspTestClient.start({ folders: [workspace.uri], initializationOptions: { documentCheckedNotifications: true } });
  });

  after(() => {
    const failures = client.failures();
    client.kill();
    workspace.remove();
    assert.deepEqual(failures, [], 'no handler failed');
  });

  test('a quick fix for missing-goals carries its diagnostic and a versioned edit that removes the problem', async () => {
    const uri = workspace.fileUri('docs/fix.md');
    await client.openDocument(uri, PLAN);
    const published = await client.waitForVersion(uri, 1);
    const [goals] = byCode(published.diagnostics, 'missing-goals');
    assert.ok(goals);

    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: PLAN_TITLE_RANGE,
      context: { diagnostics: [goals], only: ['quickfix'] },
    });
    const insert = actions.find((action) => action.title === 'Insert a Goals section');
    assert.ok(insert, `Insert a Goals section expected; got ${actions.map((action) => action.title).join(' | ')}`);
    assert.equal(insert.kind, 'quickfix');
    assert.deepEqual(insert.diagnostics?.map((diagnostic) => diagnostic.code), ['missing-goals']);
    const change = insert.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
    assert.equal(change?.textDocument.version, 1, 'edit made against the current version');
    assert.ok(actions.some((action) => action.title === 'Disable missing-goals for this line'));
    assert.ok(actions.every((action) => action.kind === 'quickfix'), 'only quick fixes when only=[quickfix]');

    const version = await client.applyWorkspaceEdit(insert.edit!);
    const after = await client.waitForVersion(uri, version);
    assert.deepEqual(byCode(after.diagnostics, 'missing-goals'), [], 'applying the fix removed the diagnostic');
  });

  test('no quick fixes where no finding is', async () => {
    const uri = workspace.fileUri('docs/nofix.md');
    await client.openDocument(uri, PLAN);
    await client.waitForVersion(uri, 1);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 10, character: 0 }, end: { line: 10, character: 5 } },
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(actions, []);
  });

  test('source.fixAll.docplan returns one versioned edit; applied, the fixable problem is gone and fix-all has nothing left', async () => {
    const uri = workspace.fileUri('docs/fixall.md');
    await client.openDocument(uri, MISMARKED);
    const published = await client.waitForVersion(uri, 1);
    assert.ok(byCode(published.diagnostics, 'status-mismatch').length > 0, `status-mismatch expected; got ${published.diagnostics.map((d) => d.code).join(', ')}`);

    const request = { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', request);
    assert.equal(actions.length, 1, `one fix-all action; got ${actions.map((action) => action.title).join(' | ')}`);
    const [fixAll] = actions;
    assert.equal(fixAll.kind, 'source.fixAll.docplan');
    const changes = fixAll.edit?.documentChanges as TextDocumentEdit[] | undefined;
    assert.equal(changes?.length, 1);
    assert.equal(changes![0].textDocument.version, 1);

    const version = await client.applyWorkspaceEdit(fixAll.edit!);
    const fixed = await client.waitForVersion(uri, version);
    assert.deepEqual(byCode(fixed.diagnostics, 'status-mismatch'), []);
    assert.equal(client.document(uri).getText(), PLAN, 'the only change is the removed ✅');

    const again = await client.request<CodeAction[]>('textDocument/codeAction', request);
    assert.deepEqual(again, [], 'fix-all twice changes nothing the second time');
  });

  test('without a kind filter, fix-all is offered on a user request but not to the automatic lightbulb', async () => {
    const uri = workspace.fileUri('docs/unfiltered.md');
    await client.openDocument(uri, MISMARKED);
    await client.waitForVersion(uri, 1);
    const range = { start: { line: 6, character: 0 }, end: { line: 6, character: 32 } };
    const invoked = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], triggerKind: 1 } });
    assert.ok(invoked.some((action) => action.kind === 'quickfix'));
    assert.equal(invoked.filter((action) => action.kind === 'source.fixAll.docplan').length, 1);
    const automatic = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], triggerKind: 2 } });
    assert.ok(automatic.some((action) => action.kind === 'quickfix'));
    assert.deepEqual(automatic.filter((action) => action.kind === 'source.fixAll.docplan'), []);
  });

  test('documentSymbol lists the title, sections and stages with their state', async () => {
    const uri = workspace.fileUri('docs/symbols.md');
    await client.openDocument(uri, PLAN);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(names(symbols), ['Plan: Faster widgets']);
    const [title] = symbols;
    assert.equal(title.kind, SymbolKind.File);
    assert.deepEqual(names(title.children), ['Background', 'Stage 1: Cache the widgets', 'Stage 2: Measure the gain']);
    const [, stage1, stage2] = title.children!;
    assert.equal(stage1.kind, SymbolKind.Event);
    assert.equal(stage1.detail, 'not started');
    assert.equal(stage2.detail, 'done');
    assert.deepEqual(stage1.selectionRange, { start: { line: 6, character: 3 }, end: { line: 6, character: 29 } });
    assert.deepEqual(names(stage1.children), ['Objective', 'Changes', 'Validation']);
  });

  test('documentSymbol nests steps inside their phase', async () => {
    const uri = workspace.fileUri('docs/design.md');
    await client.openDocument(uri, PHASED);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const plan = symbols[0]?.children?.find((symbol) => symbol.name === 'Implementation Plan');
    assert.ok(plan, `Implementation Plan section expected in ${JSON.stringify(names(symbols[0]?.children))}`);
    assert.deepEqual(names(plan.children), ['Phase 1: Cache', 'Phase 2: Measure']);
    assert.deepEqual(names(plan.children![0].children), ['Step 1.1: Add the cache', 'Step 1.2: Use the cache']);
    assert.ok(plan.children![0].children!.every((step) => step.kind === SymbolKind.Event));
  });

  test('foldingRange folds each stage and section from its heading to its last line', async () => {
    const uri = workspace.fileUri('docs/folding.md');
    await client.openDocument(uri, PLAN);
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    const at = (line: number) => ranges.find((range) => range.startLine === line);
    assert.deepEqual(at(6), { startLine: 6, endLine: 22, kind: 'region' }, 'Stage 1');
    assert.deepEqual(at(24), { startLine: 24, endLine: 38, kind: 'region' }, 'Stage 2');
    assert.deepEqual(at(12), { startLine: 12, endLine: 18, kind: 'region' }, 'Stage 1 Changes');
    assert.ok(ranges.every((range) => range.endLine > range.startLine));
  });

  test('docplan/documentInfo describes the document for the status bar', async () => {
    const uri = workspace.fileUri('docs/info.md');
    await client.openDocument(uri, PLAN);
    const info = await client.request<DocumentInfo | null>('docplan/documentInfo', { uri });
    assert.deepEqual(info, { uri, version: 1, kind: 'plan', kindSource: 'content', profile: 'seed-plan', profileTitle: 'plan', stageCount: 2, title: 'Plan: Faster widgets', skipped: null });

    const readme = workspace.fileUri('README.md');
    await client.openDocument(readme, '# Notes\n\nJust notes.\n');
    const plain = await client.request<DocumentInfo | null>('docplan/documentInfo', { uri: readme });
    assert.equal(plain?.kind, null);
    assert.equal(plain?.stageCount, 0);

    assert.equal(await client.request('docplan/documentInfo', { uri: workspace.fileUri('never-opened.md') }), null);
  });

  test('docplan/stages returns the serialisable stage tree', async () => {
    const uri = workspace.fileUri('docs/stages.md');
    await client.openDocument(uri, PLAN);
    const result = await client.request<StagesResult | null>('docplan/stages', { uri });
    assert.ok(result);
    assert.equal(result.kind, 'plan');
    assert.deepEqual(
      result.stages.map((stage) => [stage.label, stage.number, stage.title, stage.state, stage.mark]),
      [
        ['Stage', '1', 'Cache the widgets', 'not-started', null],
        ['Stage', '2', 'Measure the gain', 'done', 'done'],
      ],
    );
    const [stage1, stage2] = result.stages;
    assert.equal(stage1.changes.length, 5);
    assert.deepEqual(stage1.changes[0], { text: 'Add a cache', checked: false, range: stage1.changes[0].range });
    assert.equal(stage1.changes[0].range.start.line, 14);
    assert.deepEqual(stage1.headingRange.start, { line: 6, character: 0 });
    assert.deepEqual(
      stage1.commands.map((command) => [command.text, command.source, command.range.start.line]),
      [['npm test', 'inline-code', 22]],
    );
    assert.deepEqual(
      stage2.commands.map((command) => [command.text, command.source, command.range.start.line]),
      [['npm run bench', 'fence', 37]],
    );
    assert.equal(stage2.validationRange?.start.line, 34);
    assert.deepEqual(stage1.children, []);
  });

  test('docplan/documentChecked follows each check when the client asks for it', async () => {
    const uri = workspace.fileUri('docs/notify.md');
    await client.openDocument(uri, PLAN);
    const params = await client.waitForNotification('docplan/documentChecked', (value) => (value as { uri: string }).uri === uri);
    assert.deepEqual(params, { uri, version: 1, kind: 'plan', stageCount: 2 });
  });
});
