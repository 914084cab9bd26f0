/**
 * Is the place a doc names a path a record of finished work, open work, or neither? A finished record (a
 * ticked task, a stage marked or checked done, a plan whose status, todos or task list say it is finished)
 * names files as they were when the work was done: a file a later change moved or removed is history its
 * author would not edit. Open work (an unticked task, a stage pending or in progress) and a design doc that
 * presents the current system are read by someone about to act, so a gone file there is rot.
 *
 * Reads what the model already knows (item boxes, stage marks and states from model/status.ts, the status
 * vocabulary of model/vocabulary.ts) plus the doc's own status line, the todos of an editor plan's front
 * matter, and the task list beside a spec-driven plan.
 */
import { posix } from 'node:path';
import type { DocModel, ListItem, Stage } from '../model/types';
import type { LineIndex } from '../model/text';
import { flattenStages, innermostStage, isStageDone } from '../model/referenceIntent';
import { HEADING_MARK, headingMarkKind, statusMark } from '../model/vocabulary';

/** Where a reference sits: in finished work, in open work, or in a part that marks no progress. */
export type WorkState = 'finished' | 'open' | 'unmarked';

/** Reads the text of another file of the workspace by folder-relative path (null when it cannot). */
export type ReadSibling = (relPath: string) => string | null;

const TASK_BOX = /^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+\[([ xX])\]/;
/** Words of a doc's status that say the work it plans is over. */
const FINISHED_STATUS = /^(?:[✅✓✔☑]|(?:done|complete|completed|finished|merged|shipped|implemented|delivered|released|closed|archived|superseded|obsolete|deprecated|withdrawn|rejected|abandoned)\b)/iu;
/** Words of a design's status that say it no longer describes the system. */
const RETIRED_STATUS = /^(?:superseded|obsolete|deprecated|withdrawn|rejected|abandoned|archived|historical)\b/i;

/** The state of the work at `line`: the task item holding it first, then its stage. */
export function workStateAt(model: DocModel, lines: LineIndex, line: number): WorkState {
  const box = boxAt(model, lines, line);
  if (box !== null) return box ? 'finished' : 'open';
  const stage = innermostStage(flattenStages(model.stages), line);
  if (stage !== null) {
    if (isStageDone(stage)) return 'finished';
    if (stage.mark === 'pending' || stage.mark === 'in-progress' || stage.state === 'in-progress' || hasOpenBox(stage)) return 'open';
  }
  // A design's phases are not stages, but a heading still says "-- COMPLETE" or "(in progress)".
  const mark = headingMarkAbove(model, line);
  if (mark !== null) return mark === 'done' ? 'finished' : 'open';
  return 'unmarked';
}

/** The status mark of the innermost enclosing heading that carries one, or null. */
function headingMarkAbove(model: DocModel, line: number): 'done' | 'in-progress' | 'pending' | null {
  let level = 7;
  for (let at = model.headings.length - 1; at >= 0 && level > 1; at--) {
    const heading = model.headings[at];
    if (heading.pseudo || heading.range.start.line > line || heading.level >= level) continue;
    level = heading.level;
    const marker = HEADING_MARK.exec(heading.text);
    if (marker) return headingMarkKind(marker[0]);
  }
  return null;
}

/** Ticked (true), unticked (false) or no box (null) for the task item whose text holds `line`. */
function boxAt(model: DocModel, lines: LineIndex, line: number): boolean | null {
  let found: ListItem | null = null;
  for (const item of model.items) {
    if (item.checked === null || item.range.start.line > line || item.range.end.line < line) continue;
    if (found === null || item.range.start.line >= found.range.start.line) found = item;
  }
  if (found) return found.checked;
  // A continuation line of an item the model did not keep (a quoted list): its first line is close above.
  for (let at = line; at >= 0 && at >= line - 6; at--) {
    const text = lines.lineText(at);
    const box = TASK_BOX.exec(text);
    if (box) return box[1] !== ' ';
    if (text.trim() === '' || (at < line && !/^\s+\S/.test(text))) return null;
  }
  return null;
}

function hasOpenBox(stage: Stage): boolean {
  return [...stage.changes, ...stage.validationItems, ...stage.completionCriteria].some((item) => item.checked === false);
}

/** True when a status value says the work is over: done, implemented, merged, withdrawn, superseded ... */
export function isFinishedStatus(status: string): boolean {
  return FINISHED_STATUS.test(status) || statusMark(status) === 'done';
}

