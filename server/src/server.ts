/**
 * The DocPlan language server: wires LSP handlers to the pure core (check.ts, features/) and nothing else.
 * Runs under VS Code (node-ipc) and standalone for any LSP client: `docplan-language-server --stdio`.
 */
import { packageReadmeUri } from './docsLink';
import { resolve as resolvePath } from 'node:path';
import {
  type CodeAction,
  CodeActionKind,
  CodeActionTriggerKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { checkTextPrepared, type CheckedDocument, type CheckOptions } from './check';
import { FolderWorkspace } from './workspace/workspace';
import type { FileChange } from './workspace/fileIndex';
import { parseConfigText, type DocPlanConfig } from './config/config';
import { CONFIG_FILE_NAME, readConfigFile, resolveConfig, type LoadedConfigFile } from './config/load';
import { RULE_IDS } from './rules/index';
import { codeActions, fixAllData, resolveFixAll, SOURCE_FIX_ALL_DOCPLAN } from './features/codeActions';
import { configProblemsToDiagnostics, findingsToDiagnostics } from './features/diagnostics';
import { foldingRanges } from './features/folding';
import { documentInfo, stagesResult } from './features/stages';
import { documentSymbols } from './features/symbols';
import { COMPLETION_TRIGGERS, completionsAt, documentLinks, hoverAt, type NavigationProvider } from './features/navigation';
import { testNavigation } from './features/testNavigation';
import { referenceNavigation } from './features/referenceNavigation';

/** Providers of links, hovers and completions, in the order they are asked. */
const NAVIGATION_PROVIDERS: readonly NavigationProvider[] = [referenceNavigation, testNavigation];
import { locate, toFolder, type Folder } from './folders';
import { parseSettings, type ServerSettings } from './settings';
import {
  CONFIGURATION_SECTION,
  Methods,
  type DocPlanInitializationOptions,
  type DocumentCheckedParams,
  type DocumentInfo,
  type DocumentInfoParams,
  type StagesParams,
  type StagesResult,
} from './protocol';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];
if (!process.argv.some((arg) => TRANSPORTS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)))) {
  process.stderr.write('Usage: docplan-language-server --stdio   (or --node-ipc, --socket=<port>, --pipe=<name>)\n');
  process.exit(2);
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

// ---------------------------------------------------------------------------------------------------------
// Logging and handler guards: an exception is logged and answered, never a crash.

const logged = new Set<string>();

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function logError(context: string, error: unknown): void {
  try {
    connection.console.error(`DocPlan: ${context} failed: ${describe(error)}`);
  } catch {
    // The connection itself is gone; nothing left to tell.
  }
}

/** Logs a line once per server lifetime (settings problems, unknown rule ids in settings). */
function logOnce(message: string): void {
  if (logged.has(message)) return;
  logged.add(message);
  connection.console.warn(`DocPlan: ${message}`);
}

/** Wraps a request handler: exceptions are logged and answered with `fallback` (ResponseErrors pass through). */
function guard<P, R>(name: string, fallback: R, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
  return async (params: P, token: CancellationToken): Promise<R> => {
    try {
      return await handler(params, token);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      logError(name, error);
      return fallback;
    }
  };
}

/** Wraps a notification or event handler the same way. */
function guardEvent<P>(name: string, handler: (params: P) => void | Promise<void>): (params: P) => void {
  return (params: P) => {
    try {
      const result = handler(params);
      if (result instanceof Promise) result.catch((error: unknown) => logError(name, error));
    } catch (error) {
      logError(name, error);
    }
  };
}

process.on('uncaughtException', (error) => logError('uncaught exception', error));
process.on('unhandledRejection', (error) => logError('unhandled rejection', error));

// ---------------------------------------------------------------------------------------------------------
// Client capabilities and server-wide state.

let capabilities: ClientCapabilities = {};
let initOptions: DocPlanInitializationOptions = {};
let folders: Folder[] = [];
let supportsConfiguration = false;
let supportsDocumentChanges = false;
let supportsCodeActionLiterals = false;
let supportsCodeActionResolve = false;
let foldingRangeLimit: number | undefined;
/** Settings for clients without `workspace/configuration`: initialization options, then didChangeConfiguration. */
let globalSettings: ServerSettings = parseSettings(undefined);
/** Bumped whenever settings or a `.docplan.json` change: cached checks of an older generation are stale. */
let generation = 0;

/** The README installed with DocPlan, linked from every diagnostic. */
const DEFAULT_DOCS_BASE = packageReadmeUri();

function isConfigUri(uri: string): boolean {
  return /(^|\/)\.docplan\.json$/i.test(uri.split(/[?#]/)[0]);
}

function isMarkdown(document: TextDocument): boolean {
  return document.languageId === 'markdown' || /\.(md|markdown|mdown|mkdn|mkd)$/i.test(document.uri.split(/[?#]/)[0]);
}

// ---------------------------------------------------------------------------------------------------------
// Settings (per resource) and folder configuration.

const settingsCache = new Map<string, Promise<ServerSettings>>();
const SETTINGS_TIMEOUT_MS = 5_000;

function settingsFor(uri: string): Promise<ServerSettings> {
  if (!supportsConfiguration) return Promise.resolve(globalSettings);
  let pending = settingsCache.get(uri);
  if (!pending) {
    const request = connection.workspace.getConfiguration({ scopeUri: uri, section: CONFIGURATION_SECTION }).then(
      (raw: unknown) => parseSettings(raw),
      (error: unknown) => {
        logError('workspace/configuration', error);
        settingsCache.delete(uri);
        return globalSettings;
      },
    );
    // A client that never answers must not stop checking: fall back to the global settings and ask again next time.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ServerSettings>((resolveTimeout) => {
      timer = setTimeout(() => {
        logOnce(`workspace/configuration did not answer within ${SETTINGS_TIMEOUT_MS} ms; using defaults for now.`);
        if (settingsCache.get(uri) === pending) settingsCache.delete(uri);
        resolveTimeout(globalSettings);
      }, SETTINGS_TIMEOUT_MS);
    });
    pending = Promise.race([request, timeout]).finally(() => clearTimeout(timer));
    settingsCache.set(uri, pending);
  }
  return pending;
}

const folderConfigs = new Map<string, LoadedConfigFile>();
/** Config URIs with diagnostics published, so that they can be cleared once fixed. */
const configDiagnostics = new Map<string, number>();

/** The open document of a folder's `.docplan.json`, if the editor holds it. */
function openConfigDocument(folder: Folder): TextDocument | undefined {
  return documents.all().find((document) => isConfigUri(document.uri) && locate(document.uri, [folder]).path === CONFIG_FILE_NAME);
}

function configUriOf(folder: Folder, file: LoadedConfigFile): string {
  const open = openConfigDocument(folder);
  if (open) return open.uri;
  return folder.scheme === 'file' ? URI.file(file.path).toString() : `${folder.uri.replace(/\/$/, '')}/${CONFIG_FILE_NAME}`;
}

/** A folder's `.docplan.json` (the editor's text when it is open), cached until it changes. */
function folderConfig(folder: Folder): LoadedConfigFile {
  const cached = folderConfigs.get(folder.uri);
  if (cached) return cached;
  let file: LoadedConfigFile;
  const open = openConfigDocument(folder);
  if (open) {
    file = { path: resolvePath(folder.fsPath, CONFIG_FILE_NAME), exists: true, ...parseConfigText(open.getText(), RULE_IDS) };
  } else if (folder.scheme === 'file') {
    file = readConfigFile(folder.fsPath);
  } else {
    file = { path: CONFIG_FILE_NAME, exists: false, input: {}, problems: [] };
  }
  folderConfigs.set(folder.uri, file);
  publishConfigProblems(folder, file);
  return file;
}

function publishConfigProblems(folder: Folder, file: LoadedConfigFile): void {
  const uri = configUriOf(folder, file);
  const diagnostics = configProblemsToDiagnostics(file.problems);
  if (diagnostics.length === 0 && !configDiagnostics.get(uri)) return;
  for (const problem of file.problems) connection.console.warn(`DocPlan: ${uri}: ${problem.message}`);
  configDiagnostics.set(uri, diagnostics.length);
  void connection.sendDiagnostics({ uri, diagnostics });
}

/** Forgets every folder configuration, reloads them (publishing or clearing their problems) and re-checks. */
function refreshConfigs(): void {
  folderConfigs.clear();
  generation++;
  for (const folder of folders) folderConfig(folder);
  for (const uri of [...configDiagnostics.keys()]) {
    // A folder that was removed, or a config URI that changed spelling: clear what was published there.
    if (!folders.some((folder) => configUriOf(folder, folderConfigs.get(folder.uri)!) === uri) && configDiagnostics.get(uri)) {
      configDiagnostics.set(uri, 0);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }
  recheckAll();
}

let configTimer: NodeJS.Timeout | undefined;
function scheduleConfigRefresh(delay: number): void {
  clearTimeout(configTimer);
  clearTimeout(filesChangedTimer);
  configTimer = setTimeout(guardEvent('config refresh', () => refreshConfigs()), delay);
}

/** Everything a check of one document depends on besides its text. */
interface DocumentContext {
  settings: ServerSettings;
  options: CheckOptions;
  docsBase: string | null;
  generation: number;
}

/** Each file-system workspace folder's services (index, symbols, git, tests), created on first use. */
const folderWorkspaces = new Map<string, FolderWorkspace>();

function workspaceOf(folder: Folder): FolderWorkspace | null {
  if (folder.scheme !== 'file') return null;
  let workspace = folderWorkspaces.get(folder.uri);
  if (!workspace) {
    workspace = new FolderWorkspace(folder.fsPath, { validate: 'events', git: initOptions.workspaceTrusted !== false });
    folderWorkspaces.set(folder.uri, workspace);
  }
  return workspace;
}

async function documentContext(uri: string): Promise<DocumentContext> {
  // Tag with the generation from before the wait: a change that lands meanwhile makes this context stale.
  const startGeneration = generation;
  const settings = await settingsFor(uri);
  for (const problem of settings.problems) logOnce(problem);
  const { folder, path } = locate(uri, folders);
  const file = folder ? folderConfig(folder) : null;
  const resolved = resolveConfig(file, settings.overrides);
  // Problems of the file are diagnostics on it; the rest came from the settings.
  for (const problem of resolved.problems.slice(file?.problems.length ?? 0)) logOnce(`settings: ${problem.message}`);
  const config: DocPlanConfig = resolved.config;
  return {
    settings,
    options: { config, path, workspace: folder && path !== null ? workspaceOf(folder)?.view(URI.parse(uri).fsPath) ?? null : null },
    docsBase: settings.docsBaseUrl ?? initOptions.docsBaseUrl ?? DEFAULT_DOCS_BASE,
    generation: startGeneration,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Per-document checks: cached, debounced, stale results dropped.

interface DocumentState {
  timer: NodeJS.Timeout | undefined;
  /** Incremented by every scheduled check; a check that finds a newer token gives way. */
  token: number;
  checked: CheckedDocument | null;
  checkedVersion: number;
  checkedGeneration: number;
  /** Why the document is not checked, or null. */
  skipped: string | null;
  /** The last skip reason written to the log (one line per reason). */
  loggedSkip: string | null;
  ruleErrors: string;
  /** The model notes last written to the log (skipped or simplified input), to log each change once. */
  notes: string;
  debounceMs: number;
}

const states = new Map<string, DocumentState>();

function stateOf(uri: string): DocumentState {
  let state = states.get(uri);
  if (!state) {
    state = { timer: undefined, token: 0, checked: null, checkedVersion: -1, checkedGeneration: -1, skipped: null, loggedSkip: null, ruleErrors: '', notes: '', debounceMs: globalSettings.debounceMs };
    states.set(uri, state);
  }
  return state;
}

/** Why a text is not checked (too large, binary), or null. */
function skipReason(text: string, settings: ServerSettings): string | null {
  const limit = settings.maxFileSizeKb * 1024;
  if (text.length > limit || (text.length * 3 > limit && Buffer.byteLength(text, 'utf8') > limit)) {
    const size = (Buffer.byteLength(text, 'utf8') / 1024).toFixed(0);
    return `${size} KB is over docplan.maxFileSizeKb (${settings.maxFileSizeKb} KB)`;
  }
  if (text.includes('\u0000')) return 'it contains NUL bytes (binary content)';
  return null;
}

/** The check of the document's current version, computed now if the cache is stale; null when skipped. */
async function ensureChecked(document: TextDocument, context: DocumentContext): Promise<{ checked: CheckedDocument | null; state: DocumentState }> {
  const state = stateOf(document.uri);
  state.debounceMs = context.settings.debounceMs;
  const fresh = state.checkedVersion === document.version && state.checkedGeneration === context.generation;
  if (fresh && (state.checked || state.skipped)) return { checked: state.checked, state };
  const text = document.getText();
  const skipped = context.settings.enable ? skipReason(text, context.settings) : 'docplan.enable is off';
  if (skipped) {
    state.skipped = skipped;
    state.checked = null;
    state.checkedVersion = document.version;
    state.checkedGeneration = context.generation;
    if (state.loggedSkip !== skipped && context.settings.enable) connection.console.info(`DocPlan: not checking ${document.uri}: ${skipped}.`);
    state.loggedSkip = skipped;
    return { checked: null, state };
  }
  state.skipped = null;
  state.loggedSkip = null;
  const version = document.version;
  const checked = await checkTextPrepared(text, { ...context.options, previous: state.checked?.built.parsed });
  // A newer version was checked while this one waited for the workspace: keep the newer result.
  if (state.checkedVersion > version) return { checked: state.checked, state };
  state.checked = checked;
  state.checkedVersion = version;
  state.checkedGeneration = context.generation;
  const ruleErrors = checked.ruleErrors.join('\n');
  if (ruleErrors && ruleErrors !== state.ruleErrors) connection.console.error(`DocPlan: rule errors in ${document.uri}:\n${ruleErrors}`);
  state.ruleErrors = ruleErrors;
  const notes = [...checked.built.model.notes, ...checked.notes].join('\n');
  if (notes && notes !== state.notes) connection.console.info(`DocPlan: ${document.uri}:\n${notes}`);
  state.notes = notes;
  return { checked, state };
}

/** The current document and its check (computed if stale), or null for an unknown or non-Markdown URI. */
async function current(uri: unknown): Promise<{ document: TextDocument; checked: CheckedDocument | null; context: DocumentContext; state: DocumentState } | null> {
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'params.uri must be a string');
  if (!documents.get(uri)) return null;
  const context = await documentContext(uri);
  const document = documents.get(uri);
  if (!document || !isMarkdown(document) || isConfigUri(uri)) return null;
  const { checked, state } = await ensureChecked(document, context);
  return { document, checked, context, state };
}

async function runCheck(uri: string, token: number): Promise<void> {
  const state = states.get(uri);
  if (!state || state.token !== token || !documents.get(uri)) return;
  const context = await documentContext(uri);
  const document = documents.get(uri);
  // Superseded by a newer edit, a settings change or a close while the settings were fetched.
  if (!document || states.get(uri) !== state || state.token !== token) return;
  const version = document.version;
  const { checked } = await ensureChecked(document, context);
  // An edit that arrived while the workspace was prepared scheduled its own check: let that one publish.
  if (state.token !== token || document.version !== version) return;
  const diagnostics = checked ? findingsToDiagnostics(checked.findings, context.docsBase) : [];
  await connection.sendDiagnostics({ uri, version, diagnostics });
  if (initOptions.documentCheckedNotifications) {
    const model = checked?.built.model ?? null;
    const params: DocumentCheckedParams = {
      uri,
      version: document.version,
      kind: model && !model.disabled ? model.kind : null,
      stageCount: model && model.kind !== null && !model.disabled ? model.stages.length : 0,
    };
    await connection.sendNotification(Methods.documentChecked, params);
  }
}

function schedule(uri: string, delay?: number): void {
  const state = stateOf(uri);
  clearTimeout(state.timer);
  const token = ++state.token;
  state.timer = setTimeout(() => {
    state.timer = undefined;
    runCheck(uri, token).catch((error: unknown) => logError(`checking ${uri}`, error));
  }, delay ?? state.debounceMs);
}

function recheckAll(): void {
  for (const document of documents.all()) {
    if (isMarkdown(document) && !isConfigUri(document.uri)) schedule(document.uri, 0);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Lifecycle.

connection.onInitialize((params: InitializeParams): InitializeResult => {
  capabilities = params.capabilities ?? {};
  const options = params.initializationOptions as unknown;
  initOptions = typeof options === 'object' && options !== null ? (options as DocPlanInitializationOptions) : {};
  if (typeof initOptions.docsBaseUrl !== 'string' || initOptions.docsBaseUrl.trim() === '') delete initOptions.docsBaseUrl;
  globalSettings = parseSettings(initOptions.settings);
  supportsConfiguration = capabilities.workspace?.configuration === true;
  supportsDocumentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  supportsCodeActionLiterals = capabilities.textDocument?.codeAction?.codeActionLiteralSupport !== undefined;
  supportsCodeActionResolve = capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
  foldingRangeLimit = capabilities.textDocument?.foldingRange?.rangeLimit;
  const folderUris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  folders = folderUris.map(toFolder).filter((folder): folder is Folder => folder !== null);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      documentSymbolProvider: { label: 'DocPlan' },
      foldingRangeProvider: true,
      documentLinkProvider: { resolveProvider: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS },
      codeActionProvider: supportsCodeActionLiterals ? { codeActionKinds: [CodeActionKind.QuickFix, SOURCE_FIX_ALL_DOCPLAN], resolveProvider: supportsCodeActionResolve } : true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'docplan-language-server' },
  };
});

connection.onInitialized(
  guardEvent('initialized', async () => {
    const registrations: Promise<unknown>[] = [];
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      registrations.push(connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIGURATION_SECTION }));
    }
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      // Every file: references and validation commands read code and tests, whose changes must re-check docs.
      registrations.push(connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }, { globPattern: '**/*' }] }));
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guardEvent('workspace folders change', (event) => {
          const removed = new Set(event.removed.map((folder) => folder.uri));
          folders = folders.filter((folder) => !removed.has(folder.uri));
          for (const added of event.added) {
            const folder = toFolder(added.uri);
            if (folder && !folders.some((existing) => existing.uri === folder.uri)) folders.push(folder);
          }
          refreshConfigs();
        }),
      );
    }
    // Publish problems of the folders' configuration files right away, not only once a doc is opened.
    for (const folder of folders) folderConfig(folder);
    await Promise.all(registrations);
  }),
);

