/**
 * What git's history says about paths a doc names that are missing from the working tree: did the path
 * ever exist (on HEAD's history), which commit last touched it (its removal), where git saw it go, and
 * whether that happened after the doc was last committed. The reference rules use it to tell a record of
 * finished work that names the tree of its time (a file moved by a later change: history) from rot in a
 * doc that presents the current system, and a ticked task whose file was moved later from a phantom
 * completion whose file never existed.
 *
 * Git processes are bounded per run, not per doc or path: one `git log --full-history --name-status` over
 * the pathspecs of every asked path and doc at once (read from stdin, so no command-line limit), and, when
 * some of them were deleted, one `git diff-tree --stdin -M` over the deleting commits for the renames. A
 * pathspec log is several times faster than one unfiltered pass over the whole history filtered in process
 * (0.3 s against 2 s on a repository of 7,000 commits). `--full-history` keeps the commits of merged side
 * branches, which the default history simplification would drop. Answers are cached until HEAD moves; no
 * git runs when nothing is asked; without git (or outside a repository) every answer is unknown and the
 * rules keep their behaviour without history.
 */
import { resolve } from 'node:path';
import { GitRepo, HeadWatch, isUnknown, type GitOptions, type Unknown } from './git';
import { runGitWithInput } from './gitBatch';

/** What history says about one folder-relative path. */
export type PathPast =
  /** The path was committed once; `lastCommit` last touched it (usually its removal). */
  /** `removedInHistory`: the last commit that touched it removed it or made it a link (false: HEAD still has the file; its removal is not committed). */
  | { kind: 'existed'; lastCommit: string; renamedTo: string | null; removedInHistory: boolean }
  /** No commit on HEAD's history ever had the path. */
  | { kind: 'never' };

const OBJECT_ID = /^[0-9a-f]{40,64}$/;

/** One commit's place in a log: its id, position (0 = newest), commit time (Unix seconds, 0 unknown) and the path's status letter. */
export interface LogEntry {
  commit: string;
  order: number;
  time: number;
  status: string;
}

/** One parsed `git log --name-status` answer: per wanted path, its newest and its oldest commit. */
export interface LogAnswer {
  /** Top-relative path -> the newest commit touching it. */
  touched: Map<string, LogEntry>;
  /** Top-relative path -> the oldest commit touching it (for a doc: when it came to its path). */
  arrived: Map<string, LogEntry>;
}

/**
 * Parses `git log -z --format=%x01%H %ct --name-status --no-renames` output (the time is optional),
 * keeping the newest and the oldest entry of each wanted path (a file, or a directory through the files
 * below it).
 */
export function parseNameStatusLog(output: string, wanted: ReadonlySet<string>, bareNames: ReadonlyMap<string, string> = new Map()): LogAnswer {
  const touched: LogAnswer['touched'] = new Map();
  const arrived: LogAnswer['arrived'] = new Map();
  const fields = output.split('\0');
  let commit: string | null = null;
  let time = 0;
  let order = -1;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i].replace(/^\n/, '');
    if (field.startsWith('\x01')) {
      const [id, seconds] = field.slice(1).split(' ');
      commit = id;
      time = Number(seconds) || 0;
      order++;
      continue;
    }
    if (commit === null || field === '') continue;
    const path = fields[i + 1];
    i++;
    if (path === undefined) break;
    const keys = keysOf(path, wanted);
    // A bare name (`x.py`) was asked about wherever it lived: any folder's file of that name answers it.
    const bare = bareNames.get(path.slice(path.lastIndexOf('/') + 1));
    if (bare !== undefined && !keys.includes(bare)) keys.push(bare);
    for (const key of keys) {
      const entry = { commit, order, time, status: field.charAt(0) };
      if (!touched.has(key)) touched.set(key, entry);
      arrived.set(key, entry);
    }
  }
  return { touched, arrived };
}

/** The wanted keys a changed path answers: itself, and each folder above it that was asked about. */
function keysOf(path: string, wanted: ReadonlySet<string>): string[] {
  const keys: string[] = [];
  if (wanted.has(path)) keys.push(path);
  for (let at = path.lastIndexOf('/'); at > 0; at = path.lastIndexOf('/', at - 1)) {
    const dir = path.slice(0, at);
    if (wanted.has(dir)) keys.push(dir);
  }
  return keys;
}

