/**
 * Tier-2 fix tests. For every finding in every `fires*.md` rule fixture, each of its fixes is applied to the
 * text and the result re-checked: the finding must be gone, and no finding may appear that was not there
 * before (compared by rule and message, since positions shift). Fix-all must settle in one run: a second
 * run changes nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { checkText } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { applyEdits } from '../../server/src/features/edits';
import { fixAllText } from '../../server/src/features/fixAll';
import type { Finding, Fix } from '../../server/src/rules/types';
import { checkFixture, ruleFixtures } from './rule-fixtures';

const options = { config: defaultConfig(), path: null };

function findings(text: string): Finding[] {
  const result = checkText(text, options);
  assert.deepEqual(result.ruleErrors, []);
  return result.findings;
}

const key = (finding: Finding) => `${finding.ruleId}: ${finding.message}`;

function counts(list: Finding[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const finding of list) map.set(key(finding), (map.get(key(finding)) ?? 0) + 1);
  return map;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** Whether a finding's start lies inside the range one of the edits replaces. */
function startsInEdits(finding: Finding, edits: TextEdit[]): boolean {
  return edits.some((edit) => before(edit.range.start, finding.range.start) && before(finding.range.start, edit.range.end) && !before(edit.range.end, edit.range.start));
}

/** How many findings of the finding's rule the fix must settle. */
function settles(fix: Fix, finding: Finding, all: Finding[]): number {
  const sameRule = all.filter((other) => other.ruleId === finding.ruleId);
  if (fix.title === `Disable ${finding.ruleId} for this file`) return sameRule.length;
  if (fix.title === `Disable ${finding.ruleId} for this line`) return sameRule.filter((other) => other.range.start.line === finding.range.start.line).length;
  if (finding.ruleId === 'stage-numbering') {
    // Renumbering rewrites every number of the sequence at once: it settles each finding whose number it edits.
    const settled = sameRule.filter((other) => startsInEdits(other, fix.edits));
    assert.ok(settled.includes(finding), `"${fix.title}" edits the number the finding is about`);
    return settled.length;
  }
  if (/^Update all \d+ outdated line numbers in this document$/.test(fix.title)) {
    // One action for every reference with a known new line: it settles each finding on a line it edits.
    const settled = sameRule.filter((other) => fix.edits.some((edit) => edit.range.start.line === other.range.start.line));
    assert.ok(settled.includes(finding), `"${fix.title}" edits the reference the finding is about`);
    return settled.length;
  }
  return 1;
}

const fires = ruleFixtures().filter((fixture) => fixture.kind === 'fires');

describe('each fix settles its finding and adds none', () => {
  for (const fixture of fires) {
    it(`${fixture.ruleId}/${fixture.name}`, async () => {
      // Checked as the fixture folder asks (with its workspace when it has a `.workspace` file).
      const findingsOf = async (text: string) => {
        const result = await checkFixture({ ...fixture, text });
        assert.deepEqual(result.ruleErrors, []);
        return result.findings;
      };
      const original = await findingsOf(fixture.text);
      const mine = original.filter((finding) => finding.ruleId === fixture.ruleId);
      assert.ok(mine.length > 0);
      let tried = 0;
      for (const finding of original) {
        assert.ok(finding.fixes.length > 0, 'every finding can at least be disabled');
        for (const fix of finding.fixes) {
          // Fixes that edit other files (test stubs) are applied and re-checked in testRules.test.ts.
          if (fix.otherFiles) continue;
          tried++;
          const where = `${key(finding)} (line ${finding.range.start.line + 1}) / ${fix.title}`;
          assert.ok(fix.edits.length > 0, `${where}: has edits`);
          const text = applyEdits(fixture.text, fix.edits);
          assert.notEqual(text, fixture.text, `${where}: changes the text`);
          const after = await findingsOf(text);
          const ruleBefore = original.filter((other) => other.ruleId === finding.ruleId).length;
          const ruleAfter = after.filter((other) => other.ruleId === finding.ruleId).length;
          assert.equal(ruleAfter, ruleBefore - settles(fix, finding, original), `${where}: settles its finding(s)`);
          assert.ok((counts(after).get(key(finding)) ?? 0) < (counts(original).get(key(finding)) ?? 0), `${where}: the finding is gone`);
          const previous = counts(original);
          for (const [message, count] of counts(after)) {
            assert.ok(count <= (previous.get(message) ?? 0), `${where}: adds no finding, but now reports ${message}`);
          }
        }
      }
      assert.ok(tried >= mine.length);
    });
  }
});

