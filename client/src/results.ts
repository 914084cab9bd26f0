/**
 * The last result of each validation command, per doc, kept in workspace state so that it survives a
 * reload. Results are keyed by the command's identity (stage number, text, occurrence: see
 * server/src/run/targets.ts), never by line, so a result follows its command when lines move and is
 * ignored once the command's text changes.
 */
import * as vscode from 'vscode';
import { runRecord, type CommandRunResult, type RunRecord } from '../../server/src/run/runner';

/** What is kept of a run (not its output: that is in the log file). */
export interface StoredResult extends RunRecord {
  outputTruncated: boolean;
  /** Epoch milliseconds. */
  finishedAt: number;
  /** HEAD when it ran, when known (results read from `.docplan/results.json` carry it). */
  commit?: string | null;
}

/** Where results are also kept: `.docplan/results.json` of the doc's folder (see resultsFile.ts). */
export interface ResultsFileSink {
  /** Records a run; resolves with the commit it was made at (null outside git), or undefined when not recorded. */
  record(uri: vscode.Uri, key: string, result: CommandRunResult, expected: string | null): Promise<string | null | undefined>;
  clear(uri: vscode.Uri | undefined): void;
}

const STATE_KEY = 'docplan.validationResults.v1';
/** Oldest results are forgotten past this many. */
const MAX_RESULTS = 5000;

type Stored = Record<string, Record<string, StoredResult>>;

export class ResultStore implements vscode.Disposable {
  private readonly results: Stored;
  private readonly running = new Map<string, Set<string>>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires with the doc whose results or running commands changed (undefined: all docs). */
  readonly onDidChange = this.emitter.event;

  /** Set by the results file sync: every stored run is recorded there too. */
  file: ResultsFileSink | undefined;

  constructor(private readonly memento: vscode.Memento) {
    this.results = { ...(memento.get<Stored>(STATE_KEY) ?? {}) };
  }

  get(uri: vscode.Uri, key: string): StoredResult | undefined {
    return this.results[uri.toString()]?.[key];
  }

  /** All results of a doc, by command key. */
  forDoc(uri: vscode.Uri): Readonly<Record<string, StoredResult>> {
    return this.results[uri.toString()] ?? {};
  }

  isRunning(uri: vscode.Uri, key: string): boolean {
    return this.running.get(uri.toString())?.has(key) ?? false;
  }

  setRunning(uri: vscode.Uri, key: string, running: boolean): void {
    const doc = uri.toString();
    let keys = this.running.get(doc);
    if (!keys) this.running.set(doc, (keys = new Set()));
    if (running) keys.add(key);
    else keys.delete(key);
    this.emitter.fire(uri);
  }

  async set(uri: vscode.Uri, key: string, result: CommandRunResult, expected: string | null = null): Promise<void> {
    const doc = uri.toString();
    const stored: StoredResult = { ...runRecord(result), outputTruncated: result.outputTruncated, finishedAt: Date.now() };
    // Recorded in the results file first: that gives the commit the run was made at.
    const commit = await this.file?.record(uri, key, result, expected);
    if (commit !== undefined) stored.commit = commit;
    this.results[doc] ??= {};
    this.results[doc][key] = stored;
    this.prune();
    this.emitter.fire(uri);
    await this.memento.update(STATE_KEY, this.results);
  }

  /** Takes results read from the results file where they are newer than what is kept (another window, the CLI). */
  async merge(uri: vscode.Uri, byKey: ReadonlyMap<string, StoredResult>): Promise<void> {
    const doc = uri.toString();
    let changed = false;
    for (const [key, stored] of byKey) {
      const current = this.results[doc]?.[key];
      if (current && current.finishedAt >= stored.finishedAt) {
        if (current.commit === undefined && current.finishedAt === stored.finishedAt) current.commit = stored.commit;
        continue;
      }
      this.results[doc] ??= {};
      this.results[doc][key] = stored;
      changed = true;
    }
    if (!changed) return;
    this.prune();
    this.emitter.fire(uri);
    await this.memento.update(STATE_KEY, this.results);
  }

  async clear(uri?: vscode.Uri): Promise<void> {
    this.file?.clear(uri);
    if (uri) delete this.results[uri.toString()];
    else for (const doc of Object.keys(this.results)) delete this.results[doc];
    this.emitter.fire(uri);
    await this.memento.update(STATE_KEY, this.results);
  }

  private prune(): void {
    const all = Object.entries(this.results).flatMap(([doc, byKey]) => Object.entries(byKey).map(([key, result]) => ({ doc, key, at: result.finishedAt })));
    if (all.length <= MAX_RESULTS) return;
    all.sort((a, b) => a.at - b.at);
    for (const { doc, key } of all.slice(0, all.length - MAX_RESULTS)) delete this.results[doc][key];
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** A result counts as failed for "re-run failed", diagnostics and stage icons. */
export function isFailure(result: StoredResult | undefined): boolean {
  return result !== undefined && (result.outcome === 'failed' || result.outcome === 'timed-out' || result.outcome === 'error');
}
