/**
 * The `docplan check` cache: the outcome of each document, kept in one JSON file
 * (`node_modules/.cache/docplan/check-cache.json` by default), reused when nothing it depends on changed.
 *
 * An entry is valid when all of these are what they were: the doc's content, the DocPlan version, the
 * configuration of its folder, and, for a DocPlan doc, the content ids (git blob ids) of every file its
 * check read, the folder's file listing (a file created or deleted can change a reference's fate) and the
 * git state (HEAD and the index, for drift and renames). A file's content id is re-read only when its
 * stat (size, mtime, inode) moved, so a warm run over an unchanged tree hashes nothing but the docs.
 *
 * A missing, corrupt or foreign cache file is ignored (and replaced when the run saves); a cache that cannot
 * be written costs a note, never the run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { contentIdOf, statKey } from '../workspace/fileCache';
import { GIT_ENV, SAFE_CONFIG } from '../workspace/gitBatch';
import type { DocOutcome } from './batch';
import { directoriesUnchanged, directoryStamps } from './directoryStamps';
import { snapshotIndex } from './snapshotIndex';

/** Cache file name inside the cache location. */
export const CACHE_FILE = 'check-cache.json';
const FORMAT = 'docplan-check-cache';
const FORMAT_VERSION = 2;

/** A file a doc's check read: where, its stat when last seen, and its content id (null: missing or unreadable). */
type Dependency = [path: string, stat: string, contentId: string | null];

interface Entry {
  /** Content hash of the doc. */
  doc: string;
  /** Hash of the folder's configuration. */
  config: string;
  /** Folder listing and git state hashes, for DocPlan docs (null for files that are not). */
  workspace: string | null;
  deps: Dependency[];
  outcome: DocOutcome;
}

interface CacheFile {
  format: typeof FORMAT;
  formatVersion: number;
  docplanVersion: string;
  entries: Record<string, Entry>;
  folders?: Record<string, FolderStamp>;
}

/** sha1 of a string, hex. */
export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The stat key and content id of a file now (null id: missing, unreadable or not a file). */
function probe(path: string): { stat: string; contentId: string | null } {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return { stat: `other:${stats.isDirectory() ? 'dir' : 'special'}`, contentId: null };
    return { stat: statKey(stats), contentId: contentIdOf(readFileSync(path)) };
  } catch (error) {
    return { stat: `missing:${(error as NodeJS.ErrnoException).code ?? ''}`, contentId: null };
  }
}

/** Loaded cache entries plus the ones this run adds; `save` writes them. */
export class CheckCache {
  private readonly entries: Record<string, Entry>;
  private readonly fresh: Record<string, Entry> = {};
  private readonly folders: Record<string, FolderStamp>;
  private readonly folderKeys = new Map<string, string>();
  /** Directory stamps this run already took, by folder root (see `useStamps`). */
  private readonly takenStamps = new Map<string, [string, string][]>();
  /** Why the cache file was not used (corrupt, foreign, older version), or null. */
  readonly discarded: string | null;

  private constructor(
    readonly file: string,
    private readonly version: string,
    entries: Record<string, Entry>,
    discarded: string | null,
    folders: Record<string, FolderStamp> = {},
  ) {
    this.entries = entries;
    this.folders = folders;
    this.discarded = discarded;
  }

  /** Opens the cache in `location` for DocPlan `version`: a bad or foreign file gives an empty cache. */
  static open(location: string, version: string): CheckCache {
    const file = join(location, CACHE_FILE);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return new CheckCache(file, version, {}, null);
    }
    try {
      const data = JSON.parse(text) as Partial<CacheFile> | null;
      if (!data || typeof data !== 'object' || data.format !== FORMAT || data.formatVersion !== FORMAT_VERSION) return new CheckCache(file, version, {}, 'not a DocPlan cache file');
      if (data.docplanVersion !== version) return new CheckCache(file, version, {}, `written by DocPlan ${String(data.docplanVersion)}`);
      if (!data.entries || typeof data.entries !== 'object' || Array.isArray(data.entries)) return new CheckCache(file, version, {}, 'no entries');
      const folders = data.folders && typeof data.folders === 'object' && !Array.isArray(data.folders) ? data.folders : {};
      return new CheckCache(file, version, data.entries, null, folders);
    } catch {
      return new CheckCache(file, version, {}, 'not valid JSON');
    }
  }

  /** The folder's state key (listing and git state), computed once per run, re-walking only what moved. */
  folderKey(root: string): string {
    const known = this.folderKeys.get(root);
    if (known !== undefined) return known;
    const { key, stamp } = folderState(root, this.folders[root], this.takenStamps.get(root));
    this.folders[root] = stamp;
    this.folderKeys.set(root, key);
    return key;
  }

  /**
   * Directory stamps of `root` taken at the start of this run (the run recorder's, before anything was
   * read): a folder state that needs new stamps uses them instead of walking the folder again. Stamps
   * older than the listing they go with only make the next run re-walk sooner, never trust a stale one.
   */
  useStamps(root: string, dirs: [string, string][]): void {
    this.takenStamps.set(root, dirs);
  }

  /**
   * The cached outcome of `path` when still valid. `workspaceKey` is computed on demand (it walks the folder)
   * and only for DocPlan docs.
   */
  lookup(path: string, docHash: string, configHash: string, workspaceKey: () => string): DocOutcome | null {
    const entry = this.entries[path];
    if (!isEntry(entry) || entry.doc !== docHash || entry.config !== configHash) return null;
    if (entry.workspace !== null && entry.workspace !== workspaceKey()) return null;
    const deps: Dependency[] = [];
    for (const [dep, stat, contentId] of entry.deps) {
      let stats: Stats | null = null;
      try {
        stats = statSync(dep, { throwIfNoEntry: false }) ?? null;
      } catch {
        stats = null;
      }
      if (stats?.isFile() && statKey(stats) === stat) {
        deps.push([dep, stat, contentId]);
        continue;
      }
      // The stat moved (or the file is gone): compare contents.
      const now = probe(dep);
      if (now.contentId !== contentId) return null;
      deps.push([dep, now.stat, now.contentId]);
    }
    this.fresh[path] = { ...entry, deps };
    return entry.outcome;
  }

  /** The files the cached or stored outcome of `path` depends on (this run's entry), besides the doc. */
  dependencies(path: string): string[] {
    return (this.fresh[path]?.deps ?? []).map(([dep]) => dep);
  }

  /**
   * Stores the outcome of a check; `reads` are the files it read, with the stat and content id the check
   * read them with where it has them (the others are taken now).
   */
  store(path: string, docHash: string, configHash: string, workspaceKey: string | null, outcome: DocOutcome): void {
    const deps: Dependency[] = outcome.reads.map(({ path: dep, stamp }) => {
      const read = stamp ?? probe(dep);
      return [dep, read.stat, read.contentId];
    });
    this.fresh[path] = { doc: docHash, config: configHash, workspace: workspaceKey, deps, outcome: { ...outcome, reads: [] } };
  }

  /** Writes the entries of this run (entries of files not seen this run are kept). Returns an error message or null. */
  save(): string | null {
    const data: CacheFile = { format: FORMAT, formatVersion: FORMAT_VERSION, docplanVersion: this.version, entries: { ...this.entries, ...this.fresh }, folders: this.folders };
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(data));
      renameSync(temporary, this.file);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}

