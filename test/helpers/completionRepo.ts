/**
 * The "done means done" repository: a plan and its code over several commits, in which some boxes lie and
 * some work was never ticked. Used by the CLI test (test/unit/completion.test.ts) and the server test
 * (test/server/completion.test.ts), which must report exactly the same items.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git } from './git';

/** The plan as first committed: nothing ticked yet. Line numbers (0-based) are noted for the tests. */
export const PLAN_LINES = [
  '# Plan: Sales reports', // 0
  '',
  '## Background',
  '',
  '**Goal**: A sales report builds in under 5 s.', // 4
  '',
  '### Affected Code',
  '',
  '- `src/app.py` - the application', // 8
  '',
  '## Stage 1: Reports', // 10
  '',
  '### Objective',
  '',
  'Build reports.',
  '',
  '### Changes',
  '',
  '- [ ] Create `src/report.py`', // 18 honest
  '- [ ] Create `src/exporter.py`', // 19 ticked, never created
  '- [ ] Add `App.retry()` to `src/app.py`', // 20 ticked, never defined
  '- [ ] Add `App.stop()` to `src/app.py`', // 21 honest
  '- [ ] Update `src/config.py` to read the report timeout', // 22 ticked in a commit that touched none of its files
  '- [ ] Delete `src/legacy.py`', // 23 ticked, still exists
  '- [ ] Update `src/util.py` to format totals', // 24 honest
  '- [ ] Add `build_report()` to `src/report.py`', // 25 done, never ticked
  '- [ ] Create `src/cache.py`', // 26 not done, not ticked: honest
  '- [ ] Polish the report wording', // 27 no checkable claim
  '',
  '### Validation',
  '',
  '- [ ] `sh checks/ok.sh`', // 31
  '',
  '## Stage 2: Export', // 33
  '',
  '### Objective',
  '',
  'Export reports.',
  '',
  '### Changes',
  '',
  '- [ ] Write the CSV writer', // 41
  '',
  '### Validation',
  '',
  '- [ ] `sh checks/export.sh`', // 45
  '',
];

/** Lines (0-based) of the items the tests expect to be reported, by rule. */
export const EXPECTED = {
  notInCode: [19, 20, 23],
  withoutChange: [22],
  notTicked: [25],
  validation: [33],
};

const APP_V1 = ['class App:', '    def run(self):', '        return 1', ''].join('\n');
const APP_V2 = ['class App:', '    def run(self):', '        return 1', '', '    def stop(self):', '        return 0', ''].join('\n');

/** The repository and its commits. */
export interface CompletionRepo {
  dir: string;
  /** The commit that added the plan (and every item). */
  planCommit: string;
  /** The commit that did the work. */
  workCommit: string;
  /** The commit that ticked the boxes. */
  tickCommit: string;
  write(rel: string, text: string): void;
  remove(): void;
}

function tick(lines: string[], indexes: number[]): string[] {
  const out = [...lines];
  for (const index of indexes) out[index] = out[index].replace('- [ ]', '- [x]');
  return out;
}

/** Builds the repository: plan, then work, then ticks (some honest, some not); the working tree is clean. */
export function buildCompletionRepo(): CompletionRepo {
  const dir = mkdtempSync(join(tmpdir(), 'docplan-done-'));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  const head = () => git(dir, 'rev-parse', 'HEAD').trim();
  git(dir, 'init', '-q');
  write('docs/plan.md', PLAN_LINES.join('\n'));
  write('src/app.py', APP_V1);
  write('src/config.py', 'TIMEOUT = 5\n');
  write('src/legacy.py', 'OLD = True\n');
  write('src/util.py', 'def total(rows):\n    return sum(rows)\n');
  write('checks/ok.sh', 'exit 0\n');
  write('checks/export.sh', 'echo "export check failed" >&2\nexit 3\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Plan the sales reports');
  const planCommit = head();

  write('src/report.py', 'def build_report(rows):\n    return rows\n');
  write('src/app.py', APP_V2);
  write('src/util.py', 'def total(rows):\n    return round(sum(rows), 2)\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Build reports, stop the app, round totals');
  const workCommit = head();

  const ticked = tick(PLAN_LINES, [18, 19, 20, 21, 22, 23, 24, 31, 41, 45]);
  ticked[33] = '## Stage 2: Export ✅';
  write('docs/plan.md', ticked.join('\n'));
  git(dir, 'commit', '-q', '-am', 'Tick the plan');
  const tickCommit = head();
  return { dir, planCommit, workCommit, tickCommit, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
