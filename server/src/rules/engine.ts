/**
 * Runs the rules over a model: applies configured severities, inline `docplan-disable` comments, and adds
 * the "disable for this line / file" fixes every finding gets.
 */
import type { DocPlanConfig } from '../config/config';
import type { ControlComment, DocModel } from '../model/types';
import type { LineIndex } from '../model/text';
import type { Finding, Fix, Report, Rule } from './types';
import type { DocWorkspace } from '../workspace/workspace';
import { ALL_RULES } from './index';

/** The result of checking one document. */
export interface CheckResult {
  findings: Finding[];
  /** Rules that threw: the rest still ran (one broken rule must not hide the others). */
  ruleErrors: string[];
  /** Log lines from rules (degraded inputs they met), without duplicates. */
  notes: string[];
  /** What the time budget cut off (also reported as a `BUDGET_RULE_ID` finding on line 1), or null. */
  skipped: string | null;
}

/** Id of the info finding that says a check was cut off by its time budget (`--max-doc-ms`). */
export const BUDGET_RULE_ID = 'check-budget';

/**
 * The single info finding on line 1 that says what the time budget skipped and why, with its log line.
 * Every output (diagnostics, text, json, sarif, github) shows it like any finding.
 */
export function budgetSkip(result: CheckResult, skippedNow: string, budgetMs: number): void {
  const previous = result.findings.find((finding) => finding.ruleId === BUDGET_RULE_ID);
  if (previous) result.notes = result.notes.filter((note) => note !== previous.message);
  const what = result.skipped ? `${skippedNow}, and ${result.skipped}` : skippedNow;
  const message = `DocPlan skipped ${what}: checking this document took longer than its ${budgetMs} ms budget (--max-doc-ms). The findings shown may be incomplete.`;
  result.skipped = what;
  result.notes.push(message);
  const start = { line: 0, character: 0 };
  result.findings = result.findings.filter((finding) => finding.ruleId !== BUDGET_RULE_ID);
  result.findings.unshift({ ruleId: BUDGET_RULE_ID, severity: 'info', message, range: { start, end: start }, fixes: [] });
}

/** A check's time budget: its absolute deadline (ms since the epoch) and its size, for the message. */
export interface CheckBudget {
  deadline: number;
  budgetMs: number;
}

