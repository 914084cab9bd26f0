import type { TextEdit } from 'vscode-languageserver-types';
import type { LineIndex } from '../model/text';
import type { Stage } from '../model/types';
import type { Rule } from './types';
import { boxEdit, itemCompletions, preparedResults } from '../claims/items';
import { doneReason, groupItemsByStage, stageDoneBy } from '../claims/forgotten';
import { resultsOfDoc } from '../evidence/validation';
import { stageName } from './stages';

/** `✅` in place of an in-progress marker, or after the heading text. */
function markDoneEdit(stage: Stage, lines: LineIndex): TextEdit {
  if (stage.headingMark) return { range: stage.headingMark.range, newText: '✅' };
  const line = stage.heading.range.start.line;
  const text = lines.lineText(line);
  const end = text.replace(/\s+#*\s*$/, '').length;
  return { range: { start: { line, character: end }, end: { line, character: end } }, newText: ' ✅' };
}

/**
 * Work done but never ticked: an unticked item whose checkable claims all hold (its files exist, its
 * symbols are defined, its deleted files are gone, its commands last passed), and a stage whose items are
 * all ticked and whose validation last passed but that is not marked done.
 */
export const doneNotTicked: Rule = {
  id: 'done-not-ticked',
  description: 'An unticked item whose claims all hold in the workspace, or a finished and validated stage not marked done.',
  defaultSeverity: 'info',
  kinds: ['plan', 'tracker', 'design'],
  check(model, context) {
    const items = itemCompletions(model, context.lines, context.workspace);
    if (!items || !context.workspace) return;
    const byKey = resultsOfDoc(preparedResults(context.workspace.folder).results, context.workspace.docRelPath);
    for (const entry of items) {
      const reason = doneReason(entry, context.workspace.docRelPath, byKey);
      if (reason === null) continue;
      context.report({
        message: `This item is not ticked, but its work is done: ${reason}.`,
        range: context.lines.lineRange(entry.item.range.start.line),
        fixes: [{ title: 'Tick this item', edits: [boxEdit(entry.item, context.lines, true)], fixAll: true, preferred: true }],
      });
    }
    const itemsByStage = groupItemsByStage(items);
    const stages = itemsByStage.keys();
    for (const stage of stages) {
      if (stage.mark === 'done' || stage.mark === 'pending' || (stage.headingMark === null && stage.mark !== null)) continue;
      // A numbered task or a YAML todo is done through its own box or status, ticked above: no mark to write.
      if (stage.source !== undefined && stage.source !== 'heading') continue;
      const validation = stageDoneBy(stage, itemsByStage, context.workspace.docRelPath, byKey);
      if (!validation) continue;
      context.report({
        message: `${stageName(stage)} has every item ticked and its validation last passed (${validation.passed} of ${validation.total}), but it is not marked done.`,
        range: stage.heading.textRange,
        fixes: [{ title: `Mark ${stageName(stage)} done (✅)`, edits: [markDoneEdit(stage, context.lines)], fixAll: true, preferred: true }],
      });
    }
  },
};
