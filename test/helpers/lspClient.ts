/**
 * A minimal real LSP client for tier-3 tests: spawns the BUILT server (`node dist/server.js --stdio`), speaks
 * JSON-RPC over its stdio, answers the server's requests (workspace/configuration, registrations) and records
 * what it publishes so tests can await it with bounded waits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  type ClientCapabilities,
  type InitializeResult,
  type ProgressToken,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { workerTransport } from '../../client/src/workerTransport';
import { SERVER_NODE_FLAGS, SERVER_WORKER_LIMITS, SERVER_WORKER_MARKER } from '../../server/src/protocol';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SERVER_PATH = resolve(REPO_ROOT, 'dist', 'server.js');

/** Default bound of every wait: generous for slow CI machines, finite so that a broken server fails a test. */
export const WAIT_MS = 15_000;

/** Capabilities of a full-featured client (what VS Code announces, as far as DocPlan cares). */
export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    foldingRange: { lineFoldingOnly: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
    },
  },
};

export interface StartOptions {
  /** Workspace folder URIs. */
  folders?: string[];
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** Settings answered for `workspace/configuration` (section `docplan`), per scope URI or for all. */
  settings?: (scopeUri: string | undefined) => unknown;
  /** The program and its arguments before `--stdio`; default Node with the server's flags and `dist/server.js`. */
  command?: string[];
  /**
   * Run the server as a worker thread of this process over its message port, through the VS Code client's
   * transport (which answers initialize itself: client/src/workerTransport.ts).
   */
  worker?: boolean;
  /** Do not send `initialized` after `initialize` (a client that breaks the protocol). */
  skipInitialized?: boolean;
}

/** The running server: a child process over stdio, or a worker thread over its message port. */
interface ServerRun {
  readonly exited: Promise<number | null>;
  readonly running: () => boolean;
  readonly kill: () => void;
}

function processRun(child: ChildProcess): ServerRun {
  return {
    exited: new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code))),
    running: () => child.exitCode === null && child.signalCode === null,
    kill: () => child.kill('SIGKILL'),
  };
}

function workerRun(worker: Worker): ServerRun {
  let alive = true;
  const exited = new Promise<number | null>((resolveExit) =>
    worker.once('exit', (code) => {
      alive = false;
      resolveExit(code);
    }),
  );
  return { exited, running: () => alive, kill: () => void worker.terminate() };
}

interface Waiter<T> {
  test: (value: T) => boolean;
  resolve: (value: T) => void;
}

