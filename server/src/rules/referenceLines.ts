/**
 * The line checks of a reference to an existing file (part of the shared reference analysis): past the
 * end, the named symbol moved or gone, and content-anchored drift since the doc was last committed. Each
 * reference gets at most one verdict, and a message speaks of one finding only.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { DocModel, Reference } from '../model/types';
import type { LineIndex } from '../model/text';
import { driftByContent, quoteLine, type ContentDrift } from '../workspace/drift';
import { isUnknown } from '../workspace/git';
import { referenceWasCommitted } from '../workspace/gitHistory';
import { checkSymbolAtLine, findDefinitions, normalizeSymbol, type SymbolDef } from '../workspace/symbols';
import { findLineElsewhere, findSymbolElsewhere, symbolPlaces, type Relocation } from '../workspace/relocate';
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
  if (reference.line === null) return reference.symbol === null ? null : symbolLeftFile(workspace, reference.symbol, relPath, absPath);
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
      // The referenced text left for another file: where it went is the finding a reader acts on.
      const moved = drift?.status === 'changed' ? findLineElsewhere(workspace.folder, relPath, drift.was) : null;
      if (moved !== null && drift?.status === 'changed') {
        return movedToFile(`Line ${line} of ${relPath} no longer reads ${quoteLine(drift.was)} (the file has ${plural(info.lineCount, 'line')} now)`, moved, 'that line', end !== null ? end - line : null, 'line with that text');
      }
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
    const places = symbolPlaces(workspace.folder, relPath, symbolVerdict.symbol);
    if (places.length === 1) return movedToFile(`${symbolVerdict.symbol} is no longer defined in ${relPath}`, places[0], symbolVerdict.symbol, end !== null ? end - line : null, 'definition');
    const elsewhere = places.length === 0 ? `no other ${extensionWord(relPath)}file of the workspace defines it (renamed or removed?)` : `it is defined more than once in other ${extensionWord(relPath)}files (${[...new Set(places.map((place) => place.relPath))].sort().join(' and ')}, at least)`;
    return { rule: 'stale-line', message: `${symbolVerdict.symbol} is no longer defined in ${relPath}, and ${elsewhere}.`, newLine: null, newEnd: null, certain: false, because: '' };
  }
  if (symbolVerdict?.kind === 'ok-here') return null;
  const drift = contentDrift(workspace, relPath, reference, text);
  if (drift === null) return null;
  if (drift.status === 'moved') {
    const shift = drift.line - line;
    const detail = !drift.shifted
      ? 'code was moved around it (not only added or removed above it)'
      : shift > 0
        ? `${plural(shift, 'line')} ${shift === 1 ? 'was' : 'were'} inserted above it`
        : `${plural(-shift, 'line')} ${shift === -1 ? 'was' : 'were'} removed above it`;
    return {
      rule: 'line-drift',
      message: `${quoteLine(drift.anchor)} has moved from ${linesWord(line, end)} to ${lineText(drift.line, end !== null ? drift.endLine : null)} of ${relPath} since this doc was last committed: ${detail}.`,
      newLine: drift.line,
      newEnd: end !== null ? drift.endLine : null,
      because: `where ${quoteLine(drift.anchor)} is now`,
    };
  }
  if (drift.status === 'changed') {
    const moved = findLineElsewhere(workspace.folder, relPath, drift.was);
    if (moved !== null) {
      return movedToFile(`Line ${line} of ${relPath} no longer reads ${quoteLine(drift.was)}`, moved, 'that line', end !== null ? end - line : null, 'line with that text');
    }
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

/**
 * The verdict for a reference without a line that names a symbol with its file ("`Rebuild()` in
 * `rebuild.go`"): silent while the file defines it, or when it is defined nowhere else (a design may name
 * code still to be written); a unique definition in another file is where it went.
 */
function symbolLeftFile(workspace: DocWorkspace, written: string, relPath: string, absPath: string): ReferenceVerdict | null {
  const symbols = workspace.folder.symbols.get(absPath);
  if (!symbols || !symbols.ok || symbols.parser !== 'tree-sitter') return null;
  const symbol = normalizeSymbol(written);
  if (symbol === '' || findDefinitions(symbols, symbol).definitions.length > 0) return null;
  const moved = findSymbolElsewhere(workspace.folder, relPath, symbol);
  return moved === null ? null : movedToFile(`${symbol} is no longer defined in ${relPath}`, moved, symbol, null, 'definition');
}

/** A `stale-line` verdict for content found in another file, with the fix to the new path and line. */
function movedToFile(lead: string, moved: Relocation, what: string, span: number | null, only: string): ReferenceVerdict {
  const newEnd = span !== null && span > 0 ? moved.line + span : null;
  return {
    rule: 'stale-line',
    message: `${lead}: it is now at ${moved.relPath}:${lineText(moved.line, newEnd)}, the only ${only} among the workspace's ${extensionWord(moved.relPath)}files.`,
    newLine: moved.line,
    newEnd,
    newPath: moved.relPath,
    certain: false,
    because: `where ${what} is now`,
  };
}

/** "`.go `" for a path with an extension, "" otherwise. */
function extensionWord(relPath: string): string {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(dot)} ` : '';
}

/** The edit that replaces a reference's path (and its line numbers, when it has some) with a new place. */
export function relocationEdit(reference: Reference, text: string, newPath: string, newLine: number, newEnd: number | null): TextEdit | null {
  if (reference.range.start.line !== reference.range.end.line || !text.startsWith(reference.path)) return null;
  const suffix = reference.line === null ? text.slice(reference.path.length) : `:${lineText(newLine, newEnd)}`;
  const start = reference.range.start;
  return { range: { start, end: reference.range.end }, newText: `${newPath}${suffix}` };
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
