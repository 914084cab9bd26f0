/**
 * An index of the files under one workspace folder: built once by a synchronous walk, then kept up to date
 * with `created` / `deleted` / `changed` events (the server forwards `workspace/didChangeWatchedFiles`).
 *
 * The walk honours `.gitignore` files at every level (and `.git/info/exclude`), always skips `.git`,
 * `node_modules` and other VCS directories, and never follows directory symlinks, so symlink loops cannot
 * hang it. Symlinks are recorded as entries (a symlinked file is listed, a symlinked directory is not
 * walked); `isKnownReal` lets the path resolver skip `realpath` for everything the walk reached through
 * real directories.
 *
 * The index answers "does this path exist" (a miss is confirmed with one `lstat`, cached, so that files in
 * ignored directories still count as existing), "which files have this basename" (for "renamed to"
 * suggestions) and lists paths for completion.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GitignoreMatcher } from './gitignore';

/** Directory names never walked into. */
export const SKIPPED_DIR_NAMES: ReadonlySet<string> = new Set(['.git', 'node_modules', '.hg', '.svn', '.jj']);

/** Options for building an index. */
export interface FileIndexOptions {
  /** Stop after this many files (a note says so); default 500,000. */
  maxFiles?: number;
  /** Honour `.gitignore` files (default true). */
  gitignore?: boolean;
  /** Directory names never walked into (default `SKIPPED_DIR_NAMES`). */
  skipDirNames?: ReadonlySet<string>;
}

/** What a file event does to the index. */
export type FileChange = 'created' | 'deleted' | 'changed';

/** The basename of a forward-slash path. */
export function basenameOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash === -1 ? relPath : relPath.slice(slash + 1);
}

function parentOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash === -1 ? '' : relPath.slice(0, slash);
}

/** A workspace folder's file index. Paths are root-relative with forward slashes. */
export class FileIndex {
  readonly root: string;
  /** Problems met while walking (unreadable directories, truncation). */
  readonly notes: string[] = [];
  /** True when the walk stopped at `maxFiles`: misses are then confirmed on disk. */
  truncated = false;
  /** Milliseconds the last full build took. */
  buildMs = 0;

  private readonly files = new Set<string>();
  private readonly dirs = new Set<string>();
  private readonly symlinks = new Set<string>();
  private readonly byBase = new Map<string, string[]>();
  /** `.gitignore` matchers by directory (null: the directory has none). */
  private readonly matchers = new Map<string, GitignoreMatcher | null>();
  /** `partlyIgnored` answers by folder (dropped with the matchers when a `.gitignore` changes). */
  private readonly partlyIgnoredDirs = new Map<string, boolean>();
  /** `lstat` answers for paths the index does not hold (files in ignored directories, stale misses). */
  private readonly missCache = new Map<string, 'file' | 'dir' | 'none'>();
  /** Each directory's entries, for `childrenOf`; dropped with the misses on every event and rebuild. */
  private children: Map<string, string[]> | null = null;
  private dirty = false;
  private readonly maxFiles: number;
  private readonly useGitignore: boolean;
  private readonly skipDirNames: ReadonlySet<string>;

  private constructor(root: string, options: FileIndexOptions) {
    this.root = resolve(root);
    this.maxFiles = options.maxFiles ?? 500_000;
    this.useGitignore = options.gitignore ?? true;
    this.skipDirNames = options.skipDirNames ?? SKIPPED_DIR_NAMES;
  }

  /** Walks `root` and returns the index. Never throws: unreadable directories become notes. */
  static build(root: string, options: FileIndexOptions = {}): FileIndex {
    const index = new FileIndex(root, options);
    index.rebuild();
    return index;
  }

  /** Number of files indexed. */
  get size(): number {
    this.refresh();
    return this.files.size;
  }

  /** True when `relPath` is an existing file or directory (symlinks count; their targets are not checked). */
  exists(relPath: string): boolean {
    return this.kindOf(relPath) !== 'none';
  }

