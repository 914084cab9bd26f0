/**
 * Runs the language server as a worker thread of the extension host. A thread starts in a fraction of the
 * time a Node process takes, and the start is most of the wait between activation and the first
 * diagnostics; the server keeps its own thread (and its checks their own workers), so the extension host's
 * thread is never the one doing the work. The worker is started at the top of `activate()`, so that it
 * boots while the rest of activation runs on this thread.
 */
import { Worker } from 'node:worker_threads';
import type { MessageTransports } from 'vscode-languageclient/node';
import { SERVER_WORKER_LIMITS, SERVER_WORKER_MARKER } from '../../server/src/protocol';
import { workerTransport } from './workerTransport';

/** Starts server workers for the language client: one at a time, the first ahead of the client. */
export class ServerWorkers {
  private next: Worker | undefined;
  private running: Worker | undefined;
  /**
   * When (`performance.now()`) the running server gave its own `initialize` answer; the client was answered
   * at once (workerTransport.ts). NaN if the server's thread ended first.
   */
  serverAnsweredAt: Promise<number> | undefined;

  constructor(private readonly serverModule: string) {}

  /** Starts the first worker now, before the language client asks for it. */
  prestart(): void {
    this.next ??= this.spawn();
  }

  /** The language client's `ServerOptions`: the prestarted worker, or a new one on a restart. */
  readonly transports = async (): Promise<MessageTransports> => {
    const worker = this.next ?? this.spawn();
    this.next = undefined;
    // A restart: the previous server was told to exit; make sure its thread is gone.
    if (this.running && this.running !== worker) void this.running.terminate();
    this.running = worker;
    const { reader, writer, serverAnswered } = workerTransport(worker);
    this.serverAnsweredAt = serverAnswered.then(() => performance.now(), () => Number.NaN);
    return { reader, writer, detached: false };
  };

  /** Ends the server's thread (after the client's shutdown and exit, or if it did not answer them). */
  async terminate(): Promise<void> {
    const workers = [this.running, this.next].filter((worker): worker is Worker => worker !== undefined);
    this.running = this.next = undefined;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private spawn(): Worker {
    return new Worker(this.serverModule, { workerData: { marker: SERVER_WORKER_MARKER }, resourceLimits: { ...SERVER_WORKER_LIMITS } });
  }
}
