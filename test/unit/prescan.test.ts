/**
 * The pre-scan may only skip what the full path would stay silent on: for generated Markdown (ordinary
 * pages and every family's shapes, mixed) and for every fixture, a file `mayBeDocPlanDoc` rejects builds a
 * model of no kind and gets no findings. And it does skip ordinary pages, or it would be pointless.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildDocument, checkText } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { mayBeDocPlanDoc } from '../../server/src/model/prescan';

const config = defaultConfig();

const ORDINARY_HEADINGS = ['Installation', 'Usage', 'License', 'FAQ', 'Changelog', '[1.2.0] - 2025-01-01', 'Added', 'Fixed', 'Security', 'Examples', 'API', 'Credits', 'Troubleshooting', 'Options'];
const SIGNAL_HEADINGS = [
  'Stage 1: Add the cache', 'Stage 2: Wire it', 'Phase 1: Setup', 'Task 3: Write the test', 'Step 2: Run it', 'Goals', 'Non-Goals', 'Background',
  'Objective', 'Changes', 'Validation', 'Verification', 'Status', 'Summary', 'Motivation', 'Proposal', 'Design Details', 'Context', 'Decision',
  'Alternatives', 'Requirement 1', 'Implementation Plan', 'Current Implementation', 'Proposed Design', 'Trade-offs', 'Future Work', 'Why', 'What Changes',
];
const PROSE = ['The service keeps a queue of jobs.', 'Run the installer and restart.', 'See `src/app/main.py:12` for the loop.', 'It is fast enough.', 'Goal: make it quick.'];

const heading = (words: readonly string[]) =>
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(...words), fc.boolean()).map(([level, text, setext]) => (setext && level <= 2 ? `${text}\n${level === 1 ? '===' : '---'}` : `${'#'.repeat(level)} ${text}`));

const block = fc.oneof(
  { weight: 4, arbitrary: heading(ORDINARY_HEADINGS) },
  { weight: 2, arbitrary: heading(SIGNAL_HEADINGS) },
  { weight: 4, arbitrary: fc.constantFrom(...PROSE) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom('- item one', '- `src/x.py:3` changes', '1. first', '- [ ] `npm test`', '- [x] done'), { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n')) },
  { weight: 1, arbitrary: fc.constantFrom('| Stage | Status |\n| --- | --- |\n| 1 | ✅ Done |', '| Option | Default |\n| --- | --- |\n| a | 1 |') },
  { weight: 1, arbitrary: fc.constantFrom('```bash\nnpm test\n```', '```\n## Stage 1: in a fence\n```') },
  { weight: 1, arbitrary: fc.constantFrom('**Goal**: ship it', '**Files:**', '**Note**: careful', '> quoted text') },
);

const ordinaryBlock = fc.oneof(heading(ORDINARY_HEADINGS), fc.constantFrom(...PROSE.slice(0, 4)), fc.constantFrom('- item one\n- item two', '1. first\n2. second', '```sh\nmake\n```', '> quoted text'));
const mixed = fc.tuple(fc.boolean(), fc.array(block, { minLength: 1, maxLength: 12 }));
const ordinary = fc.tuple(fc.constant(false), fc.array(ordinaryBlock, { minLength: 1, maxLength: 12 }));
/** Ordinary pages, pages with one signal somewhere, and anything mixed. */
const nearMiss = fc.tuple(fc.array(ordinaryBlock, { minLength: 1, maxLength: 8 }), block).map(([blocks, extra]): [boolean, string[]] => [false, [...blocks, extra]]);
const document = fc.oneof(ordinary, nearMiss, mixed).map(([frontMatter, blocks]) => (frontMatter ? '---\ntitle: x\n---\n\n' : '') + blocks.join('\n\n') + '\n');
const path = fc.constantFrom('README.md', 'docs/guide/usage.md', 'CHANGELOG.md', 'docs/plans/x-plan.md', 'notes/todo.md', null);

describe('pre-scan', () => {
  it('a file the pre-scan skips builds no doc and gets no findings (property)', () => {
    let skipped = 0;
    let kept = 0;
    fc.assert(
      fc.property(document, path, (text, docPath) => {
        if (mayBeDocPlanDoc(text, { path: docPath, include: config.include })) {
          kept++;
          return;
        }
        skipped++;
        const built = buildDocument(text, { config, path: docPath });
        assert.equal(built.model.kind, null, `skipped but detected as ${built.model.kind}:\n${text}`);
        assert.deepEqual(checkText(text, { config, path: docPath }).findings, []);
      }),
      { numRuns: 600, seed: 42 },
    );
    assert.ok(skipped > 50 && kept > 50, `both outcomes were exercised (skipped ${skipped}, kept ${kept})`);
  });

  it('skips no fixture that has findings, and every fixture it skips is silent', () => {
    const root = resolve(__dirname, '..', 'fixtures');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(md|markdown)$/i.test(name)) files.push(full);
      }
    };
    walk(root);
    assert.ok(files.length > 20);
    let skipped = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const rel = relative(root, file).split('\\').join('/');
      if (mayBeDocPlanDoc(text, { path: rel, include: config.include })) continue;
      skipped++;
      assert.doesNotMatch(text, /[^`]<!-- expect:/, `${rel} expects findings but the pre-scan skips it`);
      assert.deepEqual(checkText(text, { config, path: rel }).findings, [], rel);
    }
    assert.ok(skipped < files.length);
  });

  it('skips ordinary pages and keeps every family shape', () => {
    const ordinary = ['# Widget\n\nA widget.\n\n## Installation\n\n```sh\nnpm i widget\n```\n\n## License\n\nMIT\n', '# Changelog\n\n## [1.0.0] - 2025-01-01\n\n### Added\n\n- Things\n'];
    for (const text of ordinary) assert.equal(mayBeDocPlanDoc(text, { path: 'README.md' }), false, text);
    const families = [
      '# Plan\n\n## Stage 1: Do it\n',
      '### Task 1: Write it\n\n**Files:**\n- Modify: `a.py`\n',
      '## Phase 1: Setup\n\n- [ ] T001 Create x\n',
      '---\nname: x\ntodos:\n  - id: a\n---\n# X\n',
      '# RFC\n\n## Summary\n\n## Motivation\n',
      '# ADR 1\n\n## Context\n\n## Decision\n',
      '- [ ] 1.1 Implement it\n  - _Requirements: 1.1_\n',
      'Just text\n',
    ];
    for (const text of families.slice(0, -1)) assert.equal(mayBeDocPlanDoc(text, { path: 'README.md' }), true, text);
    assert.equal(mayBeDocPlanDoc('Just text\n', { path: 'openspec/changes/x/proposal.md' }), true, 'family paths are kept');
    assert.equal(mayBeDocPlanDoc('Just text\n', { path: 'notes/x.md', include: ['notes/**'] }), true, 'include globs are kept');
    assert.equal(mayBeDocPlanDoc('Just text\n', { path: 'notes/x.md' }), false);
  });
});
