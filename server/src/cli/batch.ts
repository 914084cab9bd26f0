/**
 * The work of `docplan check` on a list of documents, the same on the main thread and in a worker: read,
 * pre-scan, build, prepare the workspace for all the docs at once (one git batch), check. Results are
 * plain data (they cross thread boundaries and go into the cache) and come back in input order.
 */
import { writeFileSync } from 'node:fs';
import type { BuiltDocument } from '../model/build';
import { checkBuilt, checkText, buildDocument, type CheckOptions } from '../check';
import type { DocPlanConfig } from '../config/config';
import { fixAllGroups, fixAllText } from '../features/fixAll';
import { mayBeDocPlanDoc } from '../model/prescan';
import type { DocKind } from '../model/types';
import type { Finding } from '../rules/types';
import { describeError, readDocument, rootRelative } from '../workspace/files';
import { FolderWorkspace } from '../workspace/workspace';
import { snapshotIndex } from './snapshotIndex';

/** One document to check. */
export interface BatchItem {
  /** Absolute path. */
  path: string;
  /** Root of the workspace folder the document belongs to. */
  folderRoot: string;
  /** Index into `BatchSettings.configs`. */
  config: number;
  /** The document's text when the caller already read it (the cache reads every doc to hash it). */
  text?: string;
}

/** What every document of a batch shares. */
export interface BatchSettings {
  configs: DocPlanConfig[];
  maxFileSize: number;
  /** Time budget per document in ms (`--max-doc-ms`): its parse and its rules, not the shared preparation. */
  maxDocMs: number;
  fix: boolean;
  /** Use git for drift and renames. */
  git: boolean;
  /** Record the files each doc's check read (for the cache). */
  record: boolean;
}

/** The outcome for one document: plain data. */
export interface DocOutcome {
  /** Why the file was not checked (unreadable, too large, binary), or null. */
  skipped: string | null;
  /** True when the pre-scan decided the file cannot be a DocPlan doc (no model was built). */
  prescanSkipped: boolean;
  kind: DocKind | null;
  /** The profile detection chose (or a pin named), or null. */
  profile: string | null;
  disabled: boolean;
  notes: string[];
  ruleErrors: string[];
  findings: Finding[];
  /** An exception while checking, or null. */
  internalError: string | null;
  /** Problems writing fixes, or null. */
  fixError: string | null;
  fixesApplied: number;
  /**
   * The files the check read (when `record`), sorted by absolute path, each with the stat key and content
   * id it was read with, or null when the check did not read its bytes (a missing file, a path asked
   * about): the cache then takes them itself.
   */
  reads: { path: string; stamp: { stat: string; contentId: string } | null }[];
}

/** Optional replacement of `fixAllText` (the CLI's test seam). */
export type FixText = (text: string, options: CheckOptions) => { text: string; applied: number };

/** Workspaces by folder root, created on first use; `dispose` ends their processes. */
export class FolderWorkspaces {
  private readonly folders = new Map<string, FolderWorkspace>();
  constructor(private readonly git: boolean) {}

  get(root: string): FolderWorkspace {
    let folder = this.folders.get(root);
    if (!folder) {
      // A check run reads a snapshot of the tree: files and listings are read once, not re-validated per use.
      folder = new FolderWorkspace(root, { validate: 'events', git: this.git, wordIndex: true, buildIndex: snapshotIndex });
      this.folders.set(root, folder);
    }
    return folder;
  }

  dispose(): void {
    for (const folder of this.folders.values()) folder.dispose();
  }
}

function emptyOutcome(): DocOutcome {
  return { skipped: null, prescanSkipped: false, kind: null, profile: null, disabled: false, notes: [], ruleErrors: [], findings: [], internalError: null, fixError: null, fixesApplied: 0, reads: [] };
}

