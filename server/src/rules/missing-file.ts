/** `missing-file`: A path of this workspace that does not exist (files the doc creates are exempt until their stage is done, files it deletes always). Shares one analysis of the document's references (`references-shared.ts`). */
import type { Rule } from './types';
import { reportVerdicts } from './references-shared';

export const missingFile: Rule = {
  id: 'missing-file',
  description: 'A path of this workspace that does not exist (files the doc creates are exempt until their stage is done, files it deletes always).',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    reportVerdicts(model, context, 'missing-file');
  },
};
