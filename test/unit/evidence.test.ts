/**
 * `.docplan/results.json`: format, schema, stable order, a corrupt file set aside and reported once, what
 * `docplan run` records (`--no-record`, `--tick` and its evidence line), `"requireValidation": true`, and
 * `docplan status` / `next` / `sync` on a seed plan, an agent task plan and a spec-driven task list.
 */
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, type CliIo } from '../../server/src/cli/main';
import { checkTextPrepared } from '../../server/src/check';
import { defaultConfig, mergeConfig } from '../../server/src/config/config';
import { parseResults, readResults, recordResults, resultsPath, serializeResults, type ResultEntry } from '../../server/src/evidence/results';
import { FolderWorkspace } from '../../server/src/workspace/workspace';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docplan-evidence-'));
  dirs.push(dir);
  return dir;
}

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { cwd, env: {}, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function entry(doc: string, stage: string, command: string, outcome: ResultEntry['outcome'] = 'passed'): ResultEntry {
  return { doc, stage, command, occurrence: 0, outcome, exitCode: outcome === 'passed' ? 0 : 1, expected: null, commit: null, finishedAt: '2026-02-01T09:00:00.000Z', durationMs: 12.4 };
}

const PLAN = [
  '# Plan: Tidy logs',
  '',
  '## Background',
  '',
  '**Goal**: Logs fit one screen.',
  '',
  '## Stage 1: Trim ✅',
  '',
  '### Objective',
  '',
  'Trim.',
  '',
  '### Changes',
  '',
  '- [x] Shorten the messages',
  '',
  '### Validation',
  '',
  '- [ ] `sh ok.sh`',
  '- [ ] `sh ok.sh --quiet`',
  '',
  '## Stage 2: Colour',
  '',
  '### Objective',
  '',
  'Colour.',
  '',
  '### Changes',
  '',
  '- [ ] Colour the levels',
  '',
  '### Validation',
  '',
  '- [ ] `sh fail.sh`',
  '',
].join('\n');

function planFolder(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'plan.md'), PLAN);
  writeFileSync(join(dir, 'ok.sh'), 'exit 0\n');
  writeFileSync(join(dir, 'fail.sh'), 'exit 4\n');
  writeFileSync(join(dir, '.docplan.json'), '{}\n');
  return dir;
}

