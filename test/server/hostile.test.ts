// Tier 3: a hostile document does not hold the server. While a 5 MB stage-dense plan with a
// catastrophic-backtracking test filter is being checked (on a check worker thread), a hover on another
// document, and the hover and outline of a document opened meanwhile, are answered before the hostile
// document's diagnostics arrive; the hostile check still completes. Then fix-all is offered without its edit
// and computed on codeAction/resolve. Only the order of events is asserted; nothing here measures speed.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, DocumentSymbol, Hover, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FULL_CAPABILITIES, LspTestClient, tempWorkspace, type TempWorkspace } from '../helpers/lspClient';
import { stageDensePlan } from '../helpers/hostileDocs';

const OTHER = ['# Plan: Other', '', '**Goal**: `npm test` passes.', '', '## Stage 1: Start', '', '### Changes', '', '- [ ] Edit `src/service.py:2` - Service.start', ''].join('\n');
const SERVICE = 'class Service:\n    def start(self):\n        return 1\n';
/** The hostile plan: 12,000 stages, and a vitest filter that backtracks exponentially on the test's name. */
const HOSTILE = `${stageDensePlan(11_990)}\n## Stage 11991: Names\n\n### Validation\n\n- [ ] \`npx vitest run tests/names.test.ts -t "^(a+)+$"\`\n- [ ] \`npx vitest run tests/names.test.ts -t "^missing$"\`\n`;

describe('a hostile document does not hold the server', () => {
  let workspace: TempWorkspace;
  let client: LspTestClient;

  before(async () => {
    workspace = tempWorkspace({
      '.docplan.json': '{}\n',
      'src/service.py': SERVICE,
      'tests/names.test.ts': `import { it } from 'vitest';\nit('${'a'.repeat(29)}!', () => {});\n`,
    });
    const capabilities = { ...FULL_CAPABILITIES, textDocument: { ...FULL_CAPABILITIES.textDocument, codeAction: { ...FULL_CAPABILITIES.textDocument!.codeAction, resolveSupport: { properties: ['edit'] } } } };
    client = await LspTestClient.start({ folders: [workspace.uri], capabilities });
  });

  after(() => {
    const failures = client.failures();
    client.kill();
    workspace.remove();
    assert.deepEqual(failures, [], 'no handler failed');
  });

  test('another document\'s hover and outline are answered before the hostile one\'s diagnostics', async () => {
    const other = workspace.fileUri('docs/other.md');
    await client.openDocument(other, OTHER);
    await client.waitForVersion(other, 1);
    const hostile = workspace.fileUri('docs/hostile.md');
    let hostilePublished = false;
    const published = client.waitForVersion(hostile, 1, 300_000).then((params) => {
      hostilePublished = true;
      return params;
    });
    await client.openDocument(hostile, HOSTILE);
    // Past the debounce: the hostile check has started. Before linear-time patterns it never ended, and
    // this hover was never answered; with the check on the main thread it waited for the model build.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: other }, position: { line: 8, character: 14 } });
    assert.equal(hostilePublished, false, 'the hover on the checked document was answered before the hostile diagnostics');
    assert.match((hover?.contents as { value: string } | undefined)?.value ?? '', /src\/service\.py/);

    // A document opened while the hostile one is checked: its own check must not queue behind it.
    const late = workspace.fileUri('docs/late.md');
    await client.openDocument(late, OTHER.replace('# Plan: Other', '# Plan: Late'));
    const [lateHover, lateSymbols] = await Promise.all([
      client.request<Hover | null>('textDocument/hover', { textDocument: { uri: late }, position: { line: 8, character: 14 } }),
      client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: late } }),
    ]);
    assert.equal(hostilePublished, false, 'the document opened later was checked and answered before the hostile diagnostics');
    assert.match((lateHover?.contents as { value: string } | undefined)?.value ?? '', /src\/service\.py/);
    assert.ok(JSON.stringify(lateSymbols).includes('Stage 1'), `the outline of the late plan: ${JSON.stringify(lateSymbols).slice(0, 300)}`);

    const params = await published;
    // The hostile check ran to the end: the plain filter that matches nothing is reported, the bomb is not.
    const lines = HOSTILE.split('\n');
    const onLine = (needle: string) => params.diagnostics.filter((d) => d.range.start.line === lines.findIndex((line) => line.includes(needle)) && String(d.code).startsWith('test-'));
    assert.deepEqual(onLine('^(a+)+$'), []);
    // On a busy machine the default 10 s budget may cut part of the check off; then line 1 says what. The
    // missing test is reported unless what was cut holds its rule (rules after it may be cut instead).
    const budgetNote = params.diagnostics.find((d) => d.code === 'check-budget' && d.range.start.line === 0);
    const ruleCut = budgetNote !== undefined && /every rule|workspace lookups|test-not-found/.test(String(budgetNote.message));
    assert.deepEqual(onLine('^missing$').map((d) => d.code), ruleCut ? [] : ['test-not-found'], budgetNote ? String(budgetNote.message) : 'no budget cut');
  });

  test('fix-all on a small document is offered without its edit, and resolves to it', async () => {
    const uri = workspace.fileUri('docs/gap.md');
    const text = stageDensePlan(3).replace('## Stage 3:', '## Stage 5:');
    await client.openDocument(uri, text);
    await client.waitForVersion(uri, 1);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.docplan'] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].edit, undefined);
    const resolved = await client.request<CodeAction>('codeAction/resolve', actions[0]);
    const edits = ((resolved.edit?.documentChanges?.[0] as TextDocumentEdit | undefined)?.edits ?? []) as TextEdit[];
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'markdown', 1, text), edits);
    assert.match(fixed, /^## Stage 3: Step number 3$/m);
    assert.doesNotMatch(fixed, /^## Stage 5:/m);
  });
});
