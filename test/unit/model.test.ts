/**
 * Tier-1 model tests: fixture documents in every shape of spec section 2, checked value by value.
 *
 * Expected ranges are computed here from the fixture text (by locating substrings and counting lines and
 * UTF-16 units with a small independent helper), never copied from model output.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildModel } from '../../server/src/model/build';
import { checkText } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import type { DocModel, ListItem, Position, Range, Section, Stage } from '../../server/src/model/types';

const FIXTURES = new URL('../fixtures/model/', import.meta.url);

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** Position of a UTF-16 offset, counting `\r\n`, `\r` and `\n` as line breaks (independent of LineIndex). */
function positionOf(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const ch = text[i];
    if (ch === '\r' && text[i + 1] === '\n') continue;
    if (ch === '\n' || ch === '\r') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/** Offset of `needle` in `text`, after the first occurrence of `after` when given; fails when absent. */
function offsetOf(text: string, needle: string, after?: string): number {
  let from = 0;
  if (after !== undefined) {
    from = text.indexOf(after);
    assert.ok(from >= 0, `anchor ${JSON.stringify(after)} not in fixture`);
  }
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `${JSON.stringify(needle)} not in fixture`);
  return at;
}

/** Range of `needle` in `text` (first occurrence, after `after` when given). */
function rangeOf(text: string, needle: string, after?: string): Range {
  const at = offsetOf(text, needle, after);
  return { start: positionOf(text, at), end: positionOf(text, at + needle.length) };
}

/** 0-based line number of the first line containing `needle` (after `after`). */
function lineOf(text: string, needle: string, after?: string): number {
  return positionOf(text, offsetOf(text, needle, after)).line;
}

function build(text: string, options: Parameters<typeof buildModel>[1] = {}): DocModel {
  return buildModel(text, options).model;
}

function flatSections(sections: Section[]): Section[] {
  return sections.flatMap((section) => [section, ...flatSections(section.children)]);
}

function allStages(stages: Stage[]): Stage[] {
  return stages.flatMap((stage) => [stage, ...allStages(stage.children)]);
}

function stage(model: DocModel, label: string, number: string): Stage {
  const found = allStages(model.stages).find((candidate) => candidate.label === label && candidate.number === number);
  assert.ok(found, `${label} ${number} not in model`);
  return found;
}

function sectionNamed(model: DocModel, headingText: string): Section {
  const found = flatSections(model.sections).find((section) => section.heading.text === headingText);
  assert.ok(found, `section ${headingText} not in model`);
  return found;
}

function checks(items: ListItem[]): (boolean | null)[] {
  return items.map((item) => item.checked);
}

