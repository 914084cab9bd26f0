/** `stale-line`: The line a reference names no longer holds the symbol the doc ties to it. Shares one analysis of the document's references (`references-shared.ts`). */
import type { Rule } from './types';
import { reportVerdicts } from './references-shared';

export const staleLine: Rule = {
  id: 'stale-line',
  description: 'The line a reference names no longer holds the symbol the doc ties to it.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    reportVerdicts(model, context, 'stale-line');
  },
};