/** Parses `git diff-tree --stdin -z -M -r --name-status` output: renames per commit (old -> new, top-relative). */
export function parseRenames(output: string): Map<string, Map<string, string>> {
  const renames = new Map<string, Map<string, string>>();
  const fields = output.split('\0');
  let commit: string | null = null;
  for (let i = 0; i < fields.length; ) {
    const field = fields[i].replace(/^\n/, '');
    if (OBJECT_ID.test(field)) {
      commit = field;
      i++;
    } else if (/^[RC]\d*$/.test(field)) {
      if (field.startsWith('R') && commit !== null) {
        const map = renames.get(commit) ?? new Map<string, string>();
        map.set(fields[i + 1], fields[i + 2]);
        renames.set(commit, map);
      }
      i += 3;
    } else if (field === '') {
      i++;
    } else {
      i += 2;
    }
  }
  return renames;
}

/**
 * The history of missing paths in one workspace folder: `prepare` (async, batched), then sync lookups.
 * Paths are folder-relative; the folder may sit below the repository's top level.
 */
export class PathHistory {
  private repo: GitRepo | Unknown | null = null;
  private opening: Promise<GitRepo | Unknown> | null = null;
  private readonly head: HeadWatch;
  private readonly pasts = new Map<string, PathPast | Unknown>();
  /** Folder-relative path -> position and time of its newest commit in the log that answered it, with that log's id. */
  private readonly orders = new Map<string, { log: number; order: number; time: number }>();
  /** Folder-relative doc path -> position and time of the oldest commit that had it at that path. */
  private readonly arrivals = new Map<string, { log: number; order: number; time: number }>();
  private logs = 0;
  /** `git log` processes started (for tests: one per batch of new paths). */
  queries = 0;
  private readonly root: string;

  constructor(
    root: string,
    private readonly options: GitOptions = {},
  ) {
    this.root = resolve(root);
    this.head = new HeadWatch(options.headCheckMs ?? 2000);
  }

  /**
   * Asks git about every path of `relPaths` not known yet (and the docs of `docRelPaths`, to place the
   * removals against the docs' last commits). Never rejects; nothing runs when every path is known.
   */
  async prepare(relPaths: Iterable<string>, docRelPaths: Iterable<string> = []): Promise<void> {
    try {
      const paths = [...new Set(relPaths)].filter((path) => path !== '' && !/[\n\r\0]/.test(path));
      if (paths.length === 0) return;
      const repo = await this.openRepo();
      if (isUnknown(repo)) return;
      await this.checkHead(repo);
      const fresh = paths.filter((path) => !this.pasts.has(path));
      if (fresh.length === 0) return;
      const docs = [...new Set(docRelPaths)].filter((path) => path !== '' && !/[\n\r\0]/.test(path));
      await this.load(repo, fresh, docs);
    } catch {
      // A git problem is an unknown answer, never a failed check.
    }
  }

  /** What history says about `relPath`: `undefined` before `prepare`, unknown when git could not say. */
  past(relPath: string): PathPast | Unknown | undefined {
    if (this.repo !== null && isUnknown(this.repo)) return this.repo;
    return this.pasts.get(relPath);
  }

  /**
   * When `relPath` was last touched (removed) against the doc's last commit: in that same commit (the doc
   * was committed with the change, usually its own work), `after` it (the doc was written against a tree
   * that still had it), or `before` it; null when git cannot place both.
   */
  changeVersusDoc(docRelPath: string, relPath: string): 'same' | 'after' | 'before' | null {
    const path = this.orders.get(relPath);
    const doc = this.orders.get(docRelPath);
    if (!path || !doc || path.log !== doc.log) return null;
    return path.order === doc.order ? 'same' : path.order < doc.order ? 'after' : 'before';
  }

  /**
   * True when the doc came to its path within `windowSeconds` after `relPath` was removed: it was written
   * (or moved here) in the wake of that removal, knowing the file is gone (a handoff to restore deleted
   * tests, a plan carried off a tree that a rewrite replaced). False when git cannot place both.
   */
  docArrivedAfterRemoval(docRelPath: string, relPath: string, windowSeconds: number): boolean {
    const path = this.orders.get(relPath);
    const arrived = this.arrivals.get(docRelPath);
    if (!path || !arrived || path.log !== arrived.log || path.time === 0 || arrived.time === 0) return false;
    // A later commit (a smaller position in the log), within the window.
    return arrived.order < path.order && arrived.time - path.time <= windowSeconds;
  }

