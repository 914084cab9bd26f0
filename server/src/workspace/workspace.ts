/**
 * One workspace folder as the rules see it: the file index, path resolution, file lines, symbols, git
 * history and test discovery, behind one object. Loading is asynchronous (`prepare`); the rules then read
 * synchronously from what was prepared. The server keeps one per workspace folder, the CLI one per root.
 */
import { resolve, sep } from 'node:path';
import type { DocModel, Reference } from '../model/types';
import { FileCache } from './fileCache';
import { FileIndex, type FileChange } from './fileIndex';
import { GitHistory } from './gitHistory';
import { PathHistory } from './pathHistory';
import { docDirOf, decodeLinkPath, PathResolver, type ResolvedPath } from './paths';
import { basesOf, resolveReferenceTarget, type ReferenceTarget } from './referenceTarget';
import { SymbolIndex } from './symbols';
import { WordIndex } from './wordIndex';
import { TestIndex } from '../validation/index';
import { claimedPaths, prepareCompletionMany } from '../claims/items';
import { commandTexts } from '../rules/stages';

/** Past this many remembered reference targets the memory starts over (a folder of huge plans). */
const MAX_REMEMBERED_TARGETS = 20_000;

/** How a folder workspace keeps its caches fresh. */
export interface FolderWorkspaceOptions {
  /** `stat`: check files on every read (CLI); `events`: trust caches until told of a change (server). */
  validate: 'stat' | 'events';
  /** Use git for drift and renames (off in untrusted workspaces: git reads repository config). */
  git: boolean;
  /** Keep an identifier index of the folder's code for symbol and line searches (CLI runs; costs memory). */
  wordIndex?: boolean;
  /** Where the file index comes from (default: a walk of the folder on first use); the CLI shares one per run. */
  buildIndex?: (root: string) => FileIndex;
}

/** What a rule gets for the document it checks. */
export interface DocWorkspace {
  folder: FolderWorkspace;
  /** Absolute path of the document. */
  docAbsPath: string;
  /** Folder-relative path of the document, forward slashes. */
  docRelPath: string;
}

/** A workspace folder's services, created lazily and shared by every document in the folder. */
export class FolderWorkspace {
  readonly root: string;
  readonly files: FileCache;
  readonly symbols: SymbolIndex;
  readonly git: GitHistory | null;
  /** Whether missing paths ever existed in git's history, and where they went (null without git). */
  readonly pathHistory: PathHistory | null;
  readonly tests: TestIndex;
  /** Which code files hold an identifier (null unless asked for: see `FolderWorkspaceOptions.wordIndex`). */
  readonly wordIndex: WordIndex | null;
  private fileIndex: FileIndex | null = null;
  private readonly buildIndex: (root: string) => FileIndex;
  private pathResolver: PathResolver | null = null;
  /** What each written path names, per doc folder: remembered until a file event (the index's own freshness). */
  private readonly targets = new Map<string, ReferenceTarget>();

  constructor(root: string, options: FolderWorkspaceOptions) {
    this.root = resolve(root);
    this.buildIndex = options.buildIndex ?? ((folder) => FileIndex.build(folder));
    this.files = new FileCache({ validate: options.validate });
    this.symbols = new SymbolIndex(this.files);
    this.git = options.git ? new GitHistory(this.root, this.files) : null;
    this.pathHistory = options.git ? new PathHistory(this.root) : null;
    this.tests = new TestIndex(this.root, { files: this.files, resolver: this.resolver });
    this.wordIndex = options.wordIndex
      ? new WordIndex({
          allFiles: () => this.index.allFiles(),
          // One pass over every file of a language: read, not kept (the cache is for the files rules read).
          text: (relPath) => {
            const resolved = this.resolver.physical(relPath);
            return resolved.kind === 'inside' ? this.files.peekText(resolved.absPath) : null;
          },
        })
      : null;
  }

