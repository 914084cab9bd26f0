/**
 * Git as a batch: preparing the history of many docs at once starts a fixed number of git processes, not
 * one or more per doc, and answers the same drift as preparing each doc on its own; a doc without files to
 * map starts none.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateTree, type GeneratedTree } from '../../bench/tree';
import { FileCache } from '../../server/src/workspace/fileCache';
import { GitHistory } from '../../server/src/workspace/gitHistory';
import { itemKey, loadItemHistoriesMany, WorkingTreeChanges, type DocQuestions } from '../../server/src/claims/history';
import { git as gitIn } from '../helpers/git';

const temp = mkdtempSync(join(tmpdir(), 'docplan-gitbatch-'));
let tree: GeneratedTree;
let git: string;
const calls = join(temp, 'calls.log');

before(() => {
  tree = generateTree(join(temp, 'repo'), { docs: 120, code: 300, commits: 30 }, 3);
  const real = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  git = join(temp, 'git');
  writeFileSync(git, `#!/bin/sh\necho "$*" >> '${calls}'\nexec '${real}' "$@"\n`);
  chmodSync(git, 0o755);
});
after(() => rmSync(temp, { recursive: true, force: true }));

/** Each plan doc with the code files it references by line. */
function requests(): { docAbsPath: string; relPaths: string[]; lines: [string, number][] }[] {
  return tree.planDocs.map((docAbsPath) => {
    const lines = [...readFileSync(docAbsPath, 'utf8').matchAll(/`((?:services|web|pkg)\/[^`:\s]+):(\d+)/g)].map((match): [string, number] => [match[1], Number(match[2])]);
    return { docAbsPath, relPaths: [...new Set(lines.map(([path]) => path))], lines };
  });
}

