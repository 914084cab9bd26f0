/**
 * Stages written as a numbered checklist rather than headings: a requirements/tasks triple's tasks.md
 * (`- [ ] 2. Wire the API` with `- [ ] 2.1 …` sub-tasks, nested or not). Each top-level numbered task is a
 * stage; its own box and its sub-tasks' boxes are its items. Optional tasks (`- [ ]* 2.3 …`, not a GFM task
 * item) are not counted: leaving them open does not keep a task from being done.
 */
import type { BuildContext } from './context';
import { workStage, type StageDraft } from './stages';
import type { ListItem, Stage } from './types';

/** `2. Title`, `2 Title`, `2.1 Title`, `2.1. Title` at the start of an item. */
const TASK_NUMBER = /^(\d+(?:\.\d+)*)\.?\s+(\S.*)$/;

/** Stages of a numbered task checklist, in document order. */
export function itemStages(context: BuildContext): StageDraft[] {
  const { facts, lines, text } = context;
  const drafts: StageDraft[] = [];
  let current: StageDraft | null = null;
  for (const fact of facts.listItems) {
    if (fact.checked === null || fact.checkboxStart < 0) continue;
    const match = TASK_NUMBER.exec(fact.text.trim());
    if (!match) continue;
    const [, number, rest] = match;
    const item = context.listItem(fact);
    const numberParts = number.split('.').map(Number);
    if (numberParts.length === 1) {
      current = { stage: taskStage(context, item, fact.start, number, rest), start: fact.start, end: fact.end, ownEnd: fact.end, level: 0, headingIndex: -1 };
      drafts.push(current);
    } else if (current && current.stage.numberParts[0] === numberParts[0]) {
      current.stage.changes.push(item);
      current.end = Math.max(current.end, fact.end);
      current.ownEnd = current.end;
    } else {
      continue;
    }
    const stage = current.stage;
    stage.range = lines.range(current.start, trimmedEnd(text, current.end));
  }
  return drafts;
}

function trimmedEnd(text: string, end: number): number {
  let at = end;
  while (at > 0 && /\s/.test(text[at - 1])) at--;
  return at;
}

function taskStage(context: BuildContext, item: ListItem, start: number, number: string, rest: string): Stage {
  const { lines, text } = context;
  const lineEnd = text.indexOf('\n', start);
  const firstLineEnd = trimmedEnd(text, lineEnd < 0 ? text.length : lineEnd);
  const boxEnd = item.checkboxRange ? lines.offsetAt(item.checkboxRange.end) : start;
  const numberAt = text.indexOf(number, boxEnd);
  const numberStart = numberAt >= 0 && numberAt < firstLineEnd ? numberAt : boxEnd;
  const textStart = numberStart;
  return workStage({
    label: 'Task',
    number,
    numberParts: [Number(number)],
    numberRange: lines.range(numberStart, numberStart + number.length),
    title: rest.trim(),
    heading: { level: 0, text: `${number}. ${rest.trim()}`, range: lines.range(start, firstLineEnd), textRange: lines.range(textStart, firstLineEnd), pseudo: true },
    range: item.range,
    headingMark: null,
    changes: [item],
    workUnit: true,
    source: 'list-item',
  });
}
