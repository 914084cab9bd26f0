/**
 * The tree-sitter runtime and its grammars, loaded once per thread and each grammar only when a file of its
 * language is first asked for: a grammar is a WebAssembly module of 1-5 MB that stays resident once loaded,
 * and most repositories need one or two of the six. Shared by the symbol index and test discovery.
 *
 * Loading is asynchronous (WebAssembly compilation); lookups are synchronous. `loadGrammars(ids)` never
 * rejects: a failure is recorded and `grammarFor` says why, so callers fall back to text or say "unknown".
 */
import type { Language as TsLanguage, Parser as TsParser } from 'web-tree-sitter';
import { GRAMMAR_WASM, type GrammarId, locateWasm, RUNTIME_WASM } from './grammars';

/** A grammar as lookups see it: ready to parse, failed (and why), or not loaded yet (`undefined`). */
export type GrammarLookup = { parser: TsParser; language: TsLanguage } | { failure: string } | undefined;

let runtime: Promise<TsParser | null> | null = null;
let parser: TsParser | null = null;
let runtimeError: string | null = null;
const languages = new Map<GrammarId, TsLanguage>();
const failures = new Map<GrammarId, string>();
const loading = new Map<GrammarId, Promise<void>>();

/** Every grammar id, in a stable order. */
export const GRAMMAR_IDS = Object.keys(GRAMMAR_WASM) as GrammarId[];

function loadRuntime(): Promise<TsParser | null> {
  runtime ??= (async () => {
    try {
      // require(), not import: esbuild then bundles the CommonJS build, whose wasm lookup does not depend on
      // import.meta.url (undefined in our CommonJS bundles).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');
      const path = locateWasm(RUNTIME_WASM);
      if (path === null) throw new Error(`${RUNTIME_WASM.file} not found (looked in dist/grammars and node_modules)`);
      await Parser.init({ locateFile: () => path });
      parser = new Parser();
    } catch (error) {
      runtimeError = `tree-sitter unavailable: ${error instanceof Error ? error.message : String(error)}`;
    }
    return parser;
  })();
  return runtime;
}

function loadGrammar(id: GrammarId): Promise<void> {
  let pending = loading.get(id);
  if (!pending) {
    pending = (async () => {
      if ((await loadRuntime()) === null) return;
      const path = locateWasm(GRAMMAR_WASM[id]);
      if (path === null) {
        failures.set(id, `${GRAMMAR_WASM[id].file} not found`);
        return;
      }
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { Language } = require('web-tree-sitter') as typeof import('web-tree-sitter');
        languages.set(id, await Language.load(path));
      } catch (error) {
        failures.set(id, `${GRAMMAR_WASM[id].file} failed to load: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
    loading.set(id, pending);
  }
  return pending;
}

/** Loads the runtime and these grammars (each once per thread). Never rejects. */
export async function loadGrammars(ids: Iterable<GrammarId>): Promise<void> {
  await Promise.all([...new Set(ids)].map(loadGrammar));
}

/** Loads the runtime and every grammar (tests, benchmarks). Never rejects. */
export function loadAllGrammars(): Promise<void> {
  return loadGrammars(GRAMMAR_IDS);
}

/** The parser and language of a grammar, its failure, or `undefined` while it is not loaded (loading starts). */
export function grammarFor(id: GrammarId): GrammarLookup {
  const language = languages.get(id);
  if (parser && language) return { parser, language };
  const failure = runtimeError ?? failures.get(id);
  if (failure !== undefined) return { failure };
  void loadGrammar(id);
  return undefined;
}

/** Load status per grammar, for logs: 'loaded', 'not needed yet', 'loading' or the failure. */
export function grammarStatus(): Record<string, string> {
  const out: Record<string, string> = {};
  if (runtimeError) out.runtime = runtimeError;
  for (const id of GRAMMAR_IDS) {
    out[id] = languages.has(id) ? 'loaded' : (failures.get(id) ?? (loading.has(id) ? (runtimeError ?? 'loading') : 'not needed yet'));
  }
  return out;
}

/** For tests: pretend a grammar failed to load (forces the fallbacks); returns a function that undoes it. */
export function simulateGrammarFailure(id: GrammarId, reason: string): () => void {
  const language = languages.get(id);
  const failure = failures.get(id);
  languages.delete(id);
  failures.set(id, reason);
  return () => {
    if (language) languages.set(id, language);
    if (failure === undefined) failures.delete(id);
    else failures.set(id, failure);
  };
}
