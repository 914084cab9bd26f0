/**
 * One analysis of a document's file references, shared by the reference rules (`missing-file`,
 * `line-out-of-range`, `stale-line`, `line-drift`, `broken-doc-link`, `reference-outside-workspace`,
 * `reference-unreadable`) and the navigation features.
 *
 * Each reference gets exactly one verdict, so that two rules never report the same reference with
 * competing fixes: escapes and unreadable files first, then missing files and links, then the line
 * checks in the order out-of-range > stale symbol > git drift.
 *
 * The analysis reads the prepared workspace synchronously (`FolderWorkspace.prepare` ran before the check)
 * and is memoised for the rest of the current synchronous check (every rule of one `checkModel` call asks
 * for it; the memo is dropped in the next microtask, so a later check always sees fresh files).
 */
import { posix } from 'node:path';
import type { TextEdit } from 'vscode-languageserver-types';
import type { DocModel, Heading, Reference, Stage } from '../model/types';
import type { LineIndex } from '../model/text';
import { basenameOf } from '../workspace/fileIndex';
import { isUnknown, referenceWasCommitted } from '../workspace/git';
import { docDirOf } from '../workspace/paths';
import { checkSymbolAtLine, normalizeSymbol, type SymbolDef } from '../workspace/symbols';
import type { DocWorkspace } from '../workspace/workspace';
import type { Fix, RuleContext } from './types';

/** What is wrong with one reference (at most one verdict per reference). */
export type ReferenceVerdict =
  | { rule: 'reference-outside-workspace'; message: string }
  | { rule: 'reference-unreadable'; message: string }
  | { rule: 'missing-file'; message: string; fixes: Fix[]; severity?: 'error' }
  | { rule: 'broken-doc-link'; message: string; fixes: Fix[] }
  | { rule: 'line-out-of-range'; message: string; newLine: number | null; newEnd: number | null }
  | { rule: 'stale-line'; message: string; newLine: number | null; newEnd: number | null; certain: boolean }
  | { rule: 'line-drift'; message: string; newLine: number; newEnd: number | null };

/** A reference with its verdict (null: fine, or nothing can be said). */
export interface AnalyzedReference {
  reference: Reference;
  /** The reference as written in the doc. */
  text: string;
  verdict: ReferenceVerdict | null;
  /** The edit that updates its line number(s), when the verdict proposes a new line. */
  lineEdit: TextEdit | null;
}

/** The analysis of a document's references. */
export interface ReferenceAnalysis {
  items: AnalyzedReference[];
  /** "Update every line number in this document" (null when fewer than two line edits exist). */
  fixEverything: Fix | null;
}

let memo: { model: DocModel; workspace: DocWorkspace; analysis: ReferenceAnalysis } | null = null;

/** The analysis of `model`'s references against `workspace` (memoised within one synchronous check). */
export function analyzeReferences(model: DocModel, workspace: DocWorkspace, lines: LineIndex): ReferenceAnalysis {
  if (memo && memo.model === model && memo.workspace.folder === workspace.folder && memo.workspace.docAbsPath === workspace.docAbsPath) return memo.analysis;
  const analysis = analyze(model, workspace, lines);
  memo = { model, workspace, analysis };
  queueMicrotask(() => {
    memo = null;
  });
  return analysis;
}

/** Runs `check` for one rule id: reports each verdict of that rule. */
export function reportVerdicts(model: DocModel, context: RuleContext, rule: ReferenceVerdict['rule']): void {
  if (context.workspace === null) return;
  const analysis = analyzeReferences(model, context.workspace, context.lines);
  for (const item of analysis.items) {
    const verdict = item.verdict;
    if (verdict === null || verdict.rule !== rule) continue;
    const fixes: Fix[] = [];
    if ('fixes' in verdict) fixes.push(...verdict.fixes);
    if (item.lineEdit) {
      const certain = verdict.rule !== 'stale-line' || verdict.certain;
      const to = verdict.rule === 'stale-line' || verdict.rule === 'line-drift' || verdict.rule === 'line-out-of-range' ? lineText(verdict.newLine, verdict.newEnd) : '';
      fixes.push({ title: `Update the reference to line ${to}`, edits: [item.lineEdit], fixAll: certain, preferred: true });
      if (analysis.fixEverything) fixes.push(analysis.fixEverything);
    }
    // A done stage's missing file is an error, unless the user configured the rule's severity.
    const escalate = 'severity' in verdict && verdict.severity !== undefined && context.config.rules[rule]?.severity === undefined;
    context.report({ message: verdict.message, range: item.reference.range, fixes, severity: escalate ? verdict.severity : undefined });
  }
}

