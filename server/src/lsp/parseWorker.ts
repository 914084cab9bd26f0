/**
 * The parse worker (a worker_threads thread, bundled as dist/parseWorker.js): turns chunk texts into their
 * parsed facts with the pure parser, so that parsing a large document never blocks the server's requests.
 * Stateless: the main thread decides which chunks need parsing and keeps the results.
 */
import { parentPort } from 'node:worker_threads';
import { parseMarkdown, type ParsedChunk } from '../model/parse';

/** A batch of chunk texts to parse. */
export interface ParseJobMessage {
  id: number;
  texts: string[];
}

/** The parsed chunks of a batch (chunk-relative facts; reuse is keyed by chunk text). */
export interface ParseResultMessage {
  id: number;
  chunks: ParsedChunk[];
}

parentPort?.on('message', (job: ParseJobMessage) => {
  const chunks: ParsedChunk[] = [];
  for (const text of job.texts) chunks.push(...parseMarkdown(text).chunks);
  const result: ParseResultMessage = { id: job.id, chunks };
  parentPort!.postMessage(result);
});
