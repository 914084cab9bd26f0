/**
 * Property tests (fast-check): the model and the rules survive any text, keep every range inside the
 * document, re-parsing with reuse equals parsing from scratch, and fix-all reaches a fixed point.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildModel } from '../../server/src/model/build';
import { checkText } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { fixAllText } from '../../server/src/features/fixAll';
import { assertAllRangesInside, assertRangeInside, lineLengths } from '../helpers/ranges';
import { anyString, forcedDoc, fragment, markdownish } from '../helpers/markdownArbitrary';

/** Runs per property; raise with DOCPLAN_PROPERTY_RUNS to hunt for counterexamples. */
const RUNS = Number(process.env.DOCPLAN_PROPERTY_RUNS ?? 250);
const config = defaultConfig();

function assertCheckInside(text: string): void {
  const lengths = lineLengths(text);
  const checked = checkText(text, { config, path: null });
  const { model } = checked.built;
  assert.equal(model.lineCount, lengths.length);
  assertAllRangesInside(model, lengths);
  for (const finding of checked.findings) {
    assertRangeInside(finding.range, lengths, `finding ${finding.ruleId}`);
    for (const fix of finding.fixes) for (const edit of fix.edits) assertRangeInside(edit.range, lengths, `fix "${fix.title}" of ${finding.ruleId}`);
  }
  assert.deepEqual(checked.ruleErrors, []);
}

describe('properties', () => {
  it('any string: buildModel and checkText never throw and keep every range inside the document', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        assertCheckInside(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('Markdown-ish text: never throws, every model range and finding range inside the document', () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, forcedDoc), (text) => {
        assertCheckInside(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('re-parsing after an edit with `previous` builds the same model as parsing from scratch', () => {
    const edit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.nat({ max: 30 }),
      insert: fc.oneof(fragment, fc.constantFrom('\n', '#', '## Stage 9: New\n', '```\n', '---\n', 'x', ''), fc.string({ maxLength: 5 })),
    });
    fc.assert(
      fc.property(fc.oneof(markdownish, forcedDoc), edit, (text, { at, remove, insert }) => {
        const start = Math.floor(at * text.length);
        const edited = text.slice(0, start) + insert + text.slice(start + remove);
        const original = buildModel(text);
        const reused = buildModel(edited, { previous: original.parsed });
        assert.deepEqual(reused.model, buildModel(edited).model);
      }),
      { numRuns: RUNS },
    );
  });

  it('fix-all is idempotent: applying it to its own output changes nothing', () => {
    fc.assert(
      fc.property(forcedDoc, (text) => {
        const once = fixAllText(text, { config, path: null }).text;
        const twice = fixAllText(once, { config, path: null });
        assert.equal(twice.text, once);
        assert.equal(twice.applied, 0);
      }),
      { numRuns: RUNS },
    );
  });
});