function lineText(line: number | null, end: number | null): string {
  return end !== null && line !== null && end !== line ? `${line}-${end}` : String(line);
}

// ---------------------------------------------------------------------------------------------------------

function analyze(model: DocModel, workspace: DocWorkspace, lines: LineIndex): ReferenceAnalysis {
  const newFiles = newFileDeclarations(model, workspace, lines);
  const items: AnalyzedReference[] = [];
  for (const reference of model.references) {
    const text = lines.text.slice(lines.offsetAt(reference.range.start), lines.offsetAt(reference.range.end));
    let verdict: ReferenceVerdict | null = null;
    try {
      verdict = judge(model, workspace, lines, reference, text, newFiles);
    } catch {
      verdict = null; // One odd reference must not hide the others.
    }
    let lineEdit: TextEdit | null = null;
    if (verdict && (verdict.rule === 'line-drift' || verdict.rule === 'stale-line' || verdict.rule === 'line-out-of-range') && verdict.newLine !== null) {
      lineEdit = lineNumberEdit(reference, text, verdict.newLine, verdict.newEnd);
    }
    items.push({ reference, text, verdict, lineEdit });
  }
  const edits = items.flatMap((item) => (item.lineEdit ? [item.lineEdit] : []));
  const fixEverything: Fix | null = edits.length >= 2 ? { title: `Update all ${edits.length} outdated line numbers in this document`, edits, fixAll: false } : null;
  return { items, fixEverything };
}

/** Folder-relative paths the doc says are new, with the stages that create them (null: outside any stage). */
type NewFiles = Map<string, (Stage | null)[]>;