describe('rule fixes are offered where the spec asks for them', () => {
  const titles = (ruleId: string, name: string) =>
    findings(fires.find((fixture) => fixture.ruleId === ruleId && fixture.name === name)!.text)
      .filter((finding) => finding.ruleId === ruleId)
      .map((finding) => finding.fixes.filter((fix) => !fix.title.startsWith('Disable ')).map((fix) => `${fix.title}${fix.fixAll ? ' [all]' : ''}`));

  it('"Disable for this file" after front matter that ends the document stays inside it, and disables the rule (found by the fuzz run)', () => {
    const text = '---\r\ndocplan: design\r\ntitle: x\r\n---';
    const before = findings(text).find((finding) => finding.ruleId === 'missing-goals')!;
    const disable = before.fixes.find((fix) => fix.title === 'Disable missing-goals for this file')!;
    assert.deepEqual(disable.edits[0].range.start, { line: 3, character: 3 });
    const after = applyEdits(text, disable.edits as TextEdit[]);
    assert.ok(after.startsWith(text), 'the front matter is untouched');
    assert.ok(!findings(after).some((finding) => finding.ruleId === 'missing-goals'));
  });

  it('stage-missing-part adds the missing parts', () => {
    assert.deepEqual(titles('stage-missing-part', 'fires-plan.md'), [
      ['Add a Validation block to Stage 2'],
      ['Add Objective and Changes to Stage 3'],
      ['Add Objective, Changes and Validation to Stage 4'],
    ]);
  });

  it('stage-missing-part inserts a plan Validation as a sub-heading and a design one as **Validate**:', () => {
    const plan = fires.find((fixture) => fixture.ruleId === 'stage-missing-part' && fixture.name === 'fires-plan.md')!.text;
    const stage2 = findings(plan).find((finding) => finding.ruleId === 'stage-missing-part')!;
    const planText = applyEdits(plan, stage2.fixes[0].edits);
    // Stage 2 is a `##` heading: its Validation goes one level deeper, after its Changes and before Stage 3.
    const stage2Body = planText.slice(planText.indexOf('## Stage 2'), planText.indexOf('## Stage 3'));
    assert.match(stage2Body, /### Changes\n\n- \[ \] Return a 413 response with the limit in the message\n\n### Validation\n\n<!-- .+ -->\n\n$/);
    const design = fires.find((fixture) => fixture.ruleId === 'stage-missing-part' && fixture.name === 'fires-design.md')!.text;
    const step = findings(design).find((finding) => finding.ruleId === 'stage-missing-part')!;
    const designText = applyEdits(design, step.fixes[0].edits);
    const stepBody = designText.slice(designText.indexOf('#### Step 1.2'), designText.indexOf('### Phase 2'));
    assert.match(stepBody, /Send queued actions oldest first when the network returns\.\n\n\*\*Validate\*\*:\n\n<!-- .+ -->\n\n$/);
  });

  it('stage-numbering renumbers and rewrites unambiguous mentions', () => {
    const gap = fires.find((fixture) => fixture.ruleId === 'stage-numbering' && fixture.name === 'fires-gap.md')!.text;
    const fixed = fixAllText(gap, options).text;
    assert.match(fixed, /## Stage 3: Typo tolerance/);
    assert.match(fixed, /\| 3 \| Typo tolerance \| Pending \|/);
    assert.match(fixed, /Stage 3 requires Stage 2\./);
    assert.doesNotMatch(fixed, /Stage 4/);
    const steps = fires.find((fixture) => fixture.ruleId === 'stage-numbering' && fixture.name === 'fires-steps.md')!.text;
    const renumbered = fixAllText(steps, options).text;
    const headings = renumbered.split('\n').filter((line) => /^#{3,4} (Phase|Step) /.test(line)).map((line) => line.replace(/:.*/, '').replace(/^#+ /, ''));
    assert.deepEqual(headings, ['Phase 1', 'Step 1.1', 'Step 1.2', 'Phase 2', 'Step 2.1', 'Step 2.2', 'Step 2.3']);
  });

  it('status-mismatch writes the table’s own words and edits only the marker', () => {
    assert.deepEqual(titles('status-mismatch', 'fires-table.md'), [
      ['Set Stage 1\'s status to "In Progress" [all]'],
      ['Set Stage 2\'s status to "✓ Completed" [all]'],
      ['Set Stage 3\'s status to "✓ Completed" [all]'],
      ['Set Stage 4\'s status to "In Progress" [all]'],
      [],
    ]);
    const heading = fires.find((fixture) => fixture.ruleId === 'status-mismatch' && fixture.name === 'fires-heading.md')!.text;
    const fixed = fixAllText(heading, options).text;
    assert.match(fixed, /^## Stage 1: TOTP enrolment <!-- expect: status-mismatch -->$/m);
    assert.match(fixed, /^## Stage 2: Verify codes ✅ <!-- expect: status-mismatch -->$/m);
    assert.match(fixed, /^## Stage 3: Recovery codes <!-- expect: status-mismatch -->$/m);
  });
});

describe('fix-all', () => {
  for (const fixture of ruleFixtures()) {
    it(`${fixture.ruleId}/${fixture.name}: a second run changes nothing`, () => {
      const once = fixAllText(fixture.text, options);
      const twice = fixAllText(once.text, options);
      assert.equal(twice.text, once.text);
      assert.equal(twice.applied, 0);
      for (const finding of findings(once.text)) {
        assert.ok(!finding.fixes.some((fix) => fix.fixAll), `no safe fix is left over: ${key(finding)}`);
      }
      if (fixture.kind !== 'fires') assert.equal(once.text, fixture.text, 'fix-all leaves a clean doc alone');
    });
  }
});