function isEntry(value: unknown): value is Entry {
  if (!value || typeof value !== 'object') return false;
  const entry = value as Partial<Entry>;
  return (
    typeof entry.doc === 'string' &&
    typeof entry.config === 'string' &&
    (entry.workspace === null || typeof entry.workspace === 'string') &&
    Array.isArray(entry.deps) &&
    entry.deps.every((dep) => Array.isArray(dep) && typeof dep[0] === 'string' && typeof dep[1] === 'string' && (dep[2] === null || typeof dep[2] === 'string')) &&
    isOutcome(entry.outcome)
  );
}

function isOutcome(value: unknown): value is DocOutcome {
  if (!value || typeof value !== 'object') return false;
  const outcome = value as Partial<DocOutcome>;
  return Array.isArray(outcome.findings) && Array.isArray(outcome.notes) && Array.isArray(outcome.ruleErrors) && (outcome.kind === null || typeof outcome.kind === 'string') && (outcome.profile === null || typeof outcome.profile === 'string') && typeof outcome.disabled === 'boolean';
}

/** A folder's file listing, with the directory stamps that say whether it can still be trusted. */
interface FolderStamp {
  /** Each directory (folder-relative) with its stamp (see directoryStamps.ts). */
  dirs: [dir: string, stamp: string][];
  /** Hash of the file index's listing when the stamps were taken. */
  listing: string;
}

/** Hash of the file index's listing of `root` (what reference resolution sees). */
function listingHash(root: string): string {
  const hash = createHash('sha1');
  for (const path of [...snapshotIndex(root).allFiles()].sort()) hash.update(path).update('\0');
  return hash.digest('hex');
}

/** HEAD and the git index's stat (drift and renames depend on them), or '' outside a repository. */
function gitState(root: string): string {
  const git = spawnSync('git', [...SAFE_CONFIG, 'rev-parse', '--absolute-git-dir', '--verify', '--quiet', 'HEAD'], { cwd: root, env: GIT_ENV, encoding: 'utf8', timeout: 10_000, windowsHide: true });
  if (git.status !== 0 && git.stdout === '') return '';
  const lines = git.stdout.trim().split('\n');
  const head = lines.find((line) => /^[0-9a-f]{40,64}$/.test(line)) ?? '';
  const gitDir = lines.find((line) => !/^[0-9a-f]{40,64}$/.test(line)) ?? '';
  let index = 'no-index';
  try {
    if (gitDir !== '') index = statKey(statSync(join(gitDir, 'index')));
  } catch {
    // a repository without an index yet
  }
  return `${head}:${index}`;
}

/**
 * What a DocPlan doc's findings depend on in its folder besides the files it read: the list of files (a
 * created or deleted file changes a reference's fate) and the git state (HEAD and the index: drift and
 * renames). The listing is re-walked only when a directory stamp moved since `previous`; `taken` are stamps
 * this run already took of the folder.
 */
export function folderState(root: string, previous?: FolderStamp, taken?: [string, string][]): { key: string; stamp: FolderStamp } {
  let stamp: FolderStamp | null = null;
  if (previous && Array.isArray(previous.dirs) && typeof previous.listing === 'string') {
    if (directoriesUnchanged(root, previous.dirs)) stamp = previous;
  }
  stamp ??= { dirs: taken ?? directoryStamps(root), listing: listingHash(root) };
  return { key: createHash('sha1').update(`${stamp.listing}\0git:${gitState(root)}`).digest('hex'), stamp };
}

/** `folderState` without a previous stamp. */
export function folderStateKey(root: string): string {
  return folderState(root).key;
}
