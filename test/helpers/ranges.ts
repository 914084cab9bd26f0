/** Checks that ranges lie inside a document: shared by the bad-input tests and the fast-check properties. */
import assert from 'node:assert/strict';
import { comparePositions } from '../../server/src/model/text';
import type { Position, Range } from '../../server/src/model/types';

/** Lengths of each line (UTF-16 units), splitting at `\r\n`, `\r` and `\n` as LSP does. */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

function isPosition(value: unknown): value is Position {
  return typeof value === 'object' && value !== null && typeof (value as Position).line === 'number' && typeof (value as Position).character === 'number';
}

function isRange(value: unknown): value is Range {
  return typeof value === 'object' && value !== null && isPosition((value as Range).start) && isPosition((value as Range).end);
}

/** Fails when `range` is not inside a document with these line lengths, or ends before it starts. */
export function assertRangeInside(range: Range, lengths: number[], where: string): void {
  for (const position of [range.start, range.end]) {
    assert.ok(Number.isInteger(position.line) && position.line >= 0 && position.line < lengths.length, `${where}: line ${position.line} of ${lengths.length}`);
    assert.ok(
      Number.isInteger(position.character) && position.character >= 0 && position.character <= lengths[position.line],
      `${where}: character ${position.character} on line ${position.line} of length ${lengths[position.line]}`,
    );
  }
  assert.ok(comparePositions(range.start, range.end) <= 0, `${where}: range ends before it starts`);
}

/**
 * Walks any object graph (iteratively: models of deep input are deep too) and checks every `{start, end}`
 * range in it. Returns how many it checked.
 */
export function assertAllRangesInside(root: unknown, lengths: number[]): number {
  const seen = new Set<object>();
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '$' }];
  let count = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (isRange(value)) {
      assertRangeInside(value, lengths, path);
      count++;
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === 'text' && typeof child === 'string') continue;
      stack.push({ value: child, path: `${path}.${key}` });
    }
  }
  return count;
}