connection.onShutdown(() => {
  clearTimeout(configTimer);
  clearTimeout(filesChangedTimer);
  for (const state of states.values()) clearTimeout(state.timer);
});

connection.onDidChangeConfiguration(
  guardEvent('didChangeConfiguration', (params) => {
    settingsCache.clear();
    if (!supportsConfiguration) {
      const settings = (params?.settings as Record<string, unknown> | null | undefined)?.[CONFIGURATION_SECTION];
      if (settings !== undefined) globalSettings = parseSettings(settings);
    }
    generation++;
    recheckAll();
  }),
);

const FILE_CHANGE: Record<number, FileChange> = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' };
let filesChangedTimer: NodeJS.Timeout | undefined;

connection.onDidChangeWatchedFiles(
  guardEvent('didChangeWatchedFiles', (params) => {
    if (params.changes.some((change) => isConfigUri(change.uri))) refreshConfigs();
    let touched = false;
    for (const change of params.changes) {
      const { folder } = locate(change.uri, folders);
      const workspace = folder ? folderWorkspaces.get(folder.uri) : undefined;
      if (!workspace || isConfigUri(change.uri)) continue;
      workspace.fileChanged(URI.parse(change.uri).fsPath, FILE_CHANGE[change.type] ?? 'changed');
      touched = true;
    }
    // Referenced code or tests changed: re-check open docs once the burst of events (a checkout) settles.
    if (touched) {
      clearTimeout(filesChangedTimer);
      filesChangedTimer = setTimeout(() => {
        generation++;
        recheckAll();
      }, 300);
    }
  }),
);

