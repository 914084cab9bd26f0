/**
 * Spreading `docplan check` over the machine's cores with node:worker_threads: the documents are dealt
 * round-robin (plans and ordinary pages are interleaved in a walk, so shares come out even) to the main
 * thread and `threads - 1` workers, each running `checkBatch` on its share with its own workspace; the
 * outcomes are put back in input order, so the report does not depend on the number of threads.
 *
 * The worker script is the file this module is bundled into (dist/cli-main.js), or this module itself under
 * tsx (tests): its top level starts the worker loop when loaded as a DocPlan check worker.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { checkBatch, type BatchItem, type BatchSettings, type DocOutcome, type FixText } from './batch';

/** Below this many documents per thread, starting a worker costs more than it saves. */
export const MIN_DOCS_PER_THREAD = 150;

interface WorkerRequest {
  items: BatchItem[];
  settings: BatchSettings;
}

type WorkerReply = { ok: true; outcomes: DocOutcome[] } | { ok: false; error: string };

/**
 * The number of threads to use for `count` documents: `requested`, else one per core but one with enough
 * work each. One checking thread already keeps more than a core busy (V8's collector and compiler threads,
 * git), and each extra thread repeats the folder's fixed costs: on two cores, two threads were slower than
 * one (bench repository 8.3-8.7 s against 7.5-8.1 s; Tekton's proposals 5.4 s against 4.8-5.3 s).
 */
export function threadCount(count: number, requested: number | null, cores = availableParallelism()): number {
  if (requested !== null) return Math.max(1, Math.min(requested, count, 16));
  return Math.max(1, Math.min(cores - 1, Math.floor(count / MIN_DOCS_PER_THREAD) || 1, 16));
}

/** Checks `items` on `threads` threads; outcomes in input order. `fixText` forces one thread (it is a function). */
export async function checkParallel(items: readonly BatchItem[], settings: BatchSettings, threads: number, fixText?: FixText): Promise<DocOutcome[]> {
  if (threads <= 1 || fixText !== undefined || settings.fix) return checkBatch(items, settings, fixText);
  const shares: { indexes: number[]; items: BatchItem[] }[] = Array.from({ length: threads }, () => ({ indexes: [], items: [] }));
  items.forEach((item, index) => {
    const share = shares[index % threads];
    share.indexes.push(index);
    share.items.push(item);
  });
  const [own, ...others] = shares;
  // The workers start first: this thread's share runs synchronously up to its first await, so a worker
  // created after it would only begin once this share's documents were all parsed.
  const fromWorkers = others.map((share) => inWorker({ items: share.items, settings }));
  const results = await Promise.all([checkBatch(own.items, settings), ...fromWorkers]);
  const outcomes: DocOutcome[] = new Array(items.length);
  shares.forEach((share, s) => share.indexes.forEach((index, k) => (outcomes[index] = results[s][k])));
  return outcomes;
}

/** Runs one share in a worker; a worker that fails is replaced by checking the share on this thread. */
function inWorker(request: WorkerRequest): Promise<DocOutcome[]> {
  return new Promise((resolvePromise) => {
    let settled = false;
    const fallback = () => {
      if (settled) return;
      settled = true;
      if (process.env.DOCPLAN_TIMING === '1') process.stderr.write('docplan: timing: a worker failed; its share is checked on the main thread\n');
      void checkBatch(request.items, request.settings).then(resolvePromise);
    };
    let worker: Worker;
    try {
      // Under tsx (tests) this module is TypeScript: the worker registers tsx before loading it.
      worker = __filename.endsWith('.ts')
        ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true, workerData: { docplanCheckWorker: true } })
        : new Worker(__filename, { workerData: { docplanCheckWorker: true } });
    } catch {
      fallback();
      return;
    }
    worker.once('message', (reply: WorkerReply) => {
      if (!reply.ok) {
        fallback();
        return;
      }
      settled = true;
      resolvePromise(reply.outcomes);
      void worker.terminate();
    });
    worker.once('error', fallback);
    worker.once('exit', fallback);
    worker.postMessage(request);
  });
}

/** True when this thread was started as a check worker. */
export function isCheckWorker(): boolean {
  return !isMainThread && (workerData as { docplanCheckWorker?: boolean } | null)?.docplanCheckWorker === true;
}

/** The worker side: one request, one reply. */
export function startCheckWorker(): void {
  parentPort?.once('message', (request: WorkerRequest) => {
    checkBatch(request.items, request.settings).then(
      (outcomes) => parentPort?.postMessage({ ok: true, outcomes } satisfies WorkerReply),
      (error: unknown) => parentPort?.postMessage({ ok: false, error: String(error) } satisfies WorkerReply),
    );
  });
}

if (isCheckWorker()) startCheckWorker();
