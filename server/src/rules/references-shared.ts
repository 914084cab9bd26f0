/**
 * One analysis of a document's file references, shared by the reference rules (`missing-file`,
 * `file-not-deleted`, `line-out-of-range`, `stale-line`, `line-drift`, `broken-doc-link`,
 * `reference-outside-workspace`, `reference-unreadable`) and the navigation features.
 *
 * The model holds reference *candidates* (anything shaped like a path); `resolveReferenceTarget` decides
 * which of them name files of this workspace, so `isize/usize` or `k8s.io/api` never reach a rule. Each
 * reference then gets exactly one verdict, so that two rules never report the same reference with
 * competing fixes: escapes and unreadable files first, then the doc's intent (files it creates or
 * deletes), missing files and links, then the line checks (out-of-range > symbol > content drift).
 *
 * The analysis reads the prepared workspace synchronously (`FolderWorkspace.prepare` ran before the check)
 * and is memoised for the rest of the current synchronous check (every rule of one `checkModel` call asks
 * for it; the memo is dropped in the next microtask, so a later check always sees fresh files).
 */
import { posix } from 'node:path';
import type { TextEdit } from 'vscode-languageserver-types';
import type { DocModel, Reference, Stage } from '../model/types';
import type { LineIndex } from '../model/text';
import { fileIntent, flattenStages, innermostStage, isStageDone, stageLabel, type FileIntentKind } from '../model/referenceIntent';
import { anchorsOfMarkdown, explicitAnchors, headingSlug, normalizeAnchor, slugSet, suggestAnchor } from '../workspace/anchors';
import { basenameOf } from '../workspace/fileIndex';
import { decodeLinkPath, docDirOf } from '../workspace/paths';
import { basesOf, type ReferenceTarget } from '../workspace/referenceTarget';
import type { DocWorkspace } from '../workspace/workspace';
import { contentDrift, judgeLines, lineText, relocationEdit } from './referenceLines';
import { workStateAt } from '../claims/record';
import { isHistory } from './referenceHistory';
import { notRotShape } from './missingPathShapes';
import { landedAs } from '../claims/verify';
import type { Fix, RuleContext } from './types';

export { anchorsOfMarkdown, headingSlug } from '../workspace/anchors';

/** What is wrong with one reference (at most one verdict per reference). */
export type ReferenceVerdict =
  | { rule: 'reference-outside-workspace'; message: string }
  | { rule: 'reference-unreadable'; message: string }
  | { rule: 'missing-file'; message: string; fixes: Fix[]; severity?: 'error' }
  | { rule: 'file-not-deleted'; message: string }
  | { rule: 'broken-doc-link'; message: string; fixes: Fix[] }
  /** `because` completes the fix title: "Update the reference to line 12 (where `def run` is now)". */
  | { rule: 'line-out-of-range'; message: string; newLine: number | null; newEnd: number | null; because: string }
  /** `newPath`: the content is now in another file (the fix rewrites path and line). */
  | { rule: 'stale-line'; message: string; newLine: number | null; newEnd: number | null; certain: boolean; because: string; newPath?: string }
  | { rule: 'line-drift'; message: string; newLine: number; newEnd: number | null; because: string };

/** A reference with what it names and its verdict. */
export interface AnalyzedReference {
  reference: Reference;
  /** The reference as written in the doc. */
  text: string;
  /** What it names (links: `found`, `missing` or `none` for same-document anchors). */
  target: ReferenceTarget;
  verdict: ReferenceVerdict | null;
  /** The edit that updates its line number(s), when the verdict proposes a new line. */
  lineEdit: TextEdit | null;
}

/** The analysis of a document's references. */
export interface ReferenceAnalysis {
  items: AnalyzedReference[];
  /** "Update every line number in this document" (null when fewer than two line edits exist). */
  fixEverything: Fix | null;
  /** Folder-relative paths the doc says it creates (`Create:`, "(new file)", ...), whatever their stage. */
  createdPaths: ReadonlySet<string>;
}

/** The analysis of `model`'s references against the check's workspace, done once per check (the rules share it). */
export function analyzeReferences(model: DocModel, context: RuleContext, workspace: DocWorkspace): ReferenceAnalysis {
  return context.shared('references', () => analyze(model, workspace, context));
}