// ---------------------------------------------------------------------------------------------------------
// Documents.

documents.onDidChangeContent(
  guardEvent('didChange', (event) => {
    const { document } = event;
    if (isConfigUri(document.uri)) {
      // The editor's text of a folder's .docplan.json is its configuration while it is open.
      if (folders.some((folder) => locate(document.uri, [folder]).path === CONFIG_FILE_NAME)) scheduleConfigRefresh(states.has(document.uri) ? 200 : 0);
      stateOf(document.uri);
      return;
    }
    if (!isMarkdown(document)) return;
    const first = !states.has(document.uri);
    schedule(document.uri, first ? 0 : undefined);
  }),
);

documents.onDidClose(
  guardEvent('didClose', (event) => {
    const { uri } = event.document;
    const state = states.get(uri);
    if (state) clearTimeout(state.timer);
    states.delete(uri);
    settingsCache.delete(uri);
    if (isConfigUri(uri)) {
      // Back to the file on disk.
      scheduleConfigRefresh(0);
      return;
    }
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  }),
);

// ---------------------------------------------------------------------------------------------------------
// Requests.

connection.onDocumentSymbol(
  guard('documentSymbol', [], async (params) => {
    const found = await current(params.textDocument?.uri);
    return found?.checked ? documentSymbols(found.checked.built.model) : [];
  }),
);

