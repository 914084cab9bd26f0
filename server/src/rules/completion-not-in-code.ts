import type { Rule } from './types';
import type { TextEdit } from 'vscode-languageserver-types';
import type { LineIndex } from '../model/text';
import type { ListItem, Stage } from '../model/types';
import type { Fix } from './types';
import { boxEdit, itemCompletions, removeDoneMarkEdit } from '../claims/items';
import { describeClaim } from '../claims/extract';
import { stageName } from './stages';

/**
 * A ticked item (or any item of a stage marked done) whose own words claim something the workspace
 * contradicts: a file it creates is missing, a file it deletes is still there, a symbol it adds is not
 * defined. Items that make no checkable claim are left alone.
 */
export const completionNotInCode: Rule = {
  id: 'completion-not-in-code',
  description: 'A ticked item (or an item of a done stage) claims a file, deletion or symbol that the workspace does not have.',
  defaultSeverity: 'warning',
  kinds: ['plan', 'tracker', 'design'],
  check(model, context) {
    const items = itemCompletions(model, context.lines, context.workspace);
    if (!items) return;
    for (const entry of items) {
      // A done marker in the heading is the stage's own claim; one in a status table alone is status-mismatch's.
      const stageDone = entry.stage.headingMark?.mark === 'done';
      if (entry.item.checked !== true && !stageDone) continue;
      const failed = entry.verdicts.filter((verdict) => verdict.status === 'fails');
      if (failed.length === 0) continue;
      const why = failed.map((verdict) => `it ${describeClaim(verdict.claim)}, but ${'why' in verdict ? verdict.why : ''}`).join('; ');
      const whose = entry.item.checked ? 'This item is ticked' : `${stageName(entry.stage)} is marked done`;
      context.report({
        message: `${whose}, but its work is not in the code: ${why}.`,
        range: context.lines.lineRange(entry.item.range.start.line),
        fixes: [untickFix(entry.item, entry.stage, context.lines)],
      });
    }
  },
};

/** Unticks the item and, when its stage's heading says done, removes that marker: the stage is not done. */
function untickFix(item: ListItem, stage: Stage, lines: LineIndex): Fix {
  const edits: TextEdit[] = [];
  if (item.checked) edits.push(boxEdit(item, lines, false));
  const unmark = removeDoneMarkEdit(stage, lines);
  if (unmark) edits.push(unmark);
  const title = item.checked ? (unmark ? `Untick this item and remove ${stageName(stage)}'s done marker` : 'Untick this item') : `Remove ${stageName(stage)}'s done marker`;
  return { title, edits, fixAll: true, preferred: true };
}
