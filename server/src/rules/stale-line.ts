/** `stale-line`: The referenced line no longer holds what the doc ties to it: the named symbol moved, or the line's text changed since the doc was written. Shares one analysis of the document's references (`references-shared.ts`). */
import type { Rule } from './types';
import { reportVerdicts } from './references-shared';

export const staleLine: Rule = {
  id: 'stale-line',
  description: "The referenced line no longer holds what the doc ties to it: the named symbol moved, or the line's text changed since the doc was written.",
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    reportVerdicts(model, context, 'stale-line');
  },
};
