/**
 * Line drift through git: where do the lines a doc referenced when it was last committed sit now?
 *
 * For a doc: the commit that last touched it (`git log -1 --format=%H -- doc`), the doc's own text then
 * (to tell references written before that commit from ones typed since), the referenced files' content at
 * that commit (one `git cat-file --batch` process for all of them), and the renames since then
 * (`git diff -M --name-status <commit>`, commit against the working tree). Each old file is then mapped to
 * its working-tree content with an in-process line diff (`diffLines`).
 *
 * Why an in-process diff rather than `git diff --no-index`: one process per referenced file would cost
 * milliseconds each (hundreds of files per doc); the user's diff configuration (external diff drivers,
 * textconv, `diff.algorithm`, colour) cannot change the result or run anything; it needs no temporary
 * files; and it maps against whatever text we hand it (the same bytes the other rules read). Git is used
 * only to fetch blobs and list renames, with `--no-ext-diff --no-textconv` and `core.fsmonitor=false`.
 *
 * Git runs through `execFile`/`spawn` (never a shell) with timeouts and literal pathspecs. Without git,
 * outside a repository, for an untracked doc or on any git error, the answers are `{ kind: 'unknown' }`:
 * the drift rule says nothing, everything else works.
 *
 * Sync lookups for sync rules follow the symbols pattern: `await history.prepare(doc, paths)` before
 * checking, then `drift(...)` / `renamedTo(...)` read the cache (`undefined` = not prepared).
 */
import { execFile, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { FileCache } from './fileCache';
import { splitLines } from './fileCache';
import { BlobReader, GIT_ENV, lastCommits, renamesToHead, SAFE_CONFIG } from './gitBatch';

/** An answer git could not give, and why. */
export interface Unknown {
  kind: 'unknown';
  reason: string;
}

/** Options for running git. */
export interface GitOptions {
  /** The git executable (default `git`). */
  git?: string;
  /** Per-command timeout (default 10 s). */
  timeoutMs?: number;
  /** Largest output accepted from one command (default 64 MiB). */
  maxBuffer?: number;
  /** Largest old file content mapped (default 2 MiB). */
  maxFileBytes?: number;
  /** Do not ask git more than once per this many ms whether HEAD moved (default 2000). */
  headCheckMs?: number;
}

/** Runs git in `cwd` and returns stdout, or why it failed. */
export function runGit(args: readonly string[], cwd: string, options: GitOptions = {}): Promise<{ ok: true; stdout: Buffer } | { ok: false; reason: string; missingGit: boolean }> {
  return new Promise((resolvePromise) => {
    execFile(
      options.git ?? 'git',
      [...SAFE_CONFIG, ...args],
      { cwd, env: GIT_ENV, timeout: options.timeoutMs ?? 10_000, maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024, encoding: 'buffer', windowsHide: true, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const missingGit = code === 'ENOENT';
          const reason = missingGit
            ? 'git is not installed'
            : (error as { killed?: boolean }).killed
              ? `git ${args[0]} timed out`
              : (stderr.toString('utf8').trim().split('\n')[0] || error.message);
          resolvePromise({ ok: false, reason, missingGit });
          return;
        }
        resolvePromise({ ok: true, stdout });
      },
    );
  });
}

/** One git repository (the one holding a workspace folder). */
export class GitRepo {
  private constructor(
    /** Repository top level, as git prints it (a real path). */
    readonly top: string,
    private readonly options: GitOptions,
  ) {}

  /** The repository holding `dir`, or why there is none (not a repository, no git). */
  static async open(dir: string, options: GitOptions = {}): Promise<GitRepo | Unknown> {
    const result = await runGit(['rev-parse', '--show-toplevel'], dir, options);
    if (!result.ok) return { kind: 'unknown', reason: result.missingGit ? result.reason : `not in a git repository (${result.reason})` };
    const top = result.stdout.toString('utf8').trim();
    if (top === '') return { kind: 'unknown', reason: 'not in a git work tree' };
    return new GitRepo(resolve(top), options);
  }

