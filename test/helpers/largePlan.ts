/** A generated plan of a given size (the bench's generator), for the tests and measures of a busy server. */
import { generatePlan } from '../../bench/generate';

/** A plan of at least `bytes` characters (about 24 lines per KB). */
export function largePlan(bytes: number): string {
  let lines = Math.ceil(bytes / 40);
  for (;;) {
    const { text } = generatePlan(lines);
    if (text.length >= bytes) return text;
    lines = Math.ceil((lines * bytes) / text.length) + 10;
  }
}