  /** Forgets every answer (a commit, checkout or reset moved HEAD). */
  invalidate(): void {
    this.pasts.clear();
    this.orders.clear();
    this.arrivals.clear();
    this.head.forget();
  }

  private async openRepo(): Promise<GitRepo | Unknown> {
    if (this.repo) return this.repo;
    this.opening ??= GitRepo.open(this.root, this.options);
    this.repo = await this.opening;
    return this.repo;
  }

  private async checkHead(repo: GitRepo): Promise<void> {
    if (await this.head.moved(repo)) {
      this.pasts.clear();
      this.orders.clear();
      this.arrivals.clear();
    }
  }


  private async load(repo: GitRepo, paths: readonly string[], docs: readonly string[]): Promise<void> {
    const options = { timeoutMs: this.options.timeoutMs ?? 10_000, maxBuffer: this.options.maxBuffer ?? 64 * 1024 * 1024 };
    const git = this.options.git ?? 'git';
    if (this.head.value === '') {
      for (const path of paths) this.pasts.set(path, { kind: 'never' });
      return;
    }
    const prefix = repo.folderPrefix(this.root);
    if (prefix === null) {
      for (const path of paths) this.pasts.set(path, { kind: 'unknown', reason: 'the folder is outside the git repository' });
      return;
    }
    const topOf = (rel: string) => (prefix === '' ? rel : `${prefix}/${rel}`);
    const folderOf = (top: string) => (prefix === '' ? top : top.startsWith(`${prefix}/`) ? top.slice(prefix.length + 1) : null);
    const asked = [...new Set([...paths, ...docs])];
    const wanted = new Set(asked.map(topOf));
    // A bare name a doc gives without its folder (`llm_client.py`) is looked for in every folder.
    const bareNames = new Map(paths.filter((path) => /^[\w.@+-]+$/.test(path)).map((name) => [name, topOf(name)]));
    // With bare names, every other pathspec is marked literal, so only the bare-name globs are patterns.
    const magic = bareNames.size > 0;
    const specs = magic
      ? [...[...wanted].map((path) => `:(literal)${path}`), ...[...bareNames.keys()].map((name) => `:(glob)${prefix === '' ? '' : `${prefix}/`}**/${name}`)]
      : [...wanted];
    this.queries++;
    const log = await runGitWithInput(git, repo.top, ['log', '--stdin', '-z', '--full-history', '--format=%x01%H %ct', '--name-status', '--no-renames', '--no-show-signature'], `HEAD\n--\n${specs.join('\n')}\n`, { ...options, pathspecMagic: magic });
    if (!log.ok) {
      for (const path of paths) this.pasts.set(path, { kind: 'unknown', reason: log.reason });
      return;
    }
    const { touched, arrived } = parseNameStatusLog(log.stdout.toString('utf8'), wanted, bareNames);
    const id = ++this.logs;
    for (const path of asked) {
      const entry = touched.get(topOf(path));
      if (entry) this.orders.set(path, { log: id, order: entry.order, time: entry.time });
    }
    for (const doc of docs) {
      const entry = arrived.get(topOf(doc));
      if (entry) this.arrivals.set(doc, { log: id, order: entry.order, time: entry.time });
    }
    // Where each removed path went: the renames of the commits that removed them, in one process.
    const deleting = [...new Set(paths.map((path) => touched.get(topOf(path))).filter((entry) => entry?.status === 'D').map((entry) => entry!.commit))];
    let renames = new Map<string, Map<string, string>>();
    if (deleting.length > 0) {
      const tree = await runGitWithInput(git, repo.top, ['diff-tree', '--stdin', '-z', '-M', '-r', '--name-status', '--no-ext-diff', '--no-textconv'], `${deleting.join('\n')}\n`, options);
      if (tree.ok) renames = parseRenames(tree.stdout.toString('utf8'));
    }
    for (const path of paths) {
      const entry = touched.get(topOf(path));
      if (!entry) {
        this.pasts.set(path, { kind: 'never' });
        continue;
      }
      const to = renames.get(entry.commit)?.get(topOf(path));
      this.pasts.set(path, { kind: 'existed', lastCommit: entry.commit, renamedTo: to === undefined ? null : folderOf(to), removedInHistory: entry.status === 'D' || entry.status === 'T' });
    }
  }
}