describe('design doc: phases, steps, bold pseudo-headings, shell validation blocks', () => {
  const text = fixture('design-phases.md');
  const model = build(text);

  it('is detected as a design doc from its content, with its title', () => {
    assert.equal(model.kind, 'design');
    assert.equal(model.kindSource, 'content');
    assert.equal(model.disabled, false);
    assert.equal(model.frontMatter, null);
    assert.deepEqual(model.title, {
      text: 'Design: Resumable Uploads for the Media Store',
      range: rangeOf(text, 'Design: Resumable Uploads for the Media Store'),
    });
    assert.equal(model.lineCount, text.split('\n').length);
  });

  it('maps section headings to canonical names, synonyms included', () => {
    const names = flatSections(model.sections).map((section) => [section.heading.text, section.name]);
    assert.deepEqual(names, [
      ['Design: Resumable Uploads for the Media Store', null],
      ['Background & Motivation', 'background'],
      ['Problem', 'background'],
      ['Goals', 'goals'],
      ['Non-Goals', 'non-goals'],
      ['Current Implementation', 'current-implementation'],
      ['Proposed Design', 'proposed-design'],
      ['Implementation Plan', 'implementation-plan'],
      ['Phase 1: Session bookkeeping', null],
      ['Step 1.1: Add the session table', null],
      ['Step 1.2: Record acknowledged chunks', null],
      ['Phase 2: Resume endpoint ✅ COMPLETE', null],
      ['Benefits', 'benefits'],
      ['Drawbacks', 'trade-offs'],
      ['Testing', 'testing'],
      ['Future Work', 'future-work'],
    ]);
    const background = sectionNamed(model, 'Background & Motivation');
    assert.equal(background.heading.level, 2);
    assert.deepEqual(background.heading.range, rangeOf(text, '## Background & Motivation'));
    assert.deepEqual(background.heading.textRange, rangeOf(text, 'Background & Motivation'));
    assert.deepEqual(
      background.children.map((child) => child.heading.text),
      ['Problem', 'Goals', 'Non-Goals'],
    );
    assert.equal(background.empty, false);
    // The section ends at the last character of its content (the last Non-Goals item), not at the next heading.
    assert.deepEqual(background.range.start, rangeOf(text, '## Background & Motivation').start);
    assert.deepEqual(background.range.end, rangeOf(text, '- Replacing the object storage backend').end);
  });

  it('reads goals and non-goals items with their ranges', () => {
    assert.ok(model.goals);
    assert.equal(model.goals.section?.heading.text, 'Goals');
    assert.equal(model.goals.inline, null);
    assert.deepEqual(
      model.goals.items.map((item) => item.text),
      [
        'Resume an interrupted upload from the last acknowledged chunk, re-sending at most 8 MB',
        'Keep p99 latency of uploads under 1 MB below 120 ms',
        'Report upload progress through the existing status endpoint',
      ],
    );
    assert.deepEqual(model.goals.items[1].range, rangeOf(text, '2. Keep p99 latency of uploads under 1 MB below 120 ms'));
    assert.deepEqual(checks(model.goals.items), [null, null, null]);
    assert.ok(model.nonGoals);
    assert.deepEqual(
      model.nonGoals.items.map((item) => [item.text, item.range]),
      [
        ['Uploading several chunks of one file in parallel', rangeOf(text, '- Uploading several chunks of one file in parallel')],
        ['Replacing the object storage backend', rangeOf(text, '- Replacing the object storage backend')],
      ],
    );
  });

  it('nests `Step 1.N` under `Phase 1`, with numbers as written and their ranges', () => {
    assert.deepEqual(
      model.stages.map((s) => [s.label, s.number, s.title]),
      [
        ['Phase', '1', 'Session bookkeeping'],
        ['Phase', '2', 'Resume endpoint'],
      ],
    );
    const phase1 = stage(model, 'Phase', '1');
    assert.deepEqual(phase1.numberParts, [1]);
    assert.deepEqual(phase1.numberRange, rangeOf(text, '1', '### Phase '));
    assert.equal(phase1.heading.level, 3);
    assert.equal(phase1.parentNumber, null);
    assert.deepEqual(
      phase1.children.map((s) => [s.label, s.number, s.numberParts, s.title, s.parentNumber, s.heading.level]),
      [
        ['Step', '1.1', [1, 1], 'Add the session table', '1', 4],
        ['Step', '1.2', [1, 2], 'Record acknowledged chunks', '1', 4],
      ],
    );
    assert.deepEqual(phase1.children[1].numberRange, rangeOf(text, '1.2', '#### Step '));
    // A phase's own parts stop where its first step starts.
    assert.deepEqual(Object.keys(phase1.parts), ['objective']);
    assert.equal(phase1.parts.objective?.heading.pseudo, true);
    assert.equal(phase1.parts.objective?.heading.text, 'Goal');
    assert.equal(phase1.parts.objective?.inlineText, 'Remember open upload sessions without touching the public API.');
    assert.deepEqual(phase1.range.start, rangeOf(text, '### Phase 1').start);
    assert.deepEqual(phase1.range.end, rangeOf(text, '# Expected: 3 passed\n```').end);
  });

  it('reads `✅ COMPLETE` in a heading as a done mark, kept out of the title', () => {
    const phase2 = stage(model, 'Phase', '2');
    assert.equal(phase2.title, 'Resume endpoint');
    assert.deepEqual(phase2.headingMark, { mark: 'done', range: rangeOf(text, '✅', '### Phase 2') });
    assert.equal(phase2.mark, 'done');
    assert.equal(phase2.state, 'done');
  });

  it('reads `**File**: `path:line`` pseudo-headings as the file part', () => {
    const step = stage(model, 'Step', '1.1');
    assert.deepEqual(Object.keys(step.parts), ['file', 'validation']);
    const file = step.parts.file!;
    assert.equal(file.heading.pseudo, true);
    assert.equal(file.heading.level, 7);
    assert.equal(file.heading.text, 'File');
    assert.equal(file.inlineText, 'src/media/session.py:40');
    assert.deepEqual(file.heading.range, rangeOf(text, '**File**:', '#### Step 1.1'));
    assert.equal(file.codeBlocks.length, 1);
    assert.equal(file.codeBlocks[0].lang, 'python');
    const pseudo = model.headings.filter((heading) => heading.pseudo).map((heading) => heading.text);
    assert.deepEqual(pseudo, ['Goal', 'File', 'Validate', 'File', 'Validate', 'Goal', 'Validate']);
  });

  it('reads a fenced bash block: `#` comments skipped, `# Expected:` attached to the command before it', () => {
    const step = stage(model, 'Step', '1.1');
    const validation = step.parts.validation!;
    assert.equal(validation.heading.text, 'Validate');
    assert.equal(validation.codeBlocks.length, 1);
    assert.equal(validation.codeBlocks[0].lang, 'bash');
    assert.deepEqual(
      step.commands.map((command) => [command.text, command.source, command.expected, command.item, command.range]),
      [
        [
          'uv run pytest tests/media/test_session.py::test_open_session -v',
          'fence',
          'PASSED',
          null,
          rangeOf(text, 'uv run pytest tests/media/test_session.py::test_open_session -v'),
        ],
        ['uv run mypy src/media/session.py', 'fence', null, null, rangeOf(text, 'uv run mypy src/media/session.py')],
      ],
    );
  });

  it('reads a fenced sh block with a quoted -k expression and a non-PASSED expectation', () => {
    const step = stage(model, 'Step', '1.2');
    assert.deepEqual(
      step.commands.map((command) => [command.text, command.source, command.expected, command.range]),
      [
        [
          'uv run pytest tests/media/test_store.py -k "acknowledge" -v',
          'fence',
          '3 passed',
          rangeOf(text, 'uv run pytest tests/media/test_store.py -k "acknowledge" -v'),
        ],
      ],
    );
  });

  it('reads an inline-code command on a `**Validate**:` line, range without backticks', () => {
    const phase2 = stage(model, 'Phase', '2');
    assert.deepEqual(Object.keys(phase2.parts), ['objective', 'validation']);
    assert.equal(phase2.parts.validation!.inlineText, 'uv run pytest tests/media/test_resume.py -v');
    assert.deepEqual(
      phase2.commands.map((command) => [command.text, command.source, command.item, command.expected, command.range]),
      [['uv run pytest tests/media/test_resume.py -v', 'inline-code', null, null, rangeOf(text, 'uv run pytest tests/media/test_resume.py -v')]],
    );
  });

  it('reads every reference form with exact ranges and the code-header symbol', () => {
    assert.deepEqual(
      model.references.map((reference) => ({
        form: reference.form,
        path: reference.path,
        line: reference.line,
        endLine: reference.endLine,
        anchor: reference.anchor,
        symbol: reference.symbol,
        context: reference.context,
        range: reference.range,
      })),
      [
        { form: 'path', path: 'src/media/store.py', line: null, endLine: null, anchor: null, symbol: null, context: 'code-span', range: rangeOf(text, 'src/media/store.py') },
        {
          form: 'code-header',
          path: 'src/media/store.py',
          line: 118,
          endLine: null,
          anchor: null,
          // The first definition in the block, past the decorator line.
          symbol: 'save_upload',
          context: 'code-header',
          range: rangeOf(text, 'src/media/store.py:118', '```python'),
        },
        {
          form: 'link',
          path: '../notes/sessions.md',
          line: null,
          endLine: null,
          anchor: 'chunk-size',
          symbol: null,
          context: 'link',
          range: rangeOf(text, '../notes/sessions.md#chunk-size'),
        },
        { form: 'path-anchor-line', path: 'src/media/tokens.py', line: 12, endLine: null, anchor: null, symbol: null, context: 'code-span', range: rangeOf(text, 'src/media/tokens.py#L12') },
        { form: 'path-line', path: 'src/media/session.py', line: 40, endLine: null, anchor: null, symbol: null, context: 'code-span', range: rangeOf(text, 'src/media/session.py:40') },
        { form: 'path-range', path: 'src/media/store.py', line: 118, endLine: 140, anchor: null, symbol: null, context: 'code-span', range: rangeOf(text, 'src/media/store.py:118-140') },
      ],
    );
  });

  it('records code blocks with the range of their first (header) line', () => {
    const header = model.codeBlocks[0];
    assert.equal(header.lang, 'python');
    assert.deepEqual(header.firstLineRange, rangeOf(text, '# src/media/store.py:118'));
    assert.deepEqual(header.range.start, rangeOf(text, '```python').start);
    assert.equal(header.value.split('\n')[0], '# src/media/store.py:118');
    assert.deepEqual(
      model.codeBlocks.map((block) => block.lang),
      ['python', 'python', 'bash', 'sh'],
    );
  });
});

