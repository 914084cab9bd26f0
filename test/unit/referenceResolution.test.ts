/**
 * What counts as a reference, decided by resolution: a doc's own folder before the workspace root, bare
 * names through the file index, and tokens that only look like paths (identifiers, versions, import paths,
 * slugs) never reported. Also: messages that say what was resolved and where DocPlan looked, ranges that
 * speak as ranges, GitHub's heading slugs, and planted rot in a real git repository, each found.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git } from '../helpers/git';
import { checkTextPrepared, type CheckedDocument } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { main, type CliIo } from '../../server/src/cli/main';
import { referenceNavigation } from '../../server/src/features/referenceNavigation';
import { headingSlug, slugSet } from '../../server/src/workspace/anchors';
import { driftByContent, isAnchorLine } from '../../server/src/workspace/drift';
import { FolderWorkspace } from '../../server/src/workspace/workspace';

const REFERENCE_RULES = new Set(['missing-file', 'file-not-deleted', 'line-out-of-range', 'stale-line', 'line-drift', 'broken-doc-link', 'reference-outside-workspace', 'reference-unreadable']);

function tree(files: Record<string, string>, withGit = false) {
  const root = mkdtempSync(join(tmpdir(), 'docplan-resolve-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  const run = (...args: string[]) => git(root, ...args);
  if (withGit) {
    run('init', '-q');
    run('add', '-A');
    run('commit', '-q', '-m', 'as the doc was written');
  }
  return { root, write, git: run, remove: () => rmSync(root, { recursive: true, force: true }) };
}

async function check(root: string, docRel: string, text: string, withGit = false): Promise<CheckedDocument> {
  const workspace = new FolderWorkspace(root, { validate: 'stat', git: withGit });
  return checkTextPrepared(text, { config: defaultConfig(), path: docRel, workspace: workspace.view(join(root, docRel)) });
}

function referenceFindings(checked: CheckedDocument): string[] {
  return checked.findings.filter((finding) => REFERENCE_RULES.has(finding.ruleId)).map((finding) => `${finding.range.start.line + 1} ${finding.ruleId}: ${finding.message}`);
}

/** A plan whose Affected Code section holds `body`, with one pending stage. */
function plan(body: string, stage = '- [ ] Wire it up'): string {
  return ['---', 'docplan: plan', '---', '# Plan: Sign-off', '', '**Goal**: every release is signed off in under a day.', '', '### Affected Code', '', body, '', '## Stage 1: Wire it', '', '### Objective', '', 'Wire it.', '', '### Changes', '', stage, '', '### Validation', '', '- [ ] `make check`', ''].join('\n');
}

const START_SH = '#!/bin/sh\necho start\nexec app\n';

