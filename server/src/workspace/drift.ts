/**
 * Line drift anchored by content. A doc's `path:42` was written against the file as it was when the doc
 * was last committed; the reference has drifted only when that line's text is found somewhere else now.
 * The line diff (`diffLines`, from `git.ts`) proposes where the line went; the proposal is kept only when
 * the text there is the referenced text, and when the diff lost it, a line with exactly that text (once
 * in the file) is taken instead. A blank or trivial line (`}`, `fi`, `return`) is never an anchor: a
 * range anchors on its first meaningful line, and a reference to a lone brace says nothing at all.
 */
import { distance } from 'fastest-levenshtein';
import { diffLines, type LineMap } from './lineMap';

/** Where the referenced content is now. */
export type ContentDrift =
  /** The anchor line is where the doc says. */
  | { status: 'same' }
  /**
   * The anchor text sits elsewhere now: the reference moves to `line` (and `endLine` for a range).
   * `shifted`: lines were added or removed above it; false when the code holding it was itself moved (the
   * lines the diff counts above it still exist elsewhere).
   */
  | { status: 'moved'; line: number; endLine: number | null; anchor: string; shifted: boolean }
  /** The referenced text is gone; `now` is what holds its place today (null past the end). */
  | { status: 'changed'; was: string; now: string | null }
  /** Nothing can be said: no meaningful anchor line, or a line that did not exist then. */
  | { status: 'unknown' };

