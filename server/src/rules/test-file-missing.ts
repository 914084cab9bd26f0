import type { Rule } from './types';
import { reportTestVerdicts } from './test-commands';

/**
 * A validation command names a test file, directory, package or `--test` target that does not exist.
 * Severity follows the stage: error when it is marked done, info when it is not started and its Changes
 * say the file will be added, warning otherwise.
 */
export const testFileMissing: Rule = {
  id: 'test-file-missing',
  description: 'A validation command names a test file (or directory, package, cargo target) that does not exist.',
  defaultSeverity: 'warning',
  kinds: ['plan', 'design', 'tracker'],
  check(model, context) {
    reportTestVerdicts(model, context, 'file-missing', 'test-file-missing');
  },
};