describe('.docplan/results.json', () => {
  it('is written in a stable order (doc, stage by number, command) and matches its schema', () => {
    const text = serializeResults([entry('b.md', '1', 'x'), entry('a.md', '10', 'y'), entry('a.md', '2', 'z'), entry('a.md', '2', 'a')]);
    const parsed = parseResults(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.file.results.map((e) => `${e.doc} ${e.stage} ${e.command}`), ['a.md 2 a', 'a.md 2 z', 'a.md 10 y', 'b.md 1 x']);
    assert.equal(parsed.file.results[0].durationMs, 12, 'durations are whole milliseconds');
    assert.equal(serializeResults(parsed.file.results), text, 'writing what was read gives the same bytes');
  });

  it('property: any set of results, in any order, is written to the same bytes, which read back to the same results', () => {
    const entryArb = fc.record({
      doc: fc.constantFrom('a.md', 'docs/b.md', 'plans/c d.md'),
      stage: fc.constantFrom('1', '2', '10', '1.5', '0'),
      command: fc.string({ minLength: 1, maxLength: 12 }).filter((text) => text.trim() === text && text.length > 0),
      occurrence: fc.nat(3),
      outcome: fc.constantFrom('passed', 'failed', 'timed-out', 'error'),
      exitCode: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }),
      expected: fc.option(fc.constantFrom('PASSED', 'FAIL'), { nil: null }),
      commit: fc.option(fc.stringMatching(/^[0-9a-f]{40}$/), { nil: null }),
      finishedAt: fc.integer({ min: 0, max: 4102444800000 }).map((ms) => new Date(ms).toISOString()),
      durationMs: fc.nat(100000),
    }) as fc.Arbitrary<ResultEntry>;
    const unique = fc.uniqueArray(entryArb, { selector: (e) => JSON.stringify([e.doc, e.stage, e.command, e.occurrence]), maxLength: 8 });
    fc.assert(
      fc.property(unique, fc.integer(), (entries, seed) => {
        const shuffled = [...entries].sort((a, b) => ((JSON.stringify(a).length * 31 + seed) % 7) - ((JSON.stringify(b).length * 31 + seed) % 7));
        const text = serializeResults(entries);
        assert.equal(serializeResults(shuffled), text);
        const parsed = parseResults(text);
        assert.ok(parsed.ok, !parsed.ok ? parsed.reason : '');
        assert.equal(serializeResults(parsed.file.results), text);
      }),
    );
  });

  it('rejects a file that does not match the schema, saying where', () => {
    const result = parseResults(JSON.stringify({ version: 1, results: [{ doc: 'a.md' }] }));
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /does not match its schema \(\/results\/0 /);
  });

  it('a corrupt file is reported once, set aside, and the next run is recorded in a fresh file', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.docplan'));
    writeFileSync(resultsPath(dir), '{ "version": 1, "results": [');
    const written = recordResults(dir, [entry('plan.md', '1', 'make test')]);
    assert.match(written.problem ?? '', /is not valid JSON .*set aside as .*results\.json\.corrupt-/);
    assert.equal(readdirSync(join(dir, '.docplan')).filter((name) => name.includes('.corrupt-')).length, 1, 'the corrupt file is kept aside');
    const again = readResults(dir, { setAside: true });
    assert.equal(again.problem, null, 'reported once');
    assert.deepEqual(again.file.results.map((e) => e.command), ['make test'], 'the run was not lost');
  });

  it('docplan run records with --tick writing the evidence line once; --no-record writes nothing', async () => {
    const dir = planFolder();
    const skipped = await cli(['run', 'plan.md', '--stage', '1', '--no-record', '--log-dir', join(dir, '.logs')], dir);
    assert.equal(skipped.code, 0);
    assert.equal(existsSync(resultsPath(dir)), false);

    const ticked = await cli(['run', 'plan.md', '--tick', '--log-dir', join(dir, '.logs')], dir);
    assert.equal(ticked.code, 1, 'stage 2 fails');
    assert.match(ticked.stderr, /ticked Stage 1 in plan\.md \(2 of 2 passed\)/);
    const lines = readFileSync(join(dir, 'plan.md'), 'utf8').split('\n');
    assert.deepEqual(lines.slice(18, 22), ['- [x] `sh ok.sh`', '- [x] `sh ok.sh --quiet`', '', `validated at an uncommitted tree on ${new Date().toISOString().slice(0, 10)}: 2 of 2 passed`]);
    assert.ok(lines.includes('- [ ] `sh fail.sh`'), 'a failed stage is not ticked');
    const recorded = readResults(dir, { setAside: false }).file.results;
    assert.deepEqual(recorded.map((e) => `${e.stage} ${e.command} ${e.outcome} ${e.exitCode}`), ['1 sh ok.sh passed 0', '1 sh ok.sh --quiet passed 0', '2 sh fail.sh failed 4']);

    await cli(['run', 'plan.md', '--stage', '1', '--tick', '--log-dir', join(dir, '.logs')], dir);
    const text = readFileSync(join(dir, 'plan.md'), 'utf8');
    assert.equal(text.match(/validated at /g)?.length, 1, 'a second run refreshes the line instead of adding one');
  });

  it('a done stage never validated is an info only with "requireValidation": true; a failed one is an error', async () => {
    const dir = planFolder();
    const workspace = new FolderWorkspace(dir, { validate: 'stat', git: false });
    const check = async (requireValidation: boolean) => {
      const config = mergeConfig(defaultConfig(), { requireValidation });
      const checked = await checkTextPrepared(PLAN, { config, path: 'plan.md', workspace: workspace.view(join(dir, 'plan.md')) });
      return checked.findings.filter((f) => f.ruleId === 'validation-evidence').map((f) => `${f.range.start.line} ${f.severity}`);
    };
    assert.deepEqual(await check(false), []);
    assert.deepEqual(await check(true), ['6 info']);
    recordResults(dir, [entry('plan.md', '1', 'sh ok.sh', 'failed')]);
    assert.deepEqual(await check(false), ['6 error']);
  });
});

const FIXTURES = fileURLToPath(new URL('../fixtures/done/', import.meta.url));

