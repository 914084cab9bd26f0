/** `reference-unreadable`: A path:line reference to a file DocPlan cannot read lines of (binary, huge, unreadable, symlink loop, directory). Shares one analysis of the document's references (`references-shared.ts`). */
import type { Rule } from './types';
import { reportVerdicts } from './references-shared';

export const referenceUnreadable: Rule = {
  id: 'reference-unreadable',
  description: 'A path:line reference to a file DocPlan cannot read lines of (binary, huge, unreadable, symlink loop, directory).',
  defaultSeverity: 'info',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    reportVerdicts(model, context, 'reference-unreadable');
  },
};
