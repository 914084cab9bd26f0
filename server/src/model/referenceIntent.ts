/**
 * What a document says it does with a file it names: creates it (`- Create: \`a.py\``, "(new file)",
 * "add `x.py`", a spec-driven `T012 [P] Create … in \`src/x.py\``, a "New files" list) or deletes it
 * (`- Delete: \`a.py\``, a "Files to delete" / "Removed files" list, `~~old.py~~`, "(removed)"). A file the
 * doc creates may be absent until the work is done; a file it deletes is expected to be absent.
 */
import type { DocModel, Reference, Stage } from './types';
import type { LineIndex } from './text';
import { claimsOfText, taskText } from './itemClaims';

/** What the doc intends for the file a reference names. */
export type FileIntentKind = 'create' | 'delete';

/** The intent and the stage that carries it (null outside any stage). */
export interface FileIntent {
  kind: FileIntentKind;
  stage: Stage | null;
}

/** A list item's marker and box; `[ ]*` is an optional task of a requirements/design/tasks triple. */
const LIST_MARKER = /^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\*?\s+)?/;
/** Task ids and tags of spec-driven lists: `T012`, `[P]`, `[US1]`, `1.2`. */
const TASK_PREFIX = /^(?:(?:T\d+|\d+(?:\.\d+)*\.?|\[[^\]\n]{1,12}\])\s+)+/;

const CREATE_VERB = /^(?:\*\*|__)?(?:create[sd]?|add(?:ed|s)?|new|write|introduce|scaffold|generate|implement|restore|target|destination)\b(?:\s*:)?/i;
/**
 * "Delete: `x`", "Remove the old file `x`", "T002 [P] Delete stacked PR command `x`": the verb applies to
 * the file itself, not to code inside it ("Remove the retry loop from `x`" deletes nothing).
 */