interface PlanJson {
  stages: { done: number; inProgress: number; notStarted: number; total: number };
  items: { checked: number; total: number };
  next: { number: string } | null;
  perStage: { label: string; number: string; state: string; checked: number; items: number; validation: { status: string } }[];
}

interface NextJson {
  stage: { label: string; number: string; line: number };
  openItems: { id: string | null; text: string; line: number; files: string[] }[];
  files: string[];
  commands: { text: string; line: number }[];
}
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

describe('docplan status, next and sync on the families', () => {
  it('a seed plan: per-stage standing, the next actionable stage, and nothing to sync', async () => {
    const dir = tempDir();
    cpSync(EXAMPLES, dir, { recursive: true });
    const status = await cli(['status', 'docs/plans/forecast-cache-plan.md', '--json'], dir);
    assert.equal(status.code, 0);
    const [plan] = (JSON.parse(status.stdout) as { plans: { stages: unknown; items: unknown; next: { number: string } | null; perStage: { number: string; state: string; blockedBy: string[] }[] }[] }).plans;
    assert.deepEqual(plan.stages, { done: 2, inProgress: 0, notStarted: 1, total: 3 });
    assert.deepEqual(plan.items, { checked: 4, total: 19 });
    assert.deepEqual(plan.perStage.map((s) => `${s.number} ${s.state} ${s.blockedBy.join(',')}`), ['1 done ', '2 not-started ', '4 done 2']);
    assert.equal(plan.next?.number, '2');

    const next = await cli(['next', 'docs/plans/forecast-cache-plan.md', '--json'], dir);
    const work = JSON.parse(next.stdout) as { next: { stage: { number: string; line: number }; openItems: { text: string; line: number }[] } };
    assert.equal(work.next.stage.number, '2');
    assert.equal(work.next.stage.line, 28);
    assert.deepEqual(work.next.openItems.map((item) => item.line), [36, 37, 38]);

    const text = await cli(['status', 'docs/plans/forecast-cache-plan.md'], dir);
    assert.match(text.stdout, /^docs\/plans\/forecast-cache-plan\.md: 2 of 3 stages done, 0 in progress, 1 not started; 4 of 19 items ticked\n/);
    assert.match(text.stdout, /next: Stage 2: Wire the Cache Into the Service \(line 28\)/);
    const sync = await cli(['sync', 'docs/plans/forecast-cache-plan.md'], dir);
    assert.deepEqual([sync.code, sync.stdout], [0, 'Every checkbox agrees with the work.\n']);
  });

  // The fixtures are copied out of this repository: its git history must not decide what they say.
  it('a spec-driven task list: each phase owns its T-items; T005 claims a file never created, T003 is done but unticked', async () => {
    const dir = tempDir();
    cpSync(FIXTURES, dir, { recursive: true });
    const doc = 'specs/001-export/tasks.md';
    const status = await cli(['status', doc, '--json'], dir);
    assert.equal(status.code, 0);
    const [plan] = (JSON.parse(status.stdout) as { plans: PlanJson[] }).plans;
    // Phase 1: T001 and T002 ticked. Phase 2: T005 ticked, T003 and T004 open. The labelled
    // `**Independent Test**:` line does not take the tasks below it as its own.
    assert.deepEqual(plan.stages, { done: 1, inProgress: 1, notStarted: 0, total: 2 });
    assert.deepEqual(plan.items, { checked: 3, total: 5 });
    assert.deepEqual(plan.perStage.map((s) => `${s.label} ${s.number} ${s.state} ${s.checked}/${s.items} ${s.validation.status}`), ['Phase 1 done 2/2 none', 'Phase 2 in-progress 1/3 never']);
    assert.equal(plan.next?.number, '2');

    const next = await cli(['next', doc, '--json'], dir);
    const work = (JSON.parse(next.stdout) as { next: NextJson }).next;
    assert.deepEqual([work.stage.label, work.stage.number, work.stage.line], ['Phase', '2', 8]);
    assert.deepEqual(work.openItems.map((item) => [item.id, item.line, item.files]), [
      ['T003', 12, ['src/models/invoice_csv.py']],
      ['T004', 13, ['src/cli_export.py']],
    ]);
    assert.deepEqual(work.files, ['src/cli_export.py', 'src/models/invoice_csv.py']);
    assert.deepEqual(work.commands.map((command) => [command.text, command.line]), [['python3 -m pytest tests/test_invoice_csv.py', 10]]);

    // T005 creates src/models/invoice_pdf.py, which does not exist; T003 adds write_header(), which
    // src/models/invoice_csv.py defines. T002's file exists (honest); T004's does not (honest, open).
    const before = readFileSync(join(dir, doc), 'utf8');
    const dry = await cli(['sync', doc, '--json'], dir);
    assert.equal(dry.code, 1);
    const changes = (JSON.parse(dry.stdout) as { changes: { line: number; action: string; rule: string }[] }).changes;
    assert.deepEqual(changes.map((change) => `${change.line} ${change.action} ${change.rule}`), ['12 tick done-not-ticked', '14 untick completion-not-in-code']);
    assert.equal(readFileSync(join(dir, doc), 'utf8'), before);
    assert.equal((await cli(['sync', doc, '--write'], dir)).code, 0);
    const after = readFileSync(join(dir, doc), 'utf8').split('\n');
    assert.equal(after[11], '- [x] T003 [US1] Add `write_header()` to `src/models/invoice_csv.py`');
    assert.equal(after[13], '- [ ] T005 [US1] Create `src/models/invoice_pdf.py`');
    assert.deepEqual((await cli(['sync', doc], dir)).stdout, 'Every checkbox agrees with the work.\n');
  });

  it('an agent task plan: each `### Task N` is a stage of `**Step N**` checkboxes, with its Files list and Run: lines', async () => {
    const dir = tempDir();
    cpSync(FIXTURES, dir, { recursive: true });
    const doc = 'docs/plans/2026-03-02-invoice-export.md';
    const status = await cli(['status', doc, '--json'], dir);
    assert.equal(status.code, 0);
    const [plan] = (JSON.parse(status.stdout) as { plans: PlanJson[] }).plans;
    // Task 1: steps 1 and 2 of 4 ticked; Task 2: its one step open. The Files list has no boxes.
    assert.deepEqual(plan.stages, { done: 0, inProgress: 1, notStarted: 1, total: 2 });
    assert.deepEqual(plan.items, { checked: 2, total: 5 });
    assert.deepEqual(plan.perStage.map((s) => `${s.label} ${s.number} ${s.state} ${s.checked}/${s.items} ${s.validation.status}`), ['Task 1 in-progress 2/4 never', 'Task 2 not-started 0/1 none']);
    assert.equal(plan.next?.number, '1');

    const next = await cli(['next', doc, '--json'], dir);
    const work = (JSON.parse(next.stdout) as { next: NextJson }).next;
    assert.deepEqual([work.stage.label, work.stage.number, work.stage.line], ['Task', '1', 9]);
    assert.deepEqual(work.openItems.map((item) => [item.id, item.line, item.text]), [
      [null, 24, 'Step 3: Write the writer'],
      [null, 26, 'Step 4: Commit'],
    ]);
    assert.deepEqual(work.files, ['src/models/invoice_csv.py', 'tests/test_invoice_csv.py']);
    assert.deepEqual(work.commands.map((command) => [command.text, command.line]), [['python3 -m pytest tests/test_invoice_csv.py -v', 21]]);

    // No step's own words make a checkable claim: nothing is ticked or unticked on a guess.
    const sync = await cli(['sync', doc], dir);
    assert.deepEqual([sync.code, sync.stdout], [0, 'Every checkbox agrees with the work.\n']);
  });

  it('a requirements/tasks triple: each top-level numbered task is a stage of its own box and its sub-tasks; optional tasks do not count', async () => {
    const dir = tempDir();
    cpSync(FIXTURES, dir, { recursive: true });
    const doc = '.kiro/specs/invoice-export/tasks.md';
    const status = await cli(['status', doc, '--json'], dir);
    assert.equal(status.code, 0);
    const [plan] = (JSON.parse(status.stdout) as { plans: PlanJson[] }).plans;
    // Task 1 and its two sub-tasks ticked; Task 2 and its two sub-tasks open; `- [ ]* 2.3` is optional.
    assert.deepEqual(plan.stages, { done: 1, inProgress: 0, notStarted: 1, total: 2 });
    assert.deepEqual(plan.items, { checked: 3, total: 6 });
    assert.deepEqual(plan.perStage.map((s) => `${s.label} ${s.number} ${s.state} ${s.checked}/${s.items}`), ['Task 1 done 3/3', 'Task 2 not-started 0/3']);
    assert.equal(plan.next?.number, '2');

    const next = await cli(['next', doc, '--json'], dir);
    const work = (JSON.parse(next.stdout) as { next: NextJson }).next;
    assert.deepEqual([work.stage.label, work.stage.number, work.stage.line], ['Task', '2', 9]);
    assert.deepEqual(work.openItems.map((item) => [item.line, item.files]), [
      [9, []],
      [10, ['tests/test_invoice_csv.py']],
      [12, ['src/cli_export.py']],
    ]);

    // 1.2 creates src/models/invoice_pdf.py, which does not exist; 2.1 creates a test file that does.
    const dry = await cli(['sync', doc, '--json'], dir);
    assert.equal(dry.code, 1);
    const changes = (JSON.parse(dry.stdout) as { changes: { line: number; action: string; rule: string }[] }).changes;
    assert.deepEqual(changes.map((change) => `${change.line} ${change.action} ${change.rule}`), ['6 untick completion-not-in-code', '10 tick done-not-ticked']);
    assert.equal((await cli(['sync', doc, '--write'], dir)).code, 0);
    const after = readFileSync(join(dir, doc), 'utf8').split('\n');
    assert.equal(after[5], '  - [ ] 1.2 Create `src/models/invoice_pdf.py`');
    assert.equal(after[9], '  - [x] 2.1 Create `tests/test_invoice_csv.py`');
    assert.deepEqual((await cli(['sync', doc], dir)).stdout, 'Every checkbox agrees with the work.\n');
  });

  it('an editor plan file: each YAML todo is a stage whose status is its box; a cancelled todo is not work', async () => {
    const dir = tempDir();
    cpSync(FIXTURES, dir, { recursive: true });
    const doc = '.cursor/plans/invoice-export.plan.md';
    const status = await cli(['status', doc, '--json'], dir);
    assert.equal(status.code, 0);
    const [plan] = (JSON.parse(status.stdout) as { plans: PlanJson[] }).plans;
    assert.deepEqual(plan.stages, { done: 1, inProgress: 1, notStarted: 1, total: 3 });
    assert.deepEqual(plan.items, { checked: 1, total: 3 });
    assert.deepEqual(plan.perStage.map((s) => `${s.label} ${s.number} ${s.state} ${s.checked}/${s.items}`), ['Todo 1 not-started 0/1', 'Todo 2 done 1/1', 'Todo 3 in-progress 0/1']);
    assert.equal(plan.next?.number, '1');
    const text = await cli(['status', doc], dir);
    assert.match(text.stdout, /next: Todo 1: Add write_header\(\) to src\/models\/invoice_csv\.py \(line 5\)/);

    const next = await cli(['next', doc, '--json'], dir);
    const work = (JSON.parse(next.stdout) as { next: NextJson }).next;
    assert.deepEqual([work.stage.label, work.stage.number, work.stage.line], ['Todo', '1', 5]);
    assert.deepEqual(work.files, ['src/models/invoice_csv.py']);

    // The header todo's symbol is defined (tick: status completed); the pdf todo's file was never created (untick: pending).
    const dry = await cli(['sync', doc, '--json'], dir);
    assert.equal(dry.code, 1);
    const changes = (JSON.parse(dry.stdout) as { changes: { line: number; action: string; rule: string }[] }).changes;
    assert.deepEqual(changes.map((change) => `${change.line} ${change.action} ${change.rule}`), ['5 tick done-not-ticked', '8 untick completion-not-in-code']);
    assert.equal((await cli(['sync', doc, '--write'], dir)).code, 0);
    const after = readFileSync(join(dir, doc), 'utf8').split('\n');
    assert.deepEqual([after[6], after[9], after[12]], ['    status: completed', '    status: pending', '    status: in_progress']);
    assert.deepEqual((await cli(['sync', doc], dir)).stdout, 'Every checkbox agrees with the work.\n');
  });
});
