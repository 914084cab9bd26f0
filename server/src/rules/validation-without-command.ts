import type { Rule } from './types';
import { allStages, stageName } from './stages';
import { normalizeHeading } from '../model/vocabulary';
import { isHouseStyle } from './profiles';

/** Validation headings whose content is prose by nature (a checkpoint, an independent test, criteria): no command expected. */
const PROSE_VALIDATION = new Set(['checkpoint', 'independent test', 'success criteria', 'acceptance', 'acceptance criteria', 'acceptance tests']);

/**
 * A Validation part that says what to check but gives no command cannot be run, by a person or by DocPlan.
 * A part that holds only an HTML comment prompt (an inserted skeleton) is not started yet and is left alone.
 */
export const validationWithoutCommand: Rule = {
  id: 'validation-without-command',
  description: 'A Validation block with prose or items but no runnable command.',
  defaultSeverity: 'warning',
  kinds: ['plan', 'design', 'tracker'],
  check(model, context) {
    // Other families validate by manual checklists, Run: lines or prose tests; only the seeds' formats promise commands.
    if (!isHouseStyle(model)) return;
    for (const stage of allStages(model)) {
      const part = stage.parts.validation;
      if (!part || stage.commands.length > 0 || PROSE_VALIDATION.has(normalizeHeading(part.heading.text))) continue;
      // The paragraph that holds a `**Validate**:` pseudo-heading is the heading, not prose.
      const headingLine = part.heading.range.start.line;
      const prose = part.paragraphs.filter((paragraph) => !(part.heading.pseudo && paragraph.range.start.line === headingLine));
      const hasContent = part.inlineText.trim() !== '' || prose.length > 0 || part.items.length > 0 || part.codeBlocks.some((block) => block.value.trim() !== '');
      if (!hasContent) continue;
      context.report({
        message: `${stageName(stage)}'s Validation has no runnable command: add the exact command (inline code or a bash block) that checks it.`,
        range: part.heading.range,
      });
    }
  },
};