describe('plan: stages with objective, changes, validation, completion criteria, dependencies', () => {
  const text = fixture('plan-stages.md');
  const model = build(text);

  it('is detected as a plan, with a `**Goal**:` line and the Affected Code section', () => {
    assert.equal(model.kind, 'plan');
    assert.equal(model.kindSource, 'content');
    assert.ok(model.goals);
    assert.equal(model.goals.section, null);
    assert.equal(model.goals.inline?.text, 'The nightly export finishes in under 20 minutes and the analytics cluster can read it.');
    assert.deepEqual(model.goals.inline?.range.start, rangeOf(text, '**Goal**:').start);
    assert.equal(sectionNamed(model, 'Affected Code').name, 'affected-code');
    assert.equal(sectionNamed(model, 'Dependencies').name, 'dependencies');
    assert.equal(sectionNamed(model, 'Stage Dependencies').name, 'stage-dependencies');
    assert.equal(model.nonGoals, null);
  });

  it('lists top-level stages in order with numbers as written (`Stage 1.5`)', () => {
    assert.deepEqual(
      model.stages.map((s) => [s.label, s.number, s.numberParts, s.title, s.parentNumber, s.heading.level]),
      [
        ['Stage', '1', [1], 'Add a Parquet writer', null, 2],
        ['Stage', '1.5', [1, 5], 'Backfill last quarter', null, 2],
        ['Stage', '2', [2], 'Switch readers over', null, 2],
      ],
    );
    assert.deepEqual(model.stages[1].numberRange, rangeOf(text, '1.5', '## Stage '));
    assert.deepEqual(model.stages[0].heading.textRange, rangeOf(text, 'Stage 1: Add a Parquet writer'));
  });

  it('reads the changes checklist: texts, checked states and checkbox ranges', () => {
    const stage1 = stage(model, 'Stage', '1');
    assert.deepEqual(Object.keys(stage1.parts), ['objective', 'changes', 'validation', 'completion-criteria']);
    assert.deepEqual(
      stage1.changes.map((item) => [item.text, item.checked, item.checkboxRange, item.depth]),
      [
        ['Add ParquetWriter to services/ledger/parquet.py (new file)', true, rangeOf(text, '[x]', '### Changes'), 0],
        ['Register the writer in services/ledger/export.py:42', true, rangeOf(text, '[x]', '- [x] Register'), 0],
        ['Document the file layout in docs/ledger.md', false, rangeOf(text, '[ ]', '### Changes'), 0],
      ],
    );
    assert.deepEqual(stage1.changes[0].range, rangeOf(text, '- [x] Add `ParquetWriter` to `services/ledger/parquet.py` (new file)'));
    assert.deepEqual(
      stage1.changes[0].codeSpans.map((span) => span.text),
      ['ParquetWriter', 'services/ledger/parquet.py'],
    );
    assert.equal(stage1.parts.objective!.paragraphs[0].text, 'Write ledger batches as Parquet files next to the existing CSV output.');
  });

  it('reads a validation checklist of inline-code commands tied to their items', () => {
    const stage1 = stage(model, 'Stage', '1');
    assert.deepEqual(checks(stage1.validationItems), [true, false]);
    assert.deepEqual(
      stage1.commands.map((command) => [command.text, command.source, command.expected, command.item?.checked, command.range]),
      [
        [
          'uv run pytest tests/ledger/test_parquet.py::test_roundtrip -v',
          'inline-code',
          null,
          true,
          rangeOf(text, 'uv run pytest tests/ledger/test_parquet.py::test_roundtrip -v'),
        ],
        ['uv run pytest tests/ledger/test_export.py -k parquet', 'inline-code', null, false, rangeOf(text, 'uv run pytest tests/ledger/test_export.py -k parquet')],
      ],
    );
    assert.equal(stage1.commands[0].item, stage1.validationItems[0]);
    assert.deepEqual(
      stage1.completionCriteria.map((item) => [item.text, item.checked]),
      [['Both commands pass on CI', false]],
    );
    // Some boxes ticked, not all: in progress; nothing marks it.
    assert.equal(stage1.mark, null);
    assert.equal(stage1.headingMark, null);
    assert.equal(stage1.state, 'in-progress');
  });

  it('reads a fenced validation block under `### Validation` with a comment and an expectation', () => {
    const stage15 = stage(model, 'Stage', '1.5');
    assert.deepEqual(stage15.validationItems, []);
    assert.deepEqual(
      stage15.commands.map((command) => [command.text, command.source, command.expected, command.range]),
      [
        [
          'uv run python -m services.ledger.cli backfill --days 90 --dry-run',
          'fence',
          'PASSED',
          rangeOf(text, 'uv run python -m services.ledger.cli backfill --days 90 --dry-run'),
        ],
        [
          'uv run pytest tests/ledger/test_cli.py::TestBackfill::test_days -v',
          'fence',
          null,
          rangeOf(text, 'uv run pytest tests/ledger/test_cli.py::TestBackfill::test_days -v'),
        ],
      ],
    );
    assert.equal(stage15.state, 'not-started');
  });

  it('reads a `**Depends on**:` line into the stage dependencies', () => {
    const stage2 = stage(model, 'Stage', '2');
    assert.equal(stage2.parts.dependencies?.heading.pseudo, true);
    assert.deepEqual(
      stage2.dependsOn,
      [
        { label: 'Stage', number: '1', range: rangeOf(text, 'Stage 1', '**Depends on**') },
        { label: 'Stage', number: '1.5', range: rangeOf(text, 'Stage 1.5', '**Depends on**') },
      ],
    );
    assert.deepEqual(
      stage2.commands.map((command) => [command.text, command.range]),
      [['npx vitest run jobs/analytics -t "reads parquet"', rangeOf(text, 'npx vitest run jobs/analytics -t "reads parquet"')]],
    );
  });

  it('reads edges from `Stage 1 ──► Stage 2` diagrams and `Stage 1.5 requires Stage 1` prose', () => {
    const deps = model.stageDependencies;
    assert.equal(deps.section?.heading.text, 'Stage Dependencies');
    const arrowLine = lineOf(text, 'Stage 1 ──► Stage 2');
    const requiresLine = lineOf(text, 'Stage 1.5 requires Stage 1.');
    assert.deepEqual(
      deps.mentions.map((mention) => [mention.number, mention.range.start.line]),
      [
        ['1', arrowLine],
        ['2', arrowLine],
        ['1.5', requiresLine],
        ['1', requiresLine],
      ],
    );
    const edges = deps.edges.map((edge) => [edge.from.number, edge.to.number, edge.from.range, edge.to.range]);
    // The arrow points from the prerequisite to the stage that depends on it.
    assert.deepEqual(edges[0], ['2', '1', rangeOf(text, 'Stage 2', 'Stage 1 ──►'), rangeOf(text, 'Stage 1', 'Stage 1 ──►')]);
    assert.deepEqual(edges[1], ['1.5', '1', rangeOf(text, 'Stage 1.5', 'Stage 1.5 requires'), rangeOf(text, 'Stage 1', 'requires Stage 1')]);
    // Then the per-stage `Depends on` edges, from the stage's number in its heading.
    assert.deepEqual(
      edges.slice(2).map(([from, to, fromRange]) => [from, to, fromRange]),
      [
        ['2', '1', rangeOf(text, '2', '## Stage 2')],
        ['2', '1.5', rangeOf(text, '2', '## Stage 2')],
      ],
    );
  });

  it('ties `path:42` - Class.method() and prose `path:7 - Name` references to their symbol', () => {
    const byPath = (path: string, line: number | null) => model.references.find((reference) => reference.path === path && reference.line === line);
    const exporter = byPath('services/ledger/export.py', 42);
    assert.deepEqual(exporter && [exporter.form, exporter.symbol, exporter.context, exporter.range], [
      'path-line',
      'LedgerExporter.write_batch',
      'code-span',
      rangeOf(text, 'services/ledger/export.py:42'),
    ]);
    const writer = byPath('services/ledger/writer.py', 10);
    // "the CSV writer" is prose, not a symbol.
    assert.deepEqual(writer && [writer.form, writer.endLine, writer.symbol, writer.range], ['path-range', 35, null, rangeOf(text, 'services/ledger/writer.py:10-35')]);
    const schema = byPath('services/ledger/schema.py', 7);
    assert.deepEqual(schema && [schema.form, schema.symbol, schema.context, schema.range], ['path-line', 'LedgerRow', 'prose', rangeOf(text, 'services/ledger/schema.py:7')]);
    const design = model.references.find((reference) => reference.form === 'link');
    assert.deepEqual(design && [design.path, design.anchor, design.range], ['../design/ledger-export.md', null, rangeOf(text, '../design/ledger-export.md')]);
    // The same `path:line` written again in a change item is a second reference, without a symbol there.
    const second = model.references.filter((reference) => reference.path === 'services/ledger/export.py');
    assert.deepEqual(
      second.map((reference) => [reference.range.start.line, reference.symbol]),
      [
        [lineOf(text, '`services/ledger/export.py:42` - LedgerExporter'), 'LedgerExporter.write_batch'],
        [lineOf(text, 'Register the writer'), null],
      ],
    );
  });
});

