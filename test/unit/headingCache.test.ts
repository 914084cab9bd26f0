/**
 * The heading-forms cache of model/vocabulary.ts keeps no document alive: a heading's text is a slice of
 * its whole document, and a long-running check worker that kept those slices held the text of every
 * document it had checked (10.5 MB of 1,000 plans in one worker).
 */
import { strict as assert } from 'node:assert';
import { it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { headingMatches, lookupSection, sectionLookup, DEFAULT_SECTION_SYNONYMS } from '../../server/src/model/vocabulary';

it('keeps no document alive through the headings it compared', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const lookup = sectionLookup(DEFAULT_SECTION_SYNONYMS);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 40; i++) {
    // A 1 MB document whose first line is a heading; the heading text is a slice of it, as the parser's is.
    const doc = `# Goals of document ${i} and more\n${'x'.repeat(1_000_000)}${i}`;
    const heading = doc.slice(2, doc.indexOf('\n'));
    headingMatches(heading, ['goals']);
    lookupSection(lookup, heading);
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 10_000_000, `the heap grew by ${(grown / 1e6).toFixed(1)} MB after 40 documents of 1 MB were dropped`);
});
