import type { Rule } from './types';
import { boxEdit, itemCompletions } from '../claims/items';
import { nameList } from '../claims/extract';

/**
 * A ticked item naming files, ticked in a commit (or in the working tree) although none of those files
 * changed between the commit that added the item and the tick. Needs git history of the doc; silent without.
 */
export const completionWithoutChange: Rule = {
  id: 'completion-without-change',
  description: 'A ticked item whose named files did not change between the commit that added it and the one that ticked it.',
  defaultSeverity: 'warning',
  kinds: ['plan', 'tracker', 'design'],
  check(model, context) {
    const items = itemCompletions(model, context.lines, context.workspace);
    if (!items) return;
    for (const entry of items) {
      const history = entry.history;
      if (entry.item.checked !== true || history === null || history.ticked === null || history.filesChanged) continue;
      // Written already ticked (a plan recording work done before it): there is no "before the tick" to compare.
      if (history.ticked !== 'working-tree' && history.ticked.hash === history.added.hash) continue;
      // A failing claim is completion-not-in-code's finding: one finding per lie.
      if (entry.verdicts.some((verdict) => verdict.status === 'fails')) continue;
      const added = history.added.hash.slice(0, 7);
      const when = history.ticked === 'working-tree' ? `ticked in the working tree (the last commit had it unticked)` : `ticked in commit ${history.ticked.hash.slice(0, 7)}`;
      const range = history.ticked === 'working-tree' ? `since ${added}, where it was added` : `between ${added} (which added it) and ${history.ticked.hash.slice(0, 7)}`;
      context.report({
        message: `This item was ${when}, but ${entry.files.length === 1 ? `\`${entry.files[0]}\` did not change` : `none of ${nameList(entry.files)} changed`} ${range}.`,
        range: context.lines.lineRange(entry.item.range.start.line),
        fixes: [{ title: 'Untick this item', edits: [boxEdit(entry.item, context.lines, false)], fixAll: false }],
      });
    }
  },
};