/** Runs `check` for one rule id: reports each verdict of that rule. */
export function reportVerdicts(model: DocModel, context: RuleContext, rule: ReferenceVerdict['rule']): void {
  const workspace = context.workspace;
  if (workspace === null) return;
  const analysis = analyzeReferences(model, context, workspace);
  for (const item of analysis.items) {
    const verdict = item.verdict;
    if (verdict === null || verdict.rule !== rule) continue;
    const fixes: Fix[] = [];
    if ('fixes' in verdict) fixes.push(...verdict.fixes);
    if (item.lineEdit && 'newLine' in verdict && verdict.newLine !== null) {
      const certain = verdict.rule !== 'stale-line' || verdict.certain;
      const to = lineText(verdict.newLine, verdict.newEnd);
      const why = verdict.because === '' ? '' : ` (${verdict.because})`;
      const title = 'newPath' in verdict && verdict.newPath !== undefined ? `Replace with ${item.lineEdit.newText}${why}` : `Update the reference to line${to.includes('-') ? 's' : ''} ${to}${why}`;
      fixes.push({ title, edits: [item.lineEdit], fixAll: certain, preferred: true });
      if (analysis.fixEverything) fixes.push(analysis.fixEverything);
    }
    // A done stage's missing file is an error, unless the user configured the rule's severity.
    const escalate = 'severity' in verdict && verdict.severity !== undefined && context.config.rules[rule]?.severity === undefined;
    context.report({ message: verdict.message, range: item.reference.range, fixes, severity: escalate ? verdict.severity : undefined });
  }
}

/** What a reference candidate names in the document's workspace folder (links resolve relative to the doc). */
export function targetOf(workspace: DocWorkspace, reference: Reference): ReferenceTarget {
  const folder = workspace.folder;
  if (reference.form !== 'link') return folder.referenceTarget(reference, workspace.docRelPath);
  if (reference.path === '') return { kind: 'none' };
  const resolved = folder.resolveReference(reference, workspace.docRelPath);
  if (resolved.kind !== 'inside') return resolved;
  const fileKind = folder.index.kindOf(resolved.relPath);
  if (fileKind !== 'none') return { kind: 'found', absPath: resolved.absPath, relPath: resolved.relPath, fileKind, how: 'beside-doc' };
  // Editor and agent plans (`.cursor/plans/`) link from their project's root, as their tools render them.
  const bases = basesOf(workspace.docRelPath);
  if (bases.length > 2 && !/^(?:\/|\.\.?\/)/.test(reference.path)) {
    const fromProject = folder.resolver.resolve(decodeLinkPath(reference.path), { docDir: bases[1] });
    if (fromProject.kind === 'inside' && folder.index.kindOf(fromProject.relPath) !== 'none') {
      return { kind: 'found', absPath: fromProject.absPath, relPath: fromProject.relPath, fileKind: folder.index.kindOf(fromProject.relPath) as 'file' | 'dir', how: 'root' };
    }
  }
  // `./failure_policy`, `/docs/quick-start`: site routes of a docs generator, not files (LICENSE is a file).
  const name = basenameOf(resolved.relPath);
  if (!/\.[A-Za-z][\w-]*$/.test(name) && !/^[A-Z][A-Z0-9_-]*$/.test(name)) return { kind: 'none' };
  const dir = docDirOf(workspace.docRelPath);
  return { kind: 'missing', relPath: resolved.relPath, looked: dir === '' ? 'looked in the workspace root' : `looked relative to ${dir}/`, nearest: null };
}

// ---------------------------------------------------------------------------------------------------------

/** What the doc intends for one folder-relative path, from every reference that states an intent. */
interface PathIntent {
  kind: FileIntentKind;
  stage: Stage | null;
  reference: Reference;
  /** The task box on the reference's line: ticked, open, or none. */
  ticked: boolean | null;
}

