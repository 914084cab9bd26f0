import type { TextEdit } from 'vscode-languageserver-types';
import type { DocModel, Stage } from '../model/types';
import type { Fix, Rule, RuleContext } from './types';
import { allStages, numberKey, stageKey, stageName } from './stages';

/** A stage's number split into the part that must match its parent, its place in the sequence, and a decimal insert. */
interface Numbered {
  stage: Stage;
  main: number;
  extra: number[];
  /** The number does not start with its parent's number (`Step 2.1` under `Phase 1`). */
  wrongPrefix: boolean;
}

/** Sibling stages with the same label, numbered as one sequence. */
interface Group {
  stages: Stage[];
  parent: Stage | null;
}

function groupsOf(stages: Stage[], parent: Stage | null): Group[] {
  const byLabel = new Map<string, Stage[]>();
  for (const stage of stages) {
    // Numbered task items and YAML todos are numbered by their writer's list, not as headings: a gap there
    // is a renumbered or removed task, rarely worth a finding, and never worth rewriting the list.
    if (stage.source !== undefined && stage.source !== 'heading') continue;
    const list = byLabel.get(stage.label) ?? [];
    list.push(stage);
    byLabel.set(stage.label, list);
  }
  return [...byLabel.values()].map((list) => ({ stages: list, parent }));
}

/** Whether the stages of a group carry their parent's number as a prefix (`Step 1.2` under `Phase 1`). */
function isPrefixed(group: Group): boolean {
  const base = group.parent?.numberParts.length ?? 0;
  return group.parent !== null && group.stages.some((stage) => stage.numberParts.length > base);
}

function numbered(group: Group): Numbered[] {
  const parentParts = group.parent?.numberParts ?? [];
  const base = parentParts.length;
  const prefixed = isPrefixed(group);
  return group.stages.map((stage) => {
    const parts = stage.numberParts;
    if (!prefixed) return { stage, main: parts[0], extra: parts.slice(1), wrongPrefix: false };
    if (parts.length <= base) return { stage, main: parts[parts.length - 1], extra: [], wrongPrefix: true };
    const wrongPrefix = parentParts.some((part, index) => parts[index] !== part);
    return { stage, main: parts[base], extra: parts.slice(base + 1), wrongPrefix };
  });
}

/**
 * The consecutive numbering of a group, in document order, starting from its first number: integers count
 * up by one, decimal inserts (`1.5`) follow the integer before them, duplicate inserts get the next free decimal.
 * `parentNumber` is the number the group's prefix must carry (null for unprefixed groups).
 */
function canonicalNumbers(items: Numbered[], parentNumber: string | null): string[] {
  const firstInteger = items.find((item) => item.extra.length === 0);
  let last: number | null = null;
  const usedExtras = new Map<number, Set<string>>();
  return items.map((item) => {
    let main: number;
    let extra = item.extra;
    if (item.extra.length === 0) {
      main = last === null ? (firstInteger?.main ?? item.main) : last + 1;
      last = main;
    } else {
      main = last ?? item.main;
      const used = usedExtras.get(main) ?? new Set<string>();
      usedExtras.set(main, used);
      while (used.has(extra.join('.'))) extra = [...extra.slice(0, -1), extra[extra.length - 1] + 1];
      used.add(extra.join('.'));
    }
    const own = [main, ...extra].join('.');
    return parentNumber === null ? own : `${parentNumber}.${own}`;
  });
}

/** Renumbering edits for a group and, following the new numbers, for all its descendants. */
function renumberEdits(group: Group, parentNumber: string | null, changes: Map<Stage, string>): void {
  const items = numbered(group);
  const wanted = canonicalNumbers(items, isPrefixed(group) ? parentNumber : null);
  items.forEach((item, index) => {
    const next = wanted[index];
    if (numberKey(next) !== numberKey(item.stage.number)) changes.set(item.stage, next);
    for (const childGroup of groupsOf(item.stage.children, item.stage)) renumberEdits(childGroup, next, changes);
  });
}