function judge(model: DocModel, workspace: DocWorkspace, lines: LineIndex, reference: Reference, text: string, newFiles: NewFiles): ReferenceVerdict | null {
  const folder = workspace.folder;
  if (reference.form === 'link' && reference.path === '') return sameDocAnchor(model, reference);
  const resolved = folder.resolveReference(reference, workspace.docRelPath);
  if (resolved.kind === 'escapes') return { rule: 'reference-outside-workspace', message: `${resolved.reason}; DocPlan does not read it.` };
  if (resolved.kind === 'unresolvable') return { rule: 'reference-unreadable', message: `${resolved.reason}.` };
  const kind = folder.index.kindOf(resolved.relPath);
  if (reference.form === 'link') {
    if (kind === 'none') {
      const fixes = renameFixes(workspace, reference, text, resolved.relPath);
      return { rule: 'broken-doc-link', message: `The link target ${reference.path} does not exist.${fixes.length > 0 ? ` ${why(fixes[0])}.` : ''}`, fixes };
    }
    if (reference.anchor === null || reference.anchor === '' || /^L\d+/.test(reference.anchor) || kind !== 'file' || !/\.(?:md|markdown|mdx)$/i.test(resolved.relPath)) return null;
    const target = folder.files.text(resolved.absPath);
    if (!target.ok) return null;
    const anchors = anchorsOfMarkdown(target.lines);
    if (anchors.has(normalizeAnchor(reference.anchor))) return null;
    return { rule: 'broken-doc-link', message: `${reference.path} has no heading with the anchor #${reference.anchor}.${suggestAnchor(anchors, reference.anchor)}`, fixes: [] };
  }
  if (kind === 'none') {
    const declaring = newFiles.get(resolved.relPath);
    if (declaring) {
      const pending = declaring.some((stage) => stage === null || !isDone(stage));
      if (pending) return null;
      const stage = declaring.find((candidate) => candidate !== null)!;
      return {
        rule: 'missing-file',
        message: `${reference.path} does not exist, though ${stageLabel(stage)}, which creates it, is marked done.`,
        fixes: renameFixes(workspace, reference, text, resolved.relPath),
        severity: 'error',
      };
    }
    const fixes = renameFixes(workspace, reference, text, resolved.relPath);
    return { rule: 'missing-file', message: `${reference.path} does not exist in the workspace folder.${fixes.length > 0 ? ` ${why(fixes[0])}.` : ''}`, fixes };
  }
  if (reference.line === null) return null;
  if (kind !== 'file') return { rule: 'reference-unreadable', message: `${reference.path} is a directory; a line number needs a file.` };
  const info = folder.files.info(resolved.absPath);
  if (!info.ok) return { rule: 'reference-unreadable', message: `${reference.path}: ${skipText(info.reason)}; its lines are not checked.` };
  const line = reference.line;
  const end = reference.endLine;

  // Where the symbol the doc names is now, when it names one and the file parses.
  let symbolVerdict: ReturnType<typeof symbolCheck> = null;
  if (reference.symbol !== null) symbolVerdict = symbolCheck(workspace, resolved.absPath, reference, lines);
  const drift = driftOf(workspace, resolved.relPath, reference, text);

  const last = end !== null && end >= line ? end : line;
  if (line < 1 || last > info.lineCount) {
    const where = line < 1 ? 'line numbers start at 1' : `${reference.path} has ${info.lineCount} line${info.lineCount === 1 ? '' : 's'}`;
    let newLine: number | null = null;
    let newEnd: number | null = null;
    let hint = '';
    if (symbolVerdict?.kind === 'moved') {
      newLine = symbolVerdict.def.line;
      newEnd = end !== null ? newLine + (end - line) : null;
      hint = ` ${symbolVerdict.symbol} is now at line ${newLine}.`;
    } else if (drift && drift.line >= 1 && drift.line <= info.lineCount) {
      newLine = drift.line;
      newEnd = drift.endLine;
      hint = ` Git shows the referenced line is now line ${newLine}.`;
    }
    if (newEnd !== null && newEnd > info.lineCount) newEnd = null;
    return { rule: 'line-out-of-range', message: `Line ${lineText(line, end)} is past the end: ${where}.${hint}`, newLine, newEnd: end !== null ? newEnd : null };
  }
  if (symbolVerdict?.kind === 'moved') {
    const def = symbolVerdict.def;
    const newLine = def.line;
    let newEnd = end !== null ? newLine + (end - line) : null;
    if (newEnd !== null && newEnd > info.lineCount) newEnd = Math.max(newLine, Math.min(info.lineCount, def.endLine));
    const others = symbolVerdict.count > 1 ? ` (${symbolVerdict.count} definitions match; the nearest is shown)` : '';
    return {
      rule: 'stale-line',
      message: `Line ${line} of ${reference.path} no longer holds ${symbolVerdict.symbol}: it is now at line ${newLine}${others}.`,
      newLine,
      newEnd,
      certain: symbolVerdict.count === 1,
    };
  }
  if (symbolVerdict?.kind === 'gone') {
    return { rule: 'stale-line', message: `${symbolVerdict.symbol} is no longer defined in ${reference.path} (renamed, or moved to another file?).`, newLine: null, newEnd: null, certain: false };
  }
  if (drift && symbolVerdict?.kind !== 'ok-here') {
    const detail = drift.line > line ? 'lines were inserted above it' : 'lines were deleted above it';
    return {
      rule: 'line-drift',
      message: `The referenced line has moved to ${lineText(drift.line, drift.endLine ?? null)} since this doc was last committed (${drift.commit}): ${detail}.`,
      newLine: drift.line,
      newEnd: end !== null ? drift.endLine : null,
    };
  }
  return null;
}

function skipText(reason: string): string {
  switch (reason) {
    case 'binary':
      return 'a binary file';
    case 'too-large':
      return 'too large to read';
    case 'not-a-file':
      return 'not a regular file';
    default:
      return 'cannot be read';
  }
}

