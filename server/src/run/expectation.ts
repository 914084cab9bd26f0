/**
 * Whether a run went the way the doc expects: a test-first step (`Run: \`pytest …\`` then `Expected: FAIL`)
 * expects the command to fail, so a failing run is its pass. Runs that time out, are cancelled or cannot
 * start never meet an expectation.
 */
import type { RunOutcome } from './runner';

/** The outcome a doc expects of a command; null means success is expected. */
export type ExpectedOutcome = 'pass' | 'fail' | null | undefined;

/** True when the run's outcome is what the doc expects. */
export function meetsExpectation(outcome: RunOutcome, expected: ExpectedOutcome): boolean {
  if (expected === 'fail') return outcome === 'failed';
  return outcome === 'passed';
}

/** A short note for output: `(expected to fail: it did)`, or '' when success was expected. */
export function expectationNote(outcome: RunOutcome, expected: ExpectedOutcome): string {
  if (expected !== 'fail') return '';
  return outcome === 'failed' ? ' (expected to fail: it did, as the step says)' : outcome === 'passed' ? ' (expected to fail, but it passed)' : '';
}

/**
 * The result judged against the doc's expectation, for stores that only know passed/failed (the client's
 * stage tree, Test Explorer, result store): a step that expects FAIL and failed becomes `passed`, one that
 * passed becomes `failed` (with a reason in `error`). Other results are returned as they are.
 */
export function judgedResult<T extends { outcome: RunOutcome; error: string | null }>(result: T, expected: ExpectedOutcome): T {
  if (expected !== 'fail') return result;
  if (result.outcome === 'failed') return { ...result, outcome: 'passed', error: 'failed, as the step expects (Expected: FAIL)' };
  if (result.outcome === 'passed') return { ...result, outcome: 'failed', error: 'passed, but the step expects it to fail (Expected: FAIL)' };
  return result;
}
