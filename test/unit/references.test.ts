/**
 * Reference checks end to end over real files and real git repositories: a temp folder is initialised,
 * committed, the code is moved and committed again, and the doc is checked through `checkTextPrepared` (as
 * the server and the CLI do). Drift is found and fixed, a rename is followed, a stale symbol is located, the
 * CLI reports the same diagnostics, and the navigation provider links, hovers and completes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { git } from '../helpers/git';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkText, checkTextPrepared, type CheckedDocument, type CheckOptions } from '../../server/src/check';
import { defaultConfig, mergeConfig } from '../../server/src/config/config';
import { main, type CliIo } from '../../server/src/cli/main';
import { fixAllText } from '../../server/src/features/fixAll';
import { applyEditGroups } from '../../server/src/features/edits';
import { referenceNavigation } from '../../server/src/features/referenceNavigation';
import { anchorsOfMarkdown, headingSlug } from '../../server/src/rules/references-shared';
import type { Finding } from '../../server/src/rules/types';
import { FolderWorkspace } from '../../server/src/workspace/workspace';


/** A temp folder with helpers to write files and run git. */
function repo(files: Record<string, string>, options: { git?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'docplan-refs-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  const run = (...args: string[]) => git(root, ...args);
  if (options.git !== false) {
    run('init', '-q', '-b', 'main');
    run('add', '-A');
    run('commit', '-q', '-m', 'first');
  }
  return { root, write, git: run, remove: () => rmSync(root, { recursive: true, force: true }) };
}

async function check(root: string, docRel: string, text: string, git = true): Promise<{ checked: CheckedDocument; options: CheckOptions }> {
  const workspace = new FolderWorkspace(root, { validate: 'stat', git });
  const options: CheckOptions = { config: defaultConfig(), path: docRel, workspace: workspace.view(join(root, docRel)) };
  return { checked: await checkTextPrepared(text, options), options };
}

const REFERENCE_RULES = new Set(['missing-file', 'line-out-of-range', 'stale-line', 'line-drift', 'broken-doc-link', 'reference-outside-workspace', 'reference-unreadable']);

function summary(findings: readonly Finding[]): string[] {
  return findings.filter((finding) => REFERENCE_RULES.has(finding.ruleId)).map((finding) => `${finding.range.start.line + 1} ${finding.ruleId}: ${finding.message}`);
}

const CONTEXT_PY = [
  '"""Fray execution context."""', // 1
  'import os', // 2
  '', // 3
  '', // 4
  'class FrayContext:', // 5
  '    def __init__(self, name):', // 6
  '        self.name = name', // 7
  '', // 8
  '    def run(self, task):', // 9
  '        return task(self)', // 10
  '', // 11
  '', // 12
  'def make_context(name):', // 13
  '    return FrayContext(name)', // 14
  '',
].join('\n');

/** The same module after a refactor: imports added (everything moves down by 3) and a helper inserted. */
const CONTEXT_PY_MOVED = CONTEXT_PY.replace('import os\n', 'import os\nimport sys\nimport json\nimport logging\n');

function plan(body: string): string {
  return [
    '# Plan: Run tasks in a context',
    '',
    '## Background',
    '',
    '**Goal**: Tasks run inside a FrayContext in under 10 ms.',
    '',
    '### Affected Code',
    '',
    body,
    '',
    '## Stage 1: Add the runner',
    '',
    '### Objective',
    '',
    'Run tasks.',
    '',
    '### Changes',
    '',
    '- [ ] Create `src/fray/runner.py`',
    '',
    '### Validation',
    '',
    '- [ ] `make check`',
    '',
  ].join('\n');
}

describe('references against a real git repository', () => {
  it('finds line drift after code moved and fixes it; the fix is stable and then nothing is reported', async () => {
    const doc = plan(['- `src/fray/context.py:13` - the factory', '- the run method is at src/fray/context.py:9-10'].join('\n'));
    const r = repo({ 'src/fray/context.py': CONTEXT_PY, 'docs/plan.md': doc });
    try {
      assert.deepEqual(summary((await check(r.root, 'docs/plan.md', doc)).checked.findings), []);
      r.write('src/fray/context.py', CONTEXT_PY_MOVED);
      r.git('commit', '-q', '-am', 'move code');
      const { checked, options } = await check(r.root, 'docs/plan.md', doc);
      const found = summary(checked.findings);
      assert.equal(found.length, 2, found.join('\n'));
      assert.equal(found[0], '9 line-drift: `def make_context(name):` has moved from line 13 to 16 of src/fray/context.py since this doc was last committed: 3 lines were inserted above it.');
      assert.match(found[1], /^10 line-drift: .* from lines 9-10 to 12-13 of src\/fray\/context.py /);
      const drift = checked.findings.find((finding) => finding.ruleId === 'line-drift')!;
      assert.equal(drift.severity, 'info');
      const update = drift.fixes.find((fix) => fix.title === 'Update the reference to line 16 (where `def make_context(name):` is now)');
      assert.ok(update?.fixAll);
      const everything = drift.fixes.find((fix) => fix.title === 'Update all 2 outdated line numbers in this document');
      assert.ok(everything, drift.fixes.map((fix) => fix.title).join(' | '));
      const all = applyEditGroups(doc, [everything.edits]).text;
      assert.match(all, /`src\/fray\/context.py:16` - the factory/);
      assert.match(all, /src\/fray\/context.py:12-13$/m);
      const fixed = fixAllText(doc, options);
      assert.equal(fixed.text, all, 'fix-all applies the same line updates');
      assert.equal(fixAllText(fixed.text, options).text, fixed.text, 'fix-all twice changes nothing more');
      assert.deepEqual(summary(checkText(fixed.text, options).findings), []);
      // Committing the doc with the old numbers then fixing: git HEAD moved, history is re-read.
      r.write('docs/plan.md', fixed.text);
      r.git('commit', '-q', '-am', 'fix doc');
      assert.deepEqual(summary((await check(r.root, 'docs/plan.md', fixed.text)).checked.findings), []);
    } finally {
      r.remove();
    }
  });

  it('locates a stale symbol and says where it is now, for a code span and a code-block header', async () => {
    const doc = plan(
      [
        '- `src/fray/context.py:9 - FrayContext.run()` - runs a task',
        '',
        '```python',
        '# src/fray/context.py:13',
        'def make_context(name):',
        '    return FrayContext(name)',
        '```',
      ].join('\n'),
    );
    const r = repo({ 'src/fray/context.py': CONTEXT_PY_MOVED, 'docs/plan.md': doc }, { git: false });
    try {
      const { checked, options } = await check(r.root, 'docs/plan.md', doc, false);
      const found = summary(checked.findings);
      assert.deepEqual(found, [
        '9 stale-line: Line 9 of src/fray/context.py no longer holds FrayContext.run: it is now at line 12.',
        '12 stale-line: Line 13 of src/fray/context.py no longer holds make_context: it is now at line 16.',
      ]);
      const fixed = fixAllText(doc, options).text;
      assert.match(fixed, /`src\/fray\/context.py:12 - FrayContext.run\(\)`/);
      assert.match(fixed, /# src\/fray\/context.py:16/);
      assert.deepEqual(summary(checkText(fixed, options).findings), []);
    } finally {
      r.remove();
    }
  });

  it('follows a rename recorded by git (certain: fix-all) and suggests a unique basename otherwise (not fix-all)', async () => {
    const doc = plan(['- `src/fray/context.py:13` - the factory', '- `src/util/strings.py` - helpers', '- design: [design](design/fray.md)'].join('\n'));
    const r = repo({ 'src/fray/context.py': CONTEXT_PY, 'src/util/strings.py': 'x = 1\n', 'docs/plan.md': doc, 'docs/design/fray.md': '# Fray\n' });
    try {
      r.git('mv', 'src/fray/context.py', 'src/fray/ctx.py');
      r.write('src/fray/ctx.py', CONTEXT_PY_MOVED);
      r.git('add', '-A');
      r.git('commit', '-q', '-m', 'rename');
      // Moved by hand and not added to git: git sees only a deletion, the unique basename finds it.
      mkdirSync(join(r.root, 'src/text'));
      renameSync(join(r.root, 'src/util/strings.py'), join(r.root, 'src/text/strings.py'));
      r.git('mv', 'docs/design/fray.md', 'docs/fray-design.md');
      r.git('commit', '-q', '-m', 'move design');
      const { checked, options } = await check(r.root, 'docs/plan.md', doc);
      const missing = checked.findings.filter((finding) => finding.ruleId === 'missing-file');
      assert.equal(missing.length, 2, summary(checked.findings).join('\n'));
      const renamed = missing[0].fixes[0];
      assert.equal(renamed.title, 'Replace with src/fray/ctx.py (line 16) (git shows it was renamed to src/fray/ctx.py)');
      assert.equal(renamed.fixAll, true);
      assert.match(missing[0].message, /Git shows it was renamed to src\/fray\/ctx.py/);
      assert.equal(missing[1].fixes[0].title, 'Replace with src/text/strings.py (the only file named strings.py is src/text/strings.py)');
      assert.equal(missing[1].fixes[0].fixAll, false);
      const link = checked.findings.find((finding) => finding.ruleId === 'broken-doc-link');
      assert.ok(link);
      assert.equal(link.fixes[0].edits[0].newText, 'fray-design.md', 'link paths are rewritten relative to the doc');
      const fixed = fixAllText(doc, options).text;
      assert.match(fixed, /`src\/fray\/ctx.py:16` - the factory/);
      assert.match(fixed, /\[design\]\(fray-design.md\)/);
      assert.deepEqual(summary(checkText(fixed, options).findings).map((line) => line.split(':')[0]), ['10 missing-file'], 'the basename guess is left for the user');
    } finally {
      r.remove();
    }
  });

  it('suggests a unique basename match without git, as a quick fix only', async () => {
    const doc = plan('- `src/old/strings.py:1` - helpers');
    const r = repo({ 'src/text/strings.py': 'x = 1\n', 'docs/plan.md': doc }, { git: false });
    try {
      const { checked } = await check(r.root, 'docs/plan.md', doc, false);
      const [missing] = checked.findings.filter((finding) => finding.ruleId === 'missing-file');
      assert.equal(missing.fixes[0].title, 'Replace with src/text/strings.py (the only file named strings.py is src/text/strings.py)');
      assert.equal(missing.fixes[0].fixAll, false);
      assert.match(missing.message, /The only file named strings.py is src\/text\/strings.py/);
    } finally {
      r.remove();
    }
  });

  it('the CLI reports the same reference diagnostics, and --fix applies the certain ones', async () => {
    const doc = plan(['- `src/fray/context.py:13` - the factory', '- `src/fray/context.py:9 - FrayContext.run()` - runs', '- `src/gone.py` - removed'].join('\n'));
    const r = repo({ 'src/fray/context.py': CONTEXT_PY, 'docs/plan.md': doc });
    try {
      r.write('src/fray/context.py', CONTEXT_PY_MOVED);
      r.git('commit', '-q', '-am', 'move code');
      const expected = summary((await check(r.root, 'docs/plan.md', doc)).checked.findings);
      assert.equal(expected.length, 3, expected.join('\n'));
      const out: string[] = [];
      const io: CliIo = { cwd: r.root, env: {}, stdout: { write: (text: string) => out.push(text) }, stderr: { write: () => undefined } };
      const status = await main(['check', '--root', r.root, '--format', 'json', 'docs/plan.md'], io);
      assert.equal(status, 0, 'warnings and infos only: exit 0');
      const [report] = JSON.parse(out.join('')) as { diagnostics: { code: string; message: string; range: { start: { line: number } } }[] }[];
      const cli = report.diagnostics.filter((d) => REFERENCE_RULES.has(d.code)).map((d) => `${d.range.start.line + 1} ${d.code}: ${d.message}`);
      assert.deepEqual(cli, expected);
      assert.deepEqual(report.diagnostics.filter((d) => REFERENCE_RULES.has(d.code)).map((d) => d.code), ['line-drift', 'stale-line', 'missing-file']);
      out.length = 0;
      await main(['check', '--root', r.root, '--fix', '--format', 'json', 'docs/plan.md'], io);
      const [after] = JSON.parse(out.join('')) as { diagnostics: { code: string }[] }[];
      assert.deepEqual(after.diagnostics.filter((d) => REFERENCE_RULES.has(d.code)).map((d) => d.code), ['missing-file']);
    } finally {
      r.remove();
    }
  });
});

describe('reference rules without git and on bad input', () => {
  it('does not report files the doc says are new while their stage is not done, and errors once it is done', async () => {
    const body = ['- `src/fray/context.py` - exists', '- `src/fray/pool.py` (new file) - the pool', '| `src/fray/queue.py` | NEW |'].join('\n');
    const doc = plan(body);
    const r = repo({ 'src/fray/context.py': CONTEXT_PY }, { git: false });
    try {
      assert.deepEqual(summary((await check(r.root, 'docs/plan.md', doc, false)).checked.findings), []);
      const done = doc.replace('## Stage 1: Add the runner', '## Stage 1: Add the runner ✅').replace('- [ ] Create', '- [x] Create').replace('- [ ] `make', '- [x] `make');
      const { checked } = await check(r.root, 'docs/plan.md', done, false);
      const missing = checked.findings.filter((finding) => finding.ruleId === 'missing-file');
      assert.deepEqual(missing.map((finding) => [finding.severity, finding.message]), [['error', 'src/fray/runner.py does not exist, though the task that creates it is ticked.']]);
      const configured = await checkTextPrepared(done, { ...(await check(r.root, 'docs/plan.md', done, false)).options, config: mergeConfig(defaultConfig(), { rules: { 'missing-file': 'info' } }) });
      assert.deepEqual(configured.findings.filter((finding) => finding.ruleId === 'missing-file').map((finding) => finding.severity), ['info'], 'a configured severity wins');
    } finally {
      r.remove();
    }
  });

  it('reports escapes (../.., absolute, a symlink out) without reading them, and skips loops and binary files', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'docplan-outside-'));
    writeFileSync(join(outside, 'secret.py'), 'SECRET = 1\n');
    const r = repo({ 'src/blob.bin': 'abc\u0000def\n', 'src/ok.py': 'x = 1\n' }, { git: false });
    try {
      symlinkSync(join(outside, 'secret.py'), join(r.root, 'src/link.py'));
      symlinkSync(join(r.root, 'src/loop_b.py'), join(r.root, 'src/loop_a.py'));
      symlinkSync(join(r.root, 'src/loop_a.py'), join(r.root, 'src/loop_b.py'));
      const body = ['- `../../etc/passwd:1`', '- `/etc/passwd:1`', '- `src/link.py:1 - SECRET`', '- `src/loop_a.py:1`', '- `src/blob.bin:1`', '- `src/ok.py:1`'].join('\n');
      const doc = plan(body);
      // Record every file the check reads: none may be outside the folder.
      const workspace = new FolderWorkspace(r.root, { validate: 'stat', git: false });
      const read: string[] = [];
      for (const method of ['info', 'text', 'line'] as const) {
        const original = workspace.files[method].bind(workspace.files) as (...args: unknown[]) => unknown;
        (workspace.files as unknown as Record<string, unknown>)[method] = (path: string, ...rest: unknown[]) => {
          read.push(path);
          return original(path, ...rest);
        };
      }
      const checked = await checkTextPrepared(doc, { config: defaultConfig(), path: 'docs/plan.md', workspace: workspace.view(join(r.root, 'docs/plan.md')) });
      const found = summary(checked.findings);
      // `/etc/passwd:1` is an absolute path: the subject of a doc, not a file of the repository (no finding).
      assert.deepEqual(found.map((line) => line.split(':')[0]), [
        '9 reference-outside-workspace',
        '11 reference-outside-workspace',
        '12 reference-unreadable',
        '13 reference-unreadable',
      ]);
      assert.match(found[1], /src\/link.py leads outside the workspace folder through a symlink; DocPlan does not read it\./);
      assert.match(found[2], /symlink loop/);
      assert.match(found[3], /a binary file; its lines are not checked/);
      assert.ok(read.length > 0, 'the readable references were read');
      assert.deepEqual(read.filter((path) => /link\.py|loop_|passwd/.test(path)), [], 'escaping and looping paths are never read');
    } finally {
      r.remove();
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('skips an unreadable file with a message', async () => {
    const r = repo({ 'src/locked.py': 'x = 1\n' }, { git: false });
    try {
      chmodSync(join(r.root, 'src/locked.py'), 0o000);
      const doc = plan('- `src/locked.py:1`');
      const found = summary((await check(r.root, 'docs/plan.md', doc, false)).checked.findings);
      if (process.getuid?.() === 0) {
        // root reads anything: the reference is simply fine.
        assert.deepEqual(found, []);
      } else {
        assert.deepEqual(found, ['9 reference-unreadable: src/locked.py: cannot be read; its lines are not checked.']);
      }
    } finally {
      chmodSync(join(r.root, 'src/locked.py'), 0o644);
      r.remove();
    }
  });

  it('checks heading anchors in the doc and in linked docs', async () => {
    const r = repo({ 'docs/design.md': '# Design\n\n## Proposed Design\n\n## Proposed Design\n\n```\n## Not A Heading\n```\n' }, { git: false });
    try {
      const doc = plan(['- [a](design.md#proposed-design-1)', '- [b](design.md#not-a-heading)', '- [c](#stage-1-add-the-runner)', '- [d](#background)', '- [e](#nope)', '- [f](https://x.test/a.md#q)'].join('\n'));
      const found = summary((await check(r.root, 'docs/plan.md', doc, false)).checked.findings);
      assert.deepEqual(found, [
        '10 broken-doc-link: docs/design.md has no heading with the anchor #not-a-heading.',
        '13 broken-doc-link: This document has no heading with the anchor #nope.',
      ]);
      assert.equal(headingSlug('Stage 1: Add the `runner` (v2)!'), 'stage-1-add-the-runner-v2');
      assert.deepEqual([...anchorsOfMarkdown(['Title', '=====', '# A *b* c', '# A b c'])], ['title', 'a-b-c', 'a-b-c-1']);
    } finally {
      r.remove();
    }
  });

  it('gives ordinary Markdown nothing, even with broken references', async () => {
    const r = repo({}, { git: false });
    try {
      const readme = '# Notes\n\nSee `src/gone.py:3`, `../../etc/passwd:1` and [x](missing.md).\n';
      const { checked } = await check(r.root, 'README.md', readme, false);
      assert.equal(checked.built.model.kind, null);
      assert.deepEqual(checked.findings, []);
    } finally {
      r.remove();
    }
  });

  it('resolves references per workspace folder (two folders, same relative path)', async () => {
    const a = repo({ 'src/app.py': 'def main():\n    pass\n' }, { git: false });
    const b = repo({ 'src/other.py': 'x = 1\n' }, { git: false });
    try {
      const doc = plan('- `src/app.py:1 - main()`');
      assert.deepEqual(summary((await check(a.root, 'docs/plan.md', doc, false)).checked.findings), []);
      assert.deepEqual(summary((await check(b.root, 'docs/plan.md', doc, false)).checked.findings), ['9 missing-file: src/app.py does not exist: src/ has no app.py (looked in docs/ and the workspace root).']);
    } finally {
      a.remove();
      b.remove();
    }
  });
});

describe('reference navigation', () => {
  it('links a reference to its file at the line or range, hovers the lines, completes paths in backticks', async () => {
    const r = repo({ 'src/fray/context.py': CONTEXT_PY, 'src/fray/pool.py': 'x = 1\n' }, { git: false });
    try {
      const doc = plan(['- `src/fray/context.py:9 - FrayContext.run()`', '- src/fray/context.py:5-7 is the class', '- `src/fr'].join('\n'));
      const { checked, options } = await check(r.root, 'docs/plan.md', doc, false);
      const context = { checked, workspace: options.workspace ?? null };
      const links = referenceNavigation.links(context);
      const targets = links.map((link) => link.target!.replace(`file://${r.root}`, ''));
      assert.deepEqual(targets, ['/src/fray/context.py#L9', '/src/fray/context.py#L5-L7']);
      assert.equal(links[0].tooltip, 'Open src/fray/context.py at line 9');
      const hover = referenceNavigation.hover(context, { line: 8, character: 6 });
      assert.ok(hover);
      const value = (hover.contents as { value: string }).value;
      assert.match(value, /^\*\*src\/fray\/context.py\*\*, from line 9\n\n```python\n {4}def run\(self, task\):\n/);
      const range = referenceNavigation.hover(context, { line: 9, character: 4 });
      assert.match((range!.contents as { value: string }).value, /lines 5-7\n\n```python\nclass FrayContext:\n {4}def __init__\(self, name\):\n {8}self.name = name\n```$/);
      assert.equal(referenceNavigation.hover(context, { line: 0, character: 3 }), null);
      const completion = referenceNavigation.completion(context, { line: 10, character: 9 });
      assert.deepEqual(completion?.map((item) => item.label), ['fray/']);
      assert.deepEqual(completion?.[0].textEdit, { range: { start: { line: 10, character: 7 }, end: { line: 10, character: 9 } }, newText: 'fray/' });
      // Outside backticks, or in a command with spaces: nothing from this provider.
      assert.equal(referenceNavigation.completion(context, { line: 4, character: 5 }), null);
    } finally {
      r.remove();
    }
  });
});
