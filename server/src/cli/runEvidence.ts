/** What `docplan run` does after its commands: record their results and, with `--tick`, tick the plan. */
import { writeFileSync } from 'node:fs';
import type { LineIndex } from '../model/text';
import type { DocModel } from '../model/types';
import type { CommandRunResult } from '../run/runner';
import type { RunTarget } from '../run/targets';
import { expectedOf, headCommit, recordRun, resultEntry, tickPlan } from '../evidence/record';
import type { ResultEntry } from '../evidence/results';
import { rootRelative } from '../workspace/files';

/** The plan a run was for. */
export interface RunPlan {
  root: string;
  docPath: string;
  display: string;
  text: string;
  bom: boolean;
  built: { model: DocModel; lines: LineIndex };
}

/** Records (unless told not to) and ticks (when asked); returns lines for standard error. */
export async function recordAndTick(
  plan: RunPlan,
  results: readonly { target: RunTarget; result: CommandRunResult }[],
  options: { record: boolean; tick: boolean },
): Promise<{ messages: string[]; failed: boolean }> {
  const messages: string[] = [];
  const doc = rootRelative(plan.root, plan.docPath);
  if (doc === null || results.length === 0 || (!options.record && !options.tick)) return { messages, failed: false };
  const commit = await headCommit(plan.root);
  const entries = results
    .map(({ target, result }) => resultEntry(doc, target, expectedOf(plan.built.model.stages, target), result, commit))
    .filter((entry): entry is ResultEntry => entry !== null);
  let failed = false;
  if (options.record) {
    const problem = recordRun(plan.root, entries);
    if (problem) messages.push(`warning: ${problem}`);
    else messages.push(`recorded ${entries.length} result${entries.length === 1 ? '' : 's'} in .docplan/results.json`);
  }
  if (options.tick) {
    const stageNumbers = [...new Set(results.map(({ target }) => target.stageNumber))];
    const ticked = tickPlan(plan.root, doc, plan.text, plan.built.model.stages, plan.built.lines, stageNumbers, entries);
    if (ticked.text !== plan.text) {
      try {
        writeFileSync(plan.docPath, (plan.bom ? '\ufeff' : '') + ticked.text);
        for (const { stage, passed, total } of ticked.ticked) messages.push(`ticked ${stage.label} ${stage.number} in ${plan.display} (${passed} of ${total} passed)`);
      } catch (error) {
        messages.push(`error: cannot write ${plan.display}: ${error instanceof Error ? error.message : String(error)}`);
        failed = true;
      }
    }
  }
  return { messages, failed };
}
