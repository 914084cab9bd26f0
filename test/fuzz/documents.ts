/**
 * Document fuzzing: any text, plan-shaped text and mutations of the example docs go through the check, and
 * each is counted against four properties: the check does not throw (nor does any rule), every range in the
 * model, the findings and their fixes lies inside the document, fix-all is idempotent, and LF, CRLF and
 * CR-only versions get the same findings. Failures are counted, not thrown, so that a run reports figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkText, type CheckOptions } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { fixAllText } from '../../server/src/features/fixAll';
import type { Finding } from '../../server/src/rules/types';
import { anyString, fragment, markdownDocument } from '../helpers/markdownArbitrary';
import { assertAllRangesInside, assertRangeInside, lineLengths } from '../helpers/ranges';

/** Counts of a document fuzzing run, with the first failing input of each kind. */
export interface DocumentFuzzReport {
  runs: number;
  exceptions: number;
  outOfRange: number;
  nonIdempotentFixes: number;
  lineEndMismatches: number;
  firstFailures: { kind: string; input: string; detail: string }[];
}

/** The example docs (examples/**\/*.md) as seeds for mutation. */
export function exampleDocs(root: string): string[] {
  const dir = join(root, 'examples');
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((path) => path.endsWith('.md'))
    .sort()
    .map((path) => readFileSync(join(dir, path), 'utf8'));
}

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.nat({ max: 60 }),
  insert: fc.oneof(fragment, fc.string({ maxLength: 8 }), fc.constantFrom('\r', '\r\n', '\n', '\n\n', '\u0000', '```', '```bash\n', '#', '## Stage 9: New\n', '- [ ] ', '`', '---\n', '<!--', '\uFFFD', '\uD800', '')),
});

/** An example doc under random edits, sometimes with every line end converted. */
function mutatedExamples(examples: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...examples), fc.array(edit, { maxLength: 8 }), fc.constantFrom(null, '\n', '\r\n', '\r')).map(([text, edits, eol]) => {
    let out = text;
    for (const { at, remove, insert } of edits) {
      const start = Math.floor(at * out.length);
      out = out.slice(0, start) + insert + out.slice(start + remove);
    }
    return eol === null ? out : out.replace(/\r\n|\r|\n/g, eol);
  });
}

function summary(findings: Finding[]): string {
  return JSON.stringify(findings.map((finding) => [finding.ruleId, finding.severity, finding.message, finding.range]));
}

/** Runs `runs` documents through the properties; `seed` makes a run repeatable. */
export function fuzzDocuments(runs: number, seed: number, examples: string[], onProgress?: (report: DocumentFuzzReport) => void): DocumentFuzzReport {
  const report: DocumentFuzzReport = { runs: 0, exceptions: 0, outOfRange: 0, nonIdempotentFixes: 0, lineEndMismatches: 0, firstFailures: [] };
  const fail = (kind: 'exceptions' | 'outOfRange' | 'nonIdempotentFixes' | 'lineEndMismatches', input: string, error: unknown) => {
    report[kind]++;
    if (!report.firstFailures.some((failure) => failure.kind === kind)) report.firstFailures.push({ kind, input, detail: error instanceof Error ? error.message : String(error) });
  };
  const config = defaultConfig();
  const documents = fc.oneof(anyString, markdownDocument, mutatedExamples(examples));
  fc.assert(
    fc.property(documents, (text) => {
      report.runs++;
      if (onProgress && report.runs % 1000 === 0) onProgress(report);
      const options: CheckOptions = { config, path: 'docs/plans/fuzz.md' };
      let findings: Finding[];
      try {
        const checked = checkText(text, options);
        if (checked.ruleErrors.length > 0) throw new Error(`rule errors: ${checked.ruleErrors.join('; ')}`);
        findings = checked.findings;
        try {
          const lengths = lineLengths(text);
          assertAllRangesInside(checked.built.model, lengths);
          for (const finding of findings) {
            assertRangeInside(finding.range, lengths, `finding ${finding.ruleId}`);
            for (const fix of finding.fixes) for (const change of fix.edits) assertRangeInside(change.range, lengths, `fix "${fix.title}"`);
          }
        } catch (error) {
          fail('outOfRange', text, error);
        }
      } catch (error) {
        fail('exceptions', text, error);
        return true;
      }
      try {
        const lf = summary(checkText(text.replace(/\r\n|\r|\n/g, '\n'), options).findings);
        for (const eol of ['\r\n', '\r']) {
          if (summary(checkText(text.replace(/\r\n|\r|\n/g, eol), options).findings) !== lf) throw new Error(`${JSON.stringify(eol)} line ends change the findings`);
        }
      } catch (error) {
        fail('lineEndMismatches', text, error);
      }
      if (findings.some((finding) => finding.fixes.some((fix) => fix.fixAll))) {
        try {
          const once = fixAllText(text, options);
          const twice = fixAllText(once.text, options);
          if (twice.text !== once.text || twice.applied !== 0) throw new Error(`a second fix-all applied ${twice.applied} more fixes`);
        } catch (error) {
          fail('nonIdempotentFixes', text, error);
        }
      }
      return true;
    }),
    { numRuns: runs, seed },
  );
  return report;
}
