/**
 * "Done means done" through the CLI, on a real git repository built by the test (test/helpers/completionRepo.ts):
 * `docplan run` records the results, `docplan check` reports exactly the dishonest and the forgotten items with
 * the right commits, `docplan sync` prints what it would change and changes nothing, `--write` unticks and ticks
 * them, and then nothing is left to report.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from '../../server/src/cli/main';
import { parseResults } from '../../server/src/evidence/results';
import { buildCompletionRepo, EXPECTED, PLAN_LINES, type CompletionRepo } from '../helpers/completionRepo';
import { git } from '../helpers/git';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { cwd, env: {}, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const RULES = ['completion-not-in-code', 'completion-without-change', 'done-not-ticked', 'validation-evidence'];

interface JsonFinding {
  code: string;
  message: string;
  range: { start: { line: number } };
}

async function completionFindings(dir: string): Promise<JsonFinding[]> {
  const run = await cli(['check', 'docs/plan.md', '--format', 'json'], dir);
  const files = JSON.parse(run.stdout) as { diagnostics: JsonFinding[] }[];
  return files.flatMap((file) => file.diagnostics).filter((finding) => RULES.includes(finding.code));
}

function linesOf(findings: JsonFinding[], ruleId: string): number[] {
  return findings.filter((finding) => finding.code === ruleId).map((finding) => finding.range.start.line);
}

describe('done means done, through the CLI', () => {
  let repo: CompletionRepo;
  before(() => {
    repo = buildCompletionRepo();
  });
  after(() => repo.remove());

  it('docplan run records each result with its commit in .docplan/results.json', async () => {
    const run = await cli(['run', 'docs/plan.md', '--log-dir', join(repo.dir, '.logs')], repo.dir);
    assert.equal(run.code, 1, 'stage 2 validation fails');
    assert.match(run.stderr, /recorded 2 results in \.docplan\/results\.json/);
    const parsed = parseResults(readFileSync(join(repo.dir, '.docplan', 'results.json'), 'utf8'));
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.file.results.map((entry) => [entry.doc, entry.stage, entry.command, entry.outcome, entry.exitCode, entry.commit]),
      [
        ['docs/plan.md', '1', 'sh checks/ok.sh', 'passed', 0, repo.tickCommit],
        ['docs/plan.md', '2', 'sh checks/export.sh', 'failed', 3, repo.tickCommit],
      ],
    );
  });

  it('reports exactly the dishonest and the forgotten items, with the right commits', async () => {
    const findings = await completionFindings(repo.dir);
    assert.deepEqual(linesOf(findings, 'completion-not-in-code'), EXPECTED.notInCode);
    assert.deepEqual(linesOf(findings, 'completion-without-change'), EXPECTED.withoutChange);
    assert.deepEqual(linesOf(findings, 'done-not-ticked'), EXPECTED.notTicked);
    assert.deepEqual(linesOf(findings, 'validation-evidence'), EXPECTED.validation);
    const byLine = new Map(findings.map((finding) => [finding.range.start.line, finding.message]));
    assert.match(byLine.get(19)!, /creates `src\/exporter\.py`, but `src\/exporter\.py` does not exist in the workspace folder/);
    assert.match(byLine.get(20)!, /adds `App\.retry` to `src\/app\.py`, but `src\/app\.py` defines no `App\.retry` \(read with tree-sitter\)/);
    assert.match(byLine.get(23)!, /deletes `src\/legacy\.py`, but `src\/legacy\.py` is still in the workspace folder/);
    assert.equal(byLine.get(22), `This item was ticked in commit ${repo.tickCommit.slice(0, 7)}, but \`src/config.py\` did not change between ${repo.planCommit.slice(0, 7)} (which added it) and ${repo.tickCommit.slice(0, 7)}.`);
    assert.match(byLine.get(25)!, /not ticked, but its work is done: `build_report` is defined in `src\/report\.py`/);
    assert.match(byLine.get(33)!, new RegExp(`\`sh checks/export\\.sh\` exited 3 at ${repo.tickCommit.slice(0, 7)}`));
  });

  it('docplan sync prints every change and changes nothing; --write applies them; then nothing is left', async () => {
    const before = readFileSync(join(repo.dir, 'docs/plan.md'), 'utf8');
    const dry = await cli(['sync', '--json'], repo.dir);
    assert.equal(dry.code, 1);
    const changes = (JSON.parse(dry.stdout) as { changes: { line: number; action: string; rule: string }[] }).changes;
    assert.deepEqual(
      changes.map((change) => `${change.line - 1} ${change.action}`),
      ['19 untick', '20 untick', '22 untick', '23 untick', '25 tick', '33 unmark-done'],
    );
    assert.equal(readFileSync(join(repo.dir, 'docs/plan.md'), 'utf8'), before, 'without --write nothing changes');

    const write = await cli(['sync', '--write'], repo.dir);
    assert.equal(write.code, 0);
    const after = readFileSync(join(repo.dir, 'docs/plan.md'), 'utf8').split('\n');
    for (const line of [19, 20, 22, 23, 45]) assert.match(after[line], /^- \[ \] /, `line ${line} unticked`);
    for (const line of [18, 21, 24, 25, 31, 41]) assert.match(after[line], /^- \[x\] /, `line ${line} ticked`);
    assert.equal(after[33], '## Stage 2: Export');

    const again = await cli(['sync'], repo.dir);
    assert.equal(again.code, 0);
    assert.equal(again.stdout, 'Every checkbox agrees with the work.\n');
    assert.deepEqual(await completionFindings(repo.dir), []);
  });
});

describe('an item ticked in the working tree', () => {
  it('is reported while none of its files changed since the commit that added it, and not once one has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docplan-done-wt-'));
    try {
      mkdirSync(join(dir, 'docs'));
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'docs/plan.md'), PLAN_LINES.join('\n'));
      writeFileSync(join(dir, 'src/config.py'), 'TIMEOUT = 5\n');
      git(dir, 'init', '-q');
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'plan');
      const added = git(dir, 'rev-parse', '--short=7', 'HEAD').trim();
      const lines = [...PLAN_LINES];
      lines[22] = lines[22].replace('- [ ]', '- [x]');
      writeFileSync(join(dir, 'docs/plan.md'), lines.join('\n'));
      const before = (await completionFindings(dir)).filter((finding) => finding.code === 'completion-without-change');
      assert.deepEqual(before.map((finding) => [finding.range.start.line, finding.message]), [
        [22, `This item was ticked in the working tree (the last commit had it unticked), but \`src/config.py\` did not change since ${added}, where it was added.`],
      ]);
      writeFileSync(join(dir, 'src/config.py'), 'TIMEOUT = 30\n');
      assert.deepEqual((await completionFindings(dir)).filter((finding) => finding.code === 'completion-without-change'), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an item naming a file by its bare name', () => {
  it('asks git about the one file of that name in the folder: a change to it between adding and ticking is no finding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docplan-done-bare-'));
    try {
      mkdirSync(join(dir, 'docs'));
      mkdirSync(join(dir, 'ci/workflows'), { recursive: true });
      const plan = (box: string) =>
        ['# Plan: Faster CI', '', '**Goal**: CI runs in under 10 minutes.', '', '## Stage 1: Cache the build', '', '### Objective', '', 'Cache compiler output in CI.', '', '### Changes', '', `- ${box} Turn the compiler cache on in \`nightly.yml\``, '', '### Validation', '', '- [ ] `make check`', ''].join('\n');
      writeFileSync(join(dir, 'docs/plan.md'), plan('[ ]'));
      writeFileSync(join(dir, 'ci/workflows/nightly.yml'), 'steps: []\n');
      git(dir, 'init', '-q');
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'plan');
      writeFileSync(join(dir, 'ci/workflows/nightly.yml'), 'steps: [cache]\n');
      git(dir, 'commit', '-q', '-am', 'cache the build');
      writeFileSync(join(dir, 'docs/plan.md'), plan('[x]'));
      git(dir, 'commit', '-q', '-am', 'tick');
      const changed = (await completionFindings(dir)).filter((finding) => finding.code === 'completion-without-change');
      assert.deepEqual(changed, []);
      // The twin: ticked without the file changing is reported, naming the file git was asked about.
      writeFileSync(join(dir, 'docs/plan.md'), plan('[ ]').replace('## Stage 1', '## Stage 1').replace('Turn the compiler', 'Pin the compiler'));
      git(dir, 'commit', '-q', '-am', 'another item');
      writeFileSync(join(dir, 'docs/plan.md'), plan('[x]').replace('Turn the compiler', 'Pin the compiler'));
      git(dir, 'commit', '-q', '-am', 'tick it');
      const unchanged = (await completionFindings(dir)).filter((finding) => finding.code === 'completion-without-change');
      assert.equal(unchanged.length, 1, JSON.stringify(unchanged));
      assert.match(unchanged[0].message, /`ci\/workflows\/nightly\.yml` did not change between/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a cached check', () => {
  it('is redone when the recorded results change, though neither the plan, its files nor HEAD moved', async () => {
    const repo = buildCompletionRepo();
    try {
      assert.equal((await cli(['run', 'docs/plan.md', '--log-dir', join(repo.dir, '.logs')], repo.dir)).code, 1, 'stage 2 validation fails');
      assert.deepEqual(linesOf(await completionFindings(repo.dir), 'validation-evidence'), [33]);
      // Another run (a teammate's, say) recorded stage 2 passing: the done mark is now backed.
      const path = join(repo.dir, '.docplan', 'results.json');
      const parsed = parseResults(readFileSync(path, 'utf8'));
      assert.ok(parsed.ok);
      const passed = parsed.file.results.map((entry) => (entry.stage === '2' ? { ...entry, outcome: 'passed' as const, exitCode: 0 } : entry));
      writeFileSync(path, JSON.stringify({ ...parsed.file, results: passed }, null, 2) + '\n');
      assert.ok(parseResults(readFileSync(path, 'utf8')).ok);
      assert.deepEqual(linesOf(await completionFindings(repo.dir), 'validation-evidence'), []);
    } finally {
      repo.remove();
    }
  });
});
