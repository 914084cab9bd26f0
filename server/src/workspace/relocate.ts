/**
 * Where code a doc ties to one file went when it left that file: a named symbol now defined in another
 * file (through the symbol index, tree-sitter), or a referenced line whose exact text now sits in another
 * file. Only a unique answer counts; a guess among several is no answer.
 *
 * The search is bounded and synchronous (rules are): it reads only files of the same language as the one
 * the doc names, nearest folders first (the file's own folder, then its parent's subtree, then the rest),
 * at most `MAX_FILES` files, and keeps a file only when its text holds the name or line at all. A CLI run
 * asks the folder's word index (wordIndex.ts) which files hold the name, and reads only those.
 */
import { posix } from 'node:path';
import { isAnchorLine } from './drift';
import { findDefinitions, type SymbolDef } from './symbols';
import type { FolderWorkspace } from './workspace';
import { extensionOf, IDENTIFIER } from './wordIndex';

/** Files read at most by one search. */
const MAX_FILES = 4000;

/** A unique place found in another file. */
export interface Relocation {
  relPath: string;
  line: number;
  /** The definition found (symbol searches only). */
  def: SymbolDef | null;
}

/**
 * Files of the same extension as `relPath` (itself excluded), its folder first, then its parent's subtree,
 * then the rest. With the folder's word index (CLI runs), only the files that hold one of `words` (the
 * rarest is used); without it, the nearest `MAX_FILES` of them.
 */
function candidateFiles(folder: FolderWorkspace, relPath: string, words: readonly string[]): string[] {
  const extension = extensionOf(relPath);
  if (extension === '') return [];
  const index = folder.wordIndex;
  if (index !== null && words.length > 0) {
    return nearestFirst(
      words.map((word) => index.filesWith(extension, word)).reduce((rarest, list) => (list.length < rarest.length ? list : rarest)),
      relPath,
    );
  }
  return nearestFirst(folder.index.allFiles(), relPath).slice(0, MAX_FILES);
}

/** `files` of `relPath`'s extension (itself excluded): its folder first, then its parent's subtree, then the rest. */
function nearestFirst(files: Iterable<string>, relPath: string): string[] {
  const extension = extensionOf(relPath);
  const dir = posix.dirname(relPath);
  const parent = posix.dirname(dir);
  const near: string[] = [];
  const around: string[] = [];
  const rest: string[] = [];
  for (const file of files) {
    if (file === relPath || !file.toLowerCase().endsWith(extension)) continue;
    const fileDir = posix.dirname(file);
    if (fileDir === dir) near.push(file);
    else if (parent !== '.' && (fileDir === parent || fileDir.startsWith(`${parent}/`))) around.push(file);
    else rest.push(file);
  }
  return [...near, ...around, ...rest];
}

/**
 * The one definition of `symbol` in another file of the same language as `relPath`, or null when there is
 * none or more than one (a one-line declaration, as in an interface, gives way to the one definition with a body).
 */
export function findSymbolElsewhere(folder: FolderWorkspace, relPath: string, symbol: string): Relocation | null {
  const found = symbolPlaces(folder, relPath, symbol);
  return found.length === 1 ? found[0] : null;
}

/**
 * Definitions of `symbol` in other files of the same language as `relPath`: none, the one (a one-line
 * declaration, as in an interface, gives way to the one definition with a body), or two when there are
 * several (the search stops there).
 */
export function symbolPlaces(folder: FolderWorkspace, relPath: string, symbol: string): Relocation[] {
  return unrecorded(folder, () => searchSymbol(folder, relPath, symbol));
}

/**
 * Runs a search without recording every file it reads as a dependency of the doc's findings (the CLI cache
 * would re-check the doc whenever any file of that language changed); the files it found something in are
 * recorded.
 */
function unrecorded(folder: FolderWorkspace, search: () => Relocation[]): Relocation[] {
  const recorder = folder.files.recorder;
  folder.files.recorder = null;
  let found: Relocation[] = [];
  try {
    found = search();
  } finally {
    folder.files.recorder = recorder;
  }
  for (const place of found) {
    const resolved = folder.resolver.physical(place.relPath);
    if (resolved.kind === 'inside') folder.files.dependOn(resolved.absPath);
  }
  return found;
}

