/**
 * Records of finished work. A line number written into a ticked task, a stage marked done, a doc whose
 * status says it is complete, or a plan whose steps have all been carried out, describes the code as it
 * was when that work was done: its lines moving later is history, and the doc's author would not update
 * it. The line rules (`line-drift`, `stale-line`) stay silent there; live parts and designs keep reporting.
 *
 * Reads the model's own notions (ticked items, done stages, `statusMark` words) and, for plans with
 * neither boxes nor marks, git's word on the files the plan's `Modify:` / `Create:` steps name.
 */
import type { DocModel, Reference } from '../model/types';
import type { LineIndex } from '../model/text';
import { flattenStages, innermostStage, isStageDone } from '../model/referenceIntent';
import { statusMark } from '../model/vocabulary';
import type { DocWorkspace } from '../workspace/workspace';

/** A plan step that names the file it changes or creates: `- Modify: \`x:12-20\``, `- **Create:** \`y\``. */
const STEP_LINE = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s*)?(?:\*\*)?(Modify|Modified|Change|Changed|Update|Updated|Edit|Create|Created|New)(?:\*\*)?\s*:/i;

/** The same step written after the path: `- \`x.sh:134\` (MODIFY - add rules after line 134)`, `(CREATE & TEST)`. */
const STEP_AFTER = /^`?\s*\((MODIFY|CREATE)\b/i;

/** Folders that hold finished docs by convention (OpenSpec's `changes/archive/`, `plans/completed/`). */
const FINISHED_FOLDER = /(?:^|\/)(?:archive|archived|completed|done|finished|implemented)\//i;

/** `**Status:** Complete`, `Status: Implemented` near the top of a doc. */
const STATUS_LINE = /^\s*(?:[-*+]\s+)?(?:\*\*|__)?Status(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+)$/i;

const executedPlans = new WeakMap<DocModel, { docAbsPath: string; executed: boolean }>();

/**
 * True when `reference` sits in a record of finished work: a ticked task (its own line or the item it
 * continues), a stage marked done, a doc whose status or folder says it is finished, or an executed plan.
 */
export function inFinishedRecord(model: DocModel, lines: LineIndex, reference: Reference, workspace: DocWorkspace): boolean {
  return inDoneItemOrStage(model, lines, reference.range.start.line) || docIsFinished(model, lines, workspace.docRelPath) || planWasExecuted(model, lines, workspace);
}

/**
 * True when `line` sits in a ticked task (its own line, the item it continues, or a sub-bullet of it without
 * a box of its own) or a stage marked done.
 */
export function inDoneItemOrStage(model: DocModel, lines: LineIndex, line: number): boolean {
  const stage = innermostStage(flattenStages(model.stages), line);
  if (stage !== null && isStageDone(stage)) return true;
  // A sub-bullet without a box belongs to the item above it: "- [x] 19. Extract …" / "  - at `x.hpp:676`".
  let indent = Infinity;
  for (let at = line; at >= 0 && at >= line - 40; at--) {
    const text = lines.lineText(at);
    const item = /^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[([ xX])\])?/.exec(text);
    if (item) {
      const depth = item[1].replace(/\t/g, '    ').length;
      if (depth >= indent) continue;
      if (item[2] !== undefined) return item[2] === 'x' || item[2] === 'X';
      if (depth === 0) return false;
      indent = depth;
      continue;
    }
    if (text.trim() === '' || (at < line && !/^\s+\S/.test(text))) return false;
  }
  return false;
}

/** True when the doc's front matter, a `Status:` line near its top, or its folder says the work is done. */
export function docIsFinished(model: DocModel, lines: LineIndex, docRelPath: string): boolean {
  if (FINISHED_FOLDER.test(docRelPath)) return true;
  const status = model.frontMatter?.data?.status;
  if (typeof status === 'string' && isDoneWord(status)) return true;
  const first = Math.min(lines.lineCount, 40);
  for (let at = 0; at < first; at++) {
    const match = STATUS_LINE.exec(lines.lineText(at));
    if (match) return isDoneWord(match[1]);
  }
  return false;
}

/** Words that make a done status partial: "✅ Phase 1 complete, phase 2 in progress". */
const PARTIAL = /\b(?:phase|stage|step|part|partial|partially|progress|pending|remaining|except|but|until|blocked|wip)\b/i;

/**
 * `Complete`, `✅ Done (2025-03-01)`, `Implemented`, and nothing partial (an RFC's `Accepted` is a decision,
 * not finished work).
 */
function isDoneWord(text: string): boolean {
  const cleaned = text.replace(/[*_`]/g, '').trim();
  if (PARTIAL.test(cleaned)) return false;
  return statusMark(cleaned) === 'done' || /^implemented\b/i.test(cleaned);
}

/**
 * True when the doc is a plan without boxes or marks whose steps have visibly been carried out: every file
 * its `Create:` steps name exists, every file its `Modify: path:line` steps name has changed since the plan
 * was last committed, and at least two such steps say so. Its line numbers describe the code before it ran.
 */
export function planWasExecuted(model: DocModel, lines: LineIndex, workspace: DocWorkspace): boolean {
  if (model.kind !== 'plan') return false;
  const known = executedPlans.get(model);
  if (known && known.docAbsPath === workspace.docAbsPath) return known.executed;
  const executed = readSteps(model, lines, workspace);
  executedPlans.set(model, { docAbsPath: workspace.docAbsPath, executed });
  return executed;
}

function readSteps(model: DocModel, lines: LineIndex, workspace: DocWorkspace): boolean {
  const folder = workspace.folder;
  const git = folder.git;
  if (!git) return false;
  const changed = new Set<string>();
  const created = new Set<string>();
  for (const reference of model.references) {
    if (reference.form === 'link') continue;
    const lineText = lines.lineText(reference.range.start.line);
    const step = STEP_LINE.exec(lineText) ?? STEP_AFTER.exec(lineText.slice(reference.range.end.character));
    if (!step) continue;
    const resolved = folder.resolveReference(reference, workspace.docRelPath);
    if (resolved.kind !== 'inside') continue;
    if (/^(?:create|created|new)$/i.test(step[1])) {
      if (!folder.index.exists(resolved.relPath)) return false;
      created.add(resolved.relPath);
      continue;
    }
    if (reference.line === null) continue;
    const before = git.committedLines(workspace.docAbsPath, resolved.relPath);
    if (!before) return false;
    const now = folder.files.text(resolved.absPath);
    if (!now.ok) return false;
    if (sameLines(before, now.lines)) return false;
    changed.add(resolved.relPath);
  }
  return changed.size >= 2 || (changed.size >= 1 && created.size >= 1);
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
}
