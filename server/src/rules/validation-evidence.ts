import type { TextEdit } from 'vscode-languageserver-types';
import type { LineIndex } from '../model/text';
import type { Stage } from '../model/types';
import type { Fix, Rule } from './types';
import { boxEdit, removeDoneMarkEdit } from '../claims/items';
import { isFailedResult } from '../evidence/validation';
import { entryKey, type ResultEntry } from '../evidence/results';
import { stageTargets } from '../run/targets';
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
          fixes: [undoneFix(stage, doc, byKey, context.lines)],
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

/**
 * Unticks the Validation items whose commands failed and removes the heading's done marker: the stage is
 * not done until its validation passes again.
 */
function undoneFix(stage: Stage, doc: string, byKey: ReadonlyMap<string, ResultEntry>, lines: LineIndex): Fix {
  const edits: TextEdit[] = [];
  const seen = new Set<number>();
  for (const target of stageTargets(stage)) {
    const entry = byKey.get(entryKey({ doc, stage: target.stageNumber, command: target.text, occurrence: target.occurrence }));
    if (!entry || !isFailedResult(entry)) continue;
    const owner = [stage, ...stage.children].find((candidate) => candidate.number === target.stageNumber);
    const item = owner?.commands[target.index]?.item;
    if (!item || item.checked !== true || seen.has(item.range.start.line)) continue;
    seen.add(item.range.start.line);
    edits.push(boxEdit(item, lines, false));
  }
  const unmark = removeDoneMarkEdit(stage, lines);
  if (unmark) edits.push(unmark);
  return { title: `Untick ${stageName(stage)}'s failed validation${stage.headingMark?.mark === 'done' ? ' and remove its done marker' : ''}`, edits, fixAll: false };
}
