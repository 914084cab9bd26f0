/** `missing-file`: A referenced file does not exist (files the doc says it will create are exempt until their stage is done). Shares one analysis of the document's references (`references-shared.ts`). */
import type { Rule } from './types';
import { reportVerdicts } from './references-shared';

export const missingFile: Rule = {
  id: 'missing-file',
  description: 'A referenced file does not exist (files the doc says it will create are exempt until their stage is done).',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    reportVerdicts(model, context, 'missing-file');
  },
};