/** Checks `items` (in order) and returns one outcome per item. Never rejects. */
export async function checkBatch(items: readonly BatchItem[], settings: BatchSettings, fixText: FixText = fixAllText): Promise<DocOutcome[]> {
  const workspaces = new FolderWorkspaces(settings.git);
  const started = performance.now();
  try {
    const outcomes = items.map(() => emptyOutcome());
    const built: (null | { text: string; validUtf8: boolean; bom: boolean; options: CheckOptions; built: BuiltDocument; parseMs: number })[] = items.map(() => null);
    // 1. Read, pre-scan and build every document.
    items.forEach((item, index) => {
      const outcome = outcomes[index];
      let text = item.text;
      let bom = false;
      let validUtf8 = true;
      if (text === undefined || settings.fix) {
        const read = readDocument(item.path, settings.maxFileSize);
        if (!read.ok) {
          outcome.skipped = read.reason;
          return;
        }
        ({ text, bom, validUtf8 } = read);
      }
      const config = settings.configs[item.config];
      const folderRel = rootRelative(item.folderRoot, item.path);
      if (!mayBeDocPlanDoc(text, { path: folderRel, include: config.include, extraWords: Object.values(config.sectionSynonyms).flat() })) {
        outcome.prescanSkipped = true;
        return;
      }
      const workspace = folderRel === null ? null : workspaces.get(item.folderRoot).view(item.path);
      const options: CheckOptions = { config, path: folderRel, workspace, maxDocMs: settings.maxDocMs };
      try {
        const parseStarted = Date.now();
        const document = buildDocument(text, options);
        const parseMs = Date.now() - parseStarted;
        outcome.kind = document.model.kind;
        outcome.profile = document.model.profile;
        outcome.disabled = document.model.disabled;
        if (document.model.kind !== null && !document.model.disabled) built[index] = { text, bom, validUtf8, options, built: document, parseMs };
        outcome.notes.push(...document.model.notes);
      } catch (error) {
        outcome.internalError = error instanceof Error ? error.message : String(error);
      }
    });
    // 2. Prepare each folder's workspace for all its documents at once.
    const byFolder = new Map<string, { model: BuiltDocument['model']; docAbsPath: string }[]>();
    items.forEach((item, index) => {
      const doc = built[index];
      if (!doc?.options.workspace) return;
      byFolder.set(item.folderRoot, [...(byFolder.get(item.folderRoot) ?? []), { model: doc.built.model, docAbsPath: item.path }]);
    });
    const timing = process.env.DOCPLAN_TIMING === '1';
    const phase = (name: string, since: number) => timing && process.stderr.write(`docplan: timing: ${name} ${(performance.now() - since).toFixed(0)} ms\n`);
    let since = performance.now();
    phase('read+build', started);
    for (const [root, docs] of byFolder) await workspaces.get(root).prepareMany(docs);
    phase('prepare', since);
    since = performance.now();
    // 3. Check each document, recording what it reads.
    for (let index = 0; index < items.length; index++) {
      const doc = built[index];
      if (!doc) continue;
      const outcome = outcomes[index];
      const files = doc.options.workspace?.folder.files;
      const reads = new Set<string>();
      if (files && settings.record) files.recorder = reads;
      try {
        // A doc whose files were not prepared together (none here) would be prepared now.
        // The budget counts this doc's own parse and rules; the preparation shared by the batch is not its own.
        const checked = checkBuilt(doc.built, doc.options, Date.now() - doc.parseMs);
        outcome.notes.push(...checked.notes);
        outcome.ruleErrors = checked.ruleErrors.map(String);
        outcome.findings = checked.findings;
        if (settings.fix) fix(items[index].path, doc, outcome, fixText);
      } catch (error) {
        outcome.internalError = error instanceof Error ? error.message : String(error);
      } finally {
        if (files) files.recorder = null;
      }
      outcome.reads = [...reads].sort().map((path) => ({ path, stamp: files?.readStamp(path) ?? null }));
    }
    phase('check', since);
    return outcomes;
  } finally {
    workspaces.dispose();
  }
}

function fix(path: string, doc: { text: string; validUtf8: boolean; bom: boolean; options: CheckOptions }, outcome: DocOutcome, fixText: FixText): void {
  if (fixText === fixAllText && fixAllGroups(outcome.findings).length === 0) return;
  if (!doc.validUtf8) {
    outcome.fixError = 'not fixed: the file is not valid UTF-8';
    return;
  }
  const fixed = fixText(doc.text, doc.options);
  if (fixed.text === doc.text) return;
  try {
    writeFileSync(path, (doc.bom ? '\ufeff' : '') + fixed.text);
  } catch (error) {
    outcome.fixError = `cannot write: ${describeError(error)}`;
    return;
  }
  outcome.fixesApplied = fixed.applied;
  outcome.findings = checkText(fixed.text, doc.options).findings;
}