/** A client connected to a freshly started server. */
export class LspTestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  readonly logs: string[] = [];
  readonly registrations: Registration[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly stderr: string[] = [];
  /** A worker's own `initialize` answer (the transport answered the client at once); undefined over stdio. */
  serverAnswered: Promise<InitializeResult> | undefined;
  /** The `initialize` answer this client received. */
  initializeResult: InitializeResult | undefined;
  settings: (scopeUri: string | undefined) => unknown;
  private readonly diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private readonly logWaiters: Waiter<string>[] = [];
  private readonly notificationWaiters: Waiter<{ method: string; params: unknown }>[] = [];
  private readonly registrationWaiters: Waiter<Registration>[] = [];
  private readonly open = new Map<string, TextDocument>();

  private constructor(
    /** The server's process; undefined when it runs as a worker thread. */
    readonly process: ChildProcess | undefined,
    private readonly server: ServerRun,
    readonly connection: ProtocolConnection,
    options: StartOptions,
  ) {
    this.settings = options.settings ?? (() => ({}));
    process?.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString('utf8')));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = this.diagnostics.get(params.uri) ?? [];
      list.push(params);
      this.diagnostics.set(params.uri, list);
      this.settle(this.diagnosticWaiters, params);
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
      this.settle(this.logWaiters, params.message);
    });
    connection.onUnhandledNotification((message) => {
      const entry = { method: message.method, params: message.params as unknown };
      this.notifications.push(entry);
      this.settle(this.notificationWaiters, entry);
    });
    connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) =>
      params.items.map((item) => (item.section === 'docplan' ? (this.settings(item.scopeUri) ?? null) : null)),
    );
    connection.onRequest('client/registerCapability', (params: { registrations: Registration[] }) => {
      for (const registration of params.registrations) {
        this.registrations.push(registration);
        this.settle(this.registrationWaiters, registration);
      }
      return null;
    });
    connection.onRequest('client/unregisterCapability', () => null);
    // Progress the server reports is recorded as `$/progress` notifications.
    connection.onRequest('window/workDoneProgress/create', (params: { token: ProgressToken }) => {
      connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
        const entry = { method: '$/progress', params: { token: params.token, value } as unknown };
        this.notifications.push(entry);
        this.settle(this.notificationWaiters, entry);
      });
      return null;
    });
  }

  /** Spawns the built server (or starts it as a worker thread) and runs initialize/initialized. */
  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    if (!existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} does not exist: run \`npm run build\` before the server tests.`);
    let client: LspTestClient;
    let connection: ProtocolConnection;
    if (options.worker) {
      const worker = new Worker(SERVER_PATH, { workerData: { marker: SERVER_WORKER_MARKER }, resourceLimits: { ...SERVER_WORKER_LIMITS } });
      const transport = workerTransport(worker);
      connection = createProtocolConnection(transport.reader, transport.writer);
      client = new LspTestClient(undefined, workerRun(worker), connection, options);
      client.serverAnswered = transport.serverAnswered;
    } else {
      const [program, ...args] = options.command ?? [process.execPath, ...SERVER_NODE_FLAGS, SERVER_PATH];
      const child = spawn(program, [...args, '--stdio'], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
      client = new LspTestClient(child, processRun(child), connection, options);
    }
    connection.listen();
    const folders = options.folders ?? [];
    client.initializeResult = await connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: folders[0] ?? null,
      workspaceFolders: folders.length > 0 ? folders.map((uri, index) => ({ uri, name: `folder${index}` })) : null,
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    if (!options.skipInitialized) await connection.sendNotification('initialized', {});
    return client;
  }

  private settle<T>(waiters: Waiter<T>[], value: T): void {
    for (const waiter of [...waiters]) {
      if (!waiter.test(value)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(value);
    }
  }

  private wait<T>(waiters: Waiter<T>[], existing: T[], test: (value: T) => boolean, what: string, timeoutMs: number): Promise<T> {
    const found = existing.find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolveWait, rejectWait) => {
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        rejectWait(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        test,
        resolve: (value) => {
          clearTimeout(timer);
          resolveWait(value);
        },
      };
      waiters.push(waiter);
    });
  }

  /**
   * The first publication for `uri` (the latest one already received, or a future one) that satisfies
   * `test`. Only the latest received publication counts: older ones were superseded.
   */
  waitForDiagnostics(uri: string, test: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = WAIT_MS): Promise<PublishDiagnosticsParams> {
    const latest = this.diagnostics.get(uri)?.at(-1);
    return this.wait(this.diagnosticWaiters, latest ? [latest] : [], (params) => params.uri === uri && test(params), `diagnostics for ${uri}`, timeoutMs);
  }

  /** Diagnostics published for `uri` at `version` (or later, when the test does not care which). */
  waitForVersion(uri: string, version: number, timeoutMs = WAIT_MS): Promise<PublishDiagnosticsParams> {
    return this.waitForDiagnostics(uri, (params) => params.version === version, timeoutMs);
  }

  /** A log line (window/logMessage) matching `test`, already received or future. */
  waitForLog(test: (message: string) => boolean, timeoutMs = WAIT_MS): Promise<string> {
    return this.wait(this.logWaiters, this.logs, test, 'a log message', timeoutMs);
  }

  /** A notification of another method than those recorded above. */
  waitForNotification(method: string, test: (params: unknown) => boolean = () => true, timeoutMs = WAIT_MS): Promise<unknown> {
    return this.wait(this.notificationWaiters, this.notifications, (entry) => entry.method === method && test(entry.params), `notification ${method}`, timeoutMs).then((entry) => entry.params);
  }

  /** A dynamic registration of `method` received from the server, already or in the future. */
  waitForRegistration(method: string, timeoutMs = WAIT_MS): Promise<Registration> {
    return this.wait(this.registrationWaiters, this.registrations, (registration) => registration.method === method, `registration of ${method}`, timeoutMs);
  }

  /** Opens a document. */
  async openDocument(uri: string, text: string, languageId = 'markdown', version = 1): Promise<void> {
    this.open.set(uri, TextDocument.create(uri, languageId, version, text));
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Sends incremental (or full) changes; returns the new version. */
  async changeDocument(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const document = this.open.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    const version = document.version + 1;
    TextDocument.update(document, changes, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async closeDocument(uri: string): Promise<void> {
    this.open.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The client's copy of an open document. */
  document(uri: string): TextDocument {
    const document = this.open.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }

  /**
   * Applies a workspace edit the way an editor does: refuses an edit for another version than the document's,
   * then sends the result as one incremental change per edit (last edit first, so ranges stay valid).
   */
  async applyWorkspaceEdit(edit: WorkspaceEdit): Promise<number> {
    let last = -1;
    const perDocument: { uri: string; version: number | null; edits: TextEdit[] }[] = [];
    for (const change of edit.documentChanges ?? []) {
      if (!('textDocument' in change)) throw new Error('only text document edits are expected');
      perDocument.push({ uri: change.textDocument.uri, version: change.textDocument.version, edits: change.edits.map((e) => ({ range: e.range, newText: 'newText' in e ? e.newText : e.snippet.value })) });
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) perDocument.push({ uri, version: null, edits });
    for (const { uri, version, edits } of perDocument) {
      const document = this.document(uri);
      if (version !== null && version !== document.version) throw new Error(`edit for version ${version} but the document is at ${document.version}`);
      const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
      last = await this.changeDocument(uri, sorted.map((e) => ({ range: e.range, text: e.newText })));
    }
    return last;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  /** True while the server runs. */
  get running(): boolean {
    return this.server.running();
  }

  /** shutdown + exit; resolves with the process exit code (killing it if it does not exit in time). */
  async stop(timeoutMs = WAIT_MS): Promise<number | null> {
    if (this.running) {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    }
    const timer = setTimeout(() => this.server.kill(), timeoutMs);
    const code = await this.server.exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }

  /** The server's exit code once it has ended by itself (bounded by `timeoutMs`). */
  async exitCode(timeoutMs = WAIT_MS): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the server did not exit within ${timeoutMs} ms`)), timeoutMs)));
    try {
      return await Promise.race([this.server.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Log lines of handlers that failed (the server logs and survives them; tests expect none). */
  failures(): string[] {
    return this.logs.filter((line) => /failed:|rule errors|uncaught|unhandled/i.test(line));
  }

  /** Kills the process without the protocol (cleanup after a failed test). */
  kill(): void {
    if (this.running) this.server.kill();
    this.connection.dispose();
  }
}

/** A temporary workspace folder on disk. */
export interface TempWorkspace {
  dir: string;
  /** `file:` URI of the folder. */
  uri: string;
  /** `file:` URI of a path inside it. */
  fileUri(relative: string): string;
  write(relative: string, text: string): void;
  remove(): void;
}

/** Creates a temporary folder holding `files` (relative path -> text). */
export function tempWorkspace(files: Record<string, string>): TempWorkspace {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'docplan-server-')));
  const workspace: TempWorkspace = {
    dir,
    uri: pathToFileURL(dir).toString(),
    fileUri: (relative) => pathToFileURL(join(dir, relative)).toString(),
    write: (relative, text) => {
      mkdirSync(dirname(join(dir, relative)), { recursive: true });
      writeFileSync(join(dir, relative), text);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const [relative, text] of Object.entries(files)) workspace.write(relative, text);
  return workspace;
}