function analyze(model: DocModel, workspace: DocWorkspace, context: RuleContext): ReferenceAnalysis {
  const { lines } = context;
  const stages = flattenStages(model.stages);
  const prepared: { reference: Reference; text: string; target: ReferenceTarget; intent: FileIntentKind | null }[] = [];
  const intents = new Map<string, PathIntent[]>();
  for (const reference of model.references) {
    const text = lines.text.slice(lines.offsetAt(reference.range.start), lines.offsetAt(reference.range.end));
    let target: ReferenceTarget = { kind: 'none' };
    let intent: FileIntentKind | null = null;
    try {
      // A plan names the same files again and again: the folder remembers what each written form names.
      target = targetOf(workspace, reference);
      if (reference.form !== 'link' && (target.kind === 'found' || target.kind === 'missing')) intent = fileIntent(model, lines, reference);
    } catch {
      target = { kind: 'none' }; // One odd reference must not hide the others.
    }
    if (intent !== null && (target.kind === 'found' || target.kind === 'missing')) {
      const list = intents.get(target.relPath) ?? [];
      list.push({ kind: intent, stage: innermostStage(stages, reference.range.start.line), reference, ticked: boxAt(model, lines, reference.range.start.line) });
      intents.set(target.relPath, list);
    }
    prepared.push({ reference, text, target, intent });
  }
  const items: AnalyzedReference[] = [];
  for (const { reference, text, target, intent } of prepared) {
    let verdict: ReferenceVerdict | null = null;
    try {
      verdict = judge(model, workspace, context, reference, text, target, intent, intents);
    } catch {
      verdict = null;
    }
    let lineEdit: TextEdit | null = null;
    if (verdict && 'newPath' in verdict && verdict.newPath !== undefined && verdict.newLine !== null) lineEdit = relocationEdit(reference, text, verdict.newPath, verdict.newLine, verdict.newEnd);
    else if (verdict && 'newLine' in verdict && verdict.newLine !== null) lineEdit = lineNumberEdit(reference, text, verdict.newLine, verdict.newEnd);
    items.push({ reference, text, target, verdict, lineEdit });
  }
  const edits = items.flatMap((item) => (item.lineEdit ? [item.lineEdit] : []));
  const fixEverything: Fix | null = edits.length >= 2 ? { title: `Update all ${edits.length} outdated line numbers in this document`, edits, fixAll: false } : null;
  const createdPaths = new Set([...intents].filter(([, stated]) => stated.some((entry) => entry.kind === 'create')).map(([path]) => path));
  return { items, fixEverything, createdPaths };
}

function judge(
  model: DocModel,
  workspace: DocWorkspace,
  context: RuleContext,
  reference: Reference,
  text: string,
  target: ReferenceTarget,
  intent: FileIntentKind | null,
  intents: Map<string, PathIntent[]>,
): ReferenceVerdict | null {
  if (reference.form === 'link') return judgeLink(model, workspace, context, reference, text, target);
  switch (target.kind) {
    case 'none':
      return null;
    case 'escapes':
      return { rule: 'reference-outside-workspace', message: `${target.reason}; DocPlan does not read it.` };
    case 'unresolvable':
      return { rule: 'reference-unreadable', message: `${target.reason}.` };
    case 'ambiguous':
      return judgeAmbiguous(workspace, reference, target.matches);
    case 'missing':
      return judgeMissing(model, workspace, context, reference, text, target, intents.get(target.relPath) ?? []);
    case 'found': {
      const stated = intents.get(target.relPath) ?? [];
      if (intent === 'delete') {
        const done = stated.find((entry) => entry.kind === 'delete' && entry.reference === reference)?.stage ?? null;
        if (done !== null && isStageDone(done)) {
          return { rule: 'file-not-deleted', message: `${target.relPath} still exists, though ${stageLabel(done)}, which deletes it, is marked done.` };
        }
        return null;
      }
      if (target.fileKind === 'dir') return reference.line === null ? null : { rule: 'reference-unreadable', message: `${target.relPath} is a directory; a line number needs a file.` };
      return judgeLines(workspace, context.lines, reference, text, target.relPath, target.absPath, model);
    }
  }
}

