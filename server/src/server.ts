/**
 * The DocPlan language server: wires LSP handlers to the modules under lsp/ (document checks, settings,
 * folder configuration, scheduling, diagnostics) and the pure core (check.ts, features/), and nothing else.
 * Loaded by the entry (serverMain.ts) once it has answered `initialize`; bundled as `dist/serverCore.js`.
 */
import {
  type CodeAction,
  CodeActionTriggerKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  type ClientCapabilities,
  type InitializeParams,
  type Connection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { CONFIG_FILE_NAME } from './config/load';
import { codeActions, fixAllData, fixAllTextNeeded, resolveFixAll } from './features/codeActions';
import { foldingRanges } from './features/folding';
import type { CheckedDocument } from './check';
import { completionsAt, documentLinks, hoverAt, type NavigationContext, type NavigationProvider } from './features/navigation';
import { referenceNavigation } from './features/referenceNavigation';
import { documentInfo, stagesResult } from './features/stages';
import { documentSymbols } from './features/symbols';
import { prepareTestNavigation, testNavigation } from './features/testNavigation';
import { isConfigUri, FolderConfiguration } from './lsp/configuration';
import { clientSupport } from './lsp/capabilities';
import { DiagnosticsPublisher } from './lsp/diagnosticsPublisher';
import { DocumentChecks, isMarkdown, type CurrentDocument } from './lsp/documents';
import { ServerLog } from './lsp/log';
import { CheckPool } from './lsp/checkPool';
import { CheckScheduler } from './lsp/scheduler';
import { SettingsStore } from './lsp/settingsStore';
import { WorkspaceCheck } from './lsp/workspaceCheck';
import { parseSettings } from './settings';
import type { FileChange } from './workspace/fileIndex';
import {
  CONFIGURATION_SECTION,
  Methods,
  type DocPlanInitializationOptions,
  type DocumentInfo,
  type DocumentInfoParams,
  type StagesParams,
  type StagesResult,
} from './protocol';

/** Providers of links, hovers and completions, in the order they are asked. */
const NAVIGATION_PROVIDERS: readonly NavigationProvider[] = [referenceNavigation, testNavigation];

/** A server whose handlers are wired. */
export interface StartedServer {
  /** The client's `initialized` notification came: register what the client lets us, start the folders' work. */
  initialized(): void;
}

/**
 * Wires the server's handlers to `connection` and applies what the client said in `initialize` (`params`),
 * which the entry (serverMain.ts) answers.
 */
export function startServer(connection: Connection, params: InitializeParams): StartedServer {
  const documents = new TextDocuments(TextDocument);
  const log = new ServerLog(connection);
  const settings = new SettingsStore(connection, log);
  const configuration = new FolderConfiguration(connection, documents, settings, log);
  const pool = new CheckPool(undefined, (context, error) => log.error(context, error));
  const checks = new DocumentChecks(documents, configuration, pool, log, () => settings.global.debounceMs);
  const publisher = new DiagnosticsPublisher(connection);
  const scheduler = new CheckScheduler(connection, documents, configuration, checks, publisher, log);
  const workspaceCheck = new WorkspaceCheck(connection, documents, configuration, settings, pool, publisher, log, checks.collector);

  process.on('uncaughtException', (error) => log.error('uncaught exception', error));
  process.on('unhandledRejection', (error) => log.error('unhandled rejection', error));

  // What initialize said (the entry answered it already: lsp/capabilities.ts).
  const clientCapabilities: ClientCapabilities = params.capabilities ?? {};
  const support = clientSupport(clientCapabilities);
  const foldingRangeLimit = clientCapabilities.textDocument?.foldingRange?.rangeLimit;
  const options = params.initializationOptions as unknown;
  const initOptions: DocPlanInitializationOptions = typeof options === 'object' && options !== null ? (options as DocPlanInitializationOptions) : {};
  if (typeof initOptions.docsBaseUrl !== 'string' || initOptions.docsBaseUrl.trim() === '') delete initOptions.docsBaseUrl;
  configuration.initOptions = initOptions;
  settings.global = parseSettings(initOptions.settings);
  settings.supportsConfiguration = clientCapabilities.workspace?.configuration === true;
  publisher.configure(clientCapabilities);
  workspaceCheck.setProgressSupported(clientCapabilities.window?.workDoneProgress === true);
  configuration.setFolders(params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []));

  /** Settings, a `.docplan.json` or files the docs read changed: every check is stale. */
  function everythingChanged(): void {
    scheduler.recheckAll();
    workspaceCheck.start();
    publisher.refresh();
  }

  function refreshConfigs(): void {
    configuration.reload();
    everythingChanged();
  }

  let configTimer: NodeJS.Timeout | undefined;
  let filesChangedTimer: NodeJS.Timeout | undefined;
  function scheduleConfigRefresh(delay: number): void {
    clearTimeout(configTimer);
    clearTimeout(filesChangedTimer);
    configTimer = setTimeout(log.guardEvent('config refresh', () => refreshConfigs()), delay);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Lifecycle.

  const initialized = log.guardEvent('initialized', async () => {
    const registrations: Promise<unknown>[] = [];
    if (clientCapabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      registrations.push(connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIGURATION_SECTION }));
    }
    if (clientCapabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      // Every file: references and validation commands read code and tests, whose changes must re-check docs.
      registrations.push(connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }, { globPattern: '**/*' }] }));
    }
    if (clientCapabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        log.guardEvent('workspace folders change', (event) => {
          configuration.changeFolders(
            event.added.map((folder) => folder.uri),
            event.removed.map((folder) => folder.uri),
          );
          refreshConfigs();
        }),
      );
    }
    // Publish problems of the folders' configuration files right away, not only once a doc is opened.
    configuration.loadAll();
    workspaceCheck.start();
    await Promise.all(registrations);
  });

  connection.onShutdown(() => {
    clearTimeout(configTimer);
    clearTimeout(filesChangedTimer);
    scheduler.dispose();
    workspaceCheck.stop();
    pool.dispose();
    checks.collector.dispose();
  });

  connection.onDidChangeConfiguration(
    log.guardEvent('didChangeConfiguration', (params) => {
      settings.changed(params);
      configuration.generation++;
      everythingChanged();
    }),
  );

  const FILE_CHANGE: Record<number, FileChange> = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' };

  connection.onDidChangeWatchedFiles(
    log.guardEvent('didChangeWatchedFiles', (params) => {
      if (params.changes.some((change) => isConfigUri(change.uri))) refreshConfigs();
      const changes = params.changes.map((change) => ({ uri: change.uri, change: FILE_CHANGE[change.type] ?? 'changed' }));
      const touched = configuration.filesChanged(changes);
      pool.filesChanged(changes.filter(({ uri }) => uri.startsWith('file:')).map(({ uri, change }) => ({ absPath: URI.parse(uri).fsPath, change })));
      // Referenced code or tests changed: re-check once the burst of events (a checkout) settles.
      if (touched) {
        clearTimeout(filesChangedTimer);
        filesChangedTimer = setTimeout(() => {
          configuration.generation++;
          everythingChanged();
        }, 300);
      }
    }),
  );

  // ---------------------------------------------------------------------------------------------------------
  // Documents.

  documents.onDidChangeContent(
    log.guardEvent('didChange', (event) => {
      const { document } = event;
      if (isConfigUri(document.uri)) {
        // The editor's text of a folder's .docplan.json is its configuration while it is open.
        if (configuration.isFolderConfig(document.uri)) scheduleConfigRefresh(checks.states.has(document.uri) ? 200 : 0);
        checks.stateOf(document.uri);
        return;
      }
      if (!isMarkdown(document)) return;
      const first = !checks.states.has(document.uri);
      scheduler.schedule(document.uri, first ? 0 : undefined);
    }),
  );

  documents.onDidClose(
    log.guardEvent('didClose', async (event) => {
      const { uri } = event.document;
      checks.forget(uri);
      settings.forget(uri);
      if (isConfigUri(uri)) {
        // Back to the file on disk.
        scheduleConfigRefresh(0);
        return;
      }
      await publisher.clearOpen(uri);
      // The file on disk is what the workspace check reports from now on.
      workspaceCheck.recheckFile(uri);
    }),
  );

  // ---------------------------------------------------------------------------------------------------------
  // Requests.

  /** What navigation providers read; the main thread's test index loads the grammars of the doc's commands on first use. */
  async function navigationOf(found: CurrentDocument & { checked: CheckedDocument }): Promise<NavigationContext> {
    const workspace = found.context.options.workspace ?? null;
    if (workspace && found.checked.built.model.kind !== null) await prepareTestNavigation(found.checked.built.model, workspace);
    return { checked: found.checked, workspace };
  }

  connection.onDocumentSymbol(
    log.guard('documentSymbol', [], async (params) => {
      const found = await checks.current(params.textDocument?.uri);
      return found?.checked ? documentSymbols(found.checked.built.model) : [];
    }),
  );

  connection.onFoldingRanges(
    log.guard('foldingRange', [], async (params) => {
      const found = await checks.current(params.textDocument?.uri);
      return found?.checked ? foldingRanges(found.checked.built.model, found.checked.built.lines, foldingRangeLimit) : [];
    }),
  );

  connection.onDocumentLinks(
    log.guard('documentLink', [], async (params) => {
      const found = await checks.current(params.textDocument?.uri);
      return found?.checked ? documentLinks(NAVIGATION_PROVIDERS, await navigationOf({ ...found, checked: found.checked })) : [];
    }),
  );

  connection.onHover(
    log.guard('hover', null, async (params) => {
      const found = await checks.current(params.textDocument?.uri);
      if (!found?.checked || !params.position) return null;
      return hoverAt(NAVIGATION_PROVIDERS, await navigationOf({ ...found, checked: found.checked }), params.position);
    }),
  );

  connection.onCompletion(
    log.guard('completion', null, async (params) => {
      const found = await checks.current(params.textDocument?.uri);
      if (!found?.checked || !params.position) return null;
      return completionsAt(NAVIGATION_PROVIDERS, await navigationOf({ ...found, checked: found.checked }), params.position);
    }),
  );

  connection.onCodeAction(
    log.guard('codeAction', [], async (params) => {
      if (!support.codeActionLiterals) return [];
      const found = await checks.current(params.textDocument?.uri);
      if (!found?.checked || !params.range) return [];
      const only: unknown = params.context?.only;
      const request = {
        uri: found.document.uri,
        version: found.document.version,
        text: found.document.getText(),
        checked: found.checked,
        options: found.context.options,
        range: params.range,
        only: Array.isArray(only) ? only.filter((kind): kind is string => typeof kind === 'string') : undefined,
        diagnostics: params.context?.diagnostics,
        docsBase: found.context.docsBase,
        documentChanges: support.documentChanges,
        automatic: params.context?.triggerKind === CodeActionTriggerKind.Automatic,
        resolveEdit: support.codeActionResolve,
      };
      // Fix-all re-checks the document: on the check worker, not here.
      return codeActions(fixAllTextNeeded(request) ? { ...request, fixedText: await checks.fixedText(found) } : request);
    }),
  );

  connection.languages.diagnostics.on(
    log.guard('textDocument/diagnostic', { kind: 'full', items: [] }, async (params) => {
      // A malformed request (no text document) gets an empty report, not a handler failure.
      const uri: unknown = params?.textDocument?.uri;
      if (typeof uri !== 'string') return { kind: 'full', items: [] };
      const found = documents.get(uri) ? await checks.current(uri, true) : null;
      return publisher.documentReport(params, found);
    }),
  );

  connection.languages.diagnostics.onWorkspace(
    log.guard('workspace/diagnostic', { items: [] }, (params, token) => publisher.workspaceReport(params, (uri) => documents.get(uri) !== undefined, token)),
  );

  connection.onCodeActionResolve(
    log.guard<CodeAction, CodeAction>('codeActionResolve', { title: 'Fix all DocPlan problems', disabled: { reason: 'DocPlan could not compute the fixes (see its log).' } }, async (action) => {
      const found = await checks.current(fixAllData(action)?.uri);
      if (!found?.checked) return resolveFixAll(action, null);
      const document = { uri: found.document.uri, version: found.document.version, text: found.document.getText(), checked: found.checked };
      const stale = fixAllData(action)?.version !== document.version;
      // Fix-all re-checks the document: on the check worker, not here (nothing to compute for a stale action).
      const fixedText = stale ? document.text : await checks.fixedText(found);
      return resolveFixAll(action, { ...document, options: found.context.options, documentChanges: support.documentChanges, fixedText });
    }),
  );

  connection.onRequest(
    Methods.documentInfo,
    log.guard<DocumentInfoParams, DocumentInfo | null>(Methods.documentInfo, null, async (params) => {
      const found = await checks.current(params?.uri);
      if (!found) return null;
      return documentInfo(found.document.uri, found.document.version, found.checked?.built.model ?? null, found.state.skipped);
    }),
  );

  connection.onRequest(
    Methods.stages,
    log.guard<StagesParams, StagesResult | null>(Methods.stages, null, async (params) => {
      const found = await checks.current(params?.uri);
      if (!found) return null;
      return stagesResult(found.document.uri, found.document.version, found.checked?.built.model ?? null);
    }),
  );

  connection.onRequest(Methods.memoryUsage, () => process.memoryUsage());

  documents.listen(connection);
  return { initialized: () => initialized(undefined) };
}