describe('stage headings at levels 2, 3 and 4, bold parts, part synonyms', () => {
  const text = fixture('plan-levels.md');
  const model = build(text);

  it('finds stages at every level as top-level stages', () => {
    assert.equal(model.kind, 'plan');
    assert.deepEqual(
      model.stages.map((s) => [s.number, s.title, s.heading.level, s.parentNumber]),
      [
        ['1', 'Generate the new key pair', 2, null],
        ['2', 'Sign with both keys', 3, null],
        ['0', 'Audit current key usage', 4, null],
      ],
    );
  });

  it('reads `#### Stage 0: Title ✅` with bold pseudo-heading parts', () => {
    const stage0 = stage(model, 'Stage', '0');
    assert.deepEqual(stage0.numberParts, [0]);
    assert.deepEqual(stage0.numberRange, rangeOf(text, '0', '#### Stage '));
    assert.deepEqual(stage0.headingMark, { mark: 'done', range: rangeOf(text, '✅') });
    assert.equal(stage0.mark, 'done');
    assert.equal(stage0.state, 'done');
    assert.deepEqual(Object.keys(stage0.parts), ['objective', 'changes', 'validation']);
    assert.ok(Object.values(stage0.parts).every((part) => part.heading.pseudo));
    assert.equal(stage0.parts.objective!.inlineText, 'List every service that checks signatures.');
    assert.deepEqual(
      stage0.changes.map((item) => [item.text, item.checked, item.checkboxRange]),
      [['Grep the services for the verifier import', true, rangeOf(text, '[x]', '**Changes**')]],
    );
    assert.deepEqual(
      stage0.commands.map((command) => [command.text, command.range, command.item?.checked]),
      [['make audit-keys', rangeOf(text, 'make audit-keys'), true]],
    );
  });

  it('accepts `Validate` and `Verification` as the validation part', () => {
    const stage1 = stage(model, 'Stage', '1');
    assert.equal(stage1.parts.validation?.heading.text, 'Validate');
    assert.deepEqual(
      stage1.commands.map((command) => [command.text, command.range]),
      [['go test ./auth/... -run TestRotate', rangeOf(text, 'go test ./auth/... -run TestRotate')]],
    );
    // Every box ticked, no marker: the checklist says done.
    assert.equal(stage1.mark, null);
    assert.equal(stage1.state, 'done');
    const stage2 = stage(model, 'Stage', '2');
    assert.equal(stage2.parts.validation?.heading.text, 'Verification');
    assert.equal(stage2.parts.validation?.heading.level, 4);
    assert.deepEqual(
      stage2.commands.map((command) => command.text),
      ['go test ./auth/... -run TestDualSign'],
    );
    assert.equal(stage2.state, 'not-started');
  });

  for (const word of ['Testing', 'Validation', 'Validate', 'Verification']) {
    for (const style of ['heading', 'bold'] as const) {
      it(`reads "${word}" as a stage's validation part (${style})`, () => {
        const partHeading = style === 'heading' ? `### ${word}` : `**${word}**:`;
        const doc = `# Plan\n\n## Stage 4: Try it\n\n### Changes\n\n- [ ] Edit \`a/b.py\`\n\n${partHeading}\n\n- [ ] \`make check\`\n`;
        const built = build(doc);
        const only = stage(built, 'Stage', '4');
        assert.equal(only.parts.validation?.heading.text, word);
        assert.deepEqual(
          only.commands.map((command) => [command.text, command.range]),
          [['make check', rangeOf(doc, 'make check')]],
        );
        assert.equal(built.kind, 'plan');
      });
    }
  }
});

