/**
 * The evidence line the client writes under a stage's Validation part when it ticks the stage after a run
 * (`docplan.run.tickCheckboxes`): "validated at <commit> on <date>: N of N passed", as `docplan run --tick`
 * writes it, replacing an earlier one.
 */
import * as vscode from 'vscode';
import type { StageNode } from '../../server/src/protocol';
import { stageTargets } from '../../server/src/run/targets';
import { EVIDENCE_LINE } from '../../server/src/evidence/tick';
import type { ResultStore } from './results';

/** The line's text for a stage whose commands all last passed, or null. */
export function evidenceText(uri: vscode.Uri, stage: StageNode, results: ResultStore): string | null {
  const stored = stageTargets(stage).map((target) => results.get(uri, target.key));
  if (stored.length === 0 || stored.some((result) => result?.outcome !== 'passed')) return null;
  const latest = stored.reduce((a, b) => (b!.finishedAt > a!.finishedAt ? b : a))!;
  const commit = latest.commit ? latest.commit.slice(0, 7) : 'an uncommitted tree';
  return `validated at ${commit} on ${new Date(latest.finishedAt).toISOString().slice(0, 10)}: ${stored.length} of ${stored.length} passed`;
}

/** Adds to `edit` the evidence line of a stage (replacing an old one), when it has a Validation part. */
export function addEvidenceLine(edit: vscode.WorkspaceEdit, document: vscode.TextDocument, stage: StageNode, text: string): void {
  const part = stage.validationRange;
  if (!part) return;
  const first = part.start.line;
  const last = Math.min(part.end.line, document.lineCount - 1);
  let lastContent = first;
  for (let line = first; line <= last; line++) {
    const lineText = document.lineAt(line).text;
    if (EVIDENCE_LINE.test(lineText)) {
      if (lineText.trim() !== text) edit.replace(document.uri, document.lineAt(line).range, text);
      return;
    }
    if (line > first && /^#{1,6}\s/.test(lineText)) break;
    if (lineText.trim() !== '') lastContent = line;
  }
  edit.insert(document.uri, document.lineAt(lastContent).range.end, `\n\n${text}`);
}