  /** `absPath` relative to the top level (forward slashes), or null when outside it. */
  relative(absPath: string): string | null {
    let real = absPath;
    try {
      real = realpathSync.native(absPath);
    } catch {
      // A missing file: resolve its nearest existing parent, so that /tmp -> /private/tmp and the like match.
      real = realParentPath(absPath);
    }
    const rel = relative(this.top, real);
    if (rel === '' || rel.startsWith('..') || resolve(this.top, rel) !== resolve(real)) return null;
    return rel.split(sep).join('/');
  }

  /** A workspace folder's path below the repository top (`''` at the top), or null outside the repository. */
  folderPrefix(root: string): string | null {
    const rel = this.relative(resolve(root));
    if (rel !== null) return rel;
    const direct = relative(this.top, resolve(root));
    if (direct === '') return '';
    return direct.startsWith('..') ? null : direct.split(sep).join('/');
  }

  /** The commit hash of HEAD, or unknown (e.g. a repository without commits). */
  async head(): Promise<string | Unknown> {
    const result = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], this.top, this.options);
    if (!result.ok) return { kind: 'unknown', reason: 'the repository has no commits' };
    return result.stdout.toString('utf8').trim();
  }

  /** The last commit that touched `relPath` (top-relative), null when it was never committed. */
  async lastCommitOf(relPath: string): Promise<string | null | Unknown> {
    const result = await runGit(['log', '-1', '--format=%H', '--no-show-signature', '--', relPath], this.top, this.options);
    if (!result.ok) return { kind: 'unknown', reason: result.reason };
    const hash = result.stdout.toString('utf8').trim();
    return /^[0-9a-f]{40,64}$/.test(hash) ? hash : null;
  }

  /**
   * Contents of several top-relative paths at `commit`, through one `git cat-file --batch`: a Buffer per
   * path, or null where the path did not exist at that commit (or is not a file).
   */
  async showMany(commit: string, relPaths: readonly string[]): Promise<Map<string, Buffer | null> | Unknown> {
    const out = new Map<string, Buffer | null>();
    const wanted = relPaths.filter((path) => {
      if (/[\n\r\0]/.test(path)) {
        out.set(path, null);
        return false;
      }
      return true;
    });
    if (wanted.length === 0) return out;
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return { kind: 'unknown', reason: `not a commit id: ${commit}` };
    const result = await batch(this.options.git ?? 'git', this.top, wanted.map((path) => `${commit}:${path}`).join('\n') + '\n', this.options);
    if (!result.ok) return { kind: 'unknown', reason: result.reason };
    const buffer = result.stdout;
    let at = 0;
    for (const path of wanted) {
      const newline = buffer.indexOf(10, at);
      if (newline === -1) return { kind: 'unknown', reason: 'git cat-file output ended early' };
      const header = buffer.subarray(at, newline).toString('utf8');
      at = newline + 1;
      const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!match) {
        out.set(path, null); // "<name> missing" / "ambiguous"
        continue;
      }
      const size = Number(match[2]);
      out.set(path, match[1] === 'blob' ? buffer.subarray(at, at + size) : null);
      at += size + 1;
    }
    return out;
  }

  /** Content of one top-relative path at `commit`: a Buffer, or null when it did not exist then. */
  async show(commit: string, relPath: string): Promise<Buffer | null | Unknown> {
    const many = await this.showMany(commit, [relPath]);
    return isUnknown(many) ? many : (many.get(relPath) ?? null);
  }

  /**
   * Renames between `commit` and the working tree (tracked files: staged or committed renames), as
   * old top-relative path -> new top-relative path. A plain `mv` not yet added to git is not seen.
   */
  async renamesSince(commit: string): Promise<Map<string, string> | Unknown> {
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return { kind: 'unknown', reason: `not a commit id: ${commit}` };
    const result = await runGit(['diff', '-M', '--name-status', '-z', '--no-ext-diff', '--no-textconv', '--no-color', commit, '--'], this.top, this.options);
    if (!result.ok) return { kind: 'unknown', reason: result.reason };
    const fields = result.stdout.toString('utf8').split('\0');
    const renames = new Map<string, string>();
    for (let i = 0; i < fields.length; ) {
      const status = fields[i];
      if (status === '') break;
      if (status.startsWith('R') || status.startsWith('C')) {
        if (status.startsWith('R')) renames.set(fields[i + 1], fields[i + 2]);
        i += 3;
      } else {
        i += 2;
      }
    }
    return renames;
  }
}

