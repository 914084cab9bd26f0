/**
 * The real-docs corpus tools (scripts/corpus.ts, scripts/gather-corpus.mjs) over a tiny synthetic corpus
 * that the test writes itself: one repository with a design doc, a source file and an ordinary README.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { git } from '../helpers/git';
import { checkCorpus, parseVerdicts, renderFindings, renderPrecision, renderRecognition, type DocResult, type ManifestDoc } from '../../scripts/corpus';

const REPO = resolve(__dirname, '..', '..');
const REPO_NAME = 'acme/widgets';

const DESIGN = [
  '# Design: Widget cache',
  '',
  '## Background & Motivation',
  '',
  'Widgets are rebuilt on every request; `src/app.py` spends most of its time there.',
  '',
  '## Goals',
  '',
  '- Serve a cached widget in under 5 ms.',
  '',
  '## Non-Goals',
  '',
  '- Sharing the cache between processes.',
  '',
  '## Current Implementation',
  '',
  'The builder lives in `src/builder.py:12`, which this doc claims but the tree does not have.',
  '',
  '## Proposed Design',
  '',
  'Keep an LRU map keyed by widget id.',
  '',
  '## Implementation Plan',
  '',
  'One stage adds the map.',
  '',
  '## Benefits',
  '',
  'Faster pages.',
  '',
  '## Trade-offs',
  '',
  'More memory.',
  '',
  '## Future Work',
  '',
  'None yet.',
  '',
].join('\n');

let folder: string;
const docs: ManifestDoc[] = [
  { repo: REPO_NAME, commit: 'c0ffee', path: 'docs/design/cache.md', family: 'design-note' },
  { repo: REPO_NAME, commit: 'c0ffee', path: 'README.md', family: 'ordinary' },
];

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'docplan-corpus-'));
  const files: Record<string, string> = {
    'docs/design/cache.md': DESIGN,
    'src/app.py': 'print("hi")\n',
    'README.md': '# Widgets\n\nA library of widgets.\n\n## Install\n\n`pip install widgets`\n',
    'notes/idea.md': '# Idea\n\nMaybe cache widgets in `src/cache.py`.\n',
    '.corpus-commit': 'c0ffee\n',
  };
  for (const [path, text] of Object.entries(files)) {
    const target = join(folder, 'repos', 'acme__widgets', path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
});
after(() => rmSync(folder, { recursive: true, force: true }));

describe('npm run corpus', () => {
  it('recognises the design doc, leaves the README alone, and quotes the line of each finding', async () => {
    const results = await checkCorpus(folder, docs);
    const design = results.find((doc) => doc.path === 'docs/design/cache.md')!;
    const readme = results.find((doc) => doc.path === 'README.md')!;
    assert.notEqual(design.profile, null);
    assert.equal(readme.profile, null);
    assert.deepEqual(readme.findings, []);
    const lines = DESIGN.split('\n');
    assert.ok(design.findings.length > 0, 'the missing src/builder.py gives at least one finding');
    for (const finding of design.findings) assert.equal(finding.text, lines[finding.line - 1].trim());
    assert.ok(design.findings.some((finding) => finding.text.includes('src/builder.py')));

    const recognition = renderRecognition(results).join('\n');
    assert.match(recognition, /plans and design docs recognised: 1\/1 \(100%\)/);
    assert.match(recognition, /ordinary files recognised: 0\/1/);
    assert.match(recognition, /diagnostics on ordinary files: 0/);
    const findings = renderFindings(results).join('\n');
    assert.match(findings, new RegExp(`== profile ${design.profile}: 1 docs detected, ${design.findings.length} findings`));
    assert.ok(findings.includes(`acme/widgets/docs/design/cache.md:${design.findings[0].line} ${design.findings[0].rule}`));
  });

  it('gives the same results through a built CLI given as the checker (run npm run build first)', async () => {
    const inProcess = await checkCorpus(folder, docs);
    const viaCli = await checkCorpus(folder, docs, { checker: join(REPO, 'bin', 'docplan.js') });
    assert.deepEqual(viaCli, inProcess);
  });

  it('with asDocs, checks the plans and design docs detection misses, never the ordinary files', async () => {
    const idea: ManifestDoc = { repo: REPO_NAME, commit: 'c0ffee', path: 'notes/idea.md', family: 'design-note' };
    const plain = await checkCorpus(folder, [idea, docs[1]]);
    assert.equal(plain.find((doc) => doc.path === 'notes/idea.md')!.profile, null, 'a short note is not detected on its own');
    const forced = await checkCorpus(folder, [idea, docs[1]], { asDocs: true });
    assert.notEqual(forced.find((doc) => doc.path === 'notes/idea.md')!.profile, null);
    assert.equal(forced.find((doc) => doc.path === 'README.md')!.profile, null);
  });

  it('joins verdicts by repo, path, line and rule, and lists what is unjudged', () => {
    const finding = (line: number, rule: string) => ({ repo: REPO_NAME, path: 'a.md', line, rule, message: `m${line}`, text: `t${line}` });
    const results: DocResult[] = [
      { ...docs[0], path: 'a.md', profile: 'plan', findings: [finding(3, 'missing-goals'), finding(9, 'missing-file'), finding(12, 'missing-file'), finding(20, 'stage-numbering')] },
    ];
    const verdicts = parseVerdicts(
      ['repo\tpath\tline\trule\tverdict\treason', `${REPO_NAME}\ta.md\t3\tmissing-goals\twrong\thas Goals as a bold label`, `${REPO_NAME}\ta.md\t9\tmissing-file\tright\tgone`, `${REPO_NAME}\ta.md\t12\tmissing-file\twrong\tan import path`, `${REPO_NAME}\ta.md\t40\tmissing-file\twrong\tsilent now`].join('\n'),
    );
    const text = renderPrecision(results, verdicts).join('\n');
    assert.match(text, /missing-file\s+1\/2\s+50%\s+0/);
    assert.match(text, /missing-goals\s+0\/1\s+0%\s+0/);
    assert.match(text, /stage-numbering\s+0\/0\s+-\s+1/);
    assert.match(text, /structure rules\s+0\/1\s+0%\s+1/);
    assert.match(text, /reference rules\s+1\/2\s+50%\s+0/);
    assert.match(text, /unjudged findings: 1\n {2}acme\/widgets\/a.md:20 stage-numbering m20\n {6}\| t20/);
    assert.match(text, /verdicts with no finding now: 1 \(1 judged wrong, now silent\)/);
  });

  it('a rule~text verdict judges only the findings of that line and rule whose message has the text', () => {
    const finding = (message: string) => ({ repo: REPO_NAME, path: 'kep.md', line: 1, rule: 'missing-section', message, text: '# KEP' });
    const results: DocResult[] = [{ ...docs[0], path: 'kep.md', profile: 'kep', findings: [finding('no Summary section'), finding('no Benefits section'), finding('no Test Plan section')] }];
    const verdicts = parseVerdicts(
      [
        `${REPO_NAME}\tkep.md\t1\tmissing-section\twrong\tsections of another template`,
        `${REPO_NAME}\tkep.md\t1\tmissing-section~Summary\tright\tthe template's first section is absent`,
        `${REPO_NAME}\tkep.md\t1\tmissing-section~Motivation\twrong\tno such finding any more`,
      ].join('\n'),
    );
    assert.equal(verdicts[1].rule, 'missing-section');
    assert.equal(verdicts[1].messageContains, 'Summary');
    const text = renderPrecision(results, verdicts).join('\n');
    assert.match(text, /missing-section\s+1\/3\s+33%\s+0/);
    assert.match(text, /verdicts with no finding now: 1 \(1 judged wrong, now silent\)/);
    assert.throws(() => parseVerdicts(`${REPO_NAME}\tkep.md\t1\tmissing-section~\tright\tr`), /verdicts line 1/);
  });

  it('rejects a verdict line it cannot read', () => {
    assert.throws(() => parseVerdicts('acme/widgets\ta.md\tx\tmissing-file\tright\tr'), /verdicts line 1/);
    assert.throws(() => parseVerdicts('acme/widgets\ta.md\t3\tmissing-file\tmaybe\tr'), /verdicts line 1/);
  });
});

describe('scripts/gather-corpus.mjs check', () => {
  const gather = (manifest: object) => {
    const file = join(folder, 'manifest.json');
    writeFileSync(file, JSON.stringify(manifest));
    return spawnSync(process.execPath, [join(REPO, 'scripts', 'gather-corpus.mjs'), 'check', folder, '--manifest', file], { encoding: 'utf8' });
  };
  const blob = (path: string) => {
    const bytes = readFileSync(join(folder, 'repos', 'acme__widgets', path));
    return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  };

  it('passes when every doc is present at its commit with its recorded content', () => {
    const result = gather({ docs: docs.map((doc) => ({ ...doc, blob: blob(doc.path) })) });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /2\/2 docs present from 1 repositories/);
  });

  it('names each doc that is missing, at another commit, or changed', () => {
    const result = gather({
      docs: [
        { ...docs[0], path: 'docs/gone.md' },
        { ...docs[1], blob: '0'.repeat(40) },
        { repo: 'acme/other', commit: 'c0ffee', path: 'README.md', family: 'ordinary' },
        { repo: REPO_NAME, commit: 'beef', path: 'README.md', family: 'ordinary' },
      ],
    });
    assert.equal(result.status, 1);
    assert.match(result.stdout, /acme\/widgets docs\/gone.md: file missing/);
    assert.match(result.stdout, /acme\/widgets README.md: content differs/);
    assert.match(result.stdout, /acme\/other README.md: repository not materialised/);
    assert.match(result.stdout, /acme\/widgets README.md: tree is at c0ffee, manifest wants beef/);
    assert.match(result.stdout, /0\/4 docs present/);
    assert.match(result.stdout, /fetch github:acme\/widgets, github:acme\/other/);
  });
});

describe('scripts/gather-corpus.mjs materialise', () => {
  it('writes the tree of a commit, not the working copy, and keeps its history readable', () => {
    const origin = mkdtempSync(join(tmpdir(), 'docplan-mirror-'));
    const corpus = mkdtempSync(join(tmpdir(), 'docplan-corpus-'));
    try {
      git(origin, 'init', '-q');
      mkdirSync(join(origin, 'docs'));
      writeFileSync(join(origin, 'docs', 'plan.md'), '# Plan\n\nfirst\n');
      git(origin, 'add', '.');
      git(origin, 'commit', '-qm', 'first');
      const first = git(origin, 'rev-parse', 'HEAD').trim();
      writeFileSync(join(origin, 'docs', 'plan.md'), '# Plan\n\nsecond\n');
      writeFileSync(join(origin, 'later.md'), 'later\n');
      git(origin, 'commit', '-qam', 'second');

      const result = spawnSync(process.execPath, [join(REPO, 'scripts', 'gather-corpus.mjs'), 'materialise', join(origin, '.git'), 'acme/tool', first, '--corpus', corpus], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      const tree = join(corpus, 'repos', 'acme__tool');
      assert.equal(readFileSync(join(tree, 'docs', 'plan.md'), 'utf8'), '# Plan\n\nfirst\n');
      assert.equal(existsSync(join(tree, 'later.md')), false);
      assert.equal(readFileSync(join(tree, '.corpus-commit'), 'utf8').trim(), first);
      assert.equal(git(tree, 'log', '--format=%s').trim(), 'first');
      assert.equal(git(tree, 'status', '--porcelain').trim(), '');
    } finally {
      rmSync(origin, { recursive: true, force: true });
      rmSync(corpus, { recursive: true, force: true });
    }
  });
});
