/**
 * Line mapping for drift: the hand-written Myers diff of workspace/git.ts (`diffLines`) against the `diff`
 * package (`diffArrays`, turned into the same line map), on inputs shaped like the code a doc references:
 * lines inserted near the top, scattered small edits, a block moved, a file rewritten. Both must give maps
 * that agree on every unchanged line; the table gives the median time of each.
 *
 *   node --import tsx bench/diff.ts
 */
import { diffArrays } from 'diff';
import { diffLines, type LineMap } from '../server/src/workspace/lineMap';
import { prng } from './seeded';

function codeLines(count: number, random: () => number): string[] {
  return Array.from({ length: count }, (_, i) => (i % 7 === 6 ? '' : i % 7 === 0 ? `def handler_${i}(request):` : `    value_${i} = compute(${Math.floor(random() * 1000)}, ${i})`));
}

interface Case {
  name: string;
  old: string[];
  now: string[];
}

function cases(): Case[] {
  const random = prng(5);
  const out: Case[] = [];
  for (const size of [300, 3000]) {
    const old = codeLines(size, random);
    const insertTop = [...old.slice(0, 10), ...Array.from({ length: 8 }, (_, i) => `# added ${i}`), ...old.slice(10)];
    out.push({ name: `${size} lines, 8 inserted near the top`, old, now: insertTop });
    const scattered = old.map((line, i) => (i % 37 === 5 ? `${line} # edited` : line));
    for (let i = 0; i < size / 50; i++) scattered.splice(Math.floor(random() * scattered.length), 0, `# note ${i}`);
    out.push({ name: `${size} lines, scattered edits and inserts`, old, now: scattered });
    const moved = [...old.slice(0, size / 3), ...old.slice((2 * size) / 3), ...old.slice(size / 3, (2 * size) / 3)];
    out.push({ name: `${size} lines, a third moved to the end`, old, now: moved });
    out.push({ name: `${size} lines, rewritten`, old, now: codeLines(size, random) });
  }
  return out;
}

/** The `diff` package's result as the same map: old line (1-based) -> new line, 0 when changed. */
function packageMap(old: string[], now: string[]): LineMap {
  const map = new Int32Array(old.length + 1);
  let a = 0;
  let b = 0;
  for (const part of diffArrays(old, now)) {
    const count = part.count ?? part.value.length;
    if (part.added) b += count;
    else if (part.removed) a += count;
    else {
      for (let k = 0; k < count; k++) map[a + k + 1] = b + k + 1;
      a += count;
      b += count;
    }
  }
  return map;
}

function median(run: () => unknown, iterations: number): number {
  for (let i = 0; i < 2; i++) run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)];
}

/** Prints the comparison table and returns the rows. */
export function diffBench(iterations = 7): { name: string; handMs: number; packageMs: number }[] {
  const rows: { name: string; handMs: number; packageMs: number }[] = [];
  for (const { name, old, now } of cases()) {
    const hand = diffLines(old, now);
    const pkg = packageMap(old, now);
    // Both are line maps of a valid edit script: every mapped pair is equal text, in increasing order.
    for (const map of [hand, pkg]) {
      let last = 0;
      for (let i = 1; i < map.length; i++) {
        if (map[i] === 0) continue;
        if (old[i - 1] !== now[map[i] - 1] || map[i] <= last) throw new Error(`bad map for ${name}`);
        last = map[i];
      }
    }
    rows.push({ name, handMs: median(() => diffLines(old, now), iterations), packageMs: median(() => packageMap(old, now), Math.min(iterations, 3)) });
  }
  console.log('\nLine mapping (median ms): hand-written Myers (workspace/lineMap.ts) vs the diff package (diffArrays)');
  for (const row of rows) console.log(`  ${row.name.padEnd(44)} hand ${row.handMs.toFixed(2).padStart(9)}   diff ${row.packageMs.toFixed(2).padStart(9)}   (${(row.packageMs / Math.max(row.handMs, 0.001)).toFixed(1)}x)`);
  return rows;
}

if (process.argv[1]?.endsWith('diff.ts')) diffBench();
