/**
 * When open documents are checked: debounced after edits, at once when opened or when the configuration
 * changes; a newer edit supersedes an older check. Publishes the result and, when the client asked for it,
 * `docplan/documentChecked`.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findingsToDiagnostics } from '../features/diagnostics';
import { Methods, type DocumentCheckedParams } from '../protocol';
import { isConfigUri, type FolderConfiguration } from './configuration';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import { failureDiagnostics, isMarkdown, type DocumentChecks } from './documents';
import type { ServerLog } from './log';
import { Priority } from './checkPool';

/** Schedules the checks of open documents. */
export class CheckScheduler {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly configuration: FolderConfiguration,
    private readonly checks: DocumentChecks,
    private readonly publisher: DiagnosticsPublisher,
    private readonly log: ServerLog,
  ) {}

  /** Checks `uri` after `delay` ms (the document's debounce by default), superseding any earlier schedule. */
  schedule(uri: string, delay?: number): void {
    const state = this.checks.stateOf(uri);
    clearTimeout(state.timer);
    const token = ++state.token;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.run(uri, token).catch((error: unknown) => this.log.error(`checking ${uri}`, error));
    }, delay ?? state.debounceMs);
  }

  /** Re-checks every open Markdown document now. */
  recheckAll(): void {
    for (const document of this.documents.all()) {
      if (isMarkdown(document) && !isConfigUri(document.uri)) this.schedule(document.uri, 0);
    }
  }

  /** Stops every pending timer (shutdown). */
  dispose(): void {
    for (const state of this.checks.states.values()) clearTimeout(state.timer);
  }

  private async run(uri: string, token: number): Promise<void> {
    const state = this.checks.states.get(uri);
    if (!state || state.token !== token || !this.documents.get(uri)) return;
    const context = await this.configuration.documentContext(uri);
    const document = this.documents.get(uri);
    // Superseded by a newer edit, a settings change or a close while the settings were fetched.
    if (!document || this.checks.states.get(uri) !== state || state.token !== token) return;
    const version = document.version;
    const { checked, superseded, state: checkedState } = await this.checks.ensureChecked(document, context, Priority.open);
    // An edit that arrived meanwhile scheduled its own check: let that one publish.
    if (superseded || state.token !== token || document.version !== version) return;
    const diagnostics = checked ? findingsToDiagnostics(checked.findings, context.docsBase) : failureDiagnostics(checkedState, context.docsBase);
    await this.publisher.publishOpen(uri, version, diagnostics);
    if (this.configuration.initOptions.documentCheckedNotifications) {
      const summary = checked ? checkedState.summary : null;
      const params: DocumentCheckedParams = {
        uri,
        version: document.version,
        kind: summary && !summary.disabled ? summary.kind : null,
        stageCount: summary && summary.kind !== null && !summary.disabled ? summary.stageCount : 0,
      };
      await this.connection.sendNotification(Methods.documentChecked, params);
    }
  }
}
