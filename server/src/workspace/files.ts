/**
 * Finding and reading the Markdown files the CLI checks: the workspace root, directory walks that honour
 * `.gitignore` files (nested ones too), globs, and safe reads (size cap, binary and unreadable files
 * skipped with a reason). Directory symlinks are never followed, so symlink loops cannot hang a walk.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { CONFIG_FILE_NAME } from '../config/load';

import { globSync, isDynamicPattern } from 'tinyglobby';

/** Markdown file extensions checked when walking a directory. */
export const MARKDOWN_EXTENSIONS: readonly string[] = ['.md', '.markdown'];

/** Directories never walked into, whatever `.gitignore` says. */
export const ALWAYS_SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git']);

/** Default cap on the size of a file the CLI reads (5 MiB). */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/** True for `*.md` and `*.markdown` (case-insensitive). */
export function isMarkdownPath(path: string): boolean {
  const lower = path.toLowerCase();
  return MARKDOWN_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * The workspace root for `start`: the nearest ancestor (or `start` itself) holding `.docplan.json` or
 * `.git`, else `start`.
 */
export function findWorkspaceRoot(start: string): string {
  let current = resolve(start);
  for (;;) {
    if (existsSync(join(current, CONFIG_FILE_NAME)) || existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return resolve(start);
    current = parent;
  }
}

/** `path` relative to `root` with forward slashes, or null when it is outside `root`. */
export function rootRelative(root: string, path: string): string | null {
  const rel = relative(root, path);
  if (rel === '') return '';
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/**
 * Answers "is this path ignored by a `.gitignore`" for paths under a root, reading each directory's
 * `.gitignore` once. Deeper files win over shallower ones, and a `!pattern` re-includes, as in git
 * (approximately: git also refuses to re-include a file whose directory is excluded).
 */
export class GitignoreFilter {
  private readonly cache = new Map<string, Ignore | null>();

  constructor(private readonly root: string) {}

  /** True when `path` (absolute) is ignored. Paths outside the root are never ignored. */
  ignores(path: string, isDirectory: boolean): boolean {
    const rel = rootRelative(this.root, path);
    if (rel === null || rel === '') return false;
    const parts = rel.split('/');
    let ignored = false;
    // Check each ancestor directory's .gitignore, from the root down to the file's own directory.
    for (let depth = 0; depth < parts.length; depth++) {
      const dir = depth === 0 ? this.root : join(this.root, ...parts.slice(0, depth));
      const matcher = this.matcherFor(dir);
      if (!matcher) continue;
      const below = parts.slice(depth).join('/') + (isDirectory ? '/' : '');
      const result = matcher.test(below);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }

  private matcherFor(dir: string): Ignore | null {
    if (this.cache.has(dir)) return this.cache.get(dir)!;
    let matcher: Ignore | null = null;
    try {
      const path = join(dir, '.gitignore');
      // Most directories have none: asking first is cheaper than a read that throws.
      if (existsSync(path)) matcher = ignore().add(readFileSync(path, 'utf8'));
    } catch {
      matcher = null;
    }
    this.cache.set(dir, matcher);
    return matcher;
  }
}

/** The files to check, and what went wrong finding them. */
export interface CollectedFiles {
  /** Absolute paths, deduplicated, in a stable order (sorted within each argument). */
  files: string[];
  /** Arguments that are neither an existing path nor a glob: a usage error. */
  missing: string[];
  /** Warnings: globs that matched nothing, directories that could not be listed, skipped symlinks. */
  warnings: string[];
}

/** Options for `collectFiles`. */
export interface CollectOptions {
  /** Directory relative arguments are resolved against. */
  cwd: string;
  /** Workspace root: `.gitignore` files are read from here down. */
  root: string;
}

/**
 * Expands CLI arguments into files: an existing file is always included (whatever its name or ignore
 * status); a directory is walked for Markdown files, skipping `node_modules`, `.git` and ignored paths; a
 * glob is matched with tinyglobby (ignored paths removed).
 */
export function collectFiles(args: readonly string[], options: CollectOptions): CollectedFiles {
  const gitignore = new GitignoreFilter(options.root);
  const seen = new Set<string>();
  const result: CollectedFiles = { files: [], missing: [], warnings: [] };
  const add = (path: string, knownReal?: string) => {
    let key = knownReal ?? path;
    if (knownReal === undefined) {
      try {
        key = realpathSync(path);
      } catch {
        // Dangling links and the like: keep the path itself, the read reports the problem.
      }
    }
    if (seen.has(key)) return;
    seen.add(key);
    result.files.push(path);
  };
  for (const arg of args) {
    const absolute = resolve(options.cwd, arg);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      stats = null;
    }
    if (stats?.isDirectory()) {
      const found: string[] = [];
      const links = new Set<string>();
      walk(absolute, gitignore, found, result.warnings, links);
      found.sort();
      // The walk never follows directory symlinks: below the real path of the directory, a regular file's
      // real path is known without asking the file system for each one.
      let realDir: string | null = null;
      try {
        realDir = realpathSync(absolute);
      } catch {
        realDir = null;
      }
      for (const path of found) add(path, realDir === null || links.has(path) ? undefined : join(realDir, relative(absolute, path)));
    } else if (stats || lstatExists(absolute)) {
      add(absolute);
    } else if (isDynamicPattern(arg)) {
      const matches = globSync(arg, {
        cwd: options.cwd,
        absolute: true,
        dot: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        ignore: ['**/node_modules/**', '**/.git/**'],
        expandDirectories: false,
      })
        .map((path) => resolve(path))
        .filter((path) => !gitignore.ignores(path, false))
        .sort();
      if (matches.length === 0) result.warnings.push(`No files match the pattern "${arg}".`);
      matches.forEach((path) => add(path));
    } else {
      result.missing.push(arg);
    }
  }
  return result;
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Walks `dir` without following directory symlinks, collecting Markdown files. */
function walk(dir: string, gitignore: GitignoreFilter, found: string[], warnings: string[], links: Set<string>): void {
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      warnings.push(`Skipped directory ${current}: ${describeError(error)}.`);
      continue;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || gitignore.ignores(path, true)) continue;
        stack.push(path);
      } else if (isMarkdownPath(entry.name)) {
        // Regular files, and symlinks (to files, or dangling: the read reports those). A symlink to a
        // directory named `*.md` is caught by the read as well; directory symlinks are never walked.
        if ((entry.isFile() || entry.isSymbolicLink()) && !gitignore.ignores(path, false)) {
          found.push(path);
          if (entry.isSymbolicLink()) links.add(path);
        }
      }
    }
  }
}

