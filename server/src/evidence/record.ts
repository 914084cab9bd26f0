/**
 * Turning finished runs into recorded results, and recorded results into the `--tick` edit of a plan.
 * Shared by `docplan run` and the VS Code client (both call `recordRun`).
 */
import { GitRepo, isUnknown } from '../workspace/git';
import { applyEdits } from '../features/edits';
import type { LineIndex } from '../model/text';
import type { Stage } from '../model/types';
import type { CommandRunResult } from '../run/runner';
import { allStages, findStage, type RunTarget } from '../run/targets';
import { mergeResults, readResults, recordResults, type ResultEntry } from './results';
import { resultsOfDoc, stageValidation } from './validation';
import { tickEdits } from './tick';

/** HEAD of the repository holding `root`, or null (no git, no commits). Never rejects. */
export async function headCommit(root: string): Promise<string | null> {
  try {
    const repo = await GitRepo.open(root);
    if (isUnknown(repo)) return null;
    const head = await repo.head();
    return isUnknown(head) ? null : head;
  } catch {
    return null;
  }
}

/** The entry recorded for one run of a target. Cancelled runs are not evidence: null. */
export function resultEntry(doc: string, target: Pick<RunTarget, 'stageNumber' | 'text' | 'occurrence'>, expected: string | null, result: CommandRunResult, commit: string | null): ResultEntry | null {
  if (result.outcome === 'cancelled') return null;
  return {
    doc,
    stage: target.stageNumber,
    command: target.text,
    occurrence: target.occurrence,
    outcome: result.outcome,
    exitCode: result.exitCode,
    expected,
    commit,
    finishedAt: new Date(result.startedAt + result.durationMs).toISOString(),
    durationMs: result.durationMs,
  };
}

/** The expected outcome the doc wrote for a target's command, or null. */
export function expectedOf(stages: readonly Stage[], target: RunTarget): string | null {
  const stage = findStage<Stage>(stages, target.stageNumber);
  return stage?.commands[target.index]?.expected ?? null;
}

/** Writes entries to the folder's results file; returns a problem to report (a corrupt file set aside, a write failure). */
export function recordRun(root: string, entries: readonly ResultEntry[]): string | null {
  if (entries.length === 0) return null;
  try {
    return recordResults(root, entries).problem;
  } catch (error) {
    return `cannot write .docplan/results.json: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The plan's text with the Validation boxes of `stageNumbers` ticked and their evidence lines written,
 * for the stages whose validation passed (recorded results merged with `fresh`). Returns the stages ticked.
 */
export function tickPlan(
  root: string,
  doc: string,
  text: string,
  stages: readonly Stage[],
  lines: LineIndex,
  stageNumbers: readonly string[],
  fresh: readonly ResultEntry[],
): { text: string; ticked: { stage: Stage; passed: number; total: number }[] } {
  const recorded = readResults(root, { setAside: false }).file.results;
  const byKey = resultsOfDoc(mergeResults(recorded, fresh), doc);
  const wanted = new Set(stageNumbers);
  const edits = [];
  const ticked = [];
  for (const stage of allStages<Stage>(stages)) {
    if (!wanted.has(stage.number)) continue;
    const validation = stageValidation(stage, doc, byKey);
    if (validation.status !== 'passed') continue;
    edits.push(...tickEdits(stage, validation, lines));
    ticked.push({ stage, passed: validation.passed, total: validation.total });
  }
  return { text: edits.length > 0 ? applyEdits(text, edits) : text, ticked };
}
