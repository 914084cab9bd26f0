/**
 * The background check of every DocPlan doc in the workspace folders (`docplan.checkWorkspace`), so that the
 * Problems panel lists the docs that are not open too. It runs on the check pool at the lowest priority, one document at a
 * time with a yield between them, reports progress (`window/workDoneProgress`), and a newer pass (after a
 * configuration or file change) cancels an older one.
 */
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { URI } from 'vscode-uri';
import type { Connection, TextDocuments, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findingsToDiagnostics } from '../features/diagnostics';
import { locate, type Folder } from '../folders';
import { collectFiles, isMarkdownPath, readDocument } from '../workspace/files';
import type { FolderConfiguration } from './configuration';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import type { ServerLog } from './log';
import { Priority, type CheckPool } from './checkPool';
import type { SettingsStore } from './settingsStore';
import type { IdleCollector } from './idleCollector';

/** Checks the documents of the workspace folders that are not open. */
export class WorkspaceCheck {
  /** Incremented by every pass; an older pass stops at its next document. */
  private pass = 0;
  private progressSupported = false;
  /** Single files to re-check (closed, or changed on disk), when no pass is due. */
  private readonly singles = new Set<string>();
  private draining = false;
  /** Resolves when the pass under way (if any) has finished; for the bench and tests. */
  idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly configuration: FolderConfiguration,
    private readonly settings: SettingsStore,
    private readonly pool: CheckPool,
    private readonly publisher: DiagnosticsPublisher,
    private readonly log: ServerLog,
    private readonly collector: IdleCollector,
  ) {}

  /** Whether the client shows server-initiated progress. */
  setProgressSupported(supported: boolean): void {
    this.progressSupported = supported;
  }

  /** Starts a pass over every folder (cancelling the one under way). */
  start(): void {
    const pass = ++this.pass;
    this.idle = this.run(pass).catch((error: unknown) => this.log.error('workspace check', error));
  }

  /** Stops the pass under way (shutdown). */
  stop(): void {
    this.pass++;
  }

  /** Re-checks one file from disk (a document closed, or a Markdown file changed on disk). */
  recheckFile(uri: string): void {
    this.singles.add(uri);
    if (this.draining) return;
    this.draining = true;
    void this.drainSingles().finally(() => (this.draining = false));
  }

  private async drainSingles(): Promise<void> {
    await yieldToEvents();
    while (this.singles.size > 0) {
      const [uri] = this.singles;
      this.singles.delete(uri);
      const { folder } = locate(uri, this.configuration.folders);
      if (!folder || folder.scheme !== 'file' || !isMarkdownPath(URI.parse(uri).fsPath)) continue;
      const settings = await this.settings.settingsFor(folder.uri);
      if (!settings.enable || !settings.checkWorkspace) {
        await this.publisher.publishBackground(uri, [], this.isOpen(uri));
        continue;
      }
      await this.checkFile(folder, URI.parse(uri).fsPath, settings.maxFileSizeKb, () => true);
    }
  }

  private isOpen(uri: string): boolean {
    return this.documents.get(uri) !== undefined;
  }

  private async run(pass: number): Promise<void> {
    const current = () => pass === this.pass;
    // Let the requests and checks of the open documents that triggered this pass go first.
    await yieldToEvents();
    const seen = new Set<string>();
    for (const folder of this.configuration.folders) {
      if (!current()) return;
      if (folder.scheme !== 'file') continue;
      const settings = await this.settings.settingsFor(folder.uri);
      if (!settings.enable || !settings.checkWorkspace) continue;
      const files = collectFiles([folder.fsPath], { cwd: folder.fsPath, root: folder.fsPath }).files;
      const progress = await this.beginProgress(files.length);
      try {
        for (let i = 0; i < files.length; i++) {
          if (!current()) return;
          const uri = await this.checkFile(folder, files[i], settings.maxFileSizeKb, current);
          if (uri) seen.add(uri);
          progress?.report(Math.floor(((i + 1) * 100) / files.length), `${i + 1}/${files.length} docs`);
          await yieldToEvents();
        }
      } finally {
        progress?.done();
      }
    }
    if (!current()) return;
    // Files deleted since, or folders where the setting was turned off: clear what was published for them.
    for (const uri of this.publisher.backgroundUris()) {
      if (!seen.has(uri)) await this.publisher.publishBackground(uri, [], this.isOpen(uri));
    }
    this.publisher.refresh();
  }

  private async beginProgress(total: number): Promise<WorkDoneProgressServerReporter | null> {
    if (!this.progressSupported || total === 0) return null;
    try {
      const progress = await this.connection.window.createWorkDoneProgress();
      progress.begin('DocPlan', 0, `Checking ${total} Markdown files`, false);
      return progress;
    } catch {
      return null;
    }
  }

  /** Checks one file on disk and publishes its diagnostics; returns its URI, or null when it was not read. */
  private async checkFile(folder: Folder, path: string, maxFileSizeKb: number, current: () => boolean): Promise<string | null> {
    const uri = URI.file(path).toString();
    // An open document is checked from the editor's text.
    if (this.isOpen(uri)) return uri;
    const read = readDocument(path, maxFileSizeKb * 1024);
    if (!read.ok) return null;
    const context = await this.configuration.documentContext(uri, folder.uri);
    // On the check pool, behind every open document's check and every request's.
    const outcome = await this.pool.check({ uri, text: read.text, options: context.options, priority: Priority.background, isCurrent: current, keepParse: false });
    if (outcome.kind === 'superseded' || outcome.kind === 'fixed') return null;
    if (outcome.kind === 'failed') {
      this.log.errorLine(`checking ${uri} in the background: ${outcome.message}`);
      return null;
    }
    await this.publisher.publishBackground(uri, findingsToDiagnostics(outcome.checked.findings, context.docsBase), this.isOpen(uri));
    this.collector.busy();
    return uri;
  }
}
