/**
 * Missing paths judged with git history, in a real repository built over several commits: a ticked task
 * whose file was created and moved later is history (silent), a ticked task whose file never existed is a
 * phantom completion (reported), a current design naming a deleted or renamed file is rot (reported, with
 * the rename when git knows it), open work naming a renamed file is reported, and a tool-written link to
 * the doc itself from the repository root is not broken. `PathHistory` asks git once per batch.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, gitAt } from '../helpers/git';
import { checkTextPrepared } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { FolderWorkspace } from '../../server/src/workspace/workspace';
import { PathHistory, parseNameStatusLog, parseRenames } from '../../server/src/workspace/pathHistory';

const RULES = new Set(['missing-file', 'completion-not-in-code', 'broken-doc-link']);

const TASKS = [
  '---',
  'docplan: plan',
  '---',
  '# Tasks: Forecast cache',
  '',
  '**Goal**: forecasts are served from the cache in under 5 ms.',
  '',
  '## Phase 1: Setup',
  '',
  '- [x] T001 Create `src/cache.py`',
  '- [x] T002 Create `src/warmup.py`',
  '- [x] T003 Wire the cache, see [this list](docs/plans/tasks.md) and [the notes](docs/plans/notes.md)',
  '',
].join('\n');

const DESIGN = [
  '---',
  'docplan: design',
  '---',
  '# Design: Forecast cache',
  '',
  '**Status**: Current',
  '',
  '## Goals',
  '',
  '- Serve forecasts in under 5 ms.',
  '',
  '## Non-Goals',
  '',
  '- Caching maps.',
  '',
  '## Design',
  '',
  'The lookup lives in `src/lookup.py`; expiry was handled by `src/expiry.py`.',
  '',
].join('\n');

const LIVE = [
  '---',
  'docplan: plan',
  '---',
  '# Plan: Cache metrics',
  '',
  '**Goal**: cache hits are counted per city.',
  '',
  '## Stage 1: Count hits',
  '',
  '### Objective',
  '',
  'Count hits.',
  '',
  '### Changes',
  '',
  '- [ ] Count hits in `src/lookup.py`',
  '',
  '### Validation',
  '',
  '- [ ] `make check`',
  '',
].join('\n');

function repository() {
  const root = mkdtempSync(join(tmpdir(), 'docplan-history-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const run = (...args: string[]) => git(root, ...args);
  run('init', '-q');
  write('README.md', '# Forecasts\n');
  run('add', '-A');
  run('commit', '-q', '-m', 'start');
  write('src/cache.py', 'CACHE = {}\n');
  write('src/lookup.py', 'def lookup(city):\n    return city\n');
  write('src/expiry.py', 'TTL = 60\n');
  write('docs/plans/tasks.md', TASKS);
  write('docs/design.md', DESIGN);
  write('docs/plans/live.md', LIVE);
  run('add', '-A');
  run('commit', '-q', '-m', 'the cache, as the docs describe it');
  // Later changes the docs were not updated for.
  mkdirSync(join(root, 'src/store'), { recursive: true });
  run('mv', 'src/cache.py', 'src/store/cache.py');
  run('mv', 'src/lookup.py', 'src/find.py');
  run('rm', '-q', 'src/expiry.py');
  run('commit', '-q', '-m', 'reorganise');
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

async function findings(root: string, docRel: string): Promise<string[]> {
  const workspace = new FolderWorkspace(root, { validate: 'stat', git: true });
  try {
    const text = readFileSync(join(root, docRel), 'utf8');
    const checked = await checkTextPrepared(text, { config: defaultConfig(), path: docRel, workspace: workspace.view(join(root, docRel)) });
    return checked.findings.filter((finding) => RULES.has(finding.ruleId)).map((finding) => `${finding.range.start.line + 1} ${finding.ruleId}: ${finding.message}`);
  } finally {
    workspace.dispose();
  }
}

describe('missing paths judged with git history', () => {
  it('a ticked task whose file moved later is silent; one whose file never existed is a phantom completion', async () => {
    const t = repository();
    try {
      const found = await findings(t.root, 'docs/plans/tasks.md');
      assert.deepEqual(found.filter((line) => line.startsWith('10 ')), [], 'src/cache.py was created, then moved by a later change');
      assert.ok(found.some((line) => line.startsWith('11 completion-not-in-code:') && line.includes('no commit ever had it')), found.join('\n'));
      assert.ok(found.some((line) => line.startsWith('11 missing-file:') && line.includes('src/warmup.py does not exist, though the task that creates it is ticked')), found.join('\n'));
      // A link from the repository root to the doc itself is not broken; a link to a doc that never existed is.
      assert.deepEqual(
        found.filter((line) => line.startsWith('12 ')).map((line) => line.replace(/ \(.*$/, '')),
        ['12 broken-doc-link: The link target docs/plans/notes.md does not exist'],
      );
    } finally {
      t.remove();
    }
  });

  it('a current design naming a deleted or renamed file is rot, with the rename git knows', async () => {
    const t = repository();
    try {
      const found = await findings(t.root, 'docs/design.md');
      assert.equal(found.length, 2, found.join('\n'));
      assert.match(found[0], /^18 missing-file: src\/lookup\.py does not exist.*renamed to src\/find\.py/);
      assert.match(found[1], /^18 missing-file: src\/expiry\.py does not exist/);
    } finally {
      t.remove();
    }
  });

  it('open work naming a renamed file is reported with the new path', async () => {
    const t = repository();
    try {
      const found = await findings(t.root, 'docs/plans/live.md');
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], /^16 missing-file: src\/lookup\.py does not exist.*renamed to src\/find\.py/);
    } finally {
      t.remove();
    }
  });

  it('a doc that came to its path right after a file was removed names it knowingly; one written months later does not', async () => {
    const root = mkdtempSync(join(tmpdir(), 'docplan-aftermath-'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    const handoff = (title: string) =>
      ['---', 'docplan: plan', '---', `# Plan: ${title}`, '', '**Goal**: the alert tests run again.', '', '## Stage 1: Bring the tests back', '', '### Objective', '', 'Restore `tests/alerts_test.py` from git and keep its retry cases.', '', '### Changes', '', '- [ ] Drop the pager cases', '', '### Validation', '', '- [ ] `make check`', ''].join('\n');
    try {
      gitAt(root, '2026-01-05T10:00:00Z', 'init', '-q');
      write('tests/alerts_test.py', 'def test_retry():\n    pass\n');
      write('tests/conftest.py', 'PAGER = None\n');
      write('tools/old/plan.md', handoff('Alerts, first take'));
      gitAt(root, '2026-01-05T10:00:00Z', 'add', '-A');
      gitAt(root, '2026-01-05T10:00:00Z', 'commit', '-q', '-m', 'alerts');
      gitAt(root, '2026-03-01T09:00:00Z', 'rm', '-q', '-r', 'tests/alerts_test.py', 'tools/old');
      gitAt(root, '2026-03-01T09:00:00Z', 'commit', '-q', '-m', 'cleanup removed too much');
      // The same afternoon: a handoff to restore the file, and the old plan carried to its new tree.
      write('docs/restore.md', handoff('Restore the alert tests'));
      write('tools/new/plan.md', handoff('Alerts, first take'));
      gitAt(root, '2026-03-01T15:00:00Z', 'add', '-A');
      gitAt(root, '2026-03-01T15:00:00Z', 'commit', '-q', '-m', 'handoff');
      // Months later, a plan that treats the file as still there: wrong from birth.
      write('docs/later.md', handoff('Retry alerts'));
      gitAt(root, '2026-07-01T09:00:00Z', 'add', '-A');
      gitAt(root, '2026-07-01T09:00:00Z', 'commit', '-q', '-m', 'later plan');
      assert.deepEqual(await findings(root, 'docs/restore.md'), []);
      assert.deepEqual(await findings(root, 'tools/new/plan.md'), []);
      const later = await findings(root, 'docs/later.md');
      assert.equal(later.length, 1, later.join('\n'));
      assert.match(later[0], /^12 missing-file: tests\/alerts_test\.py does not exist/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('asks git once per batch, and not at all when nothing is missing', async () => {
    const t = repository();
    try {
      const history = new PathHistory(t.root);
      await history.prepare([]);
      assert.equal(history.queries, 0);
      await history.prepare(['src/cache.py', 'src/expiry.py', 'src/never.py'], ['docs/plans/tasks.md']);
      assert.equal(history.queries, 1);
      assert.deepEqual(history.past('src/never.py'), { kind: 'never' });
      const moved = history.past('src/cache.py');
      assert.ok(moved && moved.kind === 'existed' && moved.renamedTo === 'src/store/cache.py', JSON.stringify(moved));
      const deleted = history.past('src/expiry.py');
      assert.ok(deleted && deleted.kind === 'existed' && deleted.renamedTo === null, JSON.stringify(deleted));
      assert.equal(history.changeVersusDoc('docs/plans/tasks.md', 'src/cache.py'), 'after');
      await history.prepare(['src/cache.py']);
      assert.equal(history.queries, 1, 'known paths are answered from the cache');
      // A bare name is looked for in every folder: expiry.py lived in src/ and was removed; warmup.py never was.
      await history.prepare(['expiry.py', 'warmup.py']);
      assert.equal(history.past('expiry.py')?.kind, 'existed');
      assert.deepEqual(history.past('warmup.py'), { kind: 'never' });
    } finally {
      t.remove();
    }
  });

  it('answers unknown outside a repository', async () => {
    const root = mkdtempSync(join(tmpdir(), 'docplan-nogit-'));
    try {
      const history = new PathHistory(root);
      await history.prepare(['src/x.py']);
      assert.equal(history.past('src/x.py')?.kind, 'unknown');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('parses name-status logs and rename lists', () => {
    const hash = 'a'.repeat(40);
    const older = 'b'.repeat(40);
    const log = `\x01${hash}\0\nD\0src/x.py\0\x01${older}\0\nA\0src/x.py\0\nA\0lib/y/z.py\0`;
    const { touched } = parseNameStatusLog(log, new Set(['src/x.py', 'lib/y']));
    assert.deepEqual(touched.get('src/x.py'), { commit: hash, order: 0, time: 0, status: 'D' });
    assert.deepEqual(touched.get('lib/y'), { commit: older, order: 1, time: 0, status: 'A' });
    // With commit times: the newest and the oldest commit of each path.
    const timed = parseNameStatusLog(`\x01${hash} 200\0\nD\0src/x.py\0\x01${older} 100\0\nA\0src/x.py\0`, new Set(['src/x.py']));
    assert.deepEqual(timed.touched.get('src/x.py'), { commit: hash, order: 0, time: 200, status: 'D' });
    assert.deepEqual(timed.arrived.get('src/x.py'), { commit: older, order: 1, time: 100, status: 'A' });
    const renames = parseRenames(`${hash}\0R091\0src/x.py\0lib/x.py\0M\0README.md\0`);
    assert.equal(renames.get(hash)?.get('src/x.py'), 'lib/x.py');
  });
});
