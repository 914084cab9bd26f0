/**
 * The repository bench of `npm run bench`: generates the real-shaped tree (bench/tree.ts), then times,
 * as whole processes in the same run, `docplan check` cold (empty cache), warm (second run, nothing
 * changed) and without the cache on one thread, markdownlint-cli2 and rumdl over the same Markdown files,
 * and prints files/s and the ratios against markdownlint-cli2 next to the budgets. Nothing is asserted.
 *
 *   node --import tsx bench/treeBench.ts [--quick] [--keep]
 */
import { spawnSync } from 'node:child_process';
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

/** Generates the tree, runs every tool, prints the table. */
export function treeBench(options: { quick?: boolean; keep?: boolean } = {}): void {
  const size: TreeSize = options.quick ? { docs: 500, code: 5000, commits: 100 } : FULL_TREE;
  const dir = mkdtempSync(join(tmpdir(), 'docplan-bench-tree-'));
  const root = join(dir, 'repo');
  try {
    const tree = generateTree(root, size);
    console.log(`\nGenerated tree: ${tree.docs.length} Markdown files (${tree.planDocs.length} plans and design docs), ${tree.codeFiles} code files, ${tree.commits} commits, in ${(tree.ms / 1000).toFixed(1)} s`);
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
    const docplan = [join(REPO, 'bin', 'docplan.js'), 'check', '.'];
    // A git wrapper that counts the git processes one uncached run starts.
    const gitLog = join(dir, 'git-calls.log');
    const wrapperDir = join(dir, 'bin');
    spawnSync('mkdir', ['-p', wrapperDir]);
    const realGit = spawnSync('sh', ['-c', 'command -v git']).stdout.toString().trim();
    writeFileSync(join(wrapperDir, 'git'), `#!/bin/sh\necho "$*" >> '${gitLog}'\nexec '${realGit}' "$@"\n`);
    chmodSync(join(wrapperDir, 'git'), 0o755);

    rmSync(join(root, 'node_modules', '.cache', 'docplan'), { recursive: true, force: true });
    const cold = timeProcess('docplan check, cold (empty cache)', process.execPath, docplan, root);
    const warm = timeProcess('docplan check, warm (second run, nothing changed)', process.execPath, docplan, root);
    const single = timeProcess('docplan check --no-cache --threads 1', process.execPath, [...docplan, '--no-cache', '--threads', '1'], root, { ...process.env, PATH: `${wrapperDir}:${process.env.PATH}` });
    const gitCalls = existsSync(gitLog) ? readFileSync(gitLog, 'utf8').trim().split('\n').filter(Boolean) : [];
    const markdownlint = timeProcess('markdownlint-cli2 0.24', join(BIN, 'markdownlint-cli2'), ['**/*.md'], root);
    const rumdl = timeProcess('rumdl (native)', join(BIN, 'rumdl'), ['check', '.'], root);

    const base = markdownlint.seconds;
    const budgets = new Map<Timed, number>([
      [cold, 0.3],
      [warm, 0.05],
    ]);
    const header = ['process', 'wall s', 'Markdown files/s', 'vs markdownlint-cli2', 'budget', 'met'];
    const rows = [cold, warm, single, markdownlint, rumdl].map((run) => {
      const budget = budgets.get(run);
      const ratio = run.seconds / base;
      return [run.name, run.seconds.toFixed(2), Math.round(tree.docs.length / run.seconds).toString(), `${ratio.toFixed(3)}x`, budget === undefined ? '-' : `<= ${budget}x`, budget === undefined ? '-' : ratio <= budget ? 'met' : 'NOT met'];
    });
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
    console.log(`Whole processes, same run, load average ${loadavg().map((value) => value.toFixed(1)).join(' ')} on ${spawnSync('nproc').stdout?.toString().trim() ?? '?'} cores:`);
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

if (process.argv[1]?.endsWith('treeBench.ts')) treeBench({ quick: process.argv.includes('--quick'), keep: process.argv.includes('--keep') });
