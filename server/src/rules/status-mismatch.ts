import type { TextEdit } from 'vscode-languageserver-types';
import type { DocModel, Range, Stage, StageMark, StatusRow, StatusTable } from '../model/types';
import type { LineIndex } from '../model/text';
import type { Fix, Rule, RuleContext } from './types';
import { allStages, checkableItems, numberKey, stageName } from './stages';

type Mark = Exclude<StageMark, null>;

const MARK_WORDS: Record<Mark, string> = { done: 'done', 'in-progress': 'in progress', pending: 'pending' };

/** Status markers as they appear in headings (see `HEADING_MARK`), found all along a heading line. */
const MARK_TOKENS = /✅|✓|✔|☑️?|\bPARTIALLY COMPLETED?\b|\bPARTIAL\b|\b(?:COMPLETE|COMPLETED|DONE)\b|\((?:[Dd]one|[Cc]ompleted?|[Ii]n [Pp]rogress|WIP|wip|[Pp]ending|[Nn]ot [Ss]tarted)\)/gu;

/** The run of status markers around a heading's mark (`✅ COMPLETE`), as offsets within its line. */
function markerRun(lineText: string, markStart: number): { start: number; end: number } {
  const tokens = [...lineText.matchAll(MARK_TOKENS)].map((match) => ({ start: match.index ?? 0, end: (match.index ?? 0) + match[0].length }));
  let index = tokens.findIndex((token) => token.start === markStart);
  if (index < 0) return { start: markStart, end: markStart };
  let first = index;
  let last = index;
  while (first > 0 && lineText.slice(tokens[first - 1].end, tokens[first].start).trim() === '') first--;
  while (last + 1 < tokens.length && lineText.slice(tokens[last].end, tokens[last + 1].start).trim() === '') last++;
  index = first;
  return { start: tokens[index].start, end: tokens[last].end };
}

function lineEdit(line: number, start: number, end: number, newText: string): TextEdit {
  return { range: { start: { line, character: start }, end: { line, character: end } }, newText };
}

/** Edit that removes a heading's status marker run, with the space (and a dash separator) that set it off. */
function removeHeadingMark(lines: LineIndex, stage: Stage): TextEdit {
  const mark = stage.headingMark!;
  const line = mark.range.start.line;
  const text = lines.lineText(line);
  const run = markerRun(text, mark.range.start.character);
  const rest = text.slice(run.end);
  if (rest.trim() === '' || /^\s*#+\s*$/.test(rest)) {
    const before = /\s*(?:\s[-–—:])?\s*$/u.exec(text.slice(0, run.start));
    const start = run.start - (before ? before[0].length : 0);
    return lineEdit(line, start, run.end, '');
  }
  const after = /^\s*/.exec(rest)![0].length;
  return lineEdit(line, run.start, run.end + after, '');
}

/** Edit that replaces a heading's status marker run with `✅`. */
function markHeadingDone(lines: LineIndex, stage: Stage): TextEdit {
  const mark = stage.headingMark!;
  const line = mark.range.start.line;
  const run = markerRun(lines.lineText(line), mark.range.start.character);
  return lineEdit(line, run.start, run.end, '✅');
}

/** The word this table uses for a status, or a default. */
function tableWord(table: StatusTable, mark: Mark): string {
  if (mark === 'done') return table.vocabulary.done ?? '✅ Complete';
  if (mark === 'in-progress') return table.vocabulary.inProgress ?? 'In Progress';
  return table.vocabulary.pending ?? 'Pending';
}

function rowFix(stage: Stage, table: StatusTable, row: StatusRow, mark: Mark): Fix {
  const word = tableWord(table, mark);
  return { title: `Set ${stageName(stage)}'s status to "${word}"`, edits: [{ range: row.statusRange, newText: word }], fixAll: true, preferred: true };
}

function headingFix(lines: LineIndex, stage: Stage, target: Mark): Fix {
  if (target === 'done') {
    return { title: `Mark ${stageName(stage)} done (✅)`, edits: [markHeadingDone(lines, stage)], fixAll: true, preferred: true };
  }
  return { title: `Remove the status marker from ${stageName(stage)}'s heading`, edits: [removeHeadingMark(lines, stage)], fixAll: true, preferred: true };
}

type TableRow = { table: StatusTable; row: StatusRow };

/** Status rows by stage number, built once per model: stages x rows lookups were the rule's main cost. */
const rowIndexes = new WeakMap<DocModel, Map<string, TableRow[]>>();

