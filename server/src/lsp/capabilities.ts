/**
 * What the server announces in its `initialize` answer, and what it reads of the client's capabilities.
 * Light on purpose: the server's entry answers `initialize` with it before loading the checking core, and
 * the VS Code client answers its own handshake with it (client/src/workerTransport.ts), so it imports
 * no library code, only types.
 */
import type { ClientCapabilities, InitializeResult, TextDocumentSyncKind } from 'vscode-languageserver-protocol';
import { COMPLETION_TRIGGERS, FIX_ALL_KIND } from '../protocol';

/** LSP's `TextDocumentSyncKind.Incremental`. */
const INCREMENTAL_SYNC: typeof TextDocumentSyncKind.Incremental = 2;
/** LSP's `CodeActionKind.QuickFix`. */
const QUICK_FIX_KIND = 'quickfix';

/** What the server does differently for this client. */
export interface ClientSupport {
  /** The client pulls diagnostics (`textDocument/diagnostic`): the server pushes none for Markdown docs. */
  pullDiagnostics: boolean;
  /** The client takes code action literals (else code actions are not offered). */
  codeActionLiterals: boolean;
  /** The client resolves a code action's edit later (fix-all computes it then). */
  codeActionResolve: boolean;
  /** Workspace edits may be `documentChanges` (versioned). */
  documentChanges: boolean;
}

/** Reads the client's capabilities (any shape: a malformed client gets the plainest behaviour). */
export function clientSupport(capabilities: ClientCapabilities): ClientSupport {
  return {
    pullDiagnostics: capabilities.textDocument?.diagnostic !== undefined,
    codeActionLiterals: capabilities.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
    codeActionResolve: capabilities.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') === true,
    documentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
  };
}

/** The `initialize` answer for a client with `capabilities`. */
export function initializeResult(capabilities: ClientCapabilities): InitializeResult {
  const support = clientSupport(capabilities);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: INCREMENTAL_SYNC },
      documentSymbolProvider: { label: 'DocPlan' },
      foldingRangeProvider: true,
      documentLinkProvider: { resolveProvider: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [...COMPLETION_TRIGGERS] },
      codeActionProvider: support.codeActionLiterals
        ? { codeActionKinds: [QUICK_FIX_KIND, FIX_ALL_KIND], resolveProvider: support.codeActionResolve }
        : true,
      ...(support.pullDiagnostics ? { diagnosticProvider: { identifier: 'docplan', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'docplan-language-server' },
  };
}
