/**
 * Profiles: every fixture under test/fixtures/profiles/<case>/ is checked at its path inside the case folder
 * (paths are detection signals) and must get the profile its `<!-- expect-profile: id -->` marker names
 * (`none`: ordinary Markdown, no profile and no finding). Then pinning, uncertainty, the schema, stages at
 * any nesting, Run:/Expected: commands and the reporting of the profile.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../../server/src/check';
import { defaultConfig, mergeConfig } from '../../server/src/config/config';
import { buildModel } from '../../server/src/model/build';
import { ALL_PROFILES } from '../../server/src/profiles/index';
import { PROFILE_IDS } from '../../server/src/profiles/types';
import { stagesJson } from '../../server/src/cli/stages';
import { documentInfo } from '../../server/src/features/stages';
import { meetsExpectation, judgedResult } from '../../server/src/run/expectation';
import { documentTargets } from '../../server/src/run/targets';

const ROOT = fileURLToPath(new URL('../fixtures/profiles/', import.meta.url));
const schema: unknown = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/docplan.schema.json', import.meta.url)), 'utf8'));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
  });
}

describe('profile detection on fixtures in each family\'s shapes', () => {
  const cases = readdirSync(ROOT).sort();
  it('there is a fixture case per profile and one of ordinary Markdown', () => {
    for (const id of PROFILE_IDS) if (id !== 'seed-tracker') assert.ok(cases.includes(id), `fixture case ${id}`);
    assert.ok(cases.includes('ordinary'));
  });
  for (const name of cases) {
    for (const file of markdownFiles(join(ROOT, name))) {
      const path = relative(join(ROOT, name), file).split('\\').join('/');
      const text = readFileSync(file, 'utf8');
      const expected = /<!--\s*expect-profile:\s*([a-z-]+)\s*-->/.exec(text)?.[1];
      it(`${name}/${path} is read as ${expected}`, () => {
        assert.ok(expected, 'the fixture names its profile');
        const result = checkText(text, { config: defaultConfig(), path });
        const model = result.built.model;
        if (expected === 'none') {
          assert.equal(model.profile, null);
          assert.equal(model.kind, null);
          assert.deepEqual(result.findings, []);
        } else {
          assert.equal(model.profile, expected);
          assert.deepEqual(model.profileCandidates, [expected], 'detection is sure');
          assert.notEqual(model.kind, null);
        }
      });
    }
  }
  it('the same doc without its path still finds the family from its shapes', () => {
    for (const [name, path] of [
      ['agent-task-plan', 'docs/plans/2026-01-05-export-csv.md'],
      ['spec-tasks', 'specs/004-gift-cards/tasks.md'],
      ['change-proposal', 'openspec/changes/add-quiet-hours/specs/notifications/spec.md'],
      ['editor-plan', '.cursor/plans/dark-mode_1a2b.plan.md'],
      ['enhancement-proposal', 'keps/sig-apps/1234-pause-queues/README.md'],
      ['rfc', 'text/0042-pattern-guards.md'],
      ['design-note', 'docs/adr/0003-use-sqlite.md'],
    ]) {
      const model = buildModel(readFileSync(join(ROOT, name, path), 'utf8')).model;
      assert.equal(model.profile, name, path);
    }
  });
});

describe('pinning and uncertainty', () => {
  const rfcText = readFileSync(join(ROOT, 'rfc/text/0042-pattern-guards.md'), 'utf8');
  it('front matter docplan: <profile> pins a profile, and a kind name pins the seed profile', () => {
    assert.equal(buildModel(`---\ndocplan: design-note\n---\n${rfcText}`).model.profile, 'design-note');
    assert.equal(buildModel(`---\ndocplan: plan\n---\n# Notes\n`).model.profile, 'seed-plan');
    assert.equal(buildModel(`---\ndocplan: design-note\n---\n${rfcText}`).model.profileSource, 'front-matter');
  });
  it('.docplan.json profiles pin a profile per glob', () => {
    const config = mergeConfig(defaultConfig(), { profiles: { 'docs/decisions/**': 'design-note' } });
    const pinned = checkText(rfcText, { config, path: 'docs/decisions/a.md' }).built.model;
    assert.equal(pinned.profile, 'design-note');
    assert.equal(pinned.profileSource, 'config');
    assert.equal(checkText(rfcText, { config, path: 'docs/other/a.md' }).built.model.profile, 'rfc');
  });
  it('the schema names exactly the registered profiles', () => {
    const names = (schema as { definitions: { profile: { enum: string[] } } }).definitions.profile.enum;
    assert.deepEqual([...names].sort(), ALL_PROFILES.map((profile) => profile.id).sort());
    assert.deepEqual([...PROFILE_IDS].sort(), ALL_PROFILES.map((profile) => profile.id).sort());
  });
  it('a loose plan that two families fit gets only the findings both would report', () => {
    const loose = '# Fix plan: broken buttons\n\n## Phase 1: Navigation\n\n- [ ] Wire the back button\n\n## Phase 2: Forms\n\n- [ ] Submit on enter\n';
    const result = checkText(loose, { config: defaultConfig(), path: null });
    assert.ok(result.built.model.profileCandidates.length > 1, result.built.model.profileCandidates.join(','));
    assert.deepEqual(result.findings.map((finding) => finding.ruleId), []);
  });
  it('an RFC is checked against the RFC template, with the profile named in the message', () => {
    const missing = rfcText.replace(/## Drawbacks \[optional\][^#]*/, '');
    const findings = checkText(missing, { config: defaultConfig(), path: null }).findings;
    assert.deepEqual(findings.map((finding) => finding.ruleId), ['missing-section']);
    assert.match(findings[0].message, /no Drawbacks section \(required by the RFC profile\)/);
    assert.deepEqual(checkText(rfcText, { config: defaultConfig(), path: null }).findings, [], 'no Goals, Non-Goals or Benefits asked of an RFC');
  });
  it('decorated headings and inline labels count as their sections', () => {
    const design = readFileSync(join(ROOT, 'seed-design/docs/design/cache.md'), 'utf8')
      .replace('## Non-Goals\n\n- Caching across servers.', '**Non-goals**: caching across servers.')
      .replace('## Trade-offs', '## Trade-offs (deliberate)')
      .replace('## Future Work', '## Future Work [optional]')
      .replace('## Goals', '## Goals for the cache');
    assert.deepEqual(checkText(design, { config: defaultConfig(), path: null }).findings.map((finding) => finding.message), []);
  });
});