describe('tracker: a stage status table plus per-stage sections', () => {
  const text = fixture('tracker-status.md');
  const model = build(text);

  it('is detected as a tracker', () => {
    assert.equal(model.kind, 'tracker');
    assert.equal(model.kindSource, 'content');
  });

  it('reads the status table rows with exact cell ranges and the table vocabulary', () => {
    assert.equal(model.statusTables.length, 1);
    const table = model.statusTables[0];
    assert.equal(table.label, 'Stage');
    assert.deepEqual(table.vocabulary, { done: '✓ Completed', pending: 'Pending', inProgress: null });
    assert.deepEqual(table.range.start, rangeOf(text, '| Stage | Description | Status |').start);
    assert.deepEqual(table.range.end, rangeOf(text, '| 3 | Query fan-out | Pending |').end);
    assert.deepEqual(
      table.rows.map((row) => ({ ...row })),
      [
        {
          stageNumber: '1',
          stageRange: rangeOf(text, '1', '|-------|'),
          description: 'Segment format',
          status: '✓ Completed',
          statusRange: rangeOf(text, '✓ Completed'),
          mark: 'done',
          range: rangeOf(text, '| 1 | Segment format | ✓ Completed |'),
        },
        {
          stageNumber: '2',
          stageRange: rangeOf(text, '2', '| 2 | Merge'),
          description: 'Merge policy',
          status: 'Pending',
          statusRange: rangeOf(text, 'Pending', '| 2 | Merge'),
          mark: 'pending',
          range: rangeOf(text, '| 2 | Merge policy | Pending |'),
        },
        {
          stageNumber: '3',
          stageRange: rangeOf(text, '3', '| 3 | Query'),
          description: 'Query fan-out',
          status: 'Pending',
          statusRange: rangeOf(text, 'Pending', '| 3 | Query'),
          mark: 'pending',
          range: rangeOf(text, '| 3 | Query fan-out | Pending |'),
        },
      ],
    );
  });

  it('gives each stage section the mark of its table row', () => {
    assert.deepEqual(
      model.stages.map((s) => [s.label, s.number, s.mark, s.state]),
      [
        // `**Goal**: …` is a labelled line: the `Tasks:` checklist below it (one of two ticked) is the phase's work.
        ['Phase', '1', null, 'in-progress'],
        ['Phase', '2', null, 'not-started'],
        ['Stage', '1', 'done', 'done'],
        ['Stage', '2', 'pending', 'not-started'],
      ],
    );
    assert.equal(stage(model, 'Phase', '1').parts.objective?.inlineText, 'Know which files the stage touches before editing anything.');
  });
});

