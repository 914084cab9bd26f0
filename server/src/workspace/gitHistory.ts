/**
 * Line drift through git: where do the lines a doc referenced when it was last committed sit now?
 *
 * For a doc: the commit that last touched it (`git log -1 --format=%H -- doc`), the doc's own text then
 * (to tell references written before that commit from ones typed since), the referenced files' content at
 * that commit (one `git cat-file --batch` process for all of them), and the renames since then
 * (`git diff -M --name-status <commit>`, commit against the working tree). Each old file is then mapped to
 * its working-tree content with an in-process line diff (`diffLines`).
 *
 * The line diff is in-process (`lineMap.ts` says why). Git is used only to fetch blobs and list renames,
 * with `--no-ext-diff --no-textconv` and `core.fsmonitor=false`.
 *
 * Git runs through `execFile`/`spawn` (never a shell) with timeouts and literal pathspecs. Without git,
 * outside a repository, for an untracked doc or on any git error, the answers are `{ kind: 'unknown' }`:
 * the drift rule says nothing, everything else works.
 *
 * Sync lookups for sync rules follow the symbols pattern: `await history.prepare(doc, paths)` before
 * checking, then `drift(...)` / `renamedTo(...)` read the cache (`undefined` = not prepared).
 */
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { FileCache } from './fileCache';
import { splitLines } from './fileCache';
import { GitRepo, HeadWatch, isUnknown, type GitOptions, type Unknown } from './git';
import { BlobReader, lastCommits, renamesToHead } from './gitBatch';
import { diffLines, mapLines, type LineDrift, type LineMap } from './lineMap';

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
  /** The root with symlinks resolved, read when the repository is opened. */
  private realRoot: string | null = null;

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
      this.realRoot = null;
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
    // Once per repository opening, not per rename: a run maps thousands of renames.
    this.realRoot ??= realRootOf(this.root);
    const realRoot = this.realRoot;
    const rel = relative(realRoot, abs);
    if (rel.startsWith('..') || resolve(realRoot, rel) !== abs) return null;
    return rel.split(sep).join('/');
  }
}

function realRootOf(root: string): string {
  try {
    return realpathSync.native(root);
  } catch {
    return root;
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