describe('stages at any nesting', () => {
  it('stages nested in phases are the work units; the phases group them and number per group', () => {
    const text = readFileSync(join(ROOT, 'nested-phases/docs/plans/rollout-plan.md'), 'utf8');
    const result = checkText(text, { config: defaultConfig(), path: null });
    const phases = result.built.model.stages;
    assert.deepEqual(phases.map((phase) => `${phase.label} ${phase.number} ${phase.workUnit}`), ['Phase 1 false', 'Phase 2 false']);
    assert.deepEqual(phases[0].children.map((stage) => `${stage.label} ${stage.number} ${stage.workUnit}`), ['Stage 1 true', 'Stage 2 true']);
    assert.deepEqual(result.findings, [], 'Stage 1 under each phase is not "numbered twice"');
  });
  it('steps quoted in a block quote or under a heading that introduces quoted material are not stages', () => {
    const text = [
      '# Plan: Migrate the queue',
      '',
      '## Stage 1: Copy the jobs',
      '',
      '### Objective',
      '',
      'Copy.',
      '',
      '### Changes',
      '',
      '- [ ] Copy the table',
      '',
      '### Validation',
      '',
      '- [ ] `make test`',
      '',
      '## The vendor procedure (quoted from their runbook)',
      '',
      '### Step 0: Stop the workers',
      '',
      'Stop them.',
      '',
      '### Step 1: Drain',
      '',
      '> ### Step 2: Restart',
      '',
    ].join('\n');
    const model = buildModel(text).model;
    assert.deepEqual(model.stages.map((stage) => `${stage.label} ${stage.number}`), ['Stage 1']);
  });
  it('graduation phases of a proposal are not work stages', () => {
    const text = readFileSync(join(ROOT, 'enhancement-proposal/keps/sig-apps/1234-pause-queues/README.md'), 'utf8') + '\n### Phase 1: Alpha\n\n- [ ] gate\n';
    assert.deepEqual(buildModel(text, { path: 'keps/sig-apps/1234-pause-queues/README.md' }).model.stages, []);
  });
  it('a numbered heading with items is a stage; a numbered section without work is not', () => {
    const text = readFileSync(join(ROOT, 'change-proposal/openspec/changes/add-quiet-hours/tasks.md'), 'utf8') + '\n## 2. Notes\n\nNothing to do here.\n';
    const model = buildModel(text, { path: 'openspec/changes/add-quiet-hours/tasks.md' }).model;
    assert.equal(model.profile, 'change-proposal');
    assert.deepEqual(model.stages.map((stage) => `${stage.number} ${stage.title} ${stage.changes.length}`), ['1 Implementation 2']);
  });

  it('numbered tasks of a requirements/tasks triple are stages, whether sub-tasks are nested or follow them', () => {
    const text = [
      '# Implementation Plan',
      '',
      '- [x] 1. Store the basket',
      '- [x] 1.1 Add the table',
      '  - _Requirements: 1.1_',
      '- [ ] 1.2 Add the loader',
      '',
      '- [ ] 2. Share the basket',
      '  - [x] 2.1 Add a link',
      '  - [ ]* 2.2 Write a property test',
      '',
      '- [ ] 3 Document it',
      '- [ ] 4.1 A sub-task without its task',
    ].join('\n');
    const model = buildModel(text, { path: '.kiro/specs/basket/tasks.md' }).model;
    assert.equal(model.profile, 'requirements-triple');
    assert.deepEqual(
      model.stages.map((stage) => `${stage.label} ${stage.number} ${stage.title}: ${stage.changes.map((item) => `${item.checked ? 'x' : 'o'} ${item.range.start.line}`).join(', ')}; ${stage.state} @${stage.heading.range.start.line}`),
      ['Task 1 Store the basket: x 2, x 3, o 5; in-progress @2', 'Task 2 Share the basket: o 7, x 8; in-progress @7', 'Task 3 Document it: o 11; not-started @11'],
    );
    // Its requirements.md has no numbered tasks: no stages.
    assert.deepEqual(buildModel('# Requirements\n\n### Requirement 1\n\n1. WHEN x THEN the system SHALL y\n', { path: '.kiro/specs/basket/requirements.md' }).model.stages, []);
  });

  it('YAML todos of an editor plan are stages: status is state, cancelled todos are not work, odd YAML gives no stages', () => {
    const plan = (todos: string) => `---\nname: Dark mode\noverview: Add a dark theme.\ntodos:\n${todos}\n---\n\n# Dark mode\n\n## Phase 1: Colours\n\n- [ ] Pick the colours\n`;
    const path = '.cursor/plans/dark-mode_1a2b.plan.md';
    const model = buildModel(
      plan([
        '  - id: colours',
        '    content: "Pick the `theme.css` colours"',
        '    status: completed',
        '  - id: toggle',
        '    content: Add the toggle',
        '    status: in_progress',
        '  - id: old',
        '    content: Port the old theme',
        '    status: cancelled',
        '  - id: docs',
        '    content: Document it',
      ].join('\n')),
      { path },
    ).model;
    assert.equal(model.profile, 'editor-plan');
    assert.deepEqual(
      model.stages.map((stage) => `${stage.label} ${stage.number} ${stage.title} ${stage.state} @${stage.heading.range.start.line} ${stage.changes[0].checked}`),
      ['Todo 1 Pick the theme.css colours done @4 true', 'Todo 2 Add the toggle in-progress @7 false', 'Todo 3 Document it not-started @13 false'],
    );
    const colours = model.stages[0].changes[0];
    assert.deepEqual([colours.statusValueRange?.start, colours.codeSpans.map((span) => span.text)], [{ line: 6, character: 12 }, ['theme.css']]);
    assert.equal(model.stages[2].changes[0].statusValueRange, undefined, 'a todo without a status has no box to write');
    // todos that are not a list of mappings: the body's headings are the stages, and nothing throws.
    for (const odd of ['  colours: yes', '  - just a string', '  - [1, 2]']) {
      const built = buildModel(plan(odd), { path }).model;
      assert.ok(built.stages.every((stage) => stage.source !== 'front-matter'), odd);
    }
  });
});

