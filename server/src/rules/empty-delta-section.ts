import type { Range } from '../model/types';
import type { Rule } from './types';

/** Whether a body holds nothing but whitespace and HTML comments (a disable comment is not content). */
function isBlank(text: string, range: Range): boolean {
  const body = text.split(/\r\n|\r|\n/).slice(range.start.line, range.end.line + 1);
  if (body.length > 0) body[0] = body[0].slice(range.start.character);
  return body.join('\n').replace(/<!--[^]*?-->/g, '').trim() === '';
}
import { isProfile } from './profiles';
import { deltaSections } from './specDeltas';

/** A `## ADDED Requirements` (or MODIFIED, REMOVED, RENAMED) section with nothing in it says a change that is not there. */
export const emptyDeltaSection: Rule = {
  id: 'empty-delta-section',
  description: 'A change proposal\'s delta section (ADDED/MODIFIED/REMOVED/RENAMED Requirements) with nothing in it.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan'],
  check(model, context) {
    if (!isProfile(model, 'change-proposal')) return;
    for (const delta of deltaSections(model)) {
      if (delta.section.children.length > 0 || !isBlank(model.text, delta.section.bodyRange)) continue;
      const heading = delta.section.heading;
      context.report({
        message: `${heading.text} is empty: add the requirements it changes, or remove the section.`,
        range: heading.range,
        fixes: [{ title: `Remove the empty ${heading.text} section`, edits: [{ range: delta.section.range, newText: '' }], fixAll: false }],
      });
    }
  },
};