describe('what counts as a reference', () => {
  it('resolves a name beside the doc before the workspace root, and bare names through the index', async () => {
    const t = tree({
      'keps/sig-apps/42-signoff/kep.yaml': 'title: signoff\nstage: alpha\n',
      'kep.yaml': 'not: this one\n',
      'scripts/start.sh': START_SH,
      'src/proxy.py': 'def serve():\n    return 1\n',
      'a/util.py': 'x = 1\n',
      'b/util.py': 'y = 2\nz = 3\n',
    });
    try {
      const doc = plan(
        [
          '- `kep.yaml` beside this README, and `kep.yaml:2` is its stage line',
          '- `proxy.py` and `proxy.py:2` name the one proxy module',
          '- `util.py` names two files, and `util.py:2` is inside one of them',
          '- `util.py:9` is past the end of both <!-- line-out-of-range -->',
          '- `scripts/start.sh:2-9` runs past the end',
          '- `kep.yaml:7` is past the end of the KEP file beside the doc',
          '- `src/gone.py` is missing from an existing folder',
        ].join('\n'),
      );
      const checked = await check(t.root, 'keps/sig-apps/42-signoff/README.md', doc);
      assert.deepEqual(referenceFindings(checked), [
        '13 line-out-of-range: Line 9 is past the end of every file named util.py (a/util.py has 1, b/util.py has 2).',
        '14 line-out-of-range: Lines 2-9 run past the end of scripts/start.sh, which has 3 lines.',
        '15 line-out-of-range: Line 7 is past the end of keps/sig-apps/42-signoff/kep.yaml, which has 2 lines.',
        '16 missing-file: src/gone.py does not exist: src/ has no gone.py (looked in keps/sig-apps/42-signoff/, the folders above it and the workspace root).',
      ]);
      // Navigation links what resolved, to the file a reader means.
      const workspace = new FolderWorkspace(t.root, { validate: 'stat', git: false });
      const links = referenceNavigation.links({ checked: await check(t.root, 'keps/sig-apps/42-signoff/README.md', doc), workspace: workspace.view(join(t.root, 'keps/sig-apps/42-signoff/README.md')) } as never);
      const targets = links.map((link) => link.target?.replace(/^file:\/\/.*?docplan-resolve-[^/]+\//, '') ?? '');
      assert.ok(targets.includes('keps/sig-apps/42-signoff/kep.yaml'), targets.join('\n'));
      assert.ok(targets.includes('src/proxy.py#L2'), targets.join('\n'));
      assert.ok(!targets.some((target) => target === 'kep.yaml'), 'the root kep.yaml is not the one beside the doc');
    } finally {
      t.remove();
    }
  });

  it('says where it looked for a bare name with a line that names no file', async () => {
    const t = tree({ 'docs/plans/.keep': '', 'src/app.py': 'x = 1\n' });
    try {
      const checked = await check(t.root, 'docs/plans/signoff.md', plan('- `proxy.py:42` serves the requests'));
      assert.deepEqual(referenceFindings(checked), [
        '10 missing-file: docs/plans/proxy.py does not exist (looked in docs/plans/, the folders above it and the workspace root, and no file of that name is anywhere in the workspace).',
      ]);
    } finally {
      t.remove();
    }
  });

  it('links an editor plan to its project root, as the editor renders it', async () => {
    const t = tree({ 'app/src/agents/queue.ts': 'export const q = 1;\n', 'app/.cursor/plans/.keep': '' });
    try {
      const doc = plan('- [the queue](src/agents/queue.ts) and `src/agents/queue.ts:1`\n- [gone](src/agents/gone.ts) <!-- broken -->');
      const checked = await check(t.root, 'app/.cursor/plans/queue.plan.md', doc);
      const found = referenceFindings(checked);
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], /^11 broken-doc-link: The link target src\/agents\/gone.ts does not exist/);
    } finally {
      t.remove();
    }
  });

  it('reports none of 5,000 code spans that are not paths (identifiers, versions, import paths, slugs)', async () => {
    const files: Record<string, string> = { 'src/app.py': 'x = 1\n', 'docs/.keep': '', 'api/v1/types.go': 'package v1\n' };
    const t = tree(files);
    try {
      const shapes = [
        (i: number) => `isize/usize${i}`,
        (i: number) => `a.b.c${i}`,
        (i: number) => `Foo${i}.bar()`,
        (i: number) => `v${i}.2.3`,
        (i: number) => `${i}.0.1-beta`,
        (i: number) => `k8s.io/api/core/v${i}`,
        (i: number) => `github.com/acme/widget${i}`,
        (i: number) => `example.com/finalizer${i}`,
        (i: number) => `apps/v${i}`,
        (i: number) => `@scope/pkg${i}`,
        (i: number) => `text/plain${i}`,
        (i: number) => `owner${i}/repo`,
        (i: number) => `feature/login-${i}`,
        (i: number) => `origin/main${i}`,
        (i: number) => `/etc/hosts${i}`,
        (i: number) => `~/.config/app${i}.json`,
        (i: number) => `$HOME/x${i}`,
        (i: number) => `state/server${i}.pid`,
        (i: number) => `app.kubernetes.io/name${i}`,
        (i: number) => `rfcs/0000-my-feature${i}.md`,
        (i: number) => `Node${i}.js`,
        (i: number) => `config${i}.yaml`,
        (i: number) => `serde_json::Value${i}`,
        (i: number) => `A/${i}`,
        (i: number) => `N/A${i}`,
      ];
      const lines: string[] = [];
      for (let i = 0; i < 5000; i++) lines.push(`- \`${shapes[i % shapes.length](i)}\` in the text`);
      const doc = plan(lines.join('\n'));
      const checked = await check(t.root, 'docs/plan.md', doc);
      assert.deepEqual(referenceFindings(checked), []);
      // And the CLI, which the issue names, agrees.
      writeFileSync(join(t.root, 'docs/plan.md'), doc);
      let out = '';
      const io: CliIo = { cwd: t.root, env: {}, stdout: { write: (text: string) => (out += text) }, stderr: { write: () => undefined } };
      await main(['check', '--format', 'json', '--root', t.root, 'docs/plan.md'], io);
      const reported = (JSON.parse(out) as { diagnostics: { code: string }[] }[]).flatMap((file) => file.diagnostics).filter((diagnostic) => REFERENCE_RULES.has(diagnostic.code));
      assert.deepEqual(reported, []);
    } finally {
      t.remove();
    }
  });
});