/** Runs every applicable rule. Ordinary Markdown (kind null) and `docplan: off` docs yield nothing. */
export function checkModel(
  model: DocModel,
  lines: LineIndex,
  config: DocPlanConfig,
  workspace: DocWorkspace | null = null,
  rules: readonly Rule[] = ALL_RULES,
  budget: CheckBudget | null = null,
): CheckResult {
  const steps = ruleSteps(model, lines, config, workspace, rules, budget);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `checkModel` that lets the event loop run between rules, so that a server answers other requests while a
 * long document is checked (a rule itself still runs to its end).
 */
export async function checkModelYielding(
  model: DocModel,
  lines: LineIndex,
  config: DocPlanConfig,
  workspace: DocWorkspace | null,
  budget: CheckBudget | null,
): Promise<CheckResult> {
  const steps = ruleSteps(model, lines, config, workspace, ALL_RULES, budget);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The rule loop, pausing (yielding) after each rule that ran. */
function* ruleSteps(
  model: DocModel,
  lines: LineIndex,
  config: DocPlanConfig,
  workspace: DocWorkspace | null,
  rules: readonly Rule[],
  budget: CheckBudget | null,
): Generator<void, CheckResult, void> {
  const result: CheckResult = { findings: [], ruleErrors: [], notes: [], skipped: null };
  const note = (message: string) => {
    if (!result.notes.includes(message)) result.notes.push(message);
  };
  if (model.disabled || model.kind === null) return result;
  const suppressed = suppressionIndex(model.controlComments, lines, model.frontMatter?.range.end.line ?? -1);
  const sharedWork = new Map<string, unknown>();
  const shared = <T>(key: string, compute: () => T): T => {
    if (!sharedWork.has(key)) sharedWork.set(key, compute());
    return sharedWork.get(key) as T;
  };
  const cutOff: string[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.id];
    const severity = setting?.severity ?? rule.defaultSeverity;
    if (severity === 'off' || !rule.kinds.includes(model.kind)) continue;
    // A rule cannot be interrupted, so the budget is checked between rules: the rest are skipped.
    if (budget && (cutOff.length > 0 || Date.now() >= budget.deadline)) {
      cutOff.push(rule.id);
      continue;
    }
    const reports: Report[] = [];
    try {
      rule.check(model, { config, options: setting?.options ?? {}, lines, workspace, report: (report) => reports.push(report), note, shared });
    } catch (error) {
      result.ruleErrors.push(`${rule.id}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    } finally {
      yield;
    }
    for (const report of reports) {
      const range = clampRange(report.range, lines);
      if (suppressed(rule.id, range.start.line)) continue;
      result.findings.push({
        ruleId: rule.id,
        severity: report.severity ?? severity,
        message: report.message,
        range,
        fixes: [...(report.fixes ?? []), ...disableFixes(model, lines, rule.id, range.start.line)],
      });
    }
  }
  result.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  if (budget && cutOff.length > 0) budgetSkip(result, `the rule${cutOff.length === 1 ? '' : 's'} ${cutOff.join(', ')}`, budget.budgetMs);
  return result;
}

/** Keeps every reported range inside the document, whatever a rule computed. */
function clampRange(range: Finding['range'], lines: LineIndex): Finding['range'] {
  const start = lines.positionAt(lines.offsetAt(range.start));
  const end = lines.positionAt(Math.max(lines.offsetAt(start), lines.offsetAt(range.end)));
  return { start, end };
}

/**
 * Builds a predicate "is rule R suppressed on line L": `disable`/`enable` open and close regions (no ids means
 * every rule), `disable-next-line` covers the next non-blank line, `disable-line` its own line.
 */
function suppressionIndex(comments: ControlComment[], lines: LineIndex, frontMatterEnd: number): (ruleId: string, line: number) => boolean {
  if (comments.length === 0) return () => false;
  // A file-wide disable placed right after the front matter (where the fix puts it) covers the front matter too.
  const startsBody = (line: number) => frontMatterEnd >= 0 && line > frontMatterEnd && Array.from({ length: line - frontMatterEnd - 1 }, (_, i) => lines.lineText(frontMatterEnd + 1 + i)).every((text) => text.trim() === '');
  const regions: { ruleId: string | null; from: number; to: number }[] = [];
  const open = new Map<string | null, number>();
  for (const comment of comments) {
    const ids: (string | null)[] = comment.ruleIds.length > 0 ? comment.ruleIds : [null];
    const line = comment.range.start.line;
    for (const id of ids) {
      if (comment.directive === 'disable') {
        if (!open.has(id)) open.set(id, startsBody(line) ? 0 : line);
      } else if (comment.directive === 'enable') {
        if (id === null) {
          for (const [openId, from] of open) regions.push({ ruleId: openId, from, to: line });
          open.clear();
        } else if (open.has(id)) {
          regions.push({ ruleId: id, from: open.get(id)!, to: line });
          open.delete(id);
        }
      } else if (comment.directive === 'disable-line') {
        regions.push({ ruleId: id, from: line, to: line });
      } else {
        let next = comment.range.end.line + 1;
        while (next < lines.lineCount - 1 && lines.lineText(next).trim() === '') next++;
        regions.push({ ruleId: id, from: next, to: next });
      }
    }
  }
  for (const [id, from] of open) regions.push({ ruleId: id, from, to: Number.MAX_SAFE_INTEGER });
  return (ruleId, line) => regions.some((region) => (region.ruleId === null || region.ruleId === ruleId) && region.from <= line && line <= region.to);
}

/** "Disable for this line" (where a comment line can go without changing the Markdown) and "for this file". */
function disableFixes(model: DocModel, lines: LineIndex, ruleId: string, line: number): Fix[] {
  const fixes: Fix[] = [];
  const inCode = model.codeBlocks.some((block) => block.range.start.line < line && line <= block.range.end.line);
  const inTableBody = model.statusTables.some((table) => table.range.start.line < line && line <= table.range.end.line);
  const inFrontMatter = model.frontMatter !== null && line <= model.frontMatter.range.end.line;
  if (!inCode && !inTableBody && !inFrontMatter) {
    const indent = /^\s*/.exec(lines.lineText(line))?.[0] ?? '';
    fixes.push({
      title: `Disable ${ruleId} for this line`,
      edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}<!-- docplan-disable-next-line ${ruleId} -->\n` }],
      fixAll: false,
    });
  }
  const insertLine = model.frontMatter ? model.frontMatter.range.end.line + 1 : 0;
  // Front matter that ends the document (no line after its closing `---`): append after its last line, so
  // the edit stays inside the document.
  const pastEnd = insertLine >= lines.lineCount;
  const at = pastEnd ? { line: lines.lineCount - 1, character: lines.lineText(lines.lineCount - 1).length } : { line: insertLine, character: 0 };
  fixes.push({
    title: `Disable ${ruleId} for this file`,
    edits: [{ range: { start: at, end: at }, newText: pastEnd ? `\n<!-- docplan-disable ${ruleId} -->\n` : `<!-- docplan-disable ${ruleId} -->\n` }],
    fixAll: false,
  });
  return fixes;
}
