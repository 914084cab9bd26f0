/**
 * Where diagnostics go: pushed (`textDocument/publishDiagnostics`) to clients that cannot pull, and kept
 * for pull diagnostics (`textDocument/diagnostic`, `workspace/diagnostic`) otherwise. Open documents'
 * diagnostics are computed from their current check; documents that are not open get theirs from the
 * background workspace check and are kept here.
 */
import { clientSupport } from './capabilities';
import {
  DocumentDiagnosticReportKind,
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type WorkspaceDiagnosticParams,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { findingsToDiagnostics } from '../features/diagnostics';
import { failureDiagnostics, type CurrentDocument } from './documents';

/** Diagnostics of a document that is not open, with the id of this version of them. */
interface KeptReport {
  resultId: string;
  diagnostics: Diagnostic[];
  /** JSON of the diagnostics, to tell a change from a repeat. */
  key: string;
}

/** Sends or keeps diagnostics, depending on what the client supports. */
export class DiagnosticsPublisher {
  /** True when the client pulls diagnostics (the server then pushes none for Markdown docs). */
  pull = false;
  private refreshSupported = false;
  private readonly background = new Map<string, KeptReport>();
  private nextResultId = 1;

  constructor(private readonly connection: Connection) {}

  /** Reads the client's capabilities from `initialize`. */
  configure(capabilities: ClientCapabilities): void {
    this.pull = clientSupport(capabilities).pullDiagnostics;
    this.refreshSupported = capabilities.workspace?.diagnostics?.refreshSupport === true;
  }

  /** Diagnostics of an open document's check (pushed; pull clients ask for them). */
  async publishOpen(uri: string, version: number, diagnostics: Diagnostic[]): Promise<void> {
    if (!this.pull) await this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  /** Clears an open document's diagnostics when it closes without a background check to take over. */
  async clearOpen(uri: string): Promise<void> {
    // The client no longer shows the background result either: the next one is sent even if it is the same.
    this.background.delete(uri);
    if (!this.pull) await this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Diagnostics of a document that is not open, from the background check. */
  async publishBackground(uri: string, diagnostics: Diagnostic[], isOpen: boolean): Promise<void> {
    const key = JSON.stringify(diagnostics);
    const kept = this.background.get(uri);
    if (kept?.key === key) return;
    if (!kept && diagnostics.length === 0) return;
    if (diagnostics.length === 0) this.background.delete(uri);
    else this.background.set(uri, { resultId: `w${this.nextResultId++}`, diagnostics, key });
    // An open document's own diagnostics are fresher than those of its file on disk.
    if (!this.pull && !isOpen) await this.connection.sendDiagnostics({ uri, diagnostics });
  }

  /** URIs with background diagnostics kept. */
  backgroundUris(): string[] {
    return [...this.background.keys()];
  }

  /** Asks a pull client to pull again (the configuration or files the checks read changed). */
  refresh(): void {
    if (this.pull && this.refreshSupported) void this.connection.languages.diagnostics.refresh().catch(() => undefined);
  }

  /** `textDocument/diagnostic`: an open document's current check, or a closed one's background result. */
  documentReport(params: DocumentDiagnosticParams, found: CurrentDocument | null): DocumentDiagnosticReport {
    if (!found) {
      const kept = this.background.get(params.textDocument.uri);
      if (!kept) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      if (params.previousResultId === kept.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: kept.resultId };
      return { kind: DocumentDiagnosticReportKind.Full, resultId: kept.resultId, items: kept.diagnostics };
    }
    const { document, checked, context } = found;
    const resultId = `d${document.version}.g${context.generation}`;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    const items = checked ? findingsToDiagnostics(checked.findings, context.docsBase) : failureDiagnostics(found.state, context.docsBase);
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  }

  /**
   * `workspace/diagnostic`: the background results of documents that are not open, those the client already
   * holds (same result id) left out. The client asks again every few seconds.
   */
  workspaceReport(params: WorkspaceDiagnosticParams, isOpen: (uri: string) => boolean, token: CancellationToken): WorkspaceDiagnosticReport {
    const known = new Map(params.previousResultIds.map((previous) => [previous.uri, previous.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const [uri, kept] of this.background) {
      if (token.isCancellationRequested) break;
      if (isOpen(uri) || known.get(uri) === kept.resultId) continue;
      items.push({ uri, version: null, kind: DocumentDiagnosticReportKind.Full, resultId: kept.resultId, items: kept.diagnostics });
    }
    // Documents whose problems were fixed on disk: an empty report replaces what the client holds.
    for (const [uri, resultId] of known) {
      if (!this.background.has(uri) && !isOpen(uri) && !resultId.startsWith('empty')) {
        items.push({ uri, version: null, kind: DocumentDiagnosticReportKind.Full, resultId: 'empty', items: [] });
      }
    }
    return { items };
  }
}