connection.onFoldingRanges(
  guard('foldingRange', [], async (params) => {
    const found = await current(params.textDocument?.uri);
    return found?.checked ? foldingRanges(found.checked.built.model, found.checked.built.lines, foldingRangeLimit) : [];
  }),
);

connection.onDocumentLinks(
  guard('documentLink', [], async (params) => {
    const found = await current(params.textDocument?.uri);
    return found?.checked ? documentLinks(NAVIGATION_PROVIDERS, { checked: found.checked, workspace: found.context.options.workspace ?? null }) : [];
  }),
);

connection.onHover(
  guard('hover', null, async (params) => {
    const found = await current(params.textDocument?.uri);
    if (!found?.checked || !params.position) return null;
    return hoverAt(NAVIGATION_PROVIDERS, { checked: found.checked, workspace: found.context.options.workspace ?? null }, params.position);
  }),
);

connection.onCompletion(
  guard('completion', null, async (params) => {
    const found = await current(params.textDocument?.uri);
    if (!found?.checked || !params.position) return null;
    return completionsAt(NAVIGATION_PROVIDERS, { checked: found.checked, workspace: found.context.options.workspace ?? null }, params.position);
  }),
);

connection.onCodeAction(
  guard('codeAction', [], async (params) => {
    if (!supportsCodeActionLiterals) return [];
    const found = await current(params.textDocument?.uri);
    if (!found?.checked || !params.range) return [];
    return codeActions({
      uri: found.document.uri,
      version: found.document.version,
      text: found.document.getText(),
      checked: found.checked,
      options: found.context.options,
      range: params.range,
      only: params.context?.only,
      diagnostics: params.context?.diagnostics,
      docsBase: found.context.docsBase,
      documentChanges: supportsDocumentChanges,
      automatic: params.context?.triggerKind === CodeActionTriggerKind.Automatic,
      resolveEdit: supportsCodeActionResolve,
    });
  }),
);

connection.onCodeActionResolve(
  guard<CodeAction, CodeAction>('codeActionResolve', { title: 'Fix all DocPlan problems', disabled: { reason: 'DocPlan could not compute the fixes (see its log).' } }, async (action) => {
    const found = await current(fixAllData(action)?.uri);
    const document = found?.checked ? { uri: found.document.uri, version: found.document.version, text: found.document.getText(), checked: found.checked } : null;
    return resolveFixAll(action, document && found ? { ...document, options: found.context.options, documentChanges: supportsDocumentChanges } : null);
  }),
);

connection.onRequest(
  Methods.documentInfo,
  guard<DocumentInfoParams, DocumentInfo | null>(Methods.documentInfo, null, async (params) => {
    const found = await current(params?.uri);
    if (!found) return null;
    return documentInfo(found.document.uri, found.document.version, found.checked?.built.model ?? null, found.state.skipped);
  }),
);

connection.onRequest(
  Methods.stages,
  guard<StagesParams, StagesResult | null>(Methods.stages, null, async (params) => {
    const found = await current(params?.uri);
    if (!found) return null;
    return stagesResult(found.document.uri, found.document.version, found.checked?.built.model ?? null);
  }),
);

documents.listen(connection);
connection.listen();
