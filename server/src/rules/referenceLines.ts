/**
 * The line checks of a reference to an existing file (part of the shared reference analysis): past the
 * end, the named symbol moved or gone, and content-anchored drift since the doc was last committed. Each
 * reference gets at most one verdict, and a message speaks of one finding only.
 */
import type { DocModel, Reference } from '../model/types';
import type { LineIndex } from '../model/text';
import { driftByContent, quoteLine, type ContentDrift } from '../workspace/drift';
import { referenceWasCommitted, isUnknown } from '../workspace/git';
import { checkSymbolAtLine, normalizeSymbol, type SymbolDef } from '../workspace/symbols';
import type { DocWorkspace } from '../workspace/workspace';
import type { ReferenceVerdict } from './references-shared';
import { inFinishedRecord } from './finishedRecord';

/** `12` or `12-20`. */
export function lineText(line: number | null, end: number | null): string {
  return end !== null && line !== null && end !== line ? `${line}-${end}` : String(line);
}

/** "line 12" or "lines 12-20". */
export function linesWord(line: number, end: number | null): string {
  return end !== null && end !== line ? `lines ${line}-${end}` : `line ${line}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The line verdict of a reference to the existing file `relPath` (null: fine, or nothing can be said).
 * Drift and changed lines in a record of finished work (`finishedRecord.ts`) are history, not findings.
 */
export function judgeLines(workspace: DocWorkspace, lines: LineIndex, reference: Reference, text: string, relPath: string, absPath: string, model?: DocModel): ReferenceVerdict | null {
  const verdict = lineVerdict(workspace, lines, reference, text, relPath, absPath);
  if (verdict !== null && model !== undefined && (verdict.rule === 'line-drift' || verdict.rule === 'stale-line') && inFinishedRecord(model, lines, reference, workspace)) return null;
  return verdict;
}

function lineVerdict(workspace: DocWorkspace, lines: LineIndex, reference: Reference, text: string, relPath: string, absPath: string): ReferenceVerdict | null {
  if (reference.line === null) return null;
  const folder = workspace.folder;
  const info = folder.files.info(absPath);
  if (!info.ok) return { rule: 'reference-unreadable', message: `${relPath}: ${skipText(info.reason)}; its lines are not checked.` };
  const line = reference.line;
  const end = reference.endLine !== null && reference.endLine >= line ? reference.endLine : null;
  const symbolVerdict = reference.symbol !== null ? symbolCheck(workspace, absPath, reference, lines) : null;
  const last = end ?? line;

  if (line < 1 || last > info.lineCount) {
    const message =
      line < 1
        ? `Line ${line} does not exist: line numbers start at 1.`
        : end !== null && line <= info.lineCount
          ? `Lines ${line}-${end} run past the end of ${relPath}, which has ${plural(info.lineCount, 'line')}.`
          : `${end !== null ? `Lines ${line}-${end} are` : `Line ${line} is`} past the end of ${relPath}, which has ${plural(info.lineCount, 'line')}.`;
    let newLine: number | null = null;
    let newEnd: number | null = null;
    let because = '';
    if (symbolVerdict?.kind === 'moved') {
      newLine = symbolVerdict.def.line;
      newEnd = end !== null ? Math.min(info.lineCount, newLine + (end - line)) : null;
      because = `where ${symbolVerdict.symbol} is now`;
    } else {
      const drift = contentDrift(workspace, relPath, reference, text);
      if (drift?.status === 'moved' && drift.line <= info.lineCount) {
        newLine = drift.line;
        newEnd = end !== null ? Math.min(info.lineCount, drift.endLine ?? drift.line) : null;
        because = `where ${quoteLine(drift.anchor)} is now`;
      }
    }
    return { rule: 'line-out-of-range', message, newLine, newEnd, because };
  }
  if (symbolVerdict?.kind === 'moved') {
    const def = symbolVerdict.def;
    const newLine = def.line;
    let newEnd = end !== null ? newLine + (end - line) : null;
    if (newEnd !== null && newEnd > info.lineCount) newEnd = Math.max(newLine, Math.min(info.lineCount, def.endLine));
    const others = symbolVerdict.count > 1 ? ` (${symbolVerdict.count} definitions match; the nearest is shown)` : '';
    return {
      rule: 'stale-line',
      message: `Line ${line} of ${relPath} no longer holds ${symbolVerdict.symbol}: it is now at line ${newLine}${others}.`,
      newLine,
      newEnd,
      certain: symbolVerdict.count === 1,
      because: `where ${symbolVerdict.symbol} is now`,
    };
  }
  if (symbolVerdict?.kind === 'gone') {
    return { rule: 'stale-line', message: `${symbolVerdict.symbol} is no longer defined in ${relPath} (renamed, or moved to another file?).`, newLine: null, newEnd: null, certain: false, because: '' };
  }
  if (symbolVerdict?.kind === 'ok-here') return null;
  const drift = contentDrift(workspace, relPath, reference, text);
  if (drift === null) return null;
  if (drift.status === 'moved') {
    const shift = drift.line - line;
    const detail = shift > 0 ? `${plural(shift, 'line')} were inserted above it` : `${plural(-shift, 'line')} were removed above it`;
    return {
      rule: 'line-drift',
      message: `${quoteLine(drift.anchor)} has moved from ${linesWord(line, end)} to ${lineText(drift.line, end !== null ? drift.endLine : null)} of ${relPath} since this doc was last committed: ${detail}.`,
      newLine: drift.line,
      newEnd: end !== null ? drift.endLine : null,
      because: `where ${quoteLine(drift.anchor)} is now`,
    };
  }
  if (drift.status === 'changed') {
    return {
      rule: 'stale-line',
      message: `Line ${line} of ${relPath} changed since the doc was written: it read ${quoteLine(drift.was)}; in its place there is now ${quoteLine(drift.now)}.`,
      newLine: null,
      newEnd: null,
      certain: false,
      because: '',
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

type SymbolVerdict = { kind: 'ok-here' } | { kind: 'moved'; def: SymbolDef; count: number; symbol: string } | { kind: 'gone'; symbol: string } | null;

/** The symbol check, or null when nothing can be said (no symbols yet, a skipped file, a vague symbol). */
function symbolCheck(workspace: DocWorkspace, absPath: string, reference: Reference, lines: LineIndex): SymbolVerdict {
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
  const after = lines.text.slice(lines.offsetAt(reference.range.end), lines.offsetAt(reference.range.end) + 200).split(/\r\n|\r|\n/)[0];
  const at = after.indexOf(reference.symbol);
  const written = at < 0 ? '' : after.slice(Math.max(0, at - 1), at + reference.symbol.length + 2);
  const codeLike = symbol.includes('.') || symbol.includes('_') || written.endsWith('()') || written.slice(reference.symbol.length + 1).startsWith('(') || (written.startsWith('`') && written.charAt(reference.symbol.length + 1) === '`');
  return codeLike ? { kind: 'gone', symbol } : null;
}

/**
 * Where the referenced content is now, compared with the file as it was when the doc was last committed,
 * or null when git cannot say (no history, the reference was typed since, the old file is unknown).
 * `relPath` is the path the doc names; a file git saw renamed is read at its new path.
 */
export function contentDrift(workspace: DocWorkspace, relPath: string, reference: Reference, text: string): ContentDrift | null {
  const git = workspace.folder.git;
  if (!git || reference.line === null) return null;
  const history = git.history(workspace.docAbsPath);
  if (history === undefined || isUnknown(history)) return null;
  if (!referenceWasCommitted(history, text)) return null;
  const oldLines = git.committedLines(workspace.docAbsPath, relPath);
  if (!oldLines) return null;
  const currentRel = history.renames.get(relPath) ?? relPath;
  const current = workspace.folder.resolver.physical(currentRel);
  if (current.kind !== 'inside') return null;
  const now = workspace.folder.files.text(current.absPath);
  if (!now.ok) return null;
  const drift = driftByContent(oldLines, now.lines, reference.line, reference.endLine);
  return drift.status === 'unknown' || drift.status === 'same' ? null : drift;
}