  /** The file index, built on first use (a synchronous walk of the folder). */
  get index(): FileIndex {
    this.fileIndex ??= this.buildIndex(this.root);
    return this.fileIndex;
  }

  /** Resolves paths inside the folder, refusing those that escape it. */
  get resolver(): PathResolver {
    this.pathResolver ??= new PathResolver(this.root, { isKnownReal: (rel) => this.fileIndex?.isKnownReal(rel) ?? false });
    return this.pathResolver;
  }

  /** The view a rule gets of this folder for one document. */
  view(docAbsPath: string): DocWorkspace {
    const abs = resolve(docAbsPath);
    const rel = abs.startsWith(this.root + sep) ? abs.slice(this.root.length + 1).split(sep).join('/') : abs;
    return { folder: this, docAbsPath: abs, docRelPath: rel };
  }

  /** Resolves a reference of a document: links relative to the doc, other paths relative to the folder root. */
  resolveReference(reference: Reference, docRelPath: string): ResolvedPath {
    if (reference.form === 'link') {
      return this.resolver.resolve(decodeLinkPath(reference.path), { docDir: docDirOf(docRelPath), leadingSlashIsRoot: true });
    }
    // What the candidate names, resolved as a reader would (doc folder, root, bare name); a candidate that
    // names no file of this workspace resolves to nothing that is read.
    const target = this.referenceTarget(reference, docRelPath);
    if (target.kind === 'found') return { kind: 'inside', absPath: target.absPath, relPath: target.relPath };
    if (target.kind === 'missing') return this.resolver.resolve(target.relPath);
    if (target.kind === 'escapes' || target.kind === 'unresolvable') return target;
    return { kind: 'unresolvable', reason: `${reference.path} names no file of this workspace` };
  }

  /**
   * What a code reference's path names (see `resolveReferenceTarget`), remembered until a file event: a
   * doc's references are resolved when it is prepared and again by its rules, at every check.
   */
  referenceTarget(reference: Pick<Reference, 'path' | 'line' | 'context'>, docRelPath: string): ReferenceTarget {
    // What a path names depends on the doc's folder only: the docs of one folder share their answers.
    const key = `${docDirOf(docRelPath)}\0${reference.path}\0${reference.line === null}\0${reference.context}`;
    let target = this.targets.get(key);
    if (target === undefined) {
      target = resolveReferenceTarget(this, reference, docRelPath);
      if (this.targets.size >= MAX_REMEMBERED_TARGETS) this.targets.clear();
      this.targets.set(key, target);
    }
    return target;
  }

  /**
   * The project-root reading of a link in an editor or agent plan (`app/.cursor/plans/x.md` links from `app/`,
   * as those tools render them), or null for other docs and for explicitly relative or absolute links.
   */
  projectLinkPath(reference: Reference, docRelPath: string): string | null {
    const bases = basesOf(docRelPath);
    const inToolFolder = docDirOf(docRelPath).split('/').some((part) => part.length > 1 && part.startsWith('.'));
    if (reference.form !== 'link' || !inToolFolder || bases.length < 2 || /^(?:\/|\.\.?\/)/.test(reference.path)) return null;
    const resolved = this.resolver.resolve(decodeLinkPath(reference.path), { docDir: bases[1] });
    return resolved.kind === 'inside' ? resolved.relPath : null;
  }

  /**
   * Loads what the rules will read for this document: symbols of the files its references name, git history
   * of the doc and those files, and the test runtime. Never rejects.
   */
  async prepare(model: DocModel, docAbsPath: string): Promise<void> {
    await this.prepareMany([{ model, docAbsPath }]);
  }