/** Lines that carry no content of their own: closing punctuation, block ends, bare keywords. */
const TRIVIAL_LINE =
  /^(?:[{}()[\];,.:]*|fi|done|esac|end|endif|endfor|endwhile|else:?|\}\s*else\s*\{|try:?|finally:?|except:|do|then|begin|return;?|pass|break;?|continue;?|\*\/|\/\*\*?|\*|"""|'''|```|<\/[\w-]*>|#|\/\/|--|\);?|\]\)?;?|\}\)?;?)$/i;

/** True when a line of code says something a reader would recognise elsewhere (not blank, not a brace). */
export function isAnchorLine(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length >= 3 && /[\p{L}\p{N}]/u.test(trimmed) && !TRIVIAL_LINE.test(trimmed);
}

/**
 * Follows `line` (and `endLine`) of `oldLines` into `newLines` by content. `map` is a line map of the two
 * (computed when not given).
 */
export function driftByContent(oldLines: readonly string[], newLines: readonly string[], line: number, endLine: number | null, map?: LineMap): ContentDrift {
  if (line < 1 || line > oldLines.length) return { status: 'unknown' };
  const last = endLine !== null && endLine >= line ? Math.min(endLine, oldLines.length) : line;
  let anchorAt = -1;
  for (let at = line; at <= last; at++) {
    if (isAnchorLine(oldLines[at - 1])) {
      anchorAt = at;
      break;
    }
  }
  if (anchorAt < 0) return { status: 'unknown' };
  const anchor = oldLines[anchorAt - 1];
  if (newLines[anchorAt - 1] === anchor) return { status: 'same' };
  const lineMap = map ?? diffLines(oldLines, newLines);
  let newAnchor: number | null = null;
  const proposed = lineMap[anchorAt] ?? 0;
  if (proposed > 0 && newLines[proposed - 1] === anchor) {
    newAnchor = proposed;
  } else {
    const wanted = anchor.trim();
    let hits = 0;
    for (let at = 0; at < newLines.length && hits < 2; at++) {
      if (newLines[at].trim() === wanted) {
        hits++;
        newAnchor = at + 1;
      }
    }
    if (hits !== 1) newAnchor = null;
  }
  if (newAnchor === null) {
    const was = oldLines[line - 1];
    const referenced = isAnchorLine(was) ? line : anchorAt;
    return { status: 'changed', was: oldLines[referenced - 1], now: newLines[placeOf(lineMap, referenced, oldLines[referenced - 1], newLines) - 1] ?? null };
  }
  const newLine = Math.max(1, newAnchor - (anchorAt - line));
  if (newLine === line) return { status: 'same' };
  let newEnd: number | null = null;
  if (endLine !== null && endLine >= line) {
    const mappedEnd = endLine < lineMap.length ? lineMap[endLine] : 0;
    newEnd = mappedEnd >= newLine ? mappedEnd : newLine + (endLine - line);
    newEnd = Math.min(newEnd, Math.max(newLine, newLines.length));
  }
  const shifted = newAnchor === proposed && linesAddedOrRemoved(lineMap, oldLines, newLines, anchorAt, newAnchor);
  return { status: 'moved', line: newLine, endLine: newEnd, anchor, shifted };
}

/**
 * True when the lines the diff adds (or removes) above the anchor are new (or gone) text, false when most of
 * them still exist on the other side: then a block was moved, and "N lines were inserted above it" would
 * misdescribe what happened.
 */
function linesAddedOrRemoved(map: LineMap, oldLines: readonly string[], newLines: readonly string[], anchorAt: number, newAnchor: number): boolean {
  const matchedNew = new Uint8Array(newLines.length + 2);
  for (let at = 1; at < map.length; at++) if (map[at] > 0) matchedNew[map[at]] = 1;
  const oldUnmatched = new Set<string>();
  for (let at = 1; at <= oldLines.length; at++) if ((map[at] ?? 0) === 0 && isAnchorLine(oldLines[at - 1])) oldUnmatched.add(oldLines[at - 1].trim());
  const newUnmatched = new Set<string>();
  for (let at = 1; at <= newLines.length; at++) if (matchedNew[at] === 0 && isAnchorLine(newLines[at - 1])) newUnmatched.add(newLines[at - 1].trim());
  let counted = 0;
  let elsewhere = 0;
  if (newAnchor > anchorAt) {
    for (let at = 1; at < newAnchor; at++) {
      if (matchedNew[at] === 1 || !isAnchorLine(newLines[at - 1])) continue;
      counted++;
      if (oldUnmatched.has(newLines[at - 1].trim())) elsewhere++;
    }
  } else {
    for (let at = 1; at < anchorAt; at++) {
      if ((map[at] ?? 0) !== 0 || !isAnchorLine(oldLines[at - 1])) continue;
      counted++;
      if (newUnmatched.has(oldLines[at - 1].trim())) elsewhere++;
    }
  }
  return elsewhere * 2 < counted || counted === 0;
}

/**
 * Where a changed old line sits now: in the block between the nearest unchanged lines above and below it,
 * the line closest to the old text (edit distance), so that "in its place" names the line that replaced it.
 */
function placeOf(map: LineMap, line: number, oldText: string, newLines: readonly string[]): number {
  let from = 1;
  for (let above = line - 1; above >= 1; above--) {
    if (map[above] > 0) {
      from = map[above] + 1;
      break;
    }
  }
  let to = newLines.length;
  for (let below = line + 1; below < map.length; below++) {
    if (map[below] > 0) {
      to = map[below] - 1;
      break;
    }
  }
  if (to < from) return from;
  let best = from;
  let bestScore = Infinity;
  for (let at = from; at <= Math.min(to, from + 200); at++) {
    const candidate = newLines[at - 1].trim();
    const score = distance(oldText.trim(), candidate) / Math.max(1, oldText.trim().length, candidate.length);
    if (score < bestScore) {
      bestScore = score;
      best = at;
    }
  }
  return best;
}

/** A line of code as a message quotes it: trimmed, at most 80 characters, in backticks. */
export function quoteLine(text: string | null): string {
  if (text === null) return 'nothing (the file is shorter now)';
  const trimmed = text.trim();
  if (trimmed === '') return 'a blank line';
  const short = trimmed.length > 80 ? `${trimmed.slice(0, 77)}…` : trimmed;
  return `\`${short.replace(/`/g, "'")}\``;
}
