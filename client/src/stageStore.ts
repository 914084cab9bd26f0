/**
 * The plan docs of the workspace and their stages, as the language server sees them. Docs are found
 * with a cheap text test over the workspace's Markdown files, opened (so the server checks them) and
 * asked for their stages; after that the server's `docplan/documentChecked` notification keeps them
 * current as the user types, so the tree, CodeLens and Test Explorer follow edits live.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  DOCUMENT_CHECKED_METHOD,
  STAGES_METHOD,
  type DocumentCheckedParams,
  type StageNode,
  type StagesParams,
  type StagesResult,
} from '../../server/src/protocol';

/** A Markdown file that might be a plan or design doc: stage headings or a `docplan:` front matter key. */
const CANDIDATE = /^(?:#{2,4}[ \t]+(?:\*\*)?(?:stage|phase|step|milestone)[ \t]+\d|docplan:[ \t]*(?:plan|design|tracker)\b)/im;
const MARKDOWN_GLOB = '**/*.{md,markdown}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**,**/.vscode-test/**}';
/** At most this many Markdown files are looked at, and this many plan docs kept open. */
const MAX_FILES = 5000;
const MAX_DOCS = 200;
const MAX_CANDIDATE_BYTES = 5 * 1024 * 1024;

export interface PlanDoc {
  uri: vscode.Uri;
  /** Latest stages from the server (its version may lag the editor's by one debounce). */
  result: StagesResult;
  title: string;
}

export class StageStore implements vscode.Disposable {
  private readonly docs = new Map<string, PlanDoc>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private discovering: Promise<void> | undefined;
  private discovered = false;
  /** Fires with a doc's URI when its stages changed, or undefined when the set of docs changed. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly client: LanguageClient) {
    this.subscriptions.push(
      this.emitter,
      client.onNotification(DOCUMENT_CHECKED_METHOD, (params: DocumentCheckedParams) => this.onChecked(params)),
      vscode.workspace.onDidDeleteFiles((event) => {
        for (const uri of event.files) this.remove(uri);
      }),
      vscode.workspace.onDidRenameFiles((event) => {
        for (const file of event.files) {
          this.remove(file.oldUri);
          void this.consider(file.newUri);
        }
      }),
      vscode.workspace.onDidCreateFiles((event) => {
        for (const uri of event.files) void this.consider(uri);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rediscover()),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(MARKDOWN_GLOB);
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate((uri) => void this.consider(uri)),
      watcher.onDidDelete((uri) => this.remove(uri)),
    );
    void vscode.commands.executeCommand('setContext', 'docplan.hasPlanDocs', false);
  }

  /** All plan docs, sorted by path. */
  all(): PlanDoc[] {
    return [...this.docs.values()].sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
  }

  get(uri: vscode.Uri | string): PlanDoc | undefined {
    return this.docs.get(typeof uri === 'string' ? uri : uri.toString());
  }

  /** Resolves once the first scan of the workspace is complete. */
  ready(): Promise<void> {
    return this.discovering ?? this.rediscover();
  }

  get isDiscovered(): boolean {
    return this.discovered;
  }

  /** Scans the workspace again (the Refresh button, a change of folders, a server restart). */
  rediscover(): Promise<void> {
    const run = this.discover().finally(() => {
      this.discovered = true;
      void this.updateContext();
    });
    this.discovering = run;
    return run;
  }

  private async discover(): Promise<void> {
    const files = await vscode.workspace.findFiles(MARKDOWN_GLOB, EXCLUDE_GLOB, MAX_FILES);
    const candidates: vscode.Uri[] = [];
    for (const uri of files) {
      if (candidates.length >= MAX_DOCS) break;
      if (await this.isCandidate(uri)) candidates.push(uri);
    }
    // Open documents that the server already knows are checked as well.
    for (const document of vscode.workspace.textDocuments) {
      if (document.languageId === 'markdown' && !candidates.some((uri) => uri.toString() === document.uri.toString())) candidates.push(document.uri);
    }
    await Promise.all(candidates.map((uri) => this.load(uri)));
    const known = new Set(candidates.map((uri) => uri.toString()));
    for (const key of [...this.docs.keys()]) if (!known.has(key)) this.docs.delete(key);
    this.emitter.fire(undefined);
  }

  private async isCandidate(uri: vscode.Uri): Promise<boolean> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_CANDIDATE_BYTES) return false;
      const bytes = await vscode.workspace.fs.readFile(uri);
      return CANDIDATE.test(new TextDecoder().decode(bytes));
    } catch {
      return false;
    }
  }

  /** A new or renamed Markdown file: add it when it looks like a plan. */
  private async consider(uri: vscode.Uri): Promise<void> {
    if (!/\.(md|markdown)$/i.test(uri.path) || this.docs.size >= MAX_DOCS) return;
    if (await this.isCandidate(uri)) await this.load(uri);
  }

  /** Opens the document (so the server holds it) and asks for its stages. */
  private async load(uri: vscode.Uri): Promise<void> {
    try {
      await vscode.workspace.openTextDocument(uri);
    } catch {
      return;
    }
    await this.refresh(uri);
  }

  /** Asks the server for a doc's stages now; returns them (null when it is not a plan doc). */
  async refresh(uri: vscode.Uri): Promise<PlanDoc | undefined> {
    if (!this.client.isRunning()) return this.get(uri);
    let result: StagesResult | null;
    try {
      const params: StagesParams = { uri: uri.toString() };
      result = await this.client.sendRequest<StagesResult | null>(STAGES_METHOD, params);
    } catch {
      return this.get(uri);
    }
    return this.accept(uri, result);
  }

  /**
   * The doc's stages for the editor's current version of it, asking the server when the cached ones are
   * older. Used before running and before editing, so that commands and lines are the ones on screen.
   */
  async current(uri: vscode.Uri): Promise<PlanDoc | undefined> {
    const document = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
    const cached = this.get(uri);
    if (cached && document && cached.result.version === document.version) return cached;
    return this.refresh(uri);
  }

  private accept(uri: vscode.Uri, result: StagesResult | null): PlanDoc | undefined {
    const key = uri.toString();
    const had = this.docs.has(key);
    if (!result || result.kind === null || result.stages.length === 0) {
      if (had) {
        this.docs.delete(key);
        this.emitter.fire(undefined);
        void this.updateContext();
      }
      return undefined;
    }
    const previous = this.docs.get(key);
    if (previous && previous.result.version > result.version) return previous;
    const doc: PlanDoc = { uri, result, title: documentTitle(uri) };
    this.docs.set(key, doc);
    this.emitter.fire(had ? uri : undefined);
    if (!had) void this.updateContext();
    return doc;
  }

  private onChecked(params: DocumentCheckedParams): void {
    const known = this.docs.has(params.uri);
    if (!known && (params.kind === null || params.stageCount === 0)) return;
    void this.refresh(vscode.Uri.parse(params.uri));
  }

  private remove(uri: vscode.Uri): void {
    if (this.docs.delete(uri.toString())) {
      this.emitter.fire(undefined);
      void this.updateContext();
    }
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'docplan.hasPlanDocs', this.docs.size > 0);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** The doc's title for the tree: its first heading, else its file name. */
function documentTitle(uri: vscode.Uri): string {
  const document = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
  const heading = document?.getText().match(/^#[ \t]+(.+)$/m)?.[1]?.trim();
  return heading || uri.path.split('/').pop() || uri.toString();
}

/** The stage (or step) whose range holds `line`, the innermost one. */
export function stageAtLine(stages: readonly StageNode[], line: number): StageNode | undefined {
  for (const stage of stages) {
    if (line >= stage.range.start.line && (line < stage.range.end.line || (line === stage.range.end.line && stage.range.end.character > 0))) {
      return stageAtLine(stage.children, line) ?? stage;
    }
  }
  return undefined;
}
