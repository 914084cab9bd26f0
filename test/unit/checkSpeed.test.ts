/**
 * What makes `docplan check` fast must not change what it finds: on a generated repository (bench/tree.ts:
 * plans of every family, ordinary pages, code and a git history moving code under the docs), the findings
 * of a cold run, a warm run (from the cache), a single-thread and a multi-thread run are identical; after
 * one referenced code file changes, a warm run re-checks exactly the docs that read it and reports what a
 * run without the cache reports; a corrupt or foreign cache file is ignored and rebuilt.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main, type CliIo } from '../../server/src/cli/main';
import { CACHE_FILE } from '../../server/src/cli/cache';
import { generateTree, type GeneratedTree } from '../../bench/tree';

let tree: GeneratedTree;
const temp = mkdtempSync(join(tmpdir(), 'docplan-speed-'));

before(() => {
  tree = generateTree(join(temp, 'repo'), { docs: 160, code: 600, commits: 40 }, 7);
});
after(() => rmSync(temp, { recursive: true, force: true }));

async function check(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { cwd: tree.root, env: { ...env }, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } };
  const code = await main(['check', '.', '--format', 'json', ...args], io);
  return { code, stdout, stderr };
}

/** Display paths of the docs a run checked (not answered from the cache). */
function checkedFiles(stderr: string): string[] {
  return [...stderr.matchAll(/^docplan: timing: checked (.+)$/gm)].map((match) => match[1]).sort();
}

describe('docplan check: cache, pre-scan and threads give the same findings', () => {
  it('cold, warm, single-thread and multi-thread runs report the same findings', async () => {
    const cache = join(temp, 'cache-a');
    const cold = await check(['--cache-location', cache, '--threads', '1'], { DOCPLAN_TIMING: '1' });
    assert.ok(existsSync(join(cache, CACHE_FILE)), 'the cold run wrote the cache');
    const reports = JSON.parse(cold.stdout) as { file: string; findings: unknown[] }[];
    assert.ok(reports.length >= 10, `the generated tree has docs with findings (${reports.length})`);
    assert.ok(checkedFiles(cold.stderr).length === tree.docs.length, 'the cold run checked every file');
    const warm = await check(['--cache-location', cache], { DOCPLAN_TIMING: '1' });
    assert.deepEqual(checkedFiles(warm.stderr), [], 'the warm run took everything from the cache');
    const single = await check(['--no-cache', '--threads', '1']);
    const multi = await check(['--no-cache', '--threads', '2'], { DOCPLAN_TIMING: '1' });
    assert.match(multi.stderr, /checked on 2 threads/);
    assert.doesNotMatch(multi.stderr, /a worker failed/);
    assert.equal(warm.stdout, cold.stdout);
    assert.equal(single.stdout, cold.stdout);
    assert.equal(multi.stdout, cold.stdout);
    assert.equal(warm.code, cold.code);
    assert.equal(multi.code, cold.code);
  });

  it('after one referenced code file changes, re-checks only the docs that read it, with the findings of a fresh run', async () => {
    const cache = join(temp, 'cache-b');
    await check(['--cache-location', cache]);
    // A code file that several plans reference by line: lines inserted at its top move their lines.
    const plans = tree.planDocs.map((path) => readFileSync(path, 'utf8'));
    const counts = new Map<string, number>();
    for (const text of plans) for (const match of text.matchAll(/`((?:services|web|pkg)\/[^`:\s]+):\d+/g)) counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
    const [target] = [...counts].filter(([path]) => existsSync(join(tree.root, path))).sort((a, b) => b[1] - a[1])[0];
    const absTarget = join(tree.root, target);
    writeFileSync(absTarget, `// inserted 1\n// inserted 2\n// inserted 3\n${readFileSync(absTarget, 'utf8')}`);
    const warm = await check(['--cache-location', cache], { DOCPLAN_TIMING: '1' });
    const fresh = await check(['--no-cache']);
    assert.equal(warm.stdout, fresh.stdout, 'the warm run reports what a run without the cache reports');
    const rechecked = checkedFiles(warm.stderr);
    const mentioning = tree.planDocs.filter((path) => readFileSync(path, 'utf8').includes(target)).map((path) => relative(tree.root, path));
    assert.ok(rechecked.length > 0, 'some doc was checked again');
    assert.ok(rechecked.length < tree.docs.length / 4, `only a few docs were checked again (${rechecked.length})`);
    for (const doc of rechecked) assert.ok(mentioning.includes(doc), `${doc} was re-checked but does not reference ${target}`);
  });

  it('ignores a corrupt or foreign cache file, rebuilds it, and never crashes', async () => {
    const cache = join(temp, 'cache-c');
    const baseline = await check(['--no-cache']);
    mkdirSync(cache, { recursive: true });
    for (const bad of ['{"format":"docplan-check-cache","formatVersion":1,"docplanVersion":"', '{"format":"eslint","entries":{}}', '\u0000\u0001binary', '[]', '{"format":"docplan-check-cache","formatVersion":1,"docplanVersion":"0.1.0","entries":{"x":{"doc":1}}}']) {
      writeFileSync(join(cache, CACHE_FILE), bad);
      const run = await check(['--cache-location', cache]);
      assert.equal(run.stdout, baseline.stdout, `same findings with the cache file ${JSON.stringify(bad.slice(0, 30))}`);
      assert.equal(run.code, baseline.code);
      const rebuilt = JSON.parse(readFileSync(join(cache, CACHE_FILE), 'utf8')) as { format: string; entries: Record<string, unknown> };
      assert.equal(rebuilt.format, 'docplan-check-cache');
      assert.ok(Object.keys(rebuilt.entries).length >= tree.docs.length, 'the cache was rebuilt');
    }
    // An entry for a doc whose content no longer matches is not used.
    const again = await check(['--cache-location', cache], { DOCPLAN_TIMING: '1' });
    assert.deepEqual(checkedFiles(again.stderr), []);
    assert.equal(again.stdout, baseline.stdout);
  });
});