function rowIndex(model: DocModel): Map<string, TableRow[]> {
  let index = rowIndexes.get(model);
  if (!index) {
    index = new Map();
    for (const table of model.statusTables) {
      for (const row of table.rows) {
        const key = numberKey(row.stageNumber);
        const list = index.get(key) ?? [];
        list.push({ table, row });
        index.set(key, list);
      }
    }
    rowIndexes.set(model, index);
  }
  return index;
}

/** Status table rows that describe a top-level stage (tables labelled for another kind of stage excluded). */
function rowsOf(model: DocModel, stage: Stage): TableRow[] {
  if (stage.parentNumber !== null) return [];
  return (rowIndex(model).get(numberKey(stage.number)) ?? []).filter(({ table }) => table.label === null || table.label === stage.label);
}

interface Source {
  mark: Mark;
  range: Range;
  what: string;
  fix: (target: Mark) => Fix;
}

/** Done markers over unchecked items, complete checklists marked pending, and status rows for unknown stages. */
export const statusMismatch: Rule = {
  id: 'status-mismatch',
  description: 'A stage marked done with unchecked items, complete but marked pending, a status row for no stage, or heading and table disagreeing.',
  defaultSeverity: 'warning',
  kinds: ['plan', 'tracker', 'design'],
  check(model, context) {
    for (const stage of allStages(model)) checkStage(model, context, stage);
    checkUnknownRows(model, context);
  },
};

function checkStage(model: DocModel, context: RuleContext, stage: Stage): void {
  const name = stageName(stage);
  const items = checkableItems(stage);
  const checked = items.filter((item) => item.checked).length;
  const checklist: Mark | null = items.length === 0 ? null : checked === items.length ? 'done' : checked > 0 ? 'in-progress' : 'pending';
  const heading: Source | null = stage.headingMark
    ? { mark: stage.headingMark.mark, range: stage.headingMark.range, what: `${name}'s heading marks it`, fix: (target) => headingFix(context.lines, stage, target) }
    : null;
  const rows: Source[] = rowsOf(model, stage)
    .filter(({ row }) => row.mark !== null)
    .map(({ table, row }) => ({ mark: row.mark!, range: row.statusRange, what: `The status table marks ${name}`, fix: (target) => rowFix(stage, table, row, target) }));
  const reported = new Set<Source>();
  if (checklist !== null) {
    for (const source of [heading, ...rows]) {
      if (!source) continue;
      if (source.mark === 'done' && checklist !== 'done') {
        context.report({
          message: `${source.what} done, but ${items.length - checked} of ${items.length} checklist items are unchecked.`,
          range: source.range,
          fixes: [source.fix(checklist)],
        });
        reported.add(source);
      } else if (source.mark === 'pending' && checklist === 'done') {
        context.report({
          message: `${source.what} pending, but all ${items.length} checklist items are checked.`,
          range: source.range,
          fixes: [source.fix('done')],
        });
        reported.add(source);
      }
    }
  }
  if (!heading) return;
  for (const row of rows) {
    if (row.mark === heading.mark) continue;
    if (checklist === null) {
      if (reported.has(row)) continue;
      context.report({
        message: `${row.what} ${MARK_WORDS[row.mark]}, but its heading marks it ${MARK_WORDS[heading.mark]}.`,
        range: row.range,
        fixes: [row.fix(heading.mark)],
      });
      continue;
    }
    // Heading and table disagree: whichever also disagrees with the checklist is the stale one.
    for (const source of [row, heading]) {
      if (reported.has(source) || source.mark === checklist) continue;
      context.report({
        message: `${source.what} ${MARK_WORDS[source.mark]}, which disagrees with the ${source === row ? 'heading' : 'status table'} and with the checklist (${checked} of ${items.length} checked).`,
        range: source.range,
        fixes: [source.fix(checklist)],
      });
      reported.add(source);
    }
  }
}

function checkUnknownRows(model: DocModel, context: RuleContext): void {
  for (const table of model.statusTables) {
    const candidates = model.stages.filter((stage) => table.label === null || stage.label === table.label);
    if (candidates.length === 0) continue;
    const known = new Set(candidates.map((stage) => numberKey(stage.number)));
    const label = table.label ?? candidates[0].label;
    // A table whose rows mostly name no stage here indexes phases kept in other docs (an overview plan).
    const matching = table.rows.filter((row) => known.has(numberKey(row.stageNumber))).length;
    if (matching * 2 < table.rows.length) continue;
    for (const row of table.rows) {
      if (known.has(numberKey(row.stageNumber))) continue;
      context.report({
        message: `The status table lists ${label} ${row.stageNumber}, but this document has no ${label} ${row.stageNumber}.`,
        range: row.stageRange,
      });
    }
  }
}
