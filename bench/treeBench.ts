/**
 * The repository bench of `npm run bench`: generates the real-shaped tree (bench/tree.ts), then times,
 * as whole processes in the same run, `docplan check` cold (empty cache), warm (second run, nothing
 * changed) and without the cache on one thread, markdownlint-cli2 and rumdl over the same Markdown files,
 * and the floors of a remark-based check (`parseFloor.ts`: find, read and pre-scan the files; then parse
 * the ones that pass; then build their models; no git, no rules), and prints files/s and the ratios
 * against markdownlint-cli2 next to the budgets. Nothing is asserted.
 *
 * With `--runs N` every process but the uncached single-thread run is timed N times, alternating, and the
 * table shows medians: the wall time's, and the ratio's taken within each round (a shared machine's load
 * moves between rounds more than within one).
 *
 *   node --import tsx bench/treeBench.ts [--quick] [--keep] [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { nodeBundleOptions } from '../scripts/bundleOptions';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FULL_TREE, generateTree, type TreeSize } from './tree';

const REPO = resolve(__dirname, '..');
const BIN = join(REPO, 'node_modules', '.bin');

/** A timed whole-process run. */
interface Timed {
  name: string;
  seconds: number;
  status: number | null;
}

function timeProcess(name: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Timed {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0 && result.status !== 1) process.stderr.write(`bench: ${name} exited with ${result.status}: ${result.stderr?.toString().slice(0, 400)}\n`);
  return { name, seconds, status: result.status };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The stages of `parseFloor.ts`, each timed as its own process, with their rows' names. */
const FLOOR_STAGES: [string, string][] = [
  ['read', 'floor: find, read and pre-scan the files'],
  ['parse', 'floor: + parse the docs that pass (remark)'],
  ['model', 'floor: + build their models (no git, no rules)'],
];

/** Bundles `parseFloor.ts` the way the CLI is bundled (minified, CommonJS), into `dir`; returns its path. */
function bundleFloor(dir: string): string {
  const outfile = join(dir, 'parse-floor.js');
  buildSync({ ...nodeBundleOptions(true), entryPoints: [join(REPO, 'bench', 'parseFloor.ts')], outfile });
  return outfile;
}

/** Generates the tree, runs every tool, prints the table. */
export function treeBench(options: { quick?: boolean; keep?: boolean; runs?: number } = {}): void {
  const runs = Math.max(1, options.runs ?? 1);
  const size: TreeSize = options.quick ? { docs: 500, code: 5000, commits: 100 } : FULL_TREE;
  const dir = mkdtempSync(join(tmpdir(), 'docplan-bench-tree-'));
  const root = join(dir, 'repo');
  try {
    const tree = generateTree(root, size);
    console.log(`\nGenerated tree: ${tree.docs.length} Markdown files (${tree.planDocs.length} plans and design docs), ${tree.codeFiles} code files, ${tree.commits} commits, in ${(tree.ms / 1000).toFixed(1)} s`);
    // The build that ships (minified, no source maps): the server's measurements after this one use it too.
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.mjs', '--production'], { cwd: REPO, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build -- --production failed');
    const docplan = [join(REPO, 'bin', 'docplan.js'), 'check', '.'];
    const floor = bundleFloor(dir);
    // A git wrapper that counts the git processes one uncached run starts.
    const gitLog = join(dir, 'git-calls.log');
    const wrapperDir = join(dir, 'bin');
    spawnSync('mkdir', ['-p', wrapperDir]);
    const realGit = spawnSync('sh', ['-c', 'command -v git']).stdout.toString().trim();
    writeFileSync(join(wrapperDir, 'git'), `#!/bin/sh\necho "$*" >> '${gitLog}'\nexec '${realGit}' "$@"\n`);
    chmodSync(join(wrapperDir, 'git'), 0o755);

    const rounds: Timed[][] = [];
    let gitCalls: string[] = [];
    const loads: number[] = [];
    for (let round = 0; round < runs; round++) {
      loads.push(loadavg()[0]);
      rmSync(join(root, 'node_modules', '.cache', 'docplan'), { recursive: true, force: true });
      const cold = timeProcess('docplan check, cold (empty cache)', process.execPath, docplan, root);
      const warm = timeProcess('docplan check, warm (second run, nothing changed)', process.execPath, docplan, root);
      const markdownlint = timeProcess('markdownlint-cli2 0.24', join(BIN, 'markdownlint-cli2'), ['**/*.md'], root);
      const rumdl = timeProcess('rumdl (native)', join(BIN, 'rumdl'), ['check', '.'], root);
      const floors = FLOOR_STAGES.map(([stage, name]) => timeProcess(name, process.execPath, [floor, root, stage], root));
      const timed = [cold, warm, markdownlint, rumdl, ...floors];
      if (round === 0) {
        timed.splice(2, 0, timeProcess('docplan check --no-cache --threads 1', process.execPath, [...docplan, '--no-cache', '--threads', '1'], root, { ...process.env, PATH: `${wrapperDir}:${process.env.PATH}` }));
        gitCalls = existsSync(gitLog) ? readFileSync(gitLog, 'utf8').trim().split('\n').filter(Boolean) : [];
      }
      if (runs > 1) console.log(`round ${round + 1}: ${timed.map((run) => `${run.name.split(',')[0].split(' (')[0]}${run.name.includes('warm') ? ' warm' : run.name.includes('cold') ? ' cold' : ''} ${run.seconds.toFixed(2)} s`).join('; ')}`);
      rounds.push(timed);
    }

    const budgets = new Map<string, number>([
      [rounds[0][0].name, 0.3],
      [rounds[0][1].name, 0.05],
    ]);
    const baseName = 'markdownlint-cli2 0.24';
    const header = ['process', runs > 1 ? `wall s (median of ${runs})` : 'wall s', 'Markdown files/s', 'vs markdownlint-cli2', 'budget', 'met'];
    const rows = rounds[0].map(({ name }) => {
      const walls: number[] = [];
      const ratios: number[] = [];
      for (const timed of rounds) {
        const run = timed.find((each) => each.name === name);
        if (!run) continue;
        walls.push(run.seconds);
        ratios.push(run.seconds / timed.find((each) => each.name === baseName)!.seconds);
      }
      const budget = budgets.get(name);
      const seconds = median(walls);
      const ratio = median(ratios);
      return [name, seconds.toFixed(2), Math.round(tree.docs.length / seconds).toString(), `${ratio.toFixed(3)}x`, budget === undefined ? '-' : `<= ${budget}x`, budget === undefined ? '-' : ratio <= budget ? 'met' : 'NOT met'];
    });
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
    console.log(`Whole processes, same run, load average ${loads.map((value) => value.toFixed(1)).join(', ')} at the start of each round, ${loadavg().map((value) => value.toFixed(1)).join(' ')} on ${spawnSync('nproc').stdout?.toString().trim() ?? '?'} cores:`);
    console.log(line(header));
    console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
    for (const row of rows) console.log(line(row));
    const kinds = new Map<string, number>();
    for (const call of gitCalls) {
      const sub = call.split(' ').find((word, i, all) => i > 0 && all[i - 1] !== '-c' && !word.startsWith('-')) ?? call;
      kinds.set(sub, (kinds.get(sub) ?? 0) + 1);
    }
    console.log(`git processes in the uncached single-thread run: ${gitCalls.length} (${[...kinds].map(([kind, count]) => `${kind} ${count}`).join(', ')}) for ${tree.docs.length} files`);
  } finally {
    if (options.keep) console.log(`kept ${root}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('treeBench.ts')) {
  const runsAt = process.argv.indexOf('--runs');
  treeBench({ quick: process.argv.includes('--quick'), keep: process.argv.includes('--keep'), runs: runsAt === -1 ? 1 : Number(process.argv[runsAt + 1]) || 1 });
}
