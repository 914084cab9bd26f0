/**
 * Keeps the client's results and `.docplan/results.json` of each workspace folder in step: runs made here
 * are recorded in the file (so `docplan status`, the server and the CLI see them), and the file's results
 * (from the CLI, another window, a teammate's commit) are loaded at start, after a reload and whenever it
 * changes. A corrupt file is reported once and, in a trusted workspace, set aside.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandRunResult } from '../../server/src/run/runner';
import { commandKey } from '../../server/src/run/targets';
import { clearResults, readResults, RESULTS_DIR, RESULTS_FILE } from '../../server/src/evidence/results';
import { headCommit, recordRun, resultEntry } from '../../server/src/evidence/record';
import type { ResultsFileSink, ResultStore, StoredResult } from './results';

export class ResultsFileSync implements ResultsFileSink, vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher(`**/${RESULTS_DIR}/${RESULTS_FILE}`);
  private readonly reported = new Set<string>();

  constructor(
    private readonly store: ResultStore,
    private readonly log: (message: string) => void,
  ) {
    store.file = this;
    const reload = (uri: vscode.Uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (folder) void this.load(folder);
    };
    this.watcher.onDidChange(reload);
    this.watcher.onDidCreate(reload);
  }

  /** Loads every folder's results file. */
  async loadAll(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) await this.load(folder);
  }

  private report(problem: string | null): void {
    if (!problem || this.reported.has(problem)) return;
    this.reported.add(problem);
    this.log(problem);
    void vscode.window.showWarningMessage(`DocPlan: ${problem}`);
  }

  /** Reads a folder's file into the store. */
  async load(folder: vscode.WorkspaceFolder): Promise<void> {
    if (folder.uri.scheme !== 'file') return;
    const read = readResults(folder.uri.fsPath, { setAside: vscode.workspace.isTrusted });
    this.report(read.problem);
    const byDoc = new Map<string, Map<string, StoredResult>>();
    for (const entry of read.file.results) {
      const uri = vscode.Uri.joinPath(folder.uri, ...entry.doc.split('/')).toString();
      const map = byDoc.get(uri) ?? new Map<string, StoredResult>();
      map.set(commandKey(entry.stage, entry.command, entry.occurrence), {
        command: entry.command,
        outcome: entry.outcome,
        exitCode: entry.exitCode,
        signal: null,
        durationMs: entry.durationMs,
        timedOut: entry.outcome === 'timed-out',
        error: null,
        outputFile: null,
        outputTruncated: false,
        finishedAt: Date.parse(entry.finishedAt),
        commit: entry.commit,
      });
      byDoc.set(uri, map);
    }
    for (const [uri, map] of byDoc) await this.store.merge(vscode.Uri.parse(uri), map);
  }

  /** The folder and the folder-relative path of a doc, or undefined outside any file folder. */
  private place(uri: vscode.Uri): { root: string; doc: string } | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || folder.uri.scheme !== 'file' || uri.scheme !== 'file') return undefined;
    return { root: folder.uri.fsPath, doc: path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/') };
  }

  async record(uri: vscode.Uri, key: string, result: CommandRunResult, expected: string | null): Promise<string | null | undefined> {
    const place = this.place(uri);
    if (!place) return undefined;
    const [stageNumber, text, occurrence] = JSON.parse(key) as [string, string, number];
    const commit = await headCommit(place.root);
    const entry = resultEntry(place.doc, { stageNumber, text, occurrence }, expected, result, commit);
    if (!entry) return undefined;
    this.report(recordRun(place.root, [entry]));
    return commit;
  }

  clear(uri: vscode.Uri | undefined): void {
    const targets = uri ? [this.place(uri)].filter((place) => place !== undefined) : (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => ({ root: folder.uri.fsPath, doc: undefined }));
    for (const { root, doc } of targets) {
      try {
        clearResults(root, doc);
      } catch (error) {
        this.log(`cannot clear ${RESULTS_DIR}/${RESULTS_FILE}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  dispose(): void {
    this.watcher.dispose();
    this.store.file = undefined;
  }
}
