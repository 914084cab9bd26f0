/**
 * Line references against real git repositories, for the shapes a fixture folder cannot hold (a whole doc
 * finished or executed, code moved to another file): records of finished work stay silent while their live
 * twins report, and a symbol or line that left its file is found where it went, with a fix to go there.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git } from '../helpers/git';
import { checkTextPrepared, type CheckOptions } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { fixAllText } from '../../server/src/features/fixAll';
import { FolderWorkspace } from '../../server/src/workspace/workspace';

const LINE_RULES = new Set(['line-drift', 'stale-line', 'line-out-of-range']);

/** A committed temp repository; `commit` writes files and commits them. */
function repo(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'docplan-lines-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const commit = (changed: Record<string, string>, message: string) => {
    for (const [path, text] of Object.entries(changed)) write(path, text);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', message);
  };
  git(root, 'init', '-q', '-b', 'main');
  commit(files, 'first');
  return { root, commit, remove: () => rmSync(root, { recursive: true, force: true }) };
}

async function lineFindings(root: string, docRel: string, text: string): Promise<{ found: string[]; options: CheckOptions }> {
  const workspace = new FolderWorkspace(root, { validate: 'stat', git: true });
  const options: CheckOptions = { config: defaultConfig(), path: docRel, workspace: workspace.view(join(root, docRel)) };
  const checked = await checkTextPrepared(text, options);
  workspace.dispose();
  const found = checked.findings.filter((finding) => LINE_RULES.has(finding.ruleId)).map((finding) => `${finding.range.start.line + 1} ${finding.ruleId}: ${finding.message}`);
  return { found, options };
}

const CONFIG_YML = ['server:', '  port: 8080', '', 'cors:', '  allowed-origins: http://localhost:5173', ''].join('\n');
const CONFIG_YML_AFTER = ['server:', '  port: 8080', '  servlet:', '    session:', '      cookie:', '        same-site: lax', '', 'cors:', '  allowed-origins: http://127.0.0.1:5173', ''].join('\n');
const APP_TS = ['import { serve } from "./serve";', '', 'export function start(port: number) {', '  return serve({ port, cors: false });', '}', ''].join('\n');
const APP_TS_AFTER = ['import { serve } from "./serve";', 'import { cors } from "./cors";', '', 'export function start(port: number) {', '  return serve({ port, cors: cors() });', '}', ''].join('\n');

/** A plan in the agent task style: no boxes, no marks, steps that name the lines they change. */
function taskPlan(createLine: string): string {
  return [
    '# Session Cookie Plan',
    '',
    '**Goal:** Browsers keep the session cookie across the two front ends.',
    '',
    '---',
    '',
    '## Task 1: Allow the new origin',
    '',
    '**Files:**',
    '- Modify: `config/app.yml:4-5`',
    '',
    'Set the origin to the loopback address.',
    '',
    '## Task 2: Turn CORS on',
    '',
    '**Files:**',
    '- Modify: `src/app.ts:4`',
    createLine,
    '',
    'Pass the CORS options to `serve`.',
    '',
  ].join('\n');
}

