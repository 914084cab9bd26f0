/** `file-not-deleted`: A file the doc says it deletes still exists once the stage that deletes it is marked done. Shares one analysis of the document's references (`references-shared.ts`). */
import type { Rule } from './types';
import { reportVerdicts } from './references-shared';

export const fileNotDeleted: Rule = {
  id: 'file-not-deleted',
  description: 'A file the doc says it deletes (Delete:, Files to delete, ~~x~~, "(removed)") still exists though the stage that deletes it is marked done.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    reportVerdicts(model, context, 'file-not-deleted');
  },
};