/** The symbol check, or null when nothing can be said (no symbols yet, a skipped file, a vague symbol). */
function symbolCheck(
  workspace: DocWorkspace,
  absPath: string,
  reference: Reference,
  lines: LineIndex,
): { kind: 'ok-here' } | { kind: 'moved'; def: SymbolDef; count: number; symbol: string } | { kind: 'gone'; symbol: string } | null {
  const symbols = workspace.folder.symbols.get(absPath);
  if (!symbols || !symbols.ok || reference.line === null || reference.symbol === null) return null;
  const symbol = normalizeSymbol(reference.symbol);
  const verdict = checkSymbolAtLine(symbols, symbol, reference.line, reference.endLine);
  if (verdict.status === 'ok') return { kind: 'ok-here' };
  if (verdict.status === 'moved') {
    // A bare-name match on a qualified symbol is a guess: only say "moved" when the name is unique.
    if (verdict.match === 'name' && verdict.definitions.length > 1) return null;
    return { kind: 'moved', def: verdict.definitions[0], count: verdict.definitions.length, symbol };
  }
  // Not defined at all: only say so when the doc clearly named code (a call, a dotted name, backticks, a
  // code-block header) and a real parser read the file; a capitalised prose word must not be flagged.
  if (symbols.parser !== 'tree-sitter') return null;
  if (reference.form === 'code-header') return { kind: 'gone', symbol };
  const after = lines.text.slice(lines.offsetAt(reference.range.end), lines.offsetAt(reference.range.end) + 200).split('\n')[0];
  const at = after.indexOf(reference.symbol);
  const written = at < 0 ? '' : after.slice(Math.max(0, at - 1), at + reference.symbol.length + 2);
  const codeLike = symbol.includes('.') || symbol.includes('_') || written.endsWith('()') || written.slice(reference.symbol.length + 1).startsWith('(') || (written.startsWith('`') && written.charAt(reference.symbol.length + 1) === '`');
  return codeLike ? { kind: 'gone', symbol } : null;
}

/** The git drift of a committed reference, or null. */
function driftOf(workspace: DocWorkspace, relPath: string, reference: Reference, text: string): { line: number; endLine: number | null; commit: string } | null {
  const git = workspace.folder.git;
  if (!git || reference.line === null) return null;
  const history = git.history(workspace.docAbsPath);
  if (history === undefined || isUnknown(history)) return null;
  if (!referenceWasCommitted(history, text)) return null;
  const drift = git.drift(workspace.docAbsPath, relPath, reference.line, reference.endLine);
  if (!drift || isUnknown(drift) || drift.status !== 'moved') return null;
  return { line: drift.line, endLine: drift.endLine, commit: history.commit.slice(0, 7) };
}

