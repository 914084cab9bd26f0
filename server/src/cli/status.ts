/**
 * `docplan status [paths] [--json]`: where each plan stands. JSON shape (`version: 1`):
 *
 * ```
 * { version: 1, plans: [{ file, title, stages: { done, inProgress, notStarted, total },
 *   items: { checked, total }, next: { number, title, line } | null,
 *   perStage: [{ label, number, title, state, checked, items, blockedBy: string[], line,
 *     validation: { status: 'passed'|'failed'|'partial'|'never'|'none', passed, failed, total,
 *                   commit: string | null, finishedAt: string | null } }] }] }
 * ```
 * Lines are 1-based.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { planProgress, type PlanProgress, type StageProgress } from '../evidence/progress';
import { resultsOfDoc } from '../evidence/validation';
import { UsageError, type CliIo } from './invocation';
import { loadPlans } from './plans';

export const STATUS_HELP = `Usage: docplan status [paths...] [--json]

Prints where each plan stands: stages done / in progress / not started, ticked items of all items, the
last recorded validation of each stage (.docplan/results.json, written by docplan run), and the next
actionable stage (the first not done whose dependencies are done).

Options:
      --json          Print JSON
      --root <dir>    Workspace root (default: nearest ancestor with .docplan.json or .git)
  -h, --help          Show this help
`;

/** The JSON of one stage's standing. */
export function stageJson(stage: StageProgress) {
  const { validation, ...rest } = stage;
  return {
    ...rest,
    line: stage.line + 1,
    validation: {
      status: validation.status,
      passed: validation.passed,
      failed: validation.failed,
      total: validation.total,
      commit: validation.latest?.commit ?? null,
      finishedAt: validation.latest?.finishedAt ?? null,
    },
  };
}

/** Parsed `[paths] [--json] [--root <dir>] [--write]` (`--write` only where `allowWrite`). */
export interface PlanArgs {
  values: { json?: boolean; root?: string; help?: boolean; write?: boolean };
  positionals: string[];
}

/** Parses the common arguments of status/next/sync. */
export function parsePlanArgs(args: readonly string[], allowWrite: boolean): PlanArgs {
  try {
    const options: ParseArgsConfig['options'] = { json: { type: 'boolean' }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...(allowWrite ? { write: { type: 'boolean' } } : {}) };
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: values as PlanArgs['values'], positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('. ')[0].replace(/\.$/, '') : String(error));
  }
}

function validationText(stage: StageProgress): string {
  const v = stage.validation;
  if (v.status === 'none') return 'no validation command';
  if (v.status === 'never') return 'never validated';
  const when = v.latest ? ` (${v.latest.commit ? `${v.latest.commit.slice(0, 7)}, ` : ''}${v.latest.finishedAt.slice(0, 10)})` : '';
  return `${v.status === 'passed' ? 'passed' : v.status === 'failed' ? 'FAILED' : 'partly run'} ${v.passed} of ${v.total}${when}`;
}

const STATE_ICON: Record<StageProgress['state'], string> = { done: '✔', 'in-progress': '◐', 'not-started': '○' };

/** The readable report of one plan. */
export function formatStatus(file: string, progress: PlanProgress): string {
  const { stages, items, next } = progress;
  const lines = [`${file}: ${stages.done} of ${stages.total} stages done, ${stages.inProgress} in progress, ${stages.notStarted} not started; ${items.checked} of ${items.total} items ticked`];
  for (const stage of progress.perStage) {
    const blocked = stage.blockedBy.length > 0 ? `, waits on ${stage.blockedBy.join(', ')}` : '';
    lines.push(`  ${STATE_ICON[stage.state]} ${stage.label} ${stage.number}: ${stage.title}  [${stage.checked}/${stage.items} items; ${validationText(stage)}${blocked}]`);
  }
  lines.push(next ? `  next: ${next.label} ${next.number}: ${next.title} (line ${next.line + 1})` : stages.done === stages.total ? '  next: nothing, every stage is done' : '  next: none (every open stage waits on another)');
  return lines.join('\n') + '\n';
}

/** `docplan status`. */
export async function runStatus(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parsePlanArgs(args, false);
  if (values.help) {
    io.stdout.write(STATUS_HELP);
    return 0;
  }
  const loaded = await loadPlans(positionals, io, { rootFlag: values.root });
  for (const problem of loaded.problems) io.stderr.write(`docplan: warning: ${problem}\n`);
  const reports = loaded.plans.map((plan) => ({ plan, progress: planProgress(plan.checked.built.model, plan.rel, resultsOfDoc(loaded.results, plan.rel)) }));
  if (values.json) {
    const plans = reports.map(({ plan, progress }) => ({
      file: plan.rel,
      title: plan.checked.built.model.title?.text ?? null,
      stages: progress.stages,
      items: progress.items,
      next: progress.next ? { label: progress.next.label, number: progress.next.number, title: progress.next.title, line: progress.next.line + 1 } : null,
      perStage: progress.perStage.map(stageJson),
    }));
    io.stdout.write(JSON.stringify({ version: 1, plans }, null, 2) + '\n');
    return 0;
  }
  if (reports.length === 0) {
    io.stderr.write('docplan: no plans with stages found\n');
    return 0;
  }
  io.stdout.write(reports.map(({ plan, progress }) => formatStatus(plan.display, progress)).join('\n'));
  return 0;
}