  /** 'file', 'dir' or 'none' for a root-relative path. */
  kindOf(relPath: string): 'file' | 'dir' | 'none' {
    this.refresh();
    const rel = normalizeRel(relPath);
    if (rel === '') return 'dir';
    if (this.files.has(rel)) return 'file';
    if (this.dirs.has(rel)) return 'dir';
    const cached = this.missCache.get(rel);
    if (cached) return cached;
    let kind: 'file' | 'dir' | 'none' = 'none';
    try {
      // stat (not lstat): a symlink inside the folder that leads to a file counts as that file. Whether
      // the target is inside the folder is the resolver's question, asked before this one.
      // Most lookups here are misses; a miss that throws costs several times one that returns nothing.
      const stats = statSync(join(this.root, rel), { throwIfNoEntry: false });
      kind = stats === undefined ? 'none' : stats.isDirectory() ? 'dir' : 'file';
    } catch {
      kind = 'none';
    }
    this.missCache.set(rel, kind);
    return kind;
  }

  /**
   * True when the walk listed `relPath` (a file or directory that is not ignored): the test a path's first
   * segment must pass before an unresolved path counts as a missing file rather than someone else's path.
   */
  isIndexed(relPath: string): boolean {
    this.refresh();
    const rel = normalizeRel(relPath);
    return rel !== '' && (this.files.has(rel) || this.dirs.has(rel));
  }

  /**
   * True when a `.gitignore` ignores `relPath` or a folder on its way (whether or not it exists): a missing
   * ignored path is a local or generated file (`.env.local`, `build/out.js`), not rot in the doc.
   */
  isIgnored(relPath: string): boolean {
    this.refresh();
    const parts = normalizeRel(relPath).split('/');
    for (let count = 1; count <= parts.length; count++) {
      if (this.ignored(parts.slice(0, count).join('/'), count < parts.length)) return true;
    }
    return false;
  }

  /**
   * True when a `.gitignore` names entries inside `dirRel` one by one (`.specify/scripts`, `.specify/docs`):
   * the repository keeps part of that folder out of git (links to a user's own files, generated files), so a
   * file missing there may well be one of those local files rather than rot in the doc.
   */
  partlyIgnored(dirRel: string): boolean {
    if (!this.useGitignore) return false;
    this.refresh();
    const dir = normalizeRel(dirRel);
    if (dir === '') return false;
    const known = this.partlyIgnoredDirs.get(dir);
    if (known !== undefined) return known;
    const answer = this.readPartlyIgnored(dir);
    this.partlyIgnoredDirs.set(dir, answer);
    return answer;
  }

