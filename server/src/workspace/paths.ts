/**
 * Resolving the path a reference names to a file inside the document's workspace folder, and refusing
 * anything that escapes it.
 *
 * Two checks, both required before a file is read:
 * 1. lexical: the path, normalised (`.`/`..` collapsed, `\` taken as `/`), stays under the root; absolute
 *    paths (`/etc/passwd`, `C:\x`, `\\server\share`), home paths (`~/x`) and NUL bytes are refused;
 * 2. physical: the real path (symlinks resolved with `realpath`) of the file, or of its deepest existing
 *    ancestor when it does not exist, stays under the root's real path. A dangling symlink is judged by
 *    its target. A symlink loop is `unresolvable`, never followed forever (the kernel's ELOOP).
 *
 * Code references (`src/x.py:12`) are relative to the workspace folder; Markdown links are relative to
 * the document's directory, except `/docs/x.md`, which (as on GitHub) is relative to the folder root.
 *
 * `PathResolver` caches the physical verdicts per path (invalidate on file events); when a `FileIndex` is
 * given, paths the index walked (it never descends symlinked directories) skip `realpath` entirely.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';

/** Where a reference path leads. */
export type ResolvedPath =
  /** Inside the folder: safe to read. `relPath` uses forward slashes and no `./`; '' is the root itself. */
  | { kind: 'inside'; absPath: string; relPath: string }
  /** Outside the folder (or absolute): report it, never read it. */
  | { kind: 'escapes'; reason: string }
  /** Cannot be judged (symlink loop, unusable characters): report it as skipped, never read it. */
  | { kind: 'unresolvable'; reason: string };

/** How the path was written. */
export interface ResolveOptions {
  /**
   * Directory of the document relative to the root (forward slashes, '' for the root). When set, the
   * path is relative to it (Markdown links); otherwise it is relative to the root (code references).
   */
  docDir?: string | null;
  /** Treat a leading `/` as "from the folder root" (Markdown links, as GitHub does) instead of absolute. */
  leadingSlashIsRoot?: boolean;
}

/** Drive letters, UNC paths and POSIX absolute paths. */
const ABSOLUTE = /^(?:[A-Za-z]:[\\/]|[A-Za-z]:$|[\\/]{2}|\/)/;

/**
 * The lexical half: normalises `path` and tells whether it stays under the root. Touches no file system.
 * Returns the root-relative path (forward slashes) when inside.
 */
export function resolveLexical(path: string, options: ResolveOptions = {}): { kind: 'inside'; relPath: string } | { kind: 'escapes' | 'unresolvable'; reason: string } {
  if (path.includes('\0')) return { kind: 'unresolvable', reason: 'the path contains a NUL character' };
  let written = path.replace(/\\/g, '/');
  if (written.startsWith('~/') || written === '~') return { kind: 'escapes', reason: `"${path}" is relative to a home directory, outside the workspace folder` };
  let base = options.docDir ?? '';
  if (ABSOLUTE.test(written) || /^[A-Za-z]:/.test(written)) {
    if (options.leadingSlashIsRoot && written.startsWith('/') && !written.startsWith('//')) {
      written = written.replace(/^\/+/, '');
      base = '';
    } else {
      return { kind: 'escapes', reason: `"${path}" is an absolute path; references must be relative to the workspace folder` };
    }
  }
  const joined = posix.normalize(posix.join('/', base, written));
  // posix.normalize on a rooted path clamps `..` at `/`, so compare against the un-clamped walk.
  if (climbsOut(base, written)) return { kind: 'escapes', reason: `"${path}" leads outside the workspace folder` };
  const relPath = joined.replace(/^\/+/, '').replace(/\/+$/, '');
  return { kind: 'inside', relPath };
}

/** True when walking `base` then `path` segment by segment ever goes above the root. */
function climbsOut(base: string, path: string): boolean {
  let depth = 0;
  for (const segment of `${base}/${path}`.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      depth--;
      if (depth < 0) return true;
    } else {
      depth++;
    }
  }
  return false;
}

/** Something that knows which paths a walk saw as real (non-symlink) files and directories. */
export interface KnownRealPaths {
  /** True when the index walked to `relPath` through real directories and it is not itself a symlink. */
  isKnownReal(relPath: string): boolean;
}

