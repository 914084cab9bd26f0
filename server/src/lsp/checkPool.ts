/**
 * Runs document checks on worker threads (dist/checkWorker.js), through one priority queue: a check a
 * request waits for goes ahead of open documents' checks, which go ahead of the background workspace check.
 * Scheduled and background checks use at most all workers but one, so that a request's check always finds
 * a worker even while a hostile document holds another one. A queued check of a superseded version is
 * dropped; a running one is abandoned, or its worker terminated when it has already run for a while. A
 * check that overruns its budget by far (synchronous work the budget cannot interrupt) is stopped the same
 * way. A worker that dies is replaced by the next check, and the check it held fails with a clear message.
 * Without a bundled worker (run from the sources) checks run inline on the main thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkTextPrepared, DEFAULT_MAX_DOC_MS, type CheckedDocument, type CheckOptions } from '../check';
import { fixAllText } from '../features/fixAll';
import { LineIndex } from '../model/text';
import type { FileChange } from '../workspace/fileIndex';
import type { BuiltDocument } from '../model/build';
import type { DocModel } from '../model/types';
import type { CheckJob, CheckReply, ModelReply, ModelSummary, WorkerMessage } from './checkProtocol';

/** Queue priorities, most urgent first. */
export const Priority = { request: 0, open: 1, background: 2 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

/** What a check came to. */
export type PoolOutcome =
  | { kind: 'checked'; checked: CheckedDocument; summary: ModelSummary; modelReady: Promise<void> }
  | { kind: 'fixed'; text: string }
  | { kind: 'superseded' }
  | { kind: 'failed'; message: string; overBudget?: boolean };

/** One document to check. */
export interface CheckRequest {
  uri: string;
  text: string;
  options: CheckOptions;
  priority: Priority;
  /** False once a newer version, a close or a newer pass made this check useless. */
  isCurrent: () => boolean;
  /** Keep the parse in the worker for the next check of this document (open documents). */
  keepParse: boolean;
  /** `fixAll`: the text with every safe fix applied instead of the findings (default `check`). */
  mode?: 'check' | 'fixAll';
}

/** Workers: one for requests and one for everything else (the machine this runs on often has two cores). */
const POOL_SIZE = 2;
/** A superseded check that has run this long is stopped (its worker terminated) rather than waited for. */
const ABANDON_AFTER_MS = 1000;
/**
 * How long past its budget a check may run before its worker is terminated: the budget stops a check between
 * phases and rules, and this stops one held inside a phase (a parse, a lookup), with room for a busy machine.
 */
const HARD_LIMIT_FACTOR = 3;
const WATCH_INTERVAL_MS = 200;
/** A worker's heap limit: a hostile document exhausts its worker, not the server. */
const WORKER_HEAP_MB = 1024;
/** A small young generation: a worker allocates in bursts, and resident memory follows its semispaces. */
const WORKER_YOUNG_MB = 8;

/** The syntax tree is not kept on the main thread: the worker keeps the parse it reuses. */
const NO_PARSE = { text: '', chunks: [] };

interface Job {
  message: CheckJob;
  request: CheckRequest;
  settle: (outcome: PoolOutcome) => void;
  startedAt: number;
  hardDeadlineMs: number;
}

interface PoolWorker {
  thread: Worker;
  job: Job | null;
  /** Checks whose findings came and whose model is still to come, by job id. */
  models: Map<number, ModelHolder>;
}

/** The model of a worker's check: it follows the findings (see `ModelReply`). */
interface ModelHolder {
  reply: ModelReply | null;
  /** Why the model will not come (the worker stopped), or null. */
  failure: string | null;
  arrived: () => void;
}

/** The check workers and their queue. */
export class CheckPool {
  private readonly queue: Job[] = [];
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private disposed = false;
  private readonly inline: boolean;
  private watch: NodeJS.Timeout | undefined;

  constructor(
    private readonly scriptPath = join(__dirname, 'checkWorker.js'),
    private readonly onError: (context: string, error: unknown) => void = () => undefined,
  ) {
    // From the sources (unit tests, the bench) there is no bundled worker: checks run inline.
    // DOCPLAN_CHECK_WORKERS=0 does the same (a switch for measuring and for trouble).
    this.inline = !existsSync(scriptPath) || process.env.DOCPLAN_CHECK_WORKERS === '0';
  }

  /** Checks a document; never rejects. */
  check(request: CheckRequest): Promise<PoolOutcome> {
    if (this.disposed) return Promise.resolve({ kind: 'superseded' });
    if (this.inline) return this.checkInline(request);
    const workspace = request.options.workspace ?? null;
    const maxDocMs = request.options.maxDocMs ?? DEFAULT_MAX_DOC_MS;
    const message: CheckJob = {
      type: 'check',
      id: this.nextId++,
      uri: request.uri,
      text: request.text,
      config: request.options.config,
      path: request.options.path,
      folder: workspace ? { root: workspace.folder.root, git: workspace.folder.git !== null, docAbsPath: workspace.docAbsPath } : null,
      maxDocMs,
      keepParse: request.keepParse,
      mode: request.mode ?? 'check',
    };
    return new Promise((settle) => {
      this.enqueue({ message, request, settle, startedAt: 0, hardDeadlineMs: maxDocMs * HARD_LIMIT_FACTOR });
      this.pump();
    });
  }

  /** A request now waits for this queued check: it moves ahead as a request's own check would. */
  promote(request: CheckRequest): void {
    const index = this.queue.findIndex((job) => job.request === request);
    if (index < 0 || request.priority === Priority.request) return;
    const [job] = this.queue.splice(index, 1);
    request.priority = Priority.request;
    this.enqueue(job);
    this.pump();
  }

  /** Stable: after every job of the same or a more urgent priority. */
  private enqueue(job: Job): void {
    let at = this.queue.length;
    while (at > 0 && this.queue[at - 1].request.priority > job.request.priority) at--;
    this.queue.splice(at, 0, job);
  }

  /** Tells every worker's folder services about changed files. */
  filesChanged(changes: readonly { absPath: string; change: FileChange }[]): void {
    if (changes.length > 0) this.broadcast({ type: 'filesChanged', changes: [...changes] });
  }

  /** A document closed: the workers drop its kept parse. */
  forget(uri: string): void {
    this.broadcast({ type: 'forget', uri });
  }

  /** Stops the workers (server shutdown). */
  dispose(): void {
    this.disposed = true;
    clearInterval(this.watch);
    for (const job of this.queue.splice(0)) job.settle({ kind: 'superseded' });
    for (const worker of this.workers.splice(0)) {
      worker.job?.settle({ kind: 'superseded' });
      void worker.thread.terminate();
    }
  }

  private broadcast(message: WorkerMessage): void {
    for (const worker of this.workers) worker.thread.postMessage(message);
  }

  private async checkInline(request: CheckRequest): Promise<PoolOutcome> {
    try {
      const checked = await checkTextPrepared(request.text, request.options);
      if (!request.isCurrent()) return { kind: 'superseded' };
      if (request.mode === 'fixAll') return { kind: 'fixed', text: fixAllText(request.text, request.options).text };
      const { model } = checked.built;
      return { kind: 'checked', checked, summary: { kind: model.kind, disabled: model.disabled, stageCount: model.stages.length, notes: model.notes }, modelReady: Promise.resolve() };
    } catch (error) {
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private pump(): void {
    for (let index = 0; index < this.queue.length; ) {
      const job = this.queue[index];
      if (!job.request.isCurrent()) {
        this.queue.splice(index, 1);
        job.settle({ kind: 'superseded' });
        continue;
      }
      const worker = this.workerFor(job.request.priority);
      if (!worker) {
        // Requests may still find the worker kept for them.
        index++;
        continue;
      }
      this.queue.splice(index, 1);
      this.start(worker, job);
    }
  }

  /** An idle worker (spawned if the pool is not full) that a job of `priority` may use, or null. */
  private workerFor(priority: Priority): PoolWorker | null {
    const busy = this.workers.filter((worker) => worker.job !== null).length;
    if (priority !== Priority.request && busy >= POOL_SIZE - 1) return null;
    const idle = this.workers.find((worker) => worker.job === null);
    if (idle) return idle;
    if (this.workers.length >= POOL_SIZE) return null;
    return this.spawn();
  }

  private start(worker: PoolWorker, job: Job): void {
    worker.job = job;
    job.startedAt = Date.now();
    // A worker with a check keeps the process alive; an idle one does not.
    worker.thread.ref();
    try {
      worker.thread.postMessage(job.message);
    } catch (error) {
      // The configuration could not be copied to the worker (should not happen: it is plain data).
      worker.job = null;
      worker.thread.unref();
      job.settle({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    this.watch ??= setInterval(() => this.watchRunning(), WATCH_INTERVAL_MS);
    this.watch.unref();
  }

  /** Stops running checks that were superseded long ago or overran their budget by far. */
  private watchRunning(): void {
    const now = Date.now();
    for (const worker of [...this.workers]) {
      const job = worker.job;
      if (!job) continue;
      const ran = now - job.startedAt;
      if (!job.request.isCurrent() && ran >= ABANDON_AFTER_MS) this.stop(worker, { kind: 'superseded' });
      else if (ran >= job.hardDeadlineMs) {
        this.stop(worker, { kind: 'failed', message: `the check ran ${ran} ms, ${HARD_LIMIT_FACTOR} times its budget, and was stopped`, overBudget: true });
      }
    }
    if (this.workers.every((worker) => worker.job === null)) {
      clearInterval(this.watch);
      this.watch = undefined;
    }
  }

  /** Terminates a worker and settles its job with `outcome`; the next job spawns a fresh worker. */
  private stop(worker: PoolWorker, outcome: PoolOutcome): void {
    this.remove(worker);
    abandonModels(worker, 'the check worker was stopped');
    worker.job?.settle(outcome);
    worker.job = null;
    void worker.thread.terminate();
    this.pump();
  }

  private remove(worker: PoolWorker): boolean {
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    return index >= 0;
  }

  private spawn(): PoolWorker | null {
    let thread: Worker;
    try {
      thread = new Worker(this.scriptPath, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    } catch (error) {
      this.onError('starting a check worker', error);
      return null;
    }
    const worker: PoolWorker = { thread, job: null, models: new Map() };
    thread.unref();
    thread.on('message', (reply: CheckReply) => {
      if (reply.type === 'model') {
        const holder = worker.models.get(reply.id);
        worker.models.delete(reply.id);
        if (holder) {
          holder.reply = reply;
          holder.arrived();
        }
        if (worker.job === null && worker.models.size === 0) thread.unref();
        return;
      }
      const job = worker.job;
      if (!job || job.message.id !== reply.id) return;
      worker.job = null;
      job.settle(this.outcomeOf(worker, job, reply));
      // A worker that still owes a model keeps the process alive, as one with a check does.
      if (worker.models.size === 0) thread.unref();
      this.pump();
    });
    const died = (error: unknown) => {
      abandonModels(worker, `the check worker stopped (${error instanceof Error ? error.message : String(error)})`);
      if (!this.remove(worker)) return;
      const job = worker.job;
      worker.job = null;
      if (!this.disposed) this.onError('a check worker', error);
      job?.settle({ kind: 'failed', message: `the check worker stopped (${error instanceof Error ? error.message : String(error)})` });
      this.pump();
    };
    thread.on('error', died);
    thread.on('exit', (code) => died(new Error(`exit code ${code}`)));
    this.workers.push(worker);
    return worker;
  }

  private outcomeOf(worker: PoolWorker, job: Job, reply: Exclude<CheckReply, ModelReply>): PoolOutcome {
    if (reply.type === 'failed') return { kind: 'failed', message: reply.message };
    if (!job.request.isCurrent()) return { kind: 'superseded' };
    if (reply.type === 'fixed') return { kind: 'fixed', text: reply.text };
    const { findings, ruleErrors, notes, skipped, summary } = reply;
    let arrived = () => undefined as void;
    const modelReady = new Promise<void>((resolveModel) => (arrived = resolveModel));
    const holder: ModelHolder = { reply: null, failure: null, arrived };
    worker.models.set(reply.id, holder);
    const checked: CheckedDocument = { built: lazyBuilt(holder, job.request.text), findings, ruleErrors, notes, skipped };
    return { kind: 'checked', checked, summary, modelReady };
  }
}

/** The worker is gone: the models it still owed will not come. */
function abandonModels(worker: PoolWorker, why: string): void {
  for (const holder of worker.models.values()) {
    holder.failure = why;
    holder.arrived();
  }
  worker.models.clear();
}

/**
 * The model and line index of a worker's check, made on first use: publishing diagnostics needs neither,
 * and a request that needs them pays once (parsing the model's JSON, one scan of the text for lines). A
 * request reads the model once its `modelReady` has settled.
 */
function lazyBuilt(holder: ModelHolder, text: string): BuiltDocument {
  let model: DocModel | null = null;
  let lines: LineIndex | null = null;
  return {
    parsed: NO_PARSE,
    get model(): DocModel {
      if (!model) {
        const reply = holder.reply;
        if (reply === null) throw new Error(holder.failure ?? 'the model of this check has not arrived from its worker yet');
        model = JSON.parse(reply.modelJson) as DocModel;
        if (reply.textIsDocument) model.text = text;
        // The JSON is not needed again.
        holder.reply = null;
      }
      return model;
    },
    get lines(): LineIndex {
      lines ??= new LineIndex(text);
      return lines;
    },
  };
}