  private readPartlyIgnored(dir: string): boolean {
    const parts = dir.split('/');
    for (let count = 0; count <= parts.length; count++) {
      const at = parts.slice(0, count).join('/');
      const text = count === 0 ? `${readText(join(this.root, '.git', 'info', 'exclude')) ?? ''}\n${readText(join(this.root, '.gitignore')) ?? ''}` : readText(join(this.root, at, '.gitignore'));
      if (text === null) continue;
      for (const line of text.split(/\r?\n/)) {
        const rule = line.trim().replace(/^\/+/, '').replace(/\/+$/, '');
        if (rule === '' || rule.startsWith('#') || rule.startsWith('!') || !rule.includes('/')) continue;
        const full = at === '' ? rule : `${at}/${rule}`;
        if (full.startsWith(`${dir}/`) && !/[*?[]/.test(full.slice(0, dir.length))) return true;
      }
    }
    return false;
  }

  /** True when the walk reached `relPath` through real directories and it is not itself a symlink. */
  isKnownReal(relPath: string): boolean {
    this.refresh();
    return (this.files.has(relPath) || this.dirs.has(relPath)) && !this.symlinks.has(relPath);
  }

  /** Indexed files with this basename (case-sensitive), in no particular order. */
  byBasename(name: string): readonly string[] {
    this.refresh();
    return this.byBase.get(name) ?? [];
  }

  /** The one indexed file with this basename other than `except`, or null when there are none or several. */
  uniqueByBasename(name: string, except?: string): string | null {
    const matches = this.byBasename(name).filter((path) => path !== except);
    return matches.length === 1 ? matches[0] : null;
  }

  /** All indexed files (for completion). */
  allFiles(): IterableIterator<string> {
    this.refresh();
    return this.files.values();
  }

  /** Direct children of a directory (completion, moved-file guesses), as names with a trailing `/` for directories. */
  childrenOf(dirRel: string): string[] {
    this.refresh();
    // Built once per change of the index: a scan of every path per call made a plan with 200 missing
    // files ask for 10 million paths.
    this.children ??= this.listChildren();
    return [...(this.children.get(normalizeRel(dirRel)) ?? [])];
  }

  private listChildren(): Map<string, string[]> {
    const children = new Map<string, string[]>();
    const put = (path: string, name: string) => {
      const dir = parentOf(path);
      const list = children.get(dir);
      if (list) list.push(name);
      else children.set(dir, [name]);
    };
    for (const dir of this.dirs) if (dir !== '') put(dir, `${basenameOf(dir)}/`);
    for (const file of this.files) put(file, basenameOf(file));
    for (const list of children.values()) list.sort();
    return children;
  }

  /** Applies a file event (from a watcher). A `.gitignore` change schedules a rebuild on next use. */
  update(relPath: string, change: FileChange): void {
    const rel = normalizeRel(relPath);
    this.missCache.clear();
    this.children = null;
    if (rel === '' || basenameOf(rel) === '.gitignore' || rel === '.git/info/exclude') {
      if (this.useGitignore || rel === '') this.dirty = true;
      return;
    }
    if (change === 'changed') return;
    if (change === 'deleted') {
      this.remove(rel);
      return;
    }
    this.remove(rel);
    this.add(rel);
  }

  /** Rebuilds on next use (for events the watcher may have missed, e.g. a branch switch). */
  markDirty(): void {
    this.dirty = true;
  }

  private refresh(): void {
    if (this.dirty) this.rebuild();
  }

  private rebuild(): void {
    const started = performance.now();
    this.dirty = false;
    this.children = null;
    this.truncated = false;
    this.notes.length = 0;
    this.files.clear();
    this.dirs.clear();
    this.symlinks.clear();
    this.byBase.clear();
    this.matchers.clear();
    this.partlyIgnoredDirs.clear();
    this.missCache.clear();
    this.dirs.add('');
    if (this.useGitignore) {
      // .git/info/exclude applies like a root .gitignore.
      const exclude = readText(join(this.root, '.git', 'info', 'exclude'));
      const rootIgnore = readText(join(this.root, '.gitignore'));
      this.matchers.set('', exclude === null && rootIgnore === null ? null : GitignoreMatcher.from(`${exclude ?? ''}\n${rootIgnore ?? ''}`));
    }
    this.walk('');
    this.buildMs = performance.now() - started;
  }

  /** Walks `startRel` (an existing, not ignored, real directory) and everything below it. */
  private walk(startRel: string): void {
    const stack = [startRel];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let entries;
      try {
        entries = readdirSync(dir === '' ? this.root : join(this.root, dir), { withFileTypes: true });
      } catch (error) {
        this.notes.push(`Skipped directory ${dir || '.'}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        continue;
      }
      this.dirs.add(dir);
      const prefix = dir === '' ? '' : `${dir}/`;
      for (const entry of entries) {
        const rel = prefix + entry.name;
        if (entry.isDirectory()) {
          if (this.skipDirNames.has(entry.name) || this.ignored(rel, true)) continue;
          stack.push(rel);
        } else if (entry.isFile() || entry.isSymbolicLink()) {
          if (this.ignored(rel, false)) continue;
          if (this.files.size >= this.maxFiles) {
            if (!this.truncated) this.notes.push(`Stopped indexing at ${this.maxFiles} files; other paths are checked on disk.`);
            this.truncated = true;
            return;
          }
          this.addFile(rel, entry.isSymbolicLink());
        }
      }
    }
  }

  private addFile(rel: string, symlink: boolean): void {
    this.files.add(rel);
    if (symlink) this.symlinks.add(rel);
    const base = basenameOf(rel);
    const list = this.byBase.get(base);
    if (list) list.push(rel);
    else this.byBase.set(base, [rel]);
  }

  /** Adds a created path: a file, or a directory walked whole. Ignored paths and paths under unindexed directories are left out. */
  private add(rel: string): void {
    if (!this.dirs.has(parentOf(rel))) return;
    let stats;
    try {
      stats = lstatSync(join(this.root, rel));
    } catch {
      return;
    }
    if (stats.isDirectory()) {
      if (this.skipDirNames.has(basenameOf(rel)) || this.ignored(rel, true)) return;
      this.walk(rel);
    } else if (stats.isFile() || stats.isSymbolicLink()) {
      if (!this.ignored(rel, false)) this.addFile(rel, stats.isSymbolicLink());
    }
  }

  private remove(rel: string): void {
    const removeFile = (path: string) => {
      if (!this.files.delete(path)) return;
      this.symlinks.delete(path);
      const base = basenameOf(path);
      const list = this.byBase.get(base);
      if (list) {
        const at = list.indexOf(path);
        if (at !== -1) list.splice(at, 1);
        if (list.length === 0) this.byBase.delete(base);
      }
    };
    removeFile(rel);
    if (this.dirs.has(rel)) {
      const prefix = `${rel}/`;
      for (const path of [...this.files]) if (path.startsWith(prefix)) removeFile(path);
      for (const path of [...this.dirs]) if (path === rel || path.startsWith(prefix)) this.dirs.delete(path);
      for (const path of [...this.matchers.keys()]) if (path === rel || path.startsWith(prefix)) this.matchers.delete(path);
    }
  }

  /** True when a `.gitignore` on the way from the root to `rel` ignores it (deeper files win; `!` re-includes). */
  private ignored(rel: string, isDirectory: boolean): boolean {
    if (!this.useGitignore) return false;
    let ignoredNow = false;
    let dir = '';
    let rest = rel;
    const base = basenameOf(rel);
    for (;;) {
      const matcher = this.matcherFor(dir);
      if (matcher) {
        const verdict = matcher.test(rest, base, isDirectory);
        if (verdict === 'ignored') ignoredNow = true;
        else if (verdict === 'unignored') ignoredNow = false;
      }
      const slash = rest.indexOf('/');
      if (slash === -1) break;
      dir = dir === '' ? rest.slice(0, slash) : `${dir}/${rest.slice(0, slash)}`;
      rest = rest.slice(slash + 1);
    }
    return ignoredNow;
  }

  private matcherFor(dir: string): GitignoreMatcher | null {
    const cached = this.matchers.get(dir);
    if (cached !== undefined) return cached;
    const text = readText(join(this.root, dir, '.gitignore'));
    const matcher = text === null ? null : GitignoreMatcher.from(text);
    this.matchers.set(dir, matcher);
    return matcher;
  }
}

function readText(path: string): string | null {
  // Most directories have no .gitignore: asking first is cheaper than a read that throws.
  if (!existsSync(path)) return null;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Forward slashes, no leading `./` or `/`, no trailing `/`. */
function normalizeRel(relPath: string): string {
  let rel = relPath.replace(/\\/g, '/');
  while (rel.startsWith('./')) rel = rel.slice(2);
  return rel.replace(/^\/+/, '').replace(/\/+$/, '');
}
