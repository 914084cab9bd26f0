import type { Rule } from './types';
import { reportTestVerdicts } from './test-commands';

/**
 * A validation command names a test that its file does not define (pytest node id, cargo filter), or a
 * name pattern (`-k`, `-t`, `-run`, `--grep`, `--test-name-pattern`) that matches no test. Severity follows
 * the stage, as for `test-file-missing`.
 */
export const testNotFound: Rule = {
  id: 'test-not-found',
  description: 'A validation command names a test that does not exist, or a name pattern that matches no test.',
  defaultSeverity: 'warning',
  kinds: ['plan', 'design', 'tracker'],
  check(model, context) {
    reportTestVerdicts(model, context, 'test-not-found', 'test-not-found');
  },
};
