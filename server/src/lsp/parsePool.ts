/**
 * Parses documents off the main thread. A document is cut into the parser's chunks (top-level sections);
 * chunks unchanged since the last parse are reused, the others go to a worker thread in small batches
 * through one priority queue: a request's parse jumps ahead of open documents' checks, which jump ahead of
 * the background workspace check, and a batch of a superseded version is dropped before it runs. The main
 * thread then builds the model with every chunk already parsed (`buildModel`'s `previous`).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { chunkStarts, type ParsedChunk, type ParsedDocument } from '../model/parse';
import type { ParseJobMessage, ParseResultMessage } from './parseWorker';

/** Queue priorities, most urgent first. */
export const Priority = { request: 0, open: 1, background: 2 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

/** Characters of chunk text per batch: small enough that an urgent batch never waits long behind one. */
const BATCH_CHARS = 24 * 1024;

interface Job {
  id: number;
  priority: Priority;
  texts: string[];
  isCurrent: () => boolean;
  /** Parsed chunks, `null` when dropped (superseded) or the worker failed (the caller parses inline). */
  settle: (chunks: ParsedChunk[] | null) => void;
}

interface PoolWorker {
  thread: Worker;
  job: Job | null;
}

/** A pool of parse workers (one per spare core, at most two), or inline parsing when none can start. */
export class ParsePool {
  private readonly queue: Job[] = [];
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private readonly size: number;
  private disabled: boolean;

  constructor(
    private readonly scriptPath = join(__dirname, 'parseWorker.js'),
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.size = Math.max(1, Math.min(2, availableParallelism() - 1));
    // Run from the sources (tests, bench) there is no bundled worker: the main thread parses. The variable
    // DOCPLAN_PARSE_WORKERS=0 does the same (a switch for measuring and for trouble).
    this.disabled = !existsSync(scriptPath) || process.env.DOCPLAN_PARSE_WORKERS === '0';
  }

  /**
   * Parses the chunks of `text` that `previous` does not hold. Resolves with a `previous` for `buildModel`
   * that holds every chunk (or as many as could be parsed: `buildModel` parses the rest), or null when
   * `isCurrent` turned false meanwhile.
   */
  async parse(text: string, previous: ParsedDocument | undefined, priority: Priority, isCurrent: () => boolean): Promise<ParsedDocument | null> {
    const known = new Set(previous?.chunks.map((chunk) => chunk.text));
    if (this.disabled) return previous ?? { text: '', chunks: [] };
    const starts = chunkStarts(text);
    const batches: string[][] = [];
    let batch: string[] = [];
    let size = 0;
    for (let i = 0; i < starts.length; i++) {
      const chunk = text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length);
      if (known.has(chunk)) continue;
      known.add(chunk);
      if (size > 0 && size + chunk.length > BATCH_CHARS) {
        batches.push(batch);
        batch = [];
        size = 0;
      }
      batch.push(chunk);
      size += chunk.length;
    }
    if (batch.length > 0) batches.push(batch);
    const results = await Promise.all(batches.map((texts) => this.submit(texts, priority, isCurrent)));
    if (!isCurrent()) return null;
    const chunks = [...(previous?.chunks ?? [])];
    for (const parsed of results) if (parsed) chunks.push(...parsed);
    return { text: '', chunks };
  }

  /** Stops the workers (server shutdown). */
  dispose(): void {
    this.disabled = true;
    for (const job of this.queue.splice(0)) job.settle(null);
    for (const worker of this.workers.splice(0)) void worker.thread.terminate();
  }

  private submit(texts: string[], priority: Priority, isCurrent: () => boolean): Promise<ParsedChunk[] | null> {
    return new Promise((settle) => {
      const job: Job = { id: this.nextId++, priority, texts, isCurrent, settle };
      // Stable: after every job of the same or a more urgent priority.
      let at = this.queue.length;
      while (at > 0 && this.queue[at - 1].priority > priority) at--;
      this.queue.splice(at, 0, job);
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idleWorker();
      if (!worker) return;
      const job = this.queue.shift()!;
      if (!job.isCurrent()) {
        job.settle(null);
        continue;
      }
      worker.job = job;
      const message: ParseJobMessage = { id: job.id, texts: job.texts };
      worker.thread.postMessage(message);
    }
  }

  private idleWorker(): PoolWorker | null {
    const idle = this.workers.find((worker) => worker.job === null);
    if (idle) return idle;
    if (this.workers.length >= this.size || this.disabled) return null;
    try {
      return this.spawn();
    } catch (error) {
      this.onError(error);
      this.disabled = true;
      for (const job of this.queue.splice(0)) job.settle(null);
      return null;
    }
  }

  private spawn(): PoolWorker {
    const worker: PoolWorker = { thread: new Worker(this.scriptPath), job: null };
    worker.thread.unref();
    worker.thread.on('message', (result: ParseResultMessage) => {
      const job = worker.job;
      worker.job = null;
      if (job && job.id === result.id) job.settle(result.chunks);
      this.pump();
    });
    const fail = (error: unknown) => {
      // A crashed worker loses only its batch: the caller parses those chunks inline.
      const index = this.workers.indexOf(worker);
      if (index < 0) return;
      this.workers.splice(index, 1);
      worker.job?.settle(null);
      worker.job = null;
      if (error !== undefined) this.onError(error);
      this.pump();
    };
    worker.thread.on('error', fail);
    worker.thread.on('exit', (code) => fail(code === 0 ? undefined : new Error(`parse worker exited with code ${code}`)));
    this.workers.push(worker);
    return worker;
  }
}
