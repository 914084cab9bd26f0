/** Folding ranges of a DocPlan doc: one region per section and per stage (or step). */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { DocModel, Range, Section, Stage } from '../model/types';
import type { LineIndex } from '../model/text';

/** Last line of `range` that holds something other than whitespace (at least the start line). */
function lastContentLine(range: Range, lines: LineIndex): number {
  let end = Math.min(range.end.line, lines.lineCount - 1);
  // A range ending at column 0 does not include that line's content.
  if (end > range.start.line && range.end.character === 0) end--;
  while (end > range.start.line && lines.lineText(end).trim() === '') end--;
  return end;
}

/**
 * Folding regions from each section and each stage heading to its last non-blank line. Ordinary Markdown
 * gets nothing (the editor folds its headings already). At most `limit` ranges, outermost first.
 */
export function foldingRanges(model: DocModel, lines: LineIndex, limit?: number): FoldingRange[] {
  if (model.kind === null || model.disabled) return [];
  const byStart = new Map<number, FoldingRange>();
  const add = (range: Range) => {
    const startLine = range.start.line;
    if (startLine < 0 || startLine >= lines.lineCount) return;
    const endLine = lastContentLine(range, lines);
    if (endLine <= startLine) return;
    const existing = byStart.get(startLine);
    if (!existing || existing.endLine < endLine) byStart.set(startLine, { startLine, endLine, kind: FoldingRangeKind.Region });
  };
  const visitSections = (sections: readonly Section[]) => {
    for (const section of sections) {
      add(section.range);
      visitSections(section.children);
    }
  };
  const visitStages = (stages: readonly Stage[]) => {
    for (const stage of stages) {
      add(stage.range);
      visitStages(stage.children);
    }
  };
  visitSections(model.sections);
  visitStages(model.stages);
  const ranges = [...byStart.values()].sort((a, b) => a.startLine - b.startLine);
  if (limit !== undefined && limit >= 0 && ranges.length > limit) {
    // Keep the largest regions: they are the ones a reader folds.
    const kept = new Set([...ranges].sort((a, b) => b.endLine - b.startLine - (a.endLine - a.startLine)).slice(0, limit));
    return ranges.filter((range) => kept.has(range));
  }
  return ranges;
}