describe('section synonyms', () => {
  it('reads a design doc written with synonyms only', () => {
    const text = fixture('synonyms-design.md');
    const model = build(text);
    assert.equal(model.kind, 'design');
    assert.deepEqual(
      flatSections(model.sections).map((section) => section.name),
      [null, 'background', 'goals', 'non-goals', 'current-implementation', 'proposed-design', 'trade-offs', 'testing'],
    );
    // `✅` in a section heading does not hide its name.
    assert.equal(model.goals?.section?.heading.text, 'Goals ✅');
    assert.deepEqual(model.goals?.items.map((item) => item.text), ['Cut the default log to under 500 lines']);
  });

  const cases: [string, string][] = [
    ['Motivation', 'background'],
    ['Problem', 'background'],
    ['Background', 'background'],
    ['Trade-offs', 'trade-offs'],
    ['Tradeoffs', 'trade-offs'],
    ['Drawbacks', 'trade-offs'],
    ['Testing', 'testing'],
    ['Validation', 'testing'],
    ['Validate', 'testing'],
    ['Verification', 'testing'],
    ['Non-Goals', 'non-goals'],
    ['Future Work', 'future-work'],
  ];
  for (const [heading, name] of cases) {
    it(`maps "## ${heading}" to ${name}`, () => {
      const model = build(`# Doc\n\n## ${heading}\n\nSome words.\n`);
      assert.equal(sectionNamed(model, heading).name, name);
    });
  }

  it('honours configured synonyms', () => {
    const synonyms = { ...defaultConfig().sectionSynonyms, 'trade-offs': ['costs'] };
    const model = build('# Doc\n\n## Costs\n\nMore disk.\n', { sectionSynonyms: synonyms });
    assert.equal(sectionNamed(model, 'Costs').name, 'trade-offs');
  });

  it('marks a section with only blank lines and empty sub-headings as empty', () => {
    const text = '# Doc\n\n## Goals\n\n\n### Sub\n\n## Background\n\n### Detail\n\nText.\n\n## Non-Goals\n';
    const model = build(text);
    assert.equal(sectionNamed(model, 'Goals').empty, true);
    assert.equal(sectionNamed(model, 'Sub').empty, true);
    // Content in a sub-section counts for the section above it.
    assert.equal(sectionNamed(model, 'Background').empty, false);
    assert.equal(sectionNamed(model, 'Detail').empty, false);
    const nonGoals = sectionNamed(model, 'Non-Goals');
    assert.equal(nonGoals.empty, true);
    assert.deepEqual(nonGoals.bodyRange.start, nonGoals.bodyRange.end);
  });
});