describe('records of finished work and sub-projects', () => {
  it('leaves a ticked task\'s renamed file alone, reports an open one, and reads partial paths of one file', async () => {
    const doc = plan('- `src/main.tsx` is the entry of the web app\n- [x] Wrote `src/old.py` for the first cut\n- [ ] Extend `src/old.py` next', '- [ ] Wire `src/app.py` up');
    const t = tree({ 'web/src/main.tsx': 'export {};\n', 'src/old.py': 'X = 1\n', 'src/app.py': 'Y = 2\n', 'docs/plans/p.md': doc }, true);
    try {
      t.git('mv', 'src/old.py', 'src/renamed.py');
      t.git('commit', '-q', '-m', 'rename');
      assert.deepEqual(referenceFindings(await check(t.root, 'docs/plans/p.md', doc, true)), [
        '12 missing-file: src/old.py does not exist: src/ has no old.py (looked in docs/plans/, the folders above it and the workspace root). Git shows it was renamed to src/renamed.py.',
      ]);
    } finally {
      t.remove();
    }
  });
});

describe('GitHub heading slugs (github-slugger)', () => {
  it('keeps code span text, underscores included', () => {
    assert.equal(headingSlug('Step 2: Retire __internal registration'), 'step-2-retire-__internal-registration');
    assert.ok(slugSet(['Step 2: Retire `__internal` registration']).has('step-2-retire-__internal-registration'));
  });
  it('keeps underscores of words and drops emphasis marks', () => {
    assert.ok(slugSet(['The *snake_case* name']).has('the-snake_case-name'));
    assert.ok(slugSet(['__Bold__ start']).has('bold-start'));
  });
  it('drops emoji and punctuation, keeping the dash a space became', () => {
    assert.equal(headingSlug('🚀 Ship it!'), '-ship-it');
    assert.equal(headingSlug('Stage 1: Add the `runner` (v2)!'), 'stage-1-add-the-runner-v2');
  });
  it('numbers duplicates -1, -2', () => {
    assert.deepEqual([...slugSet(['Notes', 'Notes', 'Notes'])], ['notes', 'notes-1', 'notes-2']);
  });
});

describe('line drift anchored by content', () => {
  const before = ['import os', '', 'def load():', '    return 1', '}', '', 'def save():', '    pass'];
  it('moves a reference only to where its text is now', () => {
    const after = ['import os', 'import sys', 'import json', '', 'def load():', '    return 1', '}', '', 'def save():', '    pass'];
    assert.deepEqual(driftByContent(before, after, 3, null), { status: 'moved', line: 5, endLine: null, anchor: 'def load():', shifted: true });
    assert.deepEqual(driftByContent(before, after, 3, 4), { status: 'moved', line: 5, endLine: 6, anchor: 'def load():', shifted: true });
  });
  it('never anchors on a blank or trivial line', () => {
    for (const line of ['', '}', 'fi', 'return', '  );', 'end']) assert.equal(isAnchorLine(line), false, line);
    const after = ['import os', 'x = 1', '', 'def load():', '    return 1', '}', '', 'def save():', '    pass'];
    assert.deepEqual(driftByContent(before, after, 5, null), { status: 'unknown' });
    assert.deepEqual(driftByContent(before, after, 2, null), { status: 'unknown' });
  });
  it('says the line changed, with no new number, when its content is gone', () => {
    const after = ['import os', '', 'def load_all():', '    return 1', '}'];
    assert.deepEqual(driftByContent(before, after, 3, null), { status: 'changed', was: 'def load():', now: 'def load_all():' });
  });
  it('finds a moved function by its text when the diff lost it', () => {
    const after = ['import os', '', 'def save():', '    pass', '', 'def load():', '    return 1', '}'];
    assert.deepEqual(driftByContent(before, after, 3, null), { status: 'moved', line: 6, endLine: null, anchor: 'def load():', shifted: false });
  });
});

