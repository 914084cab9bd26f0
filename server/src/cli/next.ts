/**
 * `docplan next <plan> [--json]`: the next actionable stage of a plan (the first not done whose
 * dependencies are done), with its open items, the files they name and the commands that validate it: what
 * a coding agent needs to carry on. JSON shape (`version: 1`, lines 1-based):
 *
 * ```
 * { version: 1, file, next: null | { stage: { label, number, title, line },
 *   openItems: [{ id: 'T012' | null, text, line, files: string[] }], files: string[],
 *   commands: [{ text, stage, line, lastOutcome: 'passed'|'failed'|'timed-out'|'error'|null }] },
 *   reason: string | null }
 * ```
 */
import { nextWork, planProgress } from '../evidence/progress';
import { resultsOfDoc } from '../evidence/validation';
import { UsageError, type CliIo } from './invocation';
import { loadPlans } from './plans';
import { parsePlanArgs } from './status';

export const NEXT_HELP = `Usage: docplan next <plan> [--json]

Prints the next actionable stage of a plan: the first stage not done whose dependencies are done, with its
open items, the files they name and the validation commands to run when it is done.

Options:
      --json          Print JSON (for coding agents and scripts)
      --root <dir>    Workspace root (default: nearest ancestor with .docplan.json or .git)
  -h, --help          Show this help

Exit status: 0 a next stage was found or every stage is done, 1 every open stage waits on another, 2 usage error.
`;

/** `docplan next`. */
export async function runNext(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parsePlanArgs(args, false);
  if (values.help) {
    io.stdout.write(NEXT_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'next: name one plan' : 'next: name exactly one plan');
  const loaded = await loadPlans(positionals, io, { rootFlag: values.root, requireStages: false });
  for (const problem of loaded.problems) io.stderr.write(`docplan: warning: ${problem}\n`);
  const plan = loaded.plans[0];
  if (!plan) throw new UsageError(`${positionals[0]} is not a design doc, plan or tracker`);
  const model = plan.checked.built.model;
  const byKey = resultsOfDoc(loaded.results, plan.rel);
  const progress = planProgress(model, plan.rel, byKey);
  const work = progress.next ? nextWork(model, progress.next, byKey, plan.rel) : null;
  const reason = work
    ? null
    : model.stages.length === 0
      ? 'the document has no stages'
      : progress.stages.done === progress.stages.total
        ? 'every stage is done'
        : 'every open stage waits on a stage that is not done';
  if (values.json) {
    io.stdout.write(JSON.stringify({ version: 1, file: plan.rel, next: work, reason }, null, 2) + '\n');
  } else if (!work) {
    io.stdout.write(`${plan.display}: no next stage: ${reason}.\n`);
  } else {
    const out = [`${plan.display}:${work.stage.line}: next: ${work.stage.label} ${work.stage.number}: ${work.stage.title}`];
    out.push(work.openItems.length > 0 ? 'Open items:' : 'Open items: none (run its validation and mark it done)');
    for (const item of work.openItems) out.push(`  - [ ] ${item.text}  (line ${item.line})`);
    if (work.files.length > 0) out.push(`Files: ${work.files.join(', ')}`);
    if (work.commands.length > 0) out.push('Validate with:');
    for (const command of work.commands) out.push(`  $ ${command.text}${command.lastOutcome ? `  (last: ${command.lastOutcome})` : ''}`);
    io.stdout.write(out.join('\n') + '\n');
  }
  return work || reason === 'every stage is done' || reason === 'the document has no stages' ? 0 : 1;
}