/** Runs `git cat-file --batch` with `input` on stdin (spawn, no shell), with a timeout and an output cap. */
function batch(git: string, cwd: string, input: string, options: GitOptions): Promise<{ ok: true; stdout: Buffer } | { ok: false; reason: string }> {
  return new Promise((resolvePromise) => {
    const max = options.maxBuffer ?? 64 * 1024 * 1024;
    let child;
    try {
      child = spawn(git, [...SAFE_CONFIG, 'cat-file', '--batch'], { cwd, env: GIT_ENV, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      resolvePromise({ ok: false, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (value: { ok: true; stdout: Buffer } | { ok: false; reason: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(value);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, reason: 'git cat-file timed out' });
    }, options.timeoutMs ?? 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        child.kill('SIGKILL');
        finish({ ok: false, reason: 'git cat-file output too large' });
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.resume();
    child.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, reason: error.code === 'ENOENT' ? 'git is not installed' : error.message }));
    child.on('close', (code) => finish(code === 0 ? { ok: true, stdout: Buffer.concat(chunks) } : { ok: false, reason: `git cat-file exited with ${code}` }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'unknown';
}

function realParentPath(absPath: string): string {
  let probe = resolve(absPath);
  const rest: string[] = [];
  for (;;) {
    try {
      return resolve(realpathSync.native(probe), ...rest.reverse());
    } catch {
      const parent = resolve(probe, '..');
      if (parent === probe) return resolve(absPath);
      rest.push(probe.slice(parent.length).replace(/^[\\/]/, ''));
      probe = parent;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Line mapping

/**
 * For each old line (1-based index), its new line number, or 0 when the line was changed or deleted.
 * Index 0 is unused.
 */
export type LineMap = Int32Array;

/** Above this many differences in the changed middle of a file, Myers gives way to unique-line anchoring. */
const MAX_EDIT_DISTANCE = 1500;

/**
 * Line diff of `oldLines` against `newLines`: common prefix and suffix first (most edits are local), then
 * Myers' O(ND) shortest edit script on the middle. When the middle differs by more than
 * `MAX_EDIT_DISTANCE` lines, lines that occur exactly once on each side are matched instead (patience-style
 * anchors) and the rest count as changed: bounded time and memory on any input.
 */
export function diffLines(oldLines: readonly string[], newLines: readonly string[]): LineMap {
  const map = new Int32Array(oldLines.length + 1);
  let prefix = 0;
  while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) {
    map[prefix + 1] = prefix + 1;
    prefix++;
  }
  let suffix = 0;
  while (
    suffix < oldLines.length - prefix &&
    suffix < newLines.length - prefix &&
    oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
  ) {
    map[oldLines.length - suffix] = newLines.length - suffix;
    suffix++;
  }
  const a = oldLines.slice(prefix, oldLines.length - suffix);
  const b = newLines.slice(prefix, newLines.length - suffix);
  if (a.length === 0 || b.length === 0) return map;
  // Lines to integers: comparisons in the inner loop become integer compares.
  const ids = new Map<string, number>();
  const idOf = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const ai = Int32Array.from(a, idOf);
  const bi = Int32Array.from(b, idOf);
  const pairs = myers(ai, bi, MAX_EDIT_DISTANCE) ?? uniqueAnchors(ai, bi);
  for (const [x, y] of pairs) map[prefix + x + 1] = prefix + y + 1;
  return map;
}

/** Matched index pairs (0-based) of Myers' shortest edit script, or null past `maxD` differences. */
function myers(a: Int32Array, b: Int32Array, maxD: number): [number, number][] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxD);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    // Keep the slice [-d, d] of V before this round, for the backtrack.
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], a: Int32Array, b: Int32Array, dEnd: number): [number, number][] {
  const pairs: [number, number][] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d >= 0; d--) {
    const v = trace[d]; // slice of V before round d: index (k + d + 1) holds V[k]
    const at = (k: number) => v[k + d + 1];
    const k = x - y;
    let previousK: number;
    if (d === 0) {
      previousK = 0;
    } else {
      previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    }
    const previousX = d === 0 ? 0 : at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    if (d > 0) {
      x = previousX;
      y = previousY;
    }
  }
  return pairs.reverse();
}

/** Lines unique on both sides, kept in increasing order on both (longest increasing subsequence). */
function uniqueAnchors(a: Int32Array, b: Int32Array): [number, number][] {
  const count = (arr: Int32Array) => {
    const counts = new Map<number, { n: number; at: number }>();
    arr.forEach((id, index) => {
      const entry = counts.get(id);
      if (entry) entry.n++;
      else counts.set(id, { n: 1, at: index });
    });
    return counts;
  };
  const inA = count(a);
  const inB = count(b);
  const candidates: [number, number][] = [];
  for (const [id, entry] of inA) {
    const other = inB.get(id);
    if (entry.n === 1 && other?.n === 1) candidates.push([entry.at, other.at]);
  }
  candidates.sort((p, q) => p[0] - q[0]);
  // Longest increasing subsequence on the new index (patience sorting).
  const tails: number[] = [];
  const previous = new Int32Array(candidates.length).fill(-1);
  for (let i = 0; i < candidates.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (candidates[tails[mid]][1] < candidates[i][1]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out: [number, number][] = [];
  for (let i = tails.length > 0 ? tails[tails.length - 1] : -1; i !== -1; i = previous[i]) out.push(candidates[i]);
  return out.reverse();
}

/** Where an old line is now. */
export type LineDrift =
  | { status: 'same' }
  | { status: 'moved'; line: number; endLine: number | null }
  /** The line itself was edited or deleted: drift cannot say (stale-line may). */
  | { status: 'changed' }
  | Unknown;

/** Maps `line` (and `endLine`) through a line map. */
export function mapLines(map: LineMap, line: number, endLine: number | null = null): LineDrift {
  if (line < 1 || line >= map.length) return { kind: 'unknown', reason: `line ${line} did not exist when the doc was committed` };
  const start = map[line];
  if (start === 0) return { status: 'changed' };
  let end: number | null = null;
  if (endLine !== null && endLine >= line && endLine < map.length) {
    end = map[endLine] !== 0 ? map[endLine] : start + (endLine - line);
  }
  if (start === line && (endLine === null || end === endLine)) return { status: 'same' };
  return { status: 'moved', line: start, endLine: end };
}

// ---------------------------------------------------------------------------------------------------------
// Per-folder history with sync lookups

/** What git knows about a doc. Paths are relative to the workspace folder root. */
export interface DocHistory {
  commit: string;
  /** The doc's text at that commit (to tell committed references from ones typed since). */
  docText: string | null;
  /** Files renamed since that commit: old folder-relative path -> new one. */
  renames: Map<string, string>;
}

interface OldFile {
  /** Blob id of the old content (line splits and line maps are cached per blob). */
  blobId: string | null;
  lines: string[] | null;
  reason: string | null;
}

/** One doc and the folder-relative files whose old versions its checks read. */
export interface DocGitRequest {
  docAbsPath: string;
  relPaths: Iterable<string>;
}

/** HEAD as last read, asked of git at most once per `intervalMs`: the history answers depend on it. */
export class HeadWatch {
  /** HEAD's hash, `''` in a repository without commits, null before the first read (or after `forget`). */
  value: string | null = null;
  private checkedAt = 0;

  constructor(private readonly intervalMs: number) {}

  /** Reads HEAD unless it was read within the interval; true when it moved since the previous read. */
  async moved(repo: GitRepo): Promise<boolean> {
    const now = Date.now();
    if (this.value !== null && now - this.checkedAt < this.intervalMs) return false;
    this.checkedAt = now;
    const head = await repo.head();
    const value = isUnknown(head) ? '' : head;
    const moved = this.value !== null && this.value !== value;
    this.value = value;
    return moved;
  }

  /** The next `moved` reads HEAD again. */
  forget(): void {
    this.value = null;
  }
}

/**
 * Git answers for the docs of one workspace folder: `prepare` / `prepareMany` (async), then sync lookups.
 * Git processes per run are bounded, not per doc: one `git log` for the last commits of all the docs
 * prepared together, one `git diff-tree --stdin` and one `git diff` for their renames, and every blob
 * through one long-lived `git cat-file --batch`. A doc with no files to map costs no git at all.
 */
export class GitHistory {
  private repo: GitRepo | Unknown | null = null;
  private opening: Promise<GitRepo | Unknown> | null = null;
  private readonly head: HeadWatch;
  private blobs: BlobReader | null = null;
  private readonly docs = new Map<string, DocHistory | Unknown>();
  private readonly oldFiles = new Map<string, OldFile>();
  private readonly blobLines = new Map<string, string[]>();
  private readonly maps = new Map<string, { signature: string; map: LineMap | Unknown }>();
  private readonly root: string;

  constructor(
    root: string,
    private readonly files: FileCache,
    private readonly options: GitOptions = {},
  ) {
    this.root = resolve(root);
    this.head = new HeadWatch(options.headCheckMs ?? 2000);
  }

  /** Fetches what `drift` and `renamedTo` need for `doc` and these folder-relative paths. Never rejects. */
  prepare(docAbsPath: string, relPaths: Iterable<string>): Promise<void> {
    return this.prepareMany([{ docAbsPath, relPaths }]);
  }

  /** `prepare` for many docs at once, with a bounded number of git processes. Never rejects. */
  async prepareMany(requests: Iterable<DocGitRequest>): Promise<void> {
    try {
      const wanted = new Map<string, Set<string>>();
      for (const request of requests) {
        const rels = [...request.relPaths];
        if (rels.length === 0) continue;
        const doc = resolve(request.docAbsPath);
        const set = wanted.get(doc) ?? new Set<string>();
        rels.forEach((rel) => set.add(rel));
        wanted.set(doc, set);
      }
      if (wanted.size === 0) return;
      const repo = await this.openRepo();
      if (isUnknown(repo)) return;
      await this.checkHead(repo);
      const newDocs = [...wanted.keys()].filter((doc) => !this.docs.has(doc));
      if (newDocs.length > 0) await this.loadDocs(repo, newDocs);
      const reads: Promise<void>[] = [];
      for (const [doc, rels] of wanted) {
        const history = this.docs.get(doc);
        if (!history || isUnknown(history)) continue;
        for (const rel of rels) {
          const key = `${history.commit}:${rel}`;
          if (this.oldFiles.has(key)) continue;
          const top = repo.relative(resolve(this.root, rel));
          if (top === null) {
            this.oldFiles.set(key, { blobId: null, lines: null, reason: `${rel} is outside the git repository` });
            continue;
          }
          this.oldFiles.set(key, { blobId: null, lines: null, reason: 'not read yet' });
          reads.push(this.readOld(repo, key, history.commit, top, rel));
        }
      }
      await Promise.all(reads);
    } catch {
      // Never let a git problem break a check: lookups answer unknown.
    }
  }

  /** Git processes started so far by this history's blob reader (one per run is the aim). */
  get blobProcesses(): number {
    return this.blobs?.started ?? 0;
  }

  /** What git knows about the doc; `undefined` before `prepare`. */
  history(docAbsPath: string): DocHistory | Unknown | undefined {
    if (this.repo !== null && isUnknown(this.repo)) return this.repo;
    return this.docs.get(resolve(docAbsPath));
  }

  /**
   * Where the doc's `relPath:line(-endLine)` is now, mapped from the file as it was when the doc was last
   * committed to the working tree. `undefined` before `prepare`.
   */
  drift(docAbsPath: string, relPath: string, line: number, endLine: number | null = null): LineDrift | undefined {
    const history = this.history(docAbsPath);
    if (history === undefined || isUnknown(history)) return history;
    const old = this.oldFiles.get(`${history.commit}:${relPath}`);
    if (!old) return undefined;
    if (old.lines === null) return { kind: 'unknown', reason: old.reason ?? 'no old content' };
    const absPath = resolve(this.root, history.renames.get(relPath) ?? relPath);
    const current = this.files.text(absPath);
    if (!current.ok) return { kind: 'unknown', reason: current.message };
    // The same old blob mapped to the same current file is one diff, whichever docs ask.
    const key = `${old.blobId}\0${absPath}`;
    let entry = this.maps.get(key);
    if (!entry || entry.signature !== current.signature) {
      entry = { signature: current.signature, map: diffLines(old.lines, current.lines) };
      this.maps.set(key, entry);
    }
    return isUnknown(entry.map) ? entry.map : mapLines(entry.map, line, endLine);
  }

  /**
   * The lines of `relPath` as they were when the doc was last committed (null when git cannot say, e.g.
   * the file did not exist then), `undefined` before `prepare`. Content-anchored drift reads these.
   */
  committedLines(docAbsPath: string, relPath: string): readonly string[] | null | undefined {
    const history = this.history(docAbsPath);
    if (history === undefined) return undefined;
    if (isUnknown(history)) return null;
    const old = this.oldFiles.get(`${history.commit}:${relPath}`);
    return old === undefined ? undefined : old.lines;
  }

  /** The path `relPath` was renamed to since the doc was last committed, null when not renamed, `undefined` before `prepare`. */
  renamedTo(docAbsPath: string, relPath: string): string | null | undefined {
    const history = this.history(docAbsPath);
    if (history === undefined) return undefined;
    if (isUnknown(history)) return null;
    return history.renames.get(relPath) ?? null;
  }

  /** Forgets a doc's history (call when the doc is saved: it may have been committed), or everything. */
  invalidate(docAbsPath?: string): void {
    if (docAbsPath === undefined) {
      this.docs.clear();
      this.oldFiles.clear();
      this.blobLines.clear();
      this.maps.clear();
      this.repo = null;
      this.opening = null;
      this.head.forget();
      this.blobs?.close();
      this.blobs = null;
      return;
    }
    this.docs.delete(resolve(docAbsPath));
  }

  /** Ends the long-lived `git cat-file` process (it also ends by itself when idle). */
  close(): void {
    this.blobs?.close();
  }

  private async openRepo(): Promise<GitRepo | Unknown> {
    if (this.repo) return this.repo;
    this.opening ??= GitRepo.open(this.root, this.options);
    this.repo = await this.opening;
    return this.repo;
  }

  private blobReader(repo: GitRepo): BlobReader {
    this.blobs ??= new BlobReader(this.options.git ?? 'git', repo.top, this.options.timeoutMs ?? 10_000);
    return this.blobs;
  }

  /** Drops doc histories when HEAD moved (a commit, checkout or reset), checking at most every `headCheckMs`. */
  private async checkHead(repo: GitRepo): Promise<void> {
    if (await this.head.moved(repo)) {
      this.docs.clear();
      this.maps.clear();
    }
  }


  /** Last commit, text then and renames since, for many docs through a fixed number of git processes. */
  private async loadDocs(repo: GitRepo, docAbsPaths: readonly string[]): Promise<void> {
    const options = { timeoutMs: this.options.timeoutMs ?? 10_000, maxBuffer: this.options.maxBuffer ?? 64 * 1024 * 1024 };
    const git = this.options.git ?? 'git';
    const tops = new Map<string, string>();
    for (const doc of docAbsPaths) {
      const top = repo.relative(doc);
      if (top === null) this.docs.set(doc, { kind: 'unknown', reason: 'the doc is outside the git repository' });
      else tops.set(doc, top);
    }
    if (tops.size === 0) return;
    const commits = await lastCommits(git, repo.top, [...tops.values()], options);
    if ('reason' in commits) {
      for (const doc of tops.keys()) this.docs.set(doc, { kind: 'unknown', reason: commits.reason });
      return;
    }
    const head = this.head.value ?? '';
    const [toHead, sinceHead] = await Promise.all([
      renamesToHead(git, repo.top, head, [...commits.values()], options),
      head === '' ? Promise.resolve(new Map<string, string>()) : repo.renamesSince(head),
    ]);
    const reader = this.blobReader(repo);
    await Promise.all(
      [...tops].map(async ([doc, top]) => {
        const commit = commits.get(top);
        if (commit === undefined) {
          this.docs.set(doc, { kind: 'unknown', reason: 'the doc has never been committed' });
          return;
        }
        const renamesTop = composeRenames('reason' in toHead ? undefined : toHead.get(commit), isUnknown(sinceHead) ? new Map() : sinceHead);
        const renames = new Map<string, string>();
        for (const [from, to] of renamesTop) {
          const fromRel = this.folderRelative(repo, from);
          const toRel = this.folderRelative(repo, to);
          if (fromRel !== null && toRel !== null) renames.set(fromRel, toRel);
        }
        const blob = await reader.read(`${commit}:${top}`);
        const docText = blob === null || blob instanceof Error ? null : decodeUtf8(blob.bytes);
        this.docs.set(doc, { commit, docText, renames });
      }),
    );
  }

  private async readOld(repo: GitRepo, key: string, commit: string, top: string, rel: string): Promise<void> {
    const answer = await this.blobReader(repo).read(`${commit}:${top}`);
    const maxBytes = this.options.maxFileBytes ?? 2 * 1024 * 1024;
    let entry: OldFile;
    if (answer instanceof Error) entry = { blobId: null, lines: null, reason: answer.message };
    else if (answer === null) entry = { blobId: null, lines: null, reason: `${rel} did not exist when the doc was last committed` };
    else if (answer.bytes.length > maxBytes) entry = { blobId: answer.id, lines: null, reason: `${rel} was too large to map` };
    else if (answer.bytes.subarray(0, 8192).includes(0)) entry = { blobId: answer.id, lines: null, reason: `${rel} was a binary file` };
    else {
      let lines = this.blobLines.get(answer.id);
      if (!lines) {
        lines = splitLines(decodeUtf8(answer.bytes));
        this.blobLines.set(answer.id, lines);
      }
      entry = { blobId: answer.id, lines, reason: null };
    }
    this.oldFiles.set(key, entry);
  }

  /** A top-relative path as a path relative to this folder's root, or null outside it. */
  private folderRelative(repo: GitRepo, topRel: string): string | null {
    const abs = resolve(repo.top, topRel);
    let realRoot = this.root;
    try {
      realRoot = realpathSync.native(this.root);
    } catch {
      // keep the root as given
    }
    const rel = relative(realRoot, abs);
    if (rel.startsWith('..') || resolve(realRoot, rel) !== abs) return null;
    return rel.split(sep).join('/');
  }
}

/** Renames commit -> HEAD followed by renames HEAD -> working tree, as renames commit -> working tree. */
function composeRenames(toHead: Map<string, string> | undefined, sinceHead: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const destinations = new Set<string>();
  for (const [from, to] of toHead ?? []) {
    out.set(from, sinceHead.get(to) ?? to);
    destinations.add(to);
  }
  for (const [from, to] of sinceHead) if (!destinations.has(from) && !out.has(from)) out.set(from, to);
  return out;
}

function decodeUtf8(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * True when the reference text (as written, e.g. `src/x.py:42`) was already in the doc when it was last
 * committed: only such references can have drifted. A reference typed since then was written against the
 * current code.
 */
export function referenceWasCommitted(history: DocHistory, referenceText: string): boolean {
  return history.docText !== null && history.docText.includes(referenceText);
}