describe('planted rot in a real git repository', () => {
  const SERVER = ['#!/bin/sh', 'set -e', 'PORT=8080', 'start_server() {', '  exec app --port "$PORT"', '}', 'start_server', ''].join('\n');
  const MODULE = ['"""Helpers."""', '', '', 'def parse(text):', '    return text.strip()', '', '', 'def render(value):', '    return str(value)', ''].join('\n');
  const doc = plan(
    [
      '- `scripts/start-server.sh:5` starts the app',
      '- `scripts/start-server.sh:3` sets the port',
      '- `src/helpers.py:8 - render()` renders values',
      '- `src/old_name.py:1` the old module',
      '- `src/legacy.py` the legacy module',
      '- `scripts/start-server.sh:6` closes the function',
      '- `src/helpers.py:4-5` parses',
    ].join('\n'),
  );

  it('finds each planted rot, with the fix a reader would take', async () => {
    const t = tree({ 'scripts/start-server.sh': SERVER, 'src/helpers.py': MODULE, 'src/old_name.py': 'VALUE = 1\n', 'src/legacy.py': 'OLD = 1\n', 'docs/plan.md': doc }, true);
    try {
      assert.deepEqual(referenceFindings(await check(t.root, 'docs/plan.md', doc, true)), []);
      // 1. lines inserted above a referenced line; 2. a referenced line changed in place.
      t.write('scripts/start-server.sh', SERVER.replace('set -e\n', 'set -e\n# Log to stderr\nexec 2>&1\n').replace('PORT=8080', 'PORT="${PORT:-9090}"'));
      // 3. a function moved; 4. a file renamed in git; 5. a referenced file deleted.
      t.write('src/helpers.py', ['"""Helpers."""', '', '', 'def render(value):', '    return str(value)', '', '', 'def parse(text):', '    return text.strip()', ''].join('\n'));
      t.git('mv', 'src/old_name.py', 'src/new_name.py');
      rmSync(join(t.root, 'src/legacy.py'));
      t.git('add', '-A');
      t.git('commit', '-q', '-m', 'rot');
      const checked = await check(t.root, 'docs/plan.md', doc, true);
      const found = referenceFindings(checked);
      assert.deepEqual(found, [
        '10 line-drift: `exec app --port "$PORT"` has moved from line 5 to 7 of scripts/start-server.sh since this doc was last committed: 2 lines were inserted above it.',
        '11 stale-line: Line 3 of scripts/start-server.sh changed since the doc was written: it read `PORT=8080`; in its place there is now `PORT="${PORT:-9090}"`.',
        '12 stale-line: Line 8 of src/helpers.py no longer holds render: it is now at line 4.',
        '13 missing-file: src/old_name.py does not exist: src/ has no old_name.py (looked in docs/ and the workspace root). Git shows it was renamed to src/new_name.py.',
        '14 missing-file: src/legacy.py does not exist: src/ has no legacy.py (looked in docs/ and the workspace root).',
        '16 line-drift: `def parse(text):` has moved from lines 4-5 to 8-9 of src/helpers.py since this doc was last committed: code was moved around it (not only added or removed above it).',
      ]);
      const titles = checked.findings.flatMap((finding) => finding.fixes.map((fix) => fix.title));
      assert.ok(titles.includes('Update the reference to line 7 (where `exec app --port "$PORT"` is now)'), titles.join('\n'));
      assert.ok(titles.includes('Replace with src/new_name.py (git shows it was renamed to src/new_name.py)'), titles.join('\n'));
      assert.ok(titles.includes('Update the reference to lines 8-9 (where `def parse(text):` is now)'), titles.join('\n'));
      const changed = checked.findings.find((finding) => finding.message.includes('changed since the doc was written'))!;
      assert.ok(changed.fixes.every((fix) => !fix.title.startsWith('Update the reference')), 'no bogus new line number');
    } finally {
      t.remove();
    }
  });
});
