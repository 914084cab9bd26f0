/** `line-out-of-range`: A path:line reference points past the end of the file. Shares one analysis of the document's references (`references-shared.ts`). */
import type { Rule } from './types';
import { reportVerdicts } from './references-shared';

export const lineOutOfRange: Rule = {
  id: 'line-out-of-range',
  description: 'A path:line reference points past the end of the file.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    reportVerdicts(model, context, 'line-out-of-range');
  },
};
