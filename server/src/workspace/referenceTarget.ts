/**
 * Deciding what a reference candidate of the model names, the way a reader would: by resolution, not by
 * shape alone. A token such as `isize/usize`, `k8s.io/api` or `feature/login` has the shape of a path but
 * names no file of this workspace, so it is not a reference at all and no rule speaks of it.
 *
 * A candidate is a file reference when
 * 1. it resolves: relative to the doc's folder first, then to the workspace folder root; a bare name
 *    (`proxy.py`) through the file index, when exactly one file has that name;
 * 2. or it is path-shaped and its first segment is a file or directory the index walked (`src/gone.py`
 *    where `src/` exists): then it is a missing file;
 * 3. or it carries a line and a source-file extension (`gone.py:42`): then it is a missing file too.
 *
 * Absolute, `~` and `$VAR` paths are the subject of the doc, not files of the repo: not references. A
 * relative path that climbs out of the folder is reported as escaping only when it otherwise looks like a
 * repo reference (a line, or a known extension).
 */
import type { Reference } from '../model/types';
import { hasKnownExtension } from '../model/references';
import { basenameOf, type FileIndex } from './fileIndex';
import { docDirOf, resolveLexical, type PathResolver } from './paths';

/** The folder services resolution needs (a `FolderWorkspace` has both). */
export interface ReferenceLookup {
  readonly index: FileIndex;
  readonly resolver: PathResolver;
}

/** What a reference candidate names. */
export type ReferenceTarget =
  /** Not a file of this workspace (someone else's path, an identifier): silent, not linked. */
  | { kind: 'none' }
  /** An existing file or directory. `how` says how it was found, for messages and hovers. */
  | { kind: 'found'; absPath: string; relPath: string; fileKind: 'file' | 'dir'; how: 'beside-doc' | 'root' | 'by-name' }
  /** A bare name that several files carry. */
  | { kind: 'ambiguous'; matches: string[] }
  /** A workspace path that does not exist. `looked` says where, `nearest` the deepest existing folder. */
  | { kind: 'missing'; relPath: string; looked: string; nearest: string | null }
  /** A relative reference that climbs out of the folder: reported, never read. */
  | { kind: 'escapes'; reason: string }
  /** Cannot be judged (symlink loop, NUL byte): reported as skipped, never read. */
  | { kind: 'unresolvable'; reason: string };

const NOT_WORKSPACE_PREFIX = /^(?:~|\$|%|<|\{)/;
const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\)/;
/** Example names in instructions (`rfcs/0000-my-feature.md`, `your-app/config.yml`): not files of the repo. */
const PLACEHOLDER_SEGMENT = /(?:^|[/_-])(?:my|your)[-_]|(?:^|\/)(?:example|foo|bar|xxx+|N{3,})(?:[./_-]|$)|YYYY|\bMM-DD\b/i;
/** Files a running program writes, which a doc names but a repository does not hold. */
const RUNTIME_ARTIFACT = /\.(?:pid|log|sock|tmp)$|\.local(?:\.\w+)?$/i;

