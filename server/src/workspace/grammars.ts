/**
 * Where the tree-sitter WebAssembly files are at run time.
 *
 * The grammars come from the published packages (`tree-sitter-python`, `tree-sitter-javascript`,
 * `tree-sitter-typescript`, `tree-sitter-go`, `tree-sitter-rust`), which ship prebuilt `*.wasm` files, and
 * the runtime from `web-tree-sitter`. In the bundled server (`dist/server.js`, `dist/cli.js`) nothing can
 * be resolved from `node_modules`, so the build copies every file of `WASM_ASSETS` to `dist/grammars/`.
 * Lookup order, first hit wins:
 *   1. `$DOCPLAN_GRAMMARS_DIR` (tests, unusual layouts);
 *   2. `<dir of the running script>/grammars` (the bundle: `dist/grammars/`);
 *   3. `<repo>/dist/grammars` seen from the sources (`server/src/workspace/../../../dist/grammars`);
 *   4. the package in `node_modules`, through `require.resolve` (running from sources with tsx).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Languages parsed with tree-sitter. */
export type GrammarId = 'python' | 'javascript' | 'typescript' | 'tsx' | 'go' | 'rust';

/** A WebAssembly file to ship: `specifier` resolves it in node_modules, `file` is its name in `dist/grammars/`. */
export interface WasmAsset {
  specifier: string;
  file: string;
}

/** The web-tree-sitter runtime. */
export const RUNTIME_WASM: WasmAsset = { specifier: 'web-tree-sitter/web-tree-sitter.wasm', file: 'web-tree-sitter.wasm' };

/** One WebAssembly grammar per language. */
export const GRAMMAR_WASM: Readonly<Record<GrammarId, WasmAsset>> = {
  python: { specifier: 'tree-sitter-python/tree-sitter-python.wasm', file: 'tree-sitter-python.wasm' },
  javascript: { specifier: 'tree-sitter-javascript/tree-sitter-javascript.wasm', file: 'tree-sitter-javascript.wasm' },
  typescript: { specifier: 'tree-sitter-typescript/tree-sitter-typescript.wasm', file: 'tree-sitter-typescript.wasm' },
  tsx: { specifier: 'tree-sitter-typescript/tree-sitter-tsx.wasm', file: 'tree-sitter-tsx.wasm' },
  go: { specifier: 'tree-sitter-go/tree-sitter-go.wasm', file: 'tree-sitter-go.wasm' },
  rust: { specifier: 'tree-sitter-rust/tree-sitter-rust.wasm', file: 'tree-sitter-rust.wasm' },
};

/** Every file the build must copy to `dist/grammars/` (runtime first). */
export const WASM_ASSETS: readonly WasmAsset[] = [RUNTIME_WASM, ...Object.values(GRAMMAR_WASM)];

/** File extensions (lower case, with the dot) parsed by each grammar. */
const EXTENSIONS: Readonly<Record<string, GrammarId>> = {
  '.py': 'python',
  '.pyi': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.go': 'go',
  '.rs': 'rust',
};

/** The tree-sitter grammar for a file path, by extension, or null. */
export function grammarForPath(path: string): GrammarId | null {
  const dot = path.lastIndexOf('.');
  if (dot === -1 || dot < path.lastIndexOf('/')) return null;
  return EXTENSIONS[path.slice(dot).toLowerCase()] ?? null;
}

/** Directories searched for copied WebAssembly files, in order. */
export function grammarDirs(): string[] {
  const dirs: string[] = [];
  const fromEnv = process.env.DOCPLAN_GRAMMARS_DIR;
  if (fromEnv) dirs.push(fromEnv);
  dirs.push(join(__dirname, 'grammars'));
  dirs.push(join(__dirname, '..', '..', '..', 'dist', 'grammars'));
  return dirs;
}

/** Absolute path of a WebAssembly asset, or null when it is nowhere to be found. */
export function locateWasm(asset: WasmAsset): string | null {
  for (const dir of grammarDirs()) {
    const candidate = join(dir, asset.file);
    if (existsSync(candidate)) return candidate;
  }
  try {
    return createRequire(__filename).resolve(asset.specifier);
  } catch {
    return null;
  }
}
