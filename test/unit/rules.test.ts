/**
 * Tier-1 rule tests. Every rule has a fixture folder; `fires*.md` files mark by hand, on each line, the
 * diagnostics that rule must report there, `silent.md` is a correct doc that gets nothing from any rule, and
 * `ordinary.md` is ordinary Markdown (not a DocPlan doc at all). Then configuration: severities, options and
 * inline control comments, and a few messages and ranges checked against what the fixture text says.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../server/src/check';
import { defaultConfig, mergeConfig, type ConfigInput, type DocPlanConfig } from '../../server/src/config/config';
import { ALL_RULES } from '../../server/src/rules/index';
import type { Finding } from '../../server/src/rules/types';
import { checkFixture, expectedMarkers, ruleFixtures } from './rule-fixtures';

const fixtures = ruleFixtures();

function check(text: string, config: DocPlanConfig = defaultConfig()) {
  return checkText(text, { config, path: null });
}

function configWith(input: ConfigInput): DocPlanConfig {
  return mergeConfig(defaultConfig(), input);
}

function findingsOf(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((finding) => finding.ruleId === ruleId);
}

function fixtureText(ruleId: string, name: string): string {
  const found = fixtures.find((fixture) => fixture.ruleId === ruleId && fixture.name === name);
  assert.ok(found, `fixture ${ruleId}/${name} exists`);
  return found.text;
}

/** 0-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `fixture has a line with ${JSON.stringify(needle)}`);
  return index;
}

describe('rule fixtures', () => {
  it('every registered rule has fires, silent and ordinary fixtures, and every folder names a rule', () => {
    const ids = new Set(ALL_RULES.map((rule) => rule.id));
    const folders = new Set(fixtures.map((fixture) => fixture.ruleId));
    assert.deepEqual([...folders].sort(), [...ids].sort());
    for (const id of ids) {
      const mine = fixtures.filter((fixture) => fixture.ruleId === id);
      assert.ok(mine.some((fixture) => fixture.kind === 'fires'), `${id} has a fires fixture`);
      assert.ok(mine.some((fixture) => fixture.kind === 'silent'), `${id} has silent.md`);
      assert.ok(mine.some((fixture) => fixture.kind === 'ordinary'), `${id} has ordinary.md`);
    }
  });

  for (const fixture of fixtures) {
    const label = `${fixture.ruleId}/${fixture.name}`;
    if (fixture.kind === 'fires') {
      it(`${label}: reports exactly the marked lines`, async () => {
        const expected = expectedMarkers(fixture.text, fixture.ruleId);
        assert.ok(expected.size > 0, 'a fires fixture marks at least one line');
        const result = await checkFixture(fixture);
        assert.deepEqual(result.ruleErrors, []);
        assert.notEqual(result.built.model.kind, null, 'a fires fixture is a DocPlan doc');
        const actual = new Set(findingsOf(result.findings, fixture.ruleId).map((finding) => `${finding.range.start.line} ${finding.ruleId}`));
        assert.deepEqual([...actual].sort(), [...expected].sort());
      });
    } else {
      it(`${label}: gets no findings from any rule`, async () => {
        const result = await checkFixture(fixture);
        assert.deepEqual(result.ruleErrors, []);
        if (fixture.kind === 'ordinary') assert.equal(result.built.model.kind, null, 'ordinary Markdown is not a DocPlan doc');
        else assert.notEqual(result.built.model.kind, null, 'a silent fixture is a DocPlan doc');
        assert.deepEqual(
          result.findings.map((finding) => `${finding.range.start.line + 1}: ${finding.ruleId}: ${finding.message}`),
          [],
        );
      });
    }
  }
});

describe('rule severities and defaults', () => {
  it('uses each rule’s default severity', () => {
    const defaults: Record<string, string> = {
      'missing-goals': 'warning',
      'missing-non-goals': 'warning',
      'missing-section': 'warning',
      'goal-not-measurable': 'hint',
      'placeholder-text': 'warning',
      'stage-missing-part': 'warning',
      'stage-too-large': 'warning',
      'stage-numbering': 'warning',
      'unknown-stage-reference': 'error',
      'dependency-cycle': 'error',
      'status-mismatch': 'warning',
      'validation-without-command': 'warning',
      'missing-file': 'warning',
      'file-not-deleted': 'warning',
      'line-out-of-range': 'warning',
      'stale-line': 'warning',
      'line-drift': 'info',
      'broken-doc-link': 'warning',
      'reference-outside-workspace': 'warning',
      'reference-unreadable': 'info',
      'test-file-missing': 'warning',
      'test-not-found': 'warning',
      'requirement-reference-unknown': 'warning',
      'requirement-not-covered': 'info',
      'scenario-missing': 'warning',
      'requirement-without-shall': 'warning',
      'empty-delta-section': 'warning',
      'duplicate-requirement': 'error',
      'duplicate-task-id': 'warning',
      'unknown-task-dependency': 'warning',
      'todo-status-mismatch': 'warning',
      'completion-not-in-code': 'warning',
      'completion-without-change': 'warning',
      'done-not-ticked': 'info',
      'validation-evidence': 'error',
    };
    for (const rule of ALL_RULES) assert.equal(rule.defaultSeverity, defaults[rule.id], rule.id);
    const goals = findingsOf(check(fixtureText('goal-not-measurable', 'fires.md')).findings, 'goal-not-measurable');
    assert.equal(goals.length, 2);
    assert.ok(goals.every((finding) => finding.severity === 'hint'));
    const cycles = findingsOf(check(fixtureText('dependency-cycle', 'fires.md')).findings, 'dependency-cycle');
    assert.ok(cycles.length > 0 && cycles.every((finding) => finding.severity === 'error'));
  });

  it('"off" removes a rule’s findings and leaves the others', () => {
    const text = fixtureText('placeholder-text', 'fires.md');
    assert.ok(findingsOf(check(text).findings, 'placeholder-text').length > 0);
    const off = check(text, configWith({ rules: { 'placeholder-text': 'off' } }));
    assert.equal(findingsOf(off.findings, 'placeholder-text').length, 0);
    const other = fixtureText('stage-too-large', 'fires.md');
    assert.equal(findingsOf(check(other, configWith({ rules: { 'placeholder-text': 'off' } })).findings, 'stage-too-large').length, 1);
  });

  it('a configured severity replaces the default', () => {
    const text = fixtureText('stage-too-large', 'fires.md');
    const error = findingsOf(check(text, configWith({ rules: { 'stage-too-large': 'error' } })).findings, 'stage-too-large');
    assert.deepEqual(error.map((finding) => finding.severity), ['error']);
    const hinted = findingsOf(check(text, configWith({ rules: { 'stage-too-large': { severity: 'info' } } })).findings, 'stage-too-large');
    assert.deepEqual(hinted.map((finding) => finding.severity), ['info']);
  });

  it('stage-too-large follows its maxChanges option', () => {
    // The fixture's Stage 1 has 11 change items and Stage 2 has 2.
    const text = fixtureText('stage-too-large', 'fires.md');
    const at = (max: number) => findingsOf(check(text, configWith({ rules: { 'stage-too-large': { maxChanges: max } } })).findings, 'stage-too-large');
    assert.equal(at(11).length, 0);
    assert.equal(at(10).length, 1);
    assert.match(at(10)[0].message, /Stage 1 has 11 change items \(more than 10\)/);
    assert.equal(at(1).length, 2);
    // The severity string form keeps options set elsewhere.
    const merged = mergeConfig(configWith({ rules: { 'stage-too-large': { maxChanges: 20 } } }), { rules: { 'stage-too-large': 'error' } });
    assert.equal(findingsOf(check(text, merged).findings, 'stage-too-large').length, 0);
  });

  it('missing-section follows requiredSections', () => {
    const text = fixtureText('missing-section', 'fires-plan.md');
    // The plan has a Background but no Affected Code.
    const found = findingsOf(check(text).findings, 'missing-section');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /no Affected Code section/);
    const none = check(text, configWith({ requiredSections: { plan: ['background'] } }));
    assert.equal(findingsOf(none.findings, 'missing-section').length, 0);
    const more = check(text, configWith({ requiredSections: { plan: ['background', 'affected-code', 'testing', 'goals'] } }));
    assert.deepEqual(
      findingsOf(more.findings, 'missing-section').map((finding) => /no (.*) section/.exec(finding.message)?.[1]),
      ['Affected Code', 'Testing'],
    );
  });
});

const TWO_LARGE_STAGES = (before1: string, before2: string) => `# Plan: Rename Everything

## Background

**Goal**: Every module uses the new names, and the old names return a deprecation warning.

### Affected Code

- \`src/names.ts\` - the name table

${before1}## Stage 1: First half

### Objective

Rename the first half.

### Changes

${Array.from({ length: 11 }, (_, i) => `- [ ] Rename module ${i + 1}`).join('\n')}

### Validation

- [ ] \`npm test\`

${before2}## Stage 2: Second half

### Objective

Rename the second half.

### Changes

${Array.from({ length: 11 }, (_, i) => `- [ ] Rename module ${i + 12}`).join('\n')}

### Validation

- [ ] \`npm test\`
`;

describe('inline control comments', () => {
  const stageLines = (text: string) => findingsOf(check(text).findings, 'stage-too-large').map((finding) => finding.range.start.line);

  it('both large stages are reported without comments', () => {
    const text = TWO_LARGE_STAGES('', '');
    assert.deepEqual(stageLines(text), [lineOf(text, '## Stage 1'), lineOf(text, '## Stage 2')]);
  });

  it('docplan-disable-next-line silences the next line only', () => {
    const text = TWO_LARGE_STAGES('<!-- docplan-disable-next-line stage-too-large -->\n', '');
    assert.deepEqual(stageLines(text), [lineOf(text, '## Stage 2')]);
  });

  it('docplan-disable-next-line for another rule does not silence this one', () => {
    const text = TWO_LARGE_STAGES('<!-- docplan-disable-next-line placeholder-text -->\n', '');
    assert.deepEqual(stageLines(text), [lineOf(text, '## Stage 1'), lineOf(text, '## Stage 2')]);
  });

  it('docplan-disable ... docplan-enable covers the lines between them', () => {
    const text = TWO_LARGE_STAGES('<!-- docplan-disable stage-too-large -->\n\n', '<!-- docplan-enable stage-too-large -->\n\n');
    assert.deepEqual(stageLines(text), [lineOf(text, '## Stage 2')]);
  });

  it('docplan-disable without enable runs to the end, and without ids covers every rule', () => {
    const text = TWO_LARGE_STAGES('<!-- docplan-disable stage-too-large -->\n\n', '');
    assert.deepEqual(stageLines(text), []);
    const all = `<!-- docplan-disable -->\n\n${fixtureText('placeholder-text', 'fires.md')}`;
    assert.deepEqual(check(all).findings, []);
  });
});

describe('messages and ranges', () => {
  it('missing-section names the section and its accepted headings', () => {
    const text = fixtureText('missing-section', 'fires-design.md');
    // The design doc has no Benefits and no Future Work section.
    const messages = findingsOf(check(text).findings, 'missing-section').map((finding) => finding.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0], /no Benefits section.*"benefits", "advantages"/);
    assert.match(messages[1], /no Future Work section.*"future work".*"next steps"/);
  });

  it('placeholder-text reports the placeholder itself', () => {
    const text = fixtureText('placeholder-text', 'fires.md');
    const found = findingsOf(check(text).findings, 'placeholder-text');
    const covered = found.map((finding) => {
      const line = text.split('\n')[finding.range.start.line];
      assert.equal(finding.range.start.line, finding.range.end.line);
      return line.slice(finding.range.start.character, finding.range.end.character);
    });
    assert.deepEqual(covered, ['[describe the problem this import solves]', '[Your name]', '{Review Meeting}', '{module}', 'TODO', 'FIXME', 'TBD', 'TODO', 'XXX', 'TBD']);
  });

  it('stage-missing-part names every missing part of a plan stage', () => {
    const text = fixtureText('stage-missing-part', 'fires-plan.md');
    const messages = findingsOf(check(text).findings, 'stage-missing-part').map((finding) => finding.message);
    assert.match(messages[0], /^Stage 2 is missing Validation:/);
    assert.match(messages[1], /^Stage 3 is missing Objective and Changes:/);
    assert.match(messages[2], /^Stage 4 is missing Objective, Changes and Validation:/);
  });

  it('stage-numbering explains gaps, duplicates and wrong prefixes', () => {
    const gap = findingsOf(check(fixtureText('stage-numbering', 'fires-gap.md')).findings, 'stage-numbering');
    assert.deepEqual(gap.map((finding) => finding.message), ['Stage 3 is missing: the Stage numbers jump from 2 to 4.']);
    const duplicate = findingsOf(check(fixtureText('stage-numbering', 'fires-duplicate.md')).findings, 'stage-numbering');
    assert.match(duplicate[0].message, /Stage 2 is numbered twice/);
    const steps = findingsOf(check(fixtureText('stage-numbering', 'fires-steps.md')).findings, 'stage-numbering');
    assert.deepEqual(
      steps.map((finding) => finding.message),
      [
        'Phase 2 is missing: the Phase numbers jump from 1 to 3.',
        'Step 1.2 is under Phase 3: its number should start with 3.',
        'Step 3.2 to Step 3.3 are missing: the Step numbers jump from 3.1 to 3.4.',
      ],
    );
  });

  it('dependency-cycle lists the cycle, following the document', () => {
    const messages = findingsOf(check(fixtureText('dependency-cycle', 'fires.md')).findings, 'dependency-cycle').map((finding) => finding.message);
    assert.match(messages[0], /Stage 2 -> Stage 1 -> Stage 2/);
    assert.match(messages[1], /Stage 3 -> Stage 3/);
    const diagram = findingsOf(check(fixtureText('dependency-cycle', 'fires-diagram.md')).findings, 'dependency-cycle');
    // `A ──► B` means B depends on A: 2 needs 1, 1 needs 3, 3 needs 2.
    assert.match(diagram[0].message, /Stage 2 -> Stage 1 -> Stage 3 -> Stage 2/);
  });

  it('unknown-stage-reference ignores labels the doc has no stages of', () => {
    const text = fixtureText('unknown-stage-reference', 'fires.md').replace('Stage 3 requires Stage 2.', 'Phase 3 requires Stage 2.');
    const lines = findingsOf(check(text).findings, 'unknown-stage-reference').map((finding) => finding.range.start.line);
    assert.deepEqual(lines, [lineOf(text, '- Stage 5')]);
  });

  it('status-mismatch reports on the marker or the status cell', () => {
    const text = fixtureText('status-mismatch', 'fires-table.md');
    const found = findingsOf(check(text).findings, 'status-mismatch');
    const lines = text.split('\n');
    const covered = found.map((finding) => lines[finding.range.start.line].slice(finding.range.start.character, finding.range.end.character));
    assert.deepEqual(covered, ['✓ Completed', 'Pending', 'In Progress', '✓ Completed', '6']);
    const heading = fixtureText('status-mismatch', 'fires-heading.md');
    const marks = findingsOf(check(heading).findings, 'status-mismatch').map((finding) =>
      heading.split('\n')[finding.range.start.line].slice(finding.range.start.character, finding.range.end.character),
    );
    assert.deepEqual(marks, ['✅', '(pending)', '✅']);
  });

  it('validation-without-command ignores a Validation part that is only a comment prompt', () => {
    const text = fixtureText('validation-without-command', 'fires.md');
    const lines = findingsOf(check(text).findings, 'validation-without-command').map((finding) => finding.range.start.line);
    assert.equal(lines.length, 2);
    const commentOnly = lineOf(text, '## Stage 3: Empty state');
    assert.ok(lines.every((line) => line < commentOnly));
  });
});