describe('kind detection', () => {
  const ordinary = ['readme.md', 'changelog.md', 'notes-todo.md', 'readme-goals.md'];
  for (const name of ordinary) {
    it(`detects ordinary Markdown (${name}) as null and reports nothing on it`, () => {
      const text = fixture(name);
      const model = build(text);
      assert.equal(model.kind, null);
      assert.equal(model.kindSource, null);
      assert.equal(model.disabled, false);
      const checked = checkText(text, { config: defaultConfig(), path: `docs/${name}` });
      assert.deepEqual(checked.findings, []);
      assert.deepEqual(checked.ruleErrors, []);
    });
  }

  it('still models ordinary Markdown (stages, references) without calling it a plan', () => {
    const text = fixture('notes-todo.md');
    const model = build(text);
    assert.deepEqual(model.stages.map((s) => [s.label, s.number, s.title]), [['Step', '2', 'the fix']]);
    const readme = build(fixture('readme-goals.md'));
    assert.equal(readme.goals?.section?.heading.text, 'Goals');
    assert.deepEqual(readme.stages.map((s) => [s.label, s.number]), [['Phase', '1'], ['Phase', '2']]);
  });

  for (const kind of ['design', 'plan', 'tracker'] as const) {
    it(`front matter \`docplan: ${kind}\` wins over content`, () => {
      const text = `---\ndocplan: ${kind}\ntitle: Queue notes\n---\n${fixture('readme.md')}`;
      const model = build(text);
      assert.equal(model.kind, kind);
      assert.equal(model.kindSource, 'front-matter');
      assert.equal(model.disabled, false);
      assert.deepEqual(model.frontMatter?.data, { docplan: kind, title: 'Queue notes' });
      assert.deepEqual(model.frontMatter?.range, { start: { line: 0, character: 0 }, end: { line: 3, character: 3 } });
      assert.equal(model.title?.text, 'tinyqueue');
    });
  }

  it('front matter `docplan: off` disables a real plan, and nothing is reported', () => {
    const text = `---\ndocplan: off\n---\n\n${fixture('plan-stages.md')}`;
    const model = build(text);
    assert.equal(model.kind, null);
    assert.equal(model.kindSource, 'front-matter');
    assert.equal(model.disabled, true);
    assert.equal(model.stages.length, 3);
    assert.deepEqual(checkText(text, { config: defaultConfig(), path: 'docs/plans/ledger.md' }).findings, []);
  });

  it('front matter wins over the exclude globs', () => {
    const text = `---\ndocplan: plan\n---\n${fixture('readme.md')}`;
    const model = build(text, { path: 'docs/archive/queue.md', exclude: ['docs/archive/**'] });
    assert.equal(model.kind, 'plan');
    assert.equal(model.kindSource, 'front-matter');
  });

  it('the title comes from front matter when there is no level-1 heading', () => {
    const text = '---\ntitle: Only in front matter\n---\n\n## Notes\n';
    const model = build(text);
    assert.equal(model.title?.text, 'Only in front matter');
    assert.deepEqual(model.title?.range, model.frontMatter?.range);
  });

  it('include globs make an ordinary doc a DocPlan doc (the kind its content leans to)', () => {
    const notes = build(fixture('notes-todo.md'), { path: 'docs/plans/week-12.md', include: ['docs/plans/**'] });
    assert.equal(notes.kind, 'plan');
    assert.equal(notes.kindSource, 'config');
    const goalsOnly = build('# Cache\n\n## Goals\n\n- Halve cold starts\n', { path: 'docs/design/cache.md', include: ['docs/design/*.md'] });
    assert.equal(goalsOnly.kind, 'design');
    assert.equal(goalsOnly.kindSource, 'config');
    // A doc whose content is conclusive keeps its content kind.
    const plan = build(fixture('plan-stages.md'), { path: 'docs/design/x.md', include: ['docs/design/*.md'] });
    assert.equal(plan.kind, 'plan');
    assert.equal(plan.kindSource, 'content');
    // A path outside the globs is left to content.
    assert.equal(build(fixture('readme.md'), { path: 'README.md', include: ['docs/plans/**'] }).kind, null);
    // Without a path, globs do not apply.
    assert.equal(build(fixture('readme.md'), { path: null, include: ['**'] }).kind, null);
  });

  it('exclude globs switch a plan off (and win over include)', () => {
    const model = build(fixture('plan-stages.md'), { path: 'docs/archive/ledger.md', include: ['docs/**'], exclude: ['docs/archive/**'] });
    assert.equal(model.kind, null);
    assert.equal(model.kindSource, 'config');
    assert.equal(model.disabled, true);
  });

  it('survives front matter that does not parse or is not a mapping', () => {
    const broken = build('---\ndocplan: [plan\n---\n\n# Notes\n');
    assert.equal(broken.frontMatter?.data, null);
    assert.ok(broken.frontMatter?.error);
    assert.equal(broken.notes.length, 1);
    assert.match(broken.notes[0], /^front matter skipped: /);
    assert.equal(broken.kind, null);
    const list = build('---\n- plan\n---\n\n# Notes\n');
    assert.deepEqual([list.frontMatter?.data, list.frontMatter?.error], [null, 'front matter is not a mapping']);
    const empty = build('---\n---\n\n# Notes\n');
    assert.deepEqual(empty.frontMatter?.data, {});
  });
});

describe('UTF-16 columns, CRLF line endings', () => {
  const text = [
    '# Plan: Launch 🚀',
    '',
    '## Stage 1: Ship it 🚢',
    '',
    '### Changes',
    '',
    '- [ ] 🎉🎉 update `src/app.py:10` - App.run()',
    '- [x] 😀 see src/lib/util.py:5 - Util.go() for the 𝄞 clef',
    '',
    '### Validation',
    '',
    '- [ ] 🧪 `npm test`',
    '',
  ].join('\n');

  it('counts columns in UTF-16 code units after non-BMP characters', () => {
    const model = build(text);
    const [code, prose] = model.references;
    // Two emoji of two UTF-16 units each precede the reference: 6 + 4 + ' update `' = 19.
    assert.deepEqual(code.range, { start: { line: 6, character: 19 }, end: { line: 6, character: 32 } });
    assert.deepEqual(code.range, rangeOf(text, 'src/app.py:10'));
    assert.equal(code.symbol, 'App.run');
    // '- [x] ' is 6 units, the emoji 2, then ' see ': 13.
    assert.deepEqual(prose.range, { start: { line: 7, character: 13 }, end: { line: 7, character: 30 } });
    assert.deepEqual(prose.range, rangeOf(text, 'src/lib/util.py:5'));
    assert.equal(prose.symbol, 'Util.go');
    const [stage1] = model.stages;
    assert.equal(stage1.title, 'Ship it 🚢');
    assert.deepEqual(stage1.changes.map((item) => item.checkboxRange), [rangeOf(text, '[ ]'), rangeOf(text, '[x]')]);
    assert.deepEqual(stage1.commands[0].range, { start: { line: 11, character: 10 }, end: { line: 11, character: 18 } });
    assert.deepEqual(model.title?.range, { start: { line: 0, character: 2 }, end: { line: 0, character: 17 } });
  });

  it('gives CRLF documents the same model as LF ones (no `\\r` in texts or ranges)', () => {
    for (const name of ['design-phases.md', 'plan-stages.md', 'plan-levels.md', 'tracker-status.md', 'synonyms-design.md']) {
      const lf = fixture(name);
      const crlf = lf.replace(/\n/g, '\r\n');
      const normalize = (model: DocModel) =>
        JSON.parse(JSON.stringify({ ...model, text: '' }, (_key, value: unknown) => (typeof value === 'string' ? value.replace(/\r/g, '') : value))) as unknown;
      const crlfModel = build(crlf);
      assert.deepEqual(normalize(crlfModel), normalize(build(lf)), name);
      assert.equal(crlfModel.lineCount, lf.split('\n').length);
      for (const stageValue of allStages(crlfModel.stages)) {
        for (const command of stageValue.commands) assert.ok(!command.text.includes('\r'), `${name}: ${command.text}`);
      }
    }
  });

  it('keeps fence command ranges and code-header references exact on CRLF lines', () => {
    const crlf = fixture('design-phases.md').replace(/\n/g, '\r\n');
    const model = build(crlf);
    const step = stage(model, 'Step', '1.1');
    assert.deepEqual(step.commands[0].range, rangeOf(crlf, 'uv run pytest tests/media/test_session.py::test_open_session -v'));
    const header = model.references.find((reference) => reference.form === 'code-header');
    assert.deepEqual(header?.range, rangeOf(crlf, 'src/media/store.py:118', '```python'));
    assert.deepEqual(model.codeBlocks[0].firstLineRange, rangeOf(crlf, '# src/media/store.py:118'));
  });
});

