/**
 * fast-check arbitraries for documents: Markdown-ish text in the shapes DocPlan reads (stages, parts,
 * checklists, fences, status tables, front matter, control comments) mixed with noise and any line end, and
 * any string at all. Shared by the property tests and `npm run fuzz`.
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------------------
// A Markdown-ish arbitrary: the shapes DocPlan reads, mixed with noise, joined by any line ending.

const word = fc.constantFrom('ledger', 'export', 'cache', 'Stage', 'TODO', 'TBD', '✅', '🚀', '𝄞', 'é', 'x', '{Stage Name}', '[describe the problem]', '`', '**', '|', ':', '#');
const words = fc.array(word, { minLength: 0, maxLength: 6 }).map((parts) => parts.join(' '));
const stageNumber = fc.oneof(fc.nat({ max: 12 }).map(String), fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 9 })).map(([a, b]) => `${a}.${b}`));
const path = fc.constantFrom('src/app.py', 'lib/x/y.ts', 'tests/test_a.py', 'docs/plan.md', '../../etc/passwd', '/abs/file.go', 'a.b');
const reference = fc.oneof(
  fc.tuple(path, fc.nat({ max: 900 })).map(([p, n]) => `\`${p}:${n}\``),
  fc.tuple(path, fc.nat({ max: 90 }), fc.nat({ max: 90 })).map(([p, a, b]) => `\`${p}:${a}-${b}\` - Thing.run()`),
  path.map((p) => `\`${p}#L12\``),
  path.map((p) => `see ${p}:7 - Widget`),
  path.map((p) => `[link](${p}#some-heading)`),
);
const command = fc.constantFrom(
  'uv run pytest tests/test_a.py::test_b -v',
  'npm test',
  'make check',
  'npx vitest run -t "adds"',
  'go test ./... -run TestX',
  'cargo test parse',
  'echo hi',
);
const inline = fc.oneof(words, reference, command.map((c) => `\`${c}\``), fc.string({ maxLength: 12 }));

const checkItem = fc.tuple(fc.constantFrom('- [ ] ', '- [x] ', '- '), inline).map(([marker, rest]) => marker + rest);
const validationBlock = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom('- [ ] ', '- [x] '), command).map(([marker, c]) => `${marker}\`${c}\``), { maxLength: 4 }).map((items) => items.join('\n')),
  fc.array(fc.oneof(command, fc.constantFrom('# run it', '# Expected: PASSED')), { maxLength: 5 }).map((lines) => ['```bash', ...lines, '```'].join('\n')),
  words,
);
/** A whole stage in the shape of a plan: heading, Objective, Changes checklist, Validation, Completion Criteria. */
const stageBlock = fc
  .tuple(
    fc.constantFrom('##', '###', '####'),
    fc.constantFrom('Stage', 'Phase', 'Step'),
    stageNumber,
    words,
    fc.constantFrom('', ' ✅', ' ✅ COMPLETE'),
    fc.constantFrom('heading', 'bold'),
    fc.array(checkItem, { maxLength: 12 }),
    validationBlock,
    fc.array(checkItem, { maxLength: 2 }),
  )
  .map(([hashes, label, number, title, mark, style, changes, validation, criteria]) => {
    const part = (name: string) => (style === 'bold' ? `**${name}**:` : `${hashes}# ${name}`);
    return [
      `${hashes} ${label} ${number}: ${title}${mark}`,
      '',
      part('Objective'),
      '',
      title,
      '',
      part('Changes'),
      '',
      ...changes,
      '',
      part('Validation'),
      '',
      validation,
      '',
      part('Completion Criteria'),
      '',
      ...criteria,
    ].join('\n');
  });