describe('line references in records of finished work', () => {
  it('an executed plan (its steps visibly carried out) names lines as they were: silent', async () => {
    const doc = taskPlan('- Create: `src/cors.ts`');
    const r = repo({ 'config/app.yml': CONFIG_YML, 'src/app.ts': APP_TS, 'docs/plans/cookie.md': doc });
    try {
      r.commit({ 'config/app.yml': CONFIG_YML_AFTER, 'src/app.ts': APP_TS_AFTER, 'src/cors.ts': 'export const cors = () => true;\n' }, 'carry out the plan');
      const { found } = await lineFindings(r.root, 'docs/plans/cookie.md', doc);
      assert.deepEqual(found, []);
    } finally {
      r.remove();
    }
  });

  it('steps written after the path, "(MODIFY - …)" and "(CREATE)", count as steps too', async () => {
    const doc = taskPlan('- `src/cors.ts` (CREATE)').replace('- Modify: `config/app.yml:4-5`', '- `config/app.yml:4-5` (MODIFY - set the origin after line 4)').replace('- Modify: `src/app.ts:4`', '- `src/app.ts:4` (MODIFY)');
    const r = repo({ 'config/app.yml': CONFIG_YML, 'src/app.ts': APP_TS, 'docs/plans/cookie.md': doc });
    try {
      r.commit({ 'config/app.yml': CONFIG_YML_AFTER, 'src/app.ts': APP_TS_AFTER, 'src/cors.ts': 'export const cors = () => true;\n' }, 'carry out the plan');
      assert.deepEqual((await lineFindings(r.root, 'docs/plans/cookie.md', doc)).found, []);
      r.commit({ 'src/cors.ts': '' }, 'empty');
      const pending = doc.replace('`src/cors.ts` (CREATE)', '`src/cors-options.ts` (CREATE)');
      r.commit({ 'docs/plans/cookie.md': pending, 'config/app.yml': CONFIG_YML, 'src/app.ts': APP_TS }, 'a new plan');
      r.commit({ 'config/app.yml': CONFIG_YML_AFTER }, 'other work');
      assert.equal((await lineFindings(r.root, 'docs/plans/cookie.md', pending)).found.length, 1, 'its Create file is missing: live');
    } finally {
      r.remove();
    }
  });

  it('the same plan still waiting for a file it creates is live: drift and a changed line are reported', async () => {
    const doc = taskPlan('- Create: `src/cors.ts`');
    const r = repo({ 'config/app.yml': CONFIG_YML, 'src/app.ts': APP_TS, 'docs/plans/cookie.md': doc });
    try {
      r.commit({ 'config/app.yml': CONFIG_YML_AFTER, 'src/app.ts': APP_TS_AFTER }, 'other work');
      const { found } = await lineFindings(r.root, 'docs/plans/cookie.md', doc);
      assert.deepEqual(found, [
        '10 line-drift: `cors:` has moved from lines 4-5 to 8-9 of config/app.yml since this doc was last committed: 4 lines were inserted above it.',
        "17 stale-line: Line 4 of src/app.ts changed since the doc was written: it read `return serve({ port, cors: false });`; in its place there is now `return serve({ port, cors: cors() });`.",
      ]);
    } finally {
      r.remove();
    }
  });

  it('a doc whose status says complete is a record; the same doc in progress reports', async () => {
    const body = (status: string) => ['# Origins', '', `**Status:** ${status}`, '', '**Goal:** One origin list.', '', '## Stage 1: Origins', '', '### Changes', '', '- Read the origins at `config/app.yml:4`', '', '### Validation', '', '- [ ] `make check`', ''].join('\n');
    const r = repo({ 'config/app.yml': CONFIG_YML, 'docs/done.md': body('Complete'), 'docs/shipped.md': body('✅ IMPLEMENTED (2025-01-13)'), 'docs/live.md': body('In progress') });
    try {
      r.commit({ 'config/app.yml': CONFIG_YML_AFTER }, 'move the origins');
      assert.deepEqual((await lineFindings(r.root, 'docs/done.md', body('Complete'))).found, []);
      assert.deepEqual((await lineFindings(r.root, 'docs/shipped.md', body('✅ IMPLEMENTED (2025-01-13)'))).found, []);
      assert.deepEqual((await lineFindings(r.root, 'docs/live.md', body('In progress'))).found, [
        '11 line-drift: `cors:` has moved from line 4 to 8 of config/app.yml since this doc was last committed: 4 lines were inserted above it.',
      ]);
      const partial = body('✅ Stage 1 complete, stage 2 in progress');
      r.commit({ 'docs/partial.md': partial, 'config/app.yml': CONFIG_YML }, 'partial, origins back');
      r.commit({ 'config/app.yml': CONFIG_YML_AFTER }, 'origins moved again');
      assert.equal((await lineFindings(r.root, 'docs/partial.md', partial)).found.length, 1, 'a partly done status is live');
    } finally {
      r.remove();
    }
  });
});

const INDEX_PY = ['"""Search index."""', '', '', 'class Index:', '    def rebuild(self):', '        self.rows = []', '        return self.rows', '', '    def size(self):', '        return len(self.rows)', ''].join('\n');
const INDEX_PY_AFTER = ['"""Search index."""', '', '', 'class Index:', '    def size(self):', '        return len(self.rows)', ''].join('\n');
const BUILD_PY = ['"""Index building."""', '', '', 'def rebuild_rows(index):', '    index.rows = []', '    return index.rows', ''].join('\n');

