/**
 * The language server's worker thread as a JSON-RPC transport, with the LSP handshake answered on this
 * side. A worker thread takes 50 ms to boot on an idle machine and two to four times that while the
 * extension host is starting; the `initialize` answer depends on nothing but the client's capabilities
 * (server/src/lsp/capabilities.ts, the same function the server answers with), so the client answers it
 * at once and becomes ready, its requests waiting in the worker's port until the server reads them. The
 * server still receives `initialize` (it needs the parameters); its own answer is held back from the
 * client and reported through {@link WorkerTransport.serverAnswered}. Free of `vscode` so that the
 * server tests run the same transport.
 */
import type { Worker } from 'node:worker_threads';
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  Message,
  type DataCallback,
  type Disposable,
  type InitializeParams,
  type InitializeResult,
  type MessageReader,
  type MessageWriter,
  type ResponseMessage,
} from 'vscode-languageserver-protocol/node';
import { initializeResult } from '../../server/src/lsp/capabilities';

/** Reads the server's messages from its worker; closes when the worker exits (a crash included). */
class WorkerMessageReader extends AbstractMessageReader implements MessageReader {
  private callback: DataCallback | undefined;

  constructor(worker: Worker, private readonly intercept: (message: Message) => boolean) {
    super();
    worker.on('message', (message: Message) => {
      if (!this.intercept(message)) this.deliver(message);
    });
    worker.on('error', (error) => this.fireError(error));
    worker.on('exit', () => this.fireClose());
  }

  /** Hands a message to the client as if the server had sent it. */
  deliver(message: Message): void {
    this.callback?.(message);
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    return { dispose: () => (this.callback = undefined) };
  }
}

/** Writes the client's messages to the server's worker. */
class WorkerMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private exited = false;

  constructor(private readonly worker: Worker, private readonly beforeWrite: (message: Message) => void) {
    super();
    worker.on('exit', () => {
      this.exited = true;
      this.fireClose();
    });
  }

  write(message: Message): Promise<void> {
    if (this.exited) return Promise.reject(new Error('the DocPlan language server has stopped'));
    try {
      this.beforeWrite(message);
      this.worker.postMessage(message);
      return Promise.resolve();
    } catch (error) {
      this.fireError(error, message, undefined);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  end(): void {}
}

/** A reader and writer over a server worker. */
export interface WorkerTransport {
  reader: MessageReader;
  writer: MessageWriter;
  /**
   * The server's own `initialize` answer, when it comes (the client got the same answer at once). Rejects
   * if the server answers with an error or its thread ends first.
   */
  serverAnswered: Promise<InitializeResult>;
}

/** Connects to a server worker; its `initialize` request is answered here, without waiting for the thread. */
export function workerTransport(worker: Worker): WorkerTransport {
  let initializeId: number | string | undefined;
  let settle: { resolve: (result: InitializeResult) => void; reject: (error: Error) => void } | undefined;
  const serverAnswered = new Promise<InitializeResult>((resolve, reject) => (settle = { resolve, reject }));
  // A client that never sends initialize leaves nothing to report; do not warn about an unhandled rejection.
  serverAnswered.catch(() => undefined);
  worker.once('exit', () => settle?.reject(new Error('the DocPlan language server stopped before answering initialize')));

  const isServerAnswer = (message: Message): boolean => {
    if (initializeId === undefined || !Message.isResponse(message) || message.id !== initializeId) return false;
    const response = message as ResponseMessage;
    if (response.error) settle?.reject(new Error(response.error.message));
    else settle?.resolve(response.result as InitializeResult);
    initializeId = undefined;
    return true;
  };
  const reader = new WorkerMessageReader(worker, isServerAnswer);
  const answerLocally = (message: Message): void => {
    if (!Message.isRequest(message) || message.method !== 'initialize' || message.id === null) return;
    initializeId = message.id;
    const params = (message.params ?? {}) as Partial<InitializeParams>;
    const answer: ResponseMessage = { jsonrpc: '2.0', id: message.id, result: initializeResult(params.capabilities ?? {}) };
    // After write() returns, as a reply from the thread would come.
    setImmediate(() => reader.deliver(answer));
  };
  return { reader, writer: new WorkerMessageWriter(worker, answerLocally), serverAnswered };
}