function judgeMissing(
  model: DocModel,
  workspace: DocWorkspace,
  context: RuleContext,
  reference: Reference,
  text: string,
  target: Extract<ReferenceTarget, { kind: 'missing' }>,
  stated: PathIntent[],
): ReferenceVerdict | null {
  const { lines } = context;
  if (stated.some((entry) => entry.kind === 'delete')) return null;
  const creating = stated.filter((entry) => entry.kind === 'create');
  if (notRotShape(context, workspace, reference, target.relPath) !== null) return null;
  if (isHistory(model, workspace, lines, reference, [target.relPath])) return null;
  // Finished work whose file never existed but whose work sits beside it under a neighbouring name.
  const past = workspace.folder.pathHistory?.past(target.relPath);
  if (past?.kind !== 'existed' && landedAs(workspace.folder, target.relPath, model.kind !== 'design') !== null && workStateAt(model, lines, reference.range.start.line) === 'finished') return null;
  // Without history: a record of finished work names files as they were then; a file git saw renamed
  // since the doc was committed is history, not rot.
  const renamed = workspace.folder.git?.renamedTo(workspace.docAbsPath, target.relPath) ?? null;
  const known = workspace.folder.pathHistory?.past(target.relPath);
  if (renamed !== null && (known === undefined || known.kind === 'unknown') && model.kind !== 'design' && workStateAt(model, lines, reference.range.start.line) === 'finished') return null;
  const fixes = renameFixes(workspace, reference, text, target.relPath);
  if (creating.length > 0) {
    // The work that creates it is done when its task is ticked, or (without a box) its stage is marked done.
    const pending = (entry: PathIntent) => entry.ticked === false || (entry.ticked === null && (entry.stage === null || !isStageDone(entry.stage)));
    if (creating.some(pending)) return null;
    // A ticked task is the nearer claim: its words stay true whether or not its stage's mark does.
    const stage = creating[0].stage;
    const claim = creating.some((entry) => entry.ticked === true) || stage === null || !isStageDone(stage) ? 'the task that creates it is ticked' : `${stageLabel(stage)}, which creates it, is marked done`;
    return { rule: 'missing-file', message: `${target.relPath} does not exist, though ${claim}.`, fixes, severity: 'error' };
  }
  const where =
    target.nearest === null ? '' : `: ${target.nearest === '' ? 'the workspace root' : `${target.nearest}/`} has no ${target.relPath.slice(target.nearest === '' ? 0 : target.nearest.length + 1)}`;
  const found = fixes.length > 0 ? ` ${why(fixes[0])}.` : '';
  return { rule: 'missing-file', message: `${target.relPath} does not exist${where} (${target.looked}).${found}`, fixes };
}

const BOX = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]/;

/**
 * The box that governs a line: its own, or that of the innermost list item holding it (a `- Create \`x\``
 * sub-bullet of `- [ ]* 1.3 Write the test`), read from the item's first line so that an optional task's
 * `[ ]*`, which GFM does not take for a box, counts too. Null when no item with a box holds the line.
 */
function boxAt(model: DocModel, lines: LineIndex, line: number): boolean | null {
  const own = BOX.exec(lines.lineText(line));
  if (own) return own[1] !== ' ';
  let holder: { start: number; checked: boolean } | null = null;
  for (const item of model.items) {
    const start = item.range.start.line;
    if (start > line || item.range.end.line < line || (holder !== null && start <= holder.start)) continue;
    const box = BOX.exec(lines.lineText(start));
    if (box) holder = { start, checked: box[1] !== ' ' };
  }
  return holder?.checked ?? null;
}

/** A bare name several files carry: a line number past the end of every one of them is still a finding. */
function judgeAmbiguous(workspace: DocWorkspace, reference: Reference, matches: string[]): ReferenceVerdict | null {
  if (reference.line === null) return null;
  const last = reference.endLine !== null && reference.endLine >= reference.line ? reference.endLine : reference.line;
  const counts: string[] = [];
  for (const relPath of matches) {
    const resolved = workspace.folder.resolver.physical(relPath);
    if (resolved.kind !== 'inside') return null;
    const info = workspace.folder.files.info(resolved.absPath);
    if (!info.ok || last <= info.lineCount) return null;
    counts.push(`${relPath} has ${info.lineCount}`);
  }
  const what = reference.endLine !== null && reference.endLine > reference.line ? `Lines ${reference.line}-${reference.endLine} run` : `Line ${reference.line} is`;
  const shown = counts.length > 4 ? [...counts.slice(0, 4), `${counts.length - 4} more`] : counts;
  return { rule: 'line-out-of-range', message: `${what} past the end of every file named ${basenameOf(matches[0])} (${shown.join(', ')}).`, newLine: null, newEnd: null, because: '' };
}

