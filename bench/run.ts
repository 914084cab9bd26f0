/**
 * `npm run bench`: measures DocPlan against a bare remark-parse parse of the same 15,000-line plan, in one
 * process (spec section 9), then the reference, line-diff and generated-repository benches (the last one
 * against markdownlint-cli2 and rumdl, as whole processes). Prints ratios against the budgets; nothing is
 * asserted.
 *
 *   node --import tsx bench/run.ts [--lines N] [--iterations N] [--phases] [--quick] [--no-tree] [--keep] [--runs N]
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { checkText, type CheckedDocument } from '../server/src/check';
import { defaultConfig } from '../server/src/config/config';
import { buildModel } from '../server/src/model/build';
import { parseMarkdown, parseMdast } from '../server/src/model/parse';
import { checkModel } from '../server/src/rules/engine';
import { generatePlan } from './generate';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const LINES = argument('lines', 15_000);
const WARMUP = argument('warmup', 3);
const ITERATIONS = argument('iterations', 9);
const PHASES = process.argv.includes('--phases');

/** Median wall time (ms) of `run` over ITERATIONS runs, after WARMUP runs. */
function measure(run: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) run();
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// A full collection before reading the heap, without needing `--expose-gc` on the command line.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const heapMB = () => {
  collect();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const heapBefore = heapMB();
const { text, lines, stages } = generatePlan(LINES);
const config = defaultConfig();
const bareProcessor = unified().use(remarkParse);

// The edited text: one character inserted in the middle of the document (inside a line of prose).
const middle = text.indexOf('\n', Math.floor(text.length / 2)) - 3;
const edited = `${text.slice(0, middle)}x${text.slice(middle)}`;

const bare = measure(() => bareProcessor.parse(text));
const full = measure(() => checkText(text, { config, path: 'docs/plans/bench.md' }));
const built: CheckedDocument = checkText(text, { config, path: 'docs/plans/bench.md' });
const recheck = measure(() => checkText(edited, { config, path: 'docs/plans/bench.md', previous: built.built.parsed }));

const rows: [string, number, number | null][] = [
  ['bare remark-parse parse', bare, null],
  ['DocPlan full check (from scratch)', full, 1.3],
  ['DocPlan re-check after 1-char edit', recheck, 0.1],
];

console.log(`Plan: ${lines} lines, ${stages} stages, ${(text.length / 1024).toFixed(0)} KiB; findings on it: ${built.findings.length}`);
console.log(`Median of ${ITERATIONS} runs after ${WARMUP} warm-up runs, node ${process.version}\n`);
const header = ['measurement', 'median ms', 'ratio vs bare parse', 'budget', 'met'];
const table = rows.map(([name, ms, budget]) => {
  const ratio = ms / bare;
  return [name, ms.toFixed(1), `${ratio.toFixed(3)}x`, budget === null ? '-' : `<= ${budget}x`, budget === null ? '-' : ratio <= budget ? 'met' : 'NOT met'];
});
const widths = header.map((title, column) => Math.max(title.length, ...table.map((row) => row[column].length)));
const format = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
console.log(format(header));
console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
for (const row of table) console.log(format(row));

const heapAfter = heapMB();
console.log(
  `\nHeap used after building, after a full GC, with the plan's text, parse and model alive: ${heapAfter.toFixed(1)} MB ` +
    `(${(heapAfter - heapBefore).toFixed(1)} MB more than before generating the plan; rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(1)} MB)`,
);
// Keep the checked document alive up to the measurement above.
if (built.built.model.lineCount === 0) console.log('empty');

if (PHASES) {
  // Where the time goes: the same work split into its phases.
  const parsed = parseMarkdown(text);
  const model = buildModel(text, { previous: parsed });
  const phases: [string, number][] = [
    ['parseMdast (remark + GFM blocks, no literal autolinks, + frontmatter)', measure(() => parseMdast(text))],
    ['parseMarkdown (chunked parse + facts)', measure(() => parseMarkdown(text))],
    ['buildModel with every chunk reused (model building only)', measure(() => buildModel(text, { previous: parsed }))],
    ['checkModel (rules only)', measure(() => checkModel(model.model, model.lines, config))],
    ['parseMarkdown after the edit, reusing chunks', measure(() => parseMarkdown(edited, parsed))],
  ];
  console.log('\nPhases (median ms):');
  for (const [name, ms] of phases) console.log(`  ${name.padEnd(60)} ${ms.toFixed(1).padStart(9)}  (${(ms / bare).toFixed(3)}x bare)`);
}

// Then: 2,000 references resolved against a 50,000-file tree, cold and warm; the line-diff comparison; the
// generated repository timed as whole processes against markdownlint-cli2 and rumdl; and the language
// server (each prints its own table). `--quick` uses a smaller repository, `--no-tree` leaves it out,
// `--keep` keeps it.
void (async () => {
  await (await import('./references')).referencesBench();
  (await import('./diff')).diffBench();
  if (!process.argv.includes('--no-tree')) (await import('./treeBench')).treeBench({ quick: process.argv.includes('--quick'), keep: process.argv.includes('--keep'), runs: argument('runs', 1) });
  await (await import('./server')).serverBench();
})();
