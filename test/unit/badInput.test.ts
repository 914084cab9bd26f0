/**
 * Bad input (spec section 10): whatever text arrives, the core builds a model, runs the rules and keeps every
 * range inside the document. No timing is asserted here (`npm run bench` measures speed).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../server/src/model/build';
import { checkText, type CheckedDocument } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { assertAllRangesInside, assertRangeInside, lineLengths } from '../helpers/ranges';

const config = defaultConfig();

interface SurviveOptions {
  /** Kinds to force through front matter (so that their rules run too), besides the text as is. */
  kinds?: string[];
  /** Re-check after an edit in the middle, with the previous parse (default true). */
  recheck?: boolean;
}

const ALL_KINDS = ['plan', 'design', 'tracker'];

/**
 * Checks `text` as is and forced into each kind (front matter), so that every rule runs on it too; then
 * re-checks after an edit with the previous parse. Nothing may throw, every range must be in bounds.
 * Returns the check of the text as is.
 */
function survives(text: string, options: SurviveOptions = {}): CheckedDocument {
  const variants = [text, ...(options.kinds ?? ALL_KINDS).map((kind) => `---\ndocplan: ${kind}\n---\n${text}`)];
  let first: CheckedDocument | null = null;
  for (const variant of variants) {
    const lengths = lineLengths(variant);
    const checked = checkText(variant, { config, path: 'docs/plans/input.md' });
    assert.equal(checked.built.model.lineCount, lengths.length);
    assertAllRangesInside(checked.built.model, lengths);
    for (const finding of checked.findings) {
      assertRangeInside(finding.range, lengths, `finding ${finding.ruleId}`);
      for (const fix of finding.fixes) for (const edit of fix.edits) assertRangeInside(edit.range, lengths, `fix of ${finding.ruleId}`);
    }
    assert.deepEqual(checked.ruleErrors, []);
    first ??= checked;
    if (options.recheck === false) continue;
    // An edit in the middle (a line break: inserting a letter into some pathological runs, such as 100,000
    // `*`, makes remark-parse itself take minutes), re-checked with reuse.
    const middle = Math.floor(variant.length / 2);
    const edited = `${variant.slice(0, middle)}\n${variant.slice(middle)}`;
    const again = checkText(edited, { config, path: 'docs/plans/input.md', previous: checked.built.parsed });
    assertAllRangesInside(again.built.model, lineLengths(edited));
  }
  return first!;
}

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
function bytes(count: number, seed: number): Buffer {
  const out = Buffer.alloc(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

const PLAN_STAGE = (n: number) =>
  [
    `## Stage ${n}: Move batch ${n} to the new writer`,
    '',
    '### Objective',
    '',
    `Batch ${n} is written by \`services/writer.py:${n + 10}\` - Writer.flush().`,
    '',
    '### Changes',
    '',
    `- [x] Update \`services/batch_${n}.py\``,
    `- [ ] Add a test to \`tests/test_batch_${n}.py\``,
    '',
    '### Validation',
    '',
    '```bash',
    `uv run pytest tests/test_batch_${n}.py::test_flush -v`,
    '# Expected: PASSED',
    '```',
    '',
  ].join('\n');

describe('bad input', () => {
  it('binary bytes decoded as UTF-8 (with U+FFFD replacement characters)', () => {
    for (const seed of [1, 7, 42, 1234567]) {
      const text = bytes(20_000, seed).toString('utf8');
      assert.ok(text.includes('\uFFFD'));
      survives(text);
    }
    // Invalid sequences mixed into a plan: truncated multi-byte characters, overlong forms, stray continuations.
    const mixed = Buffer.concat([
      Buffer.from('# Plan\n\n## Stage 1: Bytes '),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98, 0x0a, 0x80, 0xbf, 0xc0, 0xaf]),
      Buffer.from('\n\n### Changes\n\n- [ ] `src/a.py:1'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('`\n'),
    ]).toString('utf8');
    assert.ok(mixed.includes('\uFFFD'));
    survives(mixed);
  });

  it('lone surrogates anywhere', () => {
    const samples = [
      '\uD800',
      '\uDC00',
      '# \uD83D\n\n## Stage 1: \uDE00 title\n\n### Changes\n\n- [ ] \uD800`src/a.py:3`\uDFFF - A.b()\n',
      'see src/\uD800.py:3 and `\uDBFF\uDBFF:1`\n',
      '| Stage | Description | Status |\n|---|---|---|\n| 1 | \uD800 | \uDC00 |\n',
      '```bash\n\uD800 npm test\n# Expected: \uDC00\n```\n',
      '\uDC00\uD800'.repeat(5000),
    ];
    for (const text of samples) survives(text);
  });

  it('empty and near-empty documents', () => {
    for (const text of ['', '\n', '\r\n', '\r', ' ', '#', '---', '---\n', '---\n---', '```', '- [ ]', '|', '<!--', '\n\n\n']) {
      survives(text);
    }
    const empty = buildModel('').model;
    assert.equal(empty.lineCount, 1);
    assert.equal(empty.kind, null);
    assert.deepEqual(empty.stages, []);
  });

  it('NUL bytes and other control characters', () => {
    const text = `# Plan\0\n\n## Stage 1\0: Nul\0\n\n### Changes\0\n\n- [ ] \`src/\0a.py:1\`\0\n- [\0] \0\n\n### Validation\n\n\`\`\`bash\nnpm\0test\n# Expected:\0PASSED\n\`\`\`\n\u0001\u0002\u0007\u001b[31m\u007f\u0085\u2028\u2029\uFEFF\n`;
    survives(text);
    survives('\0'.repeat(10_000));
  });

  it('unterminated fences, front matter and comments', () => {
    const samples = [
      '```',
      '```bash\nnpm test\n',
      '# Plan\n\n## Stage 1: Open fence\n\n### Validation\n\n```bash\nnpm test\n\n## Stage 2: Swallowed by the fence\n\n### Changes\n\n- [ ] x\n',
      '# Plan\n\n~~~~\n## Stage 1: Tilde\n```\n~~~\n## Stage 2: After\n',
      '````\n```\n## Not a heading\n```\n',
      '---\ndocplan: plan\n\n## Stage 1: Front matter never closes\n',
      '<!-- docplan-disable\n\n## Stage 1: Inside a comment\n',
      '    ```\n## Stage 1: Indented code is not a fence\n',
      '- ```\n  ## Stage 1: Fence inside a list item\n\n## Stage 2: Real\n',
    ];
    for (const text of samples) survives(text);
  });

  it('a 100,000-character line (paragraph, heading, code span, list item, table cell, fence)', () => {
    const long = 'word '.repeat(20_000);
    const path = `src/${'a'.repeat(100_000)}.py`;
    const samples = [
      long,
      `# Plan\n\n## Stage 1: ${long}\n\n### Changes\n\n- [ ] ${long}\n`,
      `## Stage 1: x\n\n### Validation\n\n- [ ] \`${'pytest '.repeat(15_000)}\`\n`,
      `\`${path}:12\` - Thing.run()\n`,
      `| Stage | Description | Status |\n|---|---|---|\n| 1 | ${long} | Pending |\n`,
      `\`\`\`bash\n${'x'.repeat(100_000)}\n\`\`\`\n`,
      `${'`'.repeat(50_000)}x${'`'.repeat(50_000)}`,
      `${'*'.repeat(100_000)}`,
      `see ${'dir/'.repeat(25_000)}file.py:1 - A.b\n`,
    ];
    for (const text of samples) {
      assert.ok(text.length >= 100_000);
      survives(text, { kinds: ['plan'] });
    }
  });

  it('5,000-deep nesting of blockquotes and lists', () => {
    const depth = 5_000;
    survives(`${'> '.repeat(depth)}## Stage 1: Deep\n`, { kinds: [], recheck: false });
    // Nesting past 16 levels is read as plain text (remark would take seconds, then overflow its stack), with
    // a note naming the line, and the rest of the document is still modelled.
    const lists = `# Plan\n\n${'1. '.repeat(depth)}[ ] deep item\n\n## Stage 2: After the deep list\n\n### Changes\n\n- [ ] \`src/a.py:1\`\n`;
    const { model } = survives(lists, { kinds: [], recheck: false }).built;
    assert.deepEqual(model.stages.map((stage) => [stage.number, stage.changes.length]), [['2', 1]]);
    assert.ok(model.notes.includes('line 3 read as plain text (nesting deeper than 16 levels) to keep parsing fast'), model.notes.join('; '));
  });

  it('shapes that make remark take minutes are read as plain text, with a note, and offsets stay exact', () => {
    // Each of these takes remark from seconds to minutes as it grows (it is worse than quadratic on them).
    const stars = `${'*'.repeat(50_000)}x${'*'.repeat(50_000)}`;
    const brackets = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const indented = Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(2 * i)}- x`).join('\n');
    for (const [sample, what] of [
      [stars, 'a 100001-character line'],
      [brackets, 'a 100000-character line'],
      [indented, 'nesting deeper than 64 columns'],
    ] as const) {
      const text = `# Plan\n\n${sample}\n\n## Stage 1: After\n\n### Changes\n\n- [ ] \`src/a.py:1\`\n`;
      const { model } = survives(text, { kinds: [], recheck: false }).built;
      assert.ok(model.notes.some((note) => note.includes(`(${what})`)), `${what}: ${model.notes.join('; ')}`);
      // The stage after the simplified spot is modelled at its true position.
      const stage = model.stages.find((candidate) => candidate.number === '1');
      assert.equal(stage?.heading.range.start.line, text.split('\n').indexOf('## Stage 1: After'));
      assert.equal(stage?.changes[0]?.codeSpans[0]?.text, 'src/a.py:1');
    }
  });

  it('a long list without blank lines, full of underscores and bold labels, is parsed as written', () => {
    const items = Array.from({ length: 3_000 }, (_, i) => `- **File ${i}**: \`pkg_${i}/mod_${i}/file_${i}_x.py:${i + 1}\``);
    const text = `# Plan\n\n## Stage 1: Many\n\n### Changes\n\n${items.join('\n')}\n`;
    const { model } = survives(text, { kinds: [], recheck: false }).built;
    assert.deepEqual(model.notes, []);
    assert.equal(model.references.length, 3_000);
    assert.equal(model.references[2_999].path, 'pkg_2999/mod_2999/file_2999_x.py');
  });

  it('deep mixed nesting: quotes in lists, ordered lists, fences in quotes, HTML, links, emphasis', () => {
    const depth = 1_000;
    const samples = [
      `${'> - '.repeat(depth)}\`src/a.py:1\`\n`,
      `${'- '.repeat(depth)}[ ] x\n`,
      // Lists nested by indentation, line after line.
      Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(2 * (i % 50))}- [ ] level ${i}`).join('\n'),
      `${'>'.repeat(depth)} x\n${'>'.repeat(depth)} \`\`\`bash\n${'>'.repeat(depth)} npm test\n`,
      `${'<div>'.repeat(5_000)}\n\n## Stage 1: After divs\n`,
      `${'['.repeat(depth)}link${'](x.md)'.repeat(depth)}`,
      `${'*'.repeat(depth)}x${'*'.repeat(depth)}`,
    ];
    for (const text of samples) survives(text, { kinds: [], recheck: false });
  });

  it('a 10 MB document', () => {
    // Stages whose bulk is shell output and commands in fences: 10 MB that every layer (line index, chunking,
    // facts, commands, references, rules) walks, while remark-parse's own cost on prose stays out of the way.
    const parts: string[] = ['# Plan: A very large plan\n\n## Background\n\n**Goal**: Survive.\n\n'];
    let size = parts[0].length;
    const fence = ['```bash', ...Array.from({ length: 400 }, (_, i) => `uv run pytest tests/test_big.py::test_case_${i} -v\n# Expected: PASSED`), '```', ''].join('\n');
    for (let n = 1; size < 10 * 1024 * 1024; n++) {
      const stage = PLAN_STAGE(n) + fence;
      parts.push(stage);
      size += stage.length;
    }
    const text = parts.join('');
    assert.ok(text.length >= 10 * 1024 * 1024);
    // One variant only: a 10 MB document forced into three kinds would only repeat the same work.
    survives(text, { kinds: [] });
  });

  it('a 1 MB single block without headings (no chunking possible)', () => {
    const text = `${'plain text without any structure at all, '.repeat(25_000)}\n`;
    assert.ok(text.length >= 1_000_000);
    survives(text, { kinds: [] });
  });
});