describe('checklists', () => {
  const text = [
    '# Plan',
    '',
    '## Stage 3: Tidy up',
    '',
    '### Changes',
    '',
    '- [X] Capital X counts as checked',
    '* [ ] Star bullets work',
    '  - [x] Nested item',
    '1. [ ] Ordered items have boxes too',
    '- Plain item without a box',
    '',
    '### Validation',
    '',
    '- [ ] `pytest tests/test_tidy.py::TestTidy::test_all`',
    '',
  ].join('\n');
  const model = build(text);
  const stage3 = stage(model, 'Stage', '3');

  it('reads checked state, checkbox ranges and depth of every kind of item', () => {
    // Top-level items of the part only (the nested one is depth 1).
    assert.deepEqual(
      stage3.changes.map((item) => [item.text, item.checked, item.checkboxRange, item.depth]),
      [
        ['Capital X counts as checked', true, rangeOf(text, '[X]'), 0],
        ['Star bullets work', false, rangeOf(text, '[ ]', '* '), 0],
        ['Ordered items have boxes too', false, rangeOf(text, '[ ]', '1. '), 0],
        ['Plain item without a box', null, null, 0],
      ],
    );
    assert.equal(stage3.state, 'in-progress');
    assert.deepEqual(
      stage3.commands.map((command) => [command.text, command.range]),
      [['pytest tests/test_tidy.py::TestTidy::test_all', rangeOf(text, 'pytest tests/test_tidy.py::TestTidy::test_all')]],
    );
  });
});

describe('control comments', () => {
  const text = [
    '# Plan',
    '',
    '<!-- docplan-disable stage-too-large -->',
    '',
    'Some prose <!-- docplan-disable-next-line missing-goals, placeholder-text -->',
    '',
    '<!-- docplan-enable -->',
    '<!-- docplan-disable-line -->',
    '<!-- an ordinary comment -->',
    '',
  ].join('\n');

  it('reads every directive with its rule ids and range', () => {
    assert.deepEqual(build(text).controlComments, [
      { directive: 'disable', ruleIds: ['stage-too-large'], range: rangeOf(text, '<!-- docplan-disable stage-too-large -->') },
      {
        directive: 'disable-next-line',
        ruleIds: ['missing-goals', 'placeholder-text'],
        range: rangeOf(text, '<!-- docplan-disable-next-line missing-goals, placeholder-text -->'),
      },
      { directive: 'enable', ruleIds: [], range: rangeOf(text, '<!-- docplan-enable -->') },
      { directive: 'disable-line', ruleIds: [], range: rangeOf(text, '<!-- docplan-disable-line -->') },
    ]);
  });
});

describe('incremental parse', () => {
  it('reuses unchanged chunks and builds the same model as a fresh parse', () => {
    const text = fixture('plan-stages.md');
    const first = buildModel(text);
    const edited = text.replace('Backfill last quarter', 'Backfill the last quarter');
    const again = buildModel(edited, { previous: first.parsed });
    assert.deepEqual(again.model, buildModel(edited).model);
    const reused = again.parsed.chunks.filter((chunk) => first.parsed.chunks.some((old) => old.facts === chunk.facts));
    assert.equal(reused.length, again.parsed.chunks.length - 1);
  });
});

describe('what is not a reference', () => {
  it('URLs, versions, times, ratios and code inside fenced blocks (other than the header comment) are not references', () => {
    const text = [
      '# Plan: Not references',
      '',
      'Released in 1.2.3 at 14:23 with a 3:1 read ratio, see https://example.test/src/app.py:12 and `v2.0.1`.',
      'Also `14:23`, `1.2.3`, `https://example.test/lib/x.ts:4` and `www.example.test/a.py`.',
      '',
      '```python',
      '# src/real/header.py:10',
      'value = load("src/not/a/reference.py:3")',
      '```',
      '',
      'The real one: `src/real/module.py:7`.',
      '',
    ].join('\n');
    const { model } = buildModel(text);
    assert.deepEqual(
      model.references.map((reference) => [reference.path, reference.line, reference.context]),
      [
        ['src/real/header.py', 10, 'code-header'],
        ['src/real/module.py', 7, 'code-span'],
      ],
    );
  });
});
