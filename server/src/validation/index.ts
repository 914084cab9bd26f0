/**
 * The test index of one workspace folder: the tests each test file defines (discovered with tree-sitter),
 * directory listings for runners that scan directories, and the small configuration reads runners need
 * (package.json scripts, go.mod module path, Cargo.toml package names, pytest's python_files).
 *
 * ## Async loading, sync lookups (as `SymbolIndex`)
 *
 * 1. `await testIndex.prepareFor(commands)` (loads the grammars of the commands' runners, shared with the
 *    symbol index; never rejects);
 * 2. rules and features call the synchronous methods. Before a file's grammar is loaded, `fileTests`
 *    returns `undefined` ("unknown": report nothing).
 *
 * ## Caching
 *
 * Discovered tests are cached per file and validated by the `FileCache` signature (size, mtime, ctime,
 * inode), so an edited test file is re-parsed on the next lookup. Directory listings are cached per
 * directory and validated by the directory's mtime (a file added or removed changes it). `invalidate(path)`
 * (the server's file watcher) drops a file or a directory subtree at once.
 *
 * Paths handed in by commands go through `PathResolver`: nothing outside the folder is read.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { FileCache, type Skipped } from '../workspace/fileCache';
import { grammarForPath } from '../workspace/grammars';
import { PathResolver } from '../workspace/paths';
import { discoverGo } from './discovery/go';
import { discoverJavaScript } from './discovery/javascript';
import { DEFAULT_PYTEST_NAMING, discoverPython, type PytestNaming } from './discovery/python';
import { discoverRust } from './discovery/rust';
import { discoverWith, type FileTests } from './discovery/types';
import { grammarsOfCommands } from './runnerGrammars';
import { loadGrammars } from '../workspace/treeSitter';

export type { FileTests, DiscoveredTest, DiscoveredSuite } from './discovery/types';

/** Directories never scanned for tests. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.nox', 'site-packages', 'target', 'dist', 'build', 'out', 'coverage', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.next', '.cache']);
/** At most this many files are listed under one directory tree. */
const MAX_LISTED = 20_000;

interface DirEntry {
  mtimeMs: number;
  files: string[];
  dirs: string[];
}

/** What a directory scan found. */
export interface Listing {
  /** Root-relative paths (forward slashes). */
  files: string[];
  /** True when the scan stopped at the file limit. */
  truncated: boolean;
}

/** Options for a test index. */
export interface TestIndexOptions {
  files?: FileCache;
  resolver?: PathResolver;
}

/** Tests per file of one workspace folder, cached and validated. */
export class TestIndex {
  readonly root: string;
  readonly files: FileCache;
  readonly resolver: PathResolver;
  private readonly tests = new Map<string, FileTests | Skipped>();
  private readonly dirs = new Map<string, DirEntry>();
  private readonly listings = new Map<string, Listing>();
  private readonly configs = new Map<string, { signature: string | null; value: unknown }>();

  constructor(root: string, options: TestIndexOptions = {}) {
    this.resolver = options.resolver ?? new PathResolver(root);
    this.root = this.resolver.root;
    this.files = options.files ?? new FileCache();
  }

  /** Loads the grammars that checking these validation commands reads (idempotent; never rejects). */
  prepareFor(commands: Iterable<string>): Promise<void> {
    return loadGrammars(grammarsOfCommands(commands, { readScript: this.readScript }));
  }

  /** Absolute path of a root-relative path. */
  abs(relPath: string): string {
    return relPath === '' ? this.root : join(this.root, ...relPath.split('/'));
  }

  /** Root-relative path (forward slashes) of an absolute path inside the root. */
  rel(absPath: string): string {
    return relative(this.root, absPath).split(sep).join('/');
  }

  /**
   * Resolves `path` written relative to `cwd` (root-relative) to a root-relative path, or null when it
   * escapes the folder (such paths are never read).
   */
  resolve(cwd: string, path: string): { relPath: string; absPath: string } | { escapes: string } {
    const joined = path.startsWith('/') ? path : cwd === '' ? path : `${cwd}/${path}`;
    const resolved = this.resolver.resolve(joined);
    return resolved.kind === 'inside' ? { relPath: resolved.relPath, absPath: resolved.absPath } : { escapes: resolved.reason };
  }

  /** 'file', 'dir' or null (missing) for a root-relative path. */
  kind(relPath: string): 'file' | 'dir' | null {
    try {
      const stats = statSync(this.abs(relPath), { throwIfNoEntry: false });
      if (stats === undefined) return null;
      return stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : null;
    } catch {
      return null;
    }
  }

  /**
   * Tests defined in a file (root-relative path), synchronously. `undefined` while its grammar is not
   * loaded (`prepareFor` the commands first); a skip reason when the file is missing, binary or too large;
   * `complete: false` with notes when the grammar is missing or the file has syntax errors.
   */
  fileTests(relPath: string, naming: PytestNaming = DEFAULT_PYTEST_NAMING): FileTests | Skipped | undefined {
    const absPath = this.abs(relPath);
    const grammar = grammarForPath(relPath);
    if (grammar === null) return { ok: false, reason: 'not-a-file', message: `${relPath} is not a test file DocPlan can parse` };
    const text = this.files.text(absPath);
    if (!text.ok) {
      this.tests.delete(absPath);
      return text;
    }
    const key = naming === DEFAULT_PYTEST_NAMING ? absPath : `${absPath}\0${naming.classes.join(',')}\0${naming.functions.join(',')}`;
    const cached = this.tests.get(key);
    if (cached?.ok && cached.signature === text.signature) return cached;
    const discover = grammar === 'python' ? discoverPython(naming) : grammar === 'go' ? discoverGo : grammar === 'rust' ? discoverRust : discoverJavaScript;
    const result = discoverWith(grammar, text.text, text.signature, discover);
    if (result === undefined) return undefined;
    if (this.tests.size > 5000) this.tests.clear();
    this.tests.set(key, result);
    return result;
  }

