/**
 * Line ends do not change findings: a document saved with CR-only, LF or CRLF line ends gets the same
 * findings at the same positions (LSP positions count a lone CR as a line break, like LF and CRLF).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkText } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import type { Finding } from '../../server/src/rules/types';
import { markdownDocument } from '../helpers/markdownArbitrary';

const RUNS = Number(process.env.DOCPLAN_PROPERTY_RUNS ?? 200);
const config = defaultConfig();

/** `text` with every line end (LF, CRLF or lone CR) replaced by `eol`. */
function withLineEnds(text: string, eol: string): string {
  return text.replace(/\r\n|\r|\n/g, eol);
}

/** What a reader sees of a finding: rule, severity, message and where. */
function summary(findings: Finding[]) {
  return findings.map((finding) => ({ rule: finding.ruleId, severity: finding.severity, message: finding.message, range: finding.range }));
}

const PLAN = [
  '# Plan: Ledger export',
  '',
  '**Goal**: `npm test` passes with 0 failures.',
  '',
  '## Stage 1: Export',
  '',
  '### Objective',
  '',
  'Export the ledger.',
  '',
  '### Changes',
  '',
  '- [ ] Write the exporter',
  '',
  '### Validation',
  '',
  '```bash',
  'npm test',
  '```',
  '',
  '## Stage 2: Import',
  '',
  '### Objective',
  '',
  'Import it back.',
  '',
  '### Changes',
  '',
  '- [ ] Write the importer',
  '',
  '### Validation',
  '',
  '- [ ] Run the importer by hand',
  '',
].join('\n');

describe('line ends', () => {
  it('a CR-only plan with a fenced bash validation block gets the LF plan\'s findings', () => {
    const lf = summary(checkText(PLAN, { config, path: 'PLAN.md' }).findings);
    // The LF plan really is checked: Stage 2's validation has no command.
    assert.ok(lf.some((finding) => finding.rule === 'validation-without-command' && finding.range.start.line > 20));
    assert.ok(!lf.some((finding) => finding.rule === 'validation-without-command' && finding.range.start.line < 20));
    assert.deepEqual(summary(checkText(withLineEnds(PLAN, '\r'), { config, path: 'PLAN.md' }).findings), lf);
    assert.deepEqual(summary(checkText(withLineEnds(PLAN, '\r\n'), { config, path: 'PLAN.md' }).findings), lf);
  });

  it('property: LF, CRLF and CR-only versions of any plan-shaped document have the same findings', () => {
    fc.assert(
      fc.property(markdownDocument, (text) => {
        const lf = summary(checkText(withLineEnds(text, '\n'), { config, path: 'docs/plan.md' }).findings);
        assert.deepEqual(summary(checkText(withLineEnds(text, '\r\n'), { config, path: 'docs/plan.md' }).findings), lf);
        assert.deepEqual(summary(checkText(withLineEnds(text, '\r'), { config, path: 'docs/plan.md' }).findings), lf);
      }),
      { numRuns: RUNS },
    );
  });

  it('a control comment after an unclosed comment opener sits on the same line whatever the line ends (found by the 100,000-document fuzz run)', () => {
    const text = ['<!--', '<!-- docplan-disable -->', '**Goal**: `echo hi`', '## Stage 2: Export', '', '### Objective', '', 'Export.', ''].join('\n');
    const lf = checkText(text, { config, path: 'docs/plans/plan.md' });
    assert.deepEqual(lf.built.model.controlComments.map((comment) => comment.range.start), [{ line: 1, character: 0 }]);
    for (const eol of ['\r\n', '\r']) {
      const other = checkText(withLineEnds(text, eol), { config, path: 'docs/plans/plan.md' });
      assert.deepEqual(other.built.model.controlComments, lf.built.model.controlComments);
      assert.deepEqual(summary(other.findings), summary(lf.findings));
    }
  });
});
