/**
 * Line mapping for drift: where each line of a file's old version sits in its current text.
 *
 * Why an in-process diff rather than `git diff --no-index`: one process per referenced file would cost
 * milliseconds each (hundreds of files per doc); the user's diff configuration (external diff drivers,
 * textconv, `diff.algorithm`, colour) cannot change the result or run anything; it needs no temporary
 * files; and it maps against whatever text we hand it (the same bytes the other rules read).
 */
import type { Unknown } from './git';

/**
 * For each old line (1-based index), its new line number, or 0 when the line was changed or deleted.
 * Index 0 is unused.
 */
export type LineMap = Int32Array;

/** Above this many differences in the changed middle of a file, Myers gives way to unique-line anchoring. */
const MAX_EDIT_DISTANCE = 1500;

/**
 * Line diff of `oldLines` against `newLines`: common prefix and suffix first (most edits are local), then
 * Myers' O(ND) shortest edit script on the middle. When the middle differs by more than
 * `MAX_EDIT_DISTANCE` lines, lines that occur exactly once on each side are matched instead (patience-style
 * anchors) and the rest count as changed: bounded time and memory on any input.
 */
export function diffLines(oldLines: readonly string[], newLines: readonly string[]): LineMap {
  const map = new Int32Array(oldLines.length + 1);
  let prefix = 0;
  while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) {
    map[prefix + 1] = prefix + 1;
    prefix++;
  }
  let suffix = 0;
  while (
    suffix < oldLines.length - prefix &&
    suffix < newLines.length - prefix &&
    oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
  ) {
    map[oldLines.length - suffix] = newLines.length - suffix;
    suffix++;
  }
  const a = oldLines.slice(prefix, oldLines.length - suffix);
  const b = newLines.slice(prefix, newLines.length - suffix);
  if (a.length === 0 || b.length === 0) return map;
  // Lines to integers: comparisons in the inner loop become integer compares.
  const ids = new Map<string, number>();
  const idOf = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const ai = Int32Array.from(a, idOf);
  const bi = Int32Array.from(b, idOf);
  const pairs = myers(ai, bi, MAX_EDIT_DISTANCE) ?? uniqueAnchors(ai, bi);
  for (const [x, y] of pairs) map[prefix + x + 1] = prefix + y + 1;
  return map;
}

/** Matched index pairs (0-based) of Myers' shortest edit script, or null past `maxD` differences. */
function myers(a: Int32Array, b: Int32Array, maxD: number): [number, number][] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxD);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    // Keep the slice [-d, d] of V before this round, for the backtrack.
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], a: Int32Array, b: Int32Array, dEnd: number): [number, number][] {
  const pairs: [number, number][] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d >= 0; d--) {
    const v = trace[d]; // slice of V before round d: index (k + d + 1) holds V[k]
    const at = (k: number) => v[k + d + 1];
    const k = x - y;
    let previousK: number;
    if (d === 0) {
      previousK = 0;
    } else {
      previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    }
    const previousX = d === 0 ? 0 : at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    if (d > 0) {
      x = previousX;
      y = previousY;
    }
  }
  return pairs.reverse();
}

/** Lines unique on both sides, kept in increasing order on both (longest increasing subsequence). */
function uniqueAnchors(a: Int32Array, b: Int32Array): [number, number][] {
  const count = (arr: Int32Array) => {
    const counts = new Map<number, { n: number; at: number }>();
    arr.forEach((id, index) => {
      const entry = counts.get(id);
      if (entry) entry.n++;
      else counts.set(id, { n: 1, at: index });
    });
    return counts;
  };
  const inA = count(a);
  const inB = count(b);
  const candidates: [number, number][] = [];
  for (const [id, entry] of inA) {
    const other = inB.get(id);
    if (entry.n === 1 && other?.n === 1) candidates.push([entry.at, other.at]);
  }
  candidates.sort((p, q) => p[0] - q[0]);
  // Longest increasing subsequence on the new index (patience sorting).
  const tails: number[] = [];
  const previous = new Int32Array(candidates.length).fill(-1);
  for (let i = 0; i < candidates.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (candidates[tails[mid]][1] < candidates[i][1]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out: [number, number][] = [];
  for (let i = tails.length > 0 ? tails[tails.length - 1] : -1; i !== -1; i = previous[i]) out.push(candidates[i]);
  return out.reverse();
}

/** Where an old line is now. */
export type LineDrift =
  | { status: 'same' }
  | { status: 'moved'; line: number; endLine: number | null }
  /** The line itself was edited or deleted: drift cannot say (stale-line may). */
  | { status: 'changed' }
  | Unknown;

/** Maps `line` (and `endLine`) through a line map. */
export function mapLines(map: LineMap, line: number, endLine: number | null = null): LineDrift {
  if (line < 1 || line >= map.length) return { kind: 'unknown', reason: `line ${line} did not exist when the doc was committed` };
  const start = map[line];
  if (start === 0) return { status: 'changed' };
  let end: number | null = null;
  if (endLine !== null && endLine >= line && endLine < map.length) {
    end = map[endLine] !== 0 ? map[endLine] : start + (endLine - line);
  }
  if (start === line && (endLine === null || end === endLine)) return { status: 'same' };
  return { status: 'moved', line: start, endLine: end };
}
