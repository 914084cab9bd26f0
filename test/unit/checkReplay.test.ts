/**
 * The light entry of the built CLI (dist/cli.js) replays the last `docplan check` when nothing it depended
 * on moved, and runs the full check when anything did: a changed referenced code file, a changed doc, a new
 * Markdown file, a new commit, a changed configuration. Every answer is compared with a run without any
 * cache. Needs `npm run build` first (as the other bundle tests).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateTree, type GeneratedTree } from '../../bench/tree';
import { git } from '../helpers/git';

const DIST_CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
let tree: GeneratedTree;
const temp = mkdtempSync(join(tmpdir(), 'docplan-replay-'));

before(() => {
  tree = generateTree(join(temp, 'repo'), { docs: 120, code: 400, commits: 20 }, 5);
});
after(() => rmSync(temp, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  replayed: boolean;
}

function check(args: string[]): Run {
  assert.ok(existsSync(DIST_CLI), `${DIST_CLI} is missing: run \`npm run build\` before the unit tests`);
  const result = spawnSync(process.execPath, [DIST_CLI, 'check', '.', '--format', 'json', ...args], {
    cwd: tree.root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', DOCPLAN_TIMING: '1' },
    timeout: 120_000,
  });
  const stderr = result.stderr.replace(/^docplan: timing: .*\n/gm, '');
  return { code: result.status ?? -1, stdout: result.stdout, stderr, replayed: /timing: replayed the last run/.test(result.stderr) };
}

/** Records a run (the timing variable keeps a run from being recorded, so record without it); null: the default cache. */
function record(cache: string | null): void {
  const location = cache === null ? [] : ['--cache-location', cache];
  const result = spawnSync(process.execPath, [DIST_CLI, 'check', '.', '--format', 'json', ...location], { cwd: tree.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
}

/** A warm run after `change` is a full run that reports exactly what a run without any cache reports. */
function assertRecheckedAfter(cache: string, what: string): void {
  const warm = check(['--cache-location', cache]);
  const fresh = check(['--no-cache']);
  assert.equal(warm.replayed, false, `not replayed after ${what}`);
  assert.equal(fresh.replayed, false);
  assert.equal(warm.stdout, fresh.stdout, `same findings as a run without the cache after ${what}`);
  assert.equal(warm.stderr, fresh.stderr);
  assert.equal(warm.code, fresh.code);
}

function mostReferencedCodeFile(): string {
  const counts = new Map<string, number>();
  for (const path of tree.planDocs) for (const match of readFileSync(path, 'utf8').matchAll(/`((?:services|web|pkg)\/[^`:\s]+):\d+/g)) counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
  return [...counts].filter(([path]) => existsSync(join(tree.root, path))).sort((a, b) => b[1] - a[1])[0][0];
}

describe('docplan check replays an unchanged run from the light entry', () => {
  it('replays the recorded report, findings, messages and exit status when nothing moved', () => {
    const cache = join(temp, 'cache-a');
    const fresh = check(['--no-cache']);
    record(cache);
    const warm = check(['--cache-location', cache]);
    assert.equal(warm.replayed, true, 'the second run was replayed');
    assert.ok(JSON.parse(warm.stdout).length >= 5, 'the generated tree has docs with findings');
    assert.equal(warm.stdout, fresh.stdout);
    assert.equal(warm.stderr, fresh.stderr);
    assert.equal(warm.code, fresh.code);
    // Another command line is another record: not replayed from this one.
    assert.equal(check(['--cache-location', cache, '--quiet']).replayed, false);
    // Options that must run the checker never replay.
    assert.equal(check(['--cache-location', cache, '--no-cache']).replayed, false);
  });

  it('replays the second run of a repository whose first run made its node_modules (the default cache location)', () => {
    rmSync(join(tree.root, 'node_modules'), { recursive: true, force: true });
    record(null);
    assert.ok(existsSync(join(tree.root, 'node_modules', '.cache', 'docplan')), 'the first run made the default cache');
    assert.equal(check([]).replayed, true, 'the second run was replayed');
    rmSync(join(tree.root, 'node_modules'), { recursive: true, force: true });
  });

  it('runs the check again after a referenced code file, a doc, the file list, HEAD or the configuration changed', () => {
    const cache = join(temp, 'cache-b');
    const target = join(tree.root, mostReferencedCodeFile());
    const changes: [string, () => void][] = [
      ['lines inserted at the top of a referenced code file', () => writeFileSync(target, `// inserted 1\n// inserted 2\n${readFileSync(target, 'utf8')}`)],
      ['a plan edited', () => writeFileSync(tree.planDocs[0], `${readFileSync(tree.planDocs[0], 'utf8')}\n## Non-goals\n\n- Nothing more.\n`)],
      ['a new plan in a new folder', () => {
        mkdirSync(join(tree.root, 'docs', 'fresh'), { recursive: true });
        writeFileSync(join(tree.root, 'docs', 'fresh', 'plan.md'), '# Plan: new\n\n## Goals\n\n- Ship it.\n\n## Stage 1: start\n\n- [ ] Edit `services/none.ts:4`\n');
      }],
      ['a commit', () => {
        git(tree.root, 'add', '-A');
        git(tree.root, 'commit', '-q', '-m', 'move code');
      }],
      // Folders with neither file are not asked for them on a replay (their own stamp covers a new entry).
      ['a .gitignore made in a folder that had none, hiding a plan', () => {
        const plan = tree.planDocs[1];
        assert.equal(existsSync(join(dirname(plan), '.gitignore')), false, 'the folder had no .gitignore');
        writeFileSync(join(dirname(plan), '.gitignore'), `${basename(plan)}\n`);
      }],
      // Edited in place: the folder's mtime stays, the file's own stamp moves.
      ['that .gitignore emptied again', () => writeFileSync(join(dirname(tree.planDocs[1]), '.gitignore'), '')],
      ['a .docplan.json made in a subfolder', () => writeFileSync(join(dirname(tree.planDocs[2]), '.docplan.json'), JSON.stringify({ rules: { 'missing-goals': 'off' } }))],
      ['the configuration', () => writeFileSync(join(tree.root, '.docplan.json'), JSON.stringify({ rules: { 'stage-too-large': 'off' } }))],
    ];
    for (const [what, change] of changes) {
      record(cache);
      assert.equal(check(['--cache-location', cache]).replayed, true, `replayed before ${what}`);
      change();
      assertRecheckedAfter(cache, what);
    }
  });

  it('ignores a corrupt or foreign run record and never crashes', () => {
    const cache = join(temp, 'cache-c');
    const fresh = check(['--no-cache']);
    for (const bad of ['{"format":"docplan-check-runs","formatVersion":1,"runs":{', '[]', '\u0000binary', '{"format":"docplan-check-runs","formatVersion":1,"runs":{"x":{"root":1}}}']) {
      mkdirSync(cache, { recursive: true });
      writeFileSync(join(cache, 'check-runs.json'), bad);
      const run = check(['--cache-location', cache]);
      assert.equal(run.replayed, false);
      assert.equal(run.stdout, fresh.stdout, `same findings with the run record ${JSON.stringify(bad.slice(0, 30))}`);
      assert.equal(run.code, fresh.code);
    }
  });
});