  /**
   * Files under a root-relative directory (recursively unless `recursive` is false), skipping
   * dependency/build directories, hidden directories and symlinked directories. `accept` filters files by
   * root-relative path.
   */
  list(relDir: string, accept: (relPath: string) => boolean, recursive = true, memoKey?: string): Listing {
    // With `memoKey` (naming what `accept` accepts), a listing is kept until the next `invalidate`, when
    // the file cache trusts its entries the same way (the CLI's snapshot, the server's watched tree).
    const memo = memoKey !== undefined && this.files.trustsEntries ? `${relDir}\0${recursive}\0${memoKey}` : null;
    const known = memo === null ? undefined : this.listings.get(memo);
    if (known) return { files: [...known.files], truncated: known.truncated };
    const listing = this.listUncached(relDir, accept, recursive);
    if (memo !== null) this.listings.set(memo, { files: [...listing.files], truncated: listing.truncated });
    return listing;
  }

  private listUncached(relDir: string, accept: (relPath: string) => boolean, recursive: boolean): Listing {
    const files: string[] = [];
    const stack = [relDir];
    let truncated = false;
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const entry = this.dir(dir);
      if (!entry) continue;
      for (const file of entry.files) {
        if (accept(file)) {
          files.push(file);
          if (files.length >= MAX_LISTED) {
            truncated = true;
            stack.length = 0;
            break;
          }
        }
      }
      if (recursive) for (let i = entry.dirs.length - 1; i >= 0; i--) stack.push(entry.dirs[i]);
    }
    files.sort();
    return { files, truncated };
  }

  private dir(relDir: string): DirEntry | null {
    const known = this.dirs.get(relDir);
    // A run over a snapshot (the CLI) or a watched tree trusts what it listed until told otherwise.
    if (known && this.files.trustsEntries) return known;
    const absDir = this.abs(relDir);
    let mtimeMs: number;
    try {
      const stats = statSync(absDir);
      if (!stats.isDirectory()) return null;
      mtimeMs = stats.mtimeMs;
    } catch {
      this.dirs.delete(relDir);
      return null;
    }
    const cached = this.dirs.get(relDir);
    if (cached && cached.mtimeMs === mtimeMs) return cached;
    const entry: DirEntry = { mtimeMs, files: [], dirs: [] };
    try {
      for (const dirent of readdirSync(absDir, { withFileTypes: true })) {
        const child = relDir === '' ? dirent.name : `${relDir}/${dirent.name}`;
        if (dirent.isFile()) entry.files.push(child);
        else if (dirent.isDirectory() && !dirent.name.startsWith('.') && !SKIP_DIRS.has(dirent.name)) entry.dirs.push(child);
      }
    } catch {
      return null;
    }
    entry.files.sort();
    entry.dirs.sort();
    this.dirs.set(relDir, entry);
    return entry;
  }

  /** The text of a small config file (root-relative), cached by signature; null when missing. */
  configText(relPath: string): string | null {
    const text = this.files.text(this.abs(relPath));
    return text.ok ? text.text : null;
  }

  /** Parsed once per file version: `parse(text)` for a root-relative config file (null text when missing). */
  config<T>(relPath: string, parse: (text: string | null) => T): T {
    const signature = this.files.signature(this.abs(relPath));
    const key = `${relPath}\0${parse.name}`;
    const cached = this.configs.get(key);
    if (cached && cached.signature === signature) return cached.value as T;
    const value = parse(signature === null ? null : this.configText(relPath));
    this.configs.set(key, { signature, value });
    return value;
  }

  /** A package.json script body (for `npm test`), given the directory the package manager runs in. */
  readScript = (cwd: string, name: string): string | null => {
    const scripts = this.config(cwd === '' ? 'package.json' : `${cwd}/package.json`, parseScripts);
    return scripts?.[name] ?? null;
  };

  /** Forgets one file or directory (absolute or root-relative), or everything. */
  invalidate(path?: string): void {
    this.listings.clear();
    if (path === undefined) {
      this.tests.clear();
      this.dirs.clear();
      this.configs.clear();
      this.files.invalidate();
      this.resolver.invalidate();
      return;
    }
    const relPath = path.startsWith(this.root) ? this.rel(path) : path;
    const absPath = this.abs(relPath);
    this.files.invalidate(absPath);
    this.resolver.invalidate(relPath);
    for (const key of this.tests.keys()) if (key === absPath || key.startsWith(`${absPath}\0`) || key.startsWith(`${absPath}${sep}`)) this.tests.delete(key);
    const parent = posix.dirname(relPath) === '.' ? '' : posix.dirname(relPath);
    this.dirs.delete(parent);
    for (const key of this.dirs.keys()) if (key === relPath || key.startsWith(`${relPath}/`)) this.dirs.delete(key);
    for (const key of this.configs.keys()) if (key.startsWith(`${relPath}\0`)) this.configs.delete(key);
  }
}

function parseScripts(text: string | null): Record<string, string> | null {
  if (text === null) return null;
  try {
    const json = JSON.parse(text) as { scripts?: unknown };
    if (!json || typeof json.scripts !== 'object' || json.scripts === null) return null;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(json.scripts as Record<string, unknown>)) if (typeof value === 'string') out[key] = value;
    return out;
  } catch {
    return null;
  }
}