function gitCalls(): string[] {
  try {
    return readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('git history as a batch', () => {
  it('prepares every doc with a bounded number of git processes and answers as doc-by-doc preparation does', async () => {
    const docs = requests().filter((request) => request.relPaths.length > 0);
    assert.ok(docs.length >= 20, `enough docs with line references (${docs.length})`);
    rmSync(calls, { force: true });
    const batch = new GitHistory(tree.root, new FileCache(), { git });
    await batch.prepareMany(docs);
    const used = gitCalls();
    batch.close();
    assert.ok(used.length <= 8, `at most 8 git processes for ${docs.length} docs, got ${used.length}:\n${used.join('\n')}`);
    assert.equal(used.filter((call) => call.includes('cat-file')).length, 1, 'one cat-file process for every blob');

    const single = new GitHistory(tree.root, new FileCache());
    let moved = 0;
    for (const doc of docs) {
      await single.prepare(doc.docAbsPath, doc.relPaths);
      for (const [path, line] of doc.lines) {
        const expected = single.drift(doc.docAbsPath, path, line);
        assert.deepEqual(batch.drift(doc.docAbsPath, path, line), expected, `${doc.docAbsPath} ${path}:${line}`);
        if (expected && 'status' in expected && expected.status === 'moved') moved++;
      }
      assert.deepEqual(batch.history(doc.docAbsPath), single.history(doc.docAbsPath));
    }
    single.close();
    assert.ok(moved > 0, 'the history moved some referenced lines');
  });

  it('asks about the checklist items of every doc with a fixed number of git processes, answering as doc by doc', async () => {
    const asks: DocQuestions[] = tree.planDocs.map((docAbsPath) => ({
      docAbsPath,
      questions: readFileSync(docAbsPath, 'utf8')
        .split('\n')
        .flatMap((line) => {
          const item = /^\s*- \[([ x])\] (.*)$/.exec(line);
          const files = item ? [...item[2].matchAll(/`((?:services|web|pkg)\/[^`:\s]+)/g)].map((match) => match[1]) : [];
          return item && files.length > 0 ? [{ key: itemKey(item[2]), checked: item[1] === 'x', files }] : [];
        }),
    }));
    const asked = asks.filter((ask) => ask.questions.length > 0);
    assert.ok(asked.length >= 5, `enough docs with items naming files (${asked.length})`);
    rmSync(calls, { force: true });
    const batch = await loadItemHistoriesMany(tree.root, asked, git);
    const used = gitCalls().filter((call) => !call.includes('rev-parse'));
    assert.ok(used.length <= 3, `two logs and one status for ${asked.length} docs, got ${used.length}:\n${used.join('\n')}`);
    let items = 0;
    for (const ask of asked) {
      const alone = (await loadItemHistoriesMany(tree.root, [ask])).get(ask.docAbsPath);
      const together = batch.get(ask.docAbsPath);
      assert.ok(together && 'items' in together && alone && 'items' in alone, ask.docAbsPath);
      // Positions are relative to each log; the commits and the verdicts must agree.
      const plain = (items: typeof together.items) =>
        [...items].map(([key, item]) => [key, item.added.hash, item.ticked === null || item.ticked === 'working-tree' ? item.ticked : item.ticked.hash, item.filesChanged]);
      assert.deepEqual(plain(together.items), plain(alone.items), ask.docAbsPath);
      items += together.items.size;
    }
    assert.ok(items > 0, 'git knew when some items were added');

    // A named file changed in the working tree changes an open item's answer; with this many names, the
    // batch reads one status of the whole folder and a doc alone the status of its own names.
    const names = new Set(asked.flatMap((ask) => ask.questions.flatMap((question) => question.files)));
    assert.ok(names.size > 64, `the batch names more than 64 files (${names.size})`);
    const open = asked.flatMap((ask) => ask.questions.filter((question) => !question.checked).map((question) => ({ ask, question })));
    const unchanged = open.find(({ ask, question }) => {
      const answer = batch.get(ask.docAbsPath);
      return answer !== undefined && 'items' in answer && answer.items.get(question.key)?.filesChanged === false;
    });
    assert.ok(unchanged, 'an open item whose files did not change since it was added');
    const file = join(tree.root, unchanged.question.files[0]);
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, `${before}// edited in the working tree\n`);
    try {
      const again = (await loadItemHistoriesMany(tree.root, asked)).get(unchanged.ask.docAbsPath);
      const alone = (await loadItemHistoriesMany(tree.root, [unchanged.ask])).get(unchanged.ask.docAbsPath);
      for (const answer of [again, alone]) assert.equal(answer && 'items' in answer ? answer.items.get(unchanged.question.key)?.filesChanged : null, true);
    } finally {
      writeFileSync(file, before);
    }
  });

  it('reads a file in a new untracked folder as changed when the whole folder\'s status lists the folder', async () => {
    const repo = join(temp, 'untracked');
    mkdirSync(join(repo, 'docs'), { recursive: true });
    gitIn(repo, 'init', '-q');
    writeFileSync(join(repo, 'docs', 'plan.md'), '# Plan\n\n## Stage 1: Start\n\n- [ ] Add `jobs/nightly/run.py`\n');
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'commit', '-q', '-m', 'plan');
    // Written, not committed, in a folder git has never seen: listed as `?? jobs/` by the whole-folder status.
    mkdirSync(join(repo, 'jobs', 'nightly'), { recursive: true });
    writeFileSync(join(repo, 'jobs', 'nightly', 'run.py'), 'print(1)\n');
    // More than 64 named files in the run: one status of the whole folder.
    const padding = Array.from({ length: 70 }, (_, i) => `lib/unrelated_${i}.py`);
    const key = itemKey('Add `jobs/nightly/run.py`');
    const docAbsPath = join(repo, 'docs', 'plan.md');
    const answers = await loadItemHistoriesMany(repo, [{ docAbsPath, questions: [{ key, checked: false, files: ['jobs/nightly/run.py', ...padding] }] }]);
    const answer = answers.get(docAbsPath);
    assert.ok(answer && 'items' in answer, JSON.stringify(answer));
    assert.equal(answer.items.get(key)?.filesChanged, true);
  });

  it('lists working-tree changes, an untracked folder holding every path below it', () => {
    const changes = new WorkingTreeChanges();
    changes.add(' M src/app.py\n?? jobs/\n?? "odd name.py"\n');
    assert.equal(changes.has('src/app.py'), true);
    assert.equal(changes.has('jobs/nightly/run.py'), true);
    assert.equal(changes.has('odd name.py'), true);
    assert.equal(changes.has('jobsX/run.py'), false);
    assert.equal(changes.has('src/other.py'), false);
  });

  it('starts no git process for docs without files to map', async () => {
    rmSync(calls, { force: true });
    const history = new GitHistory(tree.root, new FileCache(), { git });
    await history.prepareMany(tree.docs.map((docAbsPath) => ({ docAbsPath, relPaths: [] })));
    await history.prepare(tree.docs[0], []);
    history.close();
    assert.deepEqual(gitCalls(), []);
  });
});