function design(line: string): string {
  return ['# Design: Search index', '', '## Overview', '', 'The index is rebuilt on demand.', '', '## Detailed Design', '', line, ''].join('\n');
}

describe('code that left the file a doc names', () => {
  it('a function named with its file and moved to another file is found there, with a fix to the new place', async () => {
    const doc = design('- `Index.rebuild()` in `src/search/index.py`: rebuilds every row.');
    const r = repo({ 'src/search/index.py': INDEX_PY, 'src/search/build.py': BUILD_PY, 'docs/search.md': doc });
    try {
      const moved = BUILD_PY + ['', 'class Index:', '    def rebuild(self):', '        self.rows = []', '        return self.rows', ''].join('\n');
      r.commit({ 'src/search/index.py': INDEX_PY_AFTER, 'src/search/build.py': moved }, 'move rebuild');
      const { found, options } = await lineFindings(r.root, 'docs/search.md', doc);
      assert.deepEqual(found, ["9 stale-line: Index.rebuild is no longer defined in src/search/index.py: it is now at src/search/build.py:9, the only definition among the workspace's .py files."]);
      const fixed = fixAllText(doc, options).text;
      assert.equal(fixed, doc, 'a guess across files is never applied by fix-all');
    } finally {
      r.remove();
    }
  });

  it('a function named with its file that exists nowhere (still to be written, or defined twice elsewhere) is silent', async () => {
    const doc = design('- `Index.compact()` in `src/search/index.py`: drops empty rows.');
    const r = repo({ 'src/search/index.py': INDEX_PY, 'docs/search.md': doc });
    try {
      assert.deepEqual((await lineFindings(r.root, 'docs/search.md', doc)).found, []);
      const twice = design('- `Index.rebuild()` in `src/search/index.py`: rebuilds every row.');
      const copy = ['class Index:', '    def rebuild(self):', '        return []', ''].join('\n');
      r.commit({ 'src/search/index.py': INDEX_PY_AFTER, 'src/a/one.py': copy, 'src/b/two.py': copy, 'docs/search.md': twice }, 'two copies');
      assert.deepEqual((await lineFindings(r.root, 'docs/search.md', twice)).found, []);
      const withLine = design('- `src/search/index.py:5 - Index.rebuild()` rebuilds every row.');
      assert.deepEqual((await lineFindings(r.root, 'docs/search.md', withLine)).found, [
        '9 stale-line: Index.rebuild is no longer defined in src/search/index.py, and it is defined more than once in other .py files (src/a/one.py and src/b/two.py, at least).',
      ]);
    } finally {
      r.remove();
    }
  });

  it('a referenced line moved to a new file is named at its new file and line, and a range stays a range', async () => {
    const tests = ['import { it } from "vitest";', '', 'it("keeps blank lines between paragraphs", () => {', '  expect(1).toBe(1);', '});', '', 'it("joins wrapped lines into one paragraph", () => {', '  expect(2).toBe(2);', '});', ''].join('\n');
    const doc = design('- `test/parse.test.ts:7-9` covers wrapped lines.');
    const r = repo({ 'test/parse.test.ts': tests, 'docs/parse.md': doc });
    try {
      const kept = tests.split('\n').slice(0, 6).join('\n') + '\n';
      const moved = ['import { it } from "vitest";', '', 'it("joins wrapped lines into one paragraph", () => {', '  expect(2).toBe(2);', '});', ''].join('\n');
      r.commit({ 'test/parse.test.ts': kept, 'test/wrap.test.ts': moved }, 'split the tests');
      const { found, options } = await lineFindings(r.root, 'docs/parse.md', doc);
      assert.deepEqual(found, [
        "9 stale-line: Line 7 of test/parse.test.ts no longer reads `it(\"joins wrapped lines into one paragraph\", () => {` (the file has 6 lines now): it is now at test/wrap.test.ts:3-5, the only line with that text among the workspace's .ts files.",
      ]);
      const checked = await checkTextPrepared(doc, options);
      const fix = checked.findings.find((finding) => finding.ruleId === 'stale-line')?.fixes?.[0];
      assert.equal(fix?.title, 'Replace with test/wrap.test.ts:3-5 (where that line is now)');
      assert.equal(fix?.edits[0].newText, 'test/wrap.test.ts:3-5');
    } finally {
      r.remove();
    }
  });
});
