/**
 * The server's check of one document, in slices: the model is built from chunks already parsed (on the
 * parse pool), then the workspace is prepared and the rules run one at a time, with a yield to pending
 * requests between them. Gives the same result as `checkTextPrepared` (each rule sees the same model and
 * workspace; findings are merged in the engine's order), and stops early once `isCurrent` turns false.
 */
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { buildDocument, DEFAULT_MAX_DOC_MS, type CheckedDocument, type CheckOptions } from '../check';
import type { ParsedDocument } from '../model/parse';
import { budgetSkip, checkModel, type CheckResult } from '../rules/engine';
import { ALL_RULES } from '../rules/index';
import type { Finding } from '../rules/types';

/** The engine's order of findings: by position, then rule id. */
function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId);
}

/** Checks `text` (with `parsed` holding its chunks), yielding between steps; null when superseded. */
export async function checkInSlices(text: string, options: CheckOptions, parsed: ParsedDocument, isCurrent: () => boolean): Promise<CheckedDocument | null> {
  const started = Date.now();
  const budgetMs = options.maxDocMs ?? DEFAULT_MAX_DOC_MS;
  const built = buildDocument(text, { ...options, previous: parsed });
  const { model, lines } = built;
  const workspace = options.workspace ?? null;
  if (model.kind === null || model.disabled) return { built, findings: [], ruleErrors: [], notes: [], skipped: null };
  await yieldToEvents();
  if (!isCurrent()) return null;
  if (workspace) await workspace.folder.prepare(model, workspace.docAbsPath);
  const findings: Finding[] = [];
  const ruleErrors: string[] = [];
  const notes = new Set<string>();
  const cutOff: string[] = [];
  for (const rule of ALL_RULES) {
    if (!isCurrent()) return null;
    // Past the document's budget the remaining rules are skipped and said so once (as the engine does).
    if (Date.now() >= started + budgetMs) {
      if ((options.config.rules[rule.id]?.severity ?? rule.defaultSeverity) !== 'off' && rule.kinds.includes(model.kind)) cutOff.push(rule.id);
      continue;
    }
    const part = checkModel(model, lines, options.config, workspace, [rule]);
    findings.push(...part.findings);
    ruleErrors.push(...part.ruleErrors);
    for (const note of part.notes) notes.add(note);
    await yieldToEvents();
  }
  findings.sort(byPosition);
  const result: CheckResult = { findings, ruleErrors, notes: [...notes], skipped: null };
  if (cutOff.length > 0) budgetSkip(result, `the rule${cutOff.length === 1 ? '' : 's'} ${cutOff.join(', ')}`, budgetMs);
  return { built, ...result };
}