/** Turns renumbered stages into edits: headings, plus unambiguous mentions in dependencies and status tables. */
function editsFor(model: DocModel, changes: Map<Stage, string>): TextEdit[] {
  const edits: TextEdit[] = [];
  const counts = new Map<string, number>();
  for (const stage of allStages(model)) counts.set(stageKey(stage), (counts.get(stageKey(stage)) ?? 0) + 1);
  const renamed = new Map<string, string>();
  for (const [stage, next] of changes) {
    edits.push({ range: stage.numberRange, newText: next });
    if (counts.get(stageKey(stage)) === 1) renamed.set(stageKey(stage), next);
  }
  const mentions = [...model.stageDependencies.mentions, ...allStages(model).flatMap((stage) => stage.dependsOn)];
  for (const mention of mentions) {
    const next = renamed.get(stageKey(mention));
    if (next === undefined) continue;
    const end = mention.range.end;
    edits.push({ range: { start: { line: end.line, character: end.character - mention.number.length }, end }, newText: next });
  }
  for (const table of model.statusTables) {
    for (const row of table.rows) {
      for (const stage of model.stages) {
        if (table.label !== null && table.label !== stage.label) continue;
        if (numberKey(row.stageNumber) !== numberKey(stage.number)) continue;
        const next = renamed.get(stageKey(stage));
        if (next !== undefined) edits.push({ range: row.stageRange, newText: next });
        break;
      }
    }
  }
  return edits;
}

function rangeName(label: string, prefix: string, from: number, to: number): string {
  return from === to ? `${label} ${prefix}${from} is missing` : `${label} ${prefix}${from} to ${label} ${prefix}${to} are missing`;
}

/** Duplicate, skipped and wrongly prefixed stage numbers. */
export const stageNumbering: Rule = {
  id: 'stage-numbering',
  description: 'Duplicate or skipped stage numbers, or a step numbered under the wrong phase.',
  defaultSeverity: 'warning',
  kinds: ['plan', 'design', 'tracker'],
  check(model, context) {
    const visit = (group: Group) => {
      checkGroup(model, context, group);
      for (const stage of group.stages) for (const child of groupsOf(stage.children, stage)) visit(child);
    };
    for (const group of groupsOf(model.stages, null)) visit(group);
  },
};

function checkGroup(model: DocModel, context: RuleContext, group: Group): void {
  // Numbered headings without a label (`### 1.3 Title`) are only stages when they hold work, so gaps in them
  // are sections that hold none: not a numbering mistake.
  if (group.stages[0]?.label === '') return;
  const items = numbered(group);
  const reports: { stage: Stage; message: string }[] = [];
  const prefixed = isPrefixed(group);
  const parent = group.parent;
  const prefix = prefixed && parent ? `${parent.number}.` : '';
  for (const item of items) {
    if (item.wrongPrefix && parent) {
      reports.push({ stage: item.stage, message: `${stageName(item.stage)} is under ${stageName(parent)}: its number should start with ${parent.number}.` });
    }
  }
  const seen = new Set<string>();
  for (const item of items) {
    if (item.wrongPrefix) continue;
    const key = [item.main, ...item.extra].join('.');
    if (seen.has(key)) reports.push({ stage: item.stage, message: `${stageName(item.stage)} is numbered twice: another ${stageName(item.stage)} comes before this one.` });
    seen.add(key);
  }
  const integers = items.filter((item) => !item.wrongPrefix && item.extra.length === 0);
  const values = [...new Set(integers.map((item) => item.main))].sort((a, b) => a - b);
  for (let i = 1; i < values.length; i++) {
    if (values[i] - values[i - 1] <= 1) continue;
    const at = integers.find((item) => item.main === values[i])!;
    const label = at.stage.label;
    reports.push({
      stage: at.stage,
      message: `${rangeName(label, prefix, values[i - 1] + 1, values[i] - 1)}: the ${label} numbers jump from ${prefix}${values[i - 1]} to ${prefix}${values[i]}.`,
    });
  }
  if (reports.length === 0) return;
  const changes = new Map<Stage, string>();
  renumberEdits(group, parent ? parent.number : null, changes);
  const edits = editsFor(model, changes);
  const fixes: Fix[] =
    edits.length > 0 ? [{ title: `Renumber the ${group.stages[0].label} sequence consecutively`, edits, fixAll: true, preferred: true }] : [];
  for (const report of reports) context.report({ message: report.message, range: report.stage.numberRange, fixes });
}
