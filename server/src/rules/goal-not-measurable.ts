import type { ListItem } from '../model/types';
import type { Rule } from './types';
import { isHouseStyle } from './profiles';

/** Numbers, thresholds and percentages: `5 ms`, `p95`, `99.9%`, `2x`. */
const NUMBER = /\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|twice|half|double|triple)\b/i;
/** Comparisons that set a bound. */
const COMPARISON = /\b(?:under|below|above|at most|at least|within|less than|more than|fewer|faster than|slower than|no more than|greater than|exceeds?|up to)\b|[<>≤≥]/i;
/** Criteria an observer can check. */
const OBSERVABLE = /\b(?:no|none|never|every|all|without|zero|pass(?:es)?|fails?|returns?|exits?|rejects?)\b/i;

/** Whether a goal states something that can be checked. */
export function isMeasurable(item: ListItem): boolean {
  if (item.codeSpans.some((span) => span.text.trim().length > 0)) return true;
  return NUMBER.test(item.text) || COMPARISON.test(item.text) || OBSERVABLE.test(item.text);
}

/** A goal nobody can check ("make it faster") cannot tell anyone when the work is done. */
export const goalNotMeasurable: Rule = {
  id: 'goal-not-measurable',
  description: 'A goal with no number, threshold, comparison or observable criterion.',
  defaultSeverity: 'hint',
  kinds: ['design', 'plan'],
  check(model, context) {
    // Only the seeds' formats promise measurable goals; proposals and RFCs state goals as intents.
    if (!isHouseStyle(model)) return;
    for (const item of model.goals?.items ?? []) {
      if (item.text.length === 0 || isMeasurable(item)) continue;
      context.report({
        message: 'Goal is not measurable: add a number, a threshold or an observable result (what passes, what is returned, what never happens).',
        range: item.range,
      });
    }
  },
};
