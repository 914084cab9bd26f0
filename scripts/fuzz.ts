/**
 * `npm run fuzz -- --runs N [--seed S] [--requests M]`: the document properties over N generated documents
 * (test/fuzz/documents.ts) and M malformed requests against the built server (test/fuzz/requests.ts;
 * default N / 20, at least 200 and at most 5,000; run `npm run build` first). Prints the figures and exits
 * 1 if any property failed, a request went unanswered, a handler failed or the server exited.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exampleDocs, fuzzDocuments } from '../test/fuzz/documents';
import { fuzzRequests } from '../test/fuzz/requests';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, requests: { type: 'string' } } });
  const runs = Number(values.runs ?? 1000);
  const seed = Number(values.seed ?? Date.now() % 2 ** 31);
  const requests = Number(values.requests ?? Math.min(5000, Math.max(200, Math.ceil(runs / 20))));
  if (![runs, seed, requests].every((n) => Number.isInteger(n) && n >= 0)) {
    process.stderr.write('usage: npm run fuzz -- --runs N [--seed S] [--requests M]\n');
    return 2;
  }
  const started = Date.now();
  process.stdout.write(`fuzz: ${runs} documents, ${requests} requests, seed ${seed}\n`);
  const documents = fuzzDocuments(runs, seed, exampleDocs(resolve(__dirname, '..')), (so) => {
    // Progress with the counts so far: a run stopped early still reports what it covered.
    if (so.runs % 5_000 === 0) {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      process.stdout.write(`  ${so.runs} documents: ${so.exceptions} exceptions, ${so.outOfRange} out-of-range, ${so.nonIdempotentFixes} non-idempotent, ${so.lineEndMismatches} line-end mismatches (${seconds} s)\n`);
    }
  });
  const documentsSeconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `documents: ${documents.runs} runs, ${documents.exceptions} exceptions, ${documents.outOfRange} out-of-range ranges, ${documents.nonIdempotentFixes} non-idempotent fixes, ${documents.lineEndMismatches} line-end mismatches (${documentsSeconds.toFixed(1)} s)\n`,
  );
  for (const failure of documents.firstFailures) process.stdout.write(`  first ${failure.kind}: ${failure.detail}\n  input: ${JSON.stringify(failure.input).slice(0, 2000)}\n`);
  const requestsStarted = Date.now();
  const served = await fuzzRequests(requests, seed);
  process.stdout.write(
    `requests: ${served.requests} sent, ${served.answered} answered, ${served.errors} error replies, ${served.unanswered} unanswered, ${served.handlerFailures} handler failures logged, server ${served.serverExited ? 'EXITED' : 'still running'} (${((Date.now() - requestsStarted) / 1000).toFixed(1)} s)\n`,
  );
  if (served.firstUnanswered) process.stdout.write(`  first unanswered: ${served.firstUnanswered}\n`);
  if (served.firstHandlerFailure) process.stdout.write(`  first handler failure: ${served.firstHandlerFailure.slice(0, 1000)}\n`);
  process.stdout.write(`total: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const failed = documents.exceptions + documents.outOfRange + documents.nonIdempotentFixes + documents.lineEndMismatches + served.unanswered + served.handlerFailures > 0 || served.serverExited;
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