/** Resolves a non-link reference candidate of the document at `docRelPath` (folder-relative). */
export function resolveReferenceTarget(lookup: ReferenceLookup, reference: Pick<Reference, 'path' | 'line' | 'context'>, docRelPath: string): ReferenceTarget {
  const written = reference.path.replace(/\\/g, '/');
  if (written === '' || NOT_WORKSPACE_PREFIX.test(written) || WINDOWS_ABSOLUTE.test(reference.path)) return { kind: 'none' };
  if (written.startsWith('/')) return rootRelative(lookup, written);
  const docDir = docDirOf(docRelPath);
  // Sub-projects write paths from their own root: try every folder from the doc's up to the root.
  const bases = ancestorsOf(docRelPath);
  const clean = written.replace(/^(?:\.\/)+/, '');
  const base = basenameOf(clean);
  const strongShape = reference.line !== null || hasKnownExtension(base);

  for (const dir of bases) {
    const lexical = resolveLexical(clean, { docDir: dir });
    if (lexical.kind !== 'inside' || lexical.relPath === '') continue;
    const fileKind = lookup.index.kindOf(lexical.relPath);
    if (fileKind === 'none') continue;
    const physical = lookup.resolver.physical(lexical.relPath);
    if (physical.kind !== 'inside') return physical;
    return { kind: 'found', absPath: physical.absPath, relPath: physical.relPath, fileKind, how: dir === '' ? 'root' : 'beside-doc' };
  }

  if (bases.every((dir) => resolveLexical(clean, { docDir: dir }).kind === 'escapes')) {
    if (!strongShape || !written.startsWith('../')) return { kind: 'none' };
    return { kind: 'escapes', reason: `${reference.path} climbs out of the workspace folder` };
  }
  if (clean.split('/').includes('..')) return { kind: 'none' };
  // A code-block header or a prose path without a line counts only when it resolves.
  if (reference.context === 'code-header' && reference.line === null) return { kind: 'none' };
  if (reference.context === 'prose' && reference.line === null) return { kind: 'none' };
  if (RUNTIME_ARTIFACT.test(base) || PLACEHOLDER_SEGMENT.test(clean)) return { kind: 'none' };

  const looked = docDir === '' ? 'looked in the workspace root' : docDir.includes('/') ? `looked in ${docDir}/, the folders above it and the workspace root` : `looked in ${docDir}/ and the workspace root`;
  if (!clean.includes('/')) {
    const matches = lookup.index.byBasename(clean);
    if (matches.length === 1) {
      const physical = lookup.resolver.physical(matches[0]);
      if (physical.kind !== 'inside') return physical;
      return { kind: 'found', absPath: physical.absPath, relPath: physical.relPath, fileKind: 'file', how: 'by-name' };
    }
    if (matches.length > 1) return { kind: 'ambiguous', matches: [...matches].sort() };
    // In prose a bare `Node.js:18` is as likely a product as a file: only a name in code counts as missing.
    if (reference.line !== null && hasKnownExtension(base) && reference.context !== 'prose') {
      return { kind: 'missing', relPath: docDir === '' ? clean : `${docDir}/${clean}`, looked: `${looked}, and no file of that name is anywhere in the workspace`, nearest: null };
    }
    return { kind: 'none' };
  }

  // A missing path needs a file name to be a file (`src/gone.py`); `upstream/latest` or `website/dist` may
  // be a symlink, a build output or a branch, and silence beats a wrong finding.
  if (!/\.[A-Za-z][\w-]*$/.test(base)) return { kind: 'none' };
  // A partial path of one file (`src/main.tsx` for `web/src/main.tsx`, `ui/StatCard.tsx`) names that file.
  const bySuffix = lookup.index.byBasename(base).filter((path) => path.endsWith(`/${clean}`));
  if (bySuffix.length === 1) {
    const physical = lookup.resolver.physical(bySuffix[0]);
    if (physical.kind !== 'inside') return physical;
    return { kind: 'found', absPath: physical.absPath, relPath: physical.relPath, fileKind: 'file', how: 'by-name' };
  }
  if (bySuffix.length > 1) return { kind: 'ambiguous', matches: [...bySuffix].sort() };
  const first = clean.split('/')[0];
  for (const dir of bases) {
    const firstRel = dir === '' ? first : `${dir}/${first}`;
    if (!lookup.index.isIndexed(firstRel)) continue;
    const relPath = dir === '' ? clean : `${dir}/${clean}`;
    if (lookup.index.isIgnored(relPath)) return { kind: 'none' };
    return { kind: 'missing', relPath, looked, nearest: nearestExisting(lookup.index, relPath) };
  }
  if (reference.line !== null && hasKnownExtension(base)) {
    return { kind: 'missing', relPath: clean, looked, nearest: null };
  }
  return { kind: 'none' };
}

/**
 * The folders a doc's relative paths are tried against, in order: its own folder, the project that holds
 * the editor or agent folder it lives in (`app/` for `app/.cursor/plans/x.plan.md`: those tools write
 * paths from there), then the workspace root.
 */
export function basesOf(docRelPath: string): string[] {
  const docDir = docDirOf(docRelPath);
  const bases = [docDir];
  const parts = docDir === '' ? [] : docDir.split('/');
  const hidden = parts.findIndex((part) => part.length > 1 && part.startsWith('.'));
  if (hidden > 0) bases.push(parts.slice(0, hidden).join('/'));
  if (docDir !== '') bases.push('');
  return bases;
}

/** The doc's folder and each folder above it, nearest first, ending with the root (''). */
function ancestorsOf(docRelPath: string): string[] {
  const parts = docDirOf(docRelPath).split('/').filter((part) => part !== '');
  const out: string[] = [];
  for (let count = parts.length; count >= 0; count--) out.push(parts.slice(0, count).join('/'));
  return out;
}

/** `/src/x.py`: a root-relative path when it exists (GitHub reads it so), else an absolute path: not ours. */
function rootRelative(lookup: ReferenceLookup, written: string): ReferenceTarget {
  if (written.startsWith('//')) return { kind: 'none' };
  const relPath = written.replace(/^\/+/, '').replace(/\/+$/, '');
  if (relPath === '' || relPath.split('/').includes('..')) return { kind: 'none' };
  const fileKind = lookup.index.kindOf(relPath);
  if (fileKind === 'none' || !lookup.index.isIndexed(relPath.split('/')[0])) return { kind: 'none' };
  const physical = lookup.resolver.physical(relPath);
  if (physical.kind !== 'inside') return { kind: 'none' };
  return { kind: 'found', absPath: physical.absPath, relPath: physical.relPath, fileKind, how: 'root' };
}

/** The deepest existing folder above `relPath` ('' for the root), for "src/ has no gone.py". */
function nearestExisting(index: FileIndex, relPath: string): string | null {
  const parts = relPath.split('/');
  for (let count = parts.length - 1; count > 0; count--) {
    const dir = parts.slice(0, count).join('/');
    if (index.kindOf(dir) === 'dir') return dir;
  }
  return '';
}