/** The doc's own status: front matter `status:`, a `Status:` line near the top, or the first line under `## Status`. */
export function docStatus(model: DocModel, lines: LineIndex): string | null {
  const front = model.frontMatter?.data?.status;
  if (typeof front === 'string' && front.trim() !== '') return front.trim();
  const limit = Math.min(lines.lineCount, 40);
  for (let at = 0; at < limit; at++) {
    const match = /^\s*(?:[-*]\s+)?(?:\*\*|__)?status(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+)$/i.exec(lines.lineText(at));
    if (match) return match[1].replace(/[*_`]/g, '').trim();
  }
  const heading = model.headings.find((candidate) => !candidate.pseudo && /^status$/i.test(candidate.text.trim()));
  if (heading) {
    for (let at = heading.range.end.line + 1; at < Math.min(lines.lineCount, heading.range.end.line + 4); at++) {
      const text = lines.lineText(at).replace(/[*_`]/g, '').trim();
      if (text !== '') return /^#/.test(text) ? null : text;
    }
  }
  return null;
}

/**
 * True when the doc is a design that presents the system as it is: any design, unless its status retires it
 * (superseded, deprecated ...), it sits in an archive folder (`openspec/changes/archive/`), or it is the
 * design of a spec-driven feature whose `tasks.md` beside it has every task ticked (the feature is done; its
 * design is now its record).
 */
export function presentsCurrentSystem(model: DocModel, lines: LineIndex, docRelPath: string, readSibling: ReadSibling | null): boolean {
  if (model.kind !== 'design' || isArchived(docRelPath)) return false;
  const status = docStatus(model, lines);
  if (status !== null && RETIRED_STATUS.test(status)) return false;
  return !featureTasksFinished(model, docRelPath, readSibling);
}

/**
 * True when the whole doc is a record of finished work: its status says so, every todo of its front matter
 * is completed or cancelled, every task box is ticked, every stage is done, it sits in an archive folder,
 * or it is a spec-driven plan whose `tasks.md` beside it has every task ticked.
 */
export function docFinished(model: DocModel, lines: LineIndex, docRelPath: string, readSibling: ReadSibling | null): boolean {
  if (isArchived(docRelPath)) return true;
  const status = docStatus(model, lines);
  if (status !== null && isFinishedStatus(status)) return true;
  // A change proposal is live until it is archived, whatever its task list says.
  if (model.profile === 'change-proposal') return false;
  const todos = model.frontMatter?.data?.todos;
  if (Array.isArray(todos) && todos.length > 0) {
    const states = todos.map((todo) => (typeof todo === 'object' && todo !== null ? String((todo as { status?: unknown }).status ?? '') : ''));
    if (states.every((state) => /^(?:completed|cancelled|canceled|done)$/i.test(state))) return true;
  }
  const boxes = model.items.filter((item) => item.checked !== null);
  if (boxes.length > 0 && boxes.every((item) => item.checked)) return true;
  const stages = model.stages;
  if (stages.length > 0 && stages.every((stage) => isStageDone(stage))) return true;
  return featureTasksFinished(model, docRelPath, readSibling);
}

/**
 * True when the doc is not itself a `tasks.md` and the `tasks.md` beside it has every task ticked. Not for
 * a change proposal: it stays live until it is archived.
 */
function featureTasksFinished(model: DocModel, docRelPath: string, readSibling: ReadSibling | null): boolean {
  if (readSibling === null || model.profile === 'change-proposal' || /(?:^|\/)tasks\.md$/i.test(docRelPath)) return false;
  const tasks = readSibling(posix.join(posix.dirname(docRelPath), 'tasks.md'));
  return tasks !== null && allTicked(tasks);
}

/** True when the doc shows open work anywhere: an unticked box, a stage pending or in progress, a todo not done. */
export function docHasOpenWork(model: DocModel): boolean {
  if (model.items.some((item) => item.checked === false)) return true;
  if (flattenStages(model.stages).some((stage) => stage.mark === 'pending' || stage.mark === 'in-progress' || stage.state === 'in-progress')) return true;
  const todos = model.frontMatter?.data?.todos;
  return Array.isArray(todos) && todos.some((todo) => typeof todo === 'object' && todo !== null && /^(?:pending|in_progress|in-progress)$/i.test(String((todo as { status?: unknown }).status ?? '')));
}

/** True when a task list has at least one box and every box is ticked. */
function allTicked(text: string): boolean {
  let ticked = 0;
  for (const line of text.split(/\r?\n|\r/)) {
    const box = TASK_BOX.exec(line);
    if (!box) continue;
    if (box[1] === ' ') return false;
    ticked++;
  }
  return ticked > 0;
}

/** `openspec/changes/archive/...`, `docs/plans/archive/...`: kept as history. */
function isArchived(path: string): boolean {
  return /(?:^|\/)(?:archive|archived)\//i.test(path);
}
