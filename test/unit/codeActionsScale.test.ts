/**
 * Code actions cost what the requested range holds: on a 5,000-stage document a request for one stage gets
 * that stage's quick fixes and a fix-all placeholder (its edit comes on `codeAction/resolve`), a reply a
 * small fraction of the whole-document one. Sizes and counts are asserted, never times.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { checkText, type CheckOptions } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { codeActions, fixAllData, resolveFixAll } from '../../server/src/features/codeActions';
import { fixAllText } from '../../server/src/features/fixAll';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { stageDensePlan } from '../helpers/hostileDocs';

// A budget far above the need: this is about code actions, not the time budget, on a possibly busy machine.
const options: CheckOptions = { config: defaultConfig(), path: 'PLAN.md', maxDocMs: 600_000 };
const URI = 'file:///w/PLAN.md';

/** A plan whose every stage has a finding with fixes (placeholder text) and whose numbering has a gap. */
function planWithFindings(stages: number): string {
  return stageDensePlan(stages)
    .replace(/Make step (\d+) work/g, 'Make step $1 work TBD')
    .replace(`## Stage ${stages}: Step number ${stages}`, `## Stage ${stages + 1}: Step number ${stages}`);
}

function request(text: string, checked: ReturnType<typeof checkText>, range: { start: { line: number; character: number }; end: { line: number; character: number } }) {
  return { uri: URI, version: 7, text, checked, options, range, docsBase: null, documentChanges: true, resolveEdit: true };
}

describe('code actions on huge documents', () => {
  it('a one-stage request on a 5,000-stage document: the stage\'s quick fixes and a fix-all to resolve', () => {
    const text = planWithFindings(5000);
    const checked = checkText(text, options);
    const lines = text.split('\n');
    const stageLine = lines.findIndex((line) => line.startsWith('## Stage 2500:'));
    const oneStage = codeActions(request(text, checked, { start: { line: stageLine, character: 0 }, end: { line: stageLine + 19, character: 0 } }));
    const whole = codeActions(request(text, checked, { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } }));
    const quick = oneStage.filter((action) => action.kind === 'quickfix');
    // TBD on line stageLine + 4: "replace"-free rule, so its fixes are the two disable ones.
    assert.deepEqual(quick.map((action) => action.title).sort(), ['Disable placeholder-text for this file', 'Disable placeholder-text for this line']);
    const fixAll = oneStage.find((action) => action.kind === 'source.fixAll.docplan');
    assert.ok(fixAll, 'fix-all offered');
    assert.equal(fixAll.edit, undefined, 'fix-all is not computed before it is resolved');
    assert.deepEqual(fixAllData(fixAll), { uri: URI, version: 7 });
    // The whole-document reply holds every stage's fixes; the one-stage reply is a sliver of it.
    assert.ok(whole.length > 5000, `${whole.length} actions for the whole document`);
    const size = (actions: CodeAction[]) => JSON.stringify(actions).length;
    assert.ok(size(oneStage) * 500 < size(whole), `${size(oneStage)} vs ${size(whole)} bytes`);
    assert.ok(size(oneStage) < 4000, `${size(oneStage)} bytes`);
  });

  it('resolving fix-all gives the edit fix-all would have given; a stale one comes back disabled', () => {
    const text = planWithFindings(4);
    const checked = checkText(text, options);
    const offered = codeActions(request(text, checked, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } })).find((action) => action.kind === 'source.fixAll.docplan');
    assert.ok(offered);
    const resolved = resolveFixAll(offered, { uri: URI, version: 7, text, checked, options, documentChanges: true });
    const change = resolved.edit?.documentChanges?.[0] as { edits: TextEdit[] } | undefined;
    assert.ok(change && change.edits.length === 1);
    const applied = TextDocument.applyEdits(TextDocument.create(URI, 'markdown', 7, text), change.edits);
    assert.equal(applied, fixAllText(text, options).text);
    assert.notEqual(applied, text);
    const stale = resolveFixAll(offered, { uri: URI, version: 8, text, checked, options, documentChanges: true });
    assert.equal(stale.edit, undefined);
    assert.match(stale.disabled?.reason ?? '', /changed/);
  });

  it('a malformed request (found by fuzzing: `only` not a list) gets what it can, never an exception', () => {
    const text = planWithFindings(4);
    const checked = checkText(text, options);
    const base = request(text, checked, { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } });
    const odd = codeActions({ ...base, only: 'quickfix' as unknown as string[], diagnostics: { length: 2 } as unknown as [] });
    assert.deepEqual(odd, codeActions(base));
    assert.deepEqual(codeActions({ ...base, range: { start: null, end: 3 } as unknown as typeof base.range }), []);
  });

  it('without resolve support, fix-all comes with its edit as before', () => {
    const text = planWithFindings(4);
    const checked = checkText(text, options);
    const actions = codeActions({ ...request(text, checked, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }), resolveEdit: false });
    assert.ok(actions.find((action) => action.kind === 'source.fixAll.docplan')?.edit);
  });
});
