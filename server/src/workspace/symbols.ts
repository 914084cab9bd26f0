/**
 * Symbol definitions in referenced source files: "where is `FrayContext.run` defined" and "what is defined
 * at line N", for the `stale-line` rule, hovers and fixes.
 *
 * Python, JavaScript, TypeScript (and TSX), Go and Rust are parsed with tree-sitter (web-tree-sitter and the
 * published grammars' WebAssembly files, located by `grammars.ts`). Every definition gets a qualified name
 * built from its containers: classes, functions, interfaces, Rust `impl` blocks and modules, Go method
 * receivers (`func (c *Ctx) Run()` is `Ctx.Run`). Other languages, and files whose grammar failed to load,
 * go through a careful line-based fallback (`extractTextSymbols`).
 *
 * ## Async loading, sync lookups
 *
 * Loading the runtime and a grammar is asynchronous (WebAssembly compilation, once per thread and grammar,
 * only for the languages asked for: `treeSitter.ts`); parsing afterwards is synchronous. Rules are
 * synchronous, so:
 *
 * 1. before checking a document the caller awaits `symbolIndex.prepare(paths)` for the files the
 *    document's references tie to a symbol (their grammars load then; never rejects);
 * 2. rules call `symbolIndex.get(absPath)`, which is synchronous: it returns cached symbols, parses the
 *    file now if the grammar is loaded (or the file has none), or returns `undefined` while the grammar is
 *    still loading. `undefined` means "unknown": a rule reports nothing, and the server re-checks once
 *    `prepare` resolves.
 *
 * Results are cached per file and validated by the `FileCache` signature, so a changed file is re-parsed.
 */
import type { FileCache, Skipped } from './fileCache';
import { type GrammarId, grammarForPath } from './grammars';
import type { SymbolDef } from './symbolDef';
import { extractTextSymbols } from './symbolsText';
import { treeSitterSymbols } from './symbolsTreeSitter';
import { grammarFor, grammarStatus, loadGrammars } from './treeSitter';

export type { SymbolDef, SymbolKind } from './symbolDef';
export { extractTextSymbols } from './symbolsText';

/** Definitions found in one file. */
export interface FileSymbols {
  ok: true;
  /** FileCache signature of the text parsed. */
  signature: string;
  parser: 'tree-sitter' | 'text';
  language: GrammarId | null;
  /** Why the text fallback was used for a tree-sitter language (grammar failed to load, parse failed). */
  note: string | null;
  definitions: SymbolDef[];
}

/** How a symbol name matched. */
export type SymbolMatch = 'exact' | 'name' | 'none';

