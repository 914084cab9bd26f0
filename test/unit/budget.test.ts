/**
 * Bounded work per document: a check that runs past its time budget (`maxDocMs`, CLI `--max-doc-ms`) is
 * cut off between phases and rules, says so once (a log line and one info finding on line 1) in every
 * output format, and keeps what it finished. Stage-dense documents are read as plain text past their first
 * chunk, with the facts remark would give on plan-shaped text. The CLI cases need `npm run build`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkText, checkTextPrepared } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { buildModel } from '../../server/src/model/build';
import { MAX_PARSED_CHUNKS, parseMarkdown } from '../../server/src/model/parse';
import { BUDGET_RULE_ID, checkModel } from '../../server/src/rules/engine';
import type { Rule } from '../../server/src/rules/types';
import type { DocWorkspace } from '../../server/src/workspace/workspace';
import { stageDensePlan } from '../helpers/hostileDocs';

const BIN = resolve(__dirname, '..', '..', 'bin', 'docplan.js');
const config = defaultConfig();
const SMALL_PLAN = stageDensePlan(3);
const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function workspaceWith(plan: string): string {
  const root = mkdtempSync(join(tmpdir(), 'docplan-budget-'));
  roots.push(root);
  writeFileSync(join(root, '.docplan.json'), '{}\n');
  writeFileSync(join(root, 'PLAN.md'), plan);
  return root;
}

function cli(root: string, args: string[], timeout = 30_000) {
  const result = spawnSync(process.execPath, [BIN, 'check', 'PLAN.md', ...args], { cwd: root, encoding: 'utf8', timeout, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(result.error, undefined, `docplan check did not finish: ${String(result.error)}`);
  return result;
}

describe('time budget per document', () => {
  it('a spent budget gives one info finding on line 1 and one log line, and nothing else', () => {
    const checked = checkText(SMALL_PLAN, { config, path: 'PLAN.md', maxDocMs: 0 });
    assert.deepEqual(
      checked.findings.map((f) => [f.ruleId, f.severity, f.range.start.line, f.range.start.character]),
      [[BUDGET_RULE_ID, 'info', 0, 0]],
    );
    assert.match(checked.findings[0].message, /skipped every rule .* 0 ms budget \(--max-doc-ms\)/);
    assert.deepEqual(checked.notes, [checked.findings[0].message]);
    // The same document within the default budget is really checked (missing-file is a workspace rule:
    // without a workspace it is silent, so look for any structure finding instead).
    const generous = checkText(SMALL_PLAN.replace('**Goal**', '**Aim**'), { config, path: 'PLAN.md' });
    assert.ok(generous.findings.some((f) => f.ruleId === 'missing-goals'));
    assert.ok(!generous.findings.some((f) => f.ruleId === BUDGET_RULE_ID));
  });

  it('a rule that runs past the budget keeps its findings; the rules after it are skipped and named', () => {
    const { model, lines } = buildModel(SMALL_PLAN, { path: 'PLAN.md' });
    const slow: Rule = {
      id: 'slow-rule',
      description: 'reports, then takes too long',
      defaultSeverity: 'warning',
      kinds: ['plan'],
      check(_model, context) {
        context.report({ message: 'slow finding', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } } });
        const until = Date.now() + 30;
        while (Date.now() < until) {
          // Busy, as a runaway rule would be.
        }
      },
    };
    const later = (id: string): Rule => ({ ...slow, id, check: (_m, context) => context.report({ message: id, range: lines.lineRange(3) }) });
    const result = checkModel(model, lines, config, null, [slow, later('later-one'), later('later-two')], { deadline: Date.now() + 10, budgetMs: 10 });
    assert.deepEqual(result.findings.map((f) => f.ruleId), [BUDGET_RULE_ID, 'slow-rule']);
    assert.match(result.findings[0].message, /skipped the rules later-one, later-two/);
    assert.equal(result.skipped, 'the rules later-one, later-two');
  });

  it('workspace lookups that do not answer within the budget are skipped; the other rules still run', async () => {
    const never = new Promise<void>(() => {});
    const workspace = { folder: { prepare: () => never }, docAbsPath: '/nowhere/PLAN.md', docRelPath: 'PLAN.md' } as unknown as DocWorkspace;
    const checked = await checkTextPrepared(SMALL_PLAN.replace('**Goal**', '**Aim**'), { config, path: 'PLAN.md', workspace, maxDocMs: 2000 });
    assert.equal(checked.findings[0].ruleId, BUDGET_RULE_ID);
    assert.match(checked.findings[0].message, /skipped the workspace lookups/);
    assert.ok(checked.findings.some((f) => f.ruleId === 'missing-goals'));
    assert.equal(checked.notes.length, 1);
  });

  it('the CLI reports the skip in every format (and keeps it with --quiet)', () => {
    const root = workspaceWith(SMALL_PLAN);
    const message = /skipped every rule/;
    const text = cli(root, ['--max-doc-ms', '0']);
    assert.match(text.stdout, /1:1\s+info\s+DocPlan skipped every rule/);
    assert.match(text.stderr, /note: PLAN\.md: DocPlan skipped every rule/);
    assert.match(cli(root, ['--max-doc-ms', '0', '--quiet']).stdout, message);
    const json = JSON.parse(cli(root, ['--max-doc-ms', '0', '--format', 'json']).stdout) as { diagnostics: { code: string; severity: string; message: string }[] }[];
    assert.deepEqual(json[0].diagnostics.map((d) => [d.code, d.severity]), [[BUDGET_RULE_ID, 'info']]);
    const sarif = JSON.parse(cli(root, ['--max-doc-ms', '0', '--format', 'sarif']).stdout) as { runs: { results: { ruleId: string; level: string; message: { text: string } }[] }[] };
    assert.deepEqual(sarif.runs[0].results.map((r) => [r.ruleId, r.level]), [[BUDGET_RULE_ID, 'note']]);
    assert.match(sarif.runs[0].results[0].message.text, message);
    assert.match(cli(root, ['--max-doc-ms', '0', '--format', 'github']).stdout, /^::notice file=PLAN\.md,line=1.*skipped every rule/m);
    const bad = cli(root, ['--max-doc-ms', 'soon']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--max-doc-ms expects a non-negative integer/);
  });

  it('a 5 MB plan of 12,000 small stages is read whole and checked (generous process timeout)', () => {
    const plan = stageDensePlan(12_000);
    assert.ok(plan.length > 4_900_000 && plan.length < 5 * 1024 * 1024, `${plan.length} bytes`);
    const root = workspaceWith(plan);
    // A budget far above what the check needs, so that the assertion is about reading, not timing.
    const result = cli(root, ['--format', 'json', '--max-doc-ms', '600000'], 600_000);
    const [report] = JSON.parse(result.stdout) as { diagnostics: { code: string; message: string; range: { start: { line: number } } }[] }[];
    assert.ok(!report.diagnostics.some((d) => d.code === BUDGET_RULE_ID));
    // Every stage's `src/app.ts:N` reference was read, the last one included: missing-file for each.
    const lastLine = plan.split('\n').findIndex((line) => line.includes('src/app.ts:12000'));
    assert.ok(report.diagnostics.some((d) => d.code === 'missing-file' && d.range.start.line === lastLine));
    assert.match(result.stderr, /read as plain text \(the rest of a stage-dense document/);
  });
});

describe('the plain-text reader of stage-dense documents', () => {
  it('gives the facts remark gives, chunk by chunk, on a stage-dense plan', () => {
    const plan = stageDensePlan(Math.ceil(MAX_PARSED_CHUNKS / 5) + 10);
    const parsed = parseMarkdown(plan);
    const plainChunks = parsed.chunks.filter((chunk) => chunk.facts.plain);
    assert.equal(plainChunks.length, parsed.chunks.length - 1);
    for (const chunk of plainChunks.slice(0, 200)) {
      const { plain: _plain, simplified: _simplified, ...facts } = chunk.facts;
      assert.deepEqual(facts, parseMarkdown(chunk.text).chunks[0].facts, chunk.text);
    }
  });

  it('re-reading with `previous` equals reading from scratch, plain part included', () => {
    const plan = stageDensePlan(Math.ceil(MAX_PARSED_CHUNKS / 5) + 10);
    const edited = plan.replace('## Stage 7: Step number 7', '## Stage 7: Step seven');
    const reused = buildModel(edited, { previous: buildModel(plan).parsed });
    assert.deepEqual(reused.model, buildModel(edited).model);
    assert.equal(reused.model.notes.filter((note) => note.includes('stage-dense')).length, 1);
  });
});
