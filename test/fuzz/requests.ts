/**
 * Malformed-request fuzzing against the built server (dist/server.js over stdio): requests of every method
 * DocPlan serves (and some it does not) with random and malformed parameters, mixed with random edits of
 * open documents. Every request must be answered (a result or an error) within a generous bound and the
 * server must keep running; handler failures it logs are counted too.
 */
import fc from 'fast-check';
import { LspTestClient, tempWorkspace } from '../helpers/lspClient';
import { CONFIG, PLAN } from '../helpers/serverFixtures';

/** Counts of a request fuzzing run. */
export interface RequestFuzzReport {
  requests: number;
  answered: number;
  errors: number;
  unanswered: number;
  handlerFailures: number;
  serverExited: boolean;
  firstUnanswered: string | null;
  firstHandlerFailure: string | null;
}

const METHODS = [
  'textDocument/hover',
  'textDocument/codeAction',
  'codeAction/resolve',
  'textDocument/documentSymbol',
  'textDocument/foldingRange',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/completion',
  'textDocument/documentLink',
  'textDocument/codeLens',
  'textDocument/diagnostic',
  'docplan/documentInfo',
  'docplan/stages',
  'workspace/executeCommand',
  'textDocument/formatting',
  'docplan/noSuchRequest',
];

/** Answer bound per request: generous (a busy machine), finite (a hang is counted, not waited out). */
const ANSWER_MS = 20_000;

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

/** Sends `count` fuzzed requests; `seed` makes a run repeatable. */
export async function fuzzRequests(count: number, seed: number): Promise<RequestFuzzReport> {
  const workspace = tempWorkspace({ '.docplan.json': CONFIG, 'docs/plan.md': PLAN });
  const client = await LspTestClient.start({ folders: [workspace.uri] });
  const uris = [workspace.fileUri('docs/plan.md'), workspace.fileUri('docs/other.md'), workspace.fileUri('nope.md'), 'untitled:x', 'not a uri', ''];
  await client.openDocument(uris[0], PLAN);
  await client.openDocument(uris[1], `${PLAN}\n## Stage 9: Extra\n`);
  const number = fc.oneof(fc.integer({ min: -3, max: 400 }), fc.constantFrom(2 ** 31, -(2 ** 31), 1e308, 0.5, Number.MAX_SAFE_INTEGER));
  const position = fc.oneof(fc.record({ line: number, character: number }), fc.anything(), fc.constant(null));
  const range = fc.oneof(fc.record({ start: position, end: position }), fc.anything());
  const uri = fc.oneof({ arbitrary: fc.constantFrom(...uris), weight: 6 }, fc.string({ maxLength: 20 }), fc.anything());
  // Mostly well-shaped requests with odd values (they reach the handlers), some of any shape at all.
  const context = fc.oneof(fc.record({ diagnostics: fc.oneof(fc.constant([]), fc.anything()), only: fc.oneof(fc.constant(undefined), fc.constantFrom(['quickfix'], ['source.fixAll.docplan'], ['source']), fc.anything()), triggerKind: fc.constantFrom(1, 2, 7) }), fc.anything());
  const params = fc.oneof(
    { arbitrary: fc.record({ textDocument: fc.record({ uri }), position, range, context, uri }), weight: 6 },
    { arbitrary: fc.record({ textDocument: fc.record({ uri }), position, range, context }, { requiredKeys: [] }), weight: 2 },
    { arbitrary: fc.record({ uri, title: fc.anything(), data: fc.oneof(fc.record({ docplanFixAll: fc.record({ uri, version: number }) }), fc.anything()), command: fc.string(), arguments: fc.anything() }, { requiredKeys: [] }), weight: 2 },
    fc.anything(),
    fc.constant(null),
    fc.constant(undefined),
  );
  const step = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('request' as const), method: fc.constantFrom(...METHODS), params }), weight: 9 },
    {
      arbitrary: fc.record({
        kind: fc.constant('edit' as const),
        target: fc.constantFrom(0, 1),
        range: fc.record({ start: fc.record({ line: fc.integer({ min: -2, max: 80 }), character: fc.integer({ min: -2, max: 120 }) }), end: fc.record({ line: fc.integer({ min: -2, max: 80 }), character: fc.integer({ min: -2, max: 120 }) }) }),
        text: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('\n## Stage 4: Added\n', '\r\n', '\r', '```\n', '- [ ] `npm test`\n', '\u0000')),
      }),
      weight: 1,
    },
  );
  const report: RequestFuzzReport = { requests: 0, answered: 0, errors: 0, unanswered: 0, handlerFailures: 0, serverExited: false, firstUnanswered: null, firstHandlerFailure: null };
  const steps = fc.sample(step, { numRuns: count, seed });
  try {
    for (const entry of steps) {
      if (!client.running) break;
      if (entry.kind === 'edit') {
        await client.changeDocument(uris[entry.target], [{ range: entry.range, text: entry.text }]);
        continue;
      }
      report.requests++;
      const outcome = await Promise.race([
        client.request(entry.method, entry.params).then(
          () => 'answered' as const,
          () => 'error' as const,
        ),
        timeout(ANSWER_MS),
      ]);
      if (outcome === 'answered') report.answered++;
      else if (outcome === 'error') report.errors++;
      else {
        report.unanswered++;
        report.firstUnanswered ??= `${entry.method} ${JSON.stringify(entry.params)?.slice(0, 300)}`;
      }
    }
    report.serverExited = !client.running;
    report.handlerFailures = client.failures().length;
    report.firstHandlerFailure = client.failures()[0] ?? null;
    if (client.running) await client.stop();
  } finally {
    client.kill();
    workspace.remove();
  }
  return report;
}