function searchSymbol(folder: FolderWorkspace, relPath: string, symbol: string): Relocation[] {
  const name = symbol.split('.').pop() ?? symbol;
  if (name.length < 3) return [];
  const extension = extensionOf(relPath);
  const test = { word: new RegExp(`\\b${name.replace(/[$]/g, '\\$')}\\b`), hint: definitionHint(extension, name) };
  const index = folder.wordIndex;
  const identifier = /^[A-Za-z_$][\w$]{2,}$/.test(name);
  if (index !== null && identifier && extension !== '') {
    // A CLI run: every file that defines the symbol is found once per run, then ordered for each doc's file.
    const defining = index.memo(`defines\u0000${extension}\u0000${symbol}`, () => {
      const found = new Map<string, SymbolDef[]>();
      for (const file of index.filesWith(extension, name)) {
        const definitions = definitionsIn(folder, file, symbol, test);
        if (definitions.length > 0) found.set(file, definitions);
      }
      return found;
    });
    return firstPlaces(nearestFirst(defining.keys(), relPath), (file) => defining.get(file) ?? []);
  }
  return firstPlaces(candidateFiles(folder, relPath, identifier ? [name] : []), (file) => definitionsIn(folder, file, symbol, test));
}

/**
 * The definitions of `files`, in order, until there are several: an interface's one-line declaration gives
 * way to the one definition with a body (the code lives where the body is).
 */
function firstPlaces(files: readonly string[], definitionsOf: (file: string) => SymbolDef[]): Relocation[] {
  const found: Relocation[] = [];
  for (const file of files) {
    for (const def of definitionsOf(file)) found.push({ relPath: file, line: def.line, def });
    const bodied = found.filter((place) => place.def !== null && place.def.endLine > place.def.line);
    if (found.length > 1 && bodied.length === 1) found.splice(0, found.length, bodied[0]);
    if (found.length > 1) return found;
  }
  return found;
}

/** The exact definitions of `symbol` in one file (none when the file cannot hold one or does not parse). */
function definitionsIn(folder: FolderWorkspace, file: string, symbol: string, test: { word: RegExp; hint: RegExp | null }): SymbolDef[] {
  const resolved = folder.resolver.physical(file);
  if (resolved.kind !== 'inside') return [];
  const text = folder.files.text(resolved.absPath);
  if (!text.ok || !test.word.test(text.text)) return [];
  // Parsing is the cost: a file where the name is only called cannot define it.
  if (test.hint !== null && !test.hint.test(text.text)) return [];
  const symbols = folder.symbols.get(resolved.absPath);
  if (!symbols || !symbols.ok || symbols.parser !== 'tree-sitter') return [];
  const { definitions, match } = findDefinitions(symbols, symbol);
  return match === 'exact' ? definitions : [];
}

/**
 * A cheap test that a file of a language whose definitions open with a keyword or start a line may define
 * `name` (a superset of what tree-sitter reads as its definition there: functions, methods, types, fields,
 * constants, variables), or null for languages where a call and a definition look alike (TypeScript).
 */
function definitionHint(extension: string, name: string): RegExp | null {
  if (!/^[A-Za-z_][\w]*$/.test(name)) return null;
  switch (extension) {
    case '.py':
      return new RegExp(`\\b(?:def|class)[ \\t]+${name}\\b|^[ \\t]*${name}\\b[^\\n=(]*=|,[ \\t]*${name}[ \\t]*[,=]`, 'm');
    case '.go':
      return new RegExp(`\\b(?:func|type|var|const)\\b[^\\n]*\\b${name}\\b|^[ \\t]*${name}\\b`, 'm');
    case '.rs':
      return new RegExp(`\\b(?:fn|struct|enum|union|trait|mod|type|const|static|macro_rules!)[ \\t]+${name}\\b|^[ \\t]*(?:pub[^\\n]*?[ \\t])?${name}\\b`, 'm');
    default:
      return null;
  }
}

/**
 * The one place in another file of the same language whose line is exactly `lineText` (trimmed), or null.
 * Only a distinctive line is looked for: not blank, not trivial, at least 16 characters.
 */
export function findLineElsewhere(folder: FolderWorkspace, relPath: string, lineText: string): Relocation | null {
  const found = unrecorded(folder, () => searchLine(folder, relPath, lineText));
  return found.length === 1 ? found[0] : null;
}

function searchLine(folder: FolderWorkspace, relPath: string, lineText: string): Relocation[] {
  const wanted = lineText.trim();
  if (wanted.length < 16 || !isAnchorLine(wanted)) return [];
  let found: Relocation | null = null;
  for (const file of candidateFiles(folder, relPath, wanted.match(IDENTIFIER) ?? [])) {
    const resolved = folder.resolver.physical(file);
    if (resolved.kind !== 'inside') continue;
    const text = folder.files.text(resolved.absPath);
    if (!text.ok || !text.text.includes(wanted)) continue;
    for (let at = 0; at < text.lines.length; at++) {
      if (text.lines[at].trim() !== wanted) continue;
      if (found !== null) return [];
      found = { relPath: file, line: at + 1, def: null };
    }
  }
  return found === null ? [] : [found];
}