  /**
   * `prepare` for many documents at once: git is asked about all of them together (a bounded number of git
   * processes, none for docs without line references or missing files). Never rejects.
   */
  async prepareMany(docs: readonly { model: DocModel; docAbsPath: string }[]): Promise<void> {
    const symbolFiles = new Set<string>();
    const gitRequests: { docAbsPath: string; relPaths: string[] }[] = [];
    // Missing paths of every doc, asked of git's history in one batch: did they ever exist, where did they go.
    const missing = new Set<string>();
    const missingDocs = new Set<string>();
    for (const { model, docAbsPath } of docs) {
      const view = this.view(docAbsPath);
      const gitFiles = new Set<string>();
      const docMissing = new Set<string>();
      for (const reference of model.references) {
        const resolved = this.resolveReference(reference, view.docRelPath);
        if (resolved.kind !== 'inside') continue;
        if (reference.symbol !== null) symbolFiles.add(resolved.absPath);
        // Line references are mapped through history; a missing file may have been renamed since.
        if (reference.line !== null || !this.index.exists(resolved.relPath)) gitFiles.add(resolved.relPath);
        if (!this.index.exists(resolved.relPath)) {
          docMissing.add(resolved.relPath);
          // Editor and agent plans link from their project's root: that path may be the one history knows.
          const fromProject = reference.form === 'link' ? this.projectLinkPath(reference, view.docRelPath) : null;
          if (fromProject !== null) docMissing.add(fromProject);
        }
      }
      for (const path of claimedPaths(this, model)) if (!this.index.exists(path)) docMissing.add(path);
      if (gitFiles.size > 0) gitRequests.push({ docAbsPath: view.docAbsPath, relPaths: [...gitFiles] });
      if (docMissing.size > 0) {
        docMissing.forEach((path) => missing.add(path));
        missingDocs.add(view.docRelPath);
      }
    }
    const timed = <T>(name: string, promise: Promise<T>) => {
      if (process.env.DOCPLAN_TIMING !== '1') return promise;
      const started = performance.now();
      return promise.finally(() => process.stderr.write(`docplan: timing:   ${name} ${(performance.now() - started).toFixed(0)} ms\n`));
    };
    const commands = docs.flatMap(({ model }) => commandTexts(model));
    const pending: Promise<unknown>[] = [timed('symbols', this.symbols.prepare(symbolFiles)), timed('tests', this.tests.prepareFor(commands))];
    if (this.git && gitRequests.length > 0) pending.push(timed(`git (${gitRequests.length} docs)`, this.git.prepareMany(gitRequests)));
    if (this.pathHistory && missing.size > 0) pending.push(timed(`path history (${missing.size} paths)`, this.pathHistory.prepare(missing, missingDocs)));
    pending.push(timed(`completion (${docs.length} docs)`, prepareCompletionMany(this, docs.map(({ model, docAbsPath }) => ({ model, docAbsPath: this.view(docAbsPath).docAbsPath })))));
    await Promise.allSettled(pending);
  }

  /** Ends the processes this workspace keeps (git's blob reader). */
  dispose(): void {
    this.git?.close();
  }

  /** Forgets what is cached about a file that was created, changed or deleted. */
  fileChanged(absPath: string, change: FileChange): void {
    const abs = resolve(absPath);
    if (!abs.startsWith(this.root + sep)) return;
    const rel = abs.slice(this.root.length + 1).split(sep).join('/');
    if (rel === '.git' || rel.startsWith('.git/')) {
      // HEAD moved (commit, checkout, reset, pull): every doc's "last committed" version may have changed.
      if (/^\.git\/(?:HEAD|ORIG_HEAD|packed-refs|refs\/|logs\/HEAD)/.test(rel)) {
        this.git?.invalidate();
        this.pathHistory?.invalidate();
      }
      return;
    }
    this.fileIndex?.update(rel, change);
    this.targets.clear();
    this.wordIndex?.clear();
    this.pathResolver?.invalidate(rel);
    this.files.invalidate(abs);
    this.symbols.invalidate(abs);
    this.tests.invalidate(abs);
    // A doc's history changes when the doc itself is committed; other files' old versions are keyed by commit.
    this.git?.invalidate(abs);
  }
}
