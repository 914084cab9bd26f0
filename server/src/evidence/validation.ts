/**
 * What the recorded results say about a stage: its last validation. A stage's validation is the set of its
 * commands as the doc lists them now (its steps' included); a result counts only while its command's text
 * and stage are unchanged (the identity of run/targets.ts).
 */
import { stageTargets, type StageLike } from '../run/targets';
import { entryKey, type ResultEntry } from './results';

/** The verdict on a stage's validation. */
export interface StageValidation {
  /** `none`: the stage lists no command; `never`: none of them was recorded; `partial`: some were. */
  status: 'passed' | 'failed' | 'partial' | 'never' | 'none';
  passed: number;
  failed: number;
  total: number;
  /** The latest result among the stage's commands, or null. */
  latest: ResultEntry | null;
  /** The first command that did not pass, or null. */
  firstFailure: ResultEntry | null;
}

/** A result that says the command did not do what the plan expects. Cancelled runs say nothing. */
export function isFailedResult(entry: ResultEntry): boolean {
  return entry.outcome === 'failed' || entry.outcome === 'timed-out' || entry.outcome === 'error';
}

/** Results of one doc by command identity. */
export function resultsOfDoc(results: readonly ResultEntry[], doc: string): Map<string, ResultEntry> {
  const map = new Map<string, ResultEntry>();
  for (const entry of results) if (entry.doc === doc) map.set(entryKey(entry), entry);
  return map;
}

/** The last validation of a stage, from the doc's results (`resultsOfDoc`). */
export function stageValidation<T extends StageLike<T>>(stage: T, doc: string, byKey: ReadonlyMap<string, ResultEntry>): StageValidation {
  const targets = stageTargets(stage);
  let passed = 0;
  let failed = 0;
  let latest: ResultEntry | null = null;
  let firstFailure: ResultEntry | null = null;
  for (const target of targets) {
    const entry = byKey.get(entryKey({ doc, stage: target.stageNumber, command: target.text, occurrence: target.occurrence }));
    if (!entry || entry.outcome === 'cancelled') continue;
    if (latest === null || entry.finishedAt > latest.finishedAt) latest = entry;
    if (entry.outcome === 'passed') passed++;
    else if (isFailedResult(entry)) {
      failed++;
      firstFailure ??= entry;
    }
  }
  const total = targets.length;
  const status = total === 0 ? 'none' : failed > 0 ? 'failed' : passed === total ? 'passed' : passed === 0 ? 'never' : 'partial';
  return { status, passed, failed, total, latest, firstFailure };
}

/** "validated at abc1234 on 2026-12-03: 3 of 3 passed": the evidence line written under a stage's Validation part. */
export function evidenceLine(validation: StageValidation): string {
  const commit = validation.latest?.commit ? validation.latest.commit.slice(0, 7) : 'an uncommitted tree';
  const date = validation.latest ? validation.latest.finishedAt.slice(0, 10) : new Date().toISOString().slice(0, 10);
  return `validated at ${commit} on ${date}: ${validation.passed} of ${validation.total} passed`;
}