describe('Run: and Expected: lines', () => {
  const text = readFileSync(join(ROOT, 'agent-task-plan/docs/plans/2026-01-05-export-csv.md'), 'utf8');
  const model = buildModel(text).model;
  it('become the task\'s validation commands with the outcome they expect', () => {
    const task = model.stages[0];
    assert.equal(`${task.label} ${task.number}`, 'Task 1');
    assert.deepEqual(
      task.commands.map((command) => [command.text, command.expectedOutcome, command.runLine, command.item?.text.slice(0, 6)]),
      [
        ['pytest tests/test_csv_rows.py::test_one_row_per_order -v', 'fail', true, 'Step 2'],
        ['pytest tests/test_csv_rows.py::test_one_row_per_order -v', 'pass', true, 'Step 4'],
      ],
    );
    // The `**Files:**` list is the part; the task's work is that list and its step checkboxes after it.
    assert.deepEqual(task.parts.changes?.items.map((item) => item.text), ['Create: exports/csv_rows.py', 'Test: tests/test_csv_rows.py']);
    assert.deepEqual(
      task.changes.map((item) => [item.text, item.checked]),
      [
        ['Create: exports/csv_rows.py', null],
        ['Test: tests/test_csv_rows.py', null],
        ['Step 1: Write the failing test', false],
        ['Step 2: Run the test to see it fail', false],
        ['Step 3: Write the code', false],
        ['Step 4: Run the test to see it pass', false],
      ],
    );
  });
  it('are shown by docplan stages --json with the profile', () => {
    const json = stagesJson('plan.md', model);
    assert.equal(json.profile, 'agent-task-plan');
    assert.equal(json.stages[0].commands[0].expectedOutcome, 'fail');
  });
  it('a run that fails where FAIL is expected passes, and one that passes fails', () => {
    const targets = documentTargets(model.stages);
    assert.equal(targets[0].expectedOutcome, 'fail');
    assert.equal(meetsExpectation('failed', targets[0].expectedOutcome), true);
    assert.equal(meetsExpectation('passed', targets[0].expectedOutcome), false);
    assert.equal(meetsExpectation('passed', targets[1].expectedOutcome), true);
    assert.equal(meetsExpectation('timed-out', 'fail'), false);
    assert.equal(judgedResult({ outcome: 'failed', error: null }, 'fail').outcome, 'passed');
    assert.equal(judgedResult({ outcome: 'passed', error: null }, 'fail').outcome, 'failed');
    assert.equal(judgedResult({ outcome: 'failed', error: null }, null).outcome, 'failed');
  });
  it('the status bar info names the profile', () => {
    const info = documentInfo('file:///plan.md', 1, model, null);
    assert.equal(info.profile, 'agent-task-plan');
    assert.equal(info.profileTitle, 'agent task plan');
  });
});

describe('stage status as real docs write it', () => {
  it('"PARTIALLY COMPLETE" in a heading is in progress, not done', () => {
    const model = buildModel('# Plan: x\n\n## Stage 1: Import ✅ PARTIALLY COMPLETE\n\n### Changes\n\n- [x] a\n- [ ] b\n').model;
    assert.equal(model.stages[0].headingMark?.mark, 'in-progress');
    assert.equal(model.stages[0].title, 'Import');
  });
});
