/** `line-drift`: The referenced line's text sits elsewhere now, per git, since the doc was last committed. Shares one analysis of the document's references (`references-shared.ts`). */
import type { Rule } from './types';
import { reportVerdicts } from './references-shared';

export const lineDrift: Rule = {
  id: 'line-drift',
  description: "The referenced line's text sits elsewhere now, per git, since the doc was last committed.",
  defaultSeverity: 'info',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    reportVerdicts(model, context, 'line-drift');
  },
};
