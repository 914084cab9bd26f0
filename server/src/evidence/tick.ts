/**
 * `docplan run --tick` and the client's tick after a run: for each stage whose validation passed, tick its
 * Validation checkboxes and write (or refresh) one evidence line under its Validation part, so that the
 * evidence travels with the plan. Pure: text edits against the text the model was built from.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { LineIndex } from '../model/text';
import type { Stage } from '../model/types';
import { evidenceLine, type StageValidation } from './validation';

/** An evidence line as DocPlan writes it (any commit, date and counts). */
export const EVIDENCE_LINE = /^\s*validated at \S+(?: \S+)* on \d{4}-\d{2}-\d{2}: \d+ of \d+ passed\s*$/;

/** The edits that tick a passed stage's Validation boxes and write its evidence line. */
export function tickEdits(stage: Stage, validation: StageValidation, lines: LineIndex): TextEdit[] {
  if (validation.status !== 'passed') return [];
  const edits: TextEdit[] = [];
  const boxLines = new Set<number>();
  for (const item of stage.validationItems) {
    if (item.checked !== false || item.checkboxRange === null || boxLines.has(item.checkboxRange.start.line)) continue;
    boxLines.add(item.checkboxRange.start.line);
    const start = item.checkboxRange.start;
    const text = lines.lineText(start.line);
    const inner = text.indexOf('[ ]', start.character);
    if (inner < 0) continue;
    edits.push({ range: { start: { line: start.line, character: inner + 1 }, end: { line: start.line, character: inner + 2 } }, newText: 'x' });
  }
  const part = stage.parts.validation;
  if (!part) return edits;
  const line = evidenceLine(validation);
  let last = part.range.start.line;
  for (let at = part.range.start.line; at <= Math.min(part.range.end.line, lines.lineCount - 1); at++) {
    const text = lines.lineText(at);
    if (EVIDENCE_LINE.test(text)) {
      if (text.trim() !== line) edits.push({ range: { start: { line: at, character: 0 }, end: { line: at, character: text.length } }, newText: line });
      return edits;
    }
    if (text.trim() !== '' && !(at > part.range.start.line && /^#{1,6}\s/.test(text))) last = at;
    else if (at > part.range.start.line && /^#{1,6}\s/.test(text)) break;
  }
  const end = lines.lineText(last).length;
  edits.push({ range: { start: { line: last, character: end }, end: { line: last, character: end } }, newText: `\n\n${line}` });
  return edits;
}