const DELETE_VERB = /^(?:\*\*|__)?(?:delete[sd]?|remove[sd]?|drop|rm)\b[^`]*`?$/i;
const INSIDE_A_FILE = /\b(?:from|in|inside|within|of|into|to|on|at)\s*`?$/i;
/** The words right before the reference: "we add `x.py`", "then delete `old.py`". */
const CREATE_JUST_BEFORE = /\b(?:create|add|introduce|new(?: file)?)\s+(?:(?:a|the)\s+)?(?:new\s+)?(?:file\s+)?`?$|\b(?:create|write|add)\s+(?:an?\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+){0,2}(?:script|module|class|component|page|helper|tool|test file)\s+`?$|\b(?:copy|move|rename)\b[^`]*`[^`]+`\s+(?:to|as|into)\s+`?$|^\s*(?:\*\*|__)?(?:target|destination)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*`?$/i;
const DELETE_JUST_BEFORE = /\b(?:delete[sd]?|remove[sd]?|drop(?:ped|s)?|replace[sd]?|retire[sd]?)\s+(?:(?:the|old)\s+)*(?:file\s+)?`?$/i;
const FILE_LABEL = /^\s*(?:\*\*|__)?(?:file|new file|seed data|migration)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*`?$/i;
const SOURCE_LABEL = /^\s*(?:\*\*|__)?source(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*`?$/i;
/** The words right after the reference: "`x_test.go` will be added", "`y.py` (to be created)". */
const CREATE_JUST_AFTER = /^`?\s*(?:(?:will be|is to be|to be|are to be|gets?)\s+(?:added|created|written|introduced)\b|\((?:or equivalent|or similar|proposed|planned)\))/i;

const CREATE_ON_LINE = /\((?:new(?: file)?|to be created|to create|created in this (?:stage|plan|task))\)|\((?:CREATE|NEW)\b[^)]*\)|\bNEW\b|\bnew file\b|\[new\]/i;
const DELETE_ON_LINE = /\((?:removed|deleted|delete|remove|to be (?:removed|deleted)|gone)\)|\[(?:removed|deleted)\]|\((?:replaced|superseded|renamed|moved|merged)\s+(?:by|to|into|with)\b/i;

const CREATE_CELL = /^\s*(?:\*\*)?(?:new|create|created|add|added|new file)(?:\*\*)?\s*$/i;
/** A change cell that opens with a create verb and goes on: "Add upload UI", "NEW: hash utilities". */
const CREATE_CELL_LEAD = /^\s*(?:\*\*)?(?:new|create[sd]?|add(?:ed|s)?)(?:\*\*)?\s*(?::\s*|\s+(?!to\b|in\b|into\b|inside\b|on\b))\S/i;
const DELETE_CELL = /^\s*(?:\*\*)?(?:delete|deleted|remove|removed|gone|replaced by)\b/i;

/** A heading or lead-in that speaks of files being created ("New files", "Files to create"). */
const CREATE_LEAD_IN = /\bnew (?:files?|modules?|scripts?|classes|components?|tests?)\b|\b(?:will|to) be (?:added|created|written)\b|\bwe will add\b|\b(?:files?|modules?) to (?:create|add)\b|\b(?:created|added) (?:files?|modules?)\b|\bfiles? (?:created|added)\b/i;
/** A heading or lead-in that speaks of files being deleted ("Files to delete", "Removed files", "Files removed in 2.0"). */
const DELETE_LEAD_IN = /\b(?:files?|modules?|scripts?)\b.*\b(?:delete[sd]?|remove[sd]?)\b|\b(?:delete[sd]?|remove[sd]?|obsolete)\b.*\b(?:files?|modules?|scripts?)\b|\bdeletions?\b/i;

/** The intent the doc states for the file a (non-link) reference names, or null when it states none. */
export function fileIntent(model: DocModel, lines: LineIndex, reference: Reference): FileIntentKind | null {
  const line = reference.range.start.line;
  const lineText = lines.lineText(line);
  const before = lineText.slice(0, reference.range.start.character);
  const prose = lineText.replace(/`[^`]*`/g, '');

  if (countOf(before, '~~') % 2 === 1) return 'delete';
  if (DELETE_ON_LINE.test(prose)) return 'delete';
  if (CREATE_ON_LINE.test(prose)) return 'create';
  if (lineText.trimStart().startsWith('|')) {
    const cells = lineText.split('|');
    if (cells.some((cell) => DELETE_CELL.test(cell))) return 'delete';
    if (cells.some((cell) => CREATE_CELL.test(cell))) return 'create';
    // "| `x.jsx` | Add the upload form |": the change column of a file table opens with "Add" or "New:".
    const own = countOf(before, '|');
    if (cells.some((cell, at) => at !== own && CREATE_CELL_LEAD.test(cell))) return 'create';
  }
  // What a task item's own words claim for this file (the completion checks read the same claims).
  const claimed = itemClaimFor(lineText, reference.path);
  if (claimed !== null) return claimed;
  const marker = LIST_MARKER.exec(before);
  if (marker) {
    const words = before.slice(marker[0].length).replace(TASK_PREFIX, '');
    // The item's own verb, when nothing else in code comes before the reference.
    if (!words.replace(/`$/, '').includes('`')) {
      if (DELETE_VERB.test(words) && !INSIDE_A_FILE.test(words)) return 'delete';
      if (CREATE_VERB.test(words)) return 'create';
    }
    // "**Event classes:** Add `a.ts` (…) and `b.ts`": every file of a sentence that opens with "Add".
    const sentence = words.replace(/^(?:\*\*|__)[^*_]{1,40}?:?(?:\*\*|__)\s*:?\s*/, '');
    if (CREATE_VERB.test(sentence) && !/[.;]\s/.test(sentence)) return 'create';
  }
  if (CREATE_JUST_AFTER.test(lineText.slice(reference.range.end.character))) return 'create';
  // "**File:** `x`" heading a section that writes the file; "**Source:** `a`" above "**Target:** `b`" moves a.
  if (FILE_LABEL.test(before)) return 'create';
  if (SOURCE_LABEL.test(before)) {
    for (let at = line + 1; at <= line + 3 && at < lines.lineCount; at++) {
      if (/^\s*(?:\*\*|__)?(?:target|destination)\b/i.test(lines.lineText(at))) return 'delete';
    }
  }
  if (DELETE_JUST_BEFORE.test(before)) return 'delete';
  if (CREATE_JUST_BEFORE.test(before)) return 'create';
  const tableRow = lineText.trimStart().startsWith('|');
  if (marker || tableRow) {
    const leadIn = leadInOf(model, lines, line);
    if (leadIn !== null && DELETE_LEAD_IN.test(leadIn)) return 'delete';
    if (leadIn !== null && CREATE_LEAD_IN.test(leadIn)) return 'create';
    // An item that is the path alone, in a list under "## Files that were deleted" > "### Contract tests".
    if (marker && /^`?$/.test(before.slice(marker[0].length))) {
      for (const heading of enclosingHeadings(model, line)) {
        if (DELETE_LEAD_IN.test(heading)) return 'delete';
        if (CREATE_LEAD_IN.test(heading)) return 'create';
      }
    }
  }
  return null;
}

/** `create` or `delete` when the task item on `lineText` claims to create or delete `path`, else null. */
function itemClaimFor(lineText: string, path: string): FileIntentKind | null {
  const text = taskText(lineText);
  if (text === null) return null;
  const wanted = path.replace(/^\.\//, '');
  const claim = claimsOfText(text).find((candidate) => candidate.kind !== 'defines' && candidate.path === wanted);
  if (!claim) return null;
  return claim.kind === 'creates' ? 'create' : 'delete';
}

/** Texts of the headings that enclose `line`, innermost first (each of a higher level than the last). */
function enclosingHeadings(model: DocModel, line: number): string[] {
  const out: string[] = [];
  let level = 7;
  for (let at = model.headings.length - 1; at >= 0 && level > 1; at--) {
    const heading = model.headings[at];
    if (heading.pseudo || heading.range.start.line > line || heading.level >= level) continue;
    out.push(heading.text);
    level = heading.level;
  }
  return out;
}

/**
 * The heading or lead-in line a list item sits under ("Files to delete:", `### Removed files`,
 * `**New files**`): the first line above the list that is neither an item nor blank, up to 60 lines up.
 */
function leadInOf(model: DocModel, lines: LineIndex, line: number): string | null {
  for (let at = line - 1; at >= 0 && at >= line - 60; at--) {
    const text = lines.lineText(at);
    if (text.trim() === '' || LIST_MARKER.test(text) || /^\s{2,}\S/.test(text) || /^\s*<!--.*-->\s*$/.test(text) || /^\s*\|/.test(text)) continue;
    const heading = headingLines(model).get(at);
    if (heading) return heading.text;
    // A sentence that introduces the list ("Files removed by the cleanup:"), not any paragraph above it.
    return /:\s*(?:\*\*|__)?\s*$/.test(text) ? text : null;
  }
  return null;
}

const headingsByLine = new WeakMap<DocModel, Map<number, DocModel['headings'][number]>>();

/** The heading on each line that carries one (a setext heading spans two), built once per model. */
function headingLines(model: DocModel): Map<number, DocModel['headings'][number]> {
  let byLine = headingsByLine.get(model);
  if (!byLine) {
    byLine = new Map();
    for (const heading of model.headings) {
      for (let line = heading.range.start.line; line <= heading.range.end.line; line++) if (!byLine.has(line)) byLine.set(line, heading);
    }
    headingsByLine.set(model, byLine);
  }
  return byLine;
}

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** Every stage and nested step, outermost first. */
export function flattenStages(stages: readonly Stage[]): Stage[] {
  return stages.flatMap((stage) => [stage, ...flattenStages(stage.children)]);
}

/** The innermost stage whose range holds `line`, or null. */
export function innermostStage(stages: readonly Stage[], line: number): Stage | null {
  let found: Stage | null = null;
  for (const stage of stages) {
    if (stage.range.start.line <= line && line <= stage.range.end.line) {
      if (found === null || stage.range.start.line >= found.range.start.line) found = stage;
    }
  }
  return found;
}

/** True when the stage is marked or checked done. */
export function isStageDone(stage: Stage): boolean {
  return stage.mark === 'done' || stage.state === 'done';
}

/** "Stage 2", "Task 3", as the doc labels it. */
export function stageLabel(stage: Stage): string {
  return `${stage.label} ${stage.number}`;
}