/** `child` is `root` or below it (both absolute, already real). */
export function isWithin(root: string, child: string): boolean {
  if (child === root) return true;
  const rel = relative(root, child);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * Resolves reference paths against one workspace folder root, with the physical (symlink) check. Build one
 * per folder; call `invalidate` when files are created, deleted or renamed.
 */
export class PathResolver {
  readonly root: string;
  private realRoot: string | null = null;
  private readonly verdicts = new Map<string, ResolvedPath>();
  /** Lexical results by (doc dir, flag, path as written): pure, never invalidated. */
  private readonly lexical = new Map<string, ReturnType<typeof resolveLexical>>();

  constructor(root: string, private readonly known: KnownRealPaths | null = null) {
    this.root = resolve(root);
  }

  /** Resolves `path` (as written in the doc) to a file inside the folder, or says why not. */
  resolve(path: string, options: ResolveOptions = {}): ResolvedPath {
    const key = `${options.docDir ?? ''}\0${options.leadingSlashIsRoot ? 1 : 0}\0${path}`;
    let lexical = this.lexical.get(key);
    if (!lexical) {
      lexical = resolveLexical(path, options);
      if (this.lexical.size > 100_000) this.lexical.clear();
      this.lexical.set(key, lexical);
    }
    if (lexical.kind !== 'inside') return lexical;
    return this.physical(lexical.relPath);
  }

  /** Resolves a root-relative path (already lexically inside) against the file system. */
  physical(relPath: string): ResolvedPath {
    const cached = this.verdicts.get(relPath);
    if (cached) return cached;
    const absPath = relPath === '' ? this.root : resolve(this.root, relPath);
    let verdict: ResolvedPath;
    if (this.known?.isKnownReal(relPath)) {
      verdict = { kind: 'inside', absPath, relPath };
    } else {
      verdict = this.check(absPath, relPath);
    }
    this.verdicts.set(relPath, verdict);
    return verdict;
  }

  /** Forgets cached verdicts for `relPath` and everything below it (or everything, without an argument). */
  invalidate(relPath?: string): void {
    if (relPath === undefined || relPath === '') {
      this.verdicts.clear();
      this.realRoot = null;
      return;
    }
    const prefix = `${relPath}/`;
    for (const key of this.verdicts.keys()) {
      if (key === relPath || key.startsWith(prefix)) this.verdicts.delete(key);
    }
  }

  private rootReal(): string {
    if (this.realRoot === null) {
      try {
        this.realRoot = realpathSync.native(this.root);
      } catch {
        this.realRoot = this.root;
      }
    }
    return this.realRoot;
  }

  private check(absPath: string, relPath: string): ResolvedPath {
    const realRoot = this.rootReal();
    // Walk up to the deepest existing ancestor: a missing file is judged by where its directory really is.
    let probe = absPath;
    for (let guard = 0; guard < 4096; guard++) {
      let real: string | null = null;
      try {
        real = realpathSync.native(probe);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') return { kind: 'unresolvable', reason: `${relPath}: symlink loop, skipped` };
        if (code === 'ENAMETOOLONG') return { kind: 'unresolvable', reason: `${relPath}: path too long` };
        if (code !== 'ENOENT' && code !== 'ENOTDIR') return { kind: 'unresolvable', reason: `${relPath}: cannot be resolved (${code ?? String(error)})` };
        const dangling = danglingTarget(probe);
        if (dangling !== null) {
          const target = resolve(dirname(probe), dangling);
          // Judge the target lexically against both the root and its real path: it does not exist, so
          // nothing can be read through it, but a link aimed outside is still an escape.
          if (!isWithin(this.root, target) && !isWithin(realRoot, target)) {
            return { kind: 'escapes', reason: `${relPath} is a symlink to ${dangling}, outside the workspace folder` };
          }
        }
      }
      if (real !== null) {
        if (!isWithin(realRoot, real)) {
          return { kind: 'escapes', reason: `${relPath} leads outside the workspace folder through a symlink` };
        }
        return { kind: 'inside', absPath, relPath };
      }
      const parent = dirname(probe);
      if (parent === probe) break;
      probe = parent;
    }
    return { kind: 'inside', absPath, relPath };
  }
}

/** The link text of a symlink whose target does not exist, or null when `path` is not a symlink. */
function danglingTarget(path: string): string | null {
  try {
    if (!lstatSync(path).isSymbolicLink()) return null;
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/** Percent-decodes a Markdown link destination (`my%20file.md`); keeps the text when it is malformed. */
export function decodeLinkPath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The document's directory relative to its folder root ('' at the root), from its root-relative path. */
export function docDirOf(docRelPath: string): string {
  const dir = posix.dirname(docRelPath.replace(/\\/g, '/'));
  return dir === '.' ? '' : dir;
}

/**
 * The workspace folder (of several) that holds `absPath`: the longest root that contains it, or null.
 * Roots are absolute file-system paths.
 */
export function folderRootFor(absPath: string, roots: readonly string[]): string | null {
  const target = resolve(absPath);
  let best: string | null = null;
  for (const root of roots) {
    const candidate = resolve(root);
    if (isWithin(candidate, target) && (best === null || candidate.length > best.length)) best = candidate;
  }
  return best;
}
