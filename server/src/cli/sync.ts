/**
 * `docplan sync [paths] [--write] [--json]`: the checkboxes against the work, both ways, in bulk. Unticks
 * ticked items whose claims fail (completion-not-in-code) or whose files never changed
 * (completion-without-change), unticks the failed validation of stages marked done (validation-evidence),
 * ticks unticked items whose claims all hold and marks finished, validated stages done (done-not-ticked).
 * Prints every box it would change and why; changes nothing without `--write`. Never ticks an item that
 * makes no checkable claim. JSON shape (`version: 1`, lines 1-based):
 *
 * ```
 * { version: 1, written: boolean, changes: [{ file, line, action: 'tick'|'untick'|'mark-done'|'unmark-done',
 *   item: string, rule: string, reason: string }] }
 * ```
 */
import { writeFileSync } from 'node:fs';
import type { TextEdit } from 'vscode-languageserver-types';
import { applyEditGroups } from '../features/edits';
import type { Finding } from '../rules/types';
import { UsageError, type CliIo } from './invocation';
import { loadPlans } from './plans';
import { parsePlanArgs } from './status';

export const SYNC_HELP = `Usage: docplan sync [paths...] [--write] [--json]

Checks the plan's checkboxes against the work, both ways, and prints every box it would change and why:
  untick  a ticked item whose file, deletion or symbol is not in the code, or whose named files did not
          change between the commit that added it and the tick; the failed validation of a done stage
  tick    an unticked item whose claims all hold (and whose commands last passed)
  mark    a stage whose items are all ticked and whose validation last passed: marked done
Items whose words make no checkable claim are never ticked.

Options:
      --write         Apply the changes (without it, nothing is changed)
      --json          Print JSON
      --root <dir>    Workspace root (default: nearest ancestor with .docplan.json or .git)
  -h, --help          Show this help

Exit status: 0 nothing to change (or changes written), 1 changes to make (without --write), 2 usage error.
`;

/** The rules whose fixes sync applies, at their default severity whatever the configuration says. */
export const SYNC_RULES = { 'completion-not-in-code': 'warning', 'completion-without-change': 'warning', 'done-not-ticked': 'info', 'validation-evidence': 'error' } as const;

/** One box sync changes. */
export interface SyncChange {
  file: string;
  line: number;
  action: 'tick' | 'untick' | 'mark-done' | 'unmark-done';
  item: string;
  rule: string;
  reason: string;
}

function actionOf(edits: readonly TextEdit[]): SyncChange['action'] {
  // A YAML todo's box is its status: `completed` ticks it, `pending` unticks it.
  if (edits.some((edit) => edit.newText === 'x' || edit.newText === 'completed')) return 'tick';
  if (edits.some((edit) => edit.newText === '✅' || edit.newText === ' ✅')) return 'mark-done';
  if (edits.some((edit) => edit.newText === '' )) return 'unmark-done';
  return 'untick';
}

/** The findings sync acts on: those of its rules with a fix (validation findings without one are left). */
export function syncFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.ruleId in SYNC_RULES && finding.fixes.length > 0);
}

/** `docplan sync`. */
export async function runSync(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parsePlanArgs(args, true);
  if (values.help) {
    io.stdout.write(SYNC_HELP);
    return 0;
  }
  const loaded = await loadPlans(positionals, io, { rootFlag: values.root, overrides: { rules: { ...SYNC_RULES } } });
  for (const problem of loaded.problems) io.stderr.write(`docplan: warning: ${problem}\n`);
  const changes: SyncChange[] = [];
  let written = 0;
  for (const plan of loaded.plans) {
    const findings = syncFindings(plan.checked.findings);
    if (findings.length === 0) continue;
    const lines = plan.checked.built.lines;
    for (const finding of findings) {
      const line = finding.range.start.line;
      changes.push({ file: plan.rel, line: line + 1, action: actionOf(finding.fixes[0].edits), item: lines.lineText(line).trim(), rule: finding.ruleId, reason: finding.message });
    }
    if (!values.write) continue;
    if (!plan.validUtf8) {
      io.stderr.write(`docplan: not written ${plan.display}: the file is not valid UTF-8\n`);
      continue;
    }
    // Fixes of items of one stage may share an edit (removing the stage's done marker): apply it once.
    const edits = new Map(findings.flatMap((finding) => finding.fixes[0].edits).map((edit) => [JSON.stringify(edit), edit]));
    const applied = applyEditGroups(plan.text, [...edits.values()].map((edit) => [edit]));
    if (applied.text === plan.text) continue;
    try {
      writeFileSync(plan.path, (plan.bom ? '\ufeff' : '') + applied.text);
      written += applied.applied;
    } catch (error) {
      throw new UsageError(`cannot write ${plan.display}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (values.json) {
    io.stdout.write(JSON.stringify({ version: 1, written: values.write === true, changes }, null, 2) + '\n');
  } else {
    const verb = values.write ? { tick: 'ticked', untick: 'unticked', 'mark-done': 'marked done', 'unmark-done': 'unmarked' } : { tick: 'would tick', untick: 'would untick', 'mark-done': 'would mark done', 'unmark-done': 'would unmark' };
    for (const change of changes) io.stdout.write(`${change.file}:${change.line}: ${verb[change.action]}: ${change.item}\n    ${change.reason} (${change.rule})\n`);
    io.stdout.write(
      changes.length === 0
        ? 'Every checkbox agrees with the work.\n'
        : values.write
          ? `${written} change${written === 1 ? '' : 's'} written.\n`
          : `${changes.length} change${changes.length === 1 ? '' : 's'} to make; run with --write to apply.\n`,
    );
  }
  return changes.length > 0 && !values.write ? 1 : 0;
}