function judgeLink(model: DocModel, workspace: DocWorkspace, context: RuleContext, reference: Reference, text: string, target: ReferenceTarget): ReferenceVerdict | null {
  const { lines } = context;
  if (reference.path === '') return sameDocAnchor(model, reference);
  if (target.kind === 'escapes' || target.kind === 'unresolvable') return null;
  if (target.kind === 'missing') {
    // A tool-written link to the doc itself, from the repository root (`specs/x/plan.md` inside specs/x/plan.md).
    const fromRoot = workspace.folder.resolver.resolve(decodeLinkPath(reference.path));
    if (fromRoot.kind === 'inside' && fromRoot.relPath === workspace.docRelPath) return null;
    if (notRotShape(context, workspace, reference, target.relPath) === 'inside a git submodule') return null;
    const fromProject = workspace.folder.projectLinkPath(reference, workspace.docRelPath);
    if (isHistory(model, workspace, lines, reference, fromProject === null ? [target.relPath] : [target.relPath, fromProject])) return null;
    const fixes = renameFixes(workspace, reference, text, target.relPath);
    return { rule: 'broken-doc-link', message: `The link target ${reference.path} does not exist (${target.looked}).${fixes.length > 0 ? ` ${why(fixes[0])}.` : ''}`, fixes };
  }
  if (target.kind !== 'found' || target.fileKind !== 'file') return null;
  if (reference.anchor === null || reference.anchor === '' || /^L\d+/.test(reference.anchor) || !/\.(?:md|markdown|mdx)$/i.test(target.relPath)) return null;
  const file = workspace.folder.files.text(target.absPath);
  if (!file.ok) return null;
  const anchors = anchorsOfMarkdown(file.lines);
  if (anchors.has(normalizeAnchor(reference.anchor)) || anchors.has(headingSlug(decodedAnchor(reference.anchor)))) return null;
  return { rule: 'broken-doc-link', message: `${target.relPath} has no heading with the anchor #${reference.anchor}.${suggestAnchor(anchors, reference.anchor)}`, fixes: [] };
}

function sameDocAnchor(model: DocModel, reference: Reference): ReferenceVerdict | null {
  if (reference.anchor === null || reference.anchor === '' || /^L\d+/.test(reference.anchor)) return null;
  // Model headings hold their rendered text already (code spans verbatim, emphasis gone).
  const headings = model.headings.filter((heading) => !heading.pseudo).map((heading) => heading.text);
  const anchors = slugSet(headings, explicitAnchors(model.text), true);
  if (anchors.has(normalizeAnchor(reference.anchor))) return null;
  return { rule: 'broken-doc-link', message: `This document has no heading with the anchor #${reference.anchor}.${suggestAnchor(anchors, reference.anchor)}`, fixes: [] };
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
  const past = folder.pathHistory?.past(relPath);
  const renamed = folder.git?.renamedTo(workspace.docAbsPath, relPath) ?? (past?.kind === 'existed' ? past.renamedTo : null);
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
  // The file may also have moved lines since the doc was committed: follow the content too.
  let suffix = '';
  if (reference.line !== null && certain) {
    const drift = contentDrift(workspace, relPath, reference, text);
    if (drift?.status === 'moved') {
      const newEnd = reference.endLine !== null ? drift.endLine : null;
      const lineEdit = lineNumberEdit(reference, text, drift.line, newEnd);
      if (lineEdit) {
        edits.push(lineEdit);
        suffix = ` (line ${lineText(drift.line, newEnd)})`;
      }
    }
  }
  const reason = certain ? `git shows it was renamed to ${target}` : `the only file named ${basenameOf(target)} is ${target}`;
  return [{ title: `Replace with ${written}${suffix} (${reason})`, edits, fixAll: certain, preferred: true }];
}

/** A doc-relative link path to a folder-relative target. */
function linkPath(docRelPath: string, target: string): string {
  const rel = posix.relative(docDirOf(docRelPath), target) || basenameOf(target);
  return rel.replace(/ /g, '%20');
}

/** The reason in a rename fix's title, as a sentence start ("Git shows it was renamed to x"). */
function why(fix: Fix): string {
  const reason = /\(([^()]*)\)$/.exec(fix.title)?.[1] ?? '';
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}

/** `Epic%201%20-%20Router`: a heading's own text, percent-encoded (Obsidian and VS Code heading links). */
function decodedAnchor(anchor: string): string {
  try {
    return decodeURIComponent(anchor);
  } catch {
    return anchor;
  }
}