export const fragment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: stageBlock, weight: 4 },
  fc.tuple(fc.constantFrom('#', '##', '###', '####', '#####'), fc.constantFrom('Stage', 'Phase', 'Step', 'Milestone'), stageNumber, words, fc.constantFrom('', ' ✅', ' ✅ COMPLETE', ' (in progress)', ' DONE')).map(
    ([hashes, label, number, title, mark]) => `${hashes} ${label} ${number}: ${title}${mark}`,
  ),
  fc
    .tuple(fc.constantFrom('#', '##', '###'), fc.constantFrom('Goals', 'Non-Goals', 'Background', 'Motivation', 'Problem', 'Trade-offs', 'Drawbacks', 'Stage Dependencies', 'Affected Code', 'Current Implementation', 'Proposed Design', 'Implementation Plan', 'Benefits', 'Future Work', 'Testing'))
    .map(([hashes, name]) => `${hashes} ${name}`),
  fc.tuple(fc.constantFrom('###', '####', '**'), fc.constantFrom('Objective', 'Changes', 'Validation', 'Validate', 'Verification', 'Completion Criteria', 'Depends on', 'File', 'Goal')).map(([style, name]) =>
    style === '**' ? `**${name}**:` : `${style} ${name}`,
  ),
  fc.tuple(fc.constantFrom('Goal', 'File', 'Validate', 'Depends on'), inline).map(([name, rest]) => `**${name}**: ${rest}`),
  fc.tuple(fc.constantFrom('', '  ', '    ', '> '), fc.constantFrom('- [ ] ', '- [x] ', '* [X] ', '1. [ ] ', '- ', '2) '), inline).map(([indent, marker, rest]) => `${indent}${marker}${rest}`),
  fc.tuple(fc.constantFrom('```', '```bash', '```sh', '~~~console', '````', '```python'), fc.array(fc.oneof(command, fc.constantFrom('# comment', '# Expected: PASSED', '$ npm test', 'def run():', '# src/app.py:3')), { maxLength: 4 }), fc.boolean()).map(
    ([open, lines, closed]) => [open, ...lines, ...(closed ? [open.replace(/[a-z]+$/, '')] : [])].join('\n'),
  ),
  fc.array(fc.tuple(stageNumber, words, fc.constantFrom('✓ Completed', 'Pending', 'In progress', '✅', '', 'weird')), { maxLength: 4 }).map(
    (rows) => ['| Stage | Description | Status |', '|---|---|---|', ...rows.map(([n, d, s]) => `| ${n} | ${d} | ${s} |`)].join('\n'),
  ),
  fc.constantFrom('---\ndocplan: plan\n---', '---\ndocplan: design\ntitle: x\n---', '---\n: [broken\n---', '---', '...'),
  fc.constantFrom('<!-- docplan-disable -->', '<!-- docplan-disable-next-line missing-goals -->', '<!-- docplan-enable stage-too-large -->', '<!--', '-->', '<div>', '</div>'),
  fc.tuple(fc.constantFrom('Stage', 'Phase'), stageNumber, fc.constantFrom(' ──► ', ' requires ', ' -> ', ' and '), fc.constantFrom('Stage', 'Phase'), stageNumber).map(([a, n, join, b, m]) => `${a} ${n}${join}${b} ${m}`),
  words,
  inline,
  fc.string({ maxLength: 20 }),
  fc.constant(''),
);

const lineBreak = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r', '\n\n');
export const markdownish: fc.Arbitrary<string> = fc
  .array(fc.tuple(fragment, lineBreak), { maxLength: 40 })
  .map((parts) => parts.map(([text, end]) => text + end).join(''));

/** Any string: graphemes, full code points, and UTF-16 units (lone surrogates included). */
export const anyString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 200 }),
);

/** A document forced into a DocPlan kind through front matter, so that every rule runs on it. */
export const forcedDoc = fc.tuple(fc.constantFrom('plan', 'design', 'tracker'), markdownish).map(([kind, body]) => `---\ndocplan: ${kind}\n---\n${body}`);

/** Any plan-shaped document: Markdown-ish text, sometimes forced into a DocPlan kind. */
export const markdownDocument: fc.Arbitrary<string> = fc.oneof(markdownish, forcedDoc);