/** `FrayContext.run()`, `Foo::bar`, `Foo#bar`, `self.run` → `FrayContext.run`, `Foo.bar`, `Foo.bar`, `run`. */
export function normalizeSymbol(symbol: string): string {
  return symbol
    .trim()
    .replace(/\(.*\)$/, '')
    .replace(/`/g, '')
    .replace(/::|#/g, '.')
    .replace(/^(?:self|this|cls)\./, '')
    .replace(/\.+/g, '.')
    .replace(/^\.|\.$/g, '');
}

/**
 * Definitions of `symbol`: by qualified suffix (`FrayContext.run` matches `FrayContext.run` and
 * `outer.FrayContext.run`), then dropping leading qualifiers the file does not know (module names:
 * `context.FrayContext.run` -> `FrayContext.run`), both `match: 'exact'`; last by the bare name alone when
 * the doc gave qualifiers that match nothing (`match: 'name'`).
 */
export function findDefinitions(symbols: FileSymbols, symbol: string): { definitions: SymbolDef[]; match: SymbolMatch } {
  const parts = normalizeSymbol(symbol).split('.').filter((part) => part !== '');
  if (parts.length === 0) return { definitions: [], match: 'none' };
  for (let drop = 0; drop < Math.max(1, parts.length - 1); drop++) {
    const wanted = parts.slice(drop).join('.');
    const found = symbols.definitions.filter((def) => def.qualifiedName === wanted || def.qualifiedName.endsWith(`.${wanted}`));
    if (found.length > 0) return { definitions: found, match: 'exact' };
  }
  if (parts.length === 1) return { definitions: [], match: 'none' };
  const name = parts[parts.length - 1];
  const byName = symbols.definitions.filter((def) => def.name === name);
  return byName.length > 0 ? { definitions: byName, match: 'name' } : { definitions: [], match: 'none' };
}

/** Definitions whose header (decorators through the name line) covers `line`, innermost last. */
export function definitionsAt(symbols: FileSymbols, line: number): SymbolDef[] {
  return symbols.definitions.filter((def) => def.startLine <= line && line <= def.line);
}

/** Definitions whose whole extent covers `line`, outermost first. */
export function enclosingDefinitions(symbols: FileSymbols, line: number): SymbolDef[] {
  return symbols.definitions
    .filter((def) => def.startLine <= line && line <= def.endLine)
    .sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** The verdict on "line N (to M) of this file holds `symbol`". */
export type SymbolCheck =
  /** The line is inside a definition of the symbol. */
  | { status: 'ok'; definition: SymbolDef; match: SymbolMatch }
  /** The symbol is defined elsewhere in the file: `definitions` (nearest to the old line first). */
  | { status: 'moved'; definitions: SymbolDef[]; match: SymbolMatch }
  /** No definition of that name in the file (renamed, moved to another file, or never a definition). */
  | { status: 'not-found' };

/**
 * Does `line` (or the range `line`-`endLine`) still hold `symbol`? Lenient by design, because a false
 * `stale-line` costs more than a missed one: any line of the definition (header or body) counts.
 */
export function checkSymbolAtLine(symbols: FileSymbols, symbol: string, line: number, endLine: number | null = null): SymbolCheck {
  const { definitions, match } = findDefinitions(symbols, symbol);
  if (definitions.length === 0) return { status: 'not-found' };
  const last = endLine !== null && endLine >= line ? endLine : line;
  const holding = definitions.find((def) => def.startLine <= last && line <= def.endLine);
  if (holding) return { status: 'ok', definition: holding, match };
  const sorted = [...definitions].sort((a, b) => Math.abs(a.line - line) - Math.abs(b.line - line) || a.line - b.line);
  return { status: 'moved', definitions: sorted, match };
}

/** Symbols per file, cached and validated by the file cache's signatures. One per workspace folder. */
export class SymbolIndex {
  private readonly cache = new Map<string, FileSymbols | Skipped>();
  private readonly signatures = new Map<string, string>();

  constructor(private readonly files: FileCache) {}

  /** Grammar load status, for logs: id -> 'loaded', 'not needed yet', 'loading' or the failure. */
  status(): Record<string, string> {
    return grammarStatus();
  }

  /** Loads the grammars of these files and computes their symbols, so that later `get` calls hit the cache. */
  async prepare(absPaths: Iterable<string>): Promise<void> {
    const paths = [...absPaths];
    await loadGrammars(paths.map(grammarForPath).filter((id): id is GrammarId => id !== null));
    for (const path of paths) this.get(path);
  }

  /**
   * Symbols of a file, synchronously: from the cache when the file is unchanged, else parsed now.
   * `undefined` while the file's grammar is still loading (await `prepare`). A skipped file (missing,
   * binary, too large to parse) gives the file cache's reason.
   */
  get(absPath: string): FileSymbols | Skipped | undefined {
    const grammar = grammarForPath(absPath);
    if (grammar !== null && grammarFor(grammar) === undefined) return undefined;
    const text = this.files.text(absPath);
    if (!text.ok) {
      if (text.reason === 'too-large') return { ok: false, reason: 'too-large', message: `${text.message}; symbols are not looked up in it` };
      return text;
    }
    const cached = this.cache.get(absPath);
    if (cached && this.signatures.get(absPath) === text.signature) return cached;
    const result = extractSymbols(grammar, text.text, text.lines, text.signature);
    this.cache.set(absPath, result);
    this.signatures.set(absPath, text.signature);
    return result;
  }

  /** Forgets one file, or everything. */
  invalidate(absPath?: string): void {
    if (absPath === undefined) {
      this.cache.clear();
      this.signatures.clear();
    } else {
      this.cache.delete(absPath);
      this.signatures.delete(absPath);
    }
  }
}

/** Symbols of a text, with tree-sitter when `grammar` is loaded, else the text fallback. */
export function extractSymbols(grammar: GrammarId | null, text: string, lines: readonly string[], signature = ''): FileSymbols {
  if (grammar !== null) {
    const loaded = grammarFor(grammar);
    if (loaded && 'parser' in loaded) {
      try {
        return { ok: true, signature, parser: 'tree-sitter', language: grammar, note: null, definitions: treeSitterSymbols(loaded.parser, loaded.language, grammar, text) };
      } catch (error) {
        const note = `tree-sitter parse failed (${error instanceof Error ? error.message : String(error)}); used the text fallback`;
        return { ok: true, signature, parser: 'text', language: grammar, note, definitions: extractTextSymbols(lines) };
      }
    }
    const reason = loaded?.failure ?? `the ${grammar} grammar is not loaded yet`;
    return { ok: true, signature, parser: 'text', language: grammar, note: `${reason}; used the text fallback`, definitions: extractTextSymbols(lines) };
  }
  return { ok: true, signature, parser: 'text', language: null, note: null, definitions: extractTextSymbols(lines) };
}