/** The edit that replaces the line number(s) at the end of a reference's text. */
export function lineNumberEdit(reference: Reference, text: string, newLine: number, newEnd: number | null): TextEdit | null {
  const match = /(?::(\d+)(?:-(\d+))?|#L(\d+)(?:-L?(\d+))?)$/.exec(text);
  if (!match) return null;
  const anchor = match[0].startsWith('#');
  const replacement = anchor ? `#L${newLine}${newEnd !== null && newEnd !== newLine ? `-L${newEnd}` : ''}` : `:${newLine}${newEnd !== null ? `-${Math.max(newEnd, newLine)}` : ''}`;
  if (replacement === match[0]) return null;
  const start = reference.range.start;
  if (reference.range.start.line !== reference.range.end.line) return null;
  return {
    range: { start: { line: start.line, character: start.character + match.index }, end: reference.range.end },
    newText: replacement,
  };
}

/** A fix replacing a missing path with where it went: git's rename first (certain), else a unique basename. */
function renameFixes(workspace: DocWorkspace, reference: Reference, text: string, relPath: string): Fix[] {
  const folder = workspace.folder;
  const renamed = folder.git?.renamedTo(workspace.docAbsPath, relPath) ?? null;
  let target: string | null = null;
  let certain = false;
  if (renamed && folder.index.kindOf(renamed) === 'file') {
    target = renamed;
    certain = true;
  } else {
    target = folder.index.uniqueByBasename(basenameOf(relPath), relPath);
  }
  if (target === null) return [];
  const written = reference.form === 'link' ? linkPath(workspace.docRelPath, target) : target;
  const rawPathLength = reference.form === 'link' ? (text.indexOf('#') === -1 ? text.length : text.indexOf('#')) : reference.path.length;
  if (reference.range.start.line !== reference.range.end.line || !text.startsWith(reference.form === 'link' ? text.slice(0, rawPathLength) : reference.path)) return [];
  const start = reference.range.start;
  const edits: TextEdit[] = [{ range: { start, end: { line: start.line, character: start.character + rawPathLength } }, newText: written }];
  // The file may also have moved lines since the doc was committed: follow those too.
  let suffix = '';
  if (reference.line !== null) {
    const drift = driftOf(workspace, relPath, reference, text);
    if (drift) {
      const lineEdit = lineNumberEdit(reference, text, drift.line, reference.endLine !== null ? drift.endLine : null);
      if (lineEdit) {
        edits.push(lineEdit);
        suffix = ` (line ${lineText(drift.line, reference.endLine !== null ? drift.endLine : null)})`;
      }
    }
  }
  const why = certain ? `git shows it was renamed to ${target}` : `the only file named ${basenameOf(target)} is ${target}`;
  return [{ title: `Replace with ${written}${suffix} (${why})`, edits, fixAll: certain, preferred: true }];
}

/** A doc-relative link path to a folder-relative target. */
function linkPath(docRelPath: string, target: string): string {
  const rel = posix.relative(docDirOf(docRelPath), target) || basenameOf(target);
  return rel.replace(/ /g, '%20');
}

// ---------------------------------------------------------------------------------------------------------
// New files

const NEW_ON_LINE = /\((?:new(?: file)?|to be created|to create|created in this (?:stage|plan))\)|\bNEW\b|\bnew file\b|\[new\]/i;
const CREATE_ITEM = /^\s*(?:\*\*)?(?:create|add(?: a)?(?: new)?(?: file)?|new(?: file)?|write|introduce|scaffold|generate)\b[^`]*$/i;
const NEW_CELL = /^\s*(?:new|create|created|add|added|new file)\s*$/i;

/** Files the doc says it will create: `(new file)`, `NEW`, a "Create `x`" change item, a New table cell. */
function newFileDeclarations(model: DocModel, workspace: DocWorkspace, lines: LineIndex): NewFiles {
  const declared: NewFiles = new Map();
  const stages = flattenStages(model.stages);
  for (const reference of model.references) {
    if (reference.form === 'link') continue;
    const line = reference.range.start.line;
    const lineText = lines.lineText(line);
    const before = lineText.slice(0, reference.range.start.character);
    let isNew = NEW_ON_LINE.test(lineText.replace(/`[^`]*`/g, ''));
    if (!isNew && lineText.trimStart().startsWith('|')) {
      isNew = lineText.split('|').some((cell) => NEW_CELL.test(cell));
    }
    if (!isNew) {
      // "Create `x`": the item's words before the reference are a creating verb and nothing else in code.
      const marker = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/.exec(before);
      if (marker) isNew = CREATE_ITEM.test(before.slice(marker[0].length).replace(/`$/, ''));
    }
    if (!isNew) continue;
    const resolved = workspace.folder.resolveReference(reference, workspace.docRelPath);
    if (resolved.kind !== 'inside') continue;
    const stage = innermostStage(stages, line);
    const list = declared.get(resolved.relPath) ?? [];
    list.push(stage);
    declared.set(resolved.relPath, list);
  }
  return declared;
}

function flattenStages(stages: readonly Stage[]): Stage[] {
  return stages.flatMap((stage) => [stage, ...flattenStages(stage.children)]);
}

function innermostStage(stages: readonly Stage[], line: number): Stage | null {
  let found: Stage | null = null;
  for (const stage of stages) {
    if (stage.range.start.line <= line && line <= stage.range.end.line) {
      if (found === null || stage.range.start.line >= found.range.start.line) found = stage;
    }
  }
  return found;
}

function isDone(stage: Stage): boolean {
  return stage.mark === 'done' || stage.state === 'done';
}

function stageLabel(stage: Stage): string {
  return `${stage.label} ${stage.number}`;
}

// ---------------------------------------------------------------------------------------------------------
// Heading anchors

/** GitHub's heading slug: lower case, punctuation dropped, spaces to dashes. */
export function headingSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Plain text of inline Markdown in a heading (code ticks, emphasis and link syntax removed). */
function plainHeading(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__|\*|_(?=\S)|~~)/g, (match, _g, offset: number, whole: string) => (match === '_' && /\w/.test(whole[offset - 1] ?? '') ? match : ''));
}

function normalizeAnchor(anchor: string): string {
  let decoded = anchor;
  try {
    decoded = decodeURIComponent(anchor);
  } catch {
    // keep as written
  }
  return decoded.toLowerCase();
}

/** Slugs of a list of heading texts, with GitHub's `-1`, `-2` suffixes for repeats. */
function slugSet(texts: readonly string[], extra: readonly string[] = []): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>(extra.map((anchor) => anchor.toLowerCase()));
  for (const text of texts) {
    const slug = headingSlug(plainHeading(text));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    out.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return out;
}

/** Anchors of a Markdown file's headings (ATX and setext, outside fences) and explicit `id`/`name` anchors. */
export function anchorsOfMarkdown(fileLines: readonly string[]): Set<string> {
  const headings: string[] = [];
  const explicit: string[] = [];
  let fence: string | null = null;
  for (let i = 0; i < fileLines.length; i++) {
    const line = fileLines[i];
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1][0].repeat(fenceMatch[1].length);
      else if (fenceMatch[1].startsWith(fence)) fence = null;
      continue;
    }
    if (fence !== null) continue;
    for (const match of line.matchAll(/<a\s[^>]*(?:name|id)\s*=\s*["']([^"']+)["']/gi)) explicit.push(match[1]);
    const atx = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (atx) {
      headings.push(atx[1]);
      continue;
    }
    const next = fileLines[i + 1];
    if (next !== undefined && line.trim() !== '' && /^\s{0,3}(?:=+|-+)\s*$/.test(next) && !/^\s*(?:[-*+]\s|\d+[.)]\s|>|\|)/.test(line)) {
      headings.push(line.trim());
      i++;
    }
  }
  return slugSet(headings, explicit);
}

function anchorsOfModel(model: DocModel): Set<string> {
  const headings = model.headings.filter((heading: Heading) => !heading.pseudo).map((heading) => heading.text);
  const explicit = [...model.text.matchAll(/<a\s[^>]*(?:name|id)\s*=\s*["']([^"']+)["']/gi)].map((match) => match[1]);
  return slugSet(headings, explicit);
}

function sameDocAnchor(model: DocModel, reference: Reference): ReferenceVerdict | null {
  if (reference.anchor === null || reference.anchor === '' || /^L\d+/.test(reference.anchor)) return null;
  const anchors = anchorsOfModel(model);
  if (anchors.has(normalizeAnchor(reference.anchor))) return null;
  return { rule: 'broken-doc-link', message: `This document has no heading with the anchor #${reference.anchor}.${suggestAnchor(anchors, reference.anchor)}`, fixes: [] };
}

function suggestAnchor(anchors: Set<string>, anchor: string): string {
  const wanted = normalizeAnchor(anchor);
  const close = [...anchors].find((candidate) => candidate.includes(wanted) || wanted.includes(candidate));
  return close && close !== '' ? ` Did you mean #${close}?` : '';
}

/** The reason in a rename fix's title, as a sentence start ("Git shows it was renamed to x"). */
function why(fix: Fix): string {
  const reason = /\(([^()]*)\)$/.exec(fix.title)?.[1] ?? '';
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}
