/** `broken-doc-link`: A Markdown link to a file or heading that does not exist. Shares one analysis of the document's references (`references-shared.ts`). */
import type { Rule } from './types';
import { reportVerdicts } from './references-shared';

export const brokenDocLink: Rule = {
  id: 'broken-doc-link',
  description: 'A Markdown link to a file or heading that does not exist.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    reportVerdicts(model, context, 'broken-doc-link');
  },
};