/** A file read for checking, or the reason it was skipped. */
export type ReadResult =
  | { ok: true; text: string; bom: boolean; validUtf8: boolean }
  | { ok: false; reason: string };

/**
 * Reads a document: regular files only, at most `maxSize` bytes, no NUL bytes (binary). A UTF-8 BOM is
 * removed from the text (and reported so that a rewrite can put it back). Invalid UTF-8 is decoded with
 * replacement characters and flagged, so that callers do not write the lossy text back.
 */
export function readDocument(path: string, maxSize: number): ReadResult {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return { ok: false, reason: `cannot read (${describeError(error)})` };
  }
  if (!stats.isFile()) return { ok: false, reason: 'not a regular file' };
  if (stats.size > maxSize) return { ok: false, reason: `too large (${stats.size} bytes; --max-file-size is ${maxSize})` };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, reason: `cannot read (${describeError(error)})` };
  }
  if (bytes.length > maxSize) return { ok: false, reason: `too large (${bytes.length} bytes; --max-file-size is ${maxSize})` };
  if (bytes.includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  let text: string;
  let validUtf8 = true;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    validUtf8 = false;
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  return { ok: true, text: bom ? text.slice(1) : text, bom, validUtf8 };
}

/** A short reason for a file-system error: its code when it has one. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'ENOENT: no such file or broken symlink';
  if (code === 'EACCES' || code === 'EPERM') return `${code}: permission denied`;
  if (code === 'ELOOP') return 'ELOOP: symlink loop';
  if (code) return code;
  return error instanceof Error ? error.message : String(error);
}
