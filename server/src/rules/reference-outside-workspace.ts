/** `reference-outside-workspace`: A relative reference to a repo file climbs out of the workspace folder (../../x.py:3, a symlink out); it is never read. Shares one analysis of the document's references (`references-shared.ts`). */
import type { Rule } from './types';
import { reportVerdicts } from './references-shared';

export const referenceOutsideWorkspace: Rule = {
  id: 'reference-outside-workspace',
  description: 'A relative reference to a repo file climbs out of the workspace folder (../../x.py:3, a symlink out); it is never read.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    reportVerdicts(model, context, 'reference-outside-workspace');
  },
};
