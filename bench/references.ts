/**
 * Budget check (spec §9): 2,000 references resolved against a 50,000-file tree, under 1 s cold and under
 * 50 ms warm. Run with `node --import tsx bench/references.ts [--files N] [--refs N] [--keep]`.
 *
 * Generates the tree in a temp dir (Python files in nested packages, plus a .gitignore'd build dir and
 * node_modules), then checks each reference the way the reference rules will: resolve the path (escape and
 * symlink checks), look it up in the file index (basename suggestion on a miss), count lines for `path:line`
 * references, and check the symbol for references that name one (tree-sitter).
 *
 * "cold" = fresh FileIndex + PathResolver + FileCache + SymbolIndex: includes walking the whole tree and
 * parsing every file a symbol is asked of. The tree-sitter runtime/grammar load is a once-per-process cost
 * and is shown on its own line. The OS page cache is warm (the files were just written): a first run after
 * a reboot would be slower, and nothing here can measure that honestly.
 * "warm" = the same objects again (nothing changed on disk), in both cache validation modes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCache } from '../server/src/workspace/fileCache';
import { basenameOf, FileIndex } from '../server/src/workspace/fileIndex';
import { PathResolver } from '../server/src/workspace/paths';
import { checkSymbolAtLine, SymbolIndex } from '../server/src/workspace/symbols';
import { loadAllGrammars } from '../server/src/workspace/treeSitter';
import { FolderWorkspace } from '../server/src/workspace/workspace';
import { buildDocument } from '../server/src/check';
import { checkModel } from '../server/src/rules/engine';
import { ALL_RULES } from '../server/src/rules/index';
import { defaultConfig } from '../server/src/config/config';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const FILES = option('--files', 50_000);
const REFS = option('--refs', 2_000);
const KEEP = args.includes('--keep');

interface BenchRef {
  path: string;
  line: number | null;
  symbol: string | null;
}

function pythonFile(seed: number): string {
  const lines = [`"""Module ${seed}."""`, 'import os', '', `CONSTANT_${seed} = ${seed}`, ''];
  for (let c = 0; c < 2; c++) {
    lines.push(`class Worker${c}:`, `    """Worker ${c}."""`, '');
    for (let m = 0; m < 4; m++) lines.push(`    def method_${m}(self, value):`, `        result = value + ${m}`, '        return os.path.join(str(result))', '');
  }
  lines.push('def helper(x):', '    return x * 2', '');
  return lines.join('\n');
}

function generate(root: string): string[] {
  const paths: string[] = [];
  writeFileSync(join(root, '.gitignore'), 'build/\n*.pyc\n');
  const perDir = 50;
  for (let i = 0; paths.length < FILES; i++) {
    const dir = `packages/pkg${i % 40}/src/mod${Math.floor(i / 40) % 25}/sub${Math.floor(i / 1000)}`;
    mkdirSync(join(root, dir), { recursive: true });
    for (let f = 0; f < perDir && paths.length < FILES; f++) {
      const rel = `${dir}/file_${i}_${f}.py`;
      writeFileSync(join(root, rel), pythonFile(i * perDir + f));
      paths.push(rel);
    }
  }
  mkdirSync(join(root, 'build'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
  for (let i = 0; i < 500; i++) {
    writeFileSync(join(root, 'build', `out${i}.js`), '');
    writeFileSync(join(root, 'node_modules', 'dep', `m${i}.js`), '');
  }
  return paths;
}

function references(paths: string[]): BenchRef[] {
  const refs: BenchRef[] = [];
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let i = 0; i < REFS; i++) {
    const path = paths[Math.floor(random() * paths.length)];
    const roll = random();
    if (roll < 0.05) refs.push({ path: '../../etc/passwd', line: 1, symbol: null });
    else if (roll < 0.15) refs.push({ path: path.replace('.py', '_missing.py'), line: 3, symbol: null });
    else if (roll < 0.2) refs.push({ path, line: null, symbol: null });
    else if (roll < 0.45) refs.push({ path, line: 6 + Math.floor(random() * 30), symbol: `Worker${Math.floor(random() * 2)}.method_${Math.floor(random() * 4)}` });
    else refs.push({ path, line: 1 + Math.floor(random() * 60), symbol: null });
  }
  return refs;
}

interface Workspace {
  index: FileIndex;
  resolver: PathResolver;
  cache: FileCache;
  symbols: SymbolIndex;
}

function open(root: string, validate: 'stat' | 'events'): Workspace {
  const index = FileIndex.build(root);
  const cache = new FileCache({ validate });
  return { index, resolver: new PathResolver(root, index), cache, symbols: new SymbolIndex(cache) };
}

/** Checks every reference as the rules will; returns counts so that the work cannot be optimised away. */
function check(ws: Workspace, refs: BenchRef[]): Record<string, number> {
  const counts: Record<string, number> = { escapes: 0, missing: 0, suggested: 0, outOfRange: 0, symbolOk: 0, symbolMoved: 0, symbolMissing: 0, ok: 0 };
  for (const ref of refs) {
    const resolved = ws.resolver.resolve(ref.path);
    if (resolved.kind !== 'inside') {
      counts.escapes++;
      continue;
    }
    if (ws.index.kindOf(resolved.relPath) !== 'file') {
      counts.missing++;
      if (ws.index.uniqueByBasename(basenameOf(resolved.relPath).replace('_missing', '')) !== null) counts.suggested++;
      continue;
    }
    if (ref.line !== null) {
      const info = ws.cache.info(resolved.absPath);
      if (!info.ok || ref.line > info.lineCount) {
        counts.outOfRange++;
        continue;
      }
    }
    if (ref.symbol !== null && ref.line !== null) {
      const symbols = ws.symbols.get(resolved.absPath);
      if (symbols && symbols.ok) {
        const verdict = checkSymbolAtLine(symbols, ref.symbol, ref.line);
        if (verdict.status === 'ok') counts.symbolOk++;
        else if (verdict.status === 'moved') counts.symbolMoved++;
        else counts.symbolMissing++;
      }
      continue;
    }
    counts.ok++;
  }
  return counts;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall and CPU (user + system) milliseconds of `run`. */
function timed<T>(run: () => T): { value: T; wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const value = run();
  const used = process.cpuUsage(cpu);
  return { value, wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 };
}

/** One measured row: what `referencesBench` returns (and prints). */
export interface BenchRow {
  label: string;
  ms: number;
  budgetMs: number | null;
  met: boolean | null;
}

const collected: BenchRow[] = [];

function row(label: string, wall: number, cpu: number | null, budget: number | null): void {
  collected.push({ label: label.trim(), ms: wall, budgetMs: budget, met: budget === null ? null : wall <= budget });
  const verdict = budget === null ? '' : wall <= budget ? `  budget ${budget} ms: OK` : `  budget ${budget} ms: OVER`;
  const cpuText = cpu === null ? '' : `  (cpu ${cpu.toFixed(0)} ms)`;
  console.log(`${label.padEnd(50)} ${wall.toFixed(1).padStart(8)} ms${cpuText}${verdict}`);
}

/**
 * The references benchmark: prints its table and returns the rows. `bench/run.ts` calls it so that
 * `npm run bench` reports it next to the parse budgets.
 */
export async function referencesBench(): Promise<BenchRow[]> {
  collected.length = 0;
  await main();
  return [...collected];
}

const REFERENCE_RULE_IDS = new Set(['missing-file', 'line-out-of-range', 'stale-line', 'line-drift', 'broken-doc-link', 'reference-outside-workspace', 'reference-unreadable']);

/** 2,000 references in one plan, through the real rules (prepare + every rule), cold then warm. */
async function throughRules(root: string, refs: BenchRef[]): Promise<void> {
  const lines = ['# Plan: Benchmark references', '', '## Background', '', '**Goal**: Check 2,000 references in under 1 s.', '', '### Affected Code', ''];
  for (const ref of refs) lines.push(`- \`${ref.path}${ref.line !== null ? `:${ref.line}` : ''}${ref.symbol !== null ? ` - ${ref.symbol}()` : ''}\``);
  lines.push('', '## Stage 1: Check', '', '### Objective', '', 'Check.', '', '### Changes', '', '- [ ] Check', '', '### Validation', '', '- [ ] `make check`', '');
  const text = lines.join('\n');
  const docPath = join(root, 'docs', 'bench-plan.md');
  const config = defaultConfig();
  // The model is built once outside the timing: this measures the reference rules, not Markdown parsing.
  const built = buildDocument(text, { config, path: 'docs/bench-plan.md' });
  const rules = ALL_RULES.filter((rule) => REFERENCE_RULE_IDS.has(rule.id));
  const workspace = new FolderWorkspace(root, { validate: 'events', git: false });
  const view = workspace.view(docPath);
  const cpu = process.cpuUsage();
  const start = performance.now();
  await workspace.prepare(built.model, docPath);
  const cold = checkModel(built.model, built.lines, config, view, rules);
  const coldCpu = process.cpuUsage(cpu);
  row('rules: 7 reference rules over a 2,000-reference plan, cold', performance.now() - start, (coldCpu.user + coldCpu.system) / 1000, 1000);
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    await Promise.resolve(); // the per-check memo is dropped between checks, as between two server checks
    const t = performance.now();
    await workspace.prepare(built.model, docPath);
    checkModel(built.model, built.lines, config, view, rules);
    samples.push(performance.now() - t);
  }
  row('rules: the same, warm (prepare + rules, median of 7)', median(samples), null, 50);
  const counts: Record<string, number> = {};
  for (const finding of cold.findings) counts[finding.ruleId] = (counts[finding.ruleId] ?? 0) + 1;
  console.log(`  findings: ${JSON.stringify(counts)}`);
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'docplan-bench-refs-'));
  try {
    const generated = timed(() => generate(root));
    const paths = generated.value;
    const refs = references(paths);
    console.log(`tree: ${paths.length} files (+1,000 ignored) generated in ${(generated.wall / 1000).toFixed(1)} s`);
    console.log(`references: ${refs.length} (${refs.filter((ref) => ref.symbol).length} with a symbol, ${new Set(refs.map((ref) => ref.path)).size} distinct paths)`);
    console.log(`node ${process.version}, ${process.platform}/${process.arch}, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    console.log('OS page cache is warm (files just written); "cold" means fresh DocPlan objects, median of 3 runs.\n');

    const cpu = process.cpuUsage();
    const wall = performance.now();
    await loadAllGrammars();
    row('tree-sitter runtime + 6 grammars (once per process)', performance.now() - wall, process.cpuUsage(cpu).user / 1000, null);

    const runs: { index: number; refs: number; total: number; cpu: number; noSymbols: number }[] = [];
    let ws: Workspace | null = null;
    let counts: Record<string, number> = {};
    for (let i = 0; i < 3; i++) {
      const built = timed(() => open(root, 'stat'));
      const checked = timed(() => check(built.value, refs));
      const withoutSymbols = timed(() => check(open(root, 'stat'), refs.map((ref) => ({ ...ref, symbol: null }))));
      runs.push({ index: built.wall, refs: checked.wall, total: built.wall + checked.wall, cpu: built.cpu + checked.cpu, noSymbols: withoutSymbols.wall });
      ws = built.value;
      counts = checked.value;
    }
    const pick = (key: keyof (typeof runs)[number]) => median(runs.map((run) => run[key]));
    row(`  index build (${ws!.index.size} files)`, pick('index'), null, null);
    row('  resolve + check 2,000 references', pick('refs'), null, null);
    row('  (the same without symbol checks, incl. index)', pick('noSymbols'), null, null);
    row('cold, first run in this process (JIT cold too)', runs[0].total, runs[0].cpu, 1000);
    row('cold: index + references (median of 3)', pick('total'), pick('cpu'), 1000);
    console.log(`  results: ${JSON.stringify(counts)}`);

    const warm = (workspace: Workspace) => {
      check(workspace, refs);
      const samples = Array.from({ length: 7 }, () => timed(() => check(workspace, refs)));
      return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
    };
    const warmStat = warm(ws!);
    row('warm, validate: stat (median of 7)', warmStat.wall, warmStat.cpu, 50);
    const events = open(root, 'events');
    const warmEvents = warm(events);
    row('warm, validate: events (median of 7)', warmEvents.wall, warmEvents.cpu, 50);

    // One file changed on disk and reported by the watcher, then a warm check.
    const touched = join(root, paths[0]);
    writeFileSync(touched, pythonFile(1) + '\n# edited\n');
    events.cache.invalidate(touched);
    events.symbols.invalidate(touched);
    events.index.update(paths[0], 'changed');
    const after = timed(() => check(events, refs));
    row('warm after one file changed (events)', after.wall, after.cpu, 50);
    const memory = process.memoryUsage();
    await throughRules(root, refs);
    console.log(`\nheap used ${(memory.heapUsed / 1048576).toFixed(0)} MiB, rss ${(memory.rss / 1048576).toFixed(0)} MiB (three workspaces alive)`);
  } finally {
    if (KEEP) console.log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

if (/references\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) void main();
