import type { Rule } from './types';
import { preparedResults } from '../claims/items';
import { resultsOfDoc, stageValidation } from '../evidence/validation';
import { allStages, stageName } from './stages';

/**
 * Stages marked done against the recorded validation runs (`.docplan/results.json`): an error when the last
 * recorded validation failed; with `"requireValidation": true`, an info when it was never recorded (many
 * teams validate in CI and keep no local record, so that one is opt-in).
 */
export const validationEvidence: Rule = {
  id: 'validation-evidence',
  description: 'A stage marked done whose last recorded validation failed (or, with "requireValidation": true, was never run).',
  defaultSeverity: 'error',
  kinds: ['plan', 'tracker', 'design'],
  check(model, context) {
    if (!context.workspace) return;
    const { results, problem } = preparedResults(context.workspace.folder);
    if (problem) context.note(problem);
    const requireValidation = context.config.requireValidation === true;
    if (results.length === 0 && !requireValidation) return;
    const doc = context.workspace.docRelPath;
    const byKey = resultsOfDoc(results, doc);
    for (const stage of allStages(model)) {
      if (stage.mark !== 'done' && stage.state !== 'done') continue;
      const validation = stageValidation(stage, doc, byKey);
      const range = stage.headingMark?.range ?? stage.heading.textRange;
      const how = stage.mark === 'done' ? 'marked' : 'ticked';
      if (validation.status === 'failed' && validation.firstFailure) {
        const failure = validation.firstFailure;
        const what = failure.outcome === 'failed' ? `exited ${failure.exitCode ?? 'with an error'}` : failure.outcome.replace('-', ' ');
        const at = failure.commit ? ` at ${failure.commit.slice(0, 7)}` : '';
        context.report({
          message: `${stageName(stage)} is ${how} done, but its last recorded validation failed: \`${failure.command}\` ${what}${at} on ${failure.finishedAt.slice(0, 10)} (${validation.failed} of ${validation.total} did not pass).`,
          range,
        });
      } else if (requireValidation && (validation.status === 'never' || validation.status === 'partial')) {
        const missing = validation.total - validation.passed - validation.failed;
        context.report({
          message: `${stageName(stage)} is ${how} done, but ${missing} of its ${validation.total} validation command${validation.total === 1 ? '' : 's'} ${missing === 1 ? 'has' : 'have'} no recorded run (docplan run, or Run Stage Validation in VS Code, records one).`,
          range,
          severity: 'info',
        });
      }
    }
  },
};
